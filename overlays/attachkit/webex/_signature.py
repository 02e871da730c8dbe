"""Verifying a Webex webhook delivery: its `X-Spark-Signature`, then its body as the spec's `WebhookEvent`.

A webhook registered with a `secret` makes Webex sign each delivery: `X-Spark-Signature` is the lowercase hex
HMAC-SHA1 of the request body, keyed by the secret's UTF-8 bytes. Anyone can POST to a public target URL, so a
receiver must check that header before it believes a word of the body, and check it over the bytes exactly as they
arrived: a body decoded and re-serialised (spacing, key order, escapes) is different bytes, so a different HMAC.
The comparison runs in constant time, so an attacker cannot learn the right signature a byte at a time by timing
the answers.

Only a body whose signature checks out is parsed, and held to the `WebhookEvent` schema of
`openapi/webex-webhooks.yaml`, the one description of the event the mock sends and the SDK reads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from typing import Any, Final

from .._generated.webex_webhooks.models import WebhookEvent
from .._response_checks import schema_problems
from .._text import one_line
from ..errors import ValidationError, WebhookPayloadError, WebhookSignatureError

__all__ = ["SIGNATURE_HEADER", "sign_webhook", "verify_webhook"]

SIGNATURE_HEADER: Final = "X-Spark-Signature"
"""The header that carries a delivery's signature, as Webex spells it (HTTP header names are read in any case)."""

_HEADER_KEY: Final = SIGNATURE_HEADER.lower()
_HEX_SHA1: Final = re.compile(r"[0-9a-fA-F]{40}")
_PACKAGE: Final = "attachkit._generated.webex_webhooks"
_EVENT_SCHEMA: Final = "#/components/schemas/WebhookEvent"

log: Final = logging.getLogger("attachkit")


def verify_webhook(body: bytes, headers: Mapping[str, str], secret: str) -> WebhookEvent:
    """The event of a Webex webhook delivery, once its `X-Spark-Signature` proves it was signed with `secret`.

    For example, in a Starlette receiver:

        from attachkit.errors import WebhookSignatureError
        from attachkit.webex import verify_webhook

        async def receive(request):
            try:
                event = verify_webhook(await request.body(), request.headers, secret)
            except WebhookSignatureError:
                return Response(status_code=401)
            ...  # event.resource, event.event, event.data.id

    The signature is checked first, over `body` exactly as received, in constant time; only then is the body read as
    JSON and held to the spec's `WebhookEvent` schema. A value the spec only bends (an `event` Webex added after the
    spec was written, say) is logged as a contract warning on the `attachkit` logger, not refused.

    Args:
        body: the request body, the raw bytes as they arrived (`await request.body()` in Starlette,
            `await request.read()` in aiohttp, `request.get_data()` in Flask). Never a decoded or re-serialised
            body: other bytes have another signature. A `bytearray` or `memoryview` is read as its bytes.
        headers: the request headers, any mapping of names to values: a `dict`, Starlette's `Headers`,
            `httpx.Headers`, aiohttp's `CIMultiDictProxy`. `X-Spark-Signature` is found whatever its case.
        secret: the `secret` the webhook was registered with. An empty secret is refused: anyone can compute an
            HMAC with an empty key, so it would prove nothing.

    Returns:
        The event: `resource`, `event`, `data.id` and the rest of the envelope, as the generated `WebhookEvent`.

    Raises:
        WebhookSignatureError: the header is missing, empty, not 40 hex digits, given twice with different values,
            or does not match the body and the secret. Answer 401; nothing in the body can be trusted.
        WebhookPayloadError: the signature matches, but the body is not UTF-8 JSON, or not the spec's event (a
            field of the wrong type, `data.id` missing).
        ValidationError: `body` is not bytes (a `str` has been decoded already), or `secret` is not a non-empty
            `str`: a mistake in the calling code, not in the request.

    Neither the secret nor a signature appears in any exception's message.
    """
    expected = sign_webhook(body, secret)
    given = _signature_header(headers)
    if not _HEX_SHA1.fullmatch(given):
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header is not a hex HMAC-SHA1 (40 hex digits)")
    # Both sides as the 20 digest bytes: hex is read in either case, and the comparison takes the same time
    # however many leading bytes agree.
    if not hmac.compare_digest(bytes.fromhex(expected), bytes.fromhex(given)):
        raise WebhookSignatureError(
            f"the {SIGNATURE_HEADER} header does not match the body: the body was changed after signing "
            "(re-serialised JSON counts), or it was signed with another secret"
        )
    return _event(bytes(body))


