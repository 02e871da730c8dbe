"""Fixtures for the mock's tests: one strict, validating server per module, checked after every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from attachkit.testing import MockServer

from .helpers import bearer, token


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    # Strict: a response that breaks its spec becomes a 500, and is recorded.
    with MockServer(validate_responses=True, strict_responses=True) as mock:
        yield mock


@pytest.fixture
def mock(server: MockServer) -> Iterator[MockServer]:
    """The module's server, with no faults left behind and no spec violation or internal error allowed."""
    violations, errors = len(server.response_violations), len(server.internal_errors)
    yield server
    server.faults.clear()
    assert server.response_violations[violations:] == []
    assert server.internal_errors[errors:] == []


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture
def td(client: httpx.Client, mock: MockServer) -> dict[str, str]:
    """Authorization headers carrying a Talkdesk token with every scope."""
    return bearer(token(client, mock))


@pytest.fixture
def wx(mock: MockServer) -> dict[str, str]:
    """Authorization headers carrying the Webex token."""
    return bearer(mock.webex_token)
