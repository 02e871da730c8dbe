"""The figures the resilience suite reports at the end of a run (printed by this package's conftest)."""

from __future__ import annotations

import collections
from typing import Any

# section -> name -> value; filled by the tests, printed by `pytest_terminal_summary`.
FIGURES: dict[str, dict[str, Any]] = collections.defaultdict(dict)


def add(section: str, name: str, amount: int | float = 1) -> None:
    """Add to a running total."""
    FIGURES[section][name] = FIGURES[section].get(name, 0) + amount


def record(section: str, **values: Any) -> None:
    """Set figures (the last run of a section wins)."""
    FIGURES[section].update(values)
