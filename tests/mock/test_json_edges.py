"""JSON at its edges: numbers JSON cannot carry and deep nesting are refused with a 400 in the vendor's shape, and
nothing the mock sends is anything but JSON (Python's json would write NaN and Infinity)."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest

from attachkit.testing import MockServer, create_app
from attachkit.testing import _endpoints as endpoints_module
from attachkit.testing._bodies import MAX_JSON_DEPTH, parse_json
from attachkit.testing._checking import Binding, ResponseChecker
from attachkit.testing._dialects import TALKDESK, WEBEX, to_json
from attachkit.testing._handlers import Call, Reply
from attachkit.testing._pipeline import Pipeline
from tests._support.plain_http import ACTIONS, ATTACHMENTS, CONVERSATIONS, field_names, webex_descriptions
from tests._support.servers import strict

JSON = {"Content-Type": "application/json"}


def strict_json(response: httpx.Response) -> Any:
    """The body as RFC 8259 JSON: NaN and Infinity, which Python's json.loads accepts, fail."""

    def refuse(literal: str) -> None:
        raise AssertionError(f"{literal} in a response: not JSON")

    assert response.headers["content-type"] == "application/json"
    return json.loads(response.content, parse_constant=refuse)


def stored(mock: MockServer) -> tuple[int, ...]:
    state = mock.state
    return len(state.attachments), len(state.conversations), len(state.actions)


def action(inputs_json: str) -> bytes:
    return f'{{"type":"submit","messageId":"m-1","inputs":{inputs_json}}}'.encode()


def nested(depth: int, inner: str = "") -> str:
    return "[" * depth + inner + "]" * depth


def assert_refused(response: httpx.Response, vendor: str, field: str, says: str) -> None:
    """A 400 in the vendor's error shape naming ``field``, with ``says`` in its description."""
    assert response.status_code == 400, response.text
    body = strict_json(response)
    if vendor == "talkdesk":
        assert body["code"] == "0000400" and body["message"] == "Malformed request body"
        assert field_names(response) == [field]
        assert says in body["fields"][0]["description"]
    else:
        assert body["message"] == "Malformed request body"
        assert body["trackingId"] == response.headers["trackingid"]
        [description] = webex_descriptions(response)
        assert description.startswith(f"{field}: ") and says in description


