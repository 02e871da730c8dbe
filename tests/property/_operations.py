"""Every documented operation, as the public client calls it, tied to where each argument lives in the spec.

This table is the only hand-written part of the client properties: which method sends which operation, and
which spec parameter or body field each argument becomes. What a valid or invalid argument is, what a
response may look like and whether a request is right all come from the specs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import io
from collections.abc import Callable, Mapping
from typing import Any, Literal

import httpx
from hypothesis import strategies as st

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient
from tests import specs
from tests.property._jsonschema import HEADER_TEXT, TEXT, Schemas

Where = Literal["path", "query", "header", "body"]

# The clients talk to the specs' first servers; a MockTransport answers, so nothing leaves the process.
TALKDESK_BASE = specs.load("talkdesk-attachments")["servers"][0]["url"]
WEBEX_BASE = specs.load("webex-attachment-actions")["servers"][0]["url"]
TALKDESK_ACCOUNT = "acme"
TOKEN_HOST = "acme.talkdeskid.com"  # the "us" region's token host for account "acme"


@dataclasses.dataclass(frozen=True)
class Arg:
    """A client argument: its Python name, where it goes (`path`, `query`, `header` or `body`) and its name there."""

    python: str
    where: Where
    wire: str
    # What the client puts on the wire for a value, where its docstring promises a conversion (None: not sent).
    to_wire: Callable[[Any], Any] | None = None
    # Where the argument's own schema is inside the wire field's (`card` is the `content` of `attachments[0]`).
    within: tuple[str, ...] = ()
    # Values drawn by hand, for an argument the spec gives no schema to draw from (a file's bytes, a flag that
    # becomes a query value); such an argument is not broken by the invalid-argument property.
    values: st.SearchStrategy[Any] | None = None
    # Values the spec allows that the client reads otherwise, kept out of the valid ones (a content id with
    # `://` is a URL).
    keep: Callable[[Any], bool] | None = None

    def wire_value(self, value: Any) -> Any:
        return self.to_wire(value) if self.to_wire is not None else value


@dataclasses.dataclass(frozen=True)
class Operation:
    spec: str
    operation_id: str
    vendor: Literal["talkdesk", "webex"]
    method_path: tuple[str, str]  # e.g. ("attachments", "create"): client.attachments.create
    args: tuple[Arg, ...]
    positional: tuple[str, ...] = ()  # arguments the method takes positionally
    # Arguments every call also takes that are no part of the request (where a download goes), made fresh.
    fixed: Callable[[], dict[str, Any]] = dict
    # The rules the client checks beyond the spec (one destination, some content): valid arguments are made to
    # keep them.
    repair: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def id(self) -> str:
        return self.operation_id

    @property
    def spec_operation(self) -> dict[str, Any]:
        return specs.operations(self.spec)[self.operation_id][2]

    @property
    def method(self) -> str:
        return specs.operations(self.spec)[self.operation_id][0]

    @property
    def path(self) -> str:
        return specs.operations(self.spec)[self.operation_id][1]

    @property
    def schemas(self) -> Schemas:
        return Schemas(self.spec)

    def parameter(self, arg: Arg) -> dict[str, Any]:
        """The spec's parameter object for a path or header argument."""
        item = specs.load(self.spec)["paths"][self.path]
        for param in [*item.get("parameters", []), *self.spec_operation.get("parameters", [])]:
            param = specs.resolve(self.spec, param)
            if param["name"] == arg.wire and param["in"] == arg.where:
                return param
        raise LookupError(f"{self.operation_id} has no {arg.where} parameter {arg.wire}")

    @property
    def body_schema(self) -> dict[str, Any] | None:
        body = self.spec_operation.get("requestBody")
        return body["content"]["application/json"]["schema"] if body else None

    @property
    def body_required(self) -> bool:
        return bool(self.spec_operation.get("requestBody", {}).get("required"))

    def wire_schema_of(self, arg: Arg) -> dict[str, Any]:
        """The schema of the wire field or parameter the argument becomes."""
        if arg.where == "body":
            body = self.schemas.flat(self.body_schema or {})
            return body["properties"][arg.wire]
        return self.parameter(arg)["schema"]

    def schema_of(self, arg: Arg) -> dict[str, Any]:
        """The schema of the argument's own values (inside the wire field's, for an argument with `within`)."""
        schema = self.wire_schema_of(arg)
        for key in arg.within:
            schema = specs.resolve(self.spec, schema)[key]
        return schema

    def required(self, arg: Arg) -> bool:
        if arg.where == "body":
            return arg.wire in self.schemas.flat(self.body_schema or {}).get("required", [])
        return bool(self.parameter(arg).get("required"))

    def alphabet(self, arg: Arg) -> Any:
        return HEADER_TEXT if arg.where == "header" else TEXT

    def wire_body(self, kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The JSON body these arguments stand for, per the table (None: no body)."""
        body = {
            a.wire: a.wire_value(kwargs[a.python])
            for a in self.args
            if a.where == "body" and kwargs.get(a.python) is not None
        }
        if not body and not self.body_required:
            return None
        return body

    # -- calling ---------------------------------------------------------------------------------------

    def call_sync(self, client: Any, kwargs: Mapping[str, Any]) -> Any:
        resource, name = self.method_path
        method = getattr(getattr(client, resource), name)
        positional = [kwargs[p] for p in self.positional]
        named = {**self.fixed(), **{k: v for k, v in kwargs.items() if k not in self.positional}}
        return method(*positional, **named)

    async def call_async(self, client: Any, kwargs: Mapping[str, Any]) -> Any:
        resource, name = self.method_path
        method = getattr(getattr(client, resource), name)
        positional = [kwargs[p] for p in self.positional]
        named = {**self.fixed(), **{k: v for k, v in kwargs.items() if k not in self.positional}}
        return await method(*positional, **named)


def _attachment_refs(value: Any) -> Any:
    """`send_message(attachments=...)` sends an integer `size` (0 or more) as the decimal string the API wants."""
    if not isinstance(value, list | tuple):
        return value
    refs = []
    for item in value:
        if isinstance(item, Mapping):
            size = item.get("size")
            if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
                item = {**item, "size": str(size)}
        refs.append(item)
    return refs


CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
DESTINATIONS = ("room_id", "to_person_id", "to_person_email")


def _a_message(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Drawn arguments made what `messages.create` checks beyond the spec: one destination, not empty (the first
    drawn, else a room); some content (else text); a card or a file, not both (the card is kept)."""
    given = [name for name in DESTINATIONS if kwargs.get(name) is not None]
    made = {k: v for k, v in kwargs.items() if k not in given[1:]}
    if not given or made[given[0]] == "":
        made = {k: v for k, v in made.items() if k not in DESTINATIONS} | {"room_id": "room"}
    if made.get("card") is not None:
        made.pop("file", None)
    if not (made.get("text") or made.get("markdown") or made.get("card") is not None or "file" in made):
        made["text"] = "hello"
    return made


def _card(value: Any) -> Any:
    """`card=` is sent as the message's one attachment."""
    return [{"contentType": CARD_CONTENT_TYPE, "content": value}]


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "talkdesk-attachments",
        "request_upload_link",
        "talkdesk",
        ("attachments", "request_upload_link"),
        (Arg("allowed_mime_types", "body", "allowed_mime_types"),),
    ),
    Operation(
        "talkdesk-attachments",
        "create_attachment",
        "talkdesk",
        ("attachments", "create"),
        (Arg("name", "body", "name"), Arg("request_id", "body", "request_id"), Arg("metadata", "body", "metadata")),
    ),
    Operation(
        "talkdesk-attachments",
        "get_attachment",
        "talkdesk",
        ("attachments", "get"),
        (Arg("attachment_id", "path", "attachment_id"),),
        positional=("attachment_id",),
    ),
    Operation(
        "talkdesk-attachments",
        "get_attachment_download_link",
        "talkdesk",
        ("attachments", "download_link"),
        (Arg("attachment_id", "path", "attachment_id"),),
        positional=("attachment_id",),
    ),
    Operation(
        "talkdesk-digital-connect",
        "start_conversation",
        "talkdesk",
        ("conversations", "start"),
        (
            Arg("touchpoint_id", "body", "touchpoint_id"),
            Arg("subject", "body", "subject"),
            Arg("contact_person", "body", "contact_person"),
            Arg("context_parameters", "body", "context_parameters"),
            Arg("previous_messages", "body", "previous_messages"),
            Arg("idempotency_key", "header", "x-idempotency-key"),
        ),
    ),
    Operation(
        "talkdesk-digital-connect",
        "send_message",
        "talkdesk",
        ("conversations", "send_message"),
        (
            Arg("conversation_id", "path", "conversation_id"),
            Arg("content", "body", "content"),
            Arg("attachments", "body", "attachments", to_wire=lambda v: _attachment_refs(v)),
            Arg("idempotency_key", "header", "x-idempotency-key"),
        ),
        positional=("conversation_id",),
    ),
    Operation(
        "webex-attachment-actions",
        "create_attachment_action",
        "webex",
        ("attachment_actions", "create"),
        (Arg("message_id", "body", "messageId"), Arg("inputs", "body", "inputs"), Arg("type", "body", "type")),
    ),
    Operation(
        "webex-attachment-actions",
        "get_attachment_action",
        "webex",
        ("attachment_actions", "get"),
        (Arg("action_id", "path", "id"),),
        positional=("action_id",),
    ),
    Operation(
        "webex-messages",
        "create_message",
        "webex",
        ("messages", "create"),
        (
            Arg("room_id", "body", "roomId"),
            Arg("to_person_id", "body", "toPersonId"),
            Arg("to_person_email", "body", "toPersonEmail"),
            Arg("parent_id", "body", "parentId"),
            Arg("text", "body", "text"),
            Arg("markdown", "body", "markdown"),
            Arg("card", "body", "attachments", to_wire=_card, within=("items", "properties", "content")),
            # A local file is the multipart body's `files` part (its bytes); `file_name` names it.
            Arg("file", "body", "files", values=st.binary(max_size=300)),
        ),
        fixed=lambda: {"file_name": "upload.bin"},
        repair=_a_message,
    ),
    Operation(
        "webex-messages",
        "get_message",
        "webex",
        ("messages", "get"),
        (Arg("message_id", "path", "messageId"),),
        positional=("message_id",),
    ),
    Operation(
        "webex-messages",
        "delete_message",
        "webex",
        ("messages", "delete"),
        (Arg("message_id", "path", "messageId"),),
        positional=("message_id",),
    ),
    Operation(
        "webex-messages",
        "get_content",
        "webex",
        ("contents", "download"),
        (
            Arg("url_or_id", "path", "contentId", keep=lambda v: "://" not in v),
            Arg(
                "allow_unscannable",
                "query",
                "allow",
                to_wire=lambda v: "unscannable" if v else None,
                values=st.booleans(),
            ),
        ),
        positional=("url_or_id",),
        # A short scan budget: a 423 answered again and again is given up on after a few fake seconds.
        fixed=lambda: {"dest": io.BytesIO(), "max_scan_wait": 5},
    ),
    Operation(
        "webex-webhooks",
        "create_webhook",
        "webex",
        ("webhooks", "create"),
        (
            Arg("name", "body", "name"),
            Arg("target_url", "body", "targetUrl"),
            Arg("resource", "body", "resource"),
            Arg("event", "body", "event"),
            Arg("filter", "body", "filter"),
            Arg("secret", "body", "secret"),
            Arg("owned_by", "body", "ownedBy"),
        ),
    ),
    Operation(
        "webex-webhooks",
        "list_webhooks",
        "webex",
        ("webhooks", "list"),
        (Arg("max", "query", "max"), Arg("owned_by", "query", "ownedBy")),
    ),
    Operation(
        "webex-webhooks",
        "get_webhook",
        "webex",
        ("webhooks", "get"),
        (Arg("webhook_id", "path", "webhookId"),),
        positional=("webhook_id",),
    ),
    Operation(
        "webex-webhooks",
        "update_webhook",
        "webex",
        ("webhooks", "update"),
        (
            Arg("webhook_id", "path", "webhookId"),
            Arg("name", "body", "name"),
            Arg("target_url", "body", "targetUrl"),
            Arg("secret", "body", "secret"),
            Arg("owned_by", "body", "ownedBy"),
            Arg("status", "body", "status"),
        ),
        positional=("webhook_id",),
    ),
    Operation(
        "webex-webhooks",
        "delete_webhook",
        "webex",
        ("webhooks", "delete"),
        (Arg("webhook_id", "path", "webhookId"),),
        positional=("webhook_id",),
    ),
)
BY_ID = {op.operation_id: op for op in OPERATIONS}


