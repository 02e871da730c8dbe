"""What differs between the vendors, as data: error body shapes and where the request id lives.

Everything vendor-specific that the shared machinery (errors, logging, retries) needs is in this
module, so no other module asks `if vendor == ...`.
"""

from __future__ import annotations

from typing import Final

import attrs


@attrs.frozen
class ErrorShape:
    """Which keys of a JSON error body carry which `APIError` field (None: the shape has no such key)."""

    code: str | None
    message: str | None
    description: str | None
    fields: str | None
    errors: str | None
    tracking_id: str | None


@attrs.frozen
class Vendor:
    """A vendor's conventions."""

    name: str
    error_shape: ErrorShape
    # Response headers that carry the vendor's id for a request, most specific first.
    tracking_headers: tuple[str, ...]


TALKDESK: Final = Vendor(
    name="Talkdesk",
    error_shape=ErrorShape(
        code="code", message="message", description="description", fields="fields", errors=None, tracking_id=None
    ),
    tracking_headers=("x-request-id", "x-amzn-requestid", "x-correlation-id"),
)

# Talkdesk's token endpoint answers in the OAuth 2.0 shape, not the API's.
TALKDESK_OAUTH: Final = Vendor(
    name="Talkdesk OAuth",
    error_shape=ErrorShape(
        code="error", message="error_description", description=None, fields=None, errors=None, tracking_id=None
    ),
    tracking_headers=TALKDESK.tracking_headers,
)

WEBEX: Final = Vendor(
    name="Webex",
    error_shape=ErrorShape(
        code=None, message="message", description=None, fields=None, errors="errors", tracking_id="trackingId"
    ),
    tracking_headers=("trackingid", "x-trackingid"),
)

# Pre-signed storage URLs (the upload PUT and the download GET) answer in their provider's format.
STORAGE: Final = Vendor(
    name="storage",
    error_shape=ErrorShape(
        code="code", message="message", description="description", fields=None, errors=None, tracking_id=None
    ),
    tracking_headers=("x-amz-request-id", "x-request-id"),
)

# Every header any vendor uses for its request id, most specific first: for answers read outside a vendor's
# own error path (`RawResponse.tracking_id`).
TRACKING_HEADERS: Final = tuple(dict.fromkeys(h for v in (WEBEX, TALKDESK, STORAGE) for h in v.tracking_headers))
