"""Files on Webex messages and their downloads through the mock's malware scan: 423 with Retry-After while it runs
(on the mock's clock, moved with clock.advance), 410 for the EICAR test string, 428 for an encrypted zip unless
allow=unscannable, else 200 with the bytes and their headers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import bearer, webex_descriptions
from tests._support.servers import strict_mock
from tests.mock.webex_steps import EICAR, MESSAGES, encrypted_zip, plain_zip, post_file, post_message


def test_a_file_is_stored_and_answered_as_a_content_url(
    http: httpx.Client, mock: MockServer, wx: dict[str, str]
) -> None:
    data = os.urandom(3000) + b"\r\n--boundary-lookalike--\r\n"
    message = post_file(http, mock, wx, data, filename="photo.png", media_type="image/png")
    [url] = message["files"]
    assert url.startswith(mock.webex_base_url + "/contents/")
    content_id = url.rsplit("/", 1)[1]
    stored = mock.state.contents[content_id]
    assert (stored.filename, stored.content_type, stored.size, stored.verdict) == (
        "photo.png",
        "image/png",
        3026,
        "clean",
    )
    assert mock.state.webex_messages[message["id"]].files == (content_id,)
    download = http.get(url, headers=wx)
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-length"] == str(len(data))
    assert download.headers["content-disposition"] == 'attachment; filename="photo.png"'
    assert download.headers["trackingid"]


def test_a_non_ascii_file_name(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    [url] = post_file(http, mock, wx, b"cv", filename="résumé.txt")["files"]
    disposition = http.get(url, headers=wx).headers["content-disposition"]
    assert disposition == "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"


def test_scanning_423_until_the_clock_passes(http: httpx.Client) -> None:
    with strict_mock(webex_scan_seconds=30) as mock:
        wx = bearer(mock.webex_token)
        [url] = post_file(http, mock, wx, b"scan me")["files"]
        first = http.get(url, headers=wx)
        assert first.status_code == 423
        assert first.headers["retry-after"] == "30"
        assert first.json()["trackingId"] == first.headers["trackingid"]
        mock.clock.advance(20.5)
        second = http.get(url, headers=wx)
        assert (second.status_code, second.headers["retry-after"]) == (423, "10")  # whole seconds, rounded up
        mock.clock.advance(9.5)
        third = http.get(url, headers=wx)
        assert (third.status_code, third.content) == (200, b"scan me")


def test_eicar_is_410_once_scanned(http: httpx.Client) -> None:
    with strict_mock(webex_scan_seconds=5) as mock:
        wx = bearer(mock.webex_token)
        [url] = post_file(http, mock, wx, b"prefix " + EICAR + b" suffix", filename="eicar.com")["files"]
        assert http.get(url, headers=wx).status_code == 423  # the verdict waits for the scan to end
        mock.clock.advance(5)
        infected = http.get(url, headers=wx)
        assert infected.status_code == 410
        assert infected.json()["message"]
        forced = http.get(url, headers=wx, params={"allow": "unscannable"})
        assert forced.status_code == 410  # infected is not unscannable: no way to force it


@pytest.mark.parametrize("where", ["local", "central", "both"])
def test_an_encrypted_zip_is_428_unless_forced(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], where: str
) -> None:
    archive = encrypted_zip(where=where)
    [url] = post_file(http, mock, wx, archive, filename="locked.zip", media_type="application/zip")["files"]
    refused = http.get(url, headers=wx)
    assert refused.status_code == 428
    assert "allow=unscannable" in webex_descriptions(refused)[0]
    forced = http.get(url, headers=wx, params={"allow": "unscannable"})
    assert (forced.status_code, forced.content) == (200, archive)
    assert forced.headers["content-disposition"] == 'attachment; filename="locked.zip"'


def test_a_plain_zip_downloads(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    archive = plain_zip()
    [url] = post_file(http, mock, wx, archive, filename="notes.zip", media_type="application/zip")["files"]
    assert http.get(url, headers=wx).content == archive


def test_allow_takes_only_unscannable(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    [url] = post_file(http, mock, wx, b"x")["files"]
    response = http.get(url, headers=wx, params={"allow": "everything"})
    assert response.status_code == 400
    assert webex_descriptions(response)[0].startswith("allow")


def test_unknown_content_and_no_token(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    assert http.get(mock.webex_base_url + "/contents/nope", headers=wx).status_code == 404
    [url] = post_file(http, mock, wx, b"x")["files"]
    assert http.get(url).status_code == 401


def test_deleting_the_message_deletes_its_file(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    message = post_file(http, mock, wx, b"short-lived")
    [url] = message["files"]
    content_id = url.rsplit("/", 1)[1]
    path = mock.state.contents[content_id].path
    assert http.delete(f"{mock.webex_base_url}{MESSAGES}/{message['id']}", headers=wx).status_code == 204
    assert http.get(url, headers=wx).status_code == 404
    assert not path.exists()


# A file given by URL in a JSON body ---------------------------------------------------------------------------


@pytest.fixture
def file_server() -> Iterator[str]:
    """A loopback server answering GET /files/report.csv with a CSV, and 404 for anything else."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/files/report.csv":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"a,b\n1,2\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_loopback_file_url_is_fetched(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], file_server: str
) -> None:
    message = post_message(http, mock, wx, roomId="r-url", files=[file_server + "/files/report.csv"])
    [url] = message["files"]
    download = http.get(url, headers=wx)
    assert download.content == b"a,b\n1,2\n"
    assert download.headers["content-disposition"] == 'attachment; filename="report.csv"'
    assert download.headers["content-type"].startswith("text/csv")


def test_a_content_url_of_the_mock_is_copied(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    [original] = post_file(http, mock, wx, b"forward me", filename="fwd.txt")["files"]
    [copy] = post_message(http, mock, wx, roomId="r-forward", files=[original])["files"]
    assert copy != original
    assert http.get(copy, headers=wx).content == b"forward me"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://example.com/media.png", "loopback"),
        ("ftp://127.0.0.1/file", "loopback"),
        ("{server}/files/missing", "answered 404"),
        ("http://127.0.0.1:1/nothing-listens", "could not fetch"),
    ],
)
def test_a_file_url_the_mock_cannot_use_is_400(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], file_server: str, url: str, says: str
) -> None:
    body = {"roomId": "r", "files": [url.format(server=file_server)]}
    response = http.post(mock.webex_base_url + MESSAGES, json=body, headers=wx)
    assert response.status_code == 400
    [description] = webex_descriptions(response)
    assert description.startswith("files:") and says in description
