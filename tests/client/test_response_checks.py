"""Response bodies checked against the specs: a wrong type or a missing required field breaks, a bent constraint warns.

Everything about the real specs is read from them when the tests run (which fields are required, which strings are
bounded, which enums exist), so a spec edit changes the expectations with it: the cases are derived by walking the
spec's own examples, and bodies Hypothesis draws from the schemas (`tests/property/_jsonschema.py`, an independent
reading of the same schemas, itself checked against the reference validator here). Keywords the specs do not use
today (`pattern`, `format`, `oneOf`, `nullable`, ...) are checked on small specs built below, through the same
compiler. Every check also asserts that the fast yes/no pass and the naming walk agree.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attachkit import _response_checks
from attachkit._response_checks import NO_PROBLEMS, Problem, check_response, response_problems
from tests import specs
from tests.property._jsonschema import Schemas

SPEC_NAMES = {
    "talkdesk_attachments": "talkdesk-attachments",
    "talkdesk_digital_connect": "talkdesk-digital-connect",
    "webex_attachment_actions": "webex-attachment-actions",
}
Key = str | int  # a step into a body: an object key or a list index


def spec(package: str) -> dict[str, Any]:
    """The spec as the checker reads it: the generated package's `openapi.json`."""
    text = resources.files(f"attachkit._generated.{package}").joinpath("openapi.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def examples() -> Iterator[tuple[str, str, int, str, Any]]:
    """(package, operation, status, example name, value) for every JSON response example of every spec."""
    for package in SPEC_NAMES:
        document = spec(package)
        for item in document["paths"].values():
            for op in item.values():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                for status, response in op.get("responses", {}).items():
                    for media_type, media in (resolve(document, response).get("content") or {}).items():
                        if media_type != "application/json":  # an HTML error page is not the checker's to read
                            continue
                        if "example" in media:
                            yield package, op["operationId"], int(status), "example", media["example"]
                        for name, example in (media.get("examples") or {}).items():
                            yield package, op["operationId"], int(status), name, resolve(document, example)["value"]


def success_schemas() -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(package, operation, status, schema as in the YAML spec) for every 2xx response with a JSON body."""
    for package, name in SPEC_NAMES.items():
        for operation_id, (_, _, op) in specs.operations(name).items():
            for status, response in op["responses"].items():
                media = (specs.resolve(name, response).get("content") or {}).get("application/json")
                if 200 <= int(status) < 300 and media:
                    yield package, operation_id, int(status), media["schema"]


EXAMPLES = list(examples())
SUCCESS = list(success_schemas())
# Hypothesis draws once per distinct schema (create and get answer the same Attachment, and so on).
DISTINCT = list({(p, json.dumps(schema, sort_keys=True)): (p, o, s, schema) for p, o, s, schema in SUCCESS}.values())


def first_example(package: str, operation_id: str, status: int) -> Any:
    return next(v for p, o, s, _, v in EXAMPLES if (p, o, s) == (package, operation_id, status))


def problems(package: str, operation_id: str, status: int, body: Any) -> list[Problem]:
    """The full walk's problems, after checking that the fast pass and the public functions agree with it."""
    compiled = _response_checks._compiled(f"attachkit._generated.{package}", operation_id, status)
    assert compiled is not None, f"{operation_id} {status} documents no JSON body"
    found = walk(compiled, body)
    assert response_problems(package, operation_id, status, body) == found
    breaking, bent = check_response(package, operation_id, status, body)
    assert list(breaking) == [p for p in found if p.breaking] and list(bent) == [p for p in found if not p.breaking]
    return found


def walk(compiled: Any, body: Any) -> list[Problem]:
    found: list[Problem] = []
    _response_checks._collect(compiled, body, "", found)
    assert compiled.ok(body) is (not found), "the fast pass and the naming walk disagree"
    return found


def path_of(steps: tuple[Key, ...]) -> str:
    """`_validation`'s path style: `a.b[1].c`, `body` for the root."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else f"{text and '.'}{step}"
    return text or "body"


def at(body: Any, steps: tuple[Key, ...]) -> Any:
    for step in steps:
        body = body[step]
    return body


# -- the spec's own examples ------------------------------------------------------------------------------------


def test_every_spec_has_response_examples() -> None:
    # Otherwise the example checks below would pass by checking nothing.
    assert {p for p, *_ in EXAMPLES} == set(SPEC_NAMES)
    assert {(p, o, s) for p, o, s, *_ in EXAMPLES} >= {
        ("talkdesk_attachments", "get_attachment", 200),
        ("talkdesk_digital_connect", "send_message", 201),
        ("webex_attachment_actions", "get_attachment_action", 200),
    }


@pytest.mark.parametrize(
    ("package", "operation_id", "status", "name", "value"), EXAMPLES, ids=[f"{o}-{s}-{n}" for _, o, s, n, _ in EXAMPLES]
)
def test_spec_examples_have_no_problems(package: str, operation_id: str, status: int, name: str, value: Any) -> None:
    assert problems(package, operation_id, status, value) == []
    # The fast path hands back one shared, empty answer: nothing is allocated for a body that fits.
    assert check_response(package, operation_id, status, value) is NO_PROBLEMS


# -- hand-picked cases on the real specs --------------------------------------------------------------------------


def _set(steps: tuple[Key, ...], value: Any) -> Any:
    def change(body: Any) -> Any:
        at(body, steps[:-1])[steps[-1]] = value
        return body

    return change


ATTACHMENT = ("talkdesk_attachments", "get_attachment", 200)
MESSAGE = ("talkdesk_digital_connect", "send_message", 201)
ACTION = ("webex_attachment_actions", "get_attachment_action", 200)


@pytest.mark.parametrize(
    ("case", "change", "path", "message"),
    [
        (ATTACHMENT, _set(("id",), 5), "id", "is an int, the spec says string"),
        (ATTACHMENT, _set(("name",), ["calm-down-song.mp3"]), "name", "is a list, the spec says string"),
        (ATTACHMENT, _set(("name",), None), "name", "is null, the spec says string"),
        (ATTACHMENT, _set(("size",), True), "size", "is a bool, the spec says integer"),  # a bool is no number
        (ATTACHMENT, _set(("size",), 1024.0), "size", "is a float, the spec says integer"),
        (ATTACHMENT, _set(("size",), "1024"), "size", "is a string, the spec says integer"),
        (ATTACHMENT, _set(("metadata",), ["flow_id"]), "metadata", "is a list, the spec says object"),
        (ATTACHMENT, _set(("_links",), []), "_links", "is a list, the spec says object"),
        (ATTACHMENT, _set(("_links", "self", "href"), 3), "_links.self.href", "is an int, the spec says string"),
        (ATTACHMENT, lambda body: [body], "body", "is a list, the spec says object"),
        (ATTACHMENT, lambda body: None, "body", "is null, the spec says object"),
        (MESSAGE, _set(("message_id",), 7), "message_id", "is an int, the spec says string"),
        (MESSAGE, _set(("created_at",), {"iso": "2022"}), "created_at", "is an object, the spec says string"),
        (ACTION, _set(("id",), 5), "id", "is an int, the spec says string"),
        (ACTION, _set(("inputs",), [["Name", "x"]]), "inputs", "is a list, the spec says object"),
        (ACTION, _set(("type",), 1), "type", "is an int, the spec says string"),  # a wrong type, not an enum value
    ],
)
def test_wrong_types_break_at_their_path(case: tuple[str, str, int], change: Any, path: str, message: str) -> None:
    body = change(copy.deepcopy(first_example(*case)))
    assert problems(*case, body) == [Problem(path, message, breaking=True)]


@pytest.mark.parametrize(
    ("case", "change"),
    [
        (ATTACHMENT, _set(("metadata", "anything"), [1, {"deep": None}])),  # free-form: any JSON value
        (ATTACHMENT, _set(("provider",), {"name": "s3", "region": None})),
        (ACTION, _set(("inputs", "Rating"), 5)),  # card inputs are any JSON value
        (ACTION, _set(("inputs",), {})),
    ],
)
def test_free_form_values_are_fine(case: tuple[str, str, int], change: Any) -> None:
    assert problems(*case, change(copy.deepcopy(first_example(*case)))) == []


def test_a_missing_required_field_breaks_and_names_it() -> None:
    document = spec("talkdesk_attachments")
    required = document["components"]["schemas"]["Attachment"].get("required", [])
    body = copy.deepcopy(first_example(*ATTACHMENT))
    for key in required:
        del body[key]
    assert problems(*ATTACHMENT, body) == [Problem(k, "is required by the spec but missing", True) for k in required]


def test_undocumented_statuses_and_bodiless_statuses_have_nothing_to_check() -> None:
    assert check_response("webex_attachment_actions", "create_attachment_action", 204, None) is NO_PROBLEMS
    assert check_response("webex_attachment_actions", "create_attachment_action", 204, {"id": 5}) is NO_PROBLEMS
    assert check_response("talkdesk_attachments", "get_attachment", 299, [1, 2]) is NO_PROBLEMS
    assert response_problems("talkdesk_attachments", "get_attachment", 418, "teapot") == []
    # The package's short name and its dotted name are the same package.
    assert check_response("attachkit._generated.talkdesk_attachments", "get_attachment", 200, 5)[0]


def test_an_unknown_operation_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="no_such_operation"):
        check_response("talkdesk_attachments", "no_such_operation", 200, {})


# -- cases derived from the specs' examples: every field, every constraint -----------------------------------------


def locations(name: str, schema: dict[str, Any], body: Any, steps: tuple[Key, ...] = ()) -> Iterator[Any]:
    """(steps, flat schema, required by its parent) for every value in `body` that `schema` describes."""
    flat = Schemas(name).flat(schema)
    yield steps, flat
    if isinstance(body, dict):
        properties = flat.get("properties", {})
        extra = flat.get("additionalProperties", True)
        for key, value in body.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from locations(name, sub, value, (*steps, key))
    elif isinstance(body, list) and "items" in flat:
        for i, value in enumerate(body):
            yield from locations(name, flat["items"], value, (*steps, i))


def required_keys(name: str, schema: dict[str, Any], body: Any) -> Iterator[tuple[tuple[Key, ...], bool]]:
    """(steps, required) for every object key in `body`."""
    for steps, flat in locations(name, schema, body):
        value = at(body, steps)
        if isinstance(value, dict):
            for key in value:
                yield (*steps, key), key in flat.get("required", [])


WRONG = {"integer": 7, "number": 2.5, "string": "text", "boolean": True, "array": [1], "object": {"k": 1}, "null": None}


def wrong_value(flat: dict[str, Any]) -> Any:
    """A value of a JSON type `flat` does not allow; `...` when it allows every type."""
    if "type" not in flat:
        return ...
    allowed = {
        flat["type"],
        *(["integer"] if flat["type"] == "number" else []),
        *(["null"] * bool(flat.get("nullable"))),
    }
    return next(v for t, v in WRONG.items() if t not in allowed)


def bent_values(flat: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Values of the right type that break one of the constraints a server may bend, as the spec states them now."""
    if flat.get("type") != "string":
        return
    if "maxLength" in flat:
        yield "maxLength", "x" * (flat["maxLength"] + 1)
    if flat.get("minLength", 0) > 0:
        yield "minLength", "x" * (flat["minLength"] - 1)
    if "enum" in flat:
        yield "enum", "a-value-added-later"
    if "pattern" in flat:
        yield "pattern", next(s for s in ("", "!", " ", "\n", "0" * 99) if not re.search(flat["pattern"], s))


def derived() -> Iterator[Any]:
    for package, operation_id, status, schema in SUCCESS:
        name = SPEC_NAMES[package]
        for example in [v for p, o, s, _, v in EXAMPLES if (p, o, s) == (package, operation_id, status)][:1]:
            case = (package, operation_id, status)
            for steps, required in required_keys(name, schema, example):
                yield "delete", case, example, steps, required
            for steps, flat in locations(name, schema, example):
                if wrong_value(flat) is not ...:
                    yield "wrong", case, example, steps, wrong_value(flat)
                for keyword, value in bent_values(flat):
                    yield f"bent-{keyword}", case, example, steps, value


DERIVED = list(derived())


def test_derived_cases_cover_every_kind() -> None:
    # Which fields are required and which strings are bounded may change with the specs; that every example has
    # fields to delete and typed values to replace does not. (The keywords have their own cases below.)
    kinds = {kind for kind, *_ in DERIVED}
    assert {"delete", "wrong"} <= kinds
    assert {case for _, case, *_ in DERIVED} == {(p, o, s) for p, o, s, _ in SUCCESS}


def _id(kind: str, case: tuple[str, str, int], steps: tuple[Key, ...]) -> str:
    return f"{case[1]}-{case[2]}-{kind}-{path_of(steps)}"


@pytest.mark.parametrize(
    ("kind", "case", "example", "steps", "detail"), DERIVED, ids=[_id(k, c, s) for k, c, _, s, _ in DERIVED]
)
def test_derived(kind: str, case: tuple[str, str, int], example: Any, steps: tuple[Key, ...], detail: Any) -> None:
    body = copy.deepcopy(example)
    path = path_of(steps)
    if kind == "delete":
        del at(body, steps[:-1])[steps[-1]]
        expected = [Problem(path, "is required by the spec but missing", True)] if detail else []
        assert problems(*case, body) == expected
    elif kind == "wrong":
        body = detail if not steps else _set(steps, detail)(body)
        found = problems(*case, body)
        assert [(p.path, p.breaking) for p in found] == [(path, True)], found
    else:  # a bent constraint: reported, never breaking
        body = _set(steps, detail)(body)
        found = problems(*case, body)
        assert found and all(p.path == path and not p.breaking for p in found), found


# -- bodies drawn from the schemas ----------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


def _success_id(case: tuple[str, str, int, dict[str, Any]]) -> str:
    return f"{case[1]}-{case[2]}"


def _beyond_known_values(found: list[Problem]) -> list[Problem]:
    """The problems other than a value outside `x-known-values`: the generator, like JSON Schema, reads those
    fields as open strings, so it draws any string there, and the checker rightly calls it bent."""
    return [p for p in found if p.breaking or "not one of the spec's values" not in p.message]


@pytest.mark.parametrize("case", DISTINCT, ids=_success_id)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_bodies_that_fit_the_schema_have_no_problems(case: tuple[str, str, int, dict[str, Any]], data: Any) -> None:
    package, operation_id, status, schema = case
    schemas = Schemas(SPEC_NAMES[package])
    body = data.draw(schemas.valid(schema))
    assert schemas.validator(schema)(body), "the generator drew a body the reference validator refuses"
    assert _beyond_known_values(problems(package, operation_id, status, body)) == []


@pytest.mark.parametrize("case", DISTINCT, ids=_success_id)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_changed_value_is_found_where_it_is(case: tuple[str, str, int, dict[str, Any]], data: Any) -> None:
    """In a body that fits, a value of the wrong type breaks at its path; a required key removed breaks at its path."""
    package, operation_id, status, schema = case
    name = SPEC_NAMES[package]
    body = data.draw(Schemas(name).valid(schema))
    typed = [(steps, wrong) for steps, flat in locations(name, schema, body) if (wrong := wrong_value(flat)) is not ...]
    keys = list(required_keys(name, schema, body))
    if typed:
        steps, wrong = data.draw(st.sampled_from(typed))
        changed = wrong if not steps else _set(steps, wrong)(copy.deepcopy(body))
        assert [
            (p.path, p.breaking) for p in _beyond_known_values(problems(package, operation_id, status, changed))
        ] == [(path_of(steps), True)]
    if keys:
        steps, required = data.draw(st.sampled_from(keys))
        changed = copy.deepcopy(body)
        del at(changed, steps[:-1])[steps[-1]]
        expected = [Problem(path_of(steps), "is required by the spec but missing", True)] if required else []
        assert _beyond_known_values(problems(package, operation_id, status, changed)) == expected


@pytest.mark.parametrize("case", DISTINCT, ids=_success_id)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_bodies_that_break_the_schema_are_reported(case: tuple[str, str, int, dict[str, Any]], data: Any) -> None:
    package, operation_id, status, schema = case
    schemas = Schemas(SPEC_NAMES[package])
    invalid = schemas.invalid(schema)
    assert invalid is not None
    body = data.draw(invalid)
    assert not schemas.validator(schema)(body), "the generator drew a body the reference validator accepts"
    assert problems(package, operation_id, status, body) != []


# -- keywords the real specs do not use (yet), on small specs ----------------------------------------------------------


def check(schema: dict[str, Any], body: Any, **components: dict[str, Any]) -> list[tuple[str, bool]]:
    """(path, breaking) of each problem of `body` under `schema`, in a one-operation spec."""
    document = {
        "paths": {
            "/x": {
                "get": {
                    "operationId": "op",
                    "responses": {"200": {"content": {"application/json": {"schema": schema}}}},
                }
            }
        },
        "components": {"schemas": components},
    }
    compiled = _response_checks._Compiler(document).response_schema("op", 200)
    return [(p.path, p.breaking) for p in walk(compiled, body)]


OBJECT = {"type": "object", "properties": {"a": {"type": "string"}}}
BENT = [("a", False)]
BROKEN = [("a", True)]


@pytest.mark.parametrize(
    ("schema", "body", "expected"),
    [
        # Bent: the value has the declared type but not the documented shape.
        ({"type": "string", "pattern": "^[a-z]+$"}, "ABC", [("body", False)]),
        ({"type": "string", "pattern": "[a-z]"}, "1a2", []),  # patterns are searched, not anchored
        ({"type": "string", "maxLength": 3}, "abcd", [("body", False)]),
        ({"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^x"}, "y", [("body", False), ("body", False)]),
        ({"type": "string", "format": "date-time"}, "2016-05-10T19:41:00.100Z", []),
        ({"type": "string", "format": "date-time"}, "yesterday", [("body", False)]),
        ({"type": "string", "format": "uuid"}, "7d9f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", []),
        ({"type": "string", "format": "uuid"}, "7d9f0c1a", [("body", False)]),
        ({"type": "string", "format": "a-format-nobody-knows"}, "anything", []),
        ({"type": "integer", "format": "int32"}, 2**31, [("body", False)]),
        ({"type": "string", "enum": ["a", "b"]}, "c", [("body", False)]),  # enums grow
        ({"type": "integer", "minimum": 0, "maximum": 10}, -1, [("body", False)]),
        ({"type": "integer", "minimum": 0, "maximum": 10}, 11, [("body", False)]),
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, 0, [("body", False)]),
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, 0.5, []),
        ({"type": "number", "minimum": 0, "maximum": 1}, float("nan"), []),  # Python's json reads NaN; no bound holds
        ({"type": "array", "maxItems": 1, "items": {"type": "string"}}, ["a", "b"], [("body", False)]),
        ({**OBJECT, "additionalProperties": False}, {"a": "x", "b": 1}, [("b", False)]),
        ({**OBJECT, "additionalProperties": True}, {"a": "x", "b": 1}, []),
        (OBJECT, {"a": "x", "b": [1, {"c": None}]}, []),  # unknown fields stay open
        # Breaking: the typed result would hold something other than it says.
        ({**OBJECT, "additionalProperties": {"type": "integer"}}, {"a": "x", "b": "1"}, [("b", True)]),
        ({**OBJECT, "required": ["a", "z"]}, {}, [("a", True), ("z", True)]),
        ({"type": "integer"}, 1.0, [("body", True)]),
        ({"type": "integer"}, False, [("body", True)]),
        ({"type": "number"}, True, [("body", True)]),
        ({"type": "number"}, 1, []),
        ({"type": "boolean"}, 0, [("body", True)]),
        ({"type": "array", "items": OBJECT}, [{"a": "x"}, {"a": 1}], [("[1].a", True)]),
        ({"type": "array", "items": OBJECT}, {"0": {"a": "x"}}, [("body", True)]),
        ({"type": "string", "enum": ["a"], "maxLength": 0}, 5, [("body", True)]),  # a wrong type is one problem
        # nullable (OpenAPI 3.0) lets null through, and nothing else.
        ({"type": "string", "nullable": True}, None, []),
        ({"type": "string", "nullable": True, "enum": ["a"]}, None, []),
        ({"type": "string", "nullable": True}, 1, [("body", True)]),
        ({"type": "object", "properties": {"a": {"type": "string", "nullable": True}}}, {"a": None}, []),
        ({"type": "object", "properties": {"a": {"type": "array", "nullable": True}}}, {"a": None}, []),
        ({"type": "object", "properties": {"a": {"type": "array"}}}, {"a": None}, BROKEN),
        ({"type": ["string", "null"]}, None, []),  # OpenAPI 3.1's spelling
        # No type, or keywords this check does not know: open.
        ({}, {"any": ["thing"]}, []),
        ({"description": "free"}, None, []),
        ({"type": "file"}, b"bytes", []),
        ({"type": "string", "x-vendor": 1, "contentMediaType": "text/plain", "uniqueItems": True}, "s", []),
        ({"type": "string", "pattern": "(?<name>ecma)"}, "x", []),  # a pattern Python cannot read is left out
        ({"properties": {"a": {"type": "string"}}}, "not an object, and no type says it must be", []),
    ],
)
def test_keywords(schema: dict[str, Any], body: Any, expected: list[tuple[str, bool]]) -> None:
    assert check(schema, body) == expected


