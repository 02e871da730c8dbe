"""`client.attachment_actions`: submit an Adaptive Card action, and read one back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import httpx

from webex_attachment_actions_api.api.attachment_actions import create_attachment_action, get_attachment_action
from webex_attachment_actions_api.models import AttachmentActivity, SubmitCardAction

from .._base import acall, call, parsed
from .._transport import call_options
from .._validation import contract
from ..errors import ValidationError

if TYPE_CHECKING:
    from ._client import AsyncWebexClient, WebexClient

PACKAGE: Final = "webex_attachment_actions_api"
NAMES: Final = {"messageId": "message_id", "id": "action_id"}
Timeout = float | httpx.Timeout | None


def _create_body(message_id: str, inputs: Mapping[str, Any], type: str) -> SubmitCardAction:
    if not isinstance(inputs, Mapping):
        raise ValidationError("inputs", f"must be a mapping of the card's input ids to values, not {type_name(inputs)}")
    body = {"type": type, "messageId": message_id, "inputs": dict(inputs)}
    contract(PACKAGE, "create_attachment_action").check(body=body, names=NAMES)
    return SubmitCardAction.from_dict(body)


def type_name(value: object) -> str:
    return type(value).__name__


def _check_id(action_id: str) -> None:
    contract(PACKAGE, "get_attachment_action").check(params={"id": action_id}, names=NAMES)


class AttachmentActions:
    """Webex attachment actions (`/attachment/actions`)."""

    def __init__(self, client: WebexClient) -> None:
        self._client = client

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
        with call_options(timeout, max_retries):
            response = call(
                self._client._settings,
                "create_attachment_action",
                create_attachment_action.sync_detailed,
                client=self._client._actions_api,
                body=body,
            )
        return parsed(response, AttachmentActivity, self._client._settings, "create_attachment_action")

    def get(self, action_id: str, *, timeout: Timeout = None, max_retries: int | None = None) -> AttachmentActivity:
        """Read an action by id: how an app learns the inputs of a card submitted to it."""
        _check_id(action_id)
        with call_options(timeout, max_retries):
            response = call(
                self._client._settings,
                "get_attachment_action",
                get_attachment_action.sync_detailed,
                action_id,
                client=self._client._actions_api,
            )
        return parsed(response, AttachmentActivity, self._client._settings, "get_attachment_action")


class AsyncAttachmentActions:
    """Webex attachment actions, async. Every method mirrors `AttachmentActions` with `await`."""

    def __init__(self, client: AsyncWebexClient) -> None:
        self._client = client

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
        with call_options(timeout, max_retries):
            response = await acall(
                self._client._settings,
                "create_attachment_action",
                create_attachment_action.asyncio_detailed,
                client=self._client._actions_api,
                body=body,
            )
        return parsed(response, AttachmentActivity, self._client._settings, "create_attachment_action")

    async def get(
        self, action_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> AttachmentActivity:
        """Read an action by id. See `AttachmentActions.get`."""
        _check_id(action_id)
        with call_options(timeout, max_retries):
            response = await acall(
                self._client._settings,
                "get_attachment_action",
                get_attachment_action.asyncio_detailed,
                action_id,
                client=self._client._actions_api,
            )
        return parsed(response, AttachmentActivity, self._client._settings, "get_attachment_action")
