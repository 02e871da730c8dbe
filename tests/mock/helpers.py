"""Plain-httpx helpers for the mock's tests: no SDK code, so these tests check the mock on its own."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import yaml

from attachkit._specs import SpecName, spec_path
from attachkit.testing import MockServer

ATTACHMENTS = "/attachments/2023-03"
CONVERSATIONS = "/digital-connect/conversations"
ACTIONS = "/attachment/actions"


def spec(name: SpecName) -> dict[str, Any]:
    """A spec, parsed, for reading expectations (scopes, statuses) from the contract itself."""
    return yaml.safe_load(spec_path(name).read_text())


def token(client: httpx.Client, mock: MockServer, scope: str | None = None) -> str:
    """A Talkdesk access token from the token endpoint."""
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope is not None else {})}
    response = client.post(mock.token_url, data=data, auth=(mock.client_id, mock.client_secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def unique(prefix: str = "n") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def upload(client: httpx.Client, mock: MockServer, headers: dict[str, str], data: bytes, **body: Any) -> str:
    """Request an upload link and PUT ``data`` to it; returns the request_id."""
    link = client.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", json=body, headers=headers)
    assert link.status_code == 200, link.text
    put = client.put(link.json()["url"], content=data, headers={"Content-Type": "text/plain"})
    assert put.status_code == 200, put.text
    return str(link.json()["request_id"])


def attachment(
    client: httpx.Client, mock: MockServer, headers: dict[str, str], data: bytes = b"bytes"
) -> dict[str, Any]:
    """A created attachment resource."""
    request_id = upload(client, mock, headers, data)
    created = client.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": unique("file"), "request_id": request_id}, headers=headers
    )
    assert created.status_code == 200, created.text
    body: dict[str, Any] = created.json()
    return body


def conversation(client: httpx.Client, mock: MockServer, headers: dict[str, str], **extra: str) -> str:
    response = client.post(
        mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": "tp-1"}, headers={**headers, **extra}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def field_names(response: httpx.Response) -> list[str]:
    """The offending fields a Talkdesk 400 names."""
    return [f["name"] for f in response.json().get("fields", [])]


def webex_descriptions(response: httpx.Response) -> list[str]:
    return [e["description"] for e in response.json()["errors"]]


@contextlib.contextmanager
def running(**options: Any) -> Iterator[MockServer]:
    """A separately configured server, strict and validating, checked for violations when it stops."""
    with MockServer(validate_responses=True, strict_responses=True, **options) as mock:
        yield mock
    assert mock.response_violations == []
    assert mock.internal_errors == []


def eventually(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait for a condition another thread makes true (e.g. the server noticing a disconnect).

    The timeout only bounds a broken run; it is generous so a loaded machine does not fail a correct one.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)
