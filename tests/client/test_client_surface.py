"""The client surface of 5461c32 over real sockets, on the sync and the async face: the client-wide rate-limit
cooldown, `with_options`, `default_headers=`/`extra_headers=`, and `with_raw_response` (its types included).

Every test runs against a `MockServer` on loopback. Each test body is written once, as a coroutine, and `done()`
awaits what the async face returns and passes through what the sync face already returned; the sync clients simply
block the event loop's thread, which nothing else needs meanwhile. Clocks are fakes: a wait the SDK makes is
recorded, never slept. What reached the server is read from the mock's counts and history (which hold no headers),
and the headers themselves from a caller's httpx client whose request hook copies each request as it leaves.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import dataclasses
import inspect
import io
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs
import httpx
import pytest

from attachkit import (
    AsyncTalkdeskClient,
    AsyncWebexClient,
    FakeClock,
    RawResponse,
    RetryPolicy,
    TalkdeskClient,
    WebexClient,
    errors,
)
from attachkit.talkdesk import SentMessage, StartedConversation
from attachkit.talkdesk.models import Attachment, DownloadLink, UploadLink
from attachkit.testing import MockServer
from attachkit.webex.models import AttachmentActivity
from tests._support.plain_http import talkdesk_headers, unique, upload
from tests._support.servers import strict_mock
from tests._support.waiting import eventually

T = TypeVar("T")
FaceName = Literal["sync", "async"]
Vendor = Literal["talkdesk", "webex"]

WAIT = 30.0  # the cap on any wait for a condition; only a broken run reaches it
DATA = b"attachkit client surface bytes\n" * 64
RESERVED = (
    "Authorization",
    "proxy-authorization",
    "X-Idempotency-Key",
    "HOST",
    "content-length",
    "Content-Type",
    "Transfer-Encoding",
)


# Helpers -------------------------------------------------------------------------------------------------------


async def done(value: Awaitable[T] | T) -> T:
    """The result of a call on either face: awaited when the async face returned an awaitable."""
    if inspect.isawaitable(value):
        return await value  # type: ignore[no-any-return]
    return value


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (bounded) for `condition`, which other threads or tasks make true, keeping the event loop running."""
    await asyncio.to_thread(eventually, condition, WAIT, what)


def settle(mock: MockServer) -> None:
    """Wait until the mock has finished every request it received (a latency fault keeps one open for a while)."""
    eventually(
        lambda: sum(mock.state.requests.values()) == len(mock.state.history),
        WAIT,
        "the mock did not finish its in-flight requests",
    )


def total_requests(mock: MockServer) -> int:
    return sum(mock.state.requests.values())


@dataclasses.dataclass(frozen=True)
class Sent:
    """One request as it left for the socket, headers copied at that moment."""

    method: str
    url: str
    headers: httpx.Headers


class Recorder:
    """Copies every request a caller's httpx client sends (attachkit's `http_client=`), in order."""

    def __init__(self, mock: MockServer) -> None:
        self._mock = mock
        self.sent: list[Sent] = []

    def note(self, request: httpx.Request) -> None:
        self.sent.append(Sent(request.method, str(request.url), httpx.Headers(request.headers)))

    async def anote(self, request: httpx.Request) -> None:
        self.note(request)

    def is_storage(self, sent: Sent) -> bool:
        return sent.url.startswith(self._mock.url + "/storage/")

    def is_token(self, sent: Sent) -> bool:
        return sent.url == self._mock.token_url

    def api(self, since: int = 0) -> list[Sent]:
        return [s for s in self.sent[since:] if not self.is_storage(s) and not self.is_token(s)]

    def storage(self, since: int = 0) -> list[Sent]:
        return [s for s in self.sent[since:] if self.is_storage(s)]


class ProbeClock(FakeClock):
    """A FakeClock that, at each sleep, notes what `probe()` said then: how many requests the mock had received.

    A wait recorded with the count from before the call proves the request went out only after the wait.
    """

    def __init__(self, probe: Callable[[], int]) -> None:
        super().__init__()
        self._probe = probe
        self.seen_at_sleep: list[int] = []

    def sleep(self, seconds: float) -> None:
        self.seen_at_sleep.append(self._probe())
        super().sleep(seconds)


class GatedClock(FakeClock):
    """A fake clock whose sleepers stay asleep until the test moves time past their wake-up with `advance()`.

    Threads (sync face) wait on a condition, tasks (async face) on a future; both record their sleeps. So a test can
    look at the mock while every call is still waiting, then let time pass.
    """

    def __init__(self) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._waiters: list[tuple[float, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def advance(self, seconds: float) -> None:
        with self._cond:
            super().advance(seconds)
            self._cond.notify_all()
            for waiter in list(self._waiters):
                wake, loop, future = waiter
                if self.monotonic() >= wake:
                    self._waiters.remove(waiter)
                    loop.call_soon_threadsafe(_wake, future)

    def sleep(self, seconds: float) -> None:
        with self._cond:
            self.sleeps.append(seconds)
            wake = self.monotonic() + seconds
            assert self._cond.wait_for(lambda: self.monotonic() >= wake, WAIT), "nobody advanced the clock"

    async def asleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._cond:
            self.sleeps.append(seconds)
            wake = self.monotonic() + seconds
            if self.monotonic() >= wake:
                return
            self._waiters.append((wake, loop, future))
        await asyncio.wait_for(future, WAIT)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Face:
    """Builds the clients of one face (and the caller's httpx clients they send through); closes them all."""

    def __init__(self, name: FaceName) -> None:
        self.name = name
        self._clients: list[Any] = []
        self._http: list[Any] = []
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._spawned: list[asyncio.Future[Any]] = []

    def __repr__(self) -> str:
        return self.name

    def webex(self, mock: MockServer, **options: Any) -> Any:
        cls = WebexClient if self.name == "sync" else AsyncWebexClient
        return self._keep(cls(**mock.webex_kwargs(), **options))

    def talkdesk(self, mock: MockServer, **options: Any) -> Any:
        cls = TalkdeskClient if self.name == "sync" else AsyncTalkdeskClient
        return self._keep(cls(**mock.talkdesk_kwargs(), **options))

    def client(self, vendor: Vendor, mock: MockServer, **options: Any) -> Any:
        return self.webex(mock, **options) if vendor == "webex" else self.talkdesk(mock, **options)

    def recording(self, recorder: Recorder) -> Any:
        """A caller's httpx client of this face that copies every request it sends into `recorder`."""
        http: Any
        if self.name == "sync":
            http = httpx.Client(event_hooks={"request": [recorder.note]})
        else:
            http = httpx.AsyncClient(event_hooks={"request": [recorder.anote]})
        self._http.append(http)
        return http

    def spawn(self, call: Callable[[], Any]) -> asyncio.Future[Any]:
        """Start `call` concurrently: a task on the async face, a thread on the sync one."""
        if self.name == "async":
            future = asyncio.ensure_future(call())
        else:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="surface")
            future = asyncio.wrap_future(self._pool.submit(call))
        self._spawned.append(future)
        return future

    def _keep(self, client: Any) -> Any:
        self._clients.append(client)
        return client

    async def close_all(self) -> None:
        # A failed test may leave calls running: end them (a sync one ends with its clock's bounded wait).
        for future in self._spawned:
            future.cancel()
        await asyncio.wait_for(asyncio.gather(*self._spawned, return_exceptions=True), WAIT + 5)
        if self._pool is not None:
            await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)
        for client in reversed(self._clients):
            await done(client.close())
        for http in self._http:
            await done(http.close() if self.name == "sync" else http.aclose())


