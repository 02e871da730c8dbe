"""Webhook deliveries: the signed event POSTed to each active, matching webhook, in the background.

When a handler creates something a webhook can watch (a message, an attachment action), it calls
:meth:`Deliverer.publish`. For each active webhook whose ``resource`` and ``event`` match (``event: all`` matches
any) and whose ``filter`` holds, one delivery is scheduled as an asyncio task on the server's loop: the API answer
never waits for it. The delivery POSTs the event envelope (the webhook's fields, ``actorId`` and ``data``) as
compact JSON; with a ``secret`` set on the webhook, ``X-Spark-Signature`` carries the lowercase hex HMAC-SHA1 of
exactly those bytes, keyed by the secret (UTF-8).

A delivery fails when no connection is made, it times out (``webhook_timeout``) or the answer is not 2xx; a 2xx
answer resets the count. After ``webhook_failure_limit`` consecutive failures the webhook becomes ``inactive`` and
gets no more deliveries until it is updated with ``status: active``. Webex documents that it deactivates a webhook
after repeated failures but not after how many: the number is the mock's choice.

A ``filter`` is ``key=value`` pairs joined by ``&`` (URL-encoded, as Webex writes them: ``roomId=...&personEmail=...``);
each key must name a field of the event's ``data`` with that value (``true``/``false`` for a boolean, membership for a
list). A key the data does not carry never matches, so a webhook filtered on one the mock does not model gets nothing.

Every delivery (made, dropped by a fault, or failed) is recorded in ``MockState.deliveries``; tests wait for them with
``MockState.wait_for_deliveries(n)`` or ``MockState.wait_until_idle()`` (also on ``MockServer``) rather than sleeping.
Delivery faults (target ``webhook_delivery``) are described in ``attachkit.testing._faults``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import httpx

from ._config import MockConfig
from ._dialects import to_json
from ._faults import DELIVERY_TARGET, FaultRule, Faults
from ._state import Delivery, MockState, Webhook

logger = logging.getLogger("attachkit.testing")

SIGNATURE_HEADER = "X-Spark-Signature"
USER_AGENT = "attachkit-mock-webhooks"
# The key of a deliberately wrong signature (the bad-signature fault): well-formed, but no secret gives it.
_WRONG_KEY = b"attachkit-mock: not the webhook's secret"


def sign(secret: str, body: bytes) -> str:
    """``X-Spark-Signature`` for a body: the lowercase hex HMAC-SHA1 of the raw bytes, keyed by the secret."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def _wrong_signature(secret: str | None, body: bytes) -> str:
    return hmac.new(_WRONG_KEY + (secret or "").encode("utf-8"), body, hashlib.sha1).hexdigest()


def parse_filter(text: str) -> list[tuple[str, str]] | None:
    """A webhook filter's ``key=value`` pairs, or None when the text is not such a list."""
    if not text:
        return None
    pairs: list[tuple[str, str]] = []
    for piece in text.split("&"):
        key, sep, _ = piece.partition("=")
        if not sep or not key:
            return None
        pairs.extend(parse_qsl(piece, keep_blank_values=True))
    return pairs


def _holds(value: object, wanted: str) -> bool:
    if isinstance(value, bool):
        return wanted.lower() == ("true" if value else "false")
    if isinstance(value, list | tuple):
        return wanted in [str(item) for item in value]
    return value is not None and str(value) == wanted


def matches(webhook: Webhook, resource: str, event: str, data: Mapping[str, Any]) -> bool:
    """Whether an event reaches this webhook: active, same resource, same event (or ``all``), filter holds."""
    if webhook.status != "active" or webhook.resource != resource or webhook.event not in (event, "all"):
        return False
    if not webhook.filter:
        return True
    pairs = parse_filter(webhook.filter)
    return pairs is not None and all(key in data and _holds(data[key], value) for key, value in pairs)


def envelope(webhook: Webhook, event: str, data: Mapping[str, Any], actor_id: str) -> dict[str, Any]:
    """The body Webex POSTs: the webhook's own fields, who acted, and the event's ``data``."""
    body: dict[str, Any] = {
        "id": webhook.id,
        "name": webhook.name,
        "targetUrl": webhook.target_url,
        "resource": webhook.resource,
        "event": event,
    }
    if webhook.filter:
        body["filter"] = webhook.filter
    body |= {
        "orgId": webhook.org_id,
        "createdBy": webhook.created_by,
        "appId": webhook.app_id,
        "ownedBy": webhook.owned_by,
        "status": webhook.status,
        "created": webhook.created,
        "actorId": actor_id,
        "data": dict(data),
    }
    return body


