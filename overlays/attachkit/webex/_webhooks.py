"""Checking and building the calls of `client.webhooks`, and what `ensure` counts as the same webhook."""

from __future__ import annotations

from typing import Final

import httpx

from attachkit._generated.webex_webhooks.models import Webhook, WebhookCreate, WebhookUpdate
from attachkit._generated.webex_webhooks.types import Unset

from .._validation import contract

PACKAGE: Final = "attachkit._generated.webex_webhooks"
NAMES: Final = {"targetUrl": "target_url", "ownedBy": "owned_by", "webhookId": "webhook_id"}


def _present(**fields: str | None) -> dict[str, str]:
    return {key: value for key, value in fields.items() if value is not None}


def create_body(
    *,
    name: str,
    target_url: str,
    resource: str,
    event: str,
    filter: str | None,
    secret: str | None,
    owned_by: str | None,
) -> WebhookCreate:
    """The body of `create_webhook`, checked (the enums of `resource` and `event` are the spec's)."""
    body = _present(
        name=name, targetUrl=target_url, resource=resource, event=event, filter=filter, secret=secret, ownedBy=owned_by
    )
    contract(PACKAGE, "create_webhook").check(body=body, names=NAMES)
    return WebhookCreate.from_dict(body)


def update_body(
    webhook_id: str, *, name: str, target_url: str, secret: str | None, owned_by: str | None, status: str | None
) -> WebhookUpdate:
    """The body of `update_webhook`, checked with the id. Webex requires `name` and `targetUrl` on every update.

    The id and the body are checked together: the operation's body is required, so the id alone is no call.
    """
    body = _present(name=name, targetUrl=target_url, secret=secret, ownedBy=owned_by, status=status)
    contract(PACKAGE, "update_webhook").check(params={"webhookId": webhook_id}, body=body, names=NAMES)
    return WebhookUpdate.from_dict(body)


def check_id(operation: str, webhook_id: str) -> None:
    """Refuse a webhook id the contract does not allow, before anything is sent."""
    contract(PACKAGE, operation).check(params={"webhookId": webhook_id}, names=NAMES)


def check_list(max: int | None, owned_by: str | None) -> None:
    """Refuse list arguments the contract does not allow."""
    contract(PACKAGE, "list_webhooks").check(params=_present_params(max=max, ownedBy=owned_by), names=NAMES)


def _present_params(**params: object) -> dict[str, object]:
    return {key: value for key, value in params.items() if value is not None}


def _field(value: str | Unset) -> str | None:
    return None if isinstance(value, Unset) else value


def matches(hook: Webhook, *, target_url: str, resource: str, event: str, filter: str | None) -> bool:
    """Whether `hook` delivers the same events to the same place: `ensure` keeps it rather than add another."""
    return (
        _field(hook.target_url) == target_url
        and _field(hook.resource) == resource
        and _field(hook.event) == event
        and (_field(hook.filter_) or None) == (filter or None)
    )


def needs_update(hook: Webhook, *, name: str, secret: str | None) -> bool:
    """Whether a matching webhook must be updated to be what `ensure` was asked for.

    It must be active and carry the name and the secret asked for; a webhook whose secret Webex does not show is
    updated, since a secret that differs would make every delivery fail verification.
    """
    return (
        _field(hook.status) != "active" or _field(hook.name) != name or (secret is not None and hook.secret != secret)
    )


def next_page(response: httpx.Response) -> str | None:
    """The URL of the next page, from the `Link` header (`rel="next"`)."""
    return response.links.get("next", {}).get("url") or None


def under(url: str, base_url: str) -> bool:
    """Whether `url` is under this client's API: only there may the access token go."""
    return url.startswith(base_url.rstrip("/") + "/")
