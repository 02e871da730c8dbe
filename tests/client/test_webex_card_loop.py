"""The Webex card loop through the public clients, sync and async, over a real `MockServer` on loopback:
`messages` (a card, a file as a path, bytes, a file object mid-way or a stream; the limits refused before sending),
`contents.download` (atomic, through the malware scan on a clock that moves the mock's, 410 and 428 explained,
`allow_unscannable`, only this client's API), `webhooks` (CRUD, every `Link` page, `ensure`, a `Link` that leaves the
API), `with_raw_response` of each new method, and a delivery of the mock that `verify_webhook` accepts.

Each test body is written once, as a coroutine; `done()` awaits what the async face returns (see
`test_client_surface`). No test sleeps: the client's clock is a fake whose waits advance the mock's clock.
"""

from __future__ import annotations

import asyncio
import io
import math
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from attachkit import AsyncWebexClient, FakeClock, RawResponse, WebexClient, errors
from attachkit.testing import MockServer
from attachkit.webex import verify_webhook
from attachkit.webex._messages import FILE_LIMIT, TEXT_LIMIT
from tests._support.plain_http import unique
from tests._support.servers import strict_mock
from tests.client.test_client_surface import Face, done
from tests.mock.receiver import Receiver
from tests.mock.webex_steps import EICAR, encrypted_zip

CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.3",
    "body": [{"type": "Input.Text", "id": "Name", "label": "Name"}, {"type": "TextBlock", "text": "Grüße ✓"}],
    "actions": [{"type": "Action.Submit", "title": "Submit"}],
}
DATA = bytes(range(256)) * 40  # 10 KiB, every byte value
HOOK = "http://127.0.0.1:9/hook"  # a loopback target nothing listens on (these tests create no event for it)


