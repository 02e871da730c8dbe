"""Single-flight token refresh, on both faces, over real loopback sockets.

Many callers that find the Talkdesk token stale at once, or that all meet a 401 for it at once, must cause one
token request between them, not one each. The clients talk to `MockServer` through a small gating proxy of our
own on 127.0.0.1, which counts token requests and *holds* each one until as many token requests as there are
callers have arrived. Without single flight every caller sends its own token request within milliseconds, the
gate fills and the test sees N requests; with it the others wait inside the client, nobody else arrives, and the
gate gives up after `PATIENCE`. That grace window is the only wait that runs to its end, and only when the code is
right. Because the token request really crosses a socket, the async face yields to the event loop while it is in
flight, so the other tasks do reach the auth flow (a fake transport that answers synchronously would not show a
missing asyncio lock).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx

from attachkit import AsyncTalkdeskClient, FakeClock, TalkdeskClient
from attachkit.testing import MockServer

THREADS = 16
TASKS = 32
# How long a held token request waits for the others when none come. Without single flight they arrive within
# milliseconds of each other, so this only needs to outlast scheduling jitter; with it, every test pays it once.
PATIENCE = 0.5
BOUND = 20.0  # upper bound on every other wait: a hang becomes a failure, never a stuck run
STALE = 24 * 3600.0  # far past any token lifetime the mock grants
OPERATION = "request_upload_link"  # the mock's operation id for `attachments.request_upload_link()`

# Hop-by-hop headers, and ones the proxy sets itself, are not copied between the two legs.
_NOT_FORWARDED = frozenset(
    {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "accept-encoding", "te", "upgrade"}
)
_NOT_RETURNED = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "server"}
)


class Gate:
    """Holds the first `size` requests through it until all `size` have arrived, or `patience` seconds pass.

    Requests beyond the first `size` pass at once (a retry after the held wave is not held again).
    """

    def __init__(self, size: int, patience: float) -> None:
        self.size = size
        self.patience = patience
        self.arrived = 0
        self.timed_out = 0  # held requests released by the timeout rather than by the wave filling
        self._condition = threading.Condition()

    def pass_through(self) -> None:
        with self._condition:
            self.arrived += 1
            if self.arrived > self.size:
                return
            self._condition.notify_all()
            if not self._condition.wait_for(lambda: self.arrived >= self.size, timeout=self.patience):
                self.timed_out += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # all callers connect at once; the default backlog of 5 could drop some SYNs


class GatingProxy:
    """A threaded HTTP proxy on 127.0.0.1 in front of the mock: counts token requests and can hold them."""

    def __init__(self, mock: MockServer) -> None:
        self._mock = mock
        self._token_path = urlsplit(mock.token_url).path
        self._lock = threading.Lock()
        self.token_requests = 0
        self.token_gate: Gate | None = None
        self.api_gate: Gate | None = None
        self._upstream = httpx.Client(base_url=mock.url, timeout=BOUND, trust_env=False)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs offer
            # Headers and body go out in two writes; with Nagle on, the body would wait ~40 ms for a delayed ACK.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                proxy._forward(self)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test reports what matters

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._serve, name="single-flight-proxy", daemon=True)

    def _serve(self) -> None:
        # How often serve_forever checks for shutdown(); the default 0.5 s would add that much to every test.
        self._server.serve_forever(poll_interval=0.02)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def talkdesk_kwargs(self) -> dict[str, Any]:
        """The mock's Talkdesk arguments, with both URLs pointing through this proxy."""
        return {
            **self._mock.talkdesk_kwargs(),
            "base_url": self.url + urlsplit(self._mock.talkdesk_base_url).path,
            "token_url": self.url + self._token_path,
        }

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        if urlsplit(handler.path).path == self._token_path:
            with self._lock:
                self.token_requests += 1
            gate = self.token_gate
        else:
            gate = self.api_gate
        if gate is not None:
            gate.pass_through()
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _NOT_FORWARDED}
        response = self._upstream.request(handler.command, handler.path, headers=headers, content=body)
        handler.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in _NOT_RETURNED:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(response.content)))
        handler.end_headers()
        handler.wfile.write(response.content)

    def __enter__(self) -> GatingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(BOUND)
        self._upstream.close()


