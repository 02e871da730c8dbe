"""Talkdesk Digital Connect: conversations and inbound messages, idempotent by ``x-idempotency-key``."""

from __future__ import annotations

import uuid
from typing import Any

from ._clock import iso_millis
from ._dialects import Problem
from ._handlers import Call, Handler, Reply, fingerprint, not_found
from ._state import Conversation, Message, Replay, Store

IDEMPOTENCY_HEADER = "x-idempotency-key"


def _replay(store: Store, scope: tuple[str, ...], body: Any) -> Reply | Problem | None:
    """The stored answer for a repeated key; a 409 when the key comes back with a different request."""
    replay = store.replays.get(scope)
    if replay is None:
        return None
    if replay.fingerprint != fingerprint(body):
        return Problem(409, "conflict", "Conflict", description="idempotency key reused with a different request")
    return Reply(replay.status, replay.body)


def _remember(store: Store, scope: tuple[str, ...] | None, body: Any, reply: Reply) -> Reply:
    if scope is not None and reply.body is not None:
        store.replays[scope] = Replay(fingerprint(body), reply.status, reply.body)
    return reply


def start_conversation(call: Call) -> Reply | Problem:
    """``POST /digital-connect/conversations``: 201, or the same conversation again for a repeated key."""
    key = call.headers.get(IDEMPOTENCY_HEADER)
    scope = ("start_conversation", key) if key is not None else None  # an empty key is still a key
    touchpoints = call.services.config.touchpoints
    with call.services.state.transaction() as store:
        if scope is not None and (replayed := _replay(store, scope, call.body)) is not None:
            return replayed
        # The spec leaves touchpoint_id optional; a conversation without one is kept, unless the mock was told
        # which touchpoints exist, in which case it is not one of them.
        touchpoint = call.body.get("touchpoint_id")
        if touchpoints is not None and touchpoint not in touchpoints:
            return not_found("Touchpoint not found")
        conversation = Conversation(str(uuid.uuid4()), touchpoint, call.body, iso_millis(call.services.clock.now()))
        store.conversations[conversation.id] = conversation
        return _remember(store, scope, call.body, Reply(201, {"id": conversation.id}))


def send_message(call: Call) -> Reply | Problem:
    """``POST /digital-connect/conversations/{conversation_id}/messages``: 201, or 206 naming unknown attachments.

    The message is stored either way; a repeated key answers the stored response without storing again.
    """
    conversation_id = call.path_params["conversation_id"]
    key = call.headers.get(IDEMPOTENCY_HEADER)
    scope = ("send_message", conversation_id, key) if key is not None else None  # an empty key is still a key
    with call.services.state.transaction() as store:
        if conversation_id not in store.conversations:
            return not_found("Conversation not found")
        if scope is not None and (replayed := _replay(store, scope, call.body)) is not None:
            return replayed
        # An attachment without an id (the spec leaves it optional) cannot be found: it fails like an unknown one.
        ids = [str(item["id"]) if "id" in item else "(no id)" for item in call.body.get("attachments") or []]
        unknown = tuple(dict.fromkeys(i for i in ids if i not in store.attachments))
        message = Message(
            message_id=str(uuid.uuid4()),
            conversation_id=conversation_id,
            content=call.body.get("content"),  # an attachment-only message has none
            attachment_ids=tuple(i for i in ids if i in store.attachments),
            failed_attachment_ids=unknown,
            created_at=iso_millis(call.services.clock.now()),
            request=call.body,
        )
        store.messages.append(message)
        body: dict[str, Any] = {
            "id": conversation_id,
            "created_at": message.created_at,
            "message_id": message.message_id,
        }
        if unknown:
            body["partial_fail_reason"] = "attachment not found: " + ", ".join(unknown)
        return _remember(store, scope, call.body, Reply(206 if unknown else 201, body))


HANDLERS: dict[str, Handler] = {
    "start_conversation": start_conversation,
    "send_message": send_message,
}
