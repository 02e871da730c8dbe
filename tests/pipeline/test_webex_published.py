"""Our Webex specs hold Webex's published one: every official path, method, parameter, required field, enum
value and status code is in ours, and each place where ours differs is listed below with its reason.

The published document is `webex/webex-openapi-specs`, `public-spec/webex-messaging.json` (commit 1be8332),
excerpted twice: to the attachment-action paths in `tests/data/webex-published-excerpt.json` (compared with
openapi/webex-attachment-actions.yaml), and to the messages, webhooks and attachment-action paths in
`tests/data/webex-published-messages-webhooks.json`, whose messages and webhooks part (its `/messages` and
`/webhooks` paths and the schemas they use) is compared with openapi/webex-messages.yaml and
openapi/webex-webhooks.yaml. The comparison finds every difference, in both directions (response headers: the
published ones missing from ours); the test fails on one that `DELIBERATE` (or `DELIBERATE_LOOP`) does not list
(a new contradiction) and on a listed one that no longer exists (so the list stays true).
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
LOOP_EXCERPT = ROOT / "tests" / "data" / "webex-published-messages-webhooks.json"
LOOP_REFERENCE = ROOT.parent / "shared" / "reference" / "webex-messaging-messages-webhooks.json"
LOOP_PUBLISHED: dict[str, Any] = json.loads(LOOP_EXCERPT.read_text())
LOOP_NAMES = ("webex-messages", "webex-webhooks")
LOOP_AREAS = ("/messages", "/webhooks")  # the excerpt's attachment-action paths are compared above
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

# -- messages and webhooks ----------------------------------------------------------------------------------

POST_MESSAGE = "POST /messages"
GET_MESSAGE = "GET /messages/{messageId}"
DELETE_MESSAGE = "DELETE /messages/{messageId}"
LIST_WEBHOOKS = "GET /webhooks"
POST_WEBHOOK = "POST /webhooks"
GET_WEBHOOK = "GET /webhooks/{webhookId}"
PUT_WEBHOOK = "PUT /webhooks/{webhookId}"
DELETE_WEBHOOK = "DELETE /webhooks/{webhookId}"
LOOP_OPERATIONS = (
    POST_MESSAGE,
    GET_MESSAGE,
    DELETE_MESSAGE,
    LIST_WEBHOOKS,
    POST_WEBHOOK,
    GET_WEBHOOK,
    PUT_WEBHOOK,
    DELETE_WEBHOOK,
)
WEBHOOK_RESOURCES = (
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
)
WEBHOOK_EVENTS = (
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
)
# Where a published schema is compared with ours: the component, and inline wherever the published side names
# another component than ours (the get answer's ListMessage, the list answer's WebhookCollectionResponse, the
# request body's Attachment).
MESSAGE_PLACES = ("schema Message", f"{GET_MESSAGE} 200 body")
CARD_PLACES = (*MESSAGE_PLACES, f"{POST_MESSAGE} body")
WEBHOOK_PLACES = ("schema Webhook", f"{LIST_WEBHOOKS} 200 body.items[]")

_OPEN_ANSWER = (
    "An answer's {field} is read as an open string, its documented values kept as x-known-values: Webex adds "
    "values (the published ownedBy description already names resources its enum lacks), and an unknown one is a "
    "contract warning, not a refused answer."
)
_CARD_ATTACHMENT = (
    "A documented defect of the published spec: its Attachment points `content` at an unrelated content-management "
    "File schema (required fileId, type, contentUrl), so its own card examples fail it. Ours is the card attachment "
    "the Cards guide and every published example show: contentType (application/vnd.microsoft.card.adaptive) and "
    "content (the card, any object), both required."
)
_PATH_ID = "An empty id is an empty path segment, which addresses another path."
_BODY_REQUIRED = (
    "The published body schema requires fields (or, for a message, a destination and content), so a request "
    "without a body cannot be valid; the published document only leaves OpenAPI's default (optional) in place."
)
_GUIDE_FIELD = "In Webex's answers and webhook events (the webhooks guide), but not in the published schema."

DELIBERATE_LOOP: dict[str, str] = {
    "GET /messages: missing": (
        "List Messages is outside the card loop (a bot learns of messages by webhook and reads one by id); not "
        "covered, so not described."
    ),
    "PUT /messages/{messageId}: missing": "Edit a Message is outside the card loop; not covered, so not described.",
    "schema ListMessageCollectionResponse: missing": "Only List Messages (not covered) answers it.",
    "schema ListMessage: missing": (
        "Get Message Details answers ours as `Message`: one schema with every field of the published Message and "
        "ListMessage, since both describe the same message."
    ),
    "schema Attachment: missing": _CARD_ATTACHMENT,
    "schema File: missing": _CARD_ATTACHMENT,
    "schema WebhookCollectionResponse: missing": "Named WebhookCollection here (the same page of webhooks).",
    "GET /contents/{contentId}: added": (
        "Downloading a message's file: documented by the REST basics guide (anti-malware: 423 while scanned, 410 "
        "infected, 428 unscannable, ?allow=unscannable), absent from the published spec."
    ),
    f"{POST_MESSAGE}: request body required": _BODY_REQUIRED,
    f"{POST_WEBHOOK}: request body required": _BODY_REQUIRED,
    f"{PUT_WEBHOOK}: request body required": _BODY_REQUIRED,
    f"{POST_MESSAGE}: request media types ['multipart/form-data'] added": (
        "A local file is posted as multipart/form-data (one file, in the `files` part, up to 100 MB), as the "
        "guides document; the published spec has only the JSON body."
    ),
    f"{POST_MESSAGE} body.files: maxItems None -> 1": (
        "The published description: only one file is allowed per message."
    ),
    f"{POST_MESSAGE} body.attachments: maxItems None -> 1": (
        "The published description: only one card per message is supported."
    ),
    **{
        f"{place}.attachments[]{detail}": _CARD_ATTACHMENT
        for place in CARD_PLACES
        for detail in (
            ": content required",
            ": contentType required",
            ".content: contentUrl not required",
            ".content: fileId not required",
            ".content: type not required",
            ".content.fileId: missing",
            ".content.type: missing",
            ".content.contentUrl: missing",
            ".contentType: added",
        )
    },
    **{
        f"{place}: id required": (
            "Every documented example carries the message's id, and every next step needs it (get, delete, an "
            "attachment action's messageId). The published spec requires nothing."
        )
        for place in MESSAGE_PLACES
    },
    **{
        f"{place}.roomType: enum value {value!r} missing": _OPEN_ANSWER.format(field="roomType")
        for place in MESSAGE_PLACES
        for value in ("direct", "group")
    },
    **{
        f"{GET_MESSAGE} 200 body.{field}: added": (
            "One Message schema describes both answers: create's (which has toPersonId and toPersonEmail) and "
            "get's (the published ListMessage, which lacks them)."
        )
        for field in ("toPersonId", "toPersonEmail")
    },
    **{
        f"schema Message.{field}: added": (
            "One Message schema describes both answers: get's (the published ListMessage, which has this field) and "
            "create's (the published Message, which lacks it)."
        )
        for field in ("parentId", "html", "updated", "isVoiceClip")
    },
    **{
        f"{op} parameter path {name}: minLength None -> 1": _PATH_ID
        for op, name in (
            (GET_MESSAGE, "messageId"),
            (DELETE_MESSAGE, "messageId"),
            (GET_WEBHOOK, "webhookId"),
            (PUT_WEBHOOK, "webhookId"),
            (DELETE_WEBHOOK, "webhookId"),
        )
    },
    f"{LIST_WEBHOOKS} parameter query max: type number -> integer": (
        "A count of webhooks is a whole number: `number` would allow 2.5 (and generate a float parameter)."
    ),
    f"{LIST_WEBHOOKS} parameter query max: minimum None -> 1": (
        "A page of no webhooks could not advance a walk over the Link header; no upper bound is documented."
    ),
    f"{LIST_WEBHOOKS} parameter query ownedBy: minLength None -> 1": (
        "OpenAPI 3.0's allowEmptyValue is false by default, so `ownedBy=` is no value; saying so in the schema "
        "keeps generators from sending an empty one."
    ),
    f"{LIST_WEBHOOKS} 200 body: items required": (
        "Every documented example carries items, and the list is read from it."
    ),
    **{
        f"{place}: id required": (
            "Every documented example carries the webhook's id, and get, update and delete need it. The published "
            "spec requires nothing."
        )
        for place in WEBHOOK_PLACES
    },
    **{
        f"{place}.{field}: enum value {value!r} missing": _OPEN_ANSWER.format(field=field)
        for place in WEBHOOK_PLACES
        for field, values in (
            ("resource", WEBHOOK_RESOURCES),
            ("event", WEBHOOK_EVENTS),
            ("status", ("active", "inactive")),
        )
        for value in values
    },
    **{
        f"{place}.{field}: added": _GUIDE_FIELD for place in WEBHOOK_PLACES for field in ("orgId", "createdBy", "appId")
    },
    **{f"{op} {status}: body described": _ERROR_BODY for op in LOOP_OPERATIONS for status in ERROR_STATUSES},
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


def compare_schemas(
    pub: Any, ours: Any, where: str, ours_doc: dict[str, Any], pub_doc: dict[str, Any] | None = None
) -> list[str]:
    """The differences between a published schema (of `pub_doc`, by default the attachment-action excerpt) and
    ours at `where`."""
    pub_doc = PUBLISHED if pub_doc is None else pub_doc
    pub, ours = _resolve(pub_doc, pub), _resolve(ours_doc, ours)
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
            found += compare_schemas(pub_props[name], our_props[name], f"{where}.{name}", ours_doc, pub_doc)
        else:
            found.append(f"{where}.{name}: missing")
    found += [f"{where}.{name}: added" for name in our_props if name not in pub_props]
    if "items" in pub or "items" in ours:
        found += compare_schemas(pub.get("items", {}), ours.get("items", {}), f"{where}[]", ours_doc, pub_doc)
    return found


def _in_areas(path: str, areas: tuple[str, ...] | None) -> bool:
    return areas is None or any(path == area or path.startswith(area + "/") for area in areas)


def _schemas_used(document: dict[str, Any], nodes: list[Any]) -> list[str]:
    """The component schemas that `nodes` reference, directly or through other schemas, in document order."""
    seen: set[str] = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            name = _ref_name(node)
            if name is not None and node["$ref"].startswith("#/components/schemas/") and name not in seen:
                seen.add(name)
                todo.append(document["components"]["schemas"][name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return [name for name in document["components"]["schemas"] if name in seen]


def differences(
    published: dict[str, Any] | None = None,
    ours_names: tuple[str, ...] = (OURS_NAME,),
    areas: tuple[str, ...] | None = None,
) -> dict[str, None]:
    """Every difference between the published document and ours (ordered, without repeats).

    `areas` limits the published side to the paths under those prefixes and the schemas they use; ours is every
    operation and schema of the specs `ours_names`, which together stand for the published document.
    """
    published = PUBLISHED if published is None else published
    our_docs = [specs.load(name) for name in ours_names]
    found: list[str] = []

    def schema_pair(pub: Any, ours: Any, where: str, ours_doc: dict[str, Any]) -> None:
        pub_name = _ref_name(pub)
        if pub_name is None or pub_name != _ref_name(ours):
            found.extend(compare_schemas(pub, ours, where, ours_doc, published))
        # else: the same component on both sides, compared once by name below

    published_ops = {k: v for k, v in _operations(published).items() if _in_areas(k.split(" ", 1)[1], areas)}
    our_ops = {key: (doc, *pair) for doc in our_docs for key, pair in _operations(doc).items()}
    found += [f"{key}: missing" for key in published_ops if key not in our_ops]
    found += [f"{key}: added" for key in our_ops if key not in published_ops]
    for key, (pub_item, pub_op) in published_ops.items():
        if key not in our_ops:
            continue
        ours_doc, our_item, our_op = our_ops[key]
        pub_params = _parameters(published, pub_item, pub_op)
        our_params = _parameters(ours_doc, our_item, our_op)
        for (where, name), param in pub_params.items():
            label = f"{key} parameter {where} {name}"
            ours = our_params.get((where, name))
            if ours is None:
                found.append(f"{label}: missing")
                continue
            if bool(param.get("required")) != bool(ours.get("required")):
                found.append(f"{label}: required {bool(param.get('required'))} -> {bool(ours.get('required'))}")
            found += compare_schemas(param.get("schema", {}), ours.get("schema", {}), label, ours_doc, published)
        found += [f"{key} parameter {w} {n}: added" for (w, n) in our_params if (w, n) not in pub_params]
        pub_body, our_body = pub_op.get("requestBody"), our_op.get("requestBody")
        if pub_body is not None:
            if our_body is None:
                found.append(f"{key}: request body missing")
            else:
                if bool(pub_body.get("required")) != bool(_resolve(ours_doc, our_body).get("required")):
                    found.append(f"{key}: request body {'required' if our_body.get('required') else 'optional'}")
                pub_media = set(_resolve(published, pub_body).get("content") or {})
                our_media = set(_resolve(ours_doc, our_body).get("content") or {})
                if pub_media - our_media:
                    found.append(f"{key}: request media types {sorted(pub_media - our_media)} missing")
                if our_media - pub_media:
                    found.append(f"{key}: request media types {sorted(our_media - pub_media)} added")
                schema_pair(
                    _json_schema(published, pub_body), _json_schema(ours_doc, our_body), f"{key} body", ours_doc
                )
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
            for header in response.get("headers") or {}:
                if header not in (ours.get("headers") or {}):
                    found.append(f"{key} {status}: header {header} missing")
            if "application/json" in pub_media and "application/json" in our_media:
                schema_pair(
                    _json_schema(published, response), _json_schema(ours_doc, ours), f"{key} {status} body", ours_doc
                )
    in_scope = (
        list(published["components"]["schemas"])
        if areas is None
        else _schemas_used(published, [op for _, op in published_ops.values()])
    )
    for name in in_scope:
        owners = [doc for doc in our_docs if name in doc["components"]["schemas"]]
        if not owners:
            found.append(f"schema {name}: missing")
        else:
            schema = published["components"]["schemas"][name]
            found += compare_schemas(
                schema, owners[0]["components"]["schemas"][name], f"schema {name}", owners[0], published
            )
    return dict.fromkeys(found)


def loop_differences() -> dict[str, None]:
    """The differences between the published messages and webhooks and openapi/webex-{messages,webhooks}.yaml."""
    return differences(LOOP_PUBLISHED, LOOP_NAMES, LOOP_AREAS)


@pytest.mark.parametrize(("excerpt", "reference"), [(EXCERPT, REFERENCE), (LOOP_EXCERPT, LOOP_REFERENCE)])
def test_the_excerpt_is_the_reference_copy(excerpt: Path, reference: Path) -> None:
    """tests/data holds the reference excerpts unchanged (checked where the reference folder is beside the clone)."""
    if not reference.is_file():
        pytest.skip(f"{reference} is not beside this checkout")
    assert excerpt.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize(
    ("compare", "deliberate"),
    [(differences, DELIBERATE), (loop_differences, DELIBERATE_LOOP)],
    ids=["attachment-actions", "messages-webhooks"],
)
def test_every_difference_from_the_published_spec_is_deliberate(
    compare: Callable[[], dict[str, None]], deliberate: dict[str, str]
) -> None:
    found = compare()
    unexplained = [d for d in found if d not in deliberate]
    stale = [d for d in deliberate if d not in found]
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


# -- messages and webhooks: the plain facts -----------------------------------------------------------------

NOT_COVERED = ("GET /messages", "PUT /messages/{messageId}")  # outside the card loop (see DELIBERATE_LOOP)


def _loop_operations() -> dict[str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """ "METHOD path" -> (spec name, its document, path item, operation), over the messages and webhooks specs."""
    documents = {name: specs.load(name) for name in LOOP_NAMES}
    return {key: (name, doc, *pair) for name, doc in documents.items() for key, pair in _operations(doc).items()}


def test_every_official_messages_and_webhooks_operation_parameter_and_status_is_ours() -> None:
    ours = _loop_operations()
    published = {k: v for k, v in _operations(LOOP_PUBLISHED).items() if _in_areas(k.split(" ", 1)[1], LOOP_AREAS)}
    assert set(published) - set(ours) == set(NOT_COVERED)
    for key, (item, op) in published.items():
        if key in NOT_COVERED:
            continue
        _, doc, our_item, our_op = ours[key]
        assert set(_parameters(LOOP_PUBLISHED, item, op)) <= set(_parameters(doc, our_item, our_op)), key
        assert set(op["responses"]) <= set(our_op["responses"]), key


def test_the_published_messages_and_webhooks_examples_validate_against_ours() -> None:
    """Every published request and answer example of a covered operation is valid here (parameters included)."""
    ours = _loop_operations()
    checked = 0
    for key, (item, op) in _operations(LOOP_PUBLISHED).items():
        if not _in_areas(key.split(" ", 1)[1], LOOP_AREAS) or key in NOT_COVERED:
            continue
        name, doc, our_item, our_op = ours[key]
        holders = [(op.get("requestBody"), our_op.get("requestBody"))]
        holders += [(response, our_op["responses"][status]) for status, response in op["responses"].items()]
        for pub, mine in holders:
            media = ((pub or {}).get("content") or {}).get("application/json", {})
            if "example" in media:
                specs.validator(name, _json_schema(doc, mine)).validate(media["example"])
                checked += 1
        for (where, param_name), param in _parameters(LOOP_PUBLISHED, item, op).items():
            mine = _parameters(doc, our_item, our_op)[(where, param_name)]
            example = param["example"]
            if mine["schema"].get("type") == "integer":
                example = int(example)  # a query string: the published examples write the number as text
            specs.validator(name, mine["schema"]).validate(example)
    # Requests: create message, create and update webhook; answers: create and get message, list, create, get
    # and update webhook.
    assert checked == 9


def test_every_published_messages_and_webhooks_required_field_and_enum_value_is_ours() -> None:
    """Requests keep the published required lists and enums; answers keep enum values as enum or x-known-values."""
    ours = _loop_operations()
    for key in (POST_WEBHOOK, PUT_WEBHOOK):
        pub = _json_schema(LOOP_PUBLISHED, _operations(LOOP_PUBLISHED)[key][1]["requestBody"])
        _, doc, _, our_op = ours[key]
        mine = _resolve(doc, _json_schema(doc, our_op["requestBody"]))
        assert set(pub["required"]) <= set(mine["required"]), key
        for name, prop in pub["properties"].items():
            assert prop.get("enum", []) == _resolve(doc, mine["properties"][name]).get("enum", []), (key, name)
    for schema, name, our_schema in (
        ("Message", "webex-messages", "Message"),
        ("ListMessage", "webex-messages", "Message"),
        ("Webhook", "webex-webhooks", "Webhook"),
    ):
        mine = specs.load(name)["components"]["schemas"][our_schema]
        for field, prop in LOOP_PUBLISHED["components"]["schemas"][schema]["properties"].items():
            ours_prop = _resolve(specs.load(name), mine["properties"][field])
            for value in prop.get("enum", []):
                assert value in ours_prop.get("enum", ours_prop.get("x-known-values", [])), (schema, field, value)


def test_a_new_messages_or_webhooks_contradiction_is_caught() -> None:
    """Dropping a published enum value from a webhook request is a difference the list does not excuse."""
    ours_doc = specs.load("webex-webhooks")
    ours = {**ours_doc["components"]["schemas"]["WebhookCreate"]}
    resource = {**ours["properties"]["resource"], "enum": ["messages"]}
    ours["properties"] = {**ours["properties"], "resource": resource}
    pub = _json_schema(LOOP_PUBLISHED, _operations(LOOP_PUBLISHED)[POST_WEBHOOK][1]["requestBody"])
    found = compare_schemas(pub, ours, f"{POST_WEBHOOK} body", ours_doc, LOOP_PUBLISHED)
    assert f"{POST_WEBHOOK} body.resource: enum value 'attachmentActions' missing" in found
    assert not set(found) <= set(DELIBERATE_LOOP)
