"""Fixtures for the mock's tests: one strict, validating server per module, checked after every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from attachkit.testing import MockServer

from .helpers import bearer, token


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
