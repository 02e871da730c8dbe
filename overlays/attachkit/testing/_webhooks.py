"""Webex webhooks: the registry (create, list with ``Link`` pages, get, update, delete).

Deliveries are ``_deliveries``'s. What the mock decides where Webex's docs are silent:

- ``targetUrl`` must be an http(s) URL on loopback (127.0.0.0/8, ``::1``, ``localhost``): the mock never sends
  anything off the machine. Another URL is a 400 naming ``targetUrl``.
- A ``filter`` must be ``key=value`` pairs joined by ``&`` (a 400 naming ``filter`` otherwise).
- The same name, target, resource and event may be registered twice (finding an existing one is the client's job).
- ``PUT`` replaces ``name`` and ``targetUrl``; ``secret`` changes only when given; ``ownedBy`` is ignored (as the
  published spec says); ``status: active`` reactivates an inactive webhook and clears its failure count.
- List pages hold ``max`` webhooks (default 100) in creation order; the ``Link`` URL's ``cursor`` is opaque (the
  position after the page's last webhook), so deleting a webhook between two pages neither repeats nor skips one.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import uuid
from typing import Any
from urllib.parse import urlencode

from ._clock import iso_millis
from ._deliveries import parse_filter
from ._dialects import Problem
from ._handlers import Call, Handler, Reply, not_found
from ._messages import invalid, is_loopback_url
from ._state import Webhook
from ._webex import app_id, org_id, person_id, webex_id

DEFAULT_MAX = 100


def _resource(webhook: Webhook) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": webhook.id,
        "name": webhook.name,
        "targetUrl": webhook.target_url,
        "resource": webhook.resource,
        "event": webhook.event,
    }
    if webhook.filter is not None:
        body["filter"] = webhook.filter
    if webhook.secret is not None:
        body["secret"] = webhook.secret
    body |= {
        "status": webhook.status,
        "created": webhook.created,
        "ownedBy": webhook.owned_by,
        "orgId": webhook.org_id,
        "createdBy": webhook.created_by,
        "appId": webhook.app_id,
    }
    return body


def _check_target(url: str) -> Problem | None:
    if not is_loopback_url(url):
        return invalid("targetUrl", "the mock delivers only to loopback URLs (127.0.0.0/8, ::1, localhost)")
    return None


def create_webhook(call: Call) -> Reply | Problem:
    """``POST /webhooks``."""
    body = call.body
    problem = _check_target(body["targetUrl"])
    if problem is not None:
        return problem
    filter_ = body.get("filter")
    if filter_ is not None and parse_filter(filter_) is None:
        return invalid("filter", "must be key=value pairs joined by '&', such as roomId=...")
    config = call.services.config
    with call.services.state.transaction() as store:
        store.webhook_sequence += 1
        webhook = Webhook(
            id=webex_id("WEBHOOK", uuid.uuid4()),
            name=body["name"],
            target_url=body["targetUrl"],
            resource=body["resource"],
            event=body["event"],
            created=iso_millis(call.services.clock.now()),
            owned_by=body.get("ownedBy") or "creator",
            org_id=org_id(config),
            created_by=person_id(config),
            app_id=app_id(config),
            sequence=store.webhook_sequence,
            filter=filter_,
            secret=body.get("secret"),
        )
        store.webhooks[webhook.id] = webhook
    return Reply(200, _resource(webhook))


def _cursor(sequence: int) -> str:
    return base64.urlsafe_b64encode(f"after:{sequence}".encode()).decode().rstrip("=")


def _after(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = text.partition(":")
    return int(number) if prefix == "after" and number.isdigit() else None


def list_webhooks(call: Call) -> Reply | Problem:
    """``GET /webhooks``: one page of ``max``, the next one in ``Link``."""
    size = int(call.query.get("max", DEFAULT_MAX))
    owned_by = call.query.get("ownedBy")
    after = 0
    if "cursor" in call.query:
        found = _after(call.query["cursor"])
        if found is None:
            return invalid("cursor", "is not a cursor this list gave")
        after = found
    hooks = [
        hook
        for hook in call.services.state.webhooks.values()
        if hook.sequence > after and (owned_by is None or hook.owned_by == owned_by)
    ]
    hooks.sort(key=lambda hook: hook.sequence)
    page, rest = hooks[:size], hooks[size:]
    headers: dict[str, str] = {}
    if rest:
        query = {"max": str(size), **({"ownedBy": owned_by} if owned_by is not None else {})}
        query["cursor"] = _cursor(page[-1].sequence)
        headers["Link"] = f'<{call.url_for("list_webhooks")}?{urlencode(query)}>; rel="next"'
    return Reply(200, {"items": [_resource(hook) for hook in page]}, headers)


def get_webhook(call: Call) -> Reply | Problem:
    """``GET /webhooks/{webhookId}``."""
    webhook = call.services.state.webhooks.get(call.path_params["webhookId"])
    if webhook is None:
        return not_found("The requested resource could not be found.")
    return Reply(200, _resource(webhook))


def update_webhook(call: Call) -> Reply | Problem:
    """``PUT /webhooks/{webhookId}``: new name and target; new secret when given; reactivation."""
    body = call.body
    problem = _check_target(body["targetUrl"])
    if problem is not None:
        return problem
    with call.services.state.transaction() as store:
        webhook = store.webhooks.get(call.path_params["webhookId"])
        if webhook is None:
            return not_found("The requested resource could not be found.")
        changes: dict[str, Any] = {"name": body["name"], "target_url": body["targetUrl"]}
        if "secret" in body:
            changes["secret"] = body["secret"]
        if body.get("status") == "active":
            changes |= {"status": "active", "failures": 0}
        webhook = dataclasses.replace(webhook, **changes)
        store.webhooks[webhook.id] = webhook
    return Reply(200, _resource(webhook))


def delete_webhook(call: Call) -> Reply | Problem:
    """``DELETE /webhooks/{webhookId}``."""
    with call.services.state.transaction() as store:
        webhook = store.webhooks.pop(call.path_params["webhookId"], None)
    if webhook is None:
        return not_found("The requested resource could not be found.")
    return Reply(204, None)


HANDLERS: dict[str, Handler] = {
    "create_webhook": create_webhook,
    "list_webhooks": list_webhooks,
    "get_webhook": get_webhook,
    "update_webhook": update_webhook,
    "delete_webhook": delete_webhook,
}
