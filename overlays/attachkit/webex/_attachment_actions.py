"""Checking and building the calls of `client.attachment_actions`, shared by both faces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from attachkit._generated.webex_attachment_actions.models import SubmitCardAction

from .._validation import contract
from ..errors import ValidationError

PACKAGE: Final = "attachkit._generated.webex_attachment_actions"
NAMES: Final = {"messageId": "message_id", "id": "action_id"}


def create_body(message_id: str, inputs: Mapping[str, Any], type: str) -> SubmitCardAction:
    """The body of `create_attachment_action`, checked."""
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


def check_id(action_id: str) -> None:
    """Refuse an action id the contract does not allow, before anything is sent."""
    contract(PACKAGE, "get_attachment_action").check(params={"id": action_id}, names=NAMES)
