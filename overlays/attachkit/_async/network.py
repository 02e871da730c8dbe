"""attachkit's own connections: httpcore pools that honour proxies and hold every socket operation to the
attempt's deadline.

httpx's transports give no way to reach the sockets, so a server that drips its answer could outlast any
timeout. This transport is the same thin layer over httpcore that httpx's is, with one difference: its
network backend asks `attachkit._deadline.clamp()` before each connect, read and write. Proxies follow
httpx's and requests' rules: an explicit `proxy=` for everything, else `HTTP_PROXY`, `HTTPS_PROXY` and
`ALL_PROXY` from the environment, with `NO_PROXY` respected (through `urllib.request`, as requests does).
"""

from __future__ import annotations

import select
import socket
import ssl
import urllib.request
from collections.abc import AsyncIterator, Iterable
from contextvars import ContextVar
from typing import Any, Final

import httpcore
import httpx

from attachkit._deadline import clamp
from attachkit._faces import AsyncBodyStream, AsyncDefaultBackend, AsyncDoor, AsyncLoopBound

# httpcore's exceptions as httpx's, most specific first (httpx keeps the same table privately).
_EXCEPTIONS: Final[tuple[tuple[type[Exception], type[httpx.TransportError]], ...]] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


class _Turn:
    """A request's turn at its pool's door: held from entering the pool until it has a connection of its own.

    httpcore's pool hands every request queued in the same moment the same idle connection; all but one then find
    it taken and queue again, each time scanning every connection. At 64 calls in flight that was about 12
    attempts a request, and most of the CPU of a call. One request at a time through the door, each gone through
    once it writes on its connection or starts a new one, and every request is placed at the first try. Waiting
    for a free connection still happens inside the pool, in the order of arrival, within the pool timeout.
    """

    __slots__ = ("door",)

    def __init__(self) -> None:
        self.door: AsyncDoor | None = None  # set once the request is through the door

    def through(self) -> None:
        """Let the next request in (once)."""
        door, self.door = self.door, None
        if door is not None:
            door.leave()


_TURN: Final[ContextVar[_Turn | None]] = ContextVar("attachkit_turn", default=None)


def _placed() -> None:
    """The current request has a connection of its own: the next may enter its pool."""
    turn = _TURN.get()
    if turn is not None:
        turn.through()


def _translated(exc: Exception) -> Exception:
    """httpcore's exception as httpx's (the most specific match), or `exc` itself when it is not httpcore's."""
    for theirs, ours in _EXCEPTIONS:
        if isinstance(exc, theirs):
            return ours(str(exc) or type(exc).__name__)
    return exc


class AsyncDeadlineStream(httpcore.AsyncNetworkStream):
    """A connection whose every read and write waits no longer than the attempt's deadline allows."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, clamp(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:  # h11 hands over empty writes (a request without a body); they send nothing
            return
        _placed()
        await self._inner.write(buffer, clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, clamp(timeout, httpcore.ConnectTimeout))
        return AsyncDeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # httpcore's pool asks this of every idle connection for every request; anyio answers by building its
            # table of socket attributes each time, most of the async pool's CPU with many connections open.
            if self._socket is None:
                self._socket = self._inner.get_extra_info("socket")
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would not wait: data, or the peer's close (httpcore's test; a socket gone counts as closed)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
    """httpcore's own backend, its connections wrapped in `AsyncDeadlineStream`."""

    def __init__(self) -> None:
        self._inner = AsyncDefaultBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        _placed()  # a new connection is this request's alone
        stream = await self._inner.connect_tcp(
            host, port, clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return AsyncDeadlineStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        _placed()
        stream = await self._inner.connect_unix_socket(path, clamp(timeout, httpcore.ConnectTimeout), socket_options)
        return AsyncDeadlineStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class AsyncResponseBody(AsyncBodyStream):
    """httpcore's response stream as httpx's, with its exceptions mapped."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._inner:
                yield part
        except Exception as exc:
            mapped = _translated(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except Exception as exc:
            mapped = _translated(exc)
            if mapped is exc:
                raise
            raise mapped from exc


def _proxy(url: str) -> httpcore.Proxy:
    parsed = httpx.URL(url)
    auth = (parsed.username, parsed.password) if parsed.username else None
    return httpcore.Proxy(url=str(parsed.copy_with(username=None, password=None)), auth=auth)


class AsyncNetwork(httpx.AsyncBaseTransport):
    """The transport under attachkit's retries when no `http_client` is given: deadlines, proxies, TLS on.

    Args:
        proxy: one proxy URL for every request; None to follow the environment.
        limits: the pool's connection limits (one pool per route: direct, or through each proxy).
        trust_env: read proxies (and `SSL_CERT_FILE`/`SSL_CERT_DIR`) from the environment.
    """

    def __init__(self, *, proxy: str | None, limits: httpx.Limits, trust_env: bool = True) -> None:
        self._ssl = httpx.create_ssl_context(trust_env=trust_env)
        self._backend = AsyncDeadlineBackend()
        self._limits = limits
        self._explicit = proxy
        # Read once, like httpx: the environment of the moment the client was made.
        self._by_scheme: dict[str, str] = {}
        if proxy is None and trust_env:
            found = urllib.request.getproxies()
            for scheme in ("http", "https"):
                url = found.get(scheme) or found.get("all")
                if url:
                    self._by_scheme[scheme] = url
        # One pool per route, each with its door (`_Turn`); they belong to the event loop that made them.
        self._pools = AsyncLoopBound(self._routes, _close_pools)

    def _routes(self) -> dict[str | None, tuple[httpcore.AsyncConnectionPool, AsyncDoor]]:
        """A pool for each route (direct, and through each proxy), and its door."""
        proxies = {self._explicit} if self._explicit is not None else set(self._by_scheme.values())
        return {route: (self._pool(route), AsyncDoor()) for route in (None, *sorted(proxies))}

    def _pool(self, proxy: str | None) -> httpcore.AsyncConnectionPool:
        return httpcore.AsyncConnectionPool(
            ssl_context=self._ssl,
            proxy=None if proxy is None else _proxy(proxy),
            max_connections=self._limits.max_connections,
            max_keepalive_connections=self._limits.max_keepalive_connections,
            keepalive_expiry=self._limits.keepalive_expiry,
            network_backend=self._backend,
        )

    def route(self, url: httpx.URL) -> str | None:
        """The proxy a request to `url` goes through, or None for a direct connection."""
        if self._explicit is not None:
            return self._explicit
        proxy = self._by_scheme.get(url.scheme)
        if proxy is None or urllib.request.proxy_bypass(url.host):
            return None
        return proxy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pool, door = self._pools.get()[self.route(request.url)]
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        timeouts = request.extensions.get("timeout")
        waiting = timeouts.get("pool") if isinstance(timeouts, dict) else None
        turn = _Turn()
        entered = _TURN.set(turn)
        try:
            if not await door.enter(clamp(waiting, httpcore.PoolTimeout)):
                raise httpcore.PoolTimeout("no connection of the pool came free in time")
            turn.door = door
            response = await pool.handle_async_request(core)
        except Exception as exc:
            mapped = _translated(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        finally:
            turn.through()  # however it ended; a no-op when the request was placed
            _TURN.reset(entered)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=AsyncResponseBody(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pools.aclose()


async def _close_pools(pools: dict[str | None, tuple[httpcore.AsyncConnectionPool, AsyncDoor]]) -> None:
    for pool, _door in pools.values():
        await pool.aclose()
