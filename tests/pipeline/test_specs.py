"""The specs honour the vendor pages: seed examples, documented statuses, Webex's published spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests import specs

DATA = Path(__file__).parent.parent / "data"
SEEDS = json.loads((DATA / "seed_examples.json").read_text())
PUBLISHED = json.loads((DATA / "webex-published-excerpt.json").read_text())


@pytest.mark.parametrize("name", specs.ALL)
def test_spec_is_valid_openapi_3_0_3(name: str) -> None:
    document = specs.load(name)
    assert document["openapi"] == "3.0.3"
    validate(document)


def _request_schema(name: str, operation_id: str) -> dict[str, Any]:
    _, _, op = specs.operations(name)[operation_id]
    return op["requestBody"]["content"]["application/json"]["schema"]


def _response_schema(name: str, operation_id: str, status: str) -> dict[str, Any]:
    _, _, op = specs.operations(name)[operation_id]
    response = specs.resolve(name, op["responses"][status])
    return response["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    ("name", "operation_id"),
    [(name, op) for name, ops in SEEDS.items() if not name.startswith("_") for op in ops],
)
def test_seed_examples_validate_and_statuses_are_documented(name: str, operation_id: str) -> None:
    seed = SEEDS[name][operation_id]
    specs.validator(name, _request_schema(name, operation_id)).validate(seed["request"])
    for status, body in seed.get("responses", {}).items():
        specs.validator(name, _response_schema(name, operation_id, status)).validate(body)
    _, _, op = specs.operations(name)[operation_id]
    missing = set(seed["statuses"]) - set(op["responses"])
    assert not missing, f"{operation_id} does not document {sorted(missing)}"


def _embedded_examples() -> list[tuple[str, str, str, Any]]:
    """Every example embedded in a spec: (spec, where, schema owner pointer, value)."""
    found = []
    for name in specs.ALL:
        for operation_id, (_, _, op) in specs.operations(name).items():
            media = op.get("requestBody", {}).get("content", {}).get("application/json")
            if media:
                for key, example in media.get("examples", {}).items():
                    found.append((name, f"{operation_id} request {key}", media["schema"], example))
            for status, response in op["responses"].items():
                media = specs.resolve(name, response).get("content", {}).get("application/json")
                if media:
                    for key, example in media.get("examples", {}).items():
                        found.append((name, f"{operation_id} {status} {key}", media["schema"], example))
    return found


@pytest.mark.parametrize(("name", "where", "schema", "example"), _embedded_examples(), ids=lambda v: str(v)[:40])
def test_every_embedded_example_validates(name: str, where: str, schema: dict[str, Any], example: Any) -> None:
    value = specs.resolve(name, example)["value"]
    specs.validator(name, schema).validate(value)


def test_embedded_examples_include_the_seeds() -> None:
    """The seeds' own examples are in the specs, not only in this test's data."""
    values = [specs.resolve(n, e)["value"] for n, _, _, e in _embedded_examples()]
    for name, ops in SEEDS.items():
        if name.startswith("_"):
            continue
        for seed in ops.values():
            assert seed["request"] in values
            for body in seed.get("responses", {}).values():
                assert body in values


def test_published_webex_examples_validate_against_our_spec() -> None:
    name = "webex-attachment-actions"
    post = PUBLISHED["paths"]["/attachment/actions"]["post"]
    get = PUBLISHED["paths"]["/attachment/actions/{id}"]["get"]
    specs.validator(name, _request_schema(name, "create_attachment_action")).validate(
        post["requestBody"]["content"]["application/json"]["example"]
    )
    for status, response in post["responses"].items():
        assert status in specs.operations(name)["create_attachment_action"][2]["responses"]
        if "example" in response.get("content", {}).get("application/json", {}):
            schema = _response_schema(name, "create_attachment_action", status)
            specs.validator(name, schema).validate(response["content"]["application/json"]["example"])
    for status, response in get["responses"].items():
        assert status in specs.operations(name)["get_attachment_action"][2]["responses"]
        if "example" in response.get("content", {}).get("application/json", {}):
            schema = _response_schema(name, "get_attachment_action", status)
            specs.validator(name, schema).validate(response["content"]["application/json"]["example"])
    parameter = get["parameters"][0]
    ours = specs.operations(name)["get_attachment_action"][2]["parameters"][0]
    specs.validator(name, ours["schema"]).validate(parameter["example"])


def test_published_webex_schemas_accept_what_ours_accepts_for_their_examples() -> None:
    """Our request schema is no stricter than Webex's on the documented shapes of `inputs`."""
    name = "webex-attachment-actions"
    schema = _request_schema(name, "create_attachment_action")
    for inputs in ({}, {"Name": "x"}, {"Toggle": "true", "Count": 3, "Nested": {"a": [1]}}):
        specs.validator(name, schema).validate({"type": "submit", "messageId": "m", "inputs": inputs})


@pytest.mark.parametrize(
    ("name", "schema_name", "bad"),
    [
        ("talkdesk-digital-connect", "Message", {"created_at": "2022-01-01T09:00:00Z"}),
        ("talkdesk-digital-connect", "Message", {"message_id": ""}),
        ("talkdesk-digital-connect", "Message", {"id": "x" * 256}),
        ("talkdesk-digital-connect", "MessageAttachment", {"id": "a", "size": 1024}),
        ("talkdesk-attachments", "Attachment", {"id": "a", "name": "n"}),
        ("talkdesk-attachments", "Error", {"code": "c", "message": "m", "fields": [{"name": "n"}]}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "cancel", "messageId": "m", "inputs": {}}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "submit", "messageId": "m"}),
    ],
)
def test_documented_constraints_reject(name: str, schema_name: str, bad: dict[str, Any]) -> None:
    """Each constraint the pages state is in the spec: these bodies break one of them."""
    v = specs.validator(name, {"$ref": f"#/components/schemas/{schema_name}"})
    assert not v.is_valid(bad)


def test_links_wire_the_workflows() -> None:
    def link_targets(name: str, operation_id: str, status: str) -> set[str]:
        response = specs.operations(name)[operation_id][2]["responses"][status]
        return {link["operationId"] for link in response.get("links", {}).values()}

    assert link_targets("talkdesk-attachments", "request_upload_link", "200") == {"create_attachment"}
    assert link_targets("talkdesk-attachments", "create_attachment", "200") == {
        "get_attachment",
        "get_attachment_download_link",
    }
    assert link_targets("talkdesk-digital-connect", "start_conversation", "201") == {"send_message"}
    assert link_targets("webex-attachment-actions", "create_attachment_action", "200") == {"get_attachment_action"}
    assert link_targets("webex-attachment-actions", "create_attachment_action", "202") == {"get_attachment_action"}


@pytest.mark.parametrize("name", ["talkdesk-attachments", "talkdesk-digital-connect"])
def test_talkdesk_servers_and_scopes(name: str) -> None:
    document = specs.load(name)
    assert [s["url"] for s in document["servers"]] == [
        "https://api.talkdeskapp.com",
        "https://api.talkdeskapp.eu",
        "https://api.talkdeskappca.com",
    ]
    for _, _, op in specs.operations(name).values():
        (requirement,) = op["security"]
        assert list(requirement) == ["oauth2"] and len(requirement["oauth2"]) == 1


def test_retry_after_documented_on_423_429_503() -> None:
    for name in specs.ALL:
        for operation_id, (_, _, op) in specs.operations(name).items():
            for status in ("423", "429", "503"):
                headers = specs.resolve(name, op["responses"][status]).get("headers", {})
                assert "Retry-After" in headers, (name, operation_id, status)