def assert_still_serving(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    created = http.post(mock.webex_base_url + ACTIONS, content=action('{"ok":1.5}'), headers={**wx, **JSON})
    assert created.status_code == 200, created.text
    assert strict_json(created)["inputs"] == {"ok": 1.5}


# (vendor, path under the vendor's base URL, body, field named, what the description quotes)
NON_FINITE = [
    pytest.param("webex", ACTIONS, action('{"a":1e999}'), "inputs.a", "1e999", id="1e999"),
    pytest.param("webex", ACTIONS, action('{"a":[1,{"b":-1e999}]}'), "inputs.a[1].b", "-1e999", id="-1e999 nested"),
    pytest.param("webex", ACTIONS, action('{"a":Infinity}'), "inputs.a", "Infinity", id="Infinity"),
    pytest.param("webex", ACTIONS, action('{"a":"x","b":-Infinity}'), "inputs.b", "-Infinity", id="-Infinity"),
    pytest.param(
        "talkdesk", CONVERSATIONS, b'{"touchpoint_id":"t","context_parameters":{"x":1E+999}}',
        "context_parameters.x", "1E+999", id="1E+999 context_parameters",
    ),
    pytest.param("talkdesk", CONVERSATIONS, b'{"touchpoint_id":NaN}', "touchpoint_id", "NaN", id="NaN"),
    pytest.param(
        "talkdesk", ATTACHMENTS, b'{"name":"f","request_id":"r","metadata":{"size":NaN}}', "metadata.size", "NaN",
        id="NaN metadata",
    ),
    # 400 digits and no exponent overflow all the same; the description quotes only the start.
    pytest.param(
        "talkdesk", CONVERSATIONS, b'{"touchpoint_id":"t","context_parameters":{"n":1' + b"0" * 400 + b'.0}}',
        "context_parameters.n", "1000000000", id="400 digits",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "path", "body", "field", "says"), NON_FINITE)
def test_numbers_json_cannot_carry_are_refused_naming_the_field(
    http: httpx.Client,
    mock: MockServer,
    td: dict[str, str],
    wx: dict[str, str],
    vendor: str,
    path: str,
    body: bytes,
    field: str,
    says: str,
) -> None:
    base, auth = (mock.talkdesk_base_url, td) if vendor == "talkdesk" else (mock.webex_base_url, wx)
    before = stored(mock)
    response = http.post(base + path, content=body, headers={**auth, **JSON})
    assert_refused(response, vendor, field, says)
    assert "is not a finite number" in response.text
    assert stored(mock) == before
    assert_still_serving(http, mock, wx)


def test_finite_extremes_are_echoed_as_sent(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    inputs = '{"max":1.7976931348623157e308,"tiny":5e-324,"under":1e-999,"neg":-1.5E+300,"big":1' + "0" * 300 + "}"
    response = http.post(mock.webex_base_url + ACTIONS, content=action(inputs), headers={**wx, **JSON})
    assert response.status_code == 200, response.text
    echoed = strict_json(response)["inputs"]
    assert echoed == {"max": 1.7976931348623157e308, "tiny": 5e-324, "under": 0.0, "neg": -1.5e300, "big": 10**300}


@pytest.mark.parametrize("depth", [100_000, 2_000, MAX_JSON_DEPTH + 1])
def test_deep_nesting_is_refused(
    http: httpx.Client, mock: MockServer, td: dict[str, str], wx: dict[str, str], depth: int
) -> None:
    # The body is level 1 and `inputs` level 2: `depth` more arrays inside put it past the limit in every case.
    says = f"nested deeper than {MAX_JSON_DEPTH} levels"
    before = stored(mock)
    response = http.post(
        mock.webex_base_url + ACTIONS, content=action(f'{{"a":{nested(depth)}}}'), headers={**wx, **JSON}
    )
    assert_refused(response, "webex", "body", says)
    talkdesk = http.post(
        mock.talkdesk_base_url + CONVERSATIONS,
        content=f'{{"touchpoint_id":"t","context_parameters":{{"x":{nested(depth)}}}}}'.encode(),
        headers={**td, **JSON},
    )
    assert_refused(talkdesk, "talkdesk", "body", says)
    bare = http.post(mock.talkdesk_base_url + CONVERSATIONS, content=nested(depth).encode(), headers={**td, **JSON})
    assert_refused(bare, "talkdesk", "body", says)
    assert stored(mock) == before
    assert_still_serving(http, mock, wx)


def test_nesting_up_to_the_limit_is_served_and_strings_neither_add_nor_hide_depth(
    http: httpx.Client, mock: MockServer, wx: dict[str, str]
) -> None:
    # Brackets and escaped quotes inside strings are not nesting, whichever way they lean.
    noise = json.dumps('[[[{"\\" ]]]]]]]]]]}}}}')
    deepest = MAX_JSON_DEPTH - 2  # under the body (level 1) and `inputs` (level 2)
    response = http.post(
        mock.webex_base_url + ACTIONS,
        content=action(f'{{"a":{nested(deepest, noise)},"b":{noise}}}'),
        headers={**wx, **JSON},
    )
    assert response.status_code == 200, response.text
    assert strict_json(response)["inputs"]["a"] == json.loads(nested(deepest, noise))
    too_deep = http.post(
        mock.webex_base_url + ACTIONS, content=action(f'{{"a":{nested(deepest + 1, noise)}}}'), headers={**wx, **JSON}
    )
    assert_refused(too_deep, "webex", "body", "nested deeper")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32-le"])
def test_the_depth_bound_reads_every_encoding_json_loads_takes(encoding: str) -> None:
    # In UTF-16 and UTF-32 the bytes of a quote or bracket can belong to another character (U+5B22: 22 5B).
    text = '{"s":"\u5b22\u225b\u7d5d\\"]]]","a":%s}'
    assert parse_json((text % nested(MAX_JSON_DEPTH - 1)).encode(encoding))[1] is None
    problem = parse_json((text % nested(MAX_JSON_DEPTH)).encode(encoding))[1]
    assert problem is not None and problem.fields[0].description.startswith("nested deeper")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_the_response_serialiser_refuses_non_finite_numbers(value: float) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        to_json({"inputs": {"a": [value]}})
    assert to_json({"a": 1.5, "b": "NaN"}) == b'{"a":1.5,"b":"NaN"}'


def test_an_answer_that_is_not_json_becomes_the_usual_500() -> None:
    with create_app(validate_responses=True, strict_responses=True) as app:
        checker = ResponseChecker(app.contract, enabled=True)
        pipeline = Pipeline(app.config, app.state, app.faults, checker)
        op = app.contract.operations["get_attachment_action"]
        binding = Binding(op.vendor, op, "/attachment/actions/x")
        response = pipeline.respond(Reply(200, {"inputs": {"a": math.nan}}), WEBEX, "ATTACHKIT_t", binding, "GET")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/json"
        body = json.loads(bytes(response.body))
        assert body["message"] == "Internal Server Error" and body["trackingId"] == "ATTACHKIT_t"
        assert response.headers["trackingid"] == "ATTACHKIT_t"
        assert len(pipeline.errors) == 1 and "ValueError" in pipeline.errors[0]
        assert checker.violations == []  # the 500 itself is one the spec documents

        talkdesk = pipeline.respond(Reply(200, {"x": math.inf}), TALKDESK, None, Binding(), "GET")
        assert talkdesk.status_code == 500 and json.loads(bytes(talkdesk.body))["code"] == "0000500"


def test_over_http_a_handler_answering_nan_gets_a_json_500(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(call: Call) -> Reply:
        return Reply(200, {"inputs": {"a": math.inf}})

    monkeypatch.setitem(endpoints_module.HANDLERS, "get_attachment_action", broken)
    with strict() as mock:
        url = f"{mock.webex_base_url}{ACTIONS}/x"
        response = http.get(url, headers={"Authorization": f"Bearer {mock.webex_token}"})
        assert response.status_code == 500
        assert strict_json(response)["trackingId"] == response.headers["trackingid"]
        assert [e.split(":")[:2] for e in mock.internal_errors] == [["get_attachment_action", " ValueError"]]
        assert mock.response_violations == []
        monkeypatch.undo()
        assert http.get(url, headers={"Authorization": f"Bearer {mock.webex_token}"}).status_code == 404
