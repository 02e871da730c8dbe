"""Suite-wide: the shared fixtures (`tests/_support/fixtures.py`), and `--run-slow` for the tests marked `slow`
(`make test-long`)."""

from __future__ import annotations

import pytest

# The support modules assert on the mock's answers; rewritten, their failures show the values.
pytest.register_assert_rewrite("tests._support")

pytest_plugins = ["tests._support.fixtures"]


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
