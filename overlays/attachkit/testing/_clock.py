"""An injectable clock, so that tests expire tokens and links by advancing time instead of sleeping."""

from __future__ import annotations

import threading
import time


class Clock:
    """Wall-clock time plus an offset that tests can push forward.

    Tokens and download links are checked against :meth:`now`, so ``clock.advance(601)`` expires a
    ten-minute token at once, while real time keeps flowing as usual.
    """

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, as the mock sees them."""
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the mock's time forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds

    @property
    def offset(self) -> float:
        """How far ahead of wall-clock time the mock's time is, in seconds."""
        with self._lock:
            return self._offset

    def reset(self) -> None:
        """Back to wall-clock time (offset 0)."""
        with self._lock:
            self._offset = 0.0

    def __repr__(self) -> str:
        return f"Clock(offset={self._offset:g}s)"


def iso_millis(timestamp: float) -> str:
    """``2022-01-01T09:00:00.000Z``: 24 characters, the format Talkdesk and Webex use."""
    whole = int(timestamp)
    millis = int((timestamp - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"
