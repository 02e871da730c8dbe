"""Fixtures of the resilience suite (one real mock server per module, over loopback TCP) and its printed figures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from attachkit.testing import MockServer
from tests.resilience import figures


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    # Responses are checked against the specs: every answer, injected faults included, must be documented.
    with MockServer(validate_responses=True) as mock:
        yield mock


@pytest.fixture
def mock(server: MockServer) -> Iterator[MockServer]:
    """The module's server with no faults left behind, and no spec violation or mock failure allowed."""
    violations, errors = len(server.response_violations), len(server.internal_errors)
    server.faults.clear()
    yield server
    server.faults.clear()
    assert server.response_violations[violations:] == []
    assert server.internal_errors[errors:] == []


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """Plain httpx, for prerequisites and raw requests that must not go through attachkit."""
    with httpx.Client(timeout=10) as client:
        yield client


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
