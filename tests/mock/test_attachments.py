"""Talkdesk Attachments: upload links, the storage PUT, create, get, download links and downloads."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from attachkit.testing import MockServer, RequestRecord, create_app
from tests._support.plain_http import ATTACHMENTS, attachment, bearer, field_names, token, unique, upload, upload_link
from tests._support.servers import strict_mock
from tests._support.waiting import eventually


def test_upload_link_points_at_the_mock(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    body = upload_link(http, mock, td)
    assert body["url"].startswith(mock.url + "/storage/uploads/")
    assert body["request_id"] in mock.state.uploads
    assert mock.state.uploads[body["request_id"]].state == "pending"


def test_upload_link_body_is_optional(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    response = http.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", headers=td)
    assert response.status_code == 200


def test_full_flow(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    data = b"%PDF-1.7 not really\n" * 100
    request_id = upload(http, mock, td, data)
    stored = mock.state.uploads[request_id]
    assert stored.state == "uploaded" and stored.size == len(data)
    assert stored.path is not None and stored.path.read_bytes() == data
    name = unique("invoice") + ".pdf"
    created = http.post(
        mock.talkdesk_base_url + ATTACHMENTS,
        json={"name": name, "request_id": request_id, "metadata": {"flow_id": "F1", "size": 3}},
        headers=td,
    )
    assert created.status_code == 200
    body = created.json()
    assert body["name"] == name
    assert body["state"] == "published"
    assert body["size"] == len(data)  # from the uploaded bytes, not from the metadata
    assert body["type"] == "text/plain"
    assert body["metadata"] == {"flow_id": "F1", "size": 3}
    assert body["_links"]["self"]["href"] == f"{mock.talkdesk_base_url}{ATTACHMENTS}/{body['id']}"
    assert mock.state.attachments[body["id"]].name == name

    fetched = http.get(body["_links"]["self"]["href"], headers=td)
    assert (fetched.status_code, fetched.json()) == (200, body)

    download_link = http.get(body["_links"]["download_link"]["href"], headers=td)
    assert download_link.status_code == 200
    assert download_link.json()["expire_time"] == 600
    assert download_link.json()["url"].startswith(mock.url + "/storage/downloads/")
    downloaded = http.get(download_link.json()["url"])
    assert downloaded.status_code == 200
    assert downloaded.content == data
    assert downloaded.headers["content-type"].startswith("text/plain")


def test_download_streams_a_large_file(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    data = bytes(range(256)) * 8192  # 2 MiB
    body = attachment(http, mock, td, data)
    url = http.get(body["_links"]["download_link"]["href"], headers=td).json()["url"]
    digest = hashlib.sha256()
    chunks = 0
    with http.stream("GET", url) as response:
        for chunk in response.iter_bytes():
            digest.update(chunk)
            chunks += 1
    assert digest.digest() == hashlib.sha256(data).digest()
    assert chunks > 1


def test_download_link_expires(http: httpx.Client) -> None:
    with strict_mock(download_expire_time=120) as mock:
        headers = bearer(token(http, mock))
        body = attachment(http, mock, headers, b"abc")
        reply = http.get(body["_links"]["download_link"]["href"], headers=headers).json()
        assert reply["expire_time"] == 120
        assert http.get(reply["url"]).content == b"abc"
        mock.clock.advance(119)
        assert http.get(reply["url"]).status_code == 200
        mock.clock.advance(1)
        expired = http.get(reply["url"])
        assert expired.status_code == 403
        assert b"expired" in expired.content
        # A new link works again.
        fresh = http.get(body["_links"]["download_link"]["href"], headers=headers).json()["url"]
        assert http.get(fresh).content == b"abc"


def test_unknown_download_link(http: httpx.Client, mock: MockServer) -> None:
    response = http.get(mock.url + "/storage/downloads/nope")
    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.content


def test_upload_refuses_unknown_and_reused_links(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    assert http.put(mock.url + "/storage/uploads/unknown", content=b"x").status_code == 403
    url = upload_link(http, mock, td)["url"]
    assert http.put(url, content=b"first").status_code == 200
    reused = http.put(url, content=b"second")
    assert reused.status_code == 403
    assert b"already been used" in reused.content
    assert mock.state.counts("upload").statuses[403] >= 2


def test_upload_requires_content_length(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    body = upload_link(http, mock, td)

    def chunks() -> Iterator[bytes]:
        yield b"chunked "
        yield b"body"

    response = http.put(body["url"], content=chunks())  # chunked: no Content-Length
    assert response.status_code == 411
    assert b"MissingContentLength" in response.content
    assert mock.state.uploads[body["request_id"]].state == "pending"  # the link is still usable
    assert http.put(body["url"], content=b"now with a length").status_code == 200


def test_upload_with_a_short_body_is_not_stored(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    body = upload_link(http, mock, td)
    path = urlsplit(body["url"]).path
    host, port = urlsplit(mock.url).hostname, urlsplit(mock.url).port

    def uploads() -> list[RequestRecord]:
        return [r for r in mock.state.history if r.operation == "upload"]

    before = len(uploads())
    with socket.create_connection((host, port)) as raw:
        raw.sendall(f"PUT {path} HTTP/1.1\r\nHost: mock\r\nContent-Length: 100\r\n\r\nonly ten b".encode())
        raw.shutdown(socket.SHUT_WR)  # the client gives up before the declared length
        while raw.recv(4096):
            pass
    # Depending on timing the server sees the hang-up as a disconnect, or first as a body shorter than declared,
    # which it answers with 400. Either way the link is released and nothing is stored.
    eventually(lambda: len(uploads()) > before)
    record = uploads()[before]
    assert record.outcome == "client-disconnected" or record.status == 400, record
    assert mock.state.uploads[body["request_id"]].state == "pending"
    assert mock.state.uploads[body["request_id"]].size is None
    assert http.put(body["url"], content=b"complete").status_code == 200


async def test_upload_content_length_mismatch_is_400_in_process() -> None:
    # Over TCP a body cannot be shorter than its Content-Length without the client hanging up; in process it can.
    with create_app(validate_responses=True) as app:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as c:
            token = (
                await c.post(
                    "/talkdesk/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(app.config.client_id, app.config.client_secret),
                )
            ).json()["access_token"]
            reply = (
                await c.post(
                    ATTACHMENTS.join(["/talkdesk", "/upload-link"]), headers={"Authorization": f"Bearer {token}"}
                )
            ).json()
            short = c.build_request("PUT", reply["url"], content=b"abc", headers={"Content-Length": "10"})
            response = await c.send(short)
            assert response.status_code == 400
            assert b"IncompleteBody" in response.content
            assert app.state.uploads[reply["request_id"]].state == "pending"
            assert (await c.put(reply["url"], content=b"abc")).status_code == 200
        assert app.response_violations == []


def test_upload_size_limit(http: httpx.Client) -> None:
    with strict_mock(max_upload_bytes=1024) as mock:
        body = upload_link(http, mock, bearer(token(http, mock)))
        too_big = http.put(body["url"], content=b"x" * 4096)
        assert too_big.status_code == 413
        assert b"EntityTooLarge" in too_big.content
        assert http.put(body["url"], content=b"x" * 1024).status_code == 200


def test_allowed_mime_types_are_recorded_and_enforced_on_request(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    body = upload_link(http, mock, td, allowed_mime_types=["audio/mp3", "audio/wav"])
    assert mock.state.uploads[body["request_id"]].allowed_mime_types == ("audio/mp3", "audio/wav")
    assert http.put(body["url"], content=b"x", headers={"Content-Type": "image/png"}).status_code == 200  # default
    with strict_mock(enforce_mime_types=True) as strict:
        headers = bearer(token(http, strict))
        url = upload_link(http, strict, headers, allowed_mime_types=["audio/mp3", "audio/wav"])["url"]
        refused = http.put(url, content=b"x", headers={"Content-Type": "image/png"})
        assert refused.status_code == 403
        assert b"not allowed for this link" in refused.content
        assert http.put(url, content=b"x", headers={"Content-Type": "audio/wav"}).status_code == 200


def test_create_refuses_an_unknown_request_id(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    response = http.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": unique(), "request_id": "nope"}, headers=td
    )
    assert response.status_code == 400
    assert field_names(response) == ["request_id"]


def test_create_refuses_a_link_with_nothing_uploaded(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    request_id = upload_link(http, mock, td)["request_id"]
    response = http.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": unique(), "request_id": request_id}, headers=td
    )
    assert response.status_code == 400
    assert field_names(response) == ["request_id"]
    assert "nothing was uploaded" in response.json()["fields"][0]["description"]


def test_create_409_when_the_name_is_taken(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    first = attachment(http, mock, td)
    request_id = upload(http, mock, td, b"other")
    response = http.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": first["name"], "request_id": request_id}, headers=td
    )
    assert response.status_code == 409
    assert response.json()["description"] == "Already has an attachment with this name"
    assert [a.name for a in mock.state.attachments.values()].count(first["name"]) == 1


def test_create_refuses_a_request_id_used_twice(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    request_id = upload(http, mock, td, b"once")
    url = mock.talkdesk_base_url + ATTACHMENTS
    assert http.post(url, json={"name": unique(), "request_id": request_id}, headers=td).status_code == 200
    again = http.post(url, json={"name": unique(), "request_id": request_id}, headers=td)
    assert (again.status_code, field_names(again)) == (400, ["request_id"])


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": 5, "request_id": "r"}, ["name"]),
        ({"name": "n", "request_id": 7}, ["request_id"]),
        ({"name": "n", "request_id": ""}, ["request_id"]),  # minLength 1: the empty string names no upload link
        ({"name": "n", "request_id": "r", "metadata": []}, ["metadata"]),
        ([], ["body"]),
    ],
)
def test_create_validation_names_the_field(
    http: httpx.Client, mock: MockServer, td: dict[str, str], body: object, fields: list[str]
) -> None:
    response = http.post(mock.talkdesk_base_url + ATTACHMENTS, json=body, headers=td)
    assert response.status_code == 400
    assert field_names(response) == fields


@pytest.mark.parametrize(
    ("body", "field"),
    [({"request_id": "r"}, "name"), ({"name": "n"}, "request_id"), ({}, "request_id")],
)
def test_create_without_what_the_mock_needs_is_400_naming_it(
    http: httpx.Client, mock: MockServer, td: dict[str, str], body: dict[str, str], field: str
) -> None:
    # The spec requires neither field, but the mock finds the upload by its request_id and stores the attachment
    # under its name: without one it answers the page's 400, in Talkdesk's shape, and stores nothing.
    if "request_id" in body:
        body = {**body, "request_id": upload(http, mock, td)}
    before = len(mock.state.attachments)
    response = http.post(mock.talkdesk_base_url + ATTACHMENTS, json=body, headers=td)
    assert (response.status_code, field_names(response)) == (400, [field])
    assert len(mock.state.attachments) == before


@pytest.mark.parametrize("name", ["", "n" * 256, "ü" * 1000])
def test_create_stores_a_name_of_any_length(http: httpx.Client, name: str) -> None:
    # No source bounds a name; its own mock, because names are unique and "" can be taken once.
    with strict_mock() as mock:
        headers = bearer(token(http, mock))
        request_id = upload(http, mock, headers)
        response = http.post(
            mock.talkdesk_base_url + ATTACHMENTS, json={"name": name, "request_id": request_id}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["name"] == name
        assert mock.state.attachments[response.json()["id"]].name == name


def test_get_and_download_link_404(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    for path in ("/unknown", "/unknown/download-link"):
        response = http.get(mock.talkdesk_base_url + ATTACHMENTS + path, headers=td)
        assert response.status_code == 404
        assert response.json()["message"] == "Attachment not found"


@pytest.mark.parametrize("path", ["", "/download-link"])
def test_an_attachment_id_of_any_length_is_looked_up(
    http: httpx.Client, mock: MockServer, td: dict[str, str], path: str
) -> None:
    # No source bounds an attachment id: a long one is not refused as malformed, it is simply not found.
    response = http.get(mock.talkdesk_base_url + ATTACHMENTS + "/" + "a" * 256 + path, headers=td)
    assert response.status_code == 404
    assert response.json()["message"] == "Attachment not found"


def test_head_answers_like_get_without_a_body(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    body = attachment(http, mock, td)
    response = http.head(body["_links"]["self"]["href"], headers=td)
    assert (response.status_code, response.content) == (200, b"")