BASE = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "maxLength": 5}}}
NAMED = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}


@pytest.mark.parametrize(
    ("schema", "body", "expected"),
    [
        # allOf merges: the parts' properties and required fields combine; the schema's own keywords win.
        ({"allOf": [{"$ref": "#/components/schemas/Base"}, NAMED]}, {"id": "a", "name": "n"}, []),
        ({"allOf": [{"$ref": "#/components/schemas/Base"}, NAMED]}, {"name": "n"}, [("id", True)]),
        (
            {"allOf": [{"$ref": "#/components/schemas/Base"}, NAMED]},
            {"id": 1, "name": 2},
            [("id", True), ("name", True)],
        ),
        ({"allOf": [{"$ref": "#/components/schemas/Base"}, NAMED]}, {"id": "toolong", "name": "n"}, [("id", False)]),
        ({"allOf": [{"$ref": "#/components/schemas/Base"}], "nullable": True}, None, []),
        ({"allOf": [{"$ref": "#/components/schemas/Base"}]}, None, [("body", True)]),
        # A bound stated twice: the tighter one holds.
        ({"allOf": [{"type": "string", "maxLength": 5}, {"maxLength": 3}]}, "abcd", [("body", False)]),
        ({"allOf": [{"type": "string", "maxLength": 3}, {"maxLength": 5}]}, "abcd", [("body", False)]),
        # A property both parts describe must fit both.
        (
            {"allOf": [BASE, {"properties": {"id": {"pattern": "^a"}}}]},
            {"id": "b"},
            [("id", False)],
        ),
        # oneOf/anyOf: fine when one branch fits; bent when the best branch is only bent; else breaking.
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, 3, []),
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, [3], [("body", True)]),
        ({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]}, "abc", [("body", False)]),
        ({"oneOf": [{"$ref": "#/components/schemas/Base"}, NAMED]}, {"name": "n"}, []),
        ({"oneOf": [{"$ref": "#/components/schemas/Base"}, NAMED]}, {"other": 1}, [("body", True)]),
        ({**OBJECT, "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}, {"a": None}, []),
        ({**OBJECT, "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "array"}]}}}, {"a": 1}, BROKEN),
        # $ref into a recursive schema: nested paths all the way down.
        ({"$ref": "#/components/schemas/Tree"}, {"name": "r", "children": [{"name": "c", "children": []}]}, []),
        (
            {"$ref": "#/components/schemas/Tree"},
            {"name": "r", "children": [{"name": "c", "children": [{"name": 1}, {"id": "x"}]}]},
            [("children[0].children[0].name", True), ("children[0].children[1].name", True)],
        ),
        # A JSON pointer with escapes (`~1` is `/`).
        ({"$ref": "#/components/schemas/a~1b"}, 1, [("body", True)]),
    ],
)
def test_composition(schema: dict[str, Any], body: Any, expected: list[tuple[str, bool]]) -> None:
    tree = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        },
    }
    assert check(schema, body, Base=BASE, Tree=tree, **{"a/b": {"type": "string"}}) == expected


def test_messages_say_what_and_where() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "kind": {"type": "string", "enum": ["submit"]},
            "code": {"type": "string", "pattern": "^[0-9]+$", "maxLength": 3},
            "items": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        },
    }
    document = {
        "paths": {
            "/x": {
                "get": {
                    "operationId": "op",
                    "responses": {"200": {"content": {"application/json": {"schema": schema}}}},
                }
            }
        }
    }
    compiled = _response_checks._Compiler(document).response_schema("op", 200)
    body = {"kind": "cancel", "code": "abcd", "items": [0, "1"], "either": [], "extra": 1}
    assert [(p.path, p.message) for p in walk(compiled, body)] == [
        ("kind", "is 'cancel', not one of the spec's values ('submit')"),
        ("code", "is 4 characters, the spec says at most 3"),
        ("code", "does not match the spec's pattern '^[0-9]+$'"),
        ("items[0]", "is 0, the spec says at least 1"),
        ("items[1]", "is a string, the spec says integer"),
        (
            "either",
            "fits none of the spec's 2 alternatives (either: is a list, the spec says string / "
            "either: is a list, the spec says integer)",
        ),
        ("extra", "is not a field the spec declares (additionalProperties: false)"),
    ]
