from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_attachment import CardAttachment


T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """A message, as create answers it and get reads it back: every field of the published `Message` (the create answer)
    and `ListMessage` (the get answer). `id` is required because every documented example carries it and every next step
    needs it; the published spec requires nothing. `files` are content URLs, downloaded with `GET
    /contents/{contentId}`."""

    id: str
    """The unique identifier for the message."""
    parent_id: str | Unset = UNSET
    """The unique identifier for the parent message. JSON name: `parentId`."""
    room_id: str | Unset = UNSET
    """The room ID of the message. JSON name: `roomId`."""
    room_type: str | Unset = UNSET
    """The type of room: `direct` (1:1 room) or `group` (group room). Read as an open string: Webex may add room
    types, and a value outside `x-known-values` is reported as a contract warning rather than refused. JSON name:
    `roomType`."""
    to_person_id: str | Unset = UNSET
    """The person ID of the recipient when sending a private 1:1 message. JSON name: `toPersonId`."""
    to_person_email: str | Unset = UNSET
    """The email address of the recipient when sending a private 1:1 message. JSON name: `toPersonEmail`."""
    text: str | Unset = UNSET
    """The message, in plain text. If `markdown` is specified this parameter may be *optionally* used to provide
    alternate text for UI clients that do not support rich text."""
    markdown: str | Unset = UNSET
    """The message, in Markdown format."""
    html: str | Unset = UNSET
    """The text content of the message, in HTML format. This read-only property is used by the Webex clients."""
    files: list[str] | Unset = UNSET
    """Content URLs for files attached to the message (`https://webexapis.com/v1/contents/{contentId}`): download
    one with `GET /contents/{contentId}` and the same bearer token. The published spec calls them public URLs; they
    need the token."""
    person_id: str | Unset = UNSET
    """The person ID of the message author. JSON name: `personId`."""
    person_email: str | Unset = UNSET
    """The email address of the message author. JSON name: `personEmail`."""
    mentioned_people: list[str] | Unset = UNSET
    """People IDs for anyone mentioned in the message. JSON name: `mentionedPeople`."""
    mentioned_groups: list[str] | Unset = UNSET
    """Group names for the groups mentioned in the message. JSON name: `mentionedGroups`."""
    attachments: list[CardAttachment] | Unset = UNSET
    """Message content attachments attached to the message (a card, when the message carries one)."""
    created: str | Unset = UNSET
    """The date and time the message was created (ISO-8601, for example `2015-10-18T14:26:16+00:00`)."""
    updated: str | Unset = UNSET
    """The date and time that the message was last edited by the author. This field is only present when the message
    contents have changed."""
    is_voice_clip: bool | Unset = UNSET
    """`true` if the audio file is a voice clip recorded by the client; `false` if the audio file is a standard
    audio file not posted using the voice clip feature. JSON name: `isVoiceClip`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        parent_id = self.parent_id

        room_id = self.room_id

        room_type = self.room_type

        to_person_id = self.to_person_id

        to_person_email = self.to_person_email

        text = self.text

        markdown = self.markdown

        html = self.html

        files: list[str] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files

        person_id = self.person_id

        person_email = self.person_email

        mentioned_people: list[str] | Unset = UNSET
        if not isinstance(self.mentioned_people, Unset):
            mentioned_people = self.mentioned_people

        mentioned_groups: list[str] | Unset = UNSET
        if not isinstance(self.mentioned_groups, Unset):
            mentioned_groups = self.mentioned_groups

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)

        created = self.created

        updated = self.updated

        is_voice_clip = self.is_voice_clip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if parent_id is not UNSET:
            field_dict["parentId"] = parent_id
        if room_id is not UNSET:
            field_dict["roomId"] = room_id
        if room_type is not UNSET:
            field_dict["roomType"] = room_type
        if to_person_id is not UNSET:
            field_dict["toPersonId"] = to_person_id
        if to_person_email is not UNSET:
            field_dict["toPersonEmail"] = to_person_email
        if text is not UNSET:
            field_dict["text"] = text
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if html is not UNSET:
            field_dict["html"] = html
        if files is not UNSET:
            field_dict["files"] = files
        if person_id is not UNSET:
            field_dict["personId"] = person_id
        if person_email is not UNSET:
            field_dict["personEmail"] = person_email
        if mentioned_people is not UNSET:
            field_dict["mentionedPeople"] = mentioned_people
        if mentioned_groups is not UNSET:
            field_dict["mentionedGroups"] = mentioned_groups
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if created is not UNSET:
            field_dict["created"] = created
        if updated is not UNSET:
            field_dict["updated"] = updated
        if is_voice_clip is not UNSET:
            field_dict["isVoiceClip"] = is_voice_clip

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.card_attachment import CardAttachment

        d = dict(src_dict)
        id = d.pop("id")

        parent_id = d.pop("parentId", UNSET)

        room_id = d.pop("roomId", UNSET)

        room_type = d.pop("roomType", UNSET)

        to_person_id = d.pop("toPersonId", UNSET)

        to_person_email = d.pop("toPersonEmail", UNSET)

        text = d.pop("text", UNSET)

        markdown = d.pop("markdown", UNSET)

        html = d.pop("html", UNSET)

        files = cast(list[str], d.pop("files", UNSET))

        person_id = d.pop("personId", UNSET)

        person_email = d.pop("personEmail", UNSET)

        mentioned_people = cast(list[str], d.pop("mentionedPeople", UNSET))

        mentioned_groups = cast(list[str], d.pop("mentionedGroups", UNSET))

        _attachments = d.pop("attachments", UNSET)
        attachments: list[CardAttachment] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = CardAttachment.from_dict(attachments_item_data)

                attachments.append(attachments_item)

        created = d.pop("created", UNSET)

        updated = d.pop("updated", UNSET)

        is_voice_clip = d.pop("isVoiceClip", UNSET)

        message = cls(
            id=id,
            parent_id=parent_id,
            room_id=room_id,
            room_type=room_type,
            to_person_id=to_person_id,
            to_person_email=to_person_email,
            text=text,
            markdown=markdown,
            html=html,
            files=files,
            person_id=person_id,
            person_email=person_email,
            mentioned_people=mentioned_people,
            mentioned_groups=mentioned_groups,
            attachments=attachments,
            created=created,
            updated=updated,
            is_voice_clip=is_voice_clip,
        )

        message.additional_properties = d
        return message

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
