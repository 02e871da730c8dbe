"""The names that differ between the async and the sync face, as pairs.

The async face (`attachkit._async`) is written once and the sync face is generated from it by
`scripts/unasync.py`, which renames `AsyncX` to `X`. Where the two faces need different types of
different shapes (an awaitable call, an async generator, a lock), the pair is defined here so the
rename is all it takes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Generator
from types import TracebackType
from typing import Any, Generic, ParamSpec, TypeVar

import httpcore
import httpx

from attachkit._config import DEFAULT_LIMITS, Settings
from attachkit.errors import ValidationError

R = TypeVar("R")
P = ParamSpec("P")
T = TypeVar("T")

AsyncMethod = Callable[P, Coroutine[Any, Any, R]]
"""A resource method (async face)."""
Method = Callable[P, R]
"""A resource method (sync face)."""

AsyncCall = Callable[[], Awaitable[R]]
"""A call into the generated code, made when the resource is ready (async face)."""
Call = Callable[[], R]
"""A call into the generated code, made when the resource is ready (sync face)."""

AsyncAuthFlow = AsyncGenerator[httpx.Request, httpx.Response]
"""An httpx auth flow (async face)."""
AuthFlow = Generator[httpx.Request, httpx.Response, None]
"""An httpx auth flow (sync face)."""

AsyncDefaultBackend = httpcore.AnyIOBackend
"""The network backend httpcore would pick for asyncio (async face)."""
DefaultBackend = httpcore.SyncBackend
"""The network backend of blocking sockets (sync face)."""

AsyncBodyStream = httpx.AsyncByteStream
"""A response body as httpx expects it from a transport (async face)."""
BodyStream = httpx.SyncByteStream
"""A response body as httpx expects it from a transport (sync face)."""

Lock = threading.Lock
"""The lock of the sync face: one thread at a time."""


class AsyncLock:
    """The lock of the async face: one task at a time.

    The `asyncio.Lock` is made on first use, inside the running loop, so a client built outside any
    loop (or used from several loops in turn, as `asyncio.run` does) still works.
    """

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        await self._lock.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._lock is not None
        self._lock.release()


class AsyncDoor:
    """A lock entered in one place and left in another (async face); made inside the running loop."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    async def enter(self, timeout: float | None) -> bool:
        """Take the lock, in the order of arrival; False when `timeout` seconds pass first."""
        if timeout is None:
            return await self._lock.acquire()
        try:
            async with asyncio.timeout(timeout):
                return await self._lock.acquire()
        except TimeoutError:
            return False

    def leave(self) -> None:
        self._lock.release()

    def taken(self) -> bool:
        """Whether a request is through the door and not yet placed."""
        return self._lock.locked()


class Door:
    """The sync face's twin of `AsyncDoor`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def enter(self, timeout: float | None) -> bool:
        return self._lock.acquire(timeout=-1 if timeout is None else timeout)

    def leave(self) -> None:
        self._lock.release()

    def taken(self) -> bool:
        return self._lock.locked()


class AsyncAttemptTimeout:
    """Cancels an attempt at its deadline (async face), for transports whose sockets attachkit cannot reach.

    A timeout there is reported as `httpx.ReadTimeout`, like any other, so it is retried and mapped the same.
    """

    def __init__(self, seconds: float | None) -> None:
        self._timeout = None if seconds is None else asyncio.timeout(seconds)

    async def __aenter__(self) -> None:
        if self._timeout is not None:
            await self._timeout.__aenter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._timeout is None:
            return
        try:
            await self._timeout.__aexit__(exc_type, exc, tb)
        except TimeoutError:
            raise httpx.ReadTimeout("the attempt's deadline passed") from None


class AttemptTimeout:
    """The sync face's twin of `AsyncAttemptTimeout`: a blocked thread cannot be cancelled, so it does nothing;
    the deadline is checked between reads instead."""

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class AsyncLoopBound(Generic[T]):
    """Something that belongs to one event loop, such as httpcore's pools, whose sockets are that loop's.

    Made inside the running loop on first use (clients are often built outside any loop), and made again when a
    later call runs in another loop (`asyncio.run` twice). The old one is closed on its own loop the next time
    that runs; a closed loop can close nothing, so what it left is closed when collected. One loop at a time:
    the same client may not be used from two loops at once.
    """

    def __init__(self, make: Callable[[], T], close: Callable[[T], Coroutine[Any, Any, None]]) -> None:
        self._make = make
        self._close = close
        self._value: T | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> T:
        """The value of the running loop."""
        loop = asyncio.get_running_loop()
        value = self._value
        if value is not None and self._loop is loop:
            return value
        old, old_loop = value, self._loop
        value = self._make()
        self._value, self._loop = value, loop
        if old is not None and old_loop is not None:
            self._close_on(old_loop, old)
        return value

    async def aclose(self) -> None:
        """Close the value, on its own loop (now, when that is the running one)."""
        value, loop = self._value, self._loop
        self._value = self._loop = None
        if value is None or loop is None:
            return
        if loop is asyncio.get_running_loop():
            await self._close(value)
        else:
            self._close_on(loop, value)

    def _close_on(self, loop: asyncio.AbstractEventLoop, value: T) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(lambda: loop.create_task(self._close(value)))


class LoopBound(Generic[T]):
    """The sync face's twin of `AsyncLoopBound`: there is no event loop, so the value is made once."""

    def __init__(self, make: Callable[[], T], close: Callable[[T], None]) -> None:
        self._make = make
        self._close = close
        self._value: T | None = None

    def get(self) -> T:
        """The value, made on first use."""
        if self._value is None:
            self._value = self._make()
        return self._value

    def close(self) -> None:
        value, self._value = self._value, None
        if value is not None:
            self._close(value)


def async_default_network(settings: Settings) -> httpx.AsyncBaseTransport:
    """The async face's own connections: aiohttp when installed (or asked for), else attachkit's httpcore pools.

    aiohttp's event-loop I/O costs a fraction of httpcore's per call, which is what async callers came for.
    """
    if settings.backend != "httpx":
        try:
            from attachkit._aiohttp import AiohttpNetwork
        except ImportError:
            if settings.backend == "aiohttp":
                raise ValidationError(
                    "backend", "'aiohttp' needs the extra: pip install 'attachkit[aiohttp]'"
                ) from None
        else:
            return AiohttpNetwork(proxy=settings.proxy, limits=DEFAULT_LIMITS)
    from attachkit._async.network import AsyncNetwork

    return AsyncNetwork(proxy=settings.proxy, limits=DEFAULT_LIMITS)


def default_network(settings: Settings) -> httpx.BaseTransport:
    """The sync face's own connections: attachkit's httpcore pools (aiohttp is an async library)."""
    if settings.backend == "aiohttp":
        raise ValidationError("backend", "the sync clients send with httpx; 'aiohttp' is for the async clients")
    from attachkit._generated._sync.network import Network

    return Network(proxy=settings.proxy, limits=DEFAULT_LIMITS)