# -- arguments ----------------------------------------------------------------------------------------


def valid_value(op: Operation, arg: Arg) -> st.SearchStrategy[Any]:
    if arg.values is not None:
        return arg.values
    strategy = op.schemas.valid(op.schema_of(arg), text=op.alphabet(arg))
    if arg.where == "path":
        # The client refuses "." and ".." on purpose: once a URL is normalised they address another path.
        strategy = strategy.filter(lambda v: v not in {".", ".."})
    if arg.keep is not None:
        strategy = strategy.filter(arg.keep)
    return strategy


@functools.cache
def valid_arguments(op: Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments the spec accepts: every required one, and any of the optional ones (within the client's rules)."""
    required = {a.python: valid_value(op, a) for a in op.args if op.required(a)}
    optional = {a.python: valid_value(op, a) for a in op.args if not op.required(a)}
    arguments = st.fixed_dictionaries(required, optional=optional)
    return arguments if op.repair is None else arguments.map(op.repair)


# -- clients over a MockTransport ---------------------------------------------------------------------

Handler = Callable[[httpx.Request], httpx.Response]


def token_response(request: httpx.Request) -> httpx.Response | None:
    """The token endpoint's answer, when `request` is a token request; None otherwise."""
    if request.url.host == TOKEN_HOST:
        return httpx.Response(200, json={"access_token": "tok", "token_type": "Bearer", "expires_in": 600})
    return None


def make_client(vendor: str, handler: Handler, *, asynchronous: bool, clock: FakeClock) -> Any:
    transport = httpx.MockTransport(handler)
    if vendor == "talkdesk":
        cls_td = AsyncTalkdeskClient if asynchronous else TalkdeskClient
        http: Any = httpx.AsyncClient(transport=transport) if asynchronous else httpx.Client(transport=transport)
        return cls_td(
            account=TALKDESK_ACCOUNT,
            client_id="cid",
            client_secret="csecret",
            http_client=http,
            clock=clock,
        )
    cls_wx = AsyncWebexClient if asynchronous else WebexClient
    http = httpx.AsyncClient(transport=transport) if asynchronous else httpx.Client(transport=transport)
    return cls_wx(access_token="wx-token", http_client=http, clock=clock)


def invoke(op: Operation, kwargs: Mapping[str, Any], handler: Handler, *, asynchronous: bool) -> Any:
    """Call `op` through a fresh sync or async client; returns its result or raises what it raised."""
    clock = FakeClock()
    client = make_client(op.vendor, handler, asynchronous=asynchronous, clock=clock)
    if not asynchronous:
        with client:
            return op.call_sync(client, kwargs)

    async def run() -> Any:
        async with client:
            return await op.call_async(client, kwargs)

    return asyncio.run(run())