class LoopFace(Face):
    """A face that also builds clients over a caller's `httpx` transport (no mock involved)."""

    def webex_over(self, handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> Any:
        transport = httpx.MockTransport(handler)
        if self.name == "sync":
            http: Any = httpx.Client(transport=transport)
            return self._keep(WebexClient(access_token="wx-token", http_client=http, clock=FakeClock(), **options))
        http = httpx.AsyncClient(transport=transport)
        return self._keep(AsyncWebexClient(access_token="wx-token", http_client=http, clock=FakeClock(), **options))


@pytest.fixture(params=["sync", "async"])
async def face(request: pytest.FixtureRequest) -> AsyncIterator[LoopFace]:
    made = LoopFace(request.param)
    try:
        yield made
    finally:
        await made.close_all()


class MockClock(FakeClock):
    """A fake clock whose waits (and advances) move the mock's clock as much: a scan ends while the client waits."""

    def __init__(self, mock: MockServer) -> None:
        super().__init__()
        self._mock = mock

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        self._mock.clock.advance(seconds)


def sent(mock: MockServer) -> int:
    """Every request the mock has received."""
    return sum(mock.state.requests.values())


def statuses(mock: MockServer, operation: str) -> list[int | None]:
    return [r.status for r in mock.state.history if r.operation == operation]


def content_of(mock: MockServer, url: str) -> bytes:
    """What the mock stored for a content URL (read from its state, not through the client under test)."""
    return mock.state.contents[url.rsplit("/", 1)[1]].path.read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class Unseekable(io.RawIOBase):
    """A binary stream that cannot seek (a pipe, a socket): it hands out its bytes in small reads."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._at : self._at + 777]
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


# 1. messages.create -------------------------------------------------------------------------------------------


async def test_a_card_round_trips(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    room = unique("room")
    message = await done(wx.messages.create(room_id=room, text="Fill in the card", card=CARD))
    assert message.room_id == room and message.text == "Fill in the card"
    [attachment] = message.attachments
    assert (attachment.content_type, attachment.content) == ("application/vnd.microsoft.card.adaptive", CARD)
    stored = mock.state.webex_messages[message.id]
    assert stored.attachments == ({"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD},)

    fetched = await done(wx.messages.get(message.id))
    assert fetched.to_dict() == message.to_dict()
    await done(wx.messages.delete(message.id))
    with pytest.raises(errors.NotFoundError):
        await done(wx.messages.get(message.id))


async def test_a_message_to_a_person_and_a_reply(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    first = await done(wx.messages.create(to_person_email="ada@example.com", markdown="**hello**"))
    assert first.room_type == "direct" and first.markdown == "**hello**"
    reply = await done(wx.messages.create(room_id=first.room_id, parent_id=first.id, text="a reply"))
    assert reply.parent_id == first.id


async def test_text_of_exactly_7439_bytes_is_sent(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    text = "é" * ((TEXT_LIMIT - 1) // 2) + "a"
    assert len(text.encode()) == TEXT_LIMIT
    message = await done(wx.messages.create(room_id=unique("room"), text=text, markdown=text))
    assert message.text == text and message.markdown == text


async def test_a_file_as_a_path(face: LoopFace, mock: MockServer, tmp_path: Path) -> None:
    wx = face.webex(mock)
    path = tmp_path / "report.csv"
    path.write_bytes(DATA)
    message = await done(wx.messages.create(room_id=unique("room"), text="the report", file=path))
    [url] = message.files
    assert url.startswith(mock.webex_base_url + "/contents/")
    assert content_of(mock, url) == DATA
    stored = mock.state.contents[url.rsplit("/", 1)[1]]
    assert (stored.filename, stored.content_type) == ("report.csv", "text/csv")
    # A str path too, named otherwise.
    other = await done(wx.messages.create(room_id=unique("room"), file=str(path), file_name="renamed.bin"))
    assert mock.state.contents[other.files[0].rsplit("/", 1)[1]].filename == "renamed.bin"


async def test_a_file_as_bytes_with_its_name_and_type(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    message = await done(
        wx.messages.create(room_id=unique("room"), file=DATA, file_name="photo.png", content_type="image/png")
    )
    [url] = message.files
    assert content_of(mock, url) == DATA
    stored = mock.state.contents[url.rsplit("/", 1)[1]]
    assert (stored.filename, stored.content_type) == ("photo.png", "image/png")


async def test_a_seekable_file_object_sends_only_the_rest_even_when_retried(
    face: LoopFace, mock: MockServer, tmp_path: Path
) -> None:
    wx = face.webex(mock, clock=FakeClock())
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    mock.faults.add_spec("create_message:503:times=1")  # refused: the same body is sent again
    before = mock.state.counts("create_message").received
    with path.open("rb") as handle:
        handle.seek(1000)
        message = await done(wx.messages.create(room_id=unique("room"), file=handle))
        assert not handle.closed, "the caller's file stays the caller's"
    assert mock.state.counts("create_message").received == before + 2
    assert content_of(mock, message.files[0]) == DATA[1000:]
    assert mock.state.contents[message.files[0].rsplit("/", 1)[1]].filename == "data.bin"


async def test_a_stream_that_cannot_seek(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    stream = io.BufferedReader(Unseekable(DATA))
    message = await done(wx.messages.create(room_id=unique("room"), file=stream, file_name="piped.bin"))
    assert content_of(mock, message.files[0]) == DATA


@pytest.fixture
def huge_file(tmp_path: Path) -> Path:
    """A sparse file one byte over the limit: nothing is written to disk."""
    path = tmp_path / "huge.bin"
    with path.open("wb") as handle:
        handle.truncate(FILE_LIMIT + 1)
    return path


MULTI_BYTE = "é" * (TEXT_LIMIT // 2 + 1)  # 3720 characters, 7440 bytes
assert len(MULTI_BYTE) < TEXT_LIMIT < len(MULTI_BYTE.encode())

REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("no destination", {"text": "hi"}, "room_id"),
    ("two destinations", {"room_id": "r", "to_person_email": "a@example.com", "text": "hi"}, "to_person_email"),
    ("an empty destination", {"room_id": "", "text": "hi"}, "room_id"),
    ("no content", {"room_id": "r"}, "text"),
    ("empty content", {"room_id": "r", "text": "", "markdown": ""}, "text"),
    ("text of 7440 bytes", {"room_id": "r", "text": MULTI_BYTE}, "text"),
    ("markdown of 7440 bytes", {"room_id": "r", "text": "ok", "markdown": MULTI_BYTE}, "markdown"),
    ("a card that is a list", {"room_id": "r", "text": "hi", "card": [CARD]}, "card"),
    ("a card that is JSON text", {"room_id": "r", "text": "hi", "card": '{"type": "AdaptiveCard"}'}, "card"),
    ("a card and a file", {"room_id": "r", "card": CARD, "file": b"x", "file_name": "x.txt"}, "card"),
    ("bytes without a name", {"room_id": "r", "file": b"x"}, "file_name"),
    ("a stream without a name", {"room_id": "r", "file": io.BufferedReader(Unseekable(b"x"))}, "file_name"),
    ("a text file object", {"room_id": "r", "file": io.StringIO("x"), "file_name": "x.txt"}, "file"),
    ("a missing path", {"room_id": "r", "file": "/nonexistent/attachkit/file.txt"}, "file"),
    ("a file of another type", {"room_id": "r", "file": 42}, "file"),
    ("a room id of another type", {"room_id": 42, "text": "hi"}, "room_id"),
]


@pytest.mark.parametrize(("case", "kwargs", "field"), REFUSED, ids=[c[0] for c in REFUSED])
async def test_create_refuses_before_sending(
    face: LoopFace, mock: MockServer, case: str, kwargs: dict[str, Any], field: str
) -> None:
    wx = face.webex(mock)
    before = sent(mock)
    with pytest.raises(errors.ValidationError) as caught:
        await done(wx.messages.create(**kwargs))
    assert caught.value.field == field, caught.value
    assert sent(mock) == before, f"{case}: something was sent"


async def test_a_file_over_100_mib_is_refused_before_sending(face: LoopFace, mock: MockServer, huge_file: Path) -> None:
    wx = face.webex(mock)
    before = sent(mock)
    for source in (huge_file, huge_file.open("rb")):
        with pytest.raises(errors.ValidationError) as caught:
            await done(wx.messages.create(room_id="r", file=source, file_name="huge.bin"))
        assert caught.value.field == "file" and "100 MB" in caught.value.reason
        if not isinstance(source, Path):
            source.close()
    assert sent(mock) == before


# 2. contents.download -----------------------------------------------------------------------------------------


async def post_file(wx: Any, data: bytes, name: str = "report.bin") -> str:
    message = await done(wx.messages.create(room_id=unique("room"), file=data, file_name=name))
    [url] = message.files
    return str(url)


async def test_download_to_a_path_with_progress(face: LoopFace, mock: MockServer, tmp_path: Path) -> None:
    wx = face.webex(mock)
    url = await post_file(wx, DATA)
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "out.bin"
    written = await done(wx.contents.download(url, dest, progress=lambda got, total: calls.append((got, total))))
    assert written == len(DATA) and dest.read_bytes() == DATA
    assert leftovers(tmp_path) == ["out.bin"]
    assert calls and calls[-1] == (len(DATA), len(DATA))
    assert all(total == len(DATA) for _, total in calls)
    assert [got for got, _ in calls] == sorted({got for got, _ in calls}), "received only grows"
    # By content id, into a file object.
    buffer = io.BytesIO()
    assert await done(wx.contents.download(url.rsplit("/", 1)[1], buffer)) == len(DATA)
    assert buffer.getvalue() == DATA


class Breaks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that sends half the file, then loses the connection."""

    def __iter__(self) -> Iterator[bytes]:
        yield DATA[:4096]
        raise httpx.ReadError("connection lost")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield DATA[:4096]
        raise httpx.ReadError("connection lost")


async def test_a_download_that_breaks_leaves_no_partial_file(face: LoopFace, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/contents/c-1"
        return httpx.Response(200, headers={"Content-Length": str(len(DATA))}, stream=Breaks())

    wx = face.webex_over(handler, max_retries=0)
    dest = tmp_path / "kept.bin"
    dest.write_bytes(b"the old version")
    with pytest.raises(errors.APIConnectionError):
        await done(wx.contents.download("c-1", dest))
    assert dest.read_bytes() == b"the old version", "the path is replaced only once every byte has arrived"
    assert leftovers(tmp_path) == ["kept.bin"]


async def test_an_answer_other_than_the_file_is_not_written(face: LoopFace, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(206, content=DATA[:100], headers={"Content-Range": f"bytes 0-99/{len(DATA)}"})

    wx = face.webex_over(handler)
    dest = tmp_path / "kept.bin"
    dest.write_bytes(b"the old version")
    buffer = io.BytesIO()
    for target in (dest, buffer):
        with pytest.raises(errors.UnexpectedResponseError) as caught:
            await done(wx.contents.download("c-1", target))
        assert caught.value.status_code == 206 and caught.value.body == DATA[:100]
        assert "get_content answered 206" in str(caught.value)
    assert dest.read_bytes() == b"the old version" and buffer.getvalue() == b""
    assert leftovers(tmp_path) == ["kept.bin"]


async def test_423_while_scanning_is_waited_out_on_the_clock(face: LoopFace, tmp_path: Path) -> None:
    # 90 s is longer than the retry policy's max_retry_wait (60 s): download's own scan wait does it.
    with strict_mock(webex_scan_seconds=90) as mock:
        clock = MockClock(mock)
        wx = face.webex(mock, clock=clock)
        url = await post_file(wx, DATA)
        dest = tmp_path / "scanned.bin"
        assert await done(wx.contents.download(url, dest)) == len(DATA)
        assert dest.read_bytes() == DATA
        assert clock.sleeps == [90.0]
        assert statuses(mock, "get_content") == [423, 200]
        await done(wx.close())


async def test_a_short_scan_is_waited_out_by_the_retry_budget(face: LoopFace) -> None:
    with strict_mock(webex_scan_seconds=30) as mock:
        clock = MockClock(mock)
        wx = face.webex(mock, clock=clock)
        url = await post_file(wx, DATA)
        buffer = io.BytesIO()
        assert await done(wx.contents.download(url, buffer)) == len(DATA)
        assert buffer.getvalue() == DATA
        assert clock.sleeps == [30.0]
        assert statuses(mock, "get_content") == [423, 200]
        await done(wx.close())


async def test_a_scan_longer_than_max_scan_wait_raises_locked(face: LoopFace, tmp_path: Path) -> None:
    with strict_mock(webex_scan_seconds=600) as mock:
        clock = MockClock(mock)
        wx = face.webex(mock, clock=clock)
        url = await post_file(wx, DATA)
        with pytest.raises(errors.LockedError) as caught:
            await done(wx.contents.download(url, tmp_path / "never.bin", max_scan_wait=100))
        assert caught.value.status_code == 423 and caught.value.retry_after == 500
        assert clock.sleeps == [100.0], "waited what was left of max_scan_wait, then gave up"
        assert statuses(mock, "get_content") == [423, 423]
        assert leftovers(tmp_path) == []
        await done(wx.close())


async def test_a_repeated_retry_after_0_is_not_a_busy_loop(face: LoopFace, mock: MockServer) -> None:
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    url = await post_file(wx, DATA)
    mock.faults.add_spec("get_content:423:retry-after=0")
    before = mock.state.counts("get_content").received
    with pytest.raises(errors.LockedError):
        await done(wx.contents.download(url, io.BytesIO(), max_scan_wait=10))
    assert clock.sleeps == [1.0] * 10, "at least a second between two asks, until max_scan_wait has passed"
    assert mock.state.counts("get_content").received == before + 11


@pytest.mark.parametrize("bad", [-1, math.nan, "300", True, None])
async def test_max_scan_wait_is_checked_before_sending(face: LoopFace, mock: MockServer, bad: Any) -> None:
    wx = face.webex(mock)
    url = await post_file(wx, b"x")
    before = sent(mock)
    with pytest.raises(errors.ValidationError) as caught:
        await done(wx.contents.download(url, io.BytesIO(), max_scan_wait=bad))
    assert caught.value.field == "max_scan_wait"
    assert sent(mock) == before


async def test_an_infected_file_is_gone_and_says_so(face: LoopFace, mock: MockServer, tmp_path: Path) -> None:
    wx = face.webex(mock)
    url = await post_file(wx, b"prefix " + EICAR + b" suffix", name="eicar.com")
    for allow in (False, True):
        with pytest.raises(errors.GoneError) as caught:
            await done(wx.contents.download(url, tmp_path / "eicar.com", allow_unscannable=allow))
        assert caught.value.status_code == 410
        assert "malware" in str(caught.value)
        assert caught.value.tracking_id and caught.value.tracking_id.startswith("ATTACHKIT_")
    assert leftovers(tmp_path) == []


async def test_an_unscannable_file_needs_allow_unscannable(face: LoopFace, mock: MockServer, tmp_path: Path) -> None:
    wx = face.webex(mock)
    archive = encrypted_zip()
    url = await post_file(wx, archive, name="locked.zip")
    dest = tmp_path / "locked.zip"
    with pytest.raises(errors.PreconditionRequiredError) as caught:
        await done(wx.contents.download(url, dest))
    assert caught.value.status_code == 428
    assert "allow_unscannable=True" in str(caught.value)
    assert caught.value.description, "Webex's own words are kept"
    assert leftovers(tmp_path) == []
    assert await done(wx.contents.download(url, dest, allow_unscannable=True)) == len(archive)
    assert dest.read_bytes() == archive


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/webex/v1/contents/abc",
        "{mock}/other/v1/contents/abc",
        "{base}.evil.example/contents/abc",
        "{base}/messages/abc",
        "{base}/contents/",
        "{base}/contents/abc/def",
    ],
)
async def test_a_content_url_elsewhere_is_refused_and_nothing_is_sent(
    face: LoopFace, mock: MockServer, url: str
) -> None:
    wx = face.webex(mock)
    before = sent(mock)
    with pytest.raises(errors.ValidationError) as caught:
        await done(wx.contents.download(url.format(mock=mock.url, base=mock.webex_base_url), io.BytesIO()))
    assert caught.value.field == "url_or_id"
    assert sent(mock) == before


@pytest.mark.parametrize("dest", ["{tmp}/missing-folder/x.bin", "{tmp}", 42, io.StringIO()])
async def test_a_bad_dest_is_refused_by_its_name(face: LoopFace, mock: MockServer, tmp_path: Path, dest: Any) -> None:
    wx = face.webex(mock)
    url = await post_file(wx, b"x")
    before = sent(mock)
    with pytest.raises(errors.ValidationError) as caught:
        await done(wx.contents.download(url, dest.format(tmp=tmp_path) if isinstance(dest, str) else dest))
    assert caught.value.field == "dest"
    assert sent(mock) == before


# 3. webhooks --------------------------------------------------------------------------------------------------


async def test_webhook_create_get_update_delete(face: LoopFace, mock: MockServer) -> None:
    wx = face.webex(mock)
    hook = await done(
        wx.webhooks.create(
            name="cards", target_url=HOOK, resource="attachmentActions", event="created", secret="s1", filter="roomId=r"
        )
    )
    assert (hook.name, hook.target_url, hook.resource, hook.event, hook.filter_, hook.secret, hook.status) == (
        "cards",
        HOOK,
        "attachmentActions",
        "created",
        "roomId=r",
        "s1",
        "active",
    )
    assert (await done(wx.webhooks.get(hook.id))).to_dict() == hook.to_dict()
    updated = await done(wx.webhooks.update(hook.id, name="renamed", target_url=HOOK + "/2", secret="s2"))
    assert (updated.id, updated.name, updated.target_url, updated.secret) == (hook.id, "renamed", HOOK + "/2", "s2")
    assert mock.state.webhooks[hook.id].secret == "s2"
    await done(wx.webhooks.delete(hook.id))
    with pytest.raises(errors.NotFoundError):
        await done(wx.webhooks.get(hook.id))
    with pytest.raises(errors.NotFoundError):
        await done(wx.webhooks.delete(hook.id))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"resource": "nope"}, "resource"),
        ({"target_url": 42}, "target_url"),
        ({"name": None}, "name"),
        ({"secret": 5}, "secret"),
    ],
)
async def test_webhook_create_refuses_before_sending(
    face: LoopFace, mock: MockServer, kwargs: dict[str, Any], field: str
) -> None:
    wx = face.webex(mock)
    arguments = {"name": "n", "target_url": HOOK, "resource": "messages", "event": "created", **kwargs}
    before = sent(mock)
    for call in (wx.webhooks.create, wx.webhooks.ensure):
        with pytest.raises(errors.ValidationError) as caught:
            await done(call(**arguments))
        assert caught.value.field == field
    assert sent(mock) == before


