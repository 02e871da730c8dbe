"""Plain-httpx steps against the mock, with no attachkit code: tokens, upload links and uploads, attachments and
conversations, and readers of the vendors' error bodies.

The mock's own tests use them to check the mock alone; the other suites, to make prerequisites that never touch
the clients under test.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from attachkit.testing import MockServer

ATTACHMENTS = "/attachments/2023-03"
CONVERSATIONS = "/digital-connect/conversations"
ACTIONS = "/attachment/actions"


def unique(prefix: str = "n") -> str:
    """A fresh name: attachment names, message contents and the like must not collide across tests."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def bearer(value: str) -> dict[str, str]:
    """Authorization headers carrying the token ``value``."""
    return {"Authorization": f"Bearer {value}"}


def token(http: httpx.Client, mock: MockServer, scope: str | None = None) -> str:
    """A Talkdesk access token from the token endpoint (every declared scope unless ``scope`` says otherwise)."""
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope is not None else {})}
    response = http.post(mock.token_url, data=data, auth=(mock.client_id, mock.client_secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def talkdesk_headers(http: httpx.Client, mock: MockServer, scope: str | None = None) -> dict[str, str]:
    """Authorization headers carrying a fresh Talkdesk token."""
    return bearer(token(http, mock, scope))


def upload_link(http: httpx.Client, mock: MockServer, headers: dict[str, str], **body: Any) -> dict[str, str]:
    """A new upload link: its ``url`` and ``request_id``."""
    response = http.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def upload(http: httpx.Client, mock: MockServer, headers: dict[str, str], data: bytes = b"bytes", **body: Any) -> str:
    """An upload link with ``data`` already PUT to it (what creating an attachment needs); returns its request_id."""
    link = upload_link(http, mock, headers, **body)
    put = http.put(link["url"], content=data, headers={"Content-Type": "text/plain"})
    assert put.status_code == 200, put.text
    return link["request_id"]


def attachment(http: httpx.Client, mock: MockServer, headers: dict[str, str], data: bytes = b"bytes") -> dict[str, Any]:
    """A created attachment resource, holding ``data``."""
    request_id = upload(http, mock, headers, data)
    created = http.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": unique("file"), "request_id": request_id}, headers=headers
    )
    assert created.status_code == 200, created.text
    body: dict[str, Any] = created.json()
    return body


def start_conversation(http: httpx.Client, mock: MockServer, headers: dict[str, str], **extra_headers: str) -> str:
    """Start a conversation (``extra_headers``: an idempotency key, say) and return its id."""
    response = http.post(
        mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": "tp-1"}, headers={**headers, **extra_headers}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def messages_url(mock: MockServer, conversation_id: str) -> str:
    """Where messages to a conversation are sent."""
    return f"{mock.talkdesk_base_url}{CONVERSATIONS}/{conversation_id}/messages"


def field_names(response: httpx.Response) -> list[str]:
    """The offending fields a Talkdesk 400 names."""
    return [f["name"] for f in response.json().get("fields", [])]


def webex_descriptions(response: httpx.Response) -> list[str]:
    """The descriptions of a Webex error's entries."""
    return [e["description"] for e in response.json()["errors"]]
