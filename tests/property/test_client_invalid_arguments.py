"""Property 3: an argument that breaks the spec's constraints raises `ValidationError` naming it, and nothing
is sent (not even a token request).

One argument at a time is drawn from the values its schema refuses (wrong type, too short or long, not
matching the pattern or the enum, a missing required field, a bad item or property); the others are valid.
That the drawn value really breaks the spec is checked with the spec's own validator before calling.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from attachkit import errors
from tests import specs
from tests.property import stats
from tests.property._operations import OPERATIONS, Arg, Operation, invoke, valid_arguments


@functools.cache
def breakable(op: Operation) -> dict[str, st.SearchStrategy[Any]]:
    """Argument name -> values its schema refuses, for every argument that can be broken."""
    found = {}
    for arg in op.args:
        if arg.values is not None:
            continue  # drawn by hand: the spec has no constraint of its own to break (the client tests refuse them)
        # None means "not given" for an optional argument, so it is no violation there.
        bad = op.schemas.invalid(op.schema_of(arg), text=op.alphabet(arg), allow_none=op.required(arg))
        if bad is not None:
            found[arg.python] = bad
    return found


def breaks_spec(op: Operation, arg: Arg, value: Any) -> bool:
    """Whether the value the client would send for `arg` is refused by the spec."""
    return not specs.validator(op.spec, op.wire_schema_of(arg)).is_valid(arg.wire_value(value))


def test_every_operation_has_an_argument_to_break() -> None:
    assert all(breakable(op) for op in OPERATIONS)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_invalid_arguments_raise_validation_error_and_send_nothing(op: Operation, data: st.DataObject) -> None:
    kwargs = dict(data.draw(valid_arguments(op), label="valid arguments"))
    name = data.draw(st.sampled_from(sorted(breakable(op))), label="broken argument")
    arg = next(a for a in op.args if a.python == name)
    value = data.draw(breakable(op)[name], label="its value")
    assume(breaks_spec(op, arg, value))  # e.g. an integer `size` is sent as the string the spec wants
    kwargs[name] = value
    asynchronous = data.draw(st.booleans(), label="async")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(599)

    stats.count("client invalid arguments")
    with pytest.raises(errors.ValidationError) as caught:
        invoke(op, kwargs, handler, asynchronous=asynchronous)
    assert sent == []
    # The error names the argument (or a field inside it), as the caller spelled it.
    assert re.split(r"[.\[]", caught.value.field, maxsplit=1)[0] == name, caught.value.field
    assert isinstance(caught.value, ValueError)
