"""A client-wide pause after the server asked for one: pure bookkeeping, shared by both faces.

When any request of a client gets a 429 (or a 503) with a `Retry-After`, every later request of that client to
the same host waits until the pause has passed, instead of each discovering the limit on its own and earning
its own 429. Webex limits per user, so a burst of calls behind one token is the normal case. The retrying
transport asks `wait()` before each attempt and tells `hold()` what servers say.
"""

from __future__ import annotations

import threading


class Cooldown:
    """Until when each host asked this client to pause, on the client's monotonic clock."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()  # held for a dictionary update only, never across a wait

    def hold(self, host: str, until: float) -> None:
        """Pause requests to `host` until `until`; an earlier pause never shortens a later one."""
        with self._lock:
            if until > self._until.get(host, 0.0):
                self._until[host] = until

    def wait(self, host: str, now: float) -> float:
        """Seconds a request to `host` must still wait (0 when it may go now)."""
        until = self._until.get(host)
        return 0.0 if until is None or until <= now else until - now
