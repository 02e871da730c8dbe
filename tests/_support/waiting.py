"""Waiting for a condition that another thread or process makes true, with a generous cap instead of a sleep."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], timeout: float = 60.0, what: str = "condition not reached") -> None:
    """Poll ``condition`` until it holds; fail with ``what`` if it does not within ``timeout`` seconds.

    The timeout only bounds a broken run; it is generous so a loaded machine does not fail a correct one.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)


async def aeventually(
    condition: Callable[[], bool], timeout: float = 60.0, what: str = "condition not reached"
) -> None:
    """`eventually` for a condition that another task makes true: polls between turns of the event loop."""
    deadline = time.monotonic() + timeout
    while not condition():  # the state polled (a server's, a pool's) offers no event to wait on
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.005)
