"""Results that are attachkit's own rather than generated: the outcome of sending a message."""

from __future__ import annotations

import attrs


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
