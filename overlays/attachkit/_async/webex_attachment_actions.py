"""`client.attachment_actions`: submit an Adaptive Card action, and read one back."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from attachkit._async.base import AsyncResource
from attachkit._async.raw import wrap
from attachkit._config import Timeout
from attachkit._generated.webex_attachment_actions import AuthenticatedClient
from attachkit._generated.webex_attachment_actions.api.attachment_actions import (
    create_attachment_action,
    get_attachment_action,
)
from attachkit._generated.webex_attachment_actions.models import AttachmentActivity
from attachkit.webex._attachment_actions import PACKAGE, check_id, create_body


class AsyncAttachmentActions(AsyncResource[AuthenticatedClient]):
    """Webex attachment actions (`/attachment/actions`)."""

    _package = PACKAGE

    async def create(
        self,
        *,
        message_id: str,
        inputs: Mapping[str, Any],
        type: str = "submit",
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AttachmentActivity | None:
        """Submit a card action on the message `message_id` with the card's `inputs` (input id -> value).

        Webex documents 200, 201 and 202 with the action as the answer, and 204 with no body. For a 204 the
        action was accepted but Webex sent no representation of it, so `create` returns None; its id reaches
        you in the `attachmentActions` webhook. Not retried after the server may have acted on it: Webex has
        no idempotency key for this call.
        """
        body = create_body(message_id, inputs, type)
        answer = await self._call(
            "create_attachment_action",
            lambda: create_attachment_action.asyncio_detailed(client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        if answer.status_code == HTTPStatus.NO_CONTENT:
            return None
        return self._expect(answer, AttachmentActivity)

    async def get(
        self,
        action_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AttachmentActivity:
        """Read an action by id: how an app learns the inputs of a card submitted to it."""
        check_id(action_id)
        return await self._fetch(
            "get_attachment_action",
            AttachmentActivity,
            lambda: get_attachment_action.asyncio_detailed(action_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


class AsyncAttachmentActionsWithRawResponse:
    """`client.with_raw_response.attachment_actions`: each method returns a `RawResponse` of its answer."""

    def __init__(self, resource: AsyncAttachmentActions) -> None:
        self.create = wrap(resource.create)
        self.get = wrap(resource.get)
