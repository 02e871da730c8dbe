from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_attachment import CardAttachment


T = TypeVar("T", bound="MessageCreate")


@_attrs_define
class MessageCreate:
    """A new message, as JSON: one destination (`roomId`, or `toPersonId` or `toPersonEmail` for a private 1:1 message) and
    some content (`text`, `markdown`, a public file URL in `files`, a card in `attachments`). No field is required, as
    in Webex's published spec; attachkit checks that exactly one destination and some content are given, and that `text`
    and `markdown` fit in 7,439 bytes each, before sending."""

    room_id: str | Unset = UNSET
    """The room ID of the message. JSON name: `roomId`."""
    parent_id: str | Unset = UNSET
    """The parent message to reply to. JSON name: `parentId`."""
    to_person_id: str | Unset = UNSET
    """The person ID of the recipient when sending a private 1:1 message. JSON name: `toPersonId`."""
    to_person_email: str | Unset = UNSET
    """The email address of the recipient when sending a private 1:1 message. JSON name: `toPersonEmail`."""
    text: str | Unset = UNSET
    """The message, in plain text. If `markdown` is specified this parameter may be *optionally* used to provide
    alternate text for UI clients that do not support rich text. The maximum message length is 7439 bytes (of its
    UTF-8 encoding; attachkit checks the bytes, since a schema's `maxLength` would count characters)."""
    markdown: str | Unset = UNSET
    """The message, in Markdown format. The maximum message length is 7439 bytes (of its UTF-8 encoding; attachkit
    checks the bytes, since a schema's `maxLength` would count characters)."""
    files: list[str] | Unset = UNSET
    """The public URL to a binary file to be posted into the room. Only one file is allowed per message. Uploaded
    files are automatically converted into a format that all Webex clients can render. A local file is posted with
    the `multipart/form-data` body instead."""
    attachments: list[CardAttachment] | Unset = UNSET
    """Content attachments to attach to the message. Only one card per message is supported. See the Cards guide
    (developer.webex.com/docs/api/guides/cards)."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        room_id = self.room_id

        parent_id = self.parent_id

        to_person_id = self.to_person_id

        to_person_email = self.to_person_email

        text = self.text

        markdown = self.markdown

        files: list[str] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if room_id is not UNSET:
            field_dict["roomId"] = room_id
        if parent_id is not UNSET:
            field_dict["parentId"] = parent_id
        if to_person_id is not UNSET:
            field_dict["toPersonId"] = to_person_id
        if to_person_email is not UNSET:
            field_dict["toPersonEmail"] = to_person_email
        if text is not UNSET:
            field_dict["text"] = text
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if files is not UNSET:
            field_dict["files"] = files
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.card_attachment import CardAttachment

        d = dict(src_dict)
        room_id = d.pop("roomId", UNSET)

        parent_id = d.pop("parentId", UNSET)

        to_person_id = d.pop("toPersonId", UNSET)

        to_person_email = d.pop("toPersonEmail", UNSET)

        text = d.pop("text", UNSET)

        markdown = d.pop("markdown", UNSET)

        files = cast(list[str], d.pop("files", UNSET))

        _attachments = d.pop("attachments", UNSET)
        attachments: list[CardAttachment] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = CardAttachment.from_dict(attachments_item_data)

                attachments.append(attachments_item)

        message_create = cls(
            room_id=room_id,
            parent_id=parent_id,
            to_person_id=to_person_id,
            to_person_email=to_person_email,
            text=text,
            markdown=markdown,
            files=files,
            attachments=attachments,
        )

        message_create.additional_properties = d
        return message_create

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
