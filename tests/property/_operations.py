"""Every documented operation, as the public client calls it, tied to where each argument lives in the spec.

This table is the only hand-written part of the client properties: which method sends which operation, and
which spec parameter or body field each argument becomes. What a valid or invalid argument is, what a
response may look like and whether a request is right all come from the specs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

import httpx
from hypothesis import strategies as st

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient
from tests import specs
from tests.property._jsonschema import HEADER_TEXT, TEXT, Schemas

Where = Literal["path", "header", "body"]

# The clients talk to the specs' first servers; a MockTransport answers, so nothing leaves the process.
TALKDESK_BASE = specs.load("talkdesk-attachments")["servers"][0]["url"]
WEBEX_BASE = specs.load("webex-attachment-actions")["servers"][0]["url"]
TALKDESK_ACCOUNT = "acme"
TOKEN_HOST = "acme.talkdeskid.com"  # the "us" region's token host for account "acme"


@dataclasses.dataclass(frozen=True)
class Arg:
    """A client argument: its Python name, where it goes (`path`, `header` or `body`) and its name there."""

    python: str
    where: Where
    wire: str
    # What the client puts on the wire for a value, where its docstring promises a conversion.
    to_wire: Callable[[Any], Any] | None = None

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

    def schema_of(self, arg: Arg) -> dict[str, Any]:
        if arg.where == "body":
            body = self.schemas.flat(self.body_schema or {})
            return body["properties"][arg.wire]
        return self.parameter(arg)["schema"]

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
        return method(*positional, **{k: v for k, v in kwargs.items() if k not in self.positional})

    async def call_async(self, client: Any, kwargs: Mapping[str, Any]) -> Any:
        resource, name = self.method_path
        method = getattr(getattr(client, resource), name)
        positional = [kwargs[p] for p in self.positional]
        return await method(*positional, **{k: v for k, v in kwargs.items() if k not in self.positional})


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
)
BY_ID = {op.operation_id: op for op in OPERATIONS}


# -- arguments ----------------------------------------------------------------------------------------


def valid_value(op: Operation, arg: Arg) -> st.SearchStrategy[Any]:
    strategy = op.schemas.valid(op.schema_of(arg), text=op.alphabet(arg))
    if arg.where == "path":
        # The client refuses "." and ".." on purpose: once a URL is normalised they address another path.
        strategy = strategy.filter(lambda v: v not in {".", ".."})
    return strategy


@functools.cache
def valid_arguments(op: Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments the spec accepts: every required one, and any of the optional ones."""
    required = {a.python: valid_value(op, a) for a in op.args if op.required(a)}
    optional = {a.python: valid_value(op, a) for a in op.args if not op.required(a)}
    return st.fixed_dictionaries(required, optional=optional)


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
