"""Webex messages on the mock: rooms and direct rooms, cards kept, the documented limits as 400s in Webex's shape,
get and delete."""

from __future__ import annotations

import base64

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import bearer, webex_descriptions
from tests._support.servers import strict_mock
from tests.mock.webex_steps import CARD, MESSAGES, post_file, post_message


def kind(webex_id: str) -> str:
    """The resource kind inside a Webex id (``ciscospark://us/KIND/...``)."""
    return base64.urlsafe_b64decode(webex_id + "==").decode().split("/")[3]


def test_a_card_message_in_a_named_room(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    body = post_message(
        http, mock, wx, roomId="any-room", markdown="**Fill** it in", text="Fill it in", attachments=[CARD]
    )
    assert kind(body["id"]) == "MESSAGE"
    assert (body["roomId"], body["roomType"]) == ("any-room", "group")
    assert (body["markdown"], body["text"]) == ("**Fill** it in", "Fill it in")
    assert body["attachments"] == [CARD]
    assert kind(body["personId"]) == "PEOPLE" and body["personEmail"] and len(body["created"]) == 24
    assert "files" not in body
    stored = mock.state.webex_messages[body["id"]]
    assert stored.attachments == (CARD,) and stored.room_id == "any-room"


def test_direct_rooms_are_stable_by_email_and_by_id(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    first = post_message(http, mock, wx, toPersonEmail="ada@example.com", text="one")
    second = post_message(http, mock, wx, toPersonEmail="ada@example.com", text="two")
    other = post_message(http, mock, wx, toPersonEmail="bob@example.com", text="three")
    assert first["roomType"] == "direct" and kind(first["roomId"]) == "ROOM"
    assert first["roomId"] == second["roomId"] != other["roomId"]
    assert first["toPersonEmail"] == "ada@example.com"
    by_id = post_message(http, mock, wx, toPersonId="person-42", text="four")
    again = post_message(http, mock, wx, toPersonId="person-42", text="five")
    assert by_id["roomId"] == again["roomId"] and by_id["toPersonId"] == "person-42"


def test_get_and_delete(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    created = post_message(http, mock, wx, roomId="r-get", text="hello", attachments=[CARD])
    url = f"{mock.webex_base_url}{MESSAGES}/{created['id']}"
    fetched = http.get(url, headers=wx)
    assert (fetched.status_code, fetched.json()) == (200, created)
    assert fetched.headers["trackingid"]
    assert http.delete(url, headers=wx).status_code == 204
    assert created["id"] not in mock.state.webex_messages
    for method in ("GET", "DELETE"):
        missing = http.request(method, url, headers=wx)
        assert missing.status_code == 404
        assert missing.json()["trackingId"] == missing.headers["trackingid"]


def test_a_reply_in_its_parents_room(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    parent = post_message(http, mock, wx, roomId="r-thread", text="parent")
    reply = post_message(http, mock, wx, roomId="r-thread", text="reply", parentId=parent["id"])
    assert reply["parentId"] == parent["id"]


TOO_LONG = "x" * 7440
# 2,480 three-byte characters: 7,440 bytes, though only 2,480 characters.
TOO_MANY_BYTES = "€" * 2480


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "no room"}, "roomId"),
        ({"roomId": "r", "toPersonEmail": "ada@example.com", "text": "two"}, "toPersonEmail"),
        ({"roomId": "", "text": "empty room"}, "roomId"),
        ({"roomId": "r"}, "text"),
        ({"roomId": "r", "text": TOO_LONG}, "text"),
        ({"roomId": "r", "markdown": TOO_MANY_BYTES}, "markdown"),
        ({"roomId": "r", "text": "two cards", "attachments": [CARD, CARD]}, "attachments"),
        ({"roomId": "r", "files": ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]}, "files"),
        (
            {"roomId": "r", "text": "bad card", "attachments": [{"contentType": "text/plain", "content": {}}]},
            "attachments",
        ),
        ({"roomId": "r", "text": "orphan", "parentId": "no-such-message"}, "parentId"),
    ],
)
def test_400_in_webex_shape_names_the_field(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], body: dict[str, object], field: str
) -> None:
    response = http.post(mock.webex_base_url + MESSAGES, json=body, headers=wx)
    assert response.status_code == 400, response.text
    assert any(d.startswith(field) for d in webex_descriptions(response)), response.json()
    assert response.json()["trackingId"] == response.headers["trackingid"]


