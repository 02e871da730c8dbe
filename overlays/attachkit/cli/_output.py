"""Everything the CLI prints: results (a key-value view for people, JSON with `--json`), notes, warnings and
the one-line error. Every line passes through `redact`, so a secret the CLI was given never reaches the screen.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click
from rich.console import Console
from rich.table import Table

_MIN_SECRET = 4  # shorter values would redact innocent text and protect nothing


class Output:
    """How one run of `attachkit` prints. `json_mode` may be switched on by a subcommand's `--json`."""

    def __init__(self, *, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self._secrets: set[str] = set()

    def add_secret(self, value: str | None) -> None:
        """Never print `value` (a client secret or a token), whatever carries it."""
        if value and len(value) >= _MIN_SECRET:
            self._secrets.add(value)

    def redact(self, text: str) -> str:
        """`text` with every known secret replaced by `***` (longest first, so no fragment survives)."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    @property
    def interactive(self) -> bool:
        """True when progress bars may be drawn: stderr is a terminal and the output is not for a script."""
        return not self.json_mode and _isatty(sys.stderr)

    def result(self, data: Mapping[str, Any]) -> None:
        """Print a result: JSON on stdout with `--json`, else a key-value view (a table on a terminal)."""
        if self.json_mode:
            click.echo(self.redact(json.dumps(data, indent=2, ensure_ascii=False)))
            return
        rows = [(key, self.redact(value)) for key, value in flatten(data)]
        if _isatty(sys.stdout):
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold")
            table.add_column(overflow="fold")
            for key, value in rows:
                table.add_row(key, value)
            Console(highlight=False).print(table)
        else:
            # Plain, unwrapped `key: value` lines: readable in a log, and grep/cut work on them.
            for key, value in rows:
                click.echo(f"{key}: {value}")

    def line(self, text: str) -> None:
        """Print one plain line on stdout in human mode (e.g. a bare URL meant for `$(...)`)."""
        if not self.json_mode:
            click.echo(self.redact(text))

    def note(self, text: str) -> None:
        """Tell a person something on stderr; silent with `--json`, where the JSON says it."""
        if not self.json_mode:
            click.echo(self.redact(text), err=True)

    def warn(self, text: str) -> None:
        """`warning: ...` on stderr, in every mode: a script must be able to see it too."""
        click.echo("warning: " + one_line(self.redact(text)), err=True)

    def error(self, text: str) -> None:
        """`error: ...` on stderr, as exactly one line."""
        click.echo("error: " + one_line(self.redact(text)), err=True)


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """`(dotted.key, text)` pairs for a nested JSON-like mapping; lists are shown as compact JSON."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from flatten(value, name + ".")
        else:
            yield name, _text(value)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def one_line(text: str) -> str:
    """Collapse any whitespace run (newlines included) to one space."""
    return " ".join(text.split())


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
