"""The schemathesis run can fail: driven against deliberately broken versions of the mock, it finds the breakage.

Two breakages, each an ASGI wrapper around a fresh mock app:
- wrong type: every successful JSON object answer carries `id` as a number instead of a string;
- no validation: Webex "create attachment action" accepts anything, answering 200 where the mock says 400.

Schemathesis runs the same configuration and checks as test_schemathesis_mock.py; here the failures it raises
are collected instead of failing the test, and the test asserts the expected ones are among them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import AcceptedNegativeData, Failure, FailureGroup
from schemathesis.openapi.checks import JsonSchemaError

from attachkit.testing import create_app
from tests.property import stats
from tests.property._schemathesis import add_auth, load_schema

Message = dict[str, Any]
Rewrite = Callable[[Message, int, list[tuple[bytes, bytes]], bytes], tuple[int, bytes]]


class Rewriting:
    """An ASGI app that passes requests to `app` and lets `rewrite(scope, status, headers, body)` change answers."""

    def __init__(self, app: Any, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        status, body = self.rewrite(scope, start["status"], headers, b"".join(chunks))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def ids_as_numbers(scope: Message, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, bytes]:
    """Wrong type: `"id": "..."` becomes `"id": 42` in every successful JSON object."""
    if 200 <= status < 300 and (b"content-type", b"application/json") in headers:
        data = json.loads(body)
        if isinstance(data, dict) and "id" in data:
            return status, json.dumps({**data, "id": 42}).encode()
    return status, body


def accept_any_action(
    scope: Message, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> tuple[int, bytes]:
    """No validation: a rejected Webex action is answered as if it had been created."""
    if scope["method"] == "POST" and scope["path"].endswith("/attachment/actions") and status == 400:
        created = {"id": "act-1", "type": "submit", "messageId": "msg-1", "inputs": {}, "created": "2016-05-10"}
        headers[:] = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        headers.append((b"content-type", b"application/json"))
        return 200, json.dumps(created).encode()
    return status, body


def failures_found(name: str, rewrite: Rewrite, mode: GenerationMode, examples: int) -> list[Failure]:
    """Run schemathesis over every operation of spec `name` against the broken app; collect its failures."""
    mock = create_app()
    app = Rewriting(mock, rewrite)
    schema = load_schema(name, app=app)
    add_auth(schema, name)
    found: list[Failure] = []
    try:
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                stats.count("schemathesis against a broken mock")
                try:
                    case.call_and_validate()
                except FailureGroup as group:
                    found.extend(group.exceptions)

            run()
    finally:
        mock.close()
    return found


@pytest.mark.parametrize(
    ("name", "rewrite", "mode", "expected"),
    [
        ("talkdesk-digital-connect", ids_as_numbers, GenerationMode.POSITIVE, JsonSchemaError),
        ("webex-attachment-actions", ids_as_numbers, GenerationMode.POSITIVE, JsonSchemaError),
        ("webex-attachment-actions", accept_any_action, GenerationMode.NEGATIVE, AcceptedNegativeData),
    ],
    ids=["talkdesk-id-wrong-type", "webex-id-wrong-type", "webex-no-validation"],
)
def test_schemathesis_finds_a_broken_mock(name: str, rewrite: Rewrite, mode: GenerationMode, expected: type) -> None:
    found = failures_found(name, rewrite, mode, examples=25)
    assert any(isinstance(failure, expected) for failure in found), [type(f).__name__ for f in found]


def test_the_unbroken_mock_passes_the_same_run() -> None:
    """The control: the same run against the mock as it is finds nothing."""
    assert failures_found("webex-attachment-actions", lambda scope, s, h, b: (s, b), GenerationMode.NEGATIVE, 25) == []
    assert failures_found("talkdesk-digital-connect", lambda scope, s, h, b: (s, b), GenerationMode.POSITIVE, 25) == []
