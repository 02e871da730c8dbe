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
CARD = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.3"}}


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
        ("talkdesk-attachments", "UploadLink", {"url": "https://u"}),
        ("talkdesk-attachments", "DownloadLink", {"url": "https://u"}),
        ("talkdesk-attachments", "CreateAttachmentRequest", {"request_id": ""}),
        ("talkdesk-digital-connect", "StartConversationRequest", {"touchpoint_id": ""}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "submit", "messageId": "", "inputs": {}}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "submit", "messageId": "m", "inputs": []}),
        ("webex-attachment-actions", "AttachmentActivity", {"type": "submit", "messageId": "m", "inputs": {}}),
        ("webex-attachment-actions", "AttachmentActivity", {"id": "a", "type": "submit", "messageId": "m"}),
        ("talkdesk-attachments", "Error", {"code": "c", "message": "m", "fields": [{"name": "n"}]}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "cancel", "messageId": "m", "inputs": {}}),
        ("webex-attachment-actions", "SubmitCardAction", {"type": "submit", "messageId": "m"}),
        ("webex-messages", "MessageCreate", {"roomId": "r", "files": ["https://a", "https://b"]}),
        ("webex-messages", "MessageCreate", {"roomId": "r", "attachments": [CARD, CARD]}),
        ("webex-messages", "MessageCreate", {"roomId": "r", "attachments": [{"content": {}}]}),
        ("webex-messages", "CardAttachment", {"contentType": "application/json", "content": {}}),
        ("webex-messages", "CardAttachment", {"contentType": "application/vnd.microsoft.card.adaptive"}),
        ("webex-messages", "CardAttachment", {"contentType": "application/vnd.microsoft.card.adaptive", "content": []}),
        ("webex-messages", "Message", {"roomId": "r", "text": "no id"}),
        ("webex-webhooks", "WebhookCreate", {"name": "n", "targetUrl": "u", "resource": "messages"}),
        ("webex-webhooks", "WebhookCreate", {"name": "n", "targetUrl": "u", "resource": "cards", "event": "created"}),
        ("webex-webhooks", "WebhookCreate", {"name": "n", "targetUrl": "u", "resource": "messages", "event": "sent"}),
        ("webex-webhooks", "WebhookUpdate", {"name": "n"}),
        ("webex-webhooks", "WebhookUpdate", {"name": "n", "targetUrl": "u", "status": "inactive"}),
        ("webex-webhooks", "Webhook", {"name": "n"}),
        ("webex-webhooks", "WebhookCollection", {}),
        ("webex-webhooks", "WebhookEvent", {"id": "w", "resource": "messages", "event": "created"}),
        ("webex-webhooks", "WebhookEvent", {"id": "w", "resource": "messages", "event": "created", "data": {}}),
        ("webex-webhooks", "WebhookEvent", {"resource": "messages", "event": "created", "data": {"id": "m"}}),
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
    for status in ("200", "201", "202"):
        assert link_targets("webex-attachment-actions", "create_attachment_action", status) == {"get_attachment_action"}
    assert link_targets("webex-messages", "create_message", "200") == {"get_message", "delete_message"}
    assert link_targets("webex-messages", "get_message", "200") == {"delete_message"}
    assert link_targets("webex-webhooks", "create_webhook", "200") == {
        "get_webhook",
        "update_webhook",
        "delete_webhook",
    }
    assert link_targets("webex-webhooks", "get_webhook", "200") == {"update_webhook", "delete_webhook"}
    assert link_targets("webex-webhooks", "update_webhook", "200") == {"get_webhook", "delete_webhook"}


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


