from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.submit_card_action_type import (
    SubmitCardActionType,
    check_submit_card_action_type,
)

if TYPE_CHECKING:
    from ..models.inputs import Inputs


T = TypeVar("T", bound="SubmitCardAction")


@_attrs_define
class SubmitCardAction:
    """A card submission: what a user's press of a card's submit button sends. `type`, `messageId` and `inputs` are
    required, as the page and Webex's published spec mark them."""

    type_: SubmitCardActionType
    """The type of action to perform. JSON name: `type`."""
    message_id: str
    """The ID of the message which contains the attachment. At least one character, because an empty id names no
    message; no upper bound is documented. JSON name: `messageId`."""
    inputs: Inputs
    """The attachment action's inputs: the card's input ids mapped to the values submitted, any key and any JSON
    value (Adaptive Cards submit strings, but nothing documented limits the values to strings). The page lists
    `Name`, `Url`, `Email` and `Tel`: the input ids of its sample card, shown in the example."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        message_id = self.message_id

        inputs = dict(self.inputs)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "messageId": message_id,
                "inputs": inputs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inputs import Inputs

        d = dict(src_dict)
        type_ = check_submit_card_action_type(d.pop("type"))

        message_id = d.pop("messageId")

        inputs = Inputs(d.pop("inputs"))

        submit_card_action = cls(
            type_=type_,
            message_id=message_id,
            inputs=inputs,
        )

        submit_card_action.additional_properties = d
        return submit_card_action

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
