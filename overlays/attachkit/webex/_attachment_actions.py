"""`client.attachment_actions`: submit an Adaptive Card action, and read one back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from attachkit._generated.webex_attachment_actions.api.attachment_actions import (
    create_attachment_action,
    get_attachment_action,
)
from attachkit._generated.webex_attachment_actions.models import AttachmentActivity, SubmitCardAction

from .._base import AsyncResource, SyncResource, Timeout
from .._validation import contract
from ..errors import ValidationError

PACKAGE: Final = "attachkit._generated.webex_attachment_actions"
NAMES: Final = {"messageId": "message_id", "id": "action_id"}


def _create_body(message_id: str, inputs: Mapping[str, Any], type: str) -> SubmitCardAction:
    if not isinstance(inputs, Mapping):
        raise ValidationError(
            "inputs", f"must be a mapping of the card's input ids to values, not {_type_name(inputs)}"
        )
    body = {"type": type, "messageId": message_id, "inputs": dict(inputs)}
    contract(PACKAGE, "create_attachment_action").check(body=body, names=NAMES)
    return SubmitCardAction.from_dict(body)


def _type_name(value: object) -> str:
    # `type` is a parameter name here (the API's own field), so the builtin is reached through this.
    return type(value).__name__


def _check_id(action_id: str) -> None:
    contract(PACKAGE, "get_attachment_action").check(params={"id": action_id}, names=NAMES)


class AttachmentActions(SyncResource):
    """Webex attachment actions (`/attachment/actions`)."""

    def create(
        self,
        *,
        message_id: str,
        inputs: Mapping[str, Any],
        type: str = "submit",
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> AttachmentActivity:
        """Submit a card action on the message `message_id` with the card's `inputs` (input id -> value).

        Webex answers 200 or 202; both return the action. Not retried after the server may have acted on
        it: Webex has no idempotency key for this call.
        """
        body = _create_body(message_id, inputs, type)
        return self._fetch(
            create_attachment_action, AttachmentActivity, body=body, timeout=timeout, max_retries=max_retries
        )

    def get(self, action_id: str, *, timeout: Timeout = None, max_retries: int | None = None) -> AttachmentActivity:
        """Read an action by id: how an app learns the inputs of a card submitted to it."""
        _check_id(action_id)
        return self._fetch(
            get_attachment_action, AttachmentActivity, action_id, timeout=timeout, max_retries=max_retries
        )


class AsyncAttachmentActions(AsyncResource):
    """Webex attachment actions, async. Every method mirrors `AttachmentActions` with `await`."""

    async def create(
        self,
        *,
        message_id: str,
        inputs: Mapping[str, Any],
        type: str = "submit",
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> AttachmentActivity:
        """Submit a card action. See `AttachmentActions.create`."""
        body = _create_body(message_id, inputs, type)
        return await self._fetch(
            create_attachment_action, AttachmentActivity, body=body, timeout=timeout, max_retries=max_retries
        )

    async def get(
        self, action_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> AttachmentActivity:
        """Read an action by id. See `AttachmentActions.get`."""
        _check_id(action_id)
        return await self._fetch(
            get_attachment_action, AttachmentActivity, action_id, timeout=timeout, max_retries=max_retries
        )
