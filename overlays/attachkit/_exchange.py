"""What one SDK call received, kept beside the call while the generated code handles it.

A resource method names the operation it calls; the API client records the response it hands to the
generated code. When the generated parser then fails, or returns something the spec does not describe,
the error can say so with the real status, headers, body and URL. A failure before any response was
received is not the server's: it surfaces as itself.
"""

from __future__ import annotations

import contextvars

import attrs
import httpx


@attrs.define
class Exchange:
    """One call: its operation id, and the response received for it (None until one arrives)."""

    operation: str
    response: httpx.Response | None = None


_CURRENT: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar("attachkit_exchange", default=None)


class exchange:
    """Track the call to `operation` made inside the block (in this thread, or this task and what it awaits).

    A class rather than a generator-based context manager: it runs on every call.
    """

    __slots__ = ("_current", "_token")

    def __init__(self, operation: str) -> None:
        self._current = Exchange(operation)
        self._token: contextvars.Token[Exchange | None] | None = None

    def __enter__(self) -> Exchange:
        self._token = _CURRENT.set(self._current)
        return self._current

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CURRENT.reset(self._token)


_CAPTURED: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "attachkit_captured", default=None
)


class capture:
    """Collect every response received inside the block, for `with_raw_response`."""

    __slots__ = ("_seen", "_token")

    def __init__(self) -> None:
        self._seen: list[httpx.Response] = []
        self._token: contextvars.Token[list[httpx.Response] | None] | None = None

    def __enter__(self) -> list[httpx.Response]:
        self._token = _CAPTURED.set(self._seen)
        return self._seen

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CAPTURED.reset(self._token)


def record(response: httpx.Response) -> None:
    """Note `response` as the one the current call received."""
    current = _CURRENT.get()
    if current is not None:
        current.response = response
    seen = _CAPTURED.get()
    if seen is not None:
        seen.append(response)
