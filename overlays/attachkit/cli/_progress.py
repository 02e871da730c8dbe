"""Progress bars for uploads and downloads, drawn on stderr, and only when someone is watching."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

Callback = Callable[[int, int | None], None]
"""`callback(bytes_done, total_or_None)`, the shape of the SDK's `progress=`."""


def _nothing(done: int, total: int | None) -> None:
    """The callback when no bar is drawn."""


@contextlib.contextmanager
def transfer(description: str, *, enabled: bool, console: Console | None = None) -> Iterator[Callback]:
    """A progress bar for one transfer, as a callback; a no-op when `enabled` is false.

    `console` defaults to one on stderr, so stdout stays clean for the result.
    """
    if not enabled:
        yield _nothing
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
