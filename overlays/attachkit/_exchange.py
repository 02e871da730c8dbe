"""What one SDK call received, kept beside the call while the generated code handles it.

A resource method names the operation it calls; the API client records the response it hands to the
generated code. When the generated parser then fails, or returns something the spec does not describe,
the error can say so with the real status, headers, body and URL. A failure before any response was
received is not the server's: it surfaces as itself.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import attrs
import httpx


@attrs.define
class Exchange:
    """One call: its operation id, and the response received for it (None until one arrives)."""

    operation: str
    response: httpx.Response | None = None


_CURRENT: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar("attachkit_exchange", default=None)


@contextlib.contextmanager
def exchange(operation: str) -> Iterator[Exchange]:
    """Track the call to `operation` made inside the block (in this thread, or this task and what it awaits)."""
    current = Exchange(operation)
    token = _CURRENT.set(current)
    try:
        yield current
    finally:
        _CURRENT.reset(token)


def record(response: httpx.Response) -> None:
    """Note `response` as the one the current call received."""
    current = _CURRENT.get()
    if current is not None:
        current.response = response
