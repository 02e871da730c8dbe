"""Building the typed error for what the server (or the network) answered.

`errors.py` holds the exception classes; this module decides which one a response or a transport
failure amounts to and fills it from the vendor's error shape (`_vendors.py`), whatever the body holds.
"""

from __future__ import annotations

import json
from typing import Any, Final

import httpx

from ._retry import parse_retry_after
from ._text import one_line as _one_line
from ._vendors import Vendor
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorField,
    GoneError,
    InternalServerError,
    LockedError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PreconditionRequiredError,
    RateLimitError,
    UnexpectedResponseError,
    UnsupportedMediaTypeError,
)

BODY_LIMIT: Final = 64 * 1024  # bytes of an error body kept on the exception

_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    423: LockedError,
    428: PreconditionRequiredError,
    429: RateLimitError,
}


def error_class(status_code: int) -> type[APIError]:
    """The `APIError` subclass for a status code (never fails, whatever the number)."""
    if status_code in _BY_STATUS:
        return _BY_STATUS[status_code]
    if 500 <= status_code <= 599:
        return InternalServerError
    return UnexpectedResponseError


def redact_url(url: httpx.URL) -> str:
    """The URL without its query string, which may carry a signature."""
    return str(url.copy_with(query=None, fragment=None)) + ("?…" if url.query else "")


def error_from_response(vendor: Vendor, response: httpx.Response, *, now: float | None = None) -> APIError:
    """Build the typed error for a response. The body must have been read.

    Tolerates any body: empty, HTML, JSON of another shape, or truncated JSON.
    """
    shape = vendor.error_shape
    body = response.content
    data: Any = None
    if body:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            data = None
    if not isinstance(data, dict):
        data = {}

    def text(key: str | None) -> str | None:
        value = data.get(key) if key else None
        return value if isinstance(value, str) else None

    fields = []
    raw_fields = data.get(shape.fields) if shape.fields else None
    if isinstance(raw_fields, list):
        for item in raw_fields:
            if isinstance(item, dict):
                fields.append(ErrorField(str(item.get("name", "")), str(item.get("description", ""))))
    errors = []
    raw_errors = data.get(shape.errors) if shape.errors else None
    if isinstance(raw_errors, list):
        for item in raw_errors:
            if isinstance(item, dict) and isinstance(item.get("description"), str):
                errors.append(item["description"])
            elif isinstance(item, str):
                errors.append(item)
    tracking_id = text(shape.tracking_id)
    if tracking_id is None:
        tracking_id = next((response.headers[h] for h in vendor.tracking_headers if h in response.headers), None)
    retry_after = parse_retry_after(response.headers, now=now)
    message = text(shape.message)
    if message is None and not data and body and response.status_code >= 400:
        # A non-JSON body (an HTML error page, a plain-text gateway message): keep a short excerpt.
        message = _one_line(body[:200].decode("utf-8", "replace"))
    request = response.request
    return error_class(response.status_code)(
        status_code=response.status_code,
        vendor=vendor.name,
        message=message,
        code=text(shape.code),
        description=text(shape.description),
        fields=fields,
        errors=errors,
        tracking_id=tracking_id,
        retry_after=retry_after if isinstance(retry_after, float) else None,
        headers=response.headers,
        body=body[:BODY_LIMIT],
        method=request.method,
        url=redact_url(request.url),
    )


def unexpected_success(vendor: Vendor, response: httpx.Response | None, message: str) -> UnexpectedResponseError:
    """A success the spec does not describe, or whose body does not match it: the status, headers, body and
    URL of the real response, with `message` saying what was wrong."""
    if response is None:
        return UnexpectedResponseError(status_code=0, vendor=vendor.name, message=message)
    error = error_from_response(vendor, response)
    return UnexpectedResponseError(
        status_code=response.status_code,
        vendor=vendor.name,
        message=message,
        tracking_id=error.tracking_id,
        headers=response.headers,
        body=response.content[:BODY_LIMIT],
        method=error.method,
        url=error.url,
    )


def connection_error(exc: httpx.HTTPError, request: httpx.Request) -> APIConnectionError:
    """The typed error for a transport failure: `APITimeoutError` for timeouts, else `APIConnectionError`."""
    where = {"method": request.method, "url": redact_url(request.url)}
    if isinstance(exc, httpx.TimeoutException):
        name, detail = type(exc).__name__, str(exc)
        said = f": {detail}" if detail and detail not in (name, "timed out") else ""
        return APITimeoutError(f"timed out ({name}{said})", **where)
    return APIConnectionError(f"connection failed ({type(exc).__name__}: {exc})", **where)
