"""Fixtures of the mock's own tests: Authorization headers for each vendor (the server and the plain HTTP client
are the shared `mock` and `http`)."""

from __future__ import annotations

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import bearer, talkdesk_headers


@pytest.fixture
def td(http: httpx.Client, mock: MockServer) -> dict[str, str]:
    """Authorization headers carrying a Talkdesk token with every scope."""
    return talkdesk_headers(http, mock)


@pytest.fixture
def wx(mock: MockServer) -> dict[str, str]:
    """Authorization headers carrying the Webex token."""
    return bearer(mock.webex_token)
