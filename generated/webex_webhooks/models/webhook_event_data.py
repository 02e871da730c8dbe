from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEventData")


@_attrs_define
class WebhookEventData:
    """The resource the event is about: its `id` (required) and a few of its fields, depending on the resource. For
    `attachmentActions`: the action's `id`, `type`, `messageId`, `personId`, `roomId` and `created`, but not the card's
    inputs (read them with `GET /attachment/actions/{id}`). For `messages`: the message's `id`, `roomId`, `roomType`,
    `personId`, `personEmail`, `mentionedPeople` and `created`, but not its text (read it with `GET /messages/{id}`).
    Any other field is allowed."""

    id: str
    """The id of the resource (the attachment action, the message, ...)."""
    type_: str | Unset = UNSET
    """For an attachment action, the action's type (`submit`). JSON name: `type`."""
    message_id: str | Unset = UNSET
    """For an attachment action, the message whose card was submitted. JSON name: `messageId`."""
    person_id: str | Unset = UNSET
    """The person who created the resource. JSON name: `personId`."""
    person_email: str | Unset = UNSET
    """For a message, the email address of its author. JSON name: `personEmail`."""
    room_id: str | Unset = UNSET
    """The room of the resource. JSON name: `roomId`."""
    room_type: str | Unset = UNSET
    """For a message, the type of its room (`direct` or `group`). JSON name: `roomType`."""
    mentioned_people: list[str] | Unset = UNSET
    """For a message, the people it mentions. JSON name: `mentionedPeople`."""
    created: str | Unset = UNSET
    """Date and time the resource was created."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        message_id = self.message_id

        person_id = self.person_id

        person_email = self.person_email

        room_id = self.room_id

        room_type = self.room_type

        mentioned_people: list[str] | Unset = UNSET
        if not isinstance(self.mentioned_people, Unset):
            mentioned_people = self.mentioned_people

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if person_id is not UNSET:
            field_dict["personId"] = person_id
        if person_email is not UNSET:
            field_dict["personEmail"] = person_email
        if room_id is not UNSET:
            field_dict["roomId"] = room_id
        if room_type is not UNSET:
            field_dict["roomType"] = room_type
        if mentioned_people is not UNSET:
            field_dict["mentionedPeople"] = mentioned_people
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type", UNSET)

        message_id = d.pop("messageId", UNSET)

        person_id = d.pop("personId", UNSET)

        person_email = d.pop("personEmail", UNSET)

        room_id = d.pop("roomId", UNSET)

        room_type = d.pop("roomType", UNSET)

        mentioned_people = cast(list[str], d.pop("mentionedPeople", UNSET))

        created = d.pop("created", UNSET)

        webhook_event_data = cls(
            id=id,
            type_=type_,
            message_id=message_id,
            person_id=person_id,
            person_email=person_email,
            room_id=room_id,
            room_type=room_type,
            mentioned_people=mentioned_people,
            created=created,
        )

        webhook_event_data.additional_properties = d
        return webhook_event_data

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
