"""Print how many property cases ran and how many failed, so `make test` shows the property suite ran."""

from __future__ import annotations

from typing import Any

import pytest

from tests.property import stats

_failed_tests: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and "tests/property/" in report.nodeid.replace("\\", "/"):
        _failed_tests.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not stats.CASES and not _failed_tests:
        return
    write = terminalreporter.write_line
    terminalreporter.section("property-based tests")
    for suite in sorted(stats.CASES):
        failures = stats.FAILURES.get(suite, 0)
        write(f"{suite:<52} {stats.CASES[suite]:>6} cases  {failures:>3} failed")
    total = sum(stats.CASES.values())
    write(f"{'total':<52} {total:>6} cases  {sum(stats.FAILURES.values()):>3} failed")
    write(f"property tests failed: {len(_failed_tests)}")
    for nodeid in _failed_tests:
        write(f"  FAILED {nodeid}")
