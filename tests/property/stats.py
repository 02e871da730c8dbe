"""Counts of the property suite's cases, printed at the end of the session (see conftest.py)."""

from __future__ import annotations

from collections import Counter

CASES: Counter[str] = Counter()
FAILURES: Counter[str] = Counter()


def count(suite: str, n: int = 1) -> None:
    """Record `n` cases run by `suite` (e.g. "schemathesis talkdesk-attachments", "client responses")."""
    CASES[suite] += n


def failed(suite: str, n: int = 1) -> None:
    FAILURES[suite] += n