@pytest.fixture(params=["sync", "async"])
async def face(request: pytest.FixtureRequest) -> AsyncIterator[Face]:
    made = Face(request.param)
    try:
        yield made
    finally:
        await made.close_all()


@dataclasses.dataclass(frozen=True)
class Target:
    """One idempotent read per vendor, whose object the test makes first through the client under test."""

    vendor: Vendor

    @property
    def operation(self) -> str:
        return "get_attachment_action" if self.vendor == "webex" else "get_attachment"

    async def make(self, client: Any) -> str:
        if self.vendor == "webex":
            action = await done(client.attachment_actions.create(message_id=unique("msg"), inputs={"Name": "Ada"}))
            return str(action.id)
        attachment = await done(client.attachments.upload(DATA, name=unique("file") + ".txt"))
        return str(attachment.id)

    def call(self, client: Any, ident: str, **options: Any) -> Any:
        if self.vendor == "webex":
            return client.attachment_actions.get(ident, **options)
        return client.attachments.get(ident, **options)


TARGETS = [Target("webex"), Target("talkdesk")]


# 1. The client-wide cooldown -----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.vendor)
async def test_after_a_429_the_next_call_sends_nothing_until_retry_after_has_passed(
    face: Face, mock: MockServer, target: Target
) -> None:
    op = target.operation
    clock = ProbeClock(lambda: mock.state.counts(op).received)
    client = face.client(target.vendor, mock, clock=clock, max_retries=0)
    ident = await target.make(client)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    before = mock.state.counts(op)

    with pytest.raises(errors.RateLimitError) as caught:
        await done(target.call(client, ident))
    assert caught.value.retry_after == 30
    assert mock.state.counts(op).received == before.received + 1
    assert clock.sleeps == [], "max_retries=0: the 429 itself is not waited for"

    result = await done(target.call(client, ident))

    assert result.id == ident
    assert clock.sleeps == [30.0], "the next call waited out the pause on the client's clock"
    assert clock.seen_at_sleep == [before.received + 1], "nothing was sent while the client was cooling down"
    after = mock.state.counts(op)
    assert after.received == before.received + 2
    assert after.statuses.get(429, 0) - before.statuses.get(429, 0) == 1
    assert after.statuses.get(200, 0) - before.statuses.get(200, 0) == 1
    assert [r.status for r in mock.state.history if r.operation == op][-2:] == [429, 200]


async def test_concurrent_calls_after_a_429_each_wait_once_and_earn_no_second_429(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = GatedClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    with pytest.raises(errors.RateLimitError):
        await done(wx.attachment_actions.get(ident))
    # While the pause lasts, the server would rate-limit every request that reached it.
    mock.faults.add_spec(f"{op}:429:retry-after=30")
    before = mock.state.counts(op)

    calls = [face.spawn(lambda: wx.attachment_actions.get(ident)) for _ in range(10)]
    await until(
        lambda: len(clock.sleeps) == 10 or any(c.done() for c in calls),
        "the ten calls did not all wait for the pause",
    )
    assert not any(c.done() for c in calls), "a call finished during the pause"
    assert clock.sleeps == [30.0] * 10, "each call waits out the pause, once"
    assert mock.state.counts(op) == before, "nothing was sent while cooling down"

    mock.faults.clear()  # the server's pause is over
    clock.advance(30)
    results = await asyncio.wait_for(asyncio.gather(*calls), WAIT)

    assert [r.id for r in results] == [ident] * 10
    assert clock.sleeps == [30.0] * 10, "no call waited twice"
    after = mock.state.counts(op)
    assert after.received == before.received + 10
    assert after.statuses.get(429, 0) == before.statuses.get(429, 0), "the mock counts exactly one 429"
    assert after.statuses.get(200, 0) - before.statuses.get(200, 0) == 10


async def test_a_pause_longer_than_max_retry_wait_refuses_the_next_call_without_sending(
    face: Face, mock: MockServer
) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:429:retry-after=3600:times=1")
    with pytest.raises(errors.RateLimitError) as first:
        await done(wx.attachment_actions.get(ident))
    assert first.value.retry_after == 3600
    sent = mock.state.counts(op).received

    clock.advance(600)
    with pytest.raises(errors.RateLimitError) as caught:
        await done(wx.attachment_actions.get(ident))

    assert mock.state.counts(op).received == sent, "not sent"
    assert caught.value.retry_after == pytest.approx(3000), "what is left of the pause"
    assert caught.value.method == "GET" and caught.value.url is not None and ident in caught.value.url
    assert "not sent" in str(caught.value)
    assert clock.sleeps == []
    # Once the pause is over, calls go out again.
    clock.advance(3000)
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert mock.state.counts(op).received == sent + 1
    assert clock.sleeps == []


async def test_max_retry_wait_of_the_policy_decides_what_is_too_long(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, retry=RetryPolicy(max_retries=0, max_retry_wait=10))
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    with pytest.raises(errors.RateLimitError):
        await done(wx.attachment_actions.get(ident))
    sent = mock.state.counts(op).received
    with pytest.raises(errors.RateLimitError) as caught:
        await done(wx.attachment_actions.get(ident))
    assert caught.value.retry_after == pytest.approx(30)
    assert mock.state.counts(op).received == sent
    clock.advance(25)  # 5 s left: within max_retry_wait, so waited
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert clock.sleeps == [pytest.approx(5)]


async def test_a_503_with_retry_after_pauses_the_client_too(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = ProbeClock(lambda: mock.state.counts(op).received)
    wx = face.webex(mock, clock=clock, max_retries=0)
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:503:retry-after=30:times=1")
    with pytest.raises(errors.InternalServerError) as caught:
        await done(wx.attachment_actions.get(ident))
    assert caught.value.status_code == 503
    sent = mock.state.counts(op).received

    assert (await done(wx.attachment_actions.get(ident))).id == ident

    assert clock.sleeps == [30.0]
    assert clock.seen_at_sleep == [sent]
    assert mock.state.counts(op).received == sent + 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("423:retry-after=30", errors.LockedError),
        ("429", errors.RateLimitError),  # a 429 that names no wait
        ("500:retry-after=30", errors.InternalServerError),
    ],
)
async def test_other_answers_do_not_pause_the_client(
    face: Face, mock: MockServer, fault: str, error: type[errors.APIError]
) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:{fault}:times=1")
    with pytest.raises(error):
        await done(wx.attachment_actions.get(ident))
    sent = mock.state.counts(op).received

    assert (await done(wx.attachment_actions.get(ident))).id == ident

    assert clock.sleeps == [], "sent at once"
    assert mock.state.counts(op).received == sent + 1


