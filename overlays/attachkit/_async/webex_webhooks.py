"""`client.webhooks`: register where Webex sends events (card submissions, messages), and keep it registered."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from http import HTTPStatus

import httpx

from attachkit._async.base import AsyncResource
from attachkit._async.raw import wrap
from attachkit._config import Timeout
from attachkit._error_mapping import unexpected_success
from attachkit._generated.webex_webhooks import AuthenticatedClient
from attachkit._generated.webex_webhooks.api.webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    list_webhooks,
    update_webhook,
)
from attachkit._generated.webex_webhooks.models import Webhook, WebhookCollection
from attachkit._generated.webex_webhooks.types import UNSET
from attachkit.webex._webhooks import (
    PACKAGE,
    check_id,
    check_list,
    create_body,
    matches,
    needs_update,
    next_page,
    under,
    update_body,
)


class _Page:
    """A later page of `list_webhooks`, read from its `Link` URL, in the shape of a generated answer."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = HTTPStatus(response.status_code)
        self.parsed = WebhookCollection.from_dict(response.json()) if response.status_code == 200 else None


class AsyncWebhooks(AsyncResource[AuthenticatedClient]):
    """Webex webhooks (`/webhooks`): where Webex POSTs events such as `attachmentActions`/`created`."""

    _package = PACKAGE

    async def create(
        self,
        *,
        name: str,
        target_url: str,
        resource: str,
        event: str,
        filter: str | None = None,
        secret: str | None = None,
        owned_by: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Webhook:
        """Register a webhook: Webex POSTs each `resource`/`event` (e.g. `attachmentActions`/`created`) to `target_url`.

        With a `secret`, each delivery is signed (`X-Spark-Signature`) and `attachkit.webex.verify_webhook`
        checks it. `filter` narrows the events (e.g. `roomId=...`). Not retried after Webex may have created it;
        `ensure` is the call to repeat safely.
        """
        body = create_body(
            name=name,
            target_url=target_url,
            resource=resource,
            event=event,
            filter=filter,
            secret=secret,
            owned_by=owned_by,
        )
        return await self._fetch(
            "create_webhook",
            Webhook,
            lambda: create_webhook.asyncio_detailed(client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def list(
        self,
        *,
        max: int | None = None,
        owned_by: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> list[Webhook]:
        """Every webhook, following the `Link` header's `next` pages; `max` is the page size (Webex's default 100)."""
        check_list(max, owned_by)
        answer = await self._call(
            "list_webhooks",
            lambda: list_webhooks.asyncio_detailed(
                client=self._api, max_=UNSET if max is None else max, owned_by=UNSET if owned_by is None else owned_by
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        hooks: list[Webhook] = []
        while True:
            hooks.extend(self._expect(answer, WebhookCollection).items)
            url = next_page(answer.response)
            if url is None:
                return hooks
            if not under(url, self._session.settings.base_url):
                raise unexpected_success(
                    self._session.settings.vendor,
                    answer.response,
                    "list_webhooks: the next page's link leaves this client's API; the token is not sent there",
                )
            answer = await self._call(
                "list_webhooks",
                functools.partial(self._page, url),
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )

    async def _page(self, url: str) -> _Page:
        return _Page(await self._session.api.get(url))

    async def get(
        self,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Webhook:
        """Read a webhook by id, including its `status` (`inactive` after repeated failed deliveries)."""
        check_id("get_webhook", webhook_id)
        return await self._fetch(
            "get_webhook",
            Webhook,
            lambda: get_webhook.asyncio_detailed(webhook_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def update(
        self,
        webhook_id: str,
        *,
        name: str,
        target_url: str,
        secret: str | None = None,
        owned_by: str | None = None,
        status: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Webhook:
        """Change a webhook. Webex requires `name` and `target_url` on every update; `status="active"` reactivates."""
        body = update_body(
            webhook_id, name=name, target_url=target_url, secret=secret, owned_by=owned_by, status=status
        )
        return await self._fetch(
            "update_webhook",
            Webhook,
            lambda: update_webhook.asyncio_detailed(webhook_id, client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def delete(
        self,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Delete a webhook (Webex answers 204). An unknown id raises `NotFoundError`."""
        check_id("delete_webhook", webhook_id)
        answer = await self._call(
            "delete_webhook",
            lambda: delete_webhook.asyncio_detailed(webhook_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        self._expect_no_content(answer, "the webhook may have been deleted")

    async def ensure(
        self,
        *,
        name: str,
        target_url: str,
        resource: str,
        event: str,
        filter: str | None = None,
        secret: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Webhook:
        """Make sure a webhook delivers `resource`/`event` (and `filter`) to `target_url`, and return it.

        Safe to call at every start-up: it lists the webhooks and keeps one that already delivers the same
        events to the same URL, updating it when it is `inactive` (Webex deactivates a webhook after repeated
        failed deliveries), named otherwise, or when a `secret` is given (Webex may not show the one it holds);
        it creates one only when none matches. Two processes ensuring at the same moment may both create one.
        """
        create_body(
            name=name,
            target_url=target_url,
            resource=resource,
            event=event,
            filter=filter,
            secret=secret,
            owned_by=None,
        )  # checked before anything is sent
        hooks = await self.list(timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)
        for hook in hooks:
            if matches(hook, target_url=target_url, resource=resource, event=event, filter=filter):
                if not needs_update(hook, name=name, secret=secret):
                    return hook
                return await self.update(
                    hook.id,
                    name=name,
                    target_url=target_url,
                    secret=secret,
                    status="active",
                    timeout=timeout,
                    max_retries=max_retries,
                    extra_headers=extra_headers,
                )
        return await self.create(
            name=name,
            target_url=target_url,
            resource=resource,
            event=event,
            filter=filter,
            secret=secret,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


class AsyncWebhooksWithRawResponse:
    """`client.with_raw_response.webhooks`: each method returns a `RawResponse` of its (last) answer."""

    def __init__(self, resource: AsyncWebhooks) -> None:
        self.create = wrap(resource.create)
        self.list = wrap(resource.list)
        self.get = wrap(resource.get)
        self.update = wrap(resource.update)
        self.delete = wrap(resource.delete)
        self.ensure = wrap(resource.ensure)
