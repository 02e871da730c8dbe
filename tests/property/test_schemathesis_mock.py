"""Schemathesis against the mock in-process (ASGI): every operation of every spec, with all default checks.

Each operation runs the examples, coverage and fuzzing phases with positive and negative data, signed like a
real client: Talkdesk tokens come from the mock's own token endpoint (client credentials through the ASGI app),
Webex requests carry the bearer token. The configuration is the repository's schemathesis.toml; a check is
narrowed there, for one operation, only with the reason next to the rule.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup

from attachkit.testing import create_app
from tests import specs
from tests.property import stats
from tests.property._schemathesis import PREFIXES, add_auth, load_schema

# Fuzzing examples per operation in `make test` (the other phases generate what the schema calls for);
# `make fuzz-long` runs 1000.
MAX_EXAMPLES = 30

APP = create_app()
SCHEMAS = {}
for _name in sorted(PREFIXES):
    _schema = load_schema(_name, app=APP)
    _schema.config.generation.update(max_examples=MAX_EXAMPLES)
    add_auth(_schema, _name)
    SCHEMAS[_name.replace("-", "_")] = _schema


@pytest.fixture(scope="module", autouse=True)
def _remove_the_mock_storage() -> object:
    yield
    APP.close()


@schemathesis.pytest.parametrize(**SCHEMAS)
def test_mock_conforms_to_the_spec(case: schemathesis.Case) -> None:
    suite = f"schemathesis {case.operation.schema.title} ({case.meta.phase.name if case.meta else '?'})"
    stats.count(suite)
    try:
        case.call_and_validate()
    except FailureGroup:
        stats.failed(suite)
        raise


def test_every_operation_is_exercised() -> None:
    """The test above runs every operation of every spec: none is filtered out or fails to load."""
    loaded = {
        (name, result.ok().definition.raw["operationId"])
        for name, schema in zip(sorted(PREFIXES), SCHEMAS.values(), strict=True)
        for result in schema.get_all_operations()
    }
    assert loaded == {(name, op) for name in specs.ALL for op in specs.operations(name)}