async def test_another_client_is_not_paused(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    paused_clock, other_clock = FakeClock(), FakeClock()
    paused = face.webex(mock, clock=paused_clock, max_retries=0)
    other = face.webex(mock, clock=other_clock, max_retries=0)
    ident = await Target("webex").make(paused)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    with pytest.raises(errors.RateLimitError):
        await done(paused.attachment_actions.get(ident))
    sent = mock.state.counts(op).received

    assert (await done(other.attachment_actions.get(ident))).id == ident
    assert other_clock.sleeps == [] and paused_clock.sleeps == []
    assert mock.state.counts(op).received == sent + 1

    assert (await done(paused.attachment_actions.get(ident))).id == ident
    assert paused_clock.sleeps == [30.0], "the client that got the 429 is still paused"


async def test_a_retried_429_is_waited_for_once_not_again_by_the_cooldown(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock)  # max_retries=2
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    sent = mock.state.counts(op).received
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert clock.sleeps == [30.0]
    assert mock.state.counts(op).received == sent + 2
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert clock.sleeps == [30.0], "the pause is over"


async def test_talkdesk_token_requests_still_work_while_an_api_pause_is_waited_out(
    face: Face, mock: MockServer
) -> None:
    op = "request_upload_link"
    clock = ProbeClock(lambda: mock.state.counts(op).received + mock.state.counts("token").received)
    td = face.talkdesk(mock, clock=clock, max_retries=0)
    await done(td.attachments.request_upload_link())  # the client holds a token now
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    with pytest.raises(errors.RateLimitError):
        await done(td.attachments.request_upload_link())
    sent, tokens = mock.state.counts(op).received, mock.state.counts("token").received
    mock.expire_tokens()  # the next call needs a fresh token: 401, token request, resend

    link = await done(td.attachments.request_upload_link())

    assert link.request_id in mock.state.uploads
    assert clock.sleeps == [30.0]
    assert clock.seen_at_sleep == [sent + tokens], "neither the call nor a token request went out during the pause"
    assert mock.state.counts("token").received == tokens + 1
    assert mock.state.counts(op).received == sent + 2  # the 401, then the resend


async def test_talkdesk_a_429_from_the_token_endpoint_pauses_and_the_token_request_then_works(
    face: Face, mock: MockServer
) -> None:
    clock = ProbeClock(lambda: mock.state.counts("token").received)
    td = face.talkdesk(mock, clock=clock, max_retries=0)
    mock.faults.add_spec("token:429:retry-after=30:times=1")
    tokens = mock.state.counts("token").received
    with pytest.raises(errors.RateLimitError) as caught:
        await done(td.attachments.request_upload_link())
    assert caught.value.vendor == "Talkdesk OAuth"
    assert mock.state.counts("token").received == tokens + 1

    link = await done(td.attachments.request_upload_link())

    assert link.request_id in mock.state.uploads
    assert clock.sleeps == [30.0]
    assert clock.seen_at_sleep == [tokens + 1], "the token request waited out the pause too"
    assert mock.state.counts("token").received == tokens + 2


@pytest.mark.parametrize("vendor", ["talkdesk", "webex"])
async def test_the_wait_is_logged_at_info_with_its_length_and_reason_and_no_secret(
    face: Face, mock: MockServer, vendor: Vendor, caplog: pytest.LogCaptureFixture
) -> None:
    target = Target(vendor)
    clock = FakeClock()
    client = face.client(vendor, mock, clock=clock, max_retries=0)
    ident = await target.make(client)
    raw = await done(
        client.with_raw_response.attachment_actions.get(ident)
        if vendor == "webex"
        else client.with_raw_response.attachments.get(ident)
    )
    access_token = raw.request.headers["Authorization"].removeprefix("Bearer ")
    assert access_token
    mock.faults.add_spec(f"{target.operation}:429:retry-after=30:times=1")
    with caplog.at_level(logging.DEBUG, logger="attachkit"):
        with pytest.raises(errors.RateLimitError):
            await done(target.call(client, ident))
        await done(target.call(client, ident))

    waits = [r for r in caplog.records if r.name == "attachkit" and getattr(r, "attachkit_cooldown", None)]
    assert len(waits) == 1, caplog.text
    record = waits[0]
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert "waiting 30s" in message and "server asked this client to pause" in message, message
    assert record.attachkit_cooldown == 30.0  # type: ignore[attr-defined]
    assert ident in message  # which request waited
    basic = base64.b64encode(f"{mock.client_id}:{mock.client_secret}".encode()).decode()
    texts = caplog.text + "".join(repr(vars(r)) for r in caplog.records)
    for secret in (access_token, mock.client_secret, basic, mock.webex_token, "Bearer "):
        assert secret not in texts


async def test_a_pause_made_longer_while_a_call_waits_is_waited_out_in_full(face: Face, mock: MockServer) -> None:
    """A 429 asking for a longer pause can arrive while calls already wait (its request was in flight when the first
    429 came). A waiting call must then wait until the new end of the pause, not send at the end of the old one."""
    op = "get_attachment_action"
    clock = GatedClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    ident = await Target("webex").make(wx)
    # The first request to reach the server is held 2 s, then told to pause 60 s; the next is told 30 s at once.
    mock.faults.add_spec(f"{op}:429:retry-after=60:latency=2:times=1")
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    sent = mock.state.counts(op).received
    slow = face.spawn(lambda: wx.attachment_actions.get(ident))
    await until(lambda: mock.state.counts(op).received == sent + 1, "the slow request did not reach the mock")
    with pytest.raises(errors.RateLimitError):
        await done(wx.attachment_actions.get(ident))  # the quick 429: pause 30 s
    waiting = face.spawn(lambda: wx.attachment_actions.get(ident))
    await until(lambda: len(clock.sleeps) == 1 or waiting.done(), "the third call neither waited nor finished")
    assert not waiting.done(), "the third call did not wait for the pause"
    assert not slow.done(), "the test needs the 60 s answer to arrive while the third call waits"
    with pytest.raises(errors.RateLimitError):
        await asyncio.wait_for(slow, WAIT)  # the pause is now 60 s from the same moment
    received = mock.state.counts(op).received
    assert received == sent + 2

    clock.advance(30)  # the old end of the pause
    await until(
        lambda: len(clock.sleeps) == 2 or waiting.done() or mock.state.counts(op).received != received,
        "the waiting call neither went on waiting nor went out",
    )
    sent_early = mock.state.counts(op).received != received or waiting.done()
    clock.advance(30)  # the new end
    result = await asyncio.wait_for(waiting, WAIT)
    assert result.id == ident
    assert not sent_early, "the call went out 30 s into a 60 s pause"
    assert clock.sleeps == [30.0, 30.0]


# 2. with_options -----------------------------------------------------------------------------------------------


async def test_a_copy_with_max_retries_0_does_not_retry_a_503_the_original_does(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, max_retries=2)
    once = wx.with_options(max_retries=0)
    assert type(once) is type(wx) and once is not wx
    ident = await Target("webex").make(wx)

    mock.faults.add_spec(f"{op}:503:times=1")
    sent = mock.state.counts(op).received
    with pytest.raises(errors.InternalServerError) as caught:
        await done(once.attachment_actions.get(ident))
    assert caught.value.status_code == 503
    assert mock.state.counts(op).received == sent + 1, "the copy did not retry"
    assert clock.sleeps == []

    mock.faults.add_spec(f"{op}:503:times=1")
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert mock.state.counts(op).received == sent + 3, "the original retried once"
    assert len(clock.sleeps) == 1


async def test_a_copy_with_a_short_timeout_times_out_where_the_original_does_not(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    wx = face.webex(mock, max_retries=0)
    hasty = wx.with_options(timeout=0.2)
    ident = await Target("webex").make(wx)
    try:
        mock.faults.add_spec(f"{op}:latency=1.5:times=1")
        with pytest.raises(errors.APITimeoutError):
            await done(hasty.attachment_actions.get(ident))
        settle(mock)
        mock.faults.add_spec(f"{op}:latency=0.5:times=1")
        assert (await done(wx.attachment_actions.get(ident))).id == ident, "the original kept its 30 s"
    finally:
        settle(mock)


async def test_default_headers_of_the_original_and_of_the_copy_both_reach_the_server(
    face: Face, mock: MockServer
) -> None:
    recorder = Recorder(mock)
    wx = face.webex(
        mock,
        http_client=face.recording(recorder),
        default_headers={"X-Team": "support", "X-Tenant": "original"},
    )
    copy = wx.with_options(default_headers={"X-Copy": "yes", "X-Tenant": "copy"})
    action = await done(copy.attachment_actions.create(message_id=unique("msg"), inputs={}))
    await done(wx.attachment_actions.get(action.id))

    from_copy, from_original = recorder.api()
    assert from_copy.method == "POST" and from_original.method == "GET"
    assert from_copy.headers.get_list("X-Team") == ["support"]
    assert from_copy.headers.get_list("X-Copy") == ["yes"]
    assert from_copy.headers.get_list("X-Tenant") == ["copy"]
    assert from_original.headers.get_list("X-Team") == ["support"]
    assert from_original.headers.get_list("X-Tenant") == ["original"]
    assert "X-Copy" not in from_original.headers, "the copy's headers stay on the copy"


async def test_a_copys_default_headers_replace_the_originals_whatever_their_case(face: Face, mock: MockServer) -> None:
    """Header names are case-insensitive: `X-Tenant` and `x-tenant` are one header, so the copy's value replaces the
    original's, as `with_options` documents, instead of both being sent."""
    recorder = Recorder(mock)
    wx = face.webex(mock, http_client=face.recording(recorder), default_headers={"X-Tenant": "original"})
    copy = wx.with_options(default_headers={"x-tenant": "copy"})
    await done(copy.attachment_actions.create(message_id=unique("msg"), inputs={}))
    [sent] = recorder.api()
    assert sent.headers.get_list("X-Tenant") == ["copy"]


async def test_closing_a_copy_leaves_the_original_usable(face: Face, mock: MockServer) -> None:
    wx = face.webex(mock)
    ident = await Target("webex").make(wx)
    copy = wx.with_options(max_retries=1)
    assert (await done(copy.attachment_actions.get(ident))).id == ident
    await done(copy.close())
    assert (await done(wx.attachment_actions.get(ident))).id == ident

    other = wx.with_options(timeout=10.0)
    if face.name == "sync":
        with other:
            other.attachment_actions.get(ident)
    else:
        async with other:
            await other.attachment_actions.get(ident)
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert (await done(copy.attachment_actions.get(ident))).id == ident, "a closed copy left the pool open"


async def test_a_copy_shares_the_token_cache(face: Face, mock: MockServer) -> None:
    tokens = mock.state.counts("token").received
    td = face.talkdesk(mock)
    copy = td.with_options(max_retries=0, default_headers={"X-Copy": "yes"})
    copy_of_copy = copy.with_options(timeout=10.0)
    await done(td.attachments.request_upload_link())
    await done(copy.attachments.request_upload_link())
    await done(copy_of_copy.conversations.start(touchpoint_id="tp-1"))
    assert mock.state.counts("token").received == tokens + 1, "one token for the original and its copies"


async def test_a_copy_shares_the_cooldown(face: Face, mock: MockServer) -> None:
    op = "get_attachment_action"
    clock = FakeClock()
    wx = face.webex(mock, clock=clock, max_retries=0)
    copy = wx.with_options(max_retries=0)
    ident = await Target("webex").make(wx)
    mock.faults.add_spec(f"{op}:429:retry-after=30:times=1")
    with pytest.raises(errors.RateLimitError):
        await done(copy.attachment_actions.get(ident))
    assert (await done(wx.attachment_actions.get(ident))).id == ident
    assert clock.sleeps == [30.0]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "soon"}, "timeout"),
        ({"default_headers": {"Authorization": "Bearer x"}}, "default_headers['Authorization']"),
        ({"default_headers": {"Bad Name": "x"}}, "default_headers['Bad Name']"),
        ({"default_headers": {"X-Fine": "line\r\nX-Injected: 1"}}, "default_headers['X-Fine']"),
    ],
)
async def test_with_options_checks_its_arguments(
    face: Face, mock: MockServer, options: dict[str, Any], field: str
) -> None:
    wx = face.webex(mock)
    requests = total_requests(mock)
    with pytest.raises(errors.ValidationError) as caught:
        wx.with_options(**options)
    assert caught.value.field == field
    assert total_requests(mock) == requests


