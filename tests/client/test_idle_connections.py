"""The httpx backend's idle connections: a server's close is seen before a request is put on the connection.

httpcore's pool asks each idle connection `is_readable` before reusing it; attachkit's network answers from the
socket it keeps (anyio's answer rebuilds a table each time). Over real loopback sockets, sync and async.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from attachkit._async.network import AsyncDeadlineBackend
from attachkit._generated._sync.network import DeadlineBackend


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server


async def test_async_stream_sees_the_peer_close(listener: socket.socket) -> None:
    stream = await AsyncDeadlineBackend().connect_tcp("127.0.0.1", listener.getsockname()[1], timeout=5)
    peer, _ = listener.accept()
    try:
        assert stream.get_extra_info("is_readable") is False  # idle, nothing sent: reusable
        assert stream.get_extra_info("is_readable") is False  # asked again, from the kept socket
        peer.close()
        assert stream.get_extra_info("is_readable") is True  # the close is readable (b""): not reusable
        assert stream.get_extra_info("socket") is not None  # other questions still go to httpcore's stream
    finally:
        await stream.aclose()
    assert stream.get_extra_info("is_readable") is True  # a closed socket counts as gone


def test_sync_stream_sees_the_peer_close(listener: socket.socket) -> None:
    stream = DeadlineBackend().connect_tcp("127.0.0.1", listener.getsockname()[1], timeout=5)
    peer, _ = listener.accept()
    try:
        assert stream.get_extra_info("is_readable") is False
        peer.sendall(b"x")  # unread data also makes the connection unfit for a new request
        assert stream.get_extra_info("is_readable") is True
    finally:
        peer.close()
        stream.close()
