"""The resilience suite's mock (lenient: one per module, over loopback TCP) and its printed figures."""

from __future__ import annotations

from typing import Any

import pytest

from attachkit.testing import MockServer
from tests.resilience import figures


@pytest.fixture(scope="module")
def server(lenient_server: MockServer) -> MockServer:
    # The clients under test must see what the mock really answered, not a 500 standing in for it; every answer,
    # injected faults included, is still checked against the specs, and `mock` fails a test on any violation.
    return lenient_server


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not figures.FIGURES:
        return
    terminalreporter.section("resilience and security figures")
    for section in sorted(figures.FIGURES):
        values = figures.FIGURES[section]
        shown = ", ".join(f"{name} {_fmt(value)}" for name, value in values.items())
        terminalreporter.write_line(f"{section}: {shown}")


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)
