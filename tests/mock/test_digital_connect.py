"""Talkdesk Digital Connect: conversations, messages, 206 partial success and idempotency."""

from __future__ import annotations

import re

import httpx
import pytest

from attachkit.talkdesk import TalkdeskClient
from attachkit.testing import MockServer
from tests._support.plain_http import (
    CONVERSATIONS,
    attachment,
    bearer,
    field_names,
    messages_url,
    start_conversation,
    token,
    unique,
)
from tests._support.servers import strict_mock

KEY = "x-idempotency-key"


def test_start_201(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    body = {
        "touchpoint_id": "my-touchpoint-id",
        "subject": "reset",
        "contact_person": {"email": "user@example.com"},
        "previous_messages": [{"type": "USER", "content": "hi", "created_at": "2022-01-01T09:00:00+08:00"}],
    }
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json=body, headers=td)
    assert response.status_code == 201
    stored = mock.state.conversations[response.json()["id"]]
    assert stored.touchpoint_id == "my-touchpoint-id"
    assert stored.request == body


def test_start_is_idempotent_by_key(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    key = {KEY: unique("key")}
    before = len(mock.state.conversations)
    first = start_conversation(http, mock, td, **key)
    assert start_conversation(http, mock, td, **key) == first
    assert len(mock.state.conversations) == before + 1
    assert start_conversation(http, mock, td) != first  # no key: a new conversation


def test_start_key_with_a_different_body_is_409(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    key = {KEY: unique("key")}
    start_conversation(http, mock, td, **key)
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": "other"}, headers={**td, **key})
    assert response.status_code == 409


def test_start_404_for_an_unknown_touchpoint(http: httpx.Client) -> None:
    with strict_mock(touchpoints=frozenset({"tp-1"})) as mock:
        headers = bearer(token(http, mock))
        assert start_conversation(http, mock, headers)
        response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": "tp-2"}, headers=headers)
        assert response.status_code == 404
        assert response.json()["message"] == "Touchpoint not found"


@pytest.mark.parametrize(
    ("body", "headers", "fields"),
    [
        ({"touchpoint_id": ""}, {}, ["touchpoint_id"]),  # minLength 1: the empty string names no touchpoint
        ({"touchpoint_id": 5}, {}, ["touchpoint_id"]),
        ({"touchpoint_id": "t", "previous_messages": [{"content": 1}]}, {}, ["previous_messages[0].content"]),
        ([], {}, ["body"]),
    ],
)
def test_start_400_names_the_field(
    http: httpx.Client, mock: MockServer, td: dict[str, str], body: object, headers: dict[str, str], fields: list[str]
) -> None:
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json=body, headers={**td, **headers})
    assert response.status_code == 400
    assert field_names(response) == fields


@pytest.mark.parametrize("body", [{}, {"subject": "no touchpoint"}])
def test_start_without_a_touchpoint_is_stored_without_one(
    http: httpx.Client, mock: MockServer, td: dict[str, str], body: dict[str, str]
) -> None:
    # The page marks no request field required, and the mock was told of no touchpoints: a conversation is kept.
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json=body, headers=td)
    assert response.status_code == 201
    stored = mock.state.conversations[response.json()["id"]]
    assert stored.touchpoint_id is None
    assert stored.request == body


def test_start_without_a_touchpoint_is_404_when_the_touchpoints_are_known(http: httpx.Client) -> None:
    with strict_mock(touchpoints=frozenset({"tp-1"})) as mock:
        response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json={}, headers=bearer(token(http, mock)))
        assert response.status_code == 404
        assert response.json()["message"] == "Touchpoint not found"
        assert mock.state.conversations == {}


@pytest.mark.parametrize("key", ["k" * 256, "k" * 2048])
def test_a_long_idempotency_key_is_a_key_like_any_other(
    http: httpx.Client, mock: MockServer, td: dict[str, str], key: str
) -> None:
    # No source bounds the key: it finds the conversation it started, however long.
    key = unique("key") + key
    first = start_conversation(http, mock, td, **{KEY: key})
    assert start_conversation(http, mock, td, **{KEY: key}) == first


