"""Request validation's yes/no pass agrees with its naming walk, for every operation of every packaged spec.

`_validation` compiles each contract into plain-Python checks that decide, without building a path or a message,
whether a call's arguments fit; only when they do not is `_validate` run to name the problem. The two must agree
exactly: were the fast pass laxer, a bad argument would be sent. Hypothesis draws arguments shaped by each schema
(mostly fitting, so both outcomes are seen) salted with what JSON cannot carry. Keywords the specs do not use today
(`nullable`, `pattern`, an enum on numbers, a recursive schema, ...) are checked on small schemas built below.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import attachkit._generated
from attachkit import _validation
from attachkit._validation import MISSING, Contract, contract
from attachkit.errors import ValidationError

# Every generated package (a spec each), as `make regenerate` left them; `_sync` is the sync face, not a spec.
PACKAGES = sorted(
    p.name for p in Path(attachkit._generated.__file__).parent.iterdir() if p.is_dir() and p.name[0] != "_"
)

# Values that break something whatever the schema says, or sit on an edge of it.
JUNK: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        -1,
        2**70,
        1.5,
        -0.0,
        math.nan,
        math.inf,
        "",
        ".",
        "..",
        " k",
        "k ",
        "a\tb",
        "\ud800",
        "ünï",
        "x" * 300,
        b"bytes",
        {1, 2},
        datetime.date(2024, 1, 1),
        (),
        [],
        {},
        {1: "x"},
        {"\ud800": 1},
        ("a", 1),
    ]
)
CLEAN_TEXT = st.text(st.characters(codec="utf-8"), max_size=6)
SALTED_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\ud800", " ", "."]), max_size=6)


def jsonish(salted: bool) -> st.SearchStrategy[Any]:
    """Free-form values: JSON, or (`salted`) JSON with what it cannot carry mixed in."""
    text = SALTED_TEXT if salted else CLEAN_TEXT
    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=salted, allow_infinity=salted) | text
    return st.recursive(
        leaves | JUNK if salted else leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(text | st.integers() if salted else text, inner, max_size=3)
        ),
        max_leaves=8,
    )


def operations() -> list[tuple[str, str]]:
    """(package, operationId) of every operation the packaged specs carry."""
    found = []
    for package in PACKAGES:
        text = resources.files(f"attachkit._generated.{package}").joinpath("openapi.json").read_text("utf-8")
        for item in json.loads(text)["paths"].values():
            found += [(package, op["operationId"]) for op in item.values() if isinstance(op, dict)]
    return found


def values(schema: dict[str, Any], salted: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped by a compiled schema: fitting it, or (`salted`) sometimes not, sometimes not JSON at all."""
    if depth > 3:
        return JUNK if salted else st.just(None)  # deep enough: a recursive schema ends here
    kind = schema.get("type")
    shaped: st.SearchStrategy[Any] = jsonish(salted)
    if "enum" in schema:
        shaped = st.sampled_from(schema["enum"])
    elif kind == "string":
        shaped = _strings(schema, salted)
    elif kind in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if salted:  # one past each bound
            low = None if low is None else low - 1
            high = None if high is None else high + 1
        shaped = st.integers(
            min_value=None if low is None else math.ceil(low), max_value=None if high is None else math.floor(high)
        )
        if kind == "number":
            shaped = shaped | st.floats(low, high, allow_nan=False, allow_infinity=False)  # JUNK has NaN and infinity
    elif kind == "array":
        shaped = st.lists(values(schema.get("items", {}), salted, depth + 1), max_size=3)
    elif kind == "object" or "properties" in schema:
        shaped = _objects(schema, salted, depth)
    return st.one_of(shaped, shaped, shaped, JUNK) if salted else shaped


def _strings(schema: dict[str, Any], salted: bool) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    alphabet = (
        st.characters(codec="utf-8") | st.sampled_from(["\ud800", " ", "."]) if salted else st.characters(codec="utf-8")
    )
    shaped = st.text(alphabet, min_size=low, max_size=high or low + 6)
    if "pattern" in schema:
        shaped = shaped.filter(schema["pattern"].search) | st.from_regex(schema["pattern"], fullmatch=True)
    if salted:  # each length at and past the bounds
        edges = {n for n in (low - 1, low, high, None if high is None else high + 1) if n is not None and n >= 0}
        shaped = shaped | st.sampled_from(sorted(edges)).map(lambda n: "x" * n)
    return shaped


