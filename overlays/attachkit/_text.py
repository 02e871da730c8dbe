"""Text that must stay on one line: exception messages, log lines, CLI output."""

from __future__ import annotations


def one_line(value: str | None) -> str:
    """`value` with every run of white space, line breaks included, folded into one space."""
    # str.split() without arguments splits on every Unicode line break too (\x85, \u2028, ...).
    return " ".join(value.split()) if value else ""