@pytest.mark.parametrize(
    ("name", "schema_name", "good"),
    [
        # Nothing marks these request fields required: an attachment-only message, an empty start, a create
        # without a name.
        ("talkdesk-digital-connect", "SendMessageRequest", {"attachments": [{"id": "my-mp3-id"}]}),
        ("talkdesk-digital-connect", "SendMessageRequest", {}),
        ("talkdesk-digital-connect", "StartConversationRequest", {}),
        ("talkdesk-digital-connect", "MessageAttachment", {"name": "test.mp3", "size": "about 1 KB"}),
        ("talkdesk-attachments", "CreateAttachmentRequest", {}),
        # No source bounds these lengths.
        ("talkdesk-attachments", "CreateAttachmentRequest", {"name": "n" * 300, "request_id": "r" * 300}),
        ("talkdesk-attachments", "UploadLinkRequest", {"allowed_mime_types": ["x" * 300, ""]}),
        ("talkdesk-digital-connect", "StartConversationRequest", {"touchpoint_id": "t" * 300}),
        ("talkdesk-digital-connect", "MessageAttachment", {"id": "a" * 300}),
        # Inputs are keyed by the card's own ids, with any JSON value.
        ("webex-attachment-actions", "Inputs", {"Toggle": True, "Count": 3, "Choice": ["a"], "Nested": {"x": None}}),
        (
            "webex-attachment-actions",
            "AttachmentActivity",
            {"id": "a", "type": "submit", "messageId": "m", "inputs": {}},
        ),
        # No field of a new message is required, as published: the one-destination and some-content rules, and the
        # 7,439-byte limit (bytes, not the characters maxLength counts), are checked by attachkit before sending.
        ("webex-messages", "MessageCreate", {}),
        ("webex-messages", "MessageCreate", {"roomId": "r", "toPersonEmail": "p@example.com"}),
        ("webex-messages", "MessageCreate", {"roomId": "r", "text": "é" * 7439, "markdown": "x" * 8000}),
        ("webex-messages", "MessageCreateMultipart", {}),
        # A card is Microsoft's schema, any JSON object.
        ("webex-messages", "AdaptiveCard", {"type": "AdaptiveCard", "version": "1.6", "body": [{"x": None}], "n": 1}),
        # Answers and events: open strings (x-known-values), and any extra field of an event's data.
        ("webex-messages", "Message", {"id": "m", "roomType": "team", "files": ["https://x/contents/c"]}),
        ("webex-webhooks", "Webhook", {"id": "w", "resource": "videoMeshAlerts", "event": "x", "status": "paused"}),
        (
            "webex-webhooks",
            "WebhookEvent",
            {"id": "w", "resource": "newThing", "event": "created", "data": {"id": "a", "anything": [1]}},
        ),
        ("webex-webhooks", "WebhookCreate", {"name": "", "targetUrl": "", "resource": "messages", "event": "created"}),
    ],
)
def test_what_no_source_constrains_stays_open(name: str, schema_name: str, good: dict[str, Any]) -> None:
    v = specs.validator(name, {"$ref": f"#/components/schemas/{schema_name}"})
    assert v.is_valid(good), list(v.iter_errors(good))


