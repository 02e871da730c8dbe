"""Vendor differences, as data: error body shapes, tracking ids and URL prefixes, in one place.

A handler describes what went wrong once, as a :class:`Problem`; each :class:`Dialect` renders it the way its
vendor does. Nothing else in the mock branches on the vendor.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Mapping
from xml.sax.saxutils import escape

from attachkit._specs import SpecName


@dataclasses.dataclass(frozen=True)
class FieldError:
    """One offending request field: its name (a dotted path into the body, or a parameter name) and why."""

    name: str
    description: str


@dataclasses.dataclass(frozen=True)
class Problem:
    """An error answer, before it is rendered in a vendor's shape.

    ``kind`` is a snake_case word (``invalid_request``, ``not_found``...). The OAuth dialect sends it as
    ``error``; the storage dialect turns it into an S3-style code.
    """

    status: int
    kind: str
    message: str
    fields: tuple[FieldError, ...] = ()
    description: str | None = None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    html: bool = False


Rendered = tuple[bytes, str]  # body, media type


def to_json(payload: object) -> bytes:
    """The one serialiser of every JSON body the mock sends (error bodies here, replies in the pipeline).

    ``allow_nan=False``: Python would otherwise write NaN and Infinity, which are not JSON; a non-finite number
    raises ValueError instead, and the pipeline answers with its error path rather than send it.
    """
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def _talkdesk(problem: Problem, tracking_id: str | None) -> Rendered:
    # Talkdesk publishes no code catalogue; a zero-padded status is as opaque as theirs and easy to read.
    body: dict[str, object] = {"code": f"{problem.status:07d}", "message": problem.message}
    if problem.description:
        body["description"] = problem.description
    if problem.fields:
        body["fields"] = [{"name": f.name, "description": f.description} for f in problem.fields]
    return to_json(body), "application/json"


def _webex(problem: Problem, tracking_id: str | None) -> Rendered:
    if problem.html:
        title = f"{problem.status} {problem.message}"
        return (
            f"<html><head><title>{escape(title)}</title></head><body><h1>{escape(title)}</h1></body></html>".encode(),
            ("text/html"),
        )
    details = [{"description": f"{f.name}: {f.description}"} for f in problem.fields]
    if not details:
        details = [{"description": problem.description or problem.message}]
    return to_json({"message": problem.message, "errors": details, "trackingId": tracking_id or ""}), "application/json"


def _oauth(problem: Problem, tracking_id: str | None) -> Rendered:
    return to_json(
        {"error": problem.kind, "error_description": problem.description or problem.message}
    ), "application/json"


def _storage(problem: Problem, tracking_id: str | None) -> Rendered:
    # The upload and download URLs stand in for pre-signed S3 URLs, so their errors look like S3's.
    code = "".join(part.capitalize() for part in problem.kind.split("_"))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(problem.description or problem.message)}</Message>"
        f"<RequestId>{escape(tracking_id or '')}</RequestId></Error>"
    )
    return xml.encode(), "application/xml"


def _mock(problem: Problem, tracking_id: str | None) -> Rendered:
    return to_json({"error": problem.kind, "message": problem.description or problem.message}), "application/json"


@dataclasses.dataclass(frozen=True)
class Dialect:
    """How one family of endpoints speaks: its error body, and the header carrying a per-request id."""

    name: str
    render_problem: Callable[[Problem, str | None], Rendered]
    tracking_header: str | None = None
    tracking_prefix: str = ""

    def new_tracking_id(self) -> str | None:
        """A fresh id for one request, when this dialect sends one."""
        return f"{self.tracking_prefix}{uuid.uuid4()}" if self.tracking_header else None

    def headers(self, tracking_id: str | None) -> dict[str, str]:
        """The headers every response of this dialect carries."""
        return {self.tracking_header: tracking_id} if self.tracking_header and tracking_id else {}


TALKDESK = Dialect("talkdesk", _talkdesk)
WEBEX = Dialect("webex", _webex, tracking_header="TrackingID", tracking_prefix="ATTACHKIT_")
OAUTH = Dialect("oauth", _oauth)
STORAGE = Dialect("storage", _storage, tracking_header="x-amz-request-id")
MOCK = Dialect("mock", _mock)


@dataclasses.dataclass(frozen=True)
class Vendor:
    """One vendor API family: where it is mounted, which specs describe it, and how it speaks."""

    name: str
    prefix: str
    specs: tuple[SpecName, ...]
    dialect: Dialect


TALKDESK_PREFIX = "/talkdesk"
TOKEN_PATH = f"{TALKDESK_PREFIX}/oauth/token"
WEBEX_PREFIX = "/webex/v1"
UPLOAD_PREFIX = "/storage/uploads"
DOWNLOAD_PREFIX = "/storage/downloads"

VENDORS: tuple[Vendor, ...] = (
    Vendor("talkdesk", TALKDESK_PREFIX, ("talkdesk-attachments", "talkdesk-digital-connect"), TALKDESK),
    Vendor("webex", WEBEX_PREFIX, ("webex-attachment-actions", "webex-messages", "webex-webhooks"), WEBEX),
)

# The dialect of a path outside any route (404, 405), by longest prefix.
_PREFIX_DIALECTS: tuple[tuple[str, Dialect], ...] = (
    (TOKEN_PATH, OAUTH),
    (TALKDESK_PREFIX, TALKDESK),
    ("/webex", WEBEX),
    ("/storage", STORAGE),
)


def vendor_for_path(path: str) -> Vendor | None:
    """The vendor whose prefix the path is under, if any."""
    for vendor in VENDORS:
        if path == vendor.prefix or path.startswith(vendor.prefix + "/"):
            return vendor
    return None


def dialect_for_path(path: str) -> Dialect:
    """The dialect that answers for a path, including paths no route matches."""
    for prefix, dialect in _PREFIX_DIALECTS:
        if path == prefix or path.startswith(prefix + "/"):
            return dialect
    return MOCK
