"""Suite-wide options. `--run-slow` runs the tests marked `slow` (the long soak runs); `make test-long` passes it."""

from __future__ import annotations

import pytest


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
