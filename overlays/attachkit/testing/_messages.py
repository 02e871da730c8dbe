"""Webex messages and contents: create (JSON or multipart), get, delete, and file downloads through the scan.

Rooms: any ``roomId`` names a (group) room, created by being named. ``toPersonId`` or ``toPersonEmail`` names a
person, and the message goes to the direct room of the token's person and that one, whose id is derived from the
person's: the same person, by id or by email, is always the same room (``toPersonEmail`` gives the person the id
``PEOPLE`` of that email, as ``toPersonId``).

Rules Webex documents and the mock applies (each a 400 in Webex's error shape, naming the field):

- exactly one destination (``roomId``, ``toPersonId``, ``toPersonEmail``), and some content (``text``,
  ``markdown``, ``files`` or ``attachments``);
- ``text`` and ``markdown`` at most 7,439 bytes each, counted in UTF-8;
- one file and one card per message (``maxItems: 1`` in the spec; a second ``files`` part of a multipart body);
  a multipart body carries no card;
- a file of at most 100 MB, and not empty (the mock's choice: Webex does not say, and an empty download has no
  body for the spec's binary answer);
- ``parentId`` names a message the mock holds, in the same room.

Files: a local file arrives as the ``files`` part of a ``multipart/form-data`` body (its filename and media type
kept). A URL in a JSON body's ``files`` is fetched by the mock, but only from loopback (like webhook targets: the
mock never reaches outside the machine); one of the mock's own content URLs is copied without a request. Either
way the message answers the file as an absolute content URL, ``{mock}/webex/v1/contents/{contentId}``.

Downloads (``GET /contents/{contentId}``): 423 with ``Retry-After`` while the file is "being scanned"
(``webex_scan_seconds`` of the mock's clock after it was posted), then 410 for a file carrying the EICAR test
string, 428 for an archive with an encrypted entry unless ``allow=unscannable``, else 200 with the bytes,
``Content-Type``, ``Content-Length`` and ``Content-Disposition`` (see ``_scanning``).

Creating a message schedules ``messages``/``created`` webhook deliveries, deleting one ``messages``/``deleted``.
"""

from __future__ import annotations

import base64
import email.message
import ipaddress
import math
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx

from ._clock import iso_millis
from ._dialects import FieldError, Problem
from ._forms import Form, FormFile
from ._handlers import Call, Handler, Reply, not_found
from ._scanning import scan
from ._state import Content, WebexMessage
from ._webex import derived_uuid, person_email, person_id, webex_id

MAX_TEXT_BYTES = 7439
MAX_FILE_BYTES = 100 * 1024 * 1024
FETCH_TIMEOUT = 30.0
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
_DESTINATIONS = ("roomId", "toPersonId", "toPersonEmail")


def invalid(name: str, description: str) -> Problem:
    """A 400 naming one field."""
    return Problem(400, "invalid_request", "Request validation failed", fields=(FieldError(name, description),))


def is_loopback_url(url: str) -> bool:
    """Whether an http(s) URL points at this machine (127.0.0.0/8, ::1 or ``localhost``) and can be requested."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        httpx.URL(url)  # one httpx could not send (too long, unencodable) is refused now, not failed later
    except (ValueError, httpx.InvalidURL):  # UnicodeError is a ValueError
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _content_id() -> str:
    # Webex's content ids are base64 of ciscospark://us/CONTENT/<uuid>/<index>.
    return base64.urlsafe_b64encode(f"ciscospark://us/CONTENT/{uuid.uuid4()}/0".encode()).decode().rstrip("=")


def _contents_dir(call: Call) -> Path:
    directory = call.services.blobs.directory / "webex-contents"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def content_url(call: Call, content_id: str) -> str:
    """The absolute URL a message's ``files`` lists for a content id."""
    return call.url_for("get_content", contentId=content_id)


def _message_resource(call: Call, message: WebexMessage) -> dict[str, Any]:
    body: dict[str, Any] = {"id": message.id, "roomId": message.room_id, "roomType": message.room_type}
    optional = {
        "parentId": message.parent_id,
        "toPersonId": message.to_person_id,
        "toPersonEmail": message.to_person_email,
        "text": message.text,
        "markdown": message.markdown,
    }
    body |= {key: value for key, value in optional.items() if value is not None}
    if message.files:
        body["files"] = [content_url(call, content_id) for content_id in message.files]
    if message.attachments:
        body["attachments"] = [dict(card) for card in message.attachments]
    body |= {"personId": message.person_id, "personEmail": message.person_email, "created": message.created}
    return body


