"""Bad input of every kind gets a 4xx in the vendor's shape, never a 500, and the server keeps serving."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attachkit.testing import MockServer
from tests._support.plain_http import (
    ACTIONS,
    ATTACHMENTS,
    CONVERSATIONS,
    field_names,
    messages_url,
    webex_descriptions,
)
from tests._support.servers import strict_mock

MIB = 1024 * 1024


def test_malformed_json_talkdesk(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    for body in (b"{", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000):  # NaN and the like: test_json_edges.py
        response = http.post(
            mock.talkdesk_base_url + CONVERSATIONS, content=body, headers={**td, "Content-Type": "application/json"}
        )
        assert response.status_code == 400, body[:20]
        assert field_names(response) == ["body"]
        assert response.json()["code"] and response.json()["message"]


def test_malformed_json_webex(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    response = http.post(
        mock.webex_base_url + ACTIONS, content=b'{"type":', headers={**wx, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert webex_descriptions(response)[0].startswith("body: malformed JSON")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", ""])
def test_wrong_content_type_is_415(http: httpx.Client, mock: MockServer, td: dict[str, str], content_type: str) -> None:
    headers = {**td, "Content-Type": content_type} if content_type else td
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, content=b'{"touchpoint_id":"t"}', headers=headers)
    assert response.status_code == 415
    assert response.json()["message"] == "Unsupported Media Type"


def test_json_with_parameters_is_fine(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    response = http.post(
        mock.talkdesk_base_url + CONVERSATIONS,
        content=b'{"touchpoint_id":"t"}',
        headers={**td, "Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert response.status_code == 201


def test_body_over_the_limit_is_413(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    big = json.dumps({"touchpoint_id": "t", "subject": "x" * MIB}).encode()
    url = mock.talkdesk_base_url + CONVERSATIONS
    response = http.post(url, content=big, headers={**td, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["message"] == "Request body too large"

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while reading
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    streamed = http.post(url, content=chunked(), headers={**td, "Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert http.post(url, json={"touchpoint_id": "t"}, headers=td).status_code == 201


def test_body_limit_is_configurable(http: httpx.Client) -> None:
    with strict_mock(max_body_bytes=64) as mock:
        response = http.post(
            mock.webex_base_url + ACTIONS,
            json={"type": "submit", "messageId": "m" * 64, "inputs": {}},
            headers={"Authorization": f"Bearer {mock.webex_token}"},
        )
        assert response.status_code == 413
        assert response.json()["trackingId"] == response.headers["trackingid"]
        token_response = http.post(
            mock.token_url,
            data={"grant_type": "client_credentials", "scope": "x" * 100},
            auth=(mock.client_id, mock.client_secret),
        )
        assert (token_response.status_code, token_response.json()["error"]) == (413, "invalid_request")


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/talkdesk/attachments/2023-03/a/b/c", lambda r: r.json()["code"] == "0000404"),
        ("/talkdesk/", lambda r: r.json()["message"] == "Not Found"),
        ("/webex/v1/rooms", lambda r: r.json()["trackingId"] == r.headers["trackingid"]),
        ("/webex/v2/attachment/actions", lambda r: r.headers["trackingid"]),
        ("/storage/elsewhere", lambda r: b"<Code>NotFound</Code>" in r.content),
        ("/nothing-here", lambda r: r.json()["error"] == "not_found"),
        ("/talkdesk/attachments/2023-03/", lambda r: r.json()["code"] == "0000404"),  # no slash redirect
    ],
)
def test_unknown_paths_are_404_in_the_prefix_shape(
    http: httpx.Client, mock: MockServer, path: str, check: object
) -> None:
    response = http.get(mock.url + path)
    assert response.status_code == 404
    assert check(response)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/talkdesk" + ATTACHMENTS + "/x", {"GET", "HEAD"}),
        ("GET", "/talkdesk" + CONVERSATIONS, {"POST"}),
        ("GET", "/talkdesk/oauth/token", {"POST"}),
        ("POST", "/storage/uploads/x", {"PUT"}),
    ],
)
def test_wrong_methods_are_405_with_allow(
    http: httpx.Client, mock: MockServer, method: str, path: str, allow: set[str]
) -> None:
    response = http.request(method, mock.url + path)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allow


def test_the_specs_are_served(http: httpx.Client, mock: MockServer) -> None:
    for name, document in mock.app.contract.documents.items():
        response = http.get(f"{mock.url}/specs/{name}.yaml")
        assert (response.status_code, response.content) == (200, document.raw)
    assert http.get(mock.url + "/specs/nope.yaml").status_code == 404
    index = http.get(mock.url + "/").json()
    assert index["token_url"] == mock.token_url and index["webex_base_url"] == mock.webex_base_url


PATHS = [
    "/",
    "/talkdesk/oauth/token",
    "/talkdesk" + ATTACHMENTS,
    "/talkdesk" + ATTACHMENTS + "/upload-link",
    "/talkdesk" + ATTACHMENTS + "/{}",
    "/talkdesk" + ATTACHMENTS + "/{}/download-link",
    "/talkdesk" + CONVERSATIONS,
    "/talkdesk" + CONVERSATIONS + "/{}/messages",
    "/webex/v1" + ACTIONS,
    "/webex/v1" + ACTIONS + "/{}",
    "/storage/uploads/{}",
    "/storage/downloads/{}",
    "/specs/{}",
    "/{}",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "touchpoint_id": json_values,
            "content": json_values,
            "attachments": st.lists(st.fixed_dictionaries({"id": st.text(max_size=5)}), max_size=3),
            "name": st.text(max_size=10),
            "request_id": st.text(max_size=10),
            "type": st.sampled_from(["submit", "x"]),
            "messageId": st.text(max_size=10),
            "inputs": json_values,
            "allowed_mime_types": json_values,
        },
    ).map(lambda v: json.dumps(v).encode()),
)
header_values = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=300)  # h11: no edge spaces


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    path=st.sampled_from(PATHS),
    segment=st.text(max_size=30),
    authorization=st.sampled_from(["td", "wx", "none", "garbage"]),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "", "*/*"]),
    body=bodies,
    idempotency_key=st.none() | header_values,
)
def test_no_input_gets_a_500(
    http: httpx.Client,
    mock: MockServer,
    td: dict[str, str],
    method: str,
    path: str,
    segment: str,
    authorization: str,
    content_type: str,
    body: bytes,
    idempotency_key: str | None,
) -> None:
    headers = {
        "td": td,
        "wx": {"Authorization": f"Bearer {mock.webex_token}"},
        "none": {},
        "garbage": {"Authorization": "Bearer ### x"},
    }[authorization]
    headers = {**headers, **({"Content-Type": content_type} if content_type else {})}
    if idempotency_key is not None:
        headers["x-idempotency-key"] = idempotency_key
    url = mock.url + path.replace("{}", quote(segment, safe=""))
    response = http.request(method, url, content=body if method not in ("GET", "HEAD") else None, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text)


def test_the_server_keeps_serving_after_bad_input(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    http.post(
        mock.talkdesk_base_url + CONVERSATIONS,
        content=b"\x00" * 1000,
        headers={**td, "Content-Type": "application/json"},
    )
    http.request("BREW", mock.url + "/")
    assert http.post(mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": "t"}, headers=td).status_code == 201
    assert mock.internal_errors == []


@pytest.mark.parametrize("identifier", ["a?b", "a#b", "%3F", "x y", "\u00e9\U0001d37e", "{id}"])
def test_odd_path_parameters_are_matched_not_refused(
    http: httpx.Client, mock: MockServer, td: dict[str, str], wx: dict[str, str], identifier: str
) -> None:
    segment = quote(identifier, safe="")
    sent = http.post(messages_url(mock, segment), json={"content": "x"}, headers=td)
    assert sent.status_code == 404  # a valid id that names nothing, not a 400
    assert http.get(f"{mock.webex_base_url}{ACTIONS}/{segment}", headers=wx).status_code == 404


def test_a_huge_declared_body_is_refused_at_once(mock: MockServer, td: dict[str, str]) -> None:
    # The client declares ~1 GB and sends 2 bytes: the 413 must not wait for the rest.
    host, port = mock.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(
            f"POST /talkdesk{CONVERSATIONS} HTTP/1.1\r\nHost: mock\r\nAuthorization: {td['Authorization']}\r\n"
            "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{}".encode()
        )
        received = b""
        while chunk := raw.recv(65536):  # ends when the server closes the connection
            received += chunk
    assert received.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in received.lower()