# 3. default_headers and extra_headers ----------------------------------------------------------------------------


@dataclasses.dataclass
class Context:
    """The objects a method needs, made through the client under test, and plain-HTTP upload links for `create`."""

    mock: MockServer
    http: httpx.Client
    td: Any = None
    wx: Any = None
    attachment: Any = None
    conversation_id: str = ""
    action_id: str = ""
    key: str = dataclasses.field(default_factory=lambda: unique("key"))

    def uploaded(self) -> str:
        """A request_id whose bytes are already uploaded (what `create` takes), made without attachkit."""
        return upload(self.http, self.mock, talkdesk_headers(self.http, self.mock), DATA)


@dataclasses.dataclass(frozen=True)
class Method:
    """One public resource method, how to call it, and what of its result must match between two calls."""

    vendor: Vendor
    resource: str
    name: str
    status: int  # what the mock answers the (last) request of a call
    kind: type  # what the method returns
    call: Callable[[Any, Context, dict[str, Any]], Any]
    same: Callable[[Any], Any]  # the part of the result a second call must reproduce
    storage: bool = False  # the call also sends to a pre-signed storage URL

    def __str__(self) -> str:
        return f"{self.resource}.{self.name}"

    def bound(self, client: Any, *, raw: bool = False) -> Any:
        return getattr(client.with_raw_response if raw else client, self.resource)


