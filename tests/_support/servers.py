"""The mock servers tests run against, named by what they do with a response their spec forbids.

Both kinds validate every response and record each violation. A strict mock answers 500 in place of the bad
response (what a contract test notices at once); a lenient one sends it as it is (so a client under test sees what
the mock really answered). Either way the test fails on the record: see :func:`checked` and :func:`strict_mock`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from attachkit.testing import MockServer


def strict(**options: Any) -> MockServer:
    """A mock that answers 500 instead of a response its spec forbids (and records it)."""
    return MockServer(validate_responses=True, strict_responses=True, **options)


def lenient(**options: Any) -> MockServer:
    """A mock that sends a response its spec forbids as it is (and records it)."""
    return MockServer(validate_responses=True, **options)


@contextlib.contextmanager
def checked(server: MockServer) -> Iterator[MockServer]:
    """A running ``server`` for one test: no faults left from before or after, no new violation or mock failure."""
    violations, errors = len(server.response_violations), len(server.internal_errors)
    server.faults.clear()
    yield server
    server.faults.clear()
    assert server.response_violations[violations:] == []
    assert server.internal_errors[errors:] == []


@contextlib.contextmanager
def strict_mock(**options: Any) -> Iterator[MockServer]:
    """A strict mock of a test's own (configured unlike its module's), checked for violations when it stops."""
    with strict(**options) as mock:
        yield mock
    assert mock.response_violations == []
    assert mock.internal_errors == []