def _objects(schema: dict[str, Any], salted: bool, depth: int) -> st.SearchStrategy[dict[Any, Any]]:
    properties = {name: values(sub, salted, depth + 1) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    others = values(extra, salted, depth + 1) if isinstance(extra, dict) else jsonish(salted)
    required = [name for name in schema.get("required", ()) if name in properties]
    return st.builds(
        lambda known, more: {**more, **known},
        st.fixed_dictionaries(
            {} if salted else {name: properties[name] for name in required},
            optional=properties if salted else {k: v for k, v in properties.items() if k not in required},
        ),
        st.dictionaries(SALTED_TEXT | st.integers() if salted else CLEAN_TEXT, others, max_size=2)
        if salted or extra is not False
        else st.just({}),
    )


def explained(run: Any) -> bool:
    """Whether the naming walk finds nothing wrong."""
    try:
        run()
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(("package", "operation_id"), operations())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_yes_no_pass_agrees_with_the_naming_walk(package: str, operation_id: str, data: st.DataObject) -> None:
    c: Contract = contract(f"attachkit._generated.{package}", operation_id)
    salted = data.draw(st.booleans(), label="salted")
    params = {
        p["name"]: data.draw(values(p["schema"], salted), label=p["name"])
        for p in c._params
        if data.draw(st.just(True) if p.get("required") and not salted else st.booleans())
    }
    body = MISSING if c._body_schema is None else data.draw(values(c._body_schema, salted), label="body")
    if salted and data.draw(st.booleans()):
        body = MISSING
    fits = c._fits(params, body)
    assert fits == explained(lambda: c._explain(params, body, {}))
    if fits:
        c.check(params=params, body=body)  # returns, raising nothing
    else:
        with pytest.raises(ValidationError):
            c.check(params=params, body=body)


def _recursive() -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    node["properties"]["children"] = {"type": "array", "items": node}
    return node


def _recursive_untyped() -> dict[str, Any]:
    node: dict[str, Any] = {"description": "lists of lists, or anything"}
    node["items"] = node
    node["additionalProperties"] = node
    return node


SCHEMAS: list[dict[str, Any]] = [
    {},
    {"type": "string", "nullable": True, "minLength": 2, "maxLength": 4},
    {"type": "string", "pattern": re.compile(r"^[a-z]+-[0-9]$")},
    {"type": "string", "enum": ["a", "b"], "nullable": True},
    {"type": "integer", "minimum": 0, "maximum": 10},
    {"type": "number", "minimum": -1.5, "maximum": 2.5, "nullable": True},
    {"type": "integer", "enum": [1, 2, 3]},
    {"type": "boolean"},
    {"type": "boolean", "enum": [True]},
    {"type": "null"},
    {"type": "file", "nullable": True},
    {"minLength": 1, "minimum": 3, "items": {"type": "integer"}, "required": ["a"]},
    {"enum": [1, "a", None, [1], {"k": 1}]},
    {"type": "array", "items": {"type": "string"}, "nullable": True},
    {"type": "array", "enum": [[1, 2]]},
    {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "string"}}},
    {"type": "object", "additionalProperties": {"type": "integer"}, "required": ["n"]},
    {"type": "object", "additionalProperties": {}, "nullable": True},
    {"type": "object", "enum": [{"a": 1}]},
    {"additionalProperties": {"description": "free"}, "items": {}},
    {"required": [], "properties": {}},
    _recursive(),
    _recursive_untyped(),
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[f"schema{i}" for i in range(len(SCHEMAS))])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_keywords_the_specs_do_not_use_today_agree_too(schema: dict[str, Any], data: st.DataObject) -> None:
    salted = data.draw(st.booleans(), label="salted")
    value = data.draw(values(schema, salted) | jsonish(salted), label="value")
    ok = _validation._Checks().build(schema)
    assert ok(value) == explained(lambda: _validation._validate(schema, value, ""))