def test_text_at_the_limit_is_accepted(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    body = post_message(http, mock, wx, roomId="r-limit", text="x" * 7439, markdown="€" * 2479)
    assert len(body["text"]) == 7439


def test_a_reply_from_another_room_is_refused(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    parent = post_message(http, mock, wx, roomId="r-a", text="parent")
    response = http.post(
        mock.webex_base_url + MESSAGES, json={"roomId": "r-b", "text": "x", "parentId": parent["id"]}, headers=wx
    )
    assert response.status_code == 400
    assert webex_descriptions(response) == ["parentId: the parent message is in another room"]


def test_multipart_rules(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    url = mock.webex_base_url + MESSAGES
    two_files = [("files", ("a.txt", b"a", "text/plain")), ("files", ("b.txt", b"b", "text/plain"))]
    response = http.post(url, data={"roomId": "r"}, files=two_files, headers=wx)
    assert response.status_code == 400
    assert webex_descriptions(response) == ["files: only one file is allowed per message"]
    with_card = http.post(
        url, data={"roomId": "r", "attachments": "[]"}, files={"files": ("a.txt", b"a", "text/plain")}, headers=wx
    )
    assert with_card.status_code == 400
    assert webex_descriptions(with_card)[0].startswith("attachments:")
    too_long = http.post(
        url, data={"roomId": "r", "text": TOO_LONG}, files={"files": ("a.txt", b"a", "text/plain")}, headers=wx
    )
    assert too_long.status_code == 400
    assert webex_descriptions(too_long) == ["text: is longer than 7439 bytes"]


def test_a_file_message_with_a_caption(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    body = post_file(http, mock, wx, b"caption test", text="see attached", toPersonEmail="ada@example.com")
    assert (body["text"], body["roomType"]) == ("see attached", "direct")
    assert len(body["files"]) == 1


def test_unauthorized_without_the_token(http: httpx.Client, mock: MockServer) -> None:
    before = mock.state.counts("create_message").processed
    response = http.post(mock.webex_base_url + MESSAGES, json={"roomId": "r", "text": "x"})
    assert response.status_code == 401
    assert response.json()["trackingId"] == response.headers["trackingid"]
    assert mock.state.counts("create_message").processed == before


MULTIPART = "multipart/form-data; boundary=zz"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"garbage", MULTIPART),
        (b"--zz\r\n\r\n--zz--", MULTIPART),
        (b"--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zz--\r\n", MULTIPART),
        (b'--zz\r\nContent-Disposition: form-data; name="roomId"\r\n\r\n\xff\xfe\r\n--zz--\r\n', MULTIPART),
        (
            b'--zz\r\nContent-Disposition: form-data; name="roomId"\r\nContent-Type: multipart/mixed; boundary=yy\r\n'
            b"\r\n--yy\r\n\r\nnested\r\n--yy--\r\n--zz--\r\n",
            MULTIPART,
        ),
        (b'--zz\r\nContent-Disposition: form-data; name="roomId"\r\n\r\nr\r\n--zz--\r\n', "multipart/form-data"),
        (
            b'--zz\r\nContent-Disposition: form-data; name="roomId"\r\n\r\nr\r\n--zz--\r\n',
            "multipart/form-data; boundary=",
        ),
    ],
)
def test_a_malformed_multipart_body_is_400(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], body: bytes, content_type: str
) -> None:
    response = http.post(mock.webex_base_url + MESSAGES, content=body, headers={**wx, "Content-Type": content_type})
    assert response.status_code == 400, response.text
    assert response.json()["trackingId"] == response.headers["trackingid"]


def test_an_empty_file_is_400(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    files = {"files": ("empty.txt", b"", "text/plain")}
    response = http.post(mock.webex_base_url + MESSAGES, data={"roomId": "r"}, files=files, headers=wx)
    assert response.status_code == 400
    assert webex_descriptions(response) == ["files: the file is empty"]


def test_a_multipart_body_may_exceed_the_api_body_limit(http: httpx.Client) -> None:
    with strict_mock(max_body_bytes=1024, max_upload_bytes=4096) as mock:
        wx = bearer(mock.webex_token)
        body = post_file(http, mock, wx, b"x" * 2048)  # over the API body limit, within the upload limit
        assert len(body["files"]) == 1
        too_big = http.post(
            mock.webex_base_url + MESSAGES,
            data={"roomId": "r"},
            files={"files": ("big.bin", b"x" * 5000, "application/octet-stream")},
            headers=wx,
        )
        assert too_big.status_code == 413
        assert too_big.json()["trackingId"] == too_big.headers["trackingid"]
        as_json = http.post(mock.webex_base_url + MESSAGES, json={"roomId": "r", "text": "x" * 2000}, headers=wx)
        assert as_json.status_code == 413