def _shape(value: Any) -> Any:
    """A model's type and field names: for results that differ in ids and names between two calls."""
    return type(value), tuple(a.name for a in attrs.fields(type(value)))


METHODS = [
    Method(
        "talkdesk",
        "attachments",
        "request_upload_link",
        200,
        UploadLink,
        lambda r, c, o: r.request_upload_link(allowed_mime_types=["text/plain"], **o),
        lambda v: (_shape(v), v.url.rsplit("/", 1)[0]),
    ),
    Method(
        "talkdesk",
        "attachments",
        "create",
        200,
        Attachment,
        lambda r, c, o: r.create(name=unique("file") + ".txt", request_id=c.uploaded(), metadata={"k": "v"}, **o),
        lambda v: (_shape(v), v.state, v.size, v.type_, v.metadata),
    ),
    Method("talkdesk", "attachments", "get", 200, Attachment, lambda r, c, o: r.get(c.attachment.id, **o), lambda v: v),
    Method(
        "talkdesk",
        "attachments",
        "download_link",
        200,
        DownloadLink,
        lambda r, c, o: r.download_link(c.attachment.id, **o),
        lambda v: (_shape(v), v.expire_time, v.url.rsplit("/", 1)[0]),
    ),
    Method(
        "talkdesk",
        "attachments",
        "upload",
        200,
        Attachment,
        lambda r, c, o: r.upload(DATA, name=unique("up") + ".txt", metadata={"k": "v"}, **o),
        lambda v: (_shape(v), v.state, v.size, v.type_, v.metadata),
        storage=True,
    ),
    Method(
        "talkdesk",
        "attachments",
        "download",
        200,
        int,
        lambda r, c, o: r.download(c.attachment.id, io.BytesIO(), **o),
        lambda v: v,
        storage=True,
    ),
    Method(
        "talkdesk",
        "conversations",
        "start",
        201,
        StartedConversation,
        lambda r, c, o: r.start(touchpoint_id="tp-1", idempotency_key=c.key, **o),
        lambda v: v,
    ),
    Method(
        "talkdesk",
        "conversations",
        "send_message",
        201,
        SentMessage,
        lambda r, c, o: r.send_message(c.conversation_id, content="hello", idempotency_key=c.key, **o),
        lambda v: v,
    ),
    Method(
        "webex",
        "attachment_actions",
        "create",
        200,
        AttachmentActivity,
        lambda r, c, o: r.create(message_id="msg-surface", inputs={"Name": "Ada"}, **o),
        lambda v: (_shape(v), v.type_, v.message_id, v.inputs),
    ),
    Method(
        "webex",
        "attachment_actions",
        "get",
        200,
        AttachmentActivity,
        lambda r, c, o: r.get(c.action_id, **o),
        lambda v: v,
    ),
]
# Every method of every resource: a method added to a resource and left out here fails this check.
PUBLIC = {
    ("talkdesk", "attachments"): {"request_upload_link", "create", "get", "download_link", "upload", "download"},
    ("talkdesk", "conversations"): {"start", "send_message"},
    ("webex", "attachment_actions"): {"create", "get"},
}


