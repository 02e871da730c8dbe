"""Bad input to the SDK, from the corpus in `bad_inputs_sdk.jsonl` (one case a line), against the mock over sockets.

Each case is a call and what must come of it:

- `{"field": F}`: a `ValidationError` naming F, and nothing sent: no token request, no API request (checked both at
  the client's socket transport and in the mock's request counts);
- `{"path": P, "error": E}`: a request sent with the raw path P (ids percent-encoded into one segment), answered with
  the typed error E; with `"error_fields": [...]`, the Talkdesk error names exactly those fields;
- `{"stored": what}`: a request that succeeds, and the mock stored the value exactly as given.

Either of the last two may add `"body": {...}`, the exact JSON body sent (an argument left as None is not sent), and
`"headers": {...}`, header values sent exactly. The specs bound only what a source bounds (tests/pipeline/test_specs.py
lists each constraint and its source), so a value they leave open, such as a 256-character name or an empty
idempotency key, is a case of the last two kinds: sent intact, and the server decides.

Values that JSON cannot write are spelled `{"$set": [...]}`, `{"$bytes": "..."}`, `{"$float": "nan"}`,
`{"$object": null}`, `{"$date": "2024-01-02"}`, `{"$dict": [[key, value], ...]}`, `{"$repeat": [text, n]}`,
`{"$concat": [...]}`; `{"$unique": text}` prefixes 8 fresh characters and a dash (names are unique in the mock);
`{"$conversation": null}` and `{"$request_id": null}` are a real conversation id and a real uploaded request id.
A case with `"xfail": KEY` is a known SDK bug described in `BUGS`.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit.testing import MockServer
from tests._support.plain_http import start_conversation, talkdesk_headers, upload
from tests._support.servers import lenient
from tests.resilience import figures
from tests.resilience.harness import AsyncRecordingTransport, RecordingTransport

CORPUS = Path(__file__).with_name("bad_inputs_sdk.jsonl")
BUGS: dict[str, str] = {}  # key -> precise description of a known SDK bug a case marks as xfail


def _cases() -> list[Any]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        marks = [pytest.mark.xfail(strict=True, reason=BUGS[case["xfail"]])] if "xfail" in case else []
        for mode in ("sync", "async"):
            cases.append(pytest.param(case, mode, id=f"{case['id']}-{mode}", marks=marks))
    return cases


class _Context:
    def __init__(self, mock: MockServer, http: httpx.Client) -> None:
        self.mock, self.http = mock, http
        self.headers = talkdesk_headers(http, mock)
        self.conversation = start_conversation(http, mock, self.headers)

    def value(self, node: Any) -> Any:
        """The Python value a corpus node stands for."""
        if isinstance(node, list):
            return [self.value(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1 and next(iter(node)).startswith("$"):
            tag, arg = next(iter(node.items()))
            return self._special(tag, arg)
        return {key: self.value(item) for key, item in node.items()}

    def _special(self, tag: str, arg: Any) -> Any:
        if tag == "$repeat":
            return arg[0] * arg[1]
        if tag == "$concat":
            return "".join(self.value(part) for part in arg)
        if tag == "$set":
            return set(arg)
        if tag == "$bytes":
            return arg.encode()
        if tag == "$float":
            return float(arg)
        if tag == "$object":
            return object()
        if tag == "$date":
            return datetime.date.fromisoformat(arg)
        if tag == "$dict":
            return {key: self.value(item) for key, item in arg}
        if tag == "$unique":  # names must be unique in the mock: 8 fresh characters and a dash first
            return f"{uuid.uuid4().hex[:8]}-{self.value(arg)}"
        if tag == "$conversation":
            return self.conversation
        if tag == "$request_id":
            return upload(self.http, self.mock, self.headers)
        raise ValueError(f"unknown corpus tag {tag}")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    # Room for the 10 MB message, so the case shows it encoded and stored, not refused by the mock's 1 MiB limit.
    with lenient(max_body_bytes=32 * 1024 * 1024) as mock:
        yield mock


@pytest.fixture(scope="module")
def context(server: MockServer, http: httpx.Client) -> _Context:
    return _Context(server, http)


def _call(client: Any, case: dict[str, Any], args: list[Any], kwargs: dict[str, Any]) -> Any:
    resource, method = case["call"].split(".")
    return getattr(getattr(client, resource), method)(*args, **kwargs)


class _SyncRecorder(RecordingTransport):
    """Records, besides the raw target and headers, the body of every API request (token requests left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.raw_path.endswith(b"/oauth/token"):
            self.bodies.append(request.read())
        return super().handle_request(request)


class _AsyncRecorder(AsyncRecordingTransport):
    """The async twin of `_SyncRecorder`."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.raw_path.endswith(b"/oauth/token"):
            self.bodies.append(await request.aread())
        return await super().handle_async_request(request)


def _invoke(mode: str, case: dict[str, Any], mock: MockServer, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Make the call on a fresh client; returns (result or exception, what went over the socket, API bodies)."""
    webex = case["call"].startswith("attachment_actions.")
    vendor_kwargs = mock.webex_kwargs() if webex else mock.talkdesk_kwargs()
    if mode == "sync":
        transport = _SyncRecorder()
        with httpx.Client(transport=transport) as pool:
            cls: Any = WebexClient if webex else TalkdeskClient
            with cls(**vendor_kwargs, clock=FakeClock(), http_client=pool) as client:
                try:
                    return _call(client, case, args, kwargs), transport.sent, transport.bodies
                except Exception as exc:
                    return exc, transport.sent, transport.bodies

    async def main() -> Any:
        transport = _AsyncRecorder()
        async with httpx.AsyncClient(transport=transport) as pool:
            cls: Any = AsyncWebexClient if webex else AsyncTalkdeskClient
            async with cls(**vendor_kwargs, clock=FakeClock(), http_client=pool) as client:
                try:
                    return await _call(client, case, args, kwargs), transport.sent, transport.bodies
                except Exception as exc:
                    return exc, transport.sent, transport.bodies

    return asyncio.run(main())


@pytest.mark.parametrize(("case", "mode"), _cases())
def test_bad_input_to_the_sdk(mock: MockServer, context: _Context, case: dict[str, Any], mode: str) -> None:
    args = context.value(case.get("args", []))
    kwargs = context.value(case.get("kwargs", {}))
    expect = case["expect"]
    before = sum(mock.state.requests.values())
    outcome, sent, bodies = _invoke(mode, case, mock, args, kwargs)

    if "field" in expect:
        assert isinstance(outcome, errors.ValidationError), f"expected ValidationError, got {outcome!r}"
        assert outcome.field == expect["field"]
        assert sent == [], "nothing may be sent on a ValidationError, not even a token request"
        assert sum(mock.state.requests.values()) == before
    elif "path" in expect:
        api = [raw for method, raw, headers in sent if not raw.endswith(b"/oauth/token")]
        assert api, f"no request was sent: {outcome!r}"
        assert api[-1].decode("ascii") == context.value(expect["path"])
        assert type(outcome).__name__ == expect["error"], repr(outcome)
        assert len({raw for raw in api}) == 1, "one request, retried as is if at all"
        if "error_fields" in expect:
            assert isinstance(outcome, errors.APIError)
            assert [f.name for f in outcome.fields] == expect["error_fields"], repr(outcome)
        _check_sent(context, expect, sent, bodies)
    else:
        assert not isinstance(outcome, Exception), repr(outcome)
        _check_stored(mock, expect["stored"], outcome, args, kwargs)
        _check_sent(context, expect, sent, bodies)
    figures.add("bad input to the SDK", "calls (each case sync and async)")
    figures.add("bad input to the SDK", "refused before sending" if "field" in expect else "sent correctly encoded")


def _check_sent(context: _Context, expect: dict[str, Any], sent: Any, bodies: list[bytes]) -> None:
    """The last API request carried exactly the expected body and header values."""
    api = [headers for method, raw, headers in sent if not raw.endswith(b"/oauth/token")]
    assert len(api) == len(bodies)
    if "body" in expect:
        assert json.loads(bodies[-1]) == context.value(expect["body"])
    for name, value in context.value(expect.get("headers", {})).items():
        assert api[-1].get(name) == value, name


def _check_stored(mock: MockServer, what: str, result: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    if what == "name":
        assert mock.state.attachments[result.id].name == kwargs["name"] == result.name
    elif what == "content":
        [message] = [m for m in mock.state.messages if m.message_id == result.message_id]
        assert message.content == kwargs["content"]
        assert ("content" in message.request) is (kwargs["content"] is not None)
    elif what == "partial":  # the message is stored; the attachments it could not use are named, not refused
        [message] = [m for m in mock.state.messages if m.message_id == result.message_id]
        assert (result.status_code, result.partial) == (206, True)
        assert result.partial_fail_reason and result.partial_fail_reason.startswith("attachment not found")
        assert message.content == kwargs["content"]
        assert message.attachment_ids == ()
        assert message.request["attachments"] == kwargs["attachments"]
    elif what == "touchpoint_id":
        conversation = mock.state.conversations[result.id]
        assert conversation.touchpoint_id == kwargs["touchpoint_id"]
        assert ("touchpoint_id" in conversation.request) is (kwargs["touchpoint_id"] is not None)
    elif what == "idempotency_key":
        assert result.id in mock.state.conversations
        assert result.idempotency_key == kwargs["idempotency_key"]
    elif what == "allowed_mime_types":
        assert mock.state.uploads[result.request_id].allowed_mime_types == tuple(args[0])
    elif what == "subject":
        conversation = mock.state.conversations[result.id]
        assert conversation.request["subject"] == kwargs["subject"]
        assert conversation.touchpoint_id == kwargs["touchpoint_id"]
    elif what == "inputs":
        assert dict(mock.state.actions[result.id].inputs) == kwargs["inputs"]
    elif what == "message_id":
        assert mock.state.actions[result.id].message_id == kwargs["message_id"]
    else:
        raise ValueError(what)


def test_the_corpus_covers_every_kind_the_issue_lists() -> None:
    ids = " ".join(json.loads(line)["id"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line)
    kinds = ("None", "int", "empty", "256 chars", "set", "bytes", "NaN", "../", "%2F", "unicode", "10 MB")
    for kind in kinds:
        assert kind in ids, kind
