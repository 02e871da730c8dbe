"""Successes held to their spec, and the results the open contract gives: a started conversation with its key,
Webex's bodiless 204, wrong types and missing fields that break, bent constraints that warn (or break when strict)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from attachkit import errors
from attachkit.talkdesk import StartedConversation
from tests.client.fakes import (
    ACTION,
    ATTACHMENT,
    MESSAGE,
    FakeAPI,
    async_talkdesk,
    async_webex,
    talkdesk,
    webex,
)

ACTED = "the server may have acted on the request"


def contract_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "attachkit" and "contract warning" in r.getMessage()]


def extra(record: logging.LogRecord, name: str) -> Any:
    """A field the warning carries for log processors (`attachkit_operation`, `attachkit_field`)."""
    return record.__dict__[name]


# -- start: a StartedConversation ---------------------------------------------------------------------------------


def test_start_returns_the_conversation_with_its_idempotency_key() -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={"id": "conv-1", "channel": "web"}))
    with talkdesk(api) as td:
        given = td.conversations.start(touchpoint_id="tp", idempotency_key="start-1")
        generated = td.conversations.start(touchpoint_id="tp")
    assert given == StartedConversation(
        id="conv-1", idempotency_key="start-1", additional_properties={"channel": "web"}
    )
    assert generated.idempotency_key and generated.idempotency_key != "start-1"
    keys = [r.headers["x-idempotency-key"] for r in api.sent("/conversations")]
    assert keys == ["start-1", generated.idempotency_key]


async def test_async_start_returns_the_conversation_with_its_idempotency_key() -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={"id": "conv-1"}))
    async with async_talkdesk(api) as td:
        started = await td.conversations.start(idempotency_key="start-1")
    assert started == StartedConversation(id="conv-1", idempotency_key="start-1")
    assert api.body("/conversations") == {}, "no touchpoint given, none sent"


@pytest.mark.parametrize("body", [{}, {"subject": "no id"}])
def test_a_start_answered_without_an_id_names_it_and_the_key_to_find_it_again(body: dict[str, Any]) -> None:
    # The page marks `id` optional, so such a body fits the spec; but a started conversation without its id is of
    # no use: the error names `id` and the key that finds the conversation the server may have started.
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json=body))
    with talkdesk(api) as td, pytest.raises(errors.UnexpectedResponseError) as caught:
        td.conversations.start(touchpoint_id="tp", idempotency_key="start-7")
    assert caught.value.status_code == 201
    assert "without `id`" in str(caught.value)
    assert "idempotency_key='start-7'" in str(caught.value)
    assert api.count("/conversations") == 1, "not retried: the server may have started it"


async def test_async_start_answered_without_an_id_names_it() -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={}))
    async with async_talkdesk(api) as td:
        with pytest.raises(errors.UnexpectedResponseError, match="without `id`"):
            await td.conversations.start(idempotency_key="start-8")


# -- Webex create: 200, 201 and 202 carry the action, 204 none ----------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202])
def test_webex_create_returns_the_action_for_each_documented_status(status: int) -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(status, json=ACTION))
    with webex(api) as wx:
        action = wx.attachment_actions.create(message_id="m-1", inputs={"Name": "Ada"})
    assert action is not None
    assert (action.id, action.message_id, action.inputs) == ("act-1", "m-1", {"Name": "Ada"})


def test_webex_create_answered_204_returns_none() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(204))
    with webex(api) as wx:
        assert wx.attachment_actions.create(message_id="m", inputs={"Name": "Ada"}) is None
    assert api.count("/attachment/actions") == 1
    assert api.body("/attachment/actions") == {"type": "submit", "messageId": "m", "inputs": {"Name": "Ada"}}


async def test_async_webex_create_answered_204_returns_none() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(204))
    async with async_webex(api) as wx:
        assert await wx.attachment_actions.create(message_id="m", inputs={}) is None
    assert api.count("/attachment/actions") == 1


# -- wrong types and missing required fields break, naming the field ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "suffix", "body", "field"),
    [
        (lambda td: td.attachments.get("x"), "/attachments/2023-03/x", {**ATTACHMENT, "id": 5}, "id"),
        (lambda td: td.attachments.get("x"), "/attachments/2023-03/x", {**ATTACHMENT, "size": "3"}, "size"),
        (lambda td: td.attachments.get("x"), "/attachments/2023-03/x", {"name": "a", "state": "s"}, "id"),
        (lambda td: td.attachments.download_link("x"), "/download-link", {"url": "http://127.0.0.1/d"}, "expire_time"),
    ],
)
def test_a_read_whose_body_breaks_the_spec_names_the_field(call: Any, suffix: str, body: Any, field: str) -> None:
    api = FakeAPI()
    api.script(suffix, httpx.Response(200, json=body))
    with talkdesk(api) as td, pytest.raises(errors.UnexpectedResponseError) as caught:
        call(td)
    assert f"`{field}`" in str(caught.value)
    assert ACTED not in str(caught.value), "a GET changes nothing"
    assert caught.value.status_code == 200 and caught.value.body == httpx.Response(200, json=body).content


@pytest.mark.parametrize(
    ("call", "suffix", "status", "body", "field"),
    [
        (
            lambda td: td.attachments.create(name="a", request_id="r"),
            "/attachments/2023-03",
            200,
            {**ATTACHMENT, "id": 5},
            "id",
        ),
        (lambda td: td.conversations.start(touchpoint_id="tp"), "/conversations", 201, {"id": 7}, "id"),
        (lambda td: td.conversations.send_message("c", content="hi"), "/messages", 201, {**MESSAGE, "id": 7}, "id"),
    ],
)
def test_a_create_whose_body_breaks_the_spec_names_the_field_and_says_the_server_may_have_acted(
    call: Any, suffix: str, status: int, body: Any, field: str
) -> None:
    api = FakeAPI()
    api.script(suffix, httpx.Response(status, json=body))
    with talkdesk(api) as td, pytest.raises(errors.UnexpectedResponseError) as caught:
        call(td)
    assert f"`{field}`" in str(caught.value)
    assert ACTED in str(caught.value)
    assert caught.value.method == "POST"
    assert api.count(suffix) == 1, "not retried"


def test_a_webex_create_whose_body_lacks_a_required_field_names_it() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(200, json={k: v for k, v in ACTION.items() if k != "inputs"}))
    with webex(api) as wx, pytest.raises(errors.UnexpectedResponseError) as caught:
        wx.attachment_actions.create(message_id="m", inputs={})
    assert "`inputs`" in str(caught.value) and ACTED in str(caught.value)


async def test_async_wrong_type_names_the_field() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(200, json={**ACTION, "inputs": ["not", "an", "object"]}))
    async with async_webex(api) as wx:
        with pytest.raises(errors.UnexpectedResponseError, match="`inputs`"):
            await wx.attachment_actions.get("a")


# -- bent constraints warn, and break with strict_responses=True ----------------------------------------------------

BENT_MESSAGE = {**MESSAGE, "created_at": "2022-01-01T09:00:00Z"}  # 20 characters; the page says exactly 24


def test_a_bent_length_is_a_warning_and_the_result_is_returned(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("/messages", httpx.Response(201, json=BENT_MESSAGE))
    with caplog.at_level(logging.WARNING, logger="attachkit"), talkdesk(api) as td:
        sent = td.conversations.send_message("c", content="hi")
    assert sent.created_at == "2022-01-01T09:00:00Z" and sent.message_id == "msg-1"
    [record] = contract_warnings(caplog)
    assert record.levelno == logging.WARNING
    assert "`created_at`" in record.getMessage() and "24" in record.getMessage()
    assert extra(record, "attachkit_operation") == "send_message"
    assert extra(record, "attachkit_field") == "created_at"


async def test_async_a_bent_length_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("/messages", httpx.Response(206, json={**BENT_MESSAGE, "partial_fail_reason": "x"}))
    with caplog.at_level(logging.WARNING, logger="attachkit"):
        async with async_talkdesk(api) as td:
            sent = await td.conversations.send_message("c", content="hi", attachments=[{"id": "ghost"}])
    assert sent.partial and sent.created_at == "2022-01-01T09:00:00Z"
    assert [extra(r, "attachkit_field") for r in contract_warnings(caplog)] == ["created_at"]


def test_a_bent_length_breaks_with_strict_responses(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("/messages", httpx.Response(201, json=BENT_MESSAGE))
    with (
        caplog.at_level(logging.WARNING, logger="attachkit"),
        talkdesk(api, strict_responses=True) as td,
        pytest.raises(errors.UnexpectedResponseError) as caught,
    ):
        td.conversations.send_message("c", content="hi")
    assert "`created_at`" in str(caught.value) and ACTED in str(caught.value)
    assert contract_warnings(caplog) == []


async def test_async_a_bent_length_breaks_with_strict_responses() -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={"id": "c" * 256}))  # the page says 1..255
    async with async_talkdesk(api, strict_responses=True) as td:
        with pytest.raises(errors.UnexpectedResponseError, match="`id`"):
            await td.conversations.start()


def test_an_overlong_conversation_id_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={"id": "c" * 256}))
    with caplog.at_level(logging.WARNING, logger="attachkit"), talkdesk(api) as td:
        started = td.conversations.start()
    assert started.id == "c" * 256
    assert [extra(r, "attachkit_field") for r in contract_warnings(caplog)] == ["id"]


def test_an_unknown_action_type_breaks_with_strict_responses() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(200, json={**ACTION, "type": "cancel"}))
    with webex(api, strict_responses=True) as wx, pytest.raises(errors.UnexpectedResponseError) as caught:
        wx.attachment_actions.get("a")
    assert "`type`" in str(caught.value) and "'cancel'" in str(caught.value)


@pytest.mark.parametrize("operation", ["create", "get"])
def test_an_unknown_action_type_is_a_warning_and_the_action_is_returned(
    caplog: pytest.LogCaptureFixture, operation: str
) -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(200, json={**ACTION, "type": "cancel"}))
    api.script("/attachment/actions/a", httpx.Response(200, json={**ACTION, "type": "cancel"}))
    with caplog.at_level(logging.WARNING, logger="attachkit"), webex(api) as wx:
        if operation == "create":
            action = wx.attachment_actions.create(message_id="m", inputs={})
        else:
            action = wx.attachment_actions.get("a")
    assert [extra(r, "attachkit_field") for r in contract_warnings(caplog)] == ["type"]
    assert action is not None and action.id == "act-1"