async def test_list_follows_every_page(face: LoopFace) -> None:
    with strict_mock() as mock:  # a mock of its own: the list holds only this test's webhooks
        wx = face.webex(mock)
        ids = [
            (await done(wx.webhooks.create(name=f"h{i}", target_url=HOOK, resource="messages", event="created"))).id
            for i in range(3)
        ]
        hooks = await done(wx.webhooks.list(max=1))
        assert [h.id for h in hooks] == ids
        assert mock.state.counts("list_webhooks").received == 3, "one request per page"
        assert [h.id for h in await done(wx.webhooks.list())] == ids
        await done(wx.close())


def _page(request: httpx.Request, link: str) -> httpx.Response:
    hook = {"id": "wh-1", "name": "n", "targetUrl": HOOK, "resource": "messages", "event": "created"}
    return httpx.Response(200, json={"items": [hook]}, headers={"Link": f'<{link}>; rel="next"', "TrackingID": "T1"})


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/v1/webhooks?cursor=x",
        "http://webexapis.com/v1/webhooks?cursor=x",  # the same host, in the clear
        "https://webexapis.com.evil.example/v1/webhooks?cursor=x",
        "https://webexapis.com/v1.evil/webhooks",
    ],
)
async def test_a_next_page_elsewhere_is_unexpected_and_not_followed(face: LoopFace, link: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _page(request, link)

    wx = face.webex_over(handler)
    for call in (
        lambda: wx.webhooks.list(),
        lambda: wx.webhooks.ensure(name="n", target_url=HOOK + "/x", resource="messages", event="created"),
    ):
        count = len(seen)
        with pytest.raises(errors.UnexpectedResponseError) as caught:
            await done(call())
        assert "leaves this client's API" in str(caught.value)
        assert [str(r.url) for r in seen[count:]] == ["https://webexapis.com/v1/webhooks"]
        assert caught.value.status_code == 200


async def test_ensure_creates_once_then_returns_the_same(face: LoopFace) -> None:
    with strict_mock() as mock:
        wx = face.webex(mock)
        asked = {"name": "bot", "target_url": HOOK, "resource": "attachmentActions", "event": "created"}
        first = await done(wx.webhooks.ensure(**asked, secret="s"))
        second = await done(wx.webhooks.ensure(**asked, secret="s"))
        third = await done(wx.webhooks.ensure(**asked))  # no secret asked: the one held is fine
        assert first.id == second.id == third.id
        assert list(mock.state.webhooks) == [first.id]
        assert mock.state.counts("create_webhook").received == 1
        assert mock.state.counts("update_webhook").received == 0
        # Another filter, event or target is another webhook.
        other = await done(wx.webhooks.ensure(**asked, filter="roomId=r"))
        assert other.id != first.id and len(mock.state.webhooks) == 2
        await done(wx.close())


async def test_ensure_updates_a_changed_secret_or_name(face: LoopFace) -> None:
    with strict_mock() as mock:
        wx = face.webex(mock)
        asked = {"target_url": HOOK, "resource": "messages", "event": "created"}
        first = await done(wx.webhooks.ensure(name="bot", **asked, secret="old"))
        rotated = await done(wx.webhooks.ensure(name="bot", **asked, secret="new"))
        assert rotated.id == first.id and rotated.secret == "new"
        assert mock.state.webhooks[first.id].secret == "new"
        renamed = await done(wx.webhooks.ensure(name="bot v2", **asked, secret="new"))
        assert renamed.id == first.id and renamed.name == "bot v2"
        assert mock.state.counts("create_webhook").received == 1
        assert mock.state.counts("update_webhook").received == 2
        await done(wx.close())


async def test_ensure_reactivates_a_webhook_webex_deactivated(face: LoopFace) -> None:
    with strict_mock(webhook_failure_limit=1) as mock, Receiver(500) as receiver:
        wx = face.webex(mock)
        asked = {"name": "bot", "target_url": receiver.url, "resource": "attachmentActions", "event": "created"}
        hook = await done(wx.webhooks.ensure(**asked, secret="s"))
        await done(wx.attachment_actions.create(message_id=unique("msg"), inputs={}))
        await asyncio.to_thread(mock.wait_until_idle)
        assert receiver.received, "the delivery reached the receiver, which failed it"
        assert (await done(wx.webhooks.get(hook.id))).status == "inactive"

        again = await done(wx.webhooks.ensure(**asked, secret="s"))
        assert again.id == hook.id and again.status == "active"
        assert mock.state.webhooks[hook.id].status == "active"
        assert mock.state.counts("create_webhook").received == 1
        await done(wx.close())


# 4. with_raw_response of every new method ---------------------------------------------------------------------

RAW: dict[tuple[str, str], tuple[int, Callable[[Any, dict[str, Any]], Any]]] = {
    ("messages", "create"): (200, lambda r, c: r.create(room_id="r-raw", text="hi", card=CARD)),
    ("messages", "get"): (200, lambda r, c: r.get(c["message_id"])),
    ("messages", "delete"): (204, lambda r, c: r.delete(c["doomed_message_id"])),
    ("contents", "download"): (200, lambda r, c: r.download(c["url"], io.BytesIO())),
    ("webhooks", "create"): (
        200,
        lambda r, c: r.create(name="raw", target_url=HOOK, resource="messages", event="created"),
    ),
    ("webhooks", "list"): (200, lambda r, c: r.list(max=1)),
    ("webhooks", "get"): (200, lambda r, c: r.get(c["webhook_id"])),
    ("webhooks", "update"): (200, lambda r, c: r.update(c["webhook_id"], name="raw2", target_url=HOOK)),
    ("webhooks", "delete"): (204, lambda r, c: r.delete(c["doomed_webhook_id"])),
    ("webhooks", "ensure"): (
        200,
        lambda r, c: r.ensure(name="ensured", target_url=HOOK, resource="messages", event="deleted"),
    ),
}
KINDS = {"download": int, "delete": type(None), "list": list}


def test_the_raw_table_covers_every_new_public_method() -> None:
    from attachkit.webex import Contents, Messages, Webhooks

    for resource, cls in (("messages", Messages), ("contents", Contents), ("webhooks", Webhooks)):
        public = {n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")}
        assert public == {name for where, name in RAW if where == resource}, resource


@pytest.mark.parametrize("where", list(RAW), ids=lambda w: ".".join(w))
async def test_with_raw_response_gives_the_status_and_tracking_id(
    face: LoopFace, mock: MockServer, where: tuple[str, str]
) -> None:
    status, call = RAW[where]
    wx = face.webex(mock)
    message = await done(wx.messages.create(room_id="r-raw", text="hi"))
    doomed = await done(wx.messages.create(room_id="r-raw", text="bye"))
    hook = await done(wx.webhooks.create(name="raw", target_url=HOOK, resource="messages", event="created"))
    doomed_hook = await done(wx.webhooks.create(name="raw", target_url=HOOK, resource="messages", event="created"))
    context = {
        "message_id": message.id,
        "doomed_message_id": doomed.id,
        "url": await post_file(wx, DATA),
        "webhook_id": hook.id,
        "doomed_webhook_id": doomed_hook.id,
    }
    resource, name = where

    raw = await done(call(getattr(wx.with_raw_response, resource), context))
    last = mock.state.history[-1]

    assert isinstance(raw, RawResponse)
    assert raw.status_code == status == last.status
    assert raw.request.method == last.method
    assert raw.tracking_id and raw.tracking_id == raw.headers["TrackingID"]
    assert raw.tracking_id.startswith("ATTACHKIT_")
    value = raw.parse()
    assert isinstance(value, KINDS.get(name, object))
    if name == "download":
        assert value == len(DATA)
    if name in {"create", "get", "update", "ensure"}:
        assert value.id


# 5. A delivery of the mock, verified ---------------------------------------------------------------------------


async def test_a_delivery_passes_verify_webhook(face: LoopFace) -> None:
    secret = "card-loop-secret-✓"
    with strict_mock() as mock, Receiver(204) as receiver:
        wx = face.webex(mock)
        hook = await done(
            wx.webhooks.ensure(
                name="bot", target_url=receiver.url, resource="attachmentActions", event="created", secret=secret
            )
        )
        message = await done(wx.messages.create(room_id=unique("room"), text="Fill it in", card=CARD))
        action = await done(wx.attachment_actions.create(message_id=message.id, inputs={"Name": "Ada"}))
        assert action is not None
        [delivery] = await asyncio.to_thread(receiver.wait_for, 1)

        event = verify_webhook(delivery.body, delivery.headers, secret)
        assert (event.id, event.resource, event.event) == (hook.id, "attachmentActions", "created")
        assert event.data.id == action.id and event.data.message_id == message.id
        with pytest.raises(errors.WebhookSignatureError):
            verify_webhook(delivery.body, delivery.headers, secret + "x")
        with pytest.raises(errors.WebhookSignatureError):
            verify_webhook(delivery.body.replace(b"attachmentActions", b"attachmentActionz"), delivery.headers, secret)
        # The inputs are not in the event: they are read with the action's id.
        assert (await done(wx.attachment_actions.get(event.data.id))).inputs == {"Name": "Ada"}
        await done(wx.close())


@pytest.mark.parametrize(("resource", "noun"), [("messages", "message"), ("webhooks", "webhook")])
async def test_a_delete_answered_other_than_204_says_the_server_may_have_deleted(
    face: LoopFace, resource: str, noun: str
) -> None:
    wx = face.webex_over(lambda request: httpx.Response(200, json={}))
    with pytest.raises(errors.UnexpectedResponseError) as caught:
        await done(getattr(wx, resource).delete("some-id"))
    assert f"delete_{noun} answered 200" in str(caught.value)
    assert f"the {noun} may have been deleted" in str(caught.value)
    assert caught.value.status_code == 200
