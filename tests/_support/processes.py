"""A child process's output as lines a test can wait on with a deadline, and the `export` lines the mock prints
once it listens."""

from __future__ import annotations

import queue
import shlex
import threading
import time
from collections.abc import Collection
from typing import IO


def lines_of(stream: IO[str]) -> queue.Queue[str | None]:
    """The stream's lines (without their newline), read by a thread; None at EOF."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def read_exports(
    lines: queue.Queue[str | None], names: Collection[str], timeout: float = 60.0
) -> tuple[list[str], dict[str, str]]:
    """Everything printed up to the export lines of all ``names``, and the exported values, in printed order.

    The timeout bounds a cold interpreter's start on a slow machine.
    """
    seen: list[str] = []
    exports: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while not exports.keys() >= set(names):
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        assert line is not None, "the process exited before printing its export lines:\n" + "\n".join(seen)
        seen.append(line)
        if line.startswith("export "):
            name, _, value = shlex.split(line)[1].partition("=")
            exports[name] = value
    return seen, exports