def unauthorized(mock: MockServer) -> int:
    return mock.state.counts(OPERATION).statuses.get(401, 0)


def from_threads(call: Callable[[], Any], threads: int) -> list[Any]:
    """`call()` from `threads` threads released together by a barrier; the results, or the first exception."""
    barrier = threading.Barrier(threads, timeout=BOUND)

    def lined_up() -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(lined_up) for _ in range(threads)]
        return [future.result(timeout=BOUND) for future in futures]


def assert_all_served(links: list[Any], callers: int) -> None:
    # Every caller got its own upload link: none failed, and none was answered from another's response.
    assert len({link.request_id for link in links}) == callers


def test_sync_callers_on_a_stale_token_share_one_token_request(mock: MockServer) -> None:
    clock = FakeClock()
    with GatingProxy(mock) as proxy, TalkdeskClient(**proxy.talkdesk_kwargs(), clock=clock) as client:
        client.attachments.request_upload_link()
        assert proxy.token_requests == 1
        clock.advance(STALE)  # only the client's clock: it must refresh on its own, the mock would still accept
        proxy.token_gate = gate = Gate(THREADS, PATIENCE)

        links = from_threads(client.attachments.request_upload_link, THREADS)

        assert proxy.token_requests == 2, f"{THREADS} threads on a stale token made {proxy.token_requests - 1}"
        assert gate.timed_out == 1  # the one token request waited for company that never came
        assert_all_served(links, THREADS)


async def test_async_tasks_on_a_stale_token_share_one_token_request(mock: MockServer) -> None:
    clock = FakeClock()
    with GatingProxy(mock) as proxy:
        async with AsyncTalkdeskClient(**proxy.talkdesk_kwargs(), clock=clock) as client:
            await client.attachments.request_upload_link()
            assert proxy.token_requests == 1
            clock.advance(STALE)
            proxy.token_gate = gate = Gate(TASKS, PATIENCE)

            async with asyncio.timeout(BOUND):
                links = await asyncio.gather(*(client.attachments.request_upload_link() for _ in range(TASKS)))

            assert proxy.token_requests == 2, f"{TASKS} tasks on a stale token made {proxy.token_requests - 1}"
            assert gate.timed_out == 1
            assert_all_served(links, TASKS)


def test_sync_callers_meeting_a_401_together_share_one_refresh(mock: MockServer) -> None:
    with GatingProxy(mock) as proxy, TalkdeskClient(**proxy.talkdesk_kwargs(), clock=FakeClock()) as client:
        client.attachments.request_upload_link()
        assert proxy.token_requests == 1
        assert mock.expire_tokens() >= 1  # the client still thinks its token fresh; the server now answers 401
        rejected_before = unauthorized(mock)
        # Hold the first wave of API requests until all are in, so every caller sends the old token and gets its
        # 401 at the same moment; then hold the refresh as in the stale-token test.
        proxy.api_gate = Gate(THREADS, BOUND)
        proxy.token_gate = gate = Gate(THREADS, PATIENCE)

        links = from_threads(client.attachments.request_upload_link, THREADS)

        assert unauthorized(mock) - rejected_before == THREADS  # the scenario happened: all met the 401
        assert proxy.token_requests == 2, f"{THREADS} threads refreshing after a 401 made {proxy.token_requests - 1}"
        assert gate.timed_out == 1
        assert_all_served(links, THREADS)


async def test_async_tasks_meeting_a_401_together_share_one_refresh(mock: MockServer) -> None:
    with GatingProxy(mock) as proxy:
        async with AsyncTalkdeskClient(**proxy.talkdesk_kwargs(), clock=FakeClock()) as client:
            await client.attachments.request_upload_link()
            assert proxy.token_requests == 1
            assert mock.expire_tokens() >= 1
            rejected_before = unauthorized(mock)
            proxy.api_gate = Gate(TASKS, BOUND)
            proxy.token_gate = gate = Gate(TASKS, PATIENCE)

            async with asyncio.timeout(BOUND):
                links = await asyncio.gather(*(client.attachments.request_upload_link() for _ in range(TASKS)))

            assert unauthorized(mock) - rejected_before == TASKS
            assert proxy.token_requests == 2, f"{TASKS} tasks refreshing after a 401 made {proxy.token_requests - 1}"
            assert gate.timed_out == 1
            assert_all_served(links, TASKS)