@pytest.mark.parametrize("name", specs.ALL)
def test_no_path_parameter_has_an_undocumented_bound(name: str) -> None:
    """Path ids are at least one character (an empty segment is another path); only documented ids have a maximum."""
    documented_max = {("talkdesk-digital-connect", "conversation_id"): 255}
    for path, item in specs.load(name)["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for param in [*item.get("parameters", []), *op.get("parameters", [])]:
                param = specs.resolve(name, param)
                schema = _flat(name, param["schema"])
                if param["in"] == "path":
                    assert schema.get("minLength") == 1, (path, param["name"])
                assert schema.get("maxLength") == documented_max.get((name, param["name"])), (path, param["name"])


# -- every constraint, with its source ---------------------------------------------------------------------

# (spec, where, keyword) -> value and why it is there. Every constraint keyword in the specs must be listed
# here, and everything listed must be in the specs: a new constraint needs its source (a seed, the reference
# material, or a reason the API could not accept anything else) before this test passes.
SEED_000 = "seed 000 (Create an attachment): its table marks these required"
SEED_001 = "seed 001 (Send a message): its table states the bound"
SEED_004 = "seed 004 (Create an Attachment Action): the page marks these required / lists this enum"
EMPTY_PATH = "an empty path segment addresses another path"
PUBLISHED_SPEC = "Webex's published spec (webex-messaging.json) marks these required / lists this enum"
GUIDES = "Webex's guides (reference facts: webex-card-loop-facts.md)"
CONSTRAINTS: dict[tuple[str, str, str], tuple[Any, str]] = {
    ("talkdesk-attachments", "POST /attachments/2023-03 body", "required"): (True, "the page documents a body"),
    ("talkdesk-attachments", "parameters/AttachmentId", "minLength"): (1, EMPTY_PATH),
    ("talkdesk-attachments", "schemas/UploadLink", "required"): (["request_id", "url"], "ATT-UL: required yes"),
    ("talkdesk-attachments", "schemas/CreateAttachmentRequest.request_id", "minLength"): (
        1,
        "the empty string names no upload link",
    ),
    ("talkdesk-attachments", "schemas/Attachment", "required"): (["id", "name", "state"], SEED_000),
    ("talkdesk-attachments", "schemas/Link", "required"): (["href"], "HAL: a link object carries an href"),
    ("talkdesk-attachments", "schemas/DownloadLink", "required"): (["url", "expire_time"], "ATT-DL: required yes"),
    ("talkdesk-attachments", "schemas/Error", "required"): (["code", "message"], SEED_000),
    ("talkdesk-attachments", "schemas/ErrorField", "required"): (["name", "description"], SEED_000),
    ("talkdesk-digital-connect", "POST /digital-connect/conversations body", "required"): (
        True,
        "the page documents a body",
    ),
    ("talkdesk-digital-connect", "POST /digital-connect/conversations/{conversation_id}/messages body", "required"): (
        True,
        "the page documents a body",
    ),
    ("talkdesk-digital-connect", "schemas/Identifier", "minLength"): (1, SEED_001 + " (and DC-START for the id)"),
    ("talkdesk-digital-connect", "schemas/Identifier", "maxLength"): (255, SEED_001 + " (and DC-START for the id)"),
    ("talkdesk-digital-connect", "schemas/StartConversationRequest.touchpoint_id", "minLength"): (
        1,
        "the empty string names no touchpoint",
    ),
    ("talkdesk-digital-connect", "schemas/Message.created_at", "minLength"): (24, SEED_001),
    ("talkdesk-digital-connect", "schemas/Message.created_at", "maxLength"): (24, SEED_001),
    ("talkdesk-digital-connect", "schemas/PartialMessage.created_at", "minLength"): (24, SEED_001),
    ("talkdesk-digital-connect", "schemas/PartialMessage.created_at", "maxLength"): (24, SEED_001),
    ("talkdesk-digital-connect", "schemas/Error", "required"): (["code", "message"], SEED_001),
    ("talkdesk-digital-connect", "schemas/ErrorField", "required"): (["name", "description"], SEED_001),
    ("webex-attachment-actions", "POST /attachment/actions body", "required"): (True, "its fields are required"),
    ("webex-attachment-actions", "GET /attachment/actions/{id} id", "minLength"): (1, EMPTY_PATH),
    ("webex-attachment-actions", "schemas/SubmitCardAction", "required"): (["type", "messageId", "inputs"], SEED_004),
    ("webex-attachment-actions", "schemas/SubmitCardAction.type", "enum"): (["submit"], SEED_004),
    ("webex-attachment-actions", "schemas/SubmitCardAction.messageId", "minLength"): (
        1,
        "the empty string names no message",
    ),
    ("webex-attachment-actions", "schemas/AttachmentActivity", "required"): (
        ["id", "type", "messageId", "inputs"],
        "the workflow needs them and every documented example carries them (published: type, messageId)",
    ),
    ("webex-messages", "POST /messages body", "required"): (True, "a message without a body names no room"),
    ("webex-messages", "parameters/MessageId", "minLength"): (1, EMPTY_PATH),
    ("webex-messages", "GET /contents/{contentId} contentId", "minLength"): (1, EMPTY_PATH),
    ("webex-messages", "GET /contents/{contentId} allow", "enum"): (
        ["unscannable"],
        GUIDES + ": `?allow=unscannable` forces the download of an unscannable file",
    ),
    ("webex-messages", "schemas/MessageCreate.files", "maxItems"): (1, "published: only one file per message"),
    ("webex-messages", "schemas/MessageCreate.attachments", "maxItems"): (1, "published: only one card per message"),
    ("webex-messages", "schemas/MessageCreateMultipart.files", "format"): (
        "binary",
        GUIDES + ": a local file is the `files` part of a multipart/form-data request",
    ),
    ("webex-messages", "schemas/CardAttachment", "required"): (
        ["contentType", "content"],
        "a card attachment is both (the Cards guide and every card example of the published spec)",
    ),
    ("webex-messages", "schemas/CardAttachment.contentType", "enum"): (
        ["application/vnd.microsoft.card.adaptive"],
        "Adaptive Cards are the only attachments Webex documents",
    ),
    ("webex-messages", "schemas/Message", "required"): (
        ["id"],
        "every documented example carries it and every next step needs it (published: none)",
    ),
    ("webex-webhooks", "POST /webhooks body", "required"): (True, "its fields are required"),
    ("webex-webhooks", "PUT /webhooks/{webhookId} body", "required"): (True, "its fields are required"),
    ("webex-webhooks", "parameters/WebhookId", "minLength"): (1, EMPTY_PATH),
    ("webex-webhooks", "GET /webhooks ownedBy", "minLength"): (
        1,
        "OpenAPI 3.0's allowEmptyValue is false by default: an empty query value is not a value",
    ),
    ("webex-webhooks", "GET /webhooks max", "minimum"): (
        1,
        "a count of webhooks per page; a page of none could not advance (published: a `number`, no bound)",
    ),
    ("webex-webhooks", "parameters/SparkSignature", "pattern"): (
        "^[0-9a-f]{40}$",
        GUIDES + ": the lowercase hex HMAC-SHA1 of the raw body (SHA-1: 20 bytes, 40 hex digits)",
    ),
    ("webex-webhooks", "schemas/WebhookCreate", "required"): (
        ["name", "targetUrl", "resource", "event"],
        PUBLISHED_SPEC,
    ),
    ("webex-webhooks", "schemas/WebhookCreate.resource", "enum"): (
        [
            "attachmentActions",
            "dataSources",
            "memberships",
            "messages",
            "rooms",
            "meetings",
            "recordings",
            "convergedRecordings",
            "meetingParticipants",
            "meetingTranscripts",
            "telephony_calls",
            "telephony_conference",
            "telephony_mwi",
            "uc_counters",
            "serviceApp",
            "adminBatchJobs",
        ],
        PUBLISHED_SPEC,
    ),
    ("webex-webhooks", "schemas/WebhookCreate.event", "enum"): (
        [
            "created",
            "updated",
            "deleted",
            "started",
            "ended",
            "joined",
            "left",
            "migrated",
            "authorized",
            "deauthorized",
            "statusChanged",
        ],
        PUBLISHED_SPEC,
    ),
    ("webex-webhooks", "schemas/WebhookUpdate", "required"): (["name", "targetUrl"], PUBLISHED_SPEC),
    ("webex-webhooks", "schemas/WebhookUpdate.status", "enum"): (
        ["active"],
        PUBLISHED_SPEC + " (an update cannot deactivate a webhook)",
    ),
    ("webex-webhooks", "schemas/Webhook", "required"): (
        ["id"],
        "every documented example carries it and get/update/delete need it (published: none)",
    ),
    ("webex-webhooks", "schemas/WebhookCollection", "required"): (
        ["items"],
        "every documented example carries it and the list is read from it (published: none)",
    ),
    ("webex-webhooks", "schemas/WebhookEvent", "required"): (
        ["id", "resource", "event", "data"],
        GUIDES + ": every delivery carries them; a receiver dispatches on resource and event and reads data.id",
    ),
    ("webex-webhooks", "schemas/WebhookEventData", "required"): (
        ["id"],
        GUIDES + ": data names the resource by id (the action's id for attachmentActions)",
    ),
}
CONSTRAINT_KEYWORDS = (
    "required",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "format",
    "multipleOf",
)


def _flat(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed and `allOf` parts merged (the specs use `allOf` only to add a description)."""
    schema = specs.resolve(name, schema)
    merged: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        merged.update(_flat(name, part))
    merged.update({k: v for k, v in schema.items() if k != "allOf"})
    return merged


def _constraints_in(name: str) -> dict[tuple[str, str, str], Any]:
    found: dict[tuple[str, str, str], Any] = {}

    def walk(schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            return  # the target is walked under its own name
        for keyword in CONSTRAINT_KEYWORDS:
            if keyword in schema:
                found[(name, where, keyword)] = schema[keyword]
        if schema.get("additionalProperties") is False:
            found[(name, where, "additionalProperties")] = False
        for prop, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{prop}")
        for part in schema.get("allOf", []):
            walk(part, where)
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{where}[]")
        if isinstance(schema.get("additionalProperties"), dict):
            walk(schema["additionalProperties"], f"{where}{{*}}")

    components = specs.load(name)["components"]
    for schema_name, schema in components.get("schemas", {}).items():
        walk(schema, f"schemas/{schema_name}")
    for param_name, param in components.get("parameters", {}).items():
        walk(param["schema"], f"parameters/{param_name}")
    for path, item in specs.load(name)["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for param in [*item.get("parameters", []), *op.get("parameters", [])]:
                if "$ref" not in param:
                    walk(param["schema"], f"{method.upper()} {path} {param['name']}")
            body = op.get("requestBody")
            if body and body.get("required"):
                found[(name, f"{method.upper()} {path} body", "required")] = True
    return found


def test_every_constraint_has_its_source() -> None:
    found = {key: value for name in specs.ALL for key, value in _constraints_in(name).items()}
    unlisted = {key: value for key, value in found.items() if key not in CONSTRAINTS}
    gone = [key for key in CONSTRAINTS if key not in found]
    changed = {
        key: (CONSTRAINTS[key][0], found[key])
        for key in CONSTRAINTS
        if key in found and found[key] != CONSTRAINTS[key][0]
    }
    assert not unlisted, f"constraints with no source listed: {unlisted}"
    assert not gone, f"listed constraints no longer in the specs: {gone}"
    assert not changed, f"constraints whose value changed (listed, found): {changed}"


# -- descriptions: the generated docstrings come from them --------------------------------------------------


@pytest.mark.parametrize("name", specs.ALL)
def test_every_schema_property_and_parameter_is_described(name: str) -> None:
    document = specs.load(name)
    missing = []
    for schema_name, schema in document["components"]["schemas"].items():
        if not schema.get("description"):
            missing.append(f"schemas/{schema_name}")
        for prop, sub in schema.get("properties", {}).items():
            if not (sub.get("description") or _flat(name, sub).get("description")):
                missing.append(f"schemas/{schema_name}.{prop}")
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for param in [*item.get("parameters", []), *op.get("parameters", [])]:
                if not specs.resolve(name, param).get("description"):
                    missing.append(f"{method.upper()} {path} {specs.resolve(name, param)['name']}")
    assert not missing, missing


def test_webex_create_documents_every_success_status_the_sources_list() -> None:
    """Seed 004: 200 and 204 in its table, 202 in its example; the reference facts add 201. 204 has no body."""
    _, _, op = specs.operations("webex-attachment-actions")["create_attachment_action"]
    assert {s for s in op["responses"] if s.startswith("2")} == {"200", "201", "202", "204"}
    assert "content" not in op["responses"]["204"]
    for status in ("200", "201", "202"):
        assert _response_schema("webex-attachment-actions", "create_attachment_action", status) == {
            "$ref": "#/components/schemas/AttachmentActivity"
        }


# -- the card loop: messages, contents and webhooks ---------------------------------------------------------


@pytest.mark.parametrize("schema_name", ["MessageCreate", "MessageCreateMultipart"])
def test_the_text_limit_is_stated_in_bytes_and_not_as_a_max_length(schema_name: str) -> None:
    """7,439 bytes (published, and the limits guide): maxLength would count characters, so the client checks bytes."""
    schema = specs.load("webex-messages")["components"]["schemas"][schema_name]
    for field in ("text", "markdown"):
        prop = schema["properties"][field]
        assert "maxLength" not in prop, (schema_name, field)
        assert "7439 bytes" in " ".join(prop["description"].split()), (schema_name, field)
        assert "attachkit checks the bytes" in " ".join(prop["description"].split()), (schema_name, field)


def test_create_message_takes_json_or_a_multipart_file() -> None:
    _, _, op = specs.operations("webex-messages")["create_message"]
    content = op["requestBody"]["content"]
    assert op["requestBody"]["required"] is True
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/MessageCreate"}
    multipart = specs.resolve("webex-messages", content["multipart/form-data"]["schema"])
    files = multipart["properties"]["files"]
    assert (files["type"], files["format"]) == ("string", "binary")
    assert "attachments" not in multipart["properties"]
    for schema_name in ("MessageCreate", "MessageCreateMultipart"):
        assert "required" not in specs.load("webex-messages")["components"]["schemas"][schema_name]


def test_message_files_are_content_urls() -> None:
    files = specs.load("webex-messages")["components"]["schemas"]["Message"]["properties"]["files"]
    assert files["type"] == "array" and files["items"]["type"] == "string"
    assert "/contents/{contentId}" in files["description"]
    specs.validator("webex-messages", files["items"]).validate(files["items"]["example"])


def test_a_download_goes_through_malware_scanning() -> None:
    """The REST basics guide: 423 + Retry-After while scanned, 410 infected, 428 unscannable (forced with allow)."""
    method, path, op = specs.operations("webex-messages")["get_content"]
    assert (method, path) == ("get", "/contents/{contentId}")
    (allow,) = [p for p in op["parameters"] if p["name"] == "allow"]
    assert allow["in"] == "query" and not allow.get("required") and allow["schema"]["enum"] == ["unscannable"]
    ok = op["responses"]["200"]
    assert set(ok["content"]) == {"application/octet-stream", "*/*"}
    for media in ok["content"].values():
        assert media["schema"] == {"type": "string", "format": "binary"}
    assert {"TrackingID", "Content-Disposition", "Content-Length"} <= set(ok["headers"])
    infected = specs.resolve("webex-messages", op["responses"]["410"])
    scanning = specs.resolve("webex-messages", op["responses"]["423"])
    unscannable = specs.resolve("webex-messages", op["responses"]["428"])
    assert "infected" in infected["description"]
    assert "being scanned" in scanning["description"] and "Retry-After" in scanning["headers"]
    assert "allow=unscannable" in unscannable["description"]


def test_the_webhook_delivery_is_a_signed_callback() -> None:
    """The delivery: POST {targetUrl} with X-Spark-Signature (when a secret is set) and the event envelope."""
    _, _, op = specs.operations("webex-webhooks")["create_webhook"]
    (delivery,) = op["callbacks"]["event"].values()
    assert list(op["callbacks"]["event"]) == ["{$request.body#/targetUrl}"]
    post = delivery["post"]
    (signature,) = [specs.resolve("webex-webhooks", p) for p in post["parameters"]]
    assert (signature["name"], signature["in"], signature.get("required", False)) == (
        "X-Spark-Signature",
        "header",
        False,
    )
    assert "HMAC-SHA1" in signature["description"]
    media = post["requestBody"]["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/WebhookEvent"}
    assert post["security"] == []
    for example in media["examples"].values():
        specs.validator("webex-webhooks", media["schema"]).validate(specs.resolve("webex-webhooks", example)["value"])
    specs.validator("webex-webhooks", signature["schema"]).validate(signature["example"])


def test_list_webhooks_pages_with_the_link_header() -> None:
    _, _, op = specs.operations("webex-webhooks")["list_webhooks"]
    assert "Link" in op["responses"]["200"]["headers"]
    assert {(p["name"], p["in"]) for p in op["parameters"]} == {("max", "query"), ("ownedBy", "query")}