def test_the_method_table_covers_every_public_method() -> None:
    from attachkit.talkdesk import Attachments, Conversations
    from attachkit.webex import AttachmentActions

    classes = {
        ("talkdesk", "attachments"): Attachments,
        ("talkdesk", "conversations"): Conversations,
        ("webex", "attachment_actions"): AttachmentActions,
    }
    for where, cls in classes.items():
        public = {n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")}
        assert public == PUBLIC[where], where
    assert {(m.vendor, m.resource, m.name) for m in METHODS} == {(*w, n) for w, names in PUBLIC.items() for n in names}


async def prepare(face: Face, mock: MockServer, http: httpx.Client, method: Method, **options: Any) -> Context:
    """The client a method belongs to (built with `options`), and the objects it needs."""
    context = Context(mock, http)
    if method.vendor == "webex":
        context.wx = face.webex(mock, **options)
        action = await done(context.wx.attachment_actions.create(message_id=unique("msg"), inputs={"Name": "Ada"}))
        context.action_id = action.id
    else:
        context.td = face.talkdesk(mock, **options)
        context.attachment = await done(context.td.attachments.upload(DATA, name=unique("file") + ".txt"))
        context.conversation_id = (await done(context.td.conversations.start(touchpoint_id="tp-1"))).id
    return context


@pytest.mark.parametrize("method", METHODS, ids=str)
async def test_default_and_extra_headers_reach_the_api_but_not_the_storage_links(
    face: Face, mock: MockServer, http: httpx.Client, method: Method
) -> None:
    recorder = Recorder(mock)
    context = await prepare(
        face, mock, http, method, http_client=face.recording(recorder), default_headers={"X-Default": "client"}
    )
    client = context.wx if method.vendor == "webex" else context.td
    start = len(recorder.sent)

    await done(method.call(method.bound(client), context, {"extra_headers": {"X-Call": "this-call"}}))

    api, storage = recorder.api(start), recorder.storage(start)
    assert api, "the call made API requests"
    for sent in api:
        assert sent.headers.get_list("X-Default") == ["client"], sent.url
        assert sent.headers.get_list("X-Call") == ["this-call"], sent.url
    assert bool(storage) == method.storage
    for sent in storage:  # the pre-signed PUT (upload) and GET (download), whose signatures may cover headers
        assert "X-Call" not in sent.headers and "X-Default" not in sent.headers, sent.url
    # The next call without extra_headers carries only the client's.
    again = len(recorder.sent)
    await done(method.call(method.bound(client), context, {}))
    for sent in recorder.api(again):
        assert "X-Call" not in sent.headers
        assert sent.headers.get_list("X-Default") == ["client"]


async def test_extra_headers_override_default_headers_for_one_call(face: Face, mock: MockServer) -> None:
    recorder = Recorder(mock)
    wx = face.webex(mock, http_client=face.recording(recorder), default_headers={"X-Tenant": "default", "X-Keep": "k"})
    ident = await Target("webex").make(wx)
    start = len(recorder.sent)
    await done(wx.attachment_actions.get(ident, extra_headers={"x-tenant": "call"}))
    await done(wx.attachment_actions.get(ident))
    overridden, plain = recorder.api(start)
    assert overridden.headers.get_list("X-Tenant") == ["call"]
    assert overridden.headers.get_list("X-Keep") == ["k"]
    assert plain.headers.get_list("X-Tenant") == ["default"]


async def test_attachkit_still_sets_user_agent_and_authorization(face: Face, mock: MockServer) -> None:
    recorder = Recorder(mock)
    wx = face.webex(mock, http_client=face.recording(recorder))
    await done(wx.attachment_actions.create(message_id=unique("msg"), inputs={}))
    [sent] = recorder.api()
    assert sent.headers["User-Agent"].startswith("attachkit/")
    assert sent.headers["Authorization"] == f"Bearer {mock.webex_token}"


@pytest.mark.parametrize("name", RESERVED)
async def test_reserved_headers_are_refused_by_name_and_nothing_is_sent(
    face: Face, mock: MockServer, name: str
) -> None:
    recorder = Recorder(mock)
    http_client = face.recording(recorder)
    wx = face.webex(mock, http_client=http_client)
    td = face.talkdesk(mock, http_client=http_client)
    requests = total_requests(mock)
    calls = [
        lambda h: wx.attachment_actions.get("some-action", extra_headers=h),
        lambda h: wx.attachment_actions.create(message_id="m", inputs={}, extra_headers=h),
        lambda h: td.attachments.upload(DATA, name="x.txt", extra_headers=h),
        lambda h: td.attachments.download("some-attachment", io.BytesIO(), extra_headers=h),
        lambda h: td.conversations.send_message("c", content="x", extra_headers=h),
        lambda h: wx.with_raw_response.attachment_actions.get("some-action", extra_headers=h),
    ]
    for call in calls:
        with pytest.raises(errors.ValidationError) as caught:
            await done(call({"X-Fine": "ok", name: "value"}))
        assert caught.value.field == f"extra_headers[{name!r}]"
        assert name in str(caught.value)
    for build in (face.webex, face.talkdesk):
        with pytest.raises(errors.ValidationError) as caught:
            build(mock, default_headers={name: "value"})
        assert caught.value.field == f"default_headers[{name!r}]"
    with pytest.raises(errors.ValidationError) as caught:
        wx.with_options(default_headers={name: "value"})
    assert caught.value.field == f"default_headers[{name!r}]"
    assert total_requests(mock) == requests, "nothing was sent"
    assert recorder.sent == []


def test_a_refusal_says_what_to_use_instead() -> None:
    with pytest.raises(errors.ValidationError) as caught:
        WebexClient(access_token="t", base_url="http://127.0.0.1:9", default_headers={"authorization": "Bearer x"})
    assert "access_token" in caught.value.reason
    with pytest.raises(errors.ValidationError) as caught:
        WebexClient(access_token="t", base_url="http://127.0.0.1:9", default_headers={"X-Idempotency-Key": "k"})
    assert "idempotency_key" in caught.value.reason


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({"Bad Name": "x"}, "extra_headers['Bad Name']"),
        ({"": "x"}, "extra_headers['']"),
        ({"X-Colon:": "x"}, "extra_headers['X-Colon:']"),
        ({"X-Naïve": "x"}, "extra_headers['X-Naïve']"),
        ({"X-Newline\n": "x"}, "extra_headers['X-Newline\\n']"),
        ({"X-Value": "two\r\nX-Injected: 1"}, "extra_headers['X-Value']"),
        ({"X-Value": "line\nbreak"}, "extra_headers['X-Value']"),
        ({"X-Value": "caf\u00e9"}, "extra_headers['X-Value']"),
        ({"X-Value": "nul\x00"}, "extra_headers['X-Value']"),
        ({"X-Value": " padded "}, "extra_headers['X-Value']"),
        ({"X-Value": 5}, "extra_headers['X-Value']"),
        ({"X-Value": None}, "extra_headers['X-Value']"),
        ({"X-Value": b"bytes"}, "extra_headers['X-Value']"),
        ({7: "x"}, "extra_headers[7]"),
        ([("X-Pairs", "x")], "extra_headers"),
    ],
)
async def test_invalid_header_names_and_values_are_refused(
    face: Face, mock: MockServer, headers: Any, field: str
) -> None:
    recorder = Recorder(mock)
    wx = face.webex(mock, http_client=face.recording(recorder))
    requests = total_requests(mock)
    with pytest.raises(errors.ValidationError) as caught:
        await done(wx.attachment_actions.get("some-action", extra_headers=headers))
    assert caught.value.field == field
    if isinstance(headers, dict):
        with pytest.raises(errors.ValidationError) as caught:
            face.webex(mock, default_headers=headers)
        assert caught.value.field == field.replace("extra_headers", "default_headers")
    assert total_requests(mock) == requests
    assert recorder.sent == []


