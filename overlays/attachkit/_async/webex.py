"""`AsyncWebexClient`: configuration, auth, and the resources of the card loop."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from attachkit._async.base import AsyncClientBase
from attachkit._async.http import AsyncSession, connect
from attachkit._async.webex_attachment_actions import AsyncAttachmentActions, AsyncAttachmentActionsWithRawResponse
from attachkit._async.webex_messages import (
    AsyncContents,
    AsyncContentsWithRawResponse,
    AsyncMessages,
    AsyncMessagesWithRawResponse,
)
from attachkit._async.webex_webhooks import AsyncWebhooks, AsyncWebhooksWithRawResponse
from attachkit._clock import Clock
from attachkit._config import Backend, Timeout
from attachkit._generated.webex_attachment_actions import AuthenticatedClient as ActionsAPI
from attachkit._generated.webex_messages import AuthenticatedClient as MessagesAPI
from attachkit._generated.webex_webhooks import AuthenticatedClient as WebhooksAPI
from attachkit._retry import RetryPolicy
from attachkit.webex._configure import configure


class AsyncWebexClient(AsyncClientBase):
    """A client for the Webex card loop: messages with cards and files, webhooks, file downloads, card submissions.

    Args:
        access_token: a bot, integration or personal access token; default `WEBEX_ACCESS_TOKEN`.
        base_url: default `WEBEX_BASE_URL`, else `https://webexapis.com/v1`.
        http_client: an `httpx.AsyncClient` to send through, honoured whole (its proxies, mounts, TLS, headers
            and event hooks), with attachkit's auth, retries, caps and errors on top; you close it.

    The other arguments (`timeout`, `max_retries`, `retry`, `clock`, `allow_insecure_http`, `default_headers`,
    `backend`, `proxy`, `max_response_bytes`, `strict_responses`) work as they do for the Talkdesk client.
    Use it as a context manager, or call `close()`, to release its connection pool.
    """

    def __init__(
        self,
        access_token: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        *,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
        default_headers: Mapping[str, str] | None = None,
        backend: Backend | None = None,
        proxy: str | None = None,
        max_response_bytes: int | None = None,
        strict_responses: bool = False,
    ) -> None:
        settings, auth = configure(
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            clock=clock,
            allow_insecure_http=allow_insecure_http,
            default_headers=default_headers,
            backend=backend,
            proxy=proxy,
            max_response_bytes=max_response_bytes,
            strict_responses=strict_responses,
        )
        self._bind(connect(settings, auth, http_client))

    def _bind(self, session: AsyncSession) -> None:
        self._session = session
        # The generated clients only carry the base URL; the session's httpx client sends (auth, retries, errors).
        base_url = session.settings.base_url
        self._attachment_actions = AsyncAttachmentActions(
            session, ActionsAPI(base_url=base_url, token="").set_async_httpx_client(session.api)
        )
        messages_api = MessagesAPI(base_url=base_url, token="").set_async_httpx_client(session.api)
        self._messages = AsyncMessages(session, messages_api)
        self._contents = AsyncContents(session, messages_api)
        self._webhooks = AsyncWebhooks(
            session, WebhooksAPI(base_url=base_url, token="").set_async_httpx_client(session.api)
        )

    @property
    def attachment_actions(self) -> AsyncAttachmentActions:
        """`AsyncAttachmentActions`: submit an Adaptive Card action, and read one back."""
        return self._attachment_actions

    @property
    def messages(self) -> AsyncMessages:
        """`AsyncMessages`: post a card or a file to a room or a person, read a message, delete one."""
        return self._messages

    @property
    def contents(self) -> AsyncContents:
        """`AsyncContents`: download a message's file, through Webex's malware scan."""
        return self._contents

    @property
    def webhooks(self) -> AsyncWebhooks:
        """`AsyncWebhooks`: register where Webex sends events, and keep it registered (`ensure`)."""
        return self._webhooks

    @property
    def with_raw_response(self) -> AsyncWebexClientWithRawResponse:
        """The same resources, each method returning a `RawResponse`: status, headers, tracking id, `.parse()`."""
        return AsyncWebexClientWithRawResponse(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._session.settings.base_url!r})"


class AsyncWebexClientWithRawResponse:
    """`client.with_raw_response`: the client's resources, each method returning a `RawResponse`."""

    def __init__(self, client: AsyncWebexClient) -> None:
        self.attachment_actions = AsyncAttachmentActionsWithRawResponse(client.attachment_actions)
        self.messages = AsyncMessagesWithRawResponse(client.messages)
        self.contents = AsyncContentsWithRawResponse(client.contents)
        self.webhooks = AsyncWebhooksWithRawResponse(client.webhooks)
