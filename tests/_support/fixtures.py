"""The fixtures every suite shares, registered by `tests/conftest.py`.

- ``http``: plain httpx, for requests that must not go through attachkit;
- ``strict_server``, ``lenient_server``: one mock of that kind per test module (see :mod:`tests._support.servers`);
- ``server``: the module's mock, strict unless a suite or module overrides this fixture;
- ``mock``: the module's mock for one test, which fails the test on any spec violation or mock failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.servers import checked, lenient, strict


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """Plain httpx, for checking the mock alone and for prerequisites that must not touch the clients under test."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def strict_server() -> Iterator[MockServer]:
    """One strict mock per test module."""
    with strict() as mock:
        yield mock


@pytest.fixture(scope="module")
def lenient_server() -> Iterator[MockServer]:
    """One lenient mock per test module."""
    with lenient() as mock:
        yield mock


@pytest.fixture(scope="module")
def server(strict_server: MockServer) -> MockServer:
    """The module's mock: strict, unless a suite or module overrides this fixture."""
    return strict_server


@pytest.fixture
def mock(server: MockServer) -> Iterator[MockServer]:
    """The module's mock for one test: no faults left behind, no spec violation or mock failure allowed."""
    with checked(server) as checked_server:
        yield checked_server
