"""Checking and building the calls of `client.conversations`, and reading a sent message; shared by both faces.

Both calls carry an idempotency key: the caller's, or one generated per call. The key is fixed
before the first attempt and reused by every retry, so a retried call cannot start a second
conversation or store a message twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from attachkit._generated.talkdesk_attachments.models import Attachment
from attachkit._generated.talkdesk_digital_connect.models import (
    Message,
    MessageAttachment,
    PartialMessage,
    SendMessageRequest,
    StartConversationRequest,
)

from .._validation import contract
from ..errors import PartialSuccessError, ValidationError
from ._models import SentMessage

PACKAGE: Final = "attachkit._generated.talkdesk_digital_connect"
NAMES: Final = {"x-idempotency-key": "idempotency_key"}
AttachmentLike = Attachment | MessageAttachment | Mapping[str, Any]


def key(idempotency_key: str | None) -> str:
    """The caller's idempotency key, or a fresh one for this call."""
    return str(uuid.uuid4()) if idempotency_key is None else idempotency_key


def start_body(
    touchpoint_id: str | None,
    subject: str | None,
    contact_person: Mapping[str, Any] | None,
    context_parameters: Mapping[str, Any] | None,
    previous_messages: Sequence[Mapping[str, Any]] | None,
    key: str,
) -> StartConversationRequest:
    """The body of `start_conversation`, checked; arguments left as None are not sent."""
    body: dict[str, Any] = {}
    for name, value in (
        ("touchpoint_id", touchpoint_id),
        ("subject", subject),
        ("contact_person", contact_person),
        ("context_parameters", context_parameters),
        ("previous_messages", previous_messages),
    ):
        if value is not None:
            body[name] = _plain(value)
    contract(PACKAGE, "start_conversation").check(params={"x-idempotency-key": key}, body=body, names=NAMES)
    return StartConversationRequest.from_dict(body)


def _attachment_ref(item: object, index: int) -> dict[str, Any]:
    """One entry of `attachments` as the wire wants it: `{id, name?, type?, size?}` with `size` a string."""
    if isinstance(item, Attachment):
        ref: dict[str, Any] = {"id": item.id, "name": item.name}
        if isinstance(item.type_, str):
            ref["type"] = item.type_
        if isinstance(item.size, int):
            ref["size"] = str(item.size)
        return ref
    if isinstance(item, MessageAttachment):
        return item.to_dict()
    if isinstance(item, Mapping):
        ref = dict(item)
        if isinstance(ref.get("size"), int) and not isinstance(ref.get("size"), bool) and ref["size"] >= 0:
            ref["size"] = str(ref["size"])  # the API wants the size as a decimal string
        return ref
    raise ValidationError(
        f"attachments[{index}]",
        f"must be an Attachment, a MessageAttachment or a mapping with an 'id', not {type(item).__name__}",
    )


def send_body(
    conversation_id: str, content: str | None, attachments: Iterable[AttachmentLike], key: str
) -> SendMessageRequest:
    """The body of `send_message`, checked; a message may carry only attachments, and then has no `content`."""
    if isinstance(attachments, str | bytes | Mapping) or not isinstance(attachments, Iterable):
        raise ValidationError("attachments", "must be a list of attachments")
    body: dict[str, Any] = {} if content is None else {"content": content}
    refs = [_attachment_ref(item, i) for i, item in enumerate(attachments)]
    if refs:
        body["attachments"] = refs
    contract(PACKAGE, "send_message").check(
        params={"conversation_id": conversation_id, "x-idempotency-key": key}, body=body, names=NAMES
    )
    return SendMessageRequest.from_dict(body)


def _plain(value: Any) -> Any:
    """Mappings and sequences as dicts and lists, so they validate and serialise as JSON."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def sent(value: Message | PartialMessage, status: int, key: str, strict: bool) -> SentMessage:
    """The `SentMessage` of a 201 or 206; with `strict`, a 206 raises `PartialSuccessError`."""
    reason = getattr(value, "partial_fail_reason", None)
    result = SentMessage(
        conversation_id=value.id if isinstance(value.id, str) else None,
        message_id=value.message_id if isinstance(value.message_id, str) else None,
        created_at=value.created_at if isinstance(value.created_at, str) else None,
        status_code=status,
        partial_fail_reason=reason if isinstance(reason, str) else None,
        idempotency_key=key,
    )
    if strict and result.partial:
        raise PartialSuccessError(result)
    return result
