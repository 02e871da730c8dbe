"""Our Webex spec holds Webex's published one: every official path, method, parameter, required field, enum
value and status code is in ours, and each place where ours differs is listed below with its reason.

The published document is `webex/webex-openapi-specs`, `public-spec/webex-messaging.json` (commit 1be8332),
excerpted to the attachment-action paths in `tests/data/webex-published-excerpt.json`. The comparison finds
every difference, in both directions; the test fails on one that `DELIBERATE` does not list (a new
contradiction) and on a listed one that no longer exists (so the list stays true).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import specs

ROOT = Path(__file__).resolve().parent.parent.parent
EXCERPT = ROOT / "tests" / "data" / "webex-published-excerpt.json"
# Where the reference material sits beside a checkout (CI and the project's machines); absent elsewhere.
REFERENCE = ROOT.parent / "shared" / "reference" / "webex-messaging-attachment-actions.json"
PUBLISHED: dict[str, Any] = json.loads(EXCERPT.read_text())
OURS_NAME = "webex-attachment-actions"
METHODS = ("get", "put", "post", "patch", "delete")
CONSTRAINTS = ("minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems", "format")

CREATE = "POST /attachment/actions"
GET = "GET /attachment/actions/{id}"
ERROR_STATUSES = (
    "400",
    "401",
    "403",
    "404",
    "405",
    "409",
    "410",
    "415",
    "423",
    "428",
    "429",
    "500",
    "502",
    "503",
    "504",
)
SAMPLE_CARD_IDS = ("Name", "Url", "Email", "Tel")

_ERROR_BODY = (
    "The published spec describes no error body. Webex answers `{message, errors[{description}], trackingId}` "
    "JSON or, for some statuses, HTML (the REST basics page's 429 example is text/html), and the SDK reads "
    "both, so ours describes both."
)
_INPUT_ID = (
    "The sample card's input id. Inputs are keyed by whatever ids the card defines (the reference facts: the "
    "SDK's live test card uses only Name and Email; Webex's Go SDK types inputs as map[string]interface{}), so "
    "ours is a free-form object: any key, any JSON value. The published examples still validate."
)

DELIBERATE: dict[str, str] = {
    f"{CREATE}: request body required": (
        "The published body schema requires type, messageId and inputs, so a request without a body cannot be "
        "valid; the published document only leaves OpenAPI's default (optional) in place."
    ),
    f"{CREATE} 200: status added": (
        "Seed 004's code table lists 200 OK ('Successful request with body content'), and the community SDK "
        "expects 200 for this POST."
    ),
    f"{CREATE} 201: status added": (
        "The reference facts read the page's generic code table as listing 201 Created among the successes; "
        "documented so that a 201 is a success rather than an unexpected answer."
    ),
    f"{CREATE} 204: status added": (
        "Seed 004's code table lists 204 No Content ('Successful request without body content')."
    ),
    f"{GET} parameter path id: minLength None -> 1": (
        "An empty id is an empty path segment, which addresses another path (the collection)."
    ),
    "schema SubmitCardAction.messageId: minLength None -> 1": (
        "messageId is required and names the message the card is on; the empty string names no message."
    ),
    "schema AttachmentActivity: id required": (
        "Every documented response example carries id, and the workflow needs it: the webhook gives only the "
        "id, and the action is read again by it."
    ),
    "schema AttachmentActivity: inputs required": (
        "Every documented response example carries inputs, and reading them is why an app fetches the action."
    ),
    "schema AttachmentActivity.type: enum value 'submit' missing": (
        "An answer's type is read as an open string, its documented value kept as x-known-values: Webex may "
        "add action types, and an unknown one is a contract warning, not a refused answer."
    ),
    "schema AttachmentActionType: missing": (
        "No published operation references it; its only value, submit, is the enum of the `type` field of both "
        "SubmitCardAction and AttachmentActivity here."
    ),
    **{
        f"schema {schema}.inputs.{key}: missing": _INPUT_ID
        for schema in ("SubmitCardAction", "AttachmentActivity")
        for key in SAMPLE_CARD_IDS
    },
    **{f"{op} {status}: body described": _ERROR_BODY for op in (CREATE, GET) for status in ERROR_STATUSES},
}


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ref_name(node: Any) -> str | None:
    return node["$ref"].rsplit("/", 1)[-1] if isinstance(node, dict) and "$ref" in node else None


def _operations(document: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """ "METHOD path" -> (path item, operation)."""
    return {
        f"{method.upper()} {path}": (item, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def _parameters(document: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> dict[tuple[str, str], Any]:
    found = {}
    for param in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(document, param)
        found[(param["in"], param["name"])] = param
    return found


def _json_schema(document: dict[str, Any], holder: dict[str, Any] | None) -> Any:
    if holder is None:
        return None
    return (_resolve(document, holder).get("content") or {}).get("application/json", {}).get("schema")


def compare_schemas(pub: Any, ours: Any, where: str, ours_doc: dict[str, Any]) -> list[str]:
    """The differences between a published schema and ours at `where`."""
    pub, ours = _resolve(PUBLISHED, pub), _resolve(ours_doc, ours)
    found: list[str] = []
    if pub.get("type") != ours.get("type"):
        found.append(f"{where}: type {pub.get('type')} -> {ours.get('type')}")
    for value in pub.get("enum", []):
        if value not in ours.get("enum", []):
            found.append(f"{where}: enum value {value!r} missing")
    for value in ours.get("enum", []):
        if "enum" in pub and value not in pub["enum"]:
            found.append(f"{where}: enum value {value!r} added")
    if "enum" in ours and "enum" not in pub:
        found.append(f"{where}: enum added")
    pub_required, our_required = set(pub.get("required", [])), set(ours.get("required", []))
    found += [f"{where}: {name} not required" for name in sorted(pub_required - our_required)]
    found += [f"{where}: {name} required" for name in sorted(our_required - pub_required)]
    for keyword in CONSTRAINTS:
        if pub.get(keyword) != ours.get(keyword):
            found.append(f"{where}: {keyword} {pub.get(keyword)} -> {ours.get(keyword)}")
    if ours.get("additionalProperties") is False and pub.get("additionalProperties") is not False:
        found.append(f"{where}: additional properties refused")
    pub_props, our_props = pub.get("properties", {}), ours.get("properties", {})
    for name in pub_props:
        if name in our_props:
            found += compare_schemas(pub_props[name], our_props[name], f"{where}.{name}", ours_doc)
        else:
            found.append(f"{where}.{name}: missing")
    found += [f"{where}.{name}: added" for name in our_props if name not in pub_props]
    if "items" in pub or "items" in ours:
        found += compare_schemas(pub.get("items", {}), ours.get("items", {}), f"{where}[]", ours_doc)
    return found


def differences() -> dict[str, None]:
    """Every difference between the published document and ours (ordered, without repeats)."""
    ours_doc = specs.load(OURS_NAME)
    found: list[str] = []

    def schema_pair(pub: Any, ours: Any, where: str) -> None:
        pub_name = _ref_name(pub)
        if pub_name is None or pub_name != _ref_name(ours):
            found.extend(compare_schemas(pub, ours, where, ours_doc))
        # else: the same component on both sides, compared once by name below

    published_ops, our_ops = _operations(PUBLISHED), _operations(ours_doc)
    found += [f"{key}: missing" for key in published_ops if key not in our_ops]
    found += [f"{key}: added" for key in our_ops if key not in published_ops]
    for key, (pub_item, pub_op) in published_ops.items():
        if key not in our_ops:
            continue
        our_item, our_op = our_ops[key]
        pub_params = _parameters(PUBLISHED, pub_item, pub_op)
        our_params = _parameters(ours_doc, our_item, our_op)
        for (where, name), param in pub_params.items():
            label = f"{key} parameter {where} {name}"
            ours = our_params.get((where, name))
            if ours is None:
                found.append(f"{label}: missing")
                continue
            if bool(param.get("required")) != bool(ours.get("required")):
                found.append(f"{label}: required {bool(param.get('required'))} -> {bool(ours.get('required'))}")
            found += compare_schemas(param.get("schema", {}), ours.get("schema", {}), label, ours_doc)
        found += [f"{key} parameter {w} {n}: added" for (w, n) in our_params if (w, n) not in pub_params]
        pub_body, our_body = pub_op.get("requestBody"), our_op.get("requestBody")
        if pub_body is not None:
            if our_body is None:
                found.append(f"{key}: request body missing")
            else:
                if bool(pub_body.get("required")) != bool(_resolve(ours_doc, our_body).get("required")):
                    found.append(f"{key}: request body {'required' if our_body.get('required') else 'optional'}")
                schema_pair(_json_schema(PUBLISHED, pub_body), _json_schema(ours_doc, our_body), f"{key} body")
        pub_responses, our_responses = pub_op["responses"], our_op["responses"]
        found += [f"{key} {status}: status missing" for status in pub_responses if status not in our_responses]
        found += [f"{key} {status}: status added" for status in our_responses if status not in pub_responses]
        for status, response in pub_responses.items():
            if status not in our_responses:
                continue
            ours = _resolve(ours_doc, our_responses[status])
            pub_media = set(response.get("content") or {})
            our_media = set(ours.get("content") or {})
            if pub_media - our_media:
                found.append(f"{key} {status}: media types {sorted(pub_media - our_media)} missing")
            if our_media and not pub_media:
                found.append(f"{key} {status}: body described")
            elif our_media - pub_media:
                found.append(f"{key} {status}: media types {sorted(our_media - pub_media)} added")
            if "application/json" in pub_media and "application/json" in our_media:
                schema_pair(_json_schema(PUBLISHED, response), _json_schema(ours_doc, ours), f"{key} {status} body")
    our_schemas = ours_doc["components"]["schemas"]
    for name, schema in PUBLISHED["components"]["schemas"].items():
        if name not in our_schemas:
            found.append(f"schema {name}: missing")
        else:
            found += compare_schemas(schema, our_schemas[name], f"schema {name}", ours_doc)
    return dict.fromkeys(found)


def test_the_excerpt_is_the_reference_copy() -> None:
    """tests/data holds the reference excerpt unchanged (checked where the reference folder is beside the clone)."""
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} is not beside this checkout")
    assert EXCERPT.read_bytes() == REFERENCE.read_bytes()


def test_every_difference_from_the_published_spec_is_deliberate() -> None:
    found = differences()
    unexplained = [d for d in found if d not in DELIBERATE]
    stale = [d for d in DELIBERATE if d not in found]
    assert not unexplained, "differences from Webex's published spec with no reason listed:\n" + "\n".join(unexplained)
    assert not stale, "listed differences that no longer exist:\n" + "\n".join(stale)


def test_every_official_path_method_parameter_and_status_is_ours() -> None:
    """The plain coverage facts, stated on their own: nothing official is missing from ours."""
    ours = specs.load(OURS_NAME)
    our_ops = _operations(ours)
    for key, (item, op) in _operations(PUBLISHED).items():
        assert key in our_ops, key
        our_item, our_op = our_ops[key]
        assert set(_parameters(PUBLISHED, item, op)) <= set(_parameters(ours, our_item, our_op)), key
        assert set(op["responses"]) <= set(our_op["responses"]), key


@pytest.mark.parametrize("schema", ["SubmitCardAction", "AttachmentActivity"])
def test_every_published_required_field_and_enum_value_is_ours(schema: str) -> None:
    pub = PUBLISHED["components"]["schemas"][schema]
    ours = specs.load(OURS_NAME)["components"]["schemas"][schema]
    assert set(pub["required"]) <= set(ours["required"])
    for name, prop in pub["properties"].items():
        for value in prop.get("enum", []):
            # An answer's open strings keep their documented values as x-known-values (see DELIBERATE).
            mine = _resolve(specs.load(OURS_NAME), ours["properties"][name])
            assert value in mine.get("enum", mine.get("x-known-values", [])), (schema, name, value)


def test_a_new_contradiction_is_caught() -> None:
    """The comparison sees a difference the list does not excuse (here: an enum value dropped from ours)."""
    ours_doc = specs.load(OURS_NAME)
    ours = {**ours_doc["components"]["schemas"]["SubmitCardAction"]}
    ours["properties"] = {**ours["properties"], "type": {"type": "string", "enum": ["cancel"]}}
    found = compare_schemas(PUBLISHED["components"]["schemas"]["SubmitCardAction"], ours, "schema X", ours_doc)
    assert "schema X.type: enum value 'submit' missing" in found
    assert not set(found) <= set(DELIBERATE)
