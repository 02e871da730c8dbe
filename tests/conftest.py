"""Suite-wide: `--run-slow` for the tests marked `slow` (`make test-long`), and the strict mock fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from attachkit.testing import MockServer


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False, help="also run the tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    # Slow tests (the 500-operation soak) would take `make test` past its time budget; they have shorter twins
    # that do run by default, and `make test-long` runs them all.
    skip = pytest.mark.skip(reason="slow: a longer run; `make test-long` (pytest --run-slow) runs it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    """One mock per test module. Strict: a response that breaks its spec becomes a 500, and is recorded."""
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
