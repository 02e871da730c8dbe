"""Validation compiled once per operation (`_compiled`) never accepts what openapi-core refuses.

The mock answers a request or response the compiled form finds conforming without asking openapi-core; everything
else goes to openapi-core, whose errors the mock reports. So the one property that matters is soundness: a "yes"
from the compiled form is a "no errors" from openapi-core. It is checked here for the path finder, for schemas with
every OAS 3.0 twist the compiler models, and for whole exchanges over a served mock with ``CROSS_CHECK`` on (every
compiled "yes" also asked of openapi-core). No timing here: the speed is `make bench`'s.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema_path import SchemaPath
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.validation.schemas import (
    oas30_read_schema_validators_factory,
    oas30_write_schema_validators_factory,
)

from attachkit.testing import MockServer, _compiled, _contract
from attachkit.testing._contract import Contract
from tests._support.plain_http import attachment, messages_url, start_conversation, talkdesk_headers

HTTP = ("get", "post", "put", "delete", "patch")


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract()


def test_every_operation_of_the_packaged_specs_is_compiled(contract: Contract) -> None:
    # Otherwise that operation silently goes back to openapi-core on every call: correct, but about 100x slower.
    for document in contract.documents.values():
        for op in document.operations:
            compiled = document._compiled[op.operation_id]
            assert compiled.params is not None, op.operation_id
            assert not compiled.body_declared or compiled.body_json, op.operation_id
            json_statuses = {s for s in op.statuses if s not in op.html_statuses}
            assert json_statuses <= set(compiled.responses), (op.operation_id, json_statuses - set(compiled.responses))


def _openapi_core_pattern(document: Any, method: str, url: str) -> str | None:
    try:
        found = document._params_validator.path_finder.find(method, url)
    except PathError:
        return None
    return str(found.path_result.pattern)


_SEGMENT = st.one_of(
    st.sampled_from(["", ".", "..", "a?b", "a#b", "%2F", "x y", "a;b", "é", "{id}", "messages", "webhooks", "v1"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/"), max_size=6),
    st.text(alphabet="abc-._~/?#;%", max_size=6),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_path_finder_picks_what_openapi_cores_picks(contract: Contract, data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(sorted(contract.documents.values(), key=lambda d: d.name)))
    template = data.draw(st.sampled_from(sorted(document.data["paths"])))
    parts = template.split("/")
    filled = "/".join(data.draw(_SEGMENT) if part.startswith("{") else part for part in parts)
    extra = data.draw(st.sampled_from(["", "/", "/x", "?q=1", "#f", "/.."]))
    method = data.draw(st.sampled_from(HTTP))
    path = document._base_path + filled + extra
    url = urljoin(document._host_url, path)
    finder = _compiled.PathFinder(document.data)
    assert finder.find(method, url) == _openapi_core_pattern(document, method, url), (method, url)
    if _compiled._PLAIN_PATH.fullmatch(path):
        assert document._host_url + path == url


# Schemas with the OAS 3.0 twists the compiler models, in a document of their own.
_DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Name": {"type": "string", "minLength": 1, "maxLength": 4, "x-known-values": ["ab"]},
            "Thing": {
                "type": "object",
                "required": ["id", "secret", "name"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                    "name": {"$ref": "#/components/schemas/Name"},
                    "short": {"$ref": "#/components/schemas/Name", "maxLength": 2},
                    "maybe": {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "hex": {"type": "string", "pattern": "^[0-9a-f]{2}$"},
                    "when": {"type": "string", "format": "date"},
                    "uuid": {"type": "string", "format": "uuid"},
                    "blob": {"type": "string", "format": "byte"},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2, "uniqueItems": True},
                    "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                    "either": {"anyOf": [{"type": "boolean"}, {"type": "number", "maximum": 1}]},
                    "not_null": {"not": {"type": "boolean"}},
                    "open": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
                "additionalProperties": False,
            },
        }
    }
}

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-3, max_value=3),
    st.sampled_from(["", "a", "ab", "abcd", "abcde", "0f", "0F", "0f\n", "2024-02-30", "2024-02-29", "QUJD", "QUJ"]),
    st.just(str(uuid.UUID(int=7))),
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
)
_THING = st.fixed_dictionaries(
    {},
    optional={name: _VALUES for name in (*_DOCUMENT["components"]["schemas"]["Thing"]["properties"], "extra")},
)


def _openapi_core_valid(mode: str, value: Any) -> bool:
    factory = oas30_write_schema_validators_factory if mode == "write" else oas30_read_schema_validators_factory
    spec = SchemaPath.from_dict(_DOCUMENT)
    try:
        factory.create(spec, spec / "components" / "schemas" / "Thing").validate(value)
    except Exception:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(value=_THING, mode=st.sampled_from(["write", "read"]))
def test_a_compiled_schema_accepts_only_what_openapi_core_accepts(value: dict[str, Any], mode: str) -> None:
    check = _compiled.compile_schema(_DOCUMENT, {"$ref": "#/components/schemas/Thing"}, mode)
    assert check is not None
    if check.check(value):
        assert _openapi_core_valid(mode, value), (mode, value)


@pytest.mark.parametrize(
    ("mode", "value", "valid"),
    [
        ("write", {"secret": "s", "name": "n"}, True),  # readOnly: not required in a request
        ("write", {"id": "i", "secret": "s", "name": "n"}, False),  # ... and refused there
        ("read", {"id": "i", "name": "n"}, True),  # writeOnly: not required in a response
        ("read", {"id": "i", "secret": "s", "name": "n"}, False),  # ... and refused there
        ("write", {"secret": "s", "name": "n", "maybe": None}, True),  # nullable
        ("write", {"secret": "s", "name": "n", "maybe": 0}, False),  # exclusiveMinimum, draft 4 style
        ("write", {"secret": "s", "name": "n", "short": "abc"}, False),  # a $ref's sibling applies
        ("write", {"secret": "s", "name": "abcd"}, True),  # x-known-values is no enum
        ("write", {"secret": "s", "name": "n", "hex": "0f\n"}, True),  # Python's `$`, as openapi-core's
        ("write", {"secret": "s", "name": "n", "when": "2024-02-30"}, False),  # format: openapi-core's checker
        ("write", {"secret": "s", "name": "n", "blob": "QUJ"}, False),
        ("write", {"secret": "s", "name": "n", "extra": 1}, False),
    ],
)
def test_compiled_schemas_follow_oas_3_0(mode: str, value: dict[str, Any], valid: bool) -> None:
    check = _compiled.compile_schema(_DOCUMENT, {"$ref": "#/components/schemas/Thing"}, mode)
    assert check is not None
    assert _openapi_core_valid(mode, value) is valid
    assert check.check(value) is valid


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "format": "int32"},
        {"type": "number", "multipleOf": 0.1},
        {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}},
        {"type": "object", "patternProperties": {"^x": {}}, "additionalProperties": False},
        {"type": ["string", "null"]},
        {"$ref": "#/components/schemas/Loop"},
    ],
)
def test_what_the_compiler_does_not_model_goes_to_openapi_core(schema: dict[str, Any]) -> None:
    document = {"components": {"schemas": {"Loop": {"type": "object", "properties": {"next": {"$ref": "#/x"}}}}}}
    document["components"]["schemas"]["Loop"]["properties"]["next"]["$ref"] = "#/components/schemas/Loop"
    assert _compiled.compile_schema(document, schema, "write") is None


def test_numbers_the_two_validators_might_read_apart_go_to_openapi_core() -> None:
    for raw in (b"12345678901234567", b"1e400", b"NaN", b"[1.5e300]"):
        with pytest.raises(_compiled.Undecided):
            _compiled.load_json(raw)
    assert _compiled.load_json(b'{"a": [1, 2.5, -3]}') == {"a": [1, 2.5, -3]}


@pytest.fixture
def cross_checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockServer]:
    monkeypatch.setattr(_contract, "CROSS_CHECK", True)
    with MockServer(validate_responses=True) as mock:
        yield mock


def test_a_served_mock_agrees_with_openapi_core(cross_checked: MockServer) -> None:
    mock = cross_checked
    accepted: list[str] = []
    original = _compiled.CompiledOperation.request_conforms

    def counting(self: _compiled.CompiledOperation, *args: Any, **kwargs: Any) -> bool:
        verdict = original(self, *args, **kwargs)
        if verdict:
            accepted.append(self.path)
        return verdict

    with pytest.MonkeyPatch.context() as patch, httpx.Client(timeout=30) as http:
        patch.setattr(_compiled.CompiledOperation, "request_conforms", counting)
        td = talkdesk_headers(http, mock)
        reference = attachment(http, mock, td)
        conversation = start_conversation(http, mock, td)
        for n, body in enumerate(
            [{"content": "hi"}, {"content": "file", "attachments": [reference]}, {"content": 5}, {"extra": []}, []]
        ):
            answer = http.post(
                messages_url(mock, conversation),
                content=json.dumps(body).encode(),
                headers={**td, "Content-Type": "application/json", "x-idempotency-key": f"k-{n}"},
            )
            assert answer.status_code in (201, 206, 400), answer.text
        wx = {"Authorization": f"Bearer {mock.webex_token}"}
        created = http.post(mock.webex_base_url + "/attachment/actions", json={"type": "submit"}, headers=wx)
        assert created.status_code == 400
        listed = http.get(mock.webex_base_url + "/webhooks", params={"max": "2"}, headers=wx)
        assert listed.status_code == 200
        for bad in ("0", "x", ""):
            assert http.get(mock.webex_base_url + "/webhooks", params={"max": bad}, headers=wx).status_code == 400
    assert not mock.internal_errors and not mock.response_violations
    assert "/digital-connect/conversations/{conversation_id}/messages" in accepted
    assert "/webhooks" in accepted
