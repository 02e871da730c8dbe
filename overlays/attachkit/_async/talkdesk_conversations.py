"""`client.conversations`: start a Digital Connect conversation and send messages into it.

Both calls carry an idempotency key: the caller's, or one generated per call. The key is fixed before
the first attempt and reused by every retry, so a retried call cannot start a second conversation or
store a message twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attachkit._async.base import AsyncResource, missing
from attachkit._async.raw import wrap
from attachkit._config import Timeout
from attachkit._generated.talkdesk_digital_connect import AuthenticatedClient
from attachkit._generated.talkdesk_digital_connect.api.conversations import send_message, start_conversation
from attachkit._generated.talkdesk_digital_connect.models import Conversation, Message, PartialMessage
from attachkit.talkdesk._conversations import PACKAGE, AttachmentLike, key, send_body, sent, start_body
from attachkit.talkdesk._models import SentMessage, StartedConversation


class AsyncConversations(AsyncResource[AuthenticatedClient]):
    """Talkdesk Digital Connect conversations."""

    _package = PACKAGE

    async def start(
        self,
        *,
        touchpoint_id: str | None = None,
        subject: str | None = None,
        contact_person: Mapping[str, Any] | None = None,
        context_parameters: Mapping[str, Any] | None = None,
        previous_messages: Sequence[Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> StartedConversation:
        """Start a conversation on a touchpoint, or find the one started with the same idempotency key.

        Scope `digital-connect:write`. `contact_person` is e.g. `{"email": "a@b.c"}`;
        `previous_messages` items are `{"type": "USER" | "EXTERNAL", "content": ..., "created_at": ...}`.
        Arguments left as None are not sent.
        """
        the_key = key(idempotency_key)
        body = start_body(touchpoint_id, subject, contact_person, context_parameters, previous_messages, the_key)
        answer = await self._call(
            "start_conversation",
            lambda: start_conversation.asyncio_detailed(client=self._api, body=body, x_idempotency_key=the_key),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        conversation = self._expect(answer, Conversation)
        if not isinstance(conversation.id, str):
            hint = f"it may have started one: start again with idempotency_key={the_key!r} to find it"
            raise missing(self._session, answer, "id", hint)
        return StartedConversation(
            id=conversation.id, idempotency_key=the_key, additional_properties=dict(conversation.additional_properties)
        )

    async def send_message(
        self,
        conversation_id: str,
        *,
        content: str | None = None,
        attachments: Iterable[AttachmentLike] = (),
        idempotency_key: str | None = None,
        strict: bool = False,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> SentMessage:
        """Send the contact's message into a conversation (scope `digital-connect:write`).

        `attachments` takes `Attachment` models from `attachments.upload`/`create`, mappings with
        `id` (and optionally `name`, `type`, `size`), or `MessageAttachment` models. A 206 (the message
        was created, some attachments were not) returns a `SentMessage` with `.partial` set, or raises
        `PartialSuccessError` when `strict=True`. A message may carry only attachments: `content` is then
        not sent.
        """
        the_key = key(idempotency_key)
        body = send_body(conversation_id, content, attachments, the_key)
        answer = await self._call(
            "send_message",
            lambda: send_message.asyncio_detailed(
                conversation_id, client=self._api, body=body, x_idempotency_key=the_key
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        value: Message | PartialMessage = (
            self._expect(answer, PartialMessage) if answer.status_code == 206 else self._expect(answer, Message)
        )
        return sent(value, answer.status_code, the_key, strict)


class AsyncConversationsWithRawResponse:
    """`client.with_raw_response.conversations`: each method returns a `RawResponse` of its answer."""

    def __init__(self, resource: AsyncConversations) -> None:
        self.start = wrap(resource.start)
        self.send_message = wrap(resource.send_message)