# 4. with_raw_response --------------------------------------------------------------------------------------------


def _tracking_header(response: httpx.Response) -> str | None:
    for name in ("TrackingID", "x-request-id", "x-amz-request-id"):
        if name in response.headers:
            return response.headers[name]
    return None


@pytest.mark.parametrize("method", METHODS, ids=str)
async def test_with_raw_response_answers_like_the_plain_method(
    face: Face, mock: MockServer, http: httpx.Client, method: Method
) -> None:
    context = await prepare(face, mock, http, method)
    client = context.wx if method.vendor == "webex" else context.td
    settle(mock)

    raw = await done(method.call(method.bound(client, raw=True), context, {}))
    last = mock.state.history[-1]
    plain = await done(method.call(method.bound(client), context, {}))

    assert isinstance(raw, RawResponse)
    assert raw.status_code == method.status == last.status, "the status the mock answered"
    assert raw.request.method == last.method
    assert raw.http_response.status_code == raw.status_code
    assert raw.request is raw.http_response.request
    assert raw.headers is raw.http_response.headers
    value = raw.parse()
    assert value is raw.parse()
    assert type(value) is type(plain) is method.kind
    assert method.same(value) == method.same(plain)
    assert raw.tracking_id == _tracking_header(raw.http_response)
    if method.vendor == "webex":
        assert raw.tracking_id and raw.tracking_id.startswith("ATTACHKIT_"), "Webex sends a TrackingID"
    if method.storage and method.name == "download":
        assert raw.request.url.path.startswith("/storage/downloads/"), "the last answer: the storage GET"
    text = repr(raw)
    assert text.startswith(f"<RawResponse [{raw.status_code}] {raw.request.method} http://")
    assert "?" not in text and "Bearer" not in text
    secrets = [mock.webex_token, mock.client_secret]
    if "Authorization" in raw.request.headers:  # an API call; the storage links carry no credentials
        secrets.append(raw.request.headers["Authorization"].removeprefix("Bearer "))
    for secret in secrets:
        assert secret not in text


async def test_raw_response_of_the_other_documented_success_statuses(face: Face, mock: MockServer) -> None:
    td = face.talkdesk(mock)
    conversation = await done(td.conversations.start(touchpoint_id="tp-1"))
    partial = await done(
        td.with_raw_response.conversations.send_message(conversation.id, content="x", attachments=[{"id": "ghost"}])
    )
    assert partial.status_code == 206 and partial.parse().partial
    assert partial.parse().status_code == 206
    with strict_mock(webex_create_status=202) as accepting:
        wx = face.webex(accepting)
        accepted = await done(wx.with_raw_response.attachment_actions.create(message_id="m-202", inputs={}))
        assert accepted.status_code == 202
        assert isinstance(accepted.parse(), AttachmentActivity) and accepted.parse().message_id == "m-202"
        await done(wx.close())


def test_raw_response_repr_leaves_out_the_query_string() -> None:
    request = httpx.Request("GET", "https://bucket.example/file?X-Amz-Signature=s3cr3t&X-Amz-Credential=AKIA")
    raw = RawResponse(httpx.Response(200, request=request, headers={"TrackingID": "T-1"}), 3)
    assert "s3cr3t" not in repr(raw) and "AKIA" not in repr(raw)
    assert repr(raw) == "<RawResponse [200] GET https://bucket.example/file?…>"
    assert (raw.tracking_id, raw.parse()) == ("T-1", 3)


# The typing of the surface: mypy --strict, the package as users get it (no project config) ------------------------

SURFACE_OK = """
from __future__ import annotations

import io

import httpx

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, RawResponse, TalkdeskClient, WebexClient
from attachkit.talkdesk import SentMessage, StartedConversation
from attachkit.talkdesk.models import Attachment, DownloadLink, UploadLink
from attachkit.webex.models import AttachmentActivity


def sync_surface(wx: WebexClient, td: TalkdeskClient) -> None:
    quick: WebexClient = wx.with_options(timeout=5.0, max_retries=0, default_headers={"X-Team": "support"})
    slow: TalkdeskClient = td.with_options(timeout=httpx.Timeout(60.0))
    x: RawResponse[AttachmentActivity | None] = quick.with_raw_response.attachment_actions.create(
        message_id="m", inputs={"Name": "Ada"}, extra_headers={"X-Call": "1"}
    )
    got: RawResponse[AttachmentActivity] = wx.with_raw_response.attachment_actions.get("a", timeout=2.0)
    action: AttachmentActivity = got.parse()
    status: int = got.status_code
    tracking: str | None = got.tracking_id
    response: httpx.Response = got.http_response
    request: httpx.Request = got.request
    headers: httpx.Headers = got.headers
    link: RawResponse[UploadLink] = slow.with_raw_response.attachments.request_upload_link(["text/plain"])
    made: RawResponse[Attachment] = td.with_raw_response.attachments.create(name="n", request_id="r")
    fetched: RawResponse[Attachment] = td.with_raw_response.attachments.get("id", max_retries=0)
    download: RawResponse[DownloadLink] = td.with_raw_response.attachments.download_link("id")
    uploaded: RawResponse[Attachment] = td.with_raw_response.attachments.upload(b"x", name="x.txt")
    written: RawResponse[int] = td.with_raw_response.attachments.download("id", io.BytesIO())
    started: RawResponse[StartedConversation] = slow.with_raw_response.conversations.start(touchpoint_id="tp")
    sent: RawResponse[SentMessage] = td.with_raw_response.conversations.send_message("c", content="hi")
    print(x, action, status, tracking, response, request, headers, link, made, fetched, download, uploaded)
    print(written, started, sent)


async def async_surface(wx: AsyncWebexClient, td: AsyncTalkdeskClient) -> None:
    quick: AsyncWebexClient = wx.with_options(timeout=5.0, max_retries=0, default_headers={"X-Team": "support"})
    slow: AsyncTalkdeskClient = td.with_options(max_retries=5)
    x: RawResponse[AttachmentActivity | None] = await quick.with_raw_response.attachment_actions.create(
        message_id="m", inputs={"Name": "Ada"}, extra_headers={"X-Call": "1"}
    )
    got: RawResponse[AttachmentActivity] = await wx.with_raw_response.attachment_actions.get("a")
    action: AttachmentActivity = got.parse()
    link: RawResponse[UploadLink] = await slow.with_raw_response.attachments.request_upload_link()
    made: RawResponse[Attachment] = await td.with_raw_response.attachments.create(name="n", request_id="r")
    fetched: RawResponse[Attachment] = await td.with_raw_response.attachments.get("id")
    download: RawResponse[DownloadLink] = await td.with_raw_response.attachments.download_link("id")
    uploaded: RawResponse[Attachment] = await td.with_raw_response.attachments.upload(b"x", name="x.txt")
    written: RawResponse[int] = await td.with_raw_response.attachments.download("id", io.BytesIO())
    started: RawResponse[StartedConversation] = await td.with_raw_response.conversations.start(touchpoint_id="t")
    sent: RawResponse[SentMessage] = await td.with_raw_response.conversations.send_message("c", content="hi")
    print(x, action, link, made, fetched, download, uploaded, written, started, sent)
"""

