"""upload: path, bytes, file objects (seekable or not), progress, retried PUTs; download: path and file object."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from attachkit import errors
from tests.client.fakes import FakeAPI, async_talkdesk, talkdesk

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB


class Storage:
    """A fake API with a pre-signed store behind it."""

    def __init__(self) -> None:
        self.api = FakeAPI()
        self.blobs: dict[str, bytes] = {}
        self.put_headers: list[httpx.Headers] = []
        self.fail_next_put = False
        self.api.script(
            "/upload-link",
            lambda r: httpx.Response(200, json={"request_id": "req-1", "url": "http://127.0.0.1/store/req-1?sig=s"}),
        )
        self.api.script("/store/req-1", self._put)
        self.api.script("/attachments/2023-03", self._create)
        self.api.script(
            "/download-link",
            lambda r: httpx.Response(200, json={"url": "http://127.0.0.1/blob/req-1?sig=d", "expire_time": 600}),
        )
        self.api.script("/blob/req-1", lambda r: httpx.Response(200, content=self.blobs["req-1"]))

    def _put(self, request: httpx.Request) -> httpx.Response:
        if self.fail_next_put:
            self.fail_next_put = False
            return httpx.Response(503)
        assert "Authorization" not in request.headers, "pre-signed URLs get no credentials"
        self.put_headers.append(request.headers)
        self.blobs["req-1"] = request.content
        return httpx.Response(200)

    def _create(self, request: httpx.Request) -> httpx.Response:
        body: dict[str, Any] = json.loads(request.content)
        data = self.blobs[body["request_id"]]
        return httpx.Response(200, json={"id": "att-1", "name": body["name"], "state": "published", "size": len(data)})


@pytest.mark.parametrize("kind", ["path", "bytes", "file", "unseekable"])
def test_upload_sources(kind: str, tmp_path: Path) -> None:
    store = Storage()
    path = tmp_path / "song.mp3"
    path.write_bytes(PAYLOAD)
    progress: list[tuple[int, int | None]] = []
    source: Any = {
        "path": path,
        "bytes": PAYLOAD,
        "file": path.open("rb"),
        "unseekable": io.BufferedReader(_Unseekable(PAYLOAD)),  # type: ignore[arg-type]
    }[kind]
    with talkdesk(store.api) as td:
        attachment = td.attachments.upload(
            source, name=None if kind in {"path", "file"} else "song.mp3", progress=lambda d, t: progress.append((d, t))
        )
    assert attachment.name == "song.mp3"
    assert store.blobs["req-1"] == PAYLOAD
    assert store.put_headers[0]["Content-Length"] == str(len(PAYLOAD))
    assert store.put_headers[0]["Content-Type"] == "audio/mpeg"
    assert progress[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert len(progress) == len(PAYLOAD) // (256 * 1024)


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        return self._data.readinto(b)


def test_a_refused_put_is_resent_whole() -> None:
    store = Storage()
    store.fail_next_put = True
    with talkdesk(store.api) as td:
        td.attachments.upload(PAYLOAD, name="a.bin")
    assert store.api.count("/store/req-1") == 2
    assert store.blobs["req-1"] == PAYLOAD


@pytest.mark.parametrize(
    ("source", "field"),
    [(12, "file"), (io.StringIO("text"), "file"), (b"bytes without a name", "name"), ("/no/such/file", "file")],
)
def test_bad_upload_sources_send_nothing(source: Any, field: str) -> None:
    store = Storage()
    with talkdesk(store.api) as td, pytest.raises(errors.ValidationError) as caught:
        td.attachments.upload(source)
    assert caught.value.field == field
    assert store.api.requests == []


def test_download_to_path_and_file(tmp_path: Path) -> None:
    store = Storage()
    store.blobs["req-1"] = PAYLOAD
    target = tmp_path / "out.bin"
    buffer = io.BytesIO()
    with talkdesk(store.api) as td:
        assert td.attachments.download("att-1", target) == len(PAYLOAD)
        assert td.attachments.download("att-1", buffer) == len(PAYLOAD)
    assert target.read_bytes() == PAYLOAD == buffer.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_failed_download_leaves_no_file(tmp_path: Path) -> None:
    store = Storage()
    store.api.script("/blob/req-1", httpx.Response(403, text="<Error><Code>AccessDenied</Code></Error>"))
    target = tmp_path / "out.bin"
    with talkdesk(store.api) as td, pytest.raises(errors.PermissionDeniedError) as caught:
        td.attachments.download("att-1", target)
    assert caught.value.vendor == "storage"
    assert "sig=" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


async def test_async_upload_and_download(tmp_path: Path) -> None:
    store = Storage()
    async with async_talkdesk(store.api) as td:
        attachment = await td.attachments.upload(PAYLOAD, name="a.bin")
        written = await td.attachments.download(attachment.id, tmp_path / "a.bin")
    assert written == len(PAYLOAD)
    assert (tmp_path / "a.bin").read_bytes() == PAYLOAD


def test_download_reports_progress_and_makes_an_ordinary_file(tmp_path: Path) -> None:
    store = Storage()
    store.blobs["req-1"] = PAYLOAD
    seen: list[tuple[int, int | None]] = []
    with talkdesk(store.api) as td:
        td.attachments.download("att-1", tmp_path / "out.bin", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (tmp_path / "out.bin").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    current = os.umask(0)
    os.umask(current)
    return current
