"""The deadline of one attempt, and how each socket operation is held to it.

`timeout=` bounds an attempt as a whole: connecting, sending, waiting and reading the answer. httpx's
own timeouts apply to each socket operation, so a server that sends a byte every half second would keep
a call alive for as long as it liked. The retrying transport opens a deadline for each attempt; attachkit's
network backend (`attachkit._async.network`) asks `clamp()` before every connect, read and write, so no
single operation may wait past it and none starts after it. Streamed uploads and downloads open no
deadline: their bound is the per-operation timeout, which ends a stalled transfer without capping a
large healthy one.
"""

from __future__ import annotations

import contextvars
import time
from typing import Final

import httpcore

STREAMED: Final = "attachkit.streamed"
"""A request extension: the transfer is streamed, so its attempts open no overall deadline."""

UPLOAD: Final = "attachkit.upload"
"""A request extension: the request streams a file out, so its attempts open no overall deadline; unlike
`STREAMED`, the answer is still read whole (and capped) within the attempt."""

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("attachkit_deadline", default=None)
_FLOOR: Final = 0.001  # a socket timeout of 0 would mean "non-blocking", not "now"


class deadline:
    """Hold every socket operation inside the block (this thread, or this task) to `seconds` from now.

    A class rather than a generator-based context manager: it runs on every attempt.
    """

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> None:
        if self._seconds is not None:
            self._token = _DEADLINE.set(time.monotonic() + self._seconds)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _DEADLINE.reset(self._token)


def remaining() -> float | None:
    """Seconds left before the current deadline (negative once passed), or None without one."""
    end = _DEADLINE.get()
    return None if end is None else end - time.monotonic()


def expired() -> bool:
    """Whether the current deadline, if any, has passed."""
    left = remaining()
    return left is not None and left <= 0


def clamp(timeout: float | None, kind: type[httpcore.TimeoutException]) -> float | None:
    """The timeout for one socket operation under the current deadline; `kind` once the deadline has passed."""
    end = _DEADLINE.get()  # runs before every socket operation: kept to one lookup when there is no deadline
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise kind("the attempt's deadline passed")
    if left < _FLOOR:
        left = _FLOOR
    return left if timeout is None or timeout > left else timeout
