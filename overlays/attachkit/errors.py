"""Every exception attachkit raises.

    AttachkitError
    ├── APIError                      the API answered with an error status
    │   ├── BadRequestError           400
    │   ├── AuthenticationError       401 (and token-endpoint refusals)
    │   ├── PermissionDeniedError     403
    │   ├── NotFoundError             404
    │   ├── ConflictError             409
    │   ├── GoneError                 410
    │   ├── PayloadTooLargeError      413
    │   ├── UnsupportedMediaTypeError 415
    │   ├── LockedError               423
    │   ├── PreconditionRequiredError 428
    │   ├── RateLimitError            429
    │   ├── InternalServerError       5xx
    │   └── UnexpectedResponseError   any other status, or a success the spec does not describe
    ├── APIConnectionError            no usable response (connection refused, reset, dropped)
    │   ├── APITimeoutError           a connect, read, write or pool timeout, or an attempt past `timeout=`
    │   └── ResponseTooLargeError     an answer larger than `max_response_bytes` once decompressed
    ├── ValidationError               (also a ValueError) an argument breaks the spec; nothing was sent
    ├── WebhookSignatureError         a webhook delivery's `X-Spark-Signature` is missing or does not match
    ├── WebhookPayloadError           a correctly signed webhook delivery whose body is not the spec's event
    └── PartialSuccessError           a Digital Connect 206 with `strict=True`

An `APIError` carries the vendor's fields (Talkdesk `code`/`message`/`description`/`fields`, Webex
`message`/`errors`/`tracking_id`), the response `headers`, the raw `body` and `retry_after` where the
server gave one. Its `str()` is one line that ends with the tracking id. No exception ever carries a
token, a client secret or an Authorization header: the request itself is not kept, only its method
and its URL without the query string (pre-signed URLs carry signatures there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import httpx

from ._text import one_line as _one_line

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AttachkitError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ErrorField",
    "GoneError",
    "InternalServerError",
    "LockedError",
    "NotFoundError",
    "PartialSuccessError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PreconditionRequiredError",
    "RateLimitError",
    "ResponseTooLargeError",
    "UnexpectedResponseError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "WebhookPayloadError",
    "WebhookSignatureError",
]


class AttachkitError(Exception):
    """The base of every exception attachkit raises."""


class ErrorField:
    """One entry of a Talkdesk error's `fields`: which field was wrong, and why."""

    __slots__ = ("description", "name")

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description

    def __repr__(self) -> str:
        return f"ErrorField(name={self.name!r}, description={self.description!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorField) and (self.name, self.description) == (other.name, other.description)

    def __hash__(self) -> int:
        return hash((self.name, self.description))


class APIError(AttachkitError):
    """The API answered with an error status.

    Attributes:
        status_code: the HTTP status.
        vendor: "Talkdesk", "Talkdesk OAuth", "Webex" or "storage".
        code, message, description, fields: Talkdesk's error body (OAuth's `error`/`error_description`
            land in `code`/`message`).
        errors: Webex's `errors[].description` strings.
        tracking_id: Webex's `trackingId` (body, else the `TrackingID` header) or the request id header.
        retry_after: seconds the server asked to wait, when it said so in a form we could read.
        headers: the response headers.
        body: the raw body (at most 64 KiB), which may be empty, HTML or anything else.
        method, url: the request, with the URL's query string removed.
    """

    status_code: int

    def __init__(
        self,
        *,
        status_code: int,
        vendor: str,
        message: str | None = None,
        code: str | None = None,
        description: str | None = None,
        fields: Sequence[ErrorField] = (),
        errors: Sequence[str] = (),
        tracking_id: str | None = None,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.vendor = vendor
        self.message = message
        self.code = code
        self.description = description
        self.fields = list(fields)
        self.errors = list(errors)
        self.tracking_id = tracking_id
        self.retry_after = retry_after
        self.headers = httpx.Headers(headers or {})
        self.body = body
        self.method = method
        self.url = url
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [f"{self.status_code} from {self.vendor}"]
        if self.code:
            parts.append(f" [{_one_line(self.code)}]")
        detail = self.message or self.description or (self.errors[0] if self.errors else None)
        parts.append(f": {_one_line(detail)}" if detail else ": (no error message)")
        if self.fields:
            parts.append(
                " (" + "; ".join(f"{_one_line(f.name)}: {_one_line(f.description)}" for f in self.fields) + ")"
            )
        if self.method and self.url:
            parts.append(f" on {_one_line(self.method)} {_one_line(self.url)}")
        if self.retry_after is not None:
            parts.append(f"; retry after {self.retry_after:g}s")
        if self.tracking_id:
            parts.append(f" [tracking id: {_one_line(self.tracking_id)}]")
        return "".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, vendor={self.vendor!r}, message={self.message!r})"
        )


