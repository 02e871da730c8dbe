"""A tiny webhook receiver on loopback for the mock's delivery tests: it records every POST (headers and the
exact body bytes) and answers the status it is told to, optionally holding the answer back until released."""

from __future__ import annotations

import collections
import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclasses.dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class Receiver:
    """``with Receiver() as receiver:`` serves on ``receiver.url`` (``http://127.0.0.1:PORT/hook``).

    ``statuses`` are answered in turn (the last one repeats); ``hold`` makes every answer wait until
    ``release()`` (a delivery timing out), and the request is recorded before it waits.
    """

    def __init__(self, *statuses: int, hold: bool = False) -> None:
        self._statuses = collections.deque(statuses or (204,))
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self._released = threading.Event()
        if not hold:
            self._released.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver._changed:
                    receiver._received.append(Received(self.path, headers, body))
                    status = receiver._statuses[0]
                    if len(receiver._statuses) > 1:
                        receiver._statuses.popleft()
                    receiver._changed.notify_all()
                receiver._released.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="webhook-receiver", daemon=True
        )

    @property
    def url(self) -> str:
        """Where to point a webhook."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    @property
    def received(self) -> list[Received]:
        """Every request so far, in arrival order."""
        with self._changed:
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until ``count`` requests have arrived (an assertion error after ``timeout`` seconds)."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self._received) >= count, timeout)
            assert arrived, f"expected {count} deliveries at the receiver, got {len(self._received)}"
            return list(self._received)

    def release(self) -> None:
        """Let held answers go."""
        self._released.set()

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __iter__(self) -> Iterator[Received]:
        return iter(self.received)
