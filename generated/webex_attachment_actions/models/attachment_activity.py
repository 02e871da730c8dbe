from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_activity_type import (
    AttachmentActivityType,
    check_attachment_activity_type,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inputs import Inputs


T = TypeVar("T", bound="AttachmentActivity")


@_attrs_define
class AttachmentActivity:
    """The `AttachmentActivity` object (its schema has no description)."""

    type_: AttachmentActivityType
    """The type of action performed. JSON name: `type`."""
    message_id: str
    """The parent message on which the attachment action was performed. JSON name: `messageId`."""
    id: str | Unset = UNSET
    """A unique identifier for the action."""
    person_id: str | Unset = UNSET
    """The ID of the person who performed the action. JSON name: `personId`."""
    room_id: str | Unset = UNSET
    """The ID of the room in which the action was performed. JSON name: `roomId`."""
    inputs: Inputs | Unset = UNSET
    """The attachment action's inputs, keyed by the card's input ids. `Name`, `Url`, `Email` and `Tel` are the
    sample card's ids; other keys take any JSON value."""
    created: str | Unset = UNSET
    """The date and time the action was created (ISO-8601, for example `2016-05-10T19:41:00.100Z`)."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        message_id = self.message_id

        id = self.id

        person_id = self.person_id

        room_id = self.room_id

        inputs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = self.inputs.to_dict()

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "messageId": message_id,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if person_id is not UNSET:
            field_dict["personId"] = person_id
        if room_id is not UNSET:
            field_dict["roomId"] = room_id
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inputs import Inputs

        d = dict(src_dict)
        type_ = check_attachment_activity_type(d.pop("type"))

        message_id = d.pop("messageId")

        id = d.pop("id", UNSET)

        person_id = d.pop("personId", UNSET)

        room_id = d.pop("roomId", UNSET)

        _inputs = d.pop("inputs", UNSET)
        inputs: Inputs | Unset
        if isinstance(_inputs, Unset):
            inputs = UNSET
        else:
            inputs = Inputs.from_dict(_inputs)

        created = d.pop("created", UNSET)

        attachment_activity = cls(
            type_=type_,
            message_id=message_id,
            id=id,
            person_id=person_id,
            room_id=room_id,
            inputs=inputs,
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
