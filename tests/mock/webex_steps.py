"""Plain-httpx steps of the Webex card loop against the mock (messages, webhooks, contents), and test files:
the EICAR test string, a zip archive with an entry flagged encrypted, the independent signature check."""

from __future__ import annotations

import hashlib
import hmac
import io
import zipfile
from typing import Any

import httpx

from attachkit.testing import MockServer

MESSAGES = "/messages"
WEBHOOKS = "/webhooks"
CARD = {
    "contentType": "application/vnd.microsoft.card.adaptive",
    "content": {
        "type": "AdaptiveCard",
        "version": "1.3",
        "body": [{"type": "Input.Text", "id": "Name", "label": "Name"}],
        "actions": [{"type": "Action.Submit", "title": "Submit"}],
    },
}
# The EICAR anti-virus test string, written in two halves so that this file does not carry it whole.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"


def hmac_sha1_hex(secret: str, body: bytes) -> str:
    """The signature a receiver expects, computed here without any attachkit code."""
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def encrypted_zip(*, where: str = "both") -> bytes:
    """A zip archive made by zipfile, then patched: general-purpose flag bit 0 (encrypted) set on its entry in the
    local header, the central directory, or both."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("secret.txt", "nothing to see " * 20)
    data = bytearray(buffer.getvalue())
    assert data[:4] == b"PK\x03\x04"
    if where in ("local", "both"):
        data[6] |= 0x01  # local file header: flags at offset 6
    if where in ("central", "both"):
        central = data.find(b"PK\x01\x02")
        data[central + 8] |= 0x01  # central directory entry: flags at offset 8
    return bytes(data)


def plain_zip() -> bytes:
    """A zip archive with nothing encrypted."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "plain " * 20)
    return buffer.getvalue()


def post_message(http: httpx.Client, mock: MockServer, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    """A created message (JSON body)."""
    response = http.post(mock.webex_base_url + MESSAGES, json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def post_file(
    http: httpx.Client,
    mock: MockServer,
    headers: dict[str, str],
    data: bytes,
    filename: str = "report.txt",
    media_type: str = "text/plain",
    **fields: str,
) -> dict[str, Any]:
    """A created message carrying one local file (multipart body), posted to room ``r-files`` unless ``fields``
    name a destination."""
    destinations = {"roomId", "toPersonId", "toPersonEmail"}
    form = {**({} if destinations & fields.keys() else {"roomId": "r-files"}), **fields}
    response = http.post(
        mock.webex_base_url + MESSAGES, data=form, files={"files": (filename, data, media_type)}, headers=headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def create_webhook(
    http: httpx.Client, mock: MockServer, headers: dict[str, str], target_url: str, **body: Any
) -> dict[str, Any]:
    """A created webhook (``attachmentActions``/``created`` unless told otherwise)."""
    payload = {"name": "hook", "targetUrl": target_url, "resource": "attachmentActions", "event": "created", **body}
    response = http.post(mock.webex_base_url + WEBHOOKS, json=payload, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def submit_card(http: httpx.Client, mock: MockServer, headers: dict[str, str], message_id: str) -> dict[str, Any]:
    """A card submission (attachment action) on a message."""
    body = {"type": "submit", "messageId": message_id, "inputs": {"Name": "Ada"}}
    response = http.post(mock.webex_base_url + "/attachment/actions", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