# The async face's raw methods are coroutines at run time, and must be to the type checker too: `asyncio.run` and
# `asyncio.create_task` take coroutines, not any awaitable, and both take the plain methods.
SURFACE_TASKS = """
from __future__ import annotations

import asyncio

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, RawResponse
from attachkit.talkdesk.models import UploadLink
from attachkit.webex.models import AttachmentActivity


async def in_tasks(wx: AsyncWebexClient, td: AsyncTalkdeskClient) -> None:
    plain: asyncio.Task[AttachmentActivity] = asyncio.create_task(wx.attachment_actions.get("a"))
    raw: asyncio.Task[RawResponse[AttachmentActivity]] = asyncio.create_task(
        wx.with_raw_response.attachment_actions.get("a")
    )
    link: asyncio.Task[RawResponse[UploadLink]] = asyncio.create_task(
        td.with_raw_response.attachments.request_upload_link()
    )
    print(await plain, await raw, await link)


def run(wx: AsyncWebexClient) -> None:
    plain: AttachmentActivity = asyncio.run(wx.attachment_actions.get("a"))
    raw: RawResponse[AttachmentActivity] = asyncio.run(wx.with_raw_response.attachment_actions.get("a"))
    print(plain, raw)
"""

# Each marked line must be flagged: proof that mypy sees attachkit's real types (an unresolved package is `Any`).
SURFACE_BAD = """
from __future__ import annotations

from attachkit import AsyncWebexClient, RawResponse, WebexClient
from attachkit.webex.models import AttachmentActivity


def misuse(wx: WebexClient, awx: AsyncWebexClient) -> None:
    a: RawResponse[str] = wx.with_raw_response.attachment_actions.get("a")  # BAD
    wx.with_raw_response.attachment_actions.get(42)  # BAD
    wx.with_raw_response.attachment_actions.get("a", timeout="soon")  # BAD
    wx.with_raw_response.attachment_actions.get("a", extra_headers=[("X", "y")])  # BAD
    b: RawResponse[AttachmentActivity] = wx.with_raw_response.attachment_actions.create(message_id="", inputs={})  # BAD
    c: RawResponse[AttachmentActivity] = awx.with_raw_response.attachment_actions.get("a")  # BAD
    d: AsyncWebexClient = wx.with_options(max_retries=1)  # BAD
    wx.with_options(max_retries="3")  # BAD
    wx.with_options(retry=None)  # BAD
    e: int = wx.with_raw_response.attachment_actions.get("a").parse()  # BAD
    print(a, b, c, d, e)
"""


def _mypy_strict(modules: dict[str, str], workdir: Path) -> tuple[int, str]:
    """`mypy --strict` over `modules` in one run, with an empty configuration (as tests/e2e/test_readme_types.py)."""
    for name, code in modules.items():
        (workdir / f"{name}.py").write_text(code)
    config = workdir / "mypy.ini"
    config.write_text("[mypy]\n")
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-color-output"]
    command += ["--config-file", str(config), "--cache-dir", str(workdir / ".mypy_cache")]
    command += [f"{name}.py" for name in modules]
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env, timeout=600, check=False)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    modules = {"surface_ok": SURFACE_OK, "surface_tasks": SURFACE_TASKS, "surface_bad": SURFACE_BAD}
    return _mypy_strict(modules, tmp_path_factory.mktemp("surface"))


def _errors(output: str, module: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for match in re.finditer(rf"^{module}\.py:(\d+): error: (.*)$", output, re.M):
        found.setdefault(int(match[1]), []).append(match[2])
    return found


def test_with_raw_response_and_with_options_pass_mypy_strict(typed: tuple[int, str]) -> None:
    returncode, output = typed
    assert returncode in (0, 1), output  # 2: mypy crashed or was misused
    assert _errors(output, "surface_ok") == {}, output


async def test_async_raw_methods_are_coroutine_functions_and_type_check_as_such(typed: tuple[int, str]) -> None:
    async with (
        AsyncWebexClient(access_token="t", base_url="http://127.0.0.1:9") as wx,
        AsyncTalkdeskClient(access_token="t", base_url="http://127.0.0.1:9") as td,
    ):
        for method in METHODS:
            client = wx if method.vendor == "webex" else td
            raw = getattr(method.bound(client, raw=True), method.name)
            assert inspect.iscoroutinefunction(raw), method
            assert inspect.iscoroutinefunction(getattr(method.bound(client), method.name)), method
    assert _errors(typed[1], "surface_tasks") == {}, typed[1]


def test_misuse_of_with_raw_response_and_with_options_is_flagged(typed: tuple[int, str]) -> None:
    _, output = typed
    expected = {n for n, line in enumerate(SURFACE_BAD.splitlines(), 1) if line.endswith("# BAD")}
    flagged = _errors(output, "surface_bad")
    assert set(flagged) == expected, output
