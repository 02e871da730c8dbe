"""`RawResponse`: what `client.with_raw_response.<resource>.<method>(...)` returns."""

from __future__ import annotations

from typing import Generic, TypeVar

import httpx

from ._error_mapping import redact_url
from ._vendors import TRACKING_HEADERS

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The HTTP answer behind a call, with the call's result a `parse()` away.

    For a method that makes several requests (`upload`, `download`), it is the answer to the last one.

    Attributes:
        http_response: the `httpx.Response` (its body already read, except for a download's).
        status_code: its status.
        headers: its headers: the vendor's request id, rate-limit headers, ...
        tracking_id: the vendor's id for the request (Webex `TrackingID`, Talkdesk's request id), if it sent one.
    """

    def __init__(self, http_response: httpx.Response, value: T) -> None:
        self.http_response = http_response
        self._value = value

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        """The request as sent (its Authorization header included: do not log it whole)."""
        return self.http_response.request

    @property
    def tracking_id(self) -> str | None:
        headers = self.http_response.headers
        return next((headers[h] for h in TRACKING_HEADERS if h in headers), None)

    def parse(self) -> T:
        """The result the method returns without `with_raw_response`."""
        return self._value

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<RawResponse [{self.status_code}] {request.method} {redact_url(request.url)}>"
