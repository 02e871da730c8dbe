"""The SDK against the mock over real loopback sockets: the documented behaviours, sync and async."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit.talkdesk import StartedConversation
from attachkit.testing import MockServer


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server
        assert server.response_violations == []
        assert server.internal_errors == []


def test_attachment_lifecycle(mock: MockServer, tmp_path: Path) -> None:
    data = b"hello attachments " * 1000
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        link = td.attachments.request_upload_link(allowed_mime_types=["text/plain"])
        assert link.request_id and link.url.startswith(mock.url)
        attachment = td.attachments.upload(data, name="hello.txt", metadata={"flow_id": "F1"})
        assert (attachment.name, attachment.size, attachment.type_) == ("hello.txt", len(data), "text/plain")
        assert attachment.metadata is not None and attachment.metadata["flow_id"] == "F1"
        assert td.attachments.get(attachment.id) == attachment
        assert td.attachments.download_link(attachment.id).expire_time == 600
        assert td.attachments.download(attachment.id, tmp_path / "copy.txt") == len(data)
        assert (tmp_path / "copy.txt").read_bytes() == data
        with pytest.raises(errors.ConflictError) as conflict:
            td.attachments.upload(b"other", name="hello.txt")
        assert conflict.value.code and conflict.value.message
        with pytest.raises(errors.NotFoundError):
            td.attachments.get("no-such-id")
        with pytest.raises(errors.BadRequestError) as bad:
            td.attachments.create(name="never-uploaded", request_id="unknown-request")
        assert [f.name for f in bad.value.fields] == ["request_id"]
    assert len(mock.state.attachments) == 1


def test_download_link_stops_working_after_expire_time(mock: MockServer) -> None:
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        attachment = td.attachments.upload(b"x", name="x.bin")
        link = td.attachments.download_link(attachment.id)
        mock.clock.advance(link.expire_time + 1)
        mock.expire_tokens()
        with pytest.raises(errors.PermissionDeniedError) as caught:
            td._session.storage.get(link.url)  # the old link itself, not a fresh one
        assert caught.value.vendor == "storage"
        assert td.attachments.download(attachment.id, io.BytesIO()) == 1, "a fresh link works"


def test_conversation_idempotency_and_partial_success(mock: MockServer) -> None:
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        first = td.conversations.start(touchpoint_id="tp", idempotency_key="start-1")
        again = td.conversations.start(touchpoint_id="tp", idempotency_key="start-1")
        assert first.id == again.id
        attachment = td.attachments.upload(b"a", name="a.txt")
        sent = td.conversations.send_message(first.id, content="hi", attachments=[attachment])
        assert (sent.status_code, sent.partial, sent.conversation_id) == (201, False, first.id)
        assert sent.created_at is not None and len(sent.created_at) == 24
        replay = td.conversations.send_message(
            first.id, content="hi", attachments=[attachment], idempotency_key=sent.idempotency_key
        )
        assert replay.message_id == sent.message_id
        partial = td.conversations.send_message(first.id, content="x", attachments=[attachment, {"id": "ghost"}])
        assert partial.partial and "ghost" in (partial.partial_fail_reason or "")
        with pytest.raises(errors.PartialSuccessError) as strict:
            td.conversations.send_message(first.id, content="y", attachments=[{"id": "ghost"}], strict=True)
        assert strict.value.result.message_id
        with pytest.raises(errors.NotFoundError):
            td.conversations.send_message("no-such-conversation", content="hi")
    assert len(mock.state.conversations) == 1
    assert len(mock.state.messages) == 3, "the replay stored nothing; the strict 206 still stored its message"


def test_started_conversation_carries_its_key_and_the_same_key_finds_it(mock: MockServer) -> None:
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        first = td.conversations.start(touchpoint_id="tp", subject="Invoice", idempotency_key="start-2")
        again = td.conversations.start(touchpoint_id="tp", subject="Invoice", idempotency_key=first.idempotency_key)
        generated = td.conversations.start(touchpoint_id="tp")
    assert isinstance(first, StartedConversation)
    assert (first.id, first.idempotency_key) == (again.id, "start-2")
    assert generated.id != first.id and generated.idempotency_key not in ("", "start-2")
    assert sorted(mock.state.conversations) == sorted({first.id, generated.id})


def test_start_without_a_touchpoint(mock: MockServer) -> None:
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        started = td.conversations.start(subject="no touchpoint")
        sent = td.conversations.send_message(started.id, content="hi")
    conversation = mock.state.conversations[started.id]
    assert conversation.touchpoint_id is None
    assert conversation.request == {"subject": "no touchpoint"}
    assert sent.conversation_id == started.id


def test_an_attachment_only_message_is_stored_without_content(mock: MockServer) -> None:
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        attachment = td.attachments.upload(b"only bytes", name="only.txt")
        conversation = td.conversations.start(touchpoint_id="tp")
        sent = td.conversations.send_message(conversation.id, attachments=[attachment])
    assert (sent.status_code, sent.partial) == (201, False)
    [message] = mock.state.messages
    assert (message.message_id, message.content, message.attachment_ids) == (sent.message_id, None, (attachment.id,))
    assert "content" not in message.request


async def test_async_an_attachment_only_message_is_stored_without_content(mock: MockServer) -> None:
    async with AsyncTalkdeskClient(**mock.talkdesk_kwargs()) as td:
        attachment = await td.attachments.upload(b"async only", name="async-only.txt")
        conversation = await td.conversations.start()
        again = await td.conversations.start(idempotency_key=conversation.idempotency_key)
        sent = await td.conversations.send_message(conversation.id, attachments=[attachment])
    assert again.id == conversation.id
    assert (sent.status_code, sent.partial) == (201, False)
    [message] = mock.state.messages
    assert (message.message_id, message.content, message.attachment_ids) == (sent.message_id, None, (attachment.id,))
    assert message.request == {
        "attachments": [{"id": attachment.id, "name": "async-only.txt", "type": "text/plain", "size": "10"}]
    }


def test_scope_and_expiry(mock: MockServer) -> None:
    with (
        TalkdeskClient(**mock.talkdesk_kwargs(), scope="attachments:read") as td,
        pytest.raises(errors.PermissionDeniedError),
    ):
        td.conversations.start(touchpoint_id="tp")
    with TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        td.conversations.start(touchpoint_id="tp")
        tokens = mock.state.counts("token").received
        mock.expire_tokens()
        td.conversations.start(touchpoint_id="tp")
        assert mock.state.counts("token").received == tokens + 1, "a 401 refreshed the token once"
    kwargs = mock.talkdesk_kwargs() | {"client_secret": "wrong"}
    with TalkdeskClient(**kwargs) as td, pytest.raises(errors.AuthenticationError) as caught:
        td.conversations.start(touchpoint_id="tp")
    assert caught.value.code == "invalid_client"
    assert "wrong" not in str(caught.value)


def test_webex_create_and_get_and_202(mock: MockServer) -> None:
    with WebexClient(**mock.webex_kwargs()) as wx:
        action = wx.attachment_actions.create(message_id="msg-1", inputs={"Name": "Ada", "Agree": True, "Rating": 5})
        assert action is not None
        assert (action.type_, action.message_id) == ("submit", "msg-1")
        assert action.inputs == {"Name": "Ada", "Agree": True, "Rating": 5}  # free-form: value types kept
        assert wx.attachment_actions.get(action.id) == action
        with pytest.raises(errors.NotFoundError) as caught:
            wx.attachment_actions.get("nope")
        assert caught.value.tracking_id
    with WebexClient(**mock.webex_kwargs() | {"access_token": "bad"}) as wx, pytest.raises(errors.AuthenticationError):
        wx.attachment_actions.get(action.id)
    with MockServer(webex_create_status=202) as other, WebexClient(**other.webex_kwargs()) as wx:
        accepted = wx.attachment_actions.create(message_id="m", inputs={})
        assert accepted is not None and accepted.message_id == "m"


def test_retry_after_and_a_dropped_keyed_send_over_sockets(mock: MockServer) -> None:
    clock = FakeClock()
    mock.faults.add("send_message", drop="after", times=1)
    mock.faults.add("create_attachment_action", status=429, retry_after=7, times=1)
    with TalkdeskClient(**mock.talkdesk_kwargs(), clock=clock) as td:
        conversation = td.conversations.start(touchpoint_id="tp")
        sent = td.conversations.send_message(conversation.id, content="once")
    with WebexClient(**mock.webex_kwargs(), clock=clock) as wx:
        wx.attachment_actions.create(message_id="m", inputs={})
    assert len(mock.state.messages) == 1, "the retried send stored nothing twice"
    assert mock.state.messages[0].message_id == sent.message_id
    assert mock.state.counts("send_message").received == 2
    assert 7.0 in clock.sleeps


async def test_async_flow(mock: MockServer) -> None:
    async with AsyncTalkdeskClient(**mock.talkdesk_kwargs()) as td, AsyncWebexClient(**mock.webex_kwargs()) as wx:
        attachment = await td.attachments.upload(b"async bytes", name="async.txt")
        conversation = await td.conversations.start(touchpoint_id="tp")
        sent = await td.conversations.send_message(conversation.id, content="hi", attachments=[attachment])
        buffer = io.BytesIO()
        assert await td.attachments.download(attachment.id, buffer) == len(b"async bytes")
        action = await wx.attachment_actions.create(message_id="m", inputs={"Name": "Ada"})
        assert action is not None  # None only for Webex's 204, which the mock does not answer
        fetched = await wx.attachment_actions.get(action.id)
    assert sent.status_code == 201 and buffer.getvalue() == b"async bytes"
    assert fetched.inputs == {"Name": "Ada"}
