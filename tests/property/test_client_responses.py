"""Property 1: whatever an operation answers, the public client returns the documented model or raises the
right `attachkit.errors` class with the vendor's fields, and never anything else. The documented model is the
generated one, except: `send_message` returns a `SentMessage`, `start` a `StartedConversation` (a success without
the `id` it needs is an `UnexpectedResponseError` naming it), a documented success without a body (Webex
create's 204, the deletes) returns None, `webhooks.list` a list of every page's webhooks (a `Link` out of the
client's API is an `UnexpectedResponseError`), and `contents.download` the length of the file it wrote.

Answers are drawn from each operation's documented responses (status, media type, body from the schema,
headers from their schemas), plus undocumented statuses and bodies that are not the documented JSON. They are
served through `httpx.MockTransport` to the sync and the async client.
"""

from __future__ import annotations

import importlib
import re
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attachkit import errors
from attachkit.talkdesk import SentMessage, StartedConversation
from tests import specs
from tests.property import stats
from tests.property._operations import (
    BY_ID,
    OPERATIONS,
    TALKDESK_BASE,
    WEBEX_BASE,
    Operation,
    invoke,
    token_response,
    valid_arguments,
)
from tests.property._responses import (
    NOT_JSON,
    Served,
    documented_answers,
    documented_responses,
    json_schema,
    lacks_what_the_result_needs,
    other_answers,
)