def sign_webhook(body: bytes, secret: str) -> str:
    """The `X-Spark-Signature` Webex sends with `body` for a webhook whose secret is `secret`: lowercase hex HMAC-SHA1.

    What the mock signs its deliveries with, and what a test can sign a request to its own receiver with.
    Raises `ValidationError` as `verify_webhook` does for a `body` or `secret` of the wrong kind.
    """
    if not isinstance(secret, str):
        raise ValidationError("secret", f"must be a str (the webhook's secret), not {type(secret).__name__}")
    if not secret:
        raise ValidationError(
            "secret", "must not be empty: anyone can sign with an empty key, so its signature would prove nothing"
        )
    if isinstance(body, str):
        raise ValidationError(
            "body",
            "must be the raw bytes of the request as received, not a str: text decoded and encoded again can differ "
            "from what was signed",
        )
    if not isinstance(body, bytes | bytearray | memoryview):
        raise ValidationError("body", f"must be the raw bytes of the request as received, not {type(body).__name__}")
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def _signature_header(headers: Mapping[str, str]) -> str:
    """The one `X-Spark-Signature` value of `headers`, found in any case, without surrounding white space."""
    if not isinstance(headers, Mapping):
        raise ValidationError("headers", f"must be a mapping of header names to values, not {type(headers).__name__}")
    values: set[str] = set()
    # Every item, not `headers.get(...)`: a plain dict is case-sensitive, and a multi-dict can hold the header twice.
    for name, value in headers.items():
        if isinstance(name, str) and name.lower() == _HEADER_KEY:
            if not isinstance(value, str):
                raise ValidationError("headers", f"must map {SIGNATURE_HEADER} to a str, not {type(value).__name__}")
            values.add(value.strip(" \t"))
    if not values:
        raise WebhookSignatureError(
            f"the request has no {SIGNATURE_HEADER} header: it is not signed (was the webhook created with a secret?)"
        )
    if len(values) > 1:
        raise WebhookSignatureError(f"the request has more than one {SIGNATURE_HEADER} header, with different values")
    (value,) = values
    if not value:
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header is empty")
    return value


def _event(body: bytes) -> WebhookEvent:
    """A signed body as the spec's `WebhookEvent`; `WebhookPayloadError` when it is not one."""
    try:
        # JSON is UTF-8 (RFC 8259); decoded strictly, so that an encoded surrogate cannot reach the event.
        decoded: Any = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError(f"is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise WebhookPayloadError("is JSON nested too deeply to read") from None
    except ValueError as exc:
        raise WebhookPayloadError(f"is not JSON ({one_line(str(exc))})") from None
    problems = schema_problems(_PACKAGE, _EVENT_SCHEMA, decoded)
    breaking = next((p for p in problems if p.breaking), None)
    if breaking is not None:
        raise WebhookPayloadError(f"{breaking.message} (the spec's WebhookEvent)", field=breaking.path)
    for problem in problems:
        log.warning(
            "webhook event: contract warning: `%s` %s",
            problem.path,
            problem.message,
            extra={"attachkit_operation": "webhook_event", "attachkit_field": problem.path},
        )
    try:
        return WebhookEvent.from_dict(decoded)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # the schema check should have caught it
        raise WebhookPayloadError(f"does not fit the spec's WebhookEvent ({type(exc).__name__})") from None