def test_a_long_touchpoint_id_is_stored_as_is(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    touchpoint = "t" * 1000
    response = http.post(mock.talkdesk_base_url + CONVERSATIONS, json={"touchpoint_id": touchpoint}, headers=td)
    assert response.status_code == 201
    assert mock.state.conversations[response.json()["id"]].touchpoint_id == touchpoint


def test_send_201(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    conversation_id = start_conversation(http, mock, td)
    file = attachment(http, mock, td)
    response = http.post(
        messages_url(mock, conversation_id),
        json={"content": "see attached", "attachments": [{"id": file["id"], "name": "f", "size": "5"}]},
        headers=td,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == conversation_id
    assert len(body["created_at"]) == 24
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["created_at"])
    assert "partial_fail_reason" not in body
    (stored,) = [m for m in mock.state.messages if m.message_id == body["message_id"]]
    assert (stored.content, stored.attachment_ids, stored.failed_attachment_ids) == ("see attached", (file["id"],), ())


def test_send_206_names_unknown_attachments_and_still_stores(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    conversation_id = start_conversation(http, mock, td)
    file = attachment(http, mock, td)
    response = http.post(
        messages_url(mock, conversation_id),
        json={"content": "two files", "attachments": [{"id": file["id"]}, {"id": "missing-1"}, {"id": "missing-2"}]},
        headers=td,
    )
    assert response.status_code == 206
    body = response.json()
    assert "missing-1" in body["partial_fail_reason"] and "missing-2" in body["partial_fail_reason"]
    assert file["id"] not in body["partial_fail_reason"]
    assert len(body["created_at"]) == 24
    (stored,) = [m for m in mock.state.messages if m.message_id == body["message_id"]]
    assert stored.attachment_ids == (file["id"],)
    assert stored.failed_attachment_ids == ("missing-1", "missing-2")


def test_send_404_for_an_unknown_conversation(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    before = len(mock.state.messages)
    response = http.post(messages_url(mock, "no-such-conversation"), json={"content": "x"}, headers=td)
    assert response.status_code == 404
    assert len(mock.state.messages) == before


def test_send_replay_stores_once_and_answers_the_same(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    conversation_id = start_conversation(http, mock, td)
    key = {KEY: unique("key")}
    body = {"content": "once", "attachments": [{"id": "unknown"}]}
    first = http.post(messages_url(mock, conversation_id), json=body, headers={**td, **key})
    second = http.post(messages_url(mock, conversation_id), json=body, headers={**td, **key})
    assert first.status_code == second.status_code == 206
    assert first.json() == second.json()
    assert [m.content for m in mock.state.messages if m.conversation_id == conversation_id] == ["once"]
    different = http.post(messages_url(mock, conversation_id), json={"content": "other"}, headers={**td, **key})
    assert different.status_code == 409


def test_send_key_is_scoped_per_conversation_and_operation(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    key = {KEY: unique("key")}
    first, second = start_conversation(http, mock, td, **key), start_conversation(http, mock, td)
    assert first != second
    for conversation_id in (first, second):
        response = http.post(messages_url(mock, conversation_id), json={"content": "hi"}, headers={**td, **key})
        assert response.status_code == 201
    assert sum(m.conversation_id in (first, second) for m in mock.state.messages) == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"content": 3}, ["content"]),
        ({"content": "x", "attachments": {}}, ["attachments"]),
        ({"content": "x", "attachments": [{"id": 7}]}, ["attachments[0].id"]),
        ({"content": "x", "attachments": [{"id": "a", "size": 1024}]}, ["attachments[0].size"]),
    ],
)
def test_send_400_names_the_field(
    http: httpx.Client, mock: MockServer, td: dict[str, str], body: object, fields: list[str]
) -> None:
    conversation_id = start_conversation(http, mock, td)
    response = http.post(messages_url(mock, conversation_id), json=body, headers=td)
    assert response.status_code == 400
    assert field_names(response) == fields


def test_send_an_attachment_only_message(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    conversation_id = start_conversation(http, mock, td)
    file = attachment(http, mock, td)
    body = {"attachments": [{"id": file["id"]}]}
    response = http.post(messages_url(mock, conversation_id), json=body, headers=td)
    assert response.status_code == 201
    (stored,) = [m for m in mock.state.messages if m.message_id == response.json()["message_id"]]
    assert (stored.content, stored.attachment_ids, stored.failed_attachment_ids) == (None, (file["id"],), ())
    assert stored.request == body


def test_send_an_empty_message(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    # Nothing is required, so neither is anything at all: what Talkdesk answers is undocumented; the mock keeps it.
    conversation_id = start_conversation(http, mock, td)
    response = http.post(messages_url(mock, conversation_id), json={}, headers=td)
    assert response.status_code == 201
    (stored,) = [m for m in mock.state.messages if m.message_id == response.json()["message_id"]]
    assert (stored.content, stored.attachment_ids, stored.failed_attachment_ids) == (None, (), ())


def test_send_an_attachment_reference_without_an_id_is_206(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    # The spec leaves the reference's id optional: the message is created, the reference it cannot use is named.
    conversation_id = start_conversation(http, mock, td)
    file = attachment(http, mock, td)
    body = {"content": "x", "attachments": [{"id": file["id"]}, {"name": "no-id.txt"}]}
    response = http.post(messages_url(mock, conversation_id), json=body, headers=td)
    assert response.status_code == 206
    assert response.json()["partial_fail_reason"].startswith("attachment not found")
    (stored,) = [m for m in mock.state.messages if m.message_id == response.json()["message_id"]]
    assert (stored.content, stored.attachment_ids) == ("x", (file["id"],))


@pytest.mark.parametrize("size", ["1k", "about 1 KB", ""])
def test_send_an_attachment_size_is_any_string(
    http: httpx.Client, mock: MockServer, td: dict[str, str], size: str
) -> None:
    conversation_id = start_conversation(http, mock, td)
    file = attachment(http, mock, td)
    body = {"content": "x", "attachments": [{"id": file["id"], "size": size}]}
    response = http.post(messages_url(mock, conversation_id), json=body, headers=td)
    assert response.status_code == 201
    (stored,) = [m for m in mock.state.messages if m.message_id == response.json()["message_id"]]
    assert stored.request == body


def test_send_400_for_an_overlong_conversation_id(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    response = http.post(messages_url(mock, "c" * 256), json={"content": "x"}, headers=td)
    assert (response.status_code, field_names(response)) == (400, ["conversation_id"])


def test_an_empty_idempotency_key_is_a_key(mock: MockServer) -> None:
    """The spec allows an empty x-idempotency-key; the mock treats it as any other key, not as none."""
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        first = td.conversations.start(touchpoint_id="tp-1", idempotency_key="")
        again = td.conversations.start(touchpoint_id="tp-1", idempotency_key="")
    assert first.id == again.id