# The class each status maps to (errors.py): a class of its own, 5xx, or "anything else".
ERROR_CLASSES: dict[int, type[errors.APIError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    410: errors.GoneError,
    413: errors.PayloadTooLargeError,
    415: errors.UnsupportedMediaTypeError,
    423: errors.LockedError,
    428: errors.PreconditionRequiredError,
    429: errors.RateLimitError,
}
VENDOR_NAMES = {"talkdesk": "Talkdesk", "webex": "Webex"}
PACKAGES = {
    "talkdesk-attachments": "attachkit._generated.talkdesk_attachments.models",
    "talkdesk-digital-connect": "attachkit._generated.talkdesk_digital_connect.models",
    "webex-attachment-actions": "attachkit._generated.webex_attachment_actions.models",
    "webex-messages": "attachkit._generated.webex_messages.models",
    "webex-webhooks": "attachkit._generated.webex_webhooks.models",
}
_WHOLE_SECONDS = re.compile(r"[0-9]+")
KNOWN_STATUSES = frozenset(s.value for s in HTTPStatus)


def expected_error(status: int) -> type[errors.APIError]:
    if status in ERROR_CLASSES:
        return ERROR_CLASSES[status]
    if 500 <= status <= 599:
        return errors.InternalServerError
    return errors.UnexpectedResponseError


def model_class(op: Operation, schema: dict[str, Any]) -> type:
    """The generated model named by the response schema's `$ref`."""
    name = schema["$ref"].rsplit("/", 1)[-1]
    return getattr(importlib.import_module(PACKAGES[op.spec]), name)


def is_success(op: Operation, served: Served) -> bool:
    """Whether `served` has a success status the operation documents (whatever its body)."""
    return 200 <= served.status < 300 and served.status in documented_responses(op)


DOCUMENTED = [(op, status) for op in OPERATIONS for status in sorted(documented_responses(op))]


@pytest.mark.parametrize(("op", "status"), DOCUMENTED, ids=[f"{op.id}-{status}" for op, status in DOCUMENTED])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_documented_answer(op: Operation, status: int, data: st.DataObject) -> None:
    answer_and_check(op, data.draw(documented_answers(op, status), label="served"), data)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_undocumented_statuses_and_unreadable_bodies(op: Operation, data: st.DataObject) -> None:
    answer_and_check(op, data.draw(other_answers(op), label="served"), data)


def answer_and_check(op: Operation, served: Served, data: st.DataObject) -> None:
    """Serve `served` to a call of `op` with valid arguments; the outcome is the model or the right error."""
    kwargs = data.draw(valid_arguments(op), label="arguments")
    strict = op.operation_id == "send_message" and data.draw(st.booleans(), label="strict")
    if strict:
        kwargs = {**kwargs, "strict": True}
    asynchronous = data.draw(st.booleans(), label="async")

    first: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        token = token_response(request)
        if token is not None:
            return token
        if not first:
            first.append(request.url)
        if request.url != first[0]:  # a next page that `Link` named: the last one
            return httpx.Response(200, json={"items": []})
        return httpx.Response(served.status, headers=served.http_headers(), content=served.body)

    stats.count("client responses")
    try:
        result = invoke(op, kwargs, handler, asynchronous=asynchronous)
    except errors.PartialSuccessError as exc:
        assert strict and served.status == 206 and is_success(op, served), exc
        check_sent_message(exc.result, served, kwargs)
        assert exc.partial_fail_reason == exc.result.partial_fail_reason
        return
    except errors.APIError as exc:
        check_error(op, served, exc)
        return
    # Anything else escapes and fails the test: the client must never raise it.
    assert is_success(op, served), f"{served.status} answered with a result: {result!r}"
    check_result(op, served, result, kwargs)


def next_page(served: Served) -> str | None:
    """The next page a served list names in its `Link` header, if any."""
    url = httpx.Response(served.status, headers=served.http_headers()).links.get("next", {}).get("url")
    return url or None


def leaves_the_api(op: Operation, served: Served) -> bool:
    """Whether `served` is a list page whose next page is not under the client's API (it is not followed)."""
    url = next_page(served) if op.operation_id == "list_webhooks" else None
    return url is not None and not url.startswith(WEBEX_BASE + "/")


def check_result(op: Operation, served: Served, result: Any, kwargs: dict[str, Any]) -> None:
    if op.operation_id == "get_content":
        # The file, whatever its media type, written where the call said; the result is its length.
        assert result == len(served.body)
        return
    if op.operation_id == "list_webhooks":
        # Every page's webhooks in one list; the next page (if `Link` named one here) was empty.
        assert type(result) is list
        body = served.json
        schema = json_schema(op, served.status)
        assert schema is not None
        if specs.validator(op.spec, schema).is_valid(body):
            assert [hook.to_dict() for hook in result] == body["items"]
        return
    schema = json_schema(op, served.status)
    if schema is None:
        # A documented success without a body (Webex create's 204): the action was accepted, there is none to return,
        # whatever bytes came with the status.
        assert not documented_responses(op)[served.status].get("content"), served.status
        assert result is None
        return
    if op.operation_id == "send_message":
        check_sent_message(result, served, kwargs)
        return
    if op.operation_id == "start_conversation":
        check_started_conversation(result, served, kwargs)
        return
    assert type(result) is model_class(op, schema)
    body = served.json
    if specs.validator(op.spec, schema).is_valid(body):
        assert result.to_dict() == body


def check_started_conversation(result: StartedConversation, served: Served, kwargs: dict[str, Any]) -> None:
    """`start` returns the conversation's id, the idempotency key it sent, and the answer's other fields."""
    assert type(result) is StartedConversation
    if kwargs.get("idempotency_key") is not None:
        assert result.idempotency_key == kwargs["idempotency_key"]
    else:
        assert result.idempotency_key
    body = served.json
    assert isinstance(body, dict) and isinstance(body.get("id"), str), "a start without a string id is an error"
    assert result.id == body["id"]
    assert dict(result.additional_properties) == {k: v for k, v in body.items() if k != "id"}


def check_sent_message(result: SentMessage, served: Served, kwargs: dict[str, Any]) -> None:
    assert type(result) is SentMessage
    body = served.json
    assert result.status_code == served.status
    assert result.partial == (served.status == 206)
    if kwargs.get("idempotency_key") is not None:
        assert result.idempotency_key == kwargs["idempotency_key"]
    else:
        assert result.idempotency_key
    schema = json_schema(BY_ID["send_message"], served.status)
    if (
        isinstance(body, dict)
        and schema is not None
        and specs.validator("talkdesk-digital-connect", schema).is_valid(body)
    ):
        assert result.conversation_id == body.get("id")
        assert result.message_id == body.get("message_id")
        assert result.created_at == body.get("created_at")
        assert result.partial_fail_reason == body.get("partial_fail_reason")


def check_error(op: Operation, served: Served, exc: errors.APIError) -> None:
    if is_success(op, served):
        # A documented success whose body the client could not read is an UnexpectedResponseError that
        # carries the real response; JSON that parses but breaks the schema may also come back as the model.
        assert type(exc) is errors.UnexpectedResponseError, repr(exc)
        check_response_facts(op, served, exc)
        body = served.json
        schema = json_schema(op, served.status)
        if leaves_the_api(op, served) and schema is not None and specs.validator(op.spec, schema).is_valid(body):
            assert "leaves this client's API" in str(exc), repr(exc)
            return
        assert schema is not None
        needed = lacks_what_the_result_needs(op, body) if body is not NOT_JSON else None
        if needed is not None and specs.validator(op.spec, schema).is_valid(body):
            # The spec allows the body, but the result cannot be made without the field: the error names it.
            assert f"without `{needed}`" in str(exc), repr(exc)
            return
        assert body is NOT_JSON or not specs.validator(op.spec, schema).is_valid(body), (
            f"a documented {served.status} with a valid body raised {exc!r}"
        )
        return
    assert type(exc) is expected_error(served.status), f"{served.status} raised {type(exc).__name__}"
    assert exc.status_code == served.status
    assert exc.vendor == VENDOR_NAMES[op.vendor]
    check_response_facts(op, served, exc)
    if 200 <= served.status < 300 and served.status in KNOWN_STATUSES:
        return  # an undocumented success: the facts above, no vendor error fields to compare
    retry_after = dict(served.headers).get("Retry-After")
    if retry_after is None:
        assert exc.retry_after is None
    elif _WHOLE_SECONDS.fullmatch(retry_after):
        assert exc.retry_after == float(retry_after)
    body = served.json
    if op.operation_id == "get_content" and served.status in (410, 428):
        # `download` says what happened and what to do; Webex's own words move to `description`.
        assert ("malware" if served.status == 410 else "allow_unscannable=True") in exc.message, exc.message
        if isinstance(body, dict) and _text(body, "message"):
            assert exc.description == body["message"]
        body = {k: v for k, v in body.items() if k != "message"} if isinstance(body, dict) else body
    if not isinstance(body, dict):
        assert exc.code is None and exc.fields == [] and exc.errors == []
        return
    if op.vendor == "talkdesk":
        check_talkdesk_fields(body, exc)
    else:
        check_webex_fields(body, exc, dict(served.headers).get("TrackingID"))


def check_response_facts(op: Operation, served: Served, exc: errors.APIError) -> None:
    """Every APIError carries the real response: status, headers, body (up to 64 KiB), method and URL;
    and its str() is one line whatever the fields hold (errors.py promises it)."""
    assert exc.status_code == served.status
    assert exc.body == served.body[: 64 * 1024]
    assert exc.method == op.method.upper()
    assert exc.url is not None and exc.url.startswith((TALKDESK_BASE, WEBEX_BASE))
    for name, value in served.http_headers():
        assert exc.headers.get(name) == value
    assert len(f"-{exc}-".splitlines()) == 1, str(exc)


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    return value if isinstance(value, str) else None


def check_talkdesk_fields(body: dict[str, Any], exc: errors.APIError) -> None:
    assert exc.code == _text(body, "code")
    if _text(body, "message") is not None:
        assert exc.message == body["message"]
    assert exc.description == _text(body, "description")
    fields = body.get("fields")
    if isinstance(fields, list) and all(isinstance(f, dict) for f in fields):
        assert [(f.name, f.description) for f in exc.fields] == [
            (str(f.get("name", "")), str(f.get("description", ""))) for f in fields
        ]
    assert exc.errors == []


def check_webex_fields(body: dict[str, Any], exc: errors.APIError, header_tracking_id: str | None) -> None:
    if _text(body, "message") is not None:
        assert exc.message == body["message"]
    details = body.get("errors")
    if isinstance(details, list) and all(isinstance(d, dict) for d in details):
        assert exc.errors == [d["description"] for d in details if isinstance(d.get("description"), str)]
    tracking_id = _text(body, "trackingId")
    assert exc.tracking_id == (tracking_id if tracking_id is not None else header_tracking_id)
    if exc.tracking_id:
        assert str(exc).endswith(f"[tracking id: {' '.join(exc.tracking_id.split())}]")  # flattened to one line
    assert exc.code is None and exc.fields == []
