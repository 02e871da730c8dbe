"""Results that are attachkit's own rather than generated: a started conversation, a sent message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen
class StartedConversation:
    """A conversation Digital Connect started, or found again by its idempotency key.

    Attributes:
        id: the conversation's id, which `send_message` takes. The page marks it optional, but a start without
            it is of no use: an answer that lacks it raises `UnexpectedResponseError`, naming `id`.
        idempotency_key: the key it was started with; starting again with the same key finds this conversation.
        additional_properties: any other fields of the answer, as sent.
    """

    id: str
    idempotency_key: str
    additional_properties: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class SentMessage:
    """A message Digital Connect accepted.

    Attributes:
        conversation_id: the conversation (the response's `id`).
        message_id: the new message's id.
        created_at: when it was created, as the API wrote it (24 characters, e.g. `2022-01-01T09:00:00.000Z`).
        status_code: 201, or 206 when some attachments failed.
        partial_fail_reason: why attachments failed (206 only).
        idempotency_key: the key the message was sent with; sending again with it cannot duplicate it.
    """

    conversation_id: str | None
    message_id: str | None
    created_at: str | None
    status_code: int
    partial_fail_reason: str | None = None
    idempotency_key: str | None = None

    @property
    def partial(self) -> bool:
        """True when the message was created but some of its attachments were not (HTTP 206)."""
        return self.status_code == 206