def _event_data(call: Call, message: WebexMessage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message.id,
        "roomId": message.room_id,
        "roomType": message.room_type,
        "personId": message.person_id,
        "personEmail": message.person_email,
        "created": message.created,
    }
    if message.parent_id:
        data["parentId"] = message.parent_id
    if message.files:
        data["files"] = [content_url(call, content_id) for content_id in message.files]
    return data


def _fields(call: Call) -> tuple[Mapping[str, Any], Form | None]:
    if isinstance(call.body, Form):
        return call.body.fields, call.body
    return (call.body if isinstance(call.body, Mapping) else {}), None


def _check(fields: Mapping[str, Any], form: Form | None) -> Problem | None:
    given = [name for name in _DESTINATIONS if fields.get(name) is not None]
    if not given:
        return invalid("roomId", "a message needs one of roomId, toPersonId or toPersonEmail")
    if len(given) > 1:
        return invalid(given[1], f"give only one of roomId, toPersonId or toPersonEmail, not {' and '.join(given)}")
    if not fields[given[0]]:
        return invalid(given[0], "cannot be empty")
    for name in ("text", "markdown"):
        value = fields.get(name)
        if isinstance(value, str) and len(value.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
            return invalid(name, f"is longer than {MAX_TEXT_BYTES} bytes")
    if form is not None:
        if "attachments" in form.fields or any(f.field == "attachments" for f in form.files):
            return invalid("attachments", "a card cannot be sent in a multipart body; send it as JSON")
        if "files" in form.fields:
            return invalid("files", "must be a file part, with a filename")
        parts = [f for f in form.files if f.field == "files"]
        if len(parts) > 1:
            return invalid("files", "only one file is allowed per message")
        if parts and len(parts[0].data) > MAX_FILE_BYTES:
            return invalid("files", "a file is at most 100 MB")
        if parts and not parts[0].data:
            return invalid("files", "the file is empty")
        has_file = bool(parts)
    else:
        has_file = bool(fields.get("files"))
    if not (fields.get("text") or fields.get("markdown") or has_file or fields.get("attachments")):
        return invalid("text", "a message needs text, markdown, a file or a card")
    return None


def _filename_from(response: httpx.Response, url: str) -> str:
    disposition = response.headers.get("content-disposition")
    if disposition:
        header = email.message.Message()
        header["content-disposition"] = disposition
        name = header.get_filename()
        if name:
            return Path(name).name or "file"
    return Path(unquote(urlsplit(url).path)).name or "file"


async def _fetch(call: Call, url: str) -> FormFile | Problem:
    """The file a JSON ``files`` URL names: one of the mock's own contents, or fetched from loopback."""
    own = call.url_for("get_content", contentId="")
    if url.startswith(own):
        with call.services.state.transaction() as store:
            found = store.contents.get(unquote(url[len(own) :]))
        if found is None:
            return invalid("files", f"no such content: {url[:200]}")
        return FormFile("files", found.filename, found.content_type, found.path.read_bytes())
    if not is_loopback_url(url):
        return invalid(
            "files", "the mock fetches files only from loopback URLs (127.0.0.0/8, ::1, localhost); got " + url[:200]
        )
    try:
        client = httpx.AsyncClient(timeout=FETCH_TIMEOUT, trust_env=False, follow_redirects=True)
        async with client, client.stream("GET", url) as response:
            if response.status_code != 200:
                return invalid("files", f"{url[:200]} answered {response.status_code}")
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > MAX_FILE_BYTES:
                    return invalid("files", "a file is at most 100 MB")
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return invalid("files", f"could not fetch {url[:200]}: {type(exc).__name__}")
    if not data:
        return invalid("files", f"{url[:200]} answered an empty file")
    media = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    return FormFile("files", _filename_from(response, url), media or "application/octet-stream", bytes(data))


def _store_file(call: Call, message_id: str, upload: FormFile) -> Content:
    content_id = _content_id()
    path = _contents_dir(call) / content_id
    path.write_bytes(upload.data)
    now = call.services.clock.now()
    return Content(
        id=content_id,
        message_id=message_id,
        filename=Path(upload.filename.replace("\\", "/")).name or "file",
        content_type=upload.content_type or "application/octet-stream",
        size=len(upload.data),
        path=path,
        posted_at=now,
        scanned_at=now + call.services.config.webex_scan_seconds,
        verdict=scan(upload.data),
    )


async def create_message(call: Call) -> Reply | Problem:
    """``POST /messages``: store the message (and its file), answer it, and tell the webhooks."""
    fields, form = _fields(call)
    problem = _check(fields, form)
    if problem is not None:
        return problem
    config = call.services.config
    upload: FormFile | None = None
    if form is not None:
        upload = next((f for f in form.files if f.field == "files"), None)
    elif fields.get("files"):
        fetched = await _fetch(call, str(fields["files"][0]))
        if isinstance(fetched, Problem):
            return fetched
        upload = fetched
    room_type: Any = "group"
    to_person_id = fields.get("toPersonId")
    to_person_email = fields.get("toPersonEmail")
    if fields.get("roomId") is not None:
        room_id = str(fields["roomId"])
    else:
        room_type = "direct"
        other = to_person_id or webex_id("PEOPLE", derived_uuid("person:" + str(to_person_email)))
        room_id = webex_id("ROOM", derived_uuid(f"direct:{person_id(config)}:{other}"))
    parent_id = fields.get("parentId")
    message_id = webex_id("MESSAGE", uuid.uuid4())
    content = _store_file(call, message_id, upload) if upload is not None else None
    message = WebexMessage(
        id=message_id,
        room_id=room_id,
        room_type=room_type,
        person_id=person_id(config),
        person_email=person_email(config),
        created=iso_millis(call.services.clock.now()),
        text=fields.get("text"),
        markdown=fields.get("markdown"),
        parent_id=parent_id,
        to_person_id=to_person_id,
        to_person_email=to_person_email,
        files=(content.id,) if content else (),
        attachments=tuple(fields.get("attachments") or ()),
    )
    with call.services.state.transaction() as store:
        if parent_id is not None:
            parent = store.webex_messages.get(parent_id)
            if parent is None or parent.room_id != room_id:
                if content is not None:
                    content.path.unlink(missing_ok=True)
                where = "no such message" if parent is None else "the parent message is in another room"
                return invalid("parentId", where)
        store.webex_messages[message.id] = message
        if content is not None:
            store.contents[content.id] = content
    call.services.deliverer.publish("messages", "created", _event_data(call, message), message.person_id)
    return Reply(200, _message_resource(call, message))


def get_message(call: Call) -> Reply | Problem:
    """``GET /messages/{messageId}``."""
    message = call.services.state.webex_messages.get(call.path_params["messageId"])
    if message is None:
        return not_found("The requested resource could not be found.")
    return Reply(200, _message_resource(call, message))


def delete_message(call: Call) -> Reply | Problem:
    """``DELETE /messages/{messageId}``: the message and its files go (their content URLs answer 404)."""
    with call.services.state.transaction() as store:
        message = store.webex_messages.pop(call.path_params["messageId"], None)
        removed = [store.contents.pop(content_id) for content_id in (message.files if message else ())]
    if message is None:
        return not_found("The requested resource could not be found.")
    for content in removed:
        content.path.unlink(missing_ok=True)
    data = {
        "id": message.id,
        "roomId": message.room_id,
        "roomType": message.room_type,
        "personId": message.person_id,
        "personEmail": message.person_email,
        "created": message.created,
    }
    call.services.deliverer.publish("messages", "deleted", data, message.person_id)
    return Reply(204, None)


def _disposition(filename: str) -> str:
    # An ASCII fallback (every other character, quote and backslash as "_"), and the exact name in filename*.
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='', errors='replace')}"
    return value


