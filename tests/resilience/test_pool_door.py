"""The httpx backend's pools are entered one request at a time (`attachkit._async.network._Turn`).

- Every request is placed on a connection at its first try: httpcore's pool alone hands requests queued together
  the same idle connection, and all but one try again (about 12 tries a request at 64 in flight).
- Waiting at the door counts against the request's own pool timeout: a request behind one that waits for a free
  connection gives up at its own timeout, not after the one ahead of it.

Real loopback servers, sync and async.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

import httpcore
import httpx
import pytest

from attachkit import AsyncWebexClient, FakeClock, WebexClient, errors
from attachkit._async.network import AsyncNetwork
from attachkit._generated._sync.network import Network
from tests._support.waiting import aeventually, eventually
from tests.resilience.hostile_servers import ACTION, JsonServer, RawServer, Reply, Seen, silent

ONE = httpx.Limits(max_connections=1, max_keepalive_connections=1)


def test_each_request_is_placed_at_its_first_try(monkeypatch: pytest.MonkeyPatch) -> None:
    tries = 0
    send = httpcore.AsyncHTTPConnection.handle_async_request

    async def counted(self: httpcore.AsyncHTTPConnection, request: httpcore.Request) -> httpcore.Response:
        nonlocal tries
        tries += 1
        return await send(self, request)

    monkeypatch.setattr(httpcore.AsyncHTTPConnection, "handle_async_request", counted)
    in_flight, rounds = 16, 10
    together = threading.Barrier(in_flight, timeout=10)

    def answer_together(seen: Seen) -> Reply:
        together.wait()  # every answer of a round leaves at once, so the next requests arrive together
        return Reply(200, ACTION)

    async def run(url: str) -> int:
        async with AsyncWebexClient(access_token="t", base_url=f"{url}/v1", backend="httpx") as webex:

            async def worker() -> int:
                return sum([(await webex.attachment_actions.get("a")).id == "a" for _ in range(rounds)])

            return sum(await asyncio.gather(*(worker() for _ in range(in_flight))))

    with JsonServer(answer_together) as server:
        assert asyncio.run(run(server.url)) == in_flight * rounds
    assert tries == in_flight * rounds


def _door(network: AsyncNetwork | Network) -> Any:
    pool_and_door = network._pools.get()[None]
    return pool_and_door[1]


async def test_a_request_waiting_at_the_door_keeps_its_own_pool_timeout() -> None:
    ended: list[tuple[str, str]] = []
    with RawServer(silent()) as server:
        network = AsyncNetwork(proxy=None, limits=ONE, trust_env=False)
        async with httpx.AsyncClient(transport=network) as client:

            async def get(name: str, pool: float) -> None:
                try:
                    await client.get(server.url, timeout=httpx.Timeout(10.0, pool=pool))
                except httpx.HTTPError as exc:
                    ended.append((name, type(exc).__name__))

            holder = asyncio.create_task(get("A", 10.0))  # takes the only connection; the server never answers
            await aeventually(lambda: server.connections == 1 and not _door(network).taken(), what="A placed")
            ahead = asyncio.create_task(get("B", 1.0))  # through the door, then waits in the pool
            await aeventually(lambda: _door(network).taken(), what="B through the door")
            await get("C", 0.1)  # waits at the door behind B
            await ahead
            holder.cancel()
            await asyncio.gather(holder, return_exceptions=True)
    assert ended == [("C", "PoolTimeout"), ("B", "PoolTimeout")]


def test_a_request_waiting_at_the_door_keeps_its_own_pool_timeout_sync() -> None:
    ended: list[tuple[str, str]] = []
    lock = threading.Lock()
    with RawServer(silent()) as server:
        network = Network(proxy=None, limits=ONE, trust_env=False)
        with httpx.Client(transport=network) as client:

            def get(name: str, pool: float) -> None:
                try:
                    client.get(server.url, timeout=httpx.Timeout(10.0, pool=pool))
                except httpx.HTTPError as exc:
                    with lock:
                        ended.append((name, type(exc).__name__))

            holder = threading.Thread(target=get, args=("A", 10.0))  # ends when the server closes its socket
            holder.start()
            eventually(lambda: server.connections == 1 and not _door(network).taken(), what="A placed")
            ahead = threading.Thread(target=get, args=("B", 1.0))
            ahead.start()
            eventually(lambda: _door(network).taken(), what="B through the door")
            get("C", 0.1)
            ahead.join()
    holder.join()
    assert ended[:2] == [("C", "PoolTimeout"), ("B", "PoolTimeout")]


def test_a_call_that_finds_no_free_connection_is_retried_then_times_out(caplog: pytest.LogCaptureFixture) -> None:
    """What the reliability guide promises of waiting for a connection, through a client: each attempt waits its
    pool timeout, is retried as never sent, and the call ends in `APITimeoutError` with nothing sent."""
    caplog.set_level(logging.INFO, logger="attachkit")
    network = Network(proxy=None, limits=ONE, trust_env=False)
    with RawServer(silent()) as server, httpx.Client(transport=network) as pool:
        holder = threading.Thread(target=_held, args=(pool, server.url))  # the only connection, never answered
        holder.start()
        eventually(lambda: server.connections == 1, what="the connection taken")
        options = {"access_token": "t", "base_url": f"{server.url}/v1", "http_client": pool, "clock": FakeClock()}
        with (
            WebexClient(**options, timeout=0.2, max_retries=1) as webex,
            pytest.raises(errors.APITimeoutError) as raised,
        ):
            webex.attachment_actions.get("a")
        assert "PoolTimeout" in str(raised.value)
        assert len(server.requests) == 1, "only the holder's request reached the server"
    holder.join()
    assert [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()] != [], "the first was retried"


def _held(client: httpx.Client, url: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        client.get(url, timeout=httpx.Timeout(10.0))