class BadRequestError(APIError):
    """400: the request was malformed or broke a rule the server checks."""


class AuthenticationError(APIError):
    """401: credentials missing, invalid or expired (also a refused token request)."""


class PermissionDeniedError(APIError):
    """403: understood but refused, e.g. the token lacks the operation's scope."""


class NotFoundError(APIError):
    """404: no such resource."""


class ConflictError(APIError):
    """409: conflicts with existing state, e.g. an attachment name already taken."""


class GoneError(APIError):
    """410: the resource is no longer available."""


class PayloadTooLargeError(APIError):
    """413: the request body is larger than the server accepts."""


class UnsupportedMediaTypeError(APIError):
    """415: the request's media type is not accepted."""


class LockedError(APIError):
    """423: temporarily unavailable; retried automatically while the budget lasts."""


class PreconditionRequiredError(APIError):
    """428: Webex could not scan a file for malware."""


class RateLimitError(APIError):
    """429: rate limited. `retry_after` says how long the server asked to wait, when it said so."""


class InternalServerError(APIError):
    """5xx: the server failed."""


class UnexpectedResponseError(APIError):
    """A status the specs do not describe, or a success whose body could not be read."""


class APIConnectionError(AttachkitError):
    """No usable response arrived: the connection failed, was reset, or was dropped."""

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{message} on {method} {url}" if method and url else message)


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired, or an attempt outlasted `timeout=` (after any retries)."""


class ResponseTooLargeError(APIConnectionError):
    """An answer's body, once decompressed, was larger than the client's `max_response_bytes`; it was not kept.

    The server may have acted on the request (a create may have happened): look before you resend.
    """


class ValidationError(AttachkitError, ValueError):
    """An argument breaks the API's contract. Nothing was sent.

    Attributes:
        field: the argument or body field at fault, e.g. `attachments[1].size` or `conversation_id`.
        reason: what is wrong with it.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class WebhookSignatureError(AttachkitError):
    """A webhook delivery's `X-Spark-Signature` header is missing, empty, not a hex HMAC-SHA1, or does not match
    the body and the secret.

    Whoever sent such a request cannot be told from anyone on the network: answer 401 and do not act on it. The
    message says which of those it was and never quotes the signature or the secret (both end up in logs).
    """


class WebhookPayloadError(AttachkitError):
    """A webhook delivery is correctly signed, but its body is not the event the spec describes: not UTF-8, not
    JSON, or a field of the wrong type or missing (`data.id`, say).

    The signature proves the body came from whoever holds the secret, so this is a broken contract rather than
    a forgery: log it. Webex counts any answer other than 2xx as a failed delivery, and deactivates a webhook
    after repeated failures.

    Attributes:
        reason: what is wrong.
        field: where, e.g. `data.id`; `body` for the whole of it.
    """

    def __init__(self, reason: str, *, field: str = "body") -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class PartialResult(Protocol):
    """What `PartialSuccessError` needs of a result: `attachkit.talkdesk.SentMessage` is one."""

    @property
    def message_id(self) -> str | None: ...

    @property
    def partial_fail_reason(self) -> str | None: ...


class PartialSuccessError(AttachkitError):
    """A message was created but some of its attachments failed (HTTP 206), and `strict=True` was asked.

    `result` is the `SentMessage`; the message exists on the server, so do not simply resend it.
    """

    def __init__(self, result: PartialResult) -> None:
        self.result = result
        self.partial_fail_reason = result.partial_fail_reason
        super().__init__(
            f"message {result.message_id} was created, but some attachments failed: "
            f"{_one_line(result.partial_fail_reason) or '(no reason given)'}"
        )
