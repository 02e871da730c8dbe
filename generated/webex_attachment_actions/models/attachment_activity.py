from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inputs import Inputs


T = TypeVar("T", bound="AttachmentActivity")


@_attrs_define
class AttachmentActivity:
    """An attachment action: a card submission, as create answers it and get reads it back. `id`, `type`, `messageId` and
    `inputs` are required because the SDK's workflow needs them (read the action again by `id`, act on its `inputs`) and
    every documented example carries them; Webex's published spec requires only `type` and `messageId`."""

    id: str
    """A unique identifier for the action."""
    type_: str
    """The type of action performed. `submit` is the only documented value, which is what attachkit sends; an answer
    is read as an open string because Webex may add action types, and a value outside `x-known-values` is reported
    as a contract warning rather than refused. JSON name: `type`."""
    message_id: str
    """The parent message on which the attachment action was performed. JSON name: `messageId`."""
    inputs: Inputs
    """The attachment action's inputs: the card's input ids mapped to the values submitted, any key and any JSON
    value (Adaptive Cards submit strings, but nothing documented limits the values to strings). The page lists
    `Name`, `Url`, `Email` and `Tel`: the input ids of its sample card, shown in the example."""
    person_id: str | Unset = UNSET
    """The ID of the person who performed the action. JSON name: `personId`."""
    room_id: str | Unset = UNSET
    """The ID of the room in which the action was performed. JSON name: `roomId`."""
    created: str | Unset = UNSET
    """The date and time the action was created (ISO-8601, for example `2016-05-10T19:41:00.100Z`)."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        message_id = self.message_id

        inputs = dict(self.inputs)

        person_id = self.person_id

        room_id = self.room_id

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "messageId": message_id,
                "inputs": inputs,
            }
        )
        if person_id is not UNSET:
            field_dict["personId"] = person_id
        if room_id is not UNSET:
            field_dict["roomId"] = room_id
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inputs import Inputs

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        message_id = d.pop("messageId")

        inputs = Inputs(d.pop("inputs"))

        person_id = d.pop("personId", UNSET)

        room_id = d.pop("roomId", UNSET)

        created = d.pop("created", UNSET)

        attachment_activity = cls(
            id=id,
            type_=type_,
            message_id=message_id,
            inputs=inputs,
            person_id=person_id,
            room_id=room_id,
            created=created,
        )

        attachment_activity.additional_properties = d
        return attachment_activity

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