@dataclasses.dataclass(frozen=True)
class _Planned:
    webhook: Webhook
    event: str
    body: bytes
    rule: FaultRule | None


class Deliverer:
    """Schedules and makes the webhook deliveries of one mock."""

    def __init__(self, config: MockConfig, state: MockState, faults: Faults) -> None:
        self.config = config
        self.state = state
        self.faults = faults
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def publish(self, resource: str, event: str, data: Mapping[str, Any], actor_id: str) -> int:
        """Schedule a delivery of this event to each active webhook it matches; returns how many.

        Called by a handler, on the server's event loop, before its answer is sent.
        """
        with self.state.transaction() as store:
            hooks = [hook for hook in store.webhooks.values() if matches(hook, resource, event, data)]
        if not hooks:
            return 0
        loop = asyncio.get_running_loop()
        for hook in hooks:
            body = to_json(envelope(hook, event, data, actor_id))
            planned = _Planned(hook, event, body, self.faults.pick(DELIVERY_TARGET))
            self.state.delivery_started()
            task = loop.create_task(self._deliver(planned), name=f"attachkit-webhook-{hook.id[-8:]}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(hooks)

    def _http(self) -> httpx.AsyncClient:
        # One client per event loop (an in-process app may be driven from several); no keep-alive, so a client
        # dropped with its loop leaves no connection open.
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = httpx.AsyncClient(
                timeout=self.config.webhook_timeout,
                trust_env=False,  # a proxy from the environment must not see loopback deliveries
                follow_redirects=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
            self._client_loop = loop
        return self._client

    async def _deliver(self, planned: _Planned) -> None:
        records: list[Delivery] = []
        hook, rule = planned.webhook, planned.rule
        signature = sign(hook.secret, planned.body) if hook.secret else None
        if rule is not None and rule.bad_signature:
            signature = _wrong_signature(hook.secret, planned.body)
        record = Delivery(
            webhook_id=hook.id,
            resource=hook.resource,
            event=planned.event,
            target_url=hook.target_url,
            body=planned.body,
            signature=signature,
            status=None,
            error=None,
            fault=rule.describe() if rule is not None else None,
        )
        try:
            if rule is not None and rule.latency > 0:
                await asyncio.sleep(rule.latency)
            if rule is not None and rule.drop is not None:
                records.append(dataclasses.replace(record, error="dropped by a fault: never sent"))
                return
            for copy in range(2 if rule is not None and rule.duplicate else 1):
                status, error = await self._post(hook.target_url, planned.body, signature)
                sent = dataclasses.replace(record, status=status, error=error, duplicate=copy > 0)
                records.append(sent)
                self._account(hook.id, sent.ok)
        except asyncio.CancelledError:
            records.append(dataclasses.replace(record, error="cancelled: the mock stopped"))
            raise
        except Exception as exc:  # a bug in the mock: recorded, never raised into the loop
            logger.exception("attachkit mock failed delivering to webhook %s", hook.id)
            records.append(dataclasses.replace(record, error=f"mock failure: {type(exc).__name__}: {exc}"))
        finally:
            self.state.delivery_finished(records)

    async def _post(self, url: str, body: bytes, signature: str | None) -> tuple[int | None, str | None]:
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        try:
            response = await self._http().post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return None, f"timeout: {type(exc).__name__}"
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            return None, f"{type(exc).__name__}: {exc}"[:300]
        error = None if 200 <= response.status_code < 300 else f"answered {response.status_code}"
        return response.status_code, error

    def _account(self, webhook_id: str, ok: bool) -> None:
        """Count a delivery's success or failure against its webhook, deactivating it at the limit."""
        with self.state.transaction() as store:
            hook = store.webhooks.get(webhook_id)
            if hook is None:
                return
            failures = 0 if ok else hook.failures + 1
            status = "inactive" if failures >= self.config.webhook_failure_limit else hook.status
            store.webhooks[webhook_id] = dataclasses.replace(hook, failures=failures, status=status)