def get_content(call: Call) -> Reply | Problem:
    """``GET /contents/{contentId}``: the file, once scanned and found clean (or forced when unscannable)."""
    content = call.services.state.contents.get(call.path_params["contentId"])
    if content is None:
        return not_found("The requested resource could not be found.")
    remaining = content.scanned_at - call.services.clock.now()
    if remaining > 0:
        return Problem(
            423,
            "locked",
            "File is being scanned for malware",
            description="the file is being scanned for malware; try again after Retry-After seconds",
            headers={"Retry-After": str(max(1, math.ceil(remaining)))},
        )
    if content.verdict == "infected":
        return Problem(410, "gone", "File is infected", description="the file was found to be infected with malware")
    if content.verdict == "unscannable" and call.query.get("allow") != "unscannable":
        return Problem(
            428,
            "precondition_required",
            "File(s) cannot be scanned for malware and need to be force downloaded",
            description="the file cannot be scanned for malware; add ?allow=unscannable to download it anyway",
        )
    try:
        data = content.path.read_bytes()
    except FileNotFoundError:  # deleted between the lookup and the read
        return not_found("The requested resource could not be found.")
    headers = {"Content-Disposition": _disposition(content.filename), "Content-Length": str(len(data))}
    return Reply(200, None, headers, content=data, media_type=content.content_type)


HANDLERS: dict[str, Handler] = {
    "create_message": create_message,
    "get_message": get_message,
    "delete_message": delete_message,
    "get_content": get_content,
}
