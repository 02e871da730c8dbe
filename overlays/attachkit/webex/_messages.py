"""Checking and building the calls of `client.messages` and `client.contents`, shared by both faces.

The limits come from Webex's guides, not its published spec: text and markdown at most 7,439 bytes each, one
card and one file per message, a file up to 100 MB. JSON Schema counts characters, so the byte limits are checked
here, before anything is sent.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, cast
from urllib.parse import unquote, urlsplit

import httpx

from attachkit._generated.webex_messages.models import MessageCreate, MessageCreateMultipart
from attachkit._generated.webex_messages.types import File

from .._error_mapping import BODY_LIMIT
from .._exchange import Exchange
from .._streams import CHUNK, FileSource, Sink, file_name, guess_type, seekable
from .._validation import contract
from ..errors import APIError, GoneError, PreconditionRequiredError, ValidationError

PACKAGE: Final = "attachkit._generated.webex_messages"
CARD_CONTENT_TYPE: Final = "application/vnd.microsoft.card.adaptive"
TEXT_LIMIT: Final = 7439
"""Bytes of UTF-8 in `text` and in `markdown` (the guides' message limit)."""
FILE_LIMIT: Final = 100 * 1024 * 1024
"""Bytes in a message's file. The guides say "100 MB"; the larger reading (MiB) is checked, so that attachkit
never refuses a file Webex would take."""
DEFAULT_SCAN_WAIT: Final = 300.0
"""Seconds `contents.download` waits for Webex's malware scan (423 Locked) by default."""
SCAN_POLL: Final = 5.0
"""Seconds between two asks while Webex scans, when its 423 names no wait."""
MIN_SCAN_POLL: Final = 1.0
"""The shortest wait between two asks while Webex scans: a `Retry-After: 0` repeated must not become a busy
loop of requests for `max_scan_wait` seconds."""

DESTINATIONS: Final = ("roomId", "toPersonId", "toPersonEmail")
NAMES: Final = {
    "roomId": "room_id",
    "toPersonId": "to_person_id",
    "toPersonEmail": "to_person_email",
    "parentId": "parent_id",
    "attachments": "card",
    "messageId": "message_id",
    "contentId": "url_or_id",
}


def message_fields(
    *,
    room_id: str | None,
    to_person_id: str | None,
    to_person_email: str | None,
    parent_id: str | None,
    text: str | None,
    markdown: str | None,
    attached: bool,
) -> dict[str, str]:
    """The plain fields of a new message (None: not sent), checked for what every message needs.

    Exactly one destination, not empty, and some content: `text`, `markdown`, or (`attached`) a card or a file.
    The fields' types are checked first, so that a wrong value is named as itself.
    """
    fields = {
        key: value
        for key, value in (
            ("roomId", room_id),
            ("toPersonId", to_person_id),
            ("toPersonEmail", to_person_email),
            ("parentId", parent_id),
            ("text", text),
            ("markdown", markdown),
        )
        if value is not None
    }
    contract(PACKAGE, "create_message").check(body=fields, names=NAMES)
    given = [key for key in DESTINATIONS if key in fields]
    if not given:
        raise ValidationError(
            "room_id", "a message needs somewhere to go: give room_id, to_person_id or to_person_email"
        )
    if len(given) > 1:
        names = " and ".join(NAMES[key] for key in given)
        raise ValidationError(NAMES[given[1]], f"a message goes to one place: give only one of {names}")
    if not fields[given[0]]:
        raise ValidationError(NAMES[given[0]], "cannot be empty")
    if not (fields.get("text") or fields.get("markdown") or attached):
        raise ValidationError("text", "a message needs some content: text, markdown, a card or a file")
    for name in ("text", "markdown"):
        value = fields.get(name)
        if isinstance(value, str):
            size = len(value.encode("utf-8", "surrogatepass"))
            if size > TEXT_LIMIT:
                raise ValidationError(name, f"is {size} bytes of UTF-8; Webex takes at most {TEXT_LIMIT}")
    return fields


def json_body(fields: Mapping[str, str], card: Mapping[str, Any] | None) -> MessageCreate:
    """The JSON body of `create_message`: the fields, and the card as the message's one attachment."""
    body: dict[str, Any] = dict(fields)
    if card is not None:
        if not isinstance(card, Mapping):
            raise ValidationError("card", f"must be an Adaptive Card as a mapping, not {type(card).__name__}")
        body["attachments"] = [{"contentType": CARD_CONTENT_TYPE, "content": dict(card)}]
    contract(PACKAGE, "create_message").check(body=body, names=NAMES)
    return MessageCreate.from_dict(body)


class FilePart:
    """A local file as the `files` part of a multipart message, with what closes it afterwards."""

    def __init__(self, file: File, size: int, close: Callable[[], None]) -> None:
        self.file = file
        self.size = size
        self.close = close


def multipart_body(fields: Mapping[str, str], part: FilePart) -> MessageCreateMultipart:
    """The multipart body of `create_message`: the plain fields as parts, and the file."""
    contract(PACKAGE, "create_message").check(body=dict(fields), names=NAMES)
    body = MessageCreateMultipart.from_dict(fields)
    body.files = part.file
    return body


def open_file(file: FileSource, *, name: str | None, content_type: str | None) -> FilePart:
    """Interpret `file` (a path, bytes or a binary file object) as the file part of a message.

    The file is streamed by httpx as the request is sent, never read whole into memory; a file object that
    cannot seek is spooled to a temporary file first (its size must be known, and a retry sends it again).
    """
    if isinstance(file, str | os.PathLike):
        path = Path(os.fspath(file))
        if not path.is_file():
            raise ValidationError("file", f"{str(path)!r} is not a readable file")
        handle: IO[bytes] = path.open("rb")
        return _part(handle, name or path.name, content_type, handle.close)
    if isinstance(file, bytes | bytearray | memoryview):
        return _part(io.BytesIO(bytes(file)), name, content_type, lambda: None)
    if hasattr(file, "read"):
        if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
            raise ValidationError("file", "must be opened in binary mode ('rb')")
        label = name or file_name(file)
        if seekable(file):
            return _part(file, label, content_type, lambda: None)
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FilePart.close
        for chunk in iter(lambda: file.read(CHUNK), b""):
            if not isinstance(chunk, bytes):
                spool.close()
                raise ValidationError("file", "must be a binary file object (read() returned text)")
            spool.write(chunk)
        spool.seek(0)
        return _part(spool, label, content_type, spool.close)
    raise ValidationError("file", f"must be a path, bytes or a binary file object, not {type(file).__name__}")


def _part(handle: IO[bytes], name: str | None, content_type: str | None, close: Callable[[], None]) -> FilePart:
    if name is None:
        close()
        raise ValidationError("file_name", "is required when sending bytes or a file object without a name")
    start = handle.tell()
    size = handle.seek(0, os.SEEK_END) - start
    handle.seek(start)
    if size > FILE_LIMIT:
        close()
        raise ValidationError("file", f"is {size} bytes; Webex takes a file of at most 100 MB")
    # httpx rewinds a file part to 0 for every attempt: a window from the position keeps what was asked for.
    payload = handle if not start else _Window(handle, start)
    # File wants a BinaryIO, though httpx only reads, seeks and tells; IO[bytes] is what callers hold.
    file = File(payload=cast(BinaryIO, payload), file_name=name, mime_type=content_type or guess_type(name))
    return FilePart(file, size, close)


class _Window(io.RawIOBase):
    """A seekable view of a file from `start` to its end, so that httpx's rewind to 0 lands on `start`."""

    def __init__(self, inner: IO[bytes], start: int) -> None:
        self._inner = inner
        self._start = start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            offset += self._start
        return self._inner.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._inner.tell() - self._start


def check_message_id(operation: str, message_id: str) -> None:
    """Refuse a message id the contract does not allow, before anything is sent."""
    contract(PACKAGE, operation).check(params={"messageId": message_id}, names=NAMES)


def content_id(url_or_id: str, base_url: str) -> str:
    """The content id in a content URL (as `Message.files` lists them), or the id itself.

    A URL must be under this client's API (`{base_url}/contents/`): the access token goes with the request, and
    is never sent to another host.
    """
    if not isinstance(url_or_id, str):
        raise ValidationError("url_or_id", f"must be a content URL or id (str), not {type(url_or_id).__name__}")
    value = url_or_id
    if "://" in url_or_id:
        prefix = base_url.rstrip("/") + "/contents/"
        if not url_or_id.startswith(prefix):
            raise ValidationError(
                "url_or_id", f"is not a content URL of this client's API ({prefix}...): the token is only sent there"
            )
        rest = urlsplit(url_or_id[len(prefix) :]).path
        if not rest or "/" in rest:
            raise ValidationError("url_or_id", f"is not a content URL ({prefix}<content id>)")
        value = unquote(rest)
    contract(PACKAGE, "get_content").check(params={"contentId": value}, names=NAMES)
    return value


def check_scan_wait(max_scan_wait: object) -> None:
    """Refuse a scan budget that is not a number of seconds, 0 or more (infinity waits as long as it takes)."""
    if (
        not isinstance(max_scan_wait, int | float)
        or isinstance(max_scan_wait, bool)
        or math.isnan(max_scan_wait)
        or max_scan_wait < 0
    ):
        raise ValidationError("max_scan_wait", "must be a number of seconds, 0 or more")


def scan_poll(retry_after: float | None) -> float:
    """How long to wait after a 423 before asking again: its `Retry-After`, at least `MIN_SCAN_POLL`."""
    return SCAN_POLL if retry_after is None else max(retry_after, MIN_SCAN_POLL)


def open_sink(dest: object) -> Sink:
    """`dest` as where the download goes; a bad one is a `ValidationError` naming `dest`, the argument."""
    try:
        return Sink(dest)
    except ValidationError as exc:
        raise ValidationError("dest", exc.reason) from None


class Checked:
    """Where a download writes: the sink's file when the answer is the file (200), else a buffer that keeps the
    first bytes of an answer the spec does not describe (a 206, say), for the error that says so."""

    def __init__(self, sink: Sink, seen: Exchange) -> None:
        self._sink = sink
        self._seen = seen
        self._kept = bytearray()

    def write(self, chunk: bytes) -> int:
        response = self._seen.response
        if response is None or response.status_code == 200:
            return self._sink.file.write(chunk)
        self._kept += chunk[: max(0, BODY_LIMIT - len(self._kept))]
        return len(chunk)

    def unexpected(self) -> httpx.Response | None:
        """What was answered instead of the file, with the body kept (decoded), or None when it was the file."""
        response = self._seen.response
        if response is None or response.status_code == 200:
            return None
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-encoding"]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(self._kept), request=response.request
        )


def explained(error: APIError, content: str) -> APIError:
    """A 410 or 428 from a content download, saying what happened and what to do; other errors as they are."""
    if isinstance(error, GoneError):
        hint = f"content {content} is gone: Webex found malware in the file (or removed it), so it cannot be downloaded"
    elif isinstance(error, PreconditionRequiredError):
        hint = (
            f"content {content} could not be scanned for malware (an encrypted archive, for example); "
            "download it anyway with allow_unscannable=True if you trust its sender"
        )
    else:
        return error
    return type(error)(
        status_code=error.status_code,
        vendor=error.vendor,
        message=hint,
        code=error.code,
        description=error.message or error.description,
        fields=error.fields,
        errors=error.errors,
        tracking_id=error.tracking_id,
        retry_after=error.retry_after,
        headers=error.headers,
        body=error.body,
        method=error.method,
        url=error.url,
    )
