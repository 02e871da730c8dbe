from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="MessageCreateMultipart")


@_attrs_define
class MessageCreateMultipart:
    """A new message with a local file, as `multipart/form-data` (the REST basics guide, "Message Attachments"; not in
    Webex's published spec). The file goes in the part named `files`: one file per message, up to 100 MB, named by the
    part's filename. The other parts are the JSON body's plain fields; a card (`attachments`) cannot be sent this way.
    No part is required, as no field of the JSON body is; attachkit checks the destination, the content and the
    7,439-byte text limits before sending."""

    room_id: str | Unset = UNSET
    """The room ID of the message. JSON name: `roomId`."""
    parent_id: str | Unset = UNSET
    """The parent message to reply to. JSON name: `parentId`."""
    to_person_id: str | Unset = UNSET
    """The person ID of the recipient when sending a private 1:1 message. JSON name: `toPersonId`."""
    to_person_email: str | Unset = UNSET
    """The email address of the recipient when sending a private 1:1 message. JSON name: `toPersonEmail`."""
    text: str | Unset = UNSET
    """The message, in plain text: alternate text for clients that do not render `markdown`, or the caption of the
    file. At most 7439 bytes of UTF-8 (attachkit checks the bytes)."""
    markdown: str | Unset = UNSET
    """The message, in Markdown format. At most 7439 bytes of UTF-8 (attachkit checks the bytes)."""
    files: File | Unset = UNSET
    """The file's bytes: one file, up to 100 MB (the guides). The part's filename is the name shown in the room and
    in the download's `Content-Disposition`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        room_id = self.room_id

        parent_id = self.parent_id

        to_person_id = self.to_person_id

        to_person_email = self.to_person_email

        text = self.text

        markdown = self.markdown

        files: FileTypes | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files.to_tuple()

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

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.room_id, Unset):
            files.append(("roomId", (None, str(self.room_id).encode(), "text/plain")))

        if not isinstance(self.parent_id, Unset):
            files.append(
                ("parentId", (None, str(self.parent_id).encode(), "text/plain"))
            )

        if not isinstance(self.to_person_id, Unset):
            files.append(
                ("toPersonId", (None, str(self.to_person_id).encode(), "text/plain"))
            )

        if not isinstance(self.to_person_email, Unset):
            files.append(
                (
                    "toPersonEmail",
                    (None, str(self.to_person_email).encode(), "text/plain"),
                )
            )

        if not isinstance(self.text, Unset):
            files.append(("text", (None, str(self.text).encode(), "text/plain")))

        if not isinstance(self.markdown, Unset):
            files.append(
                ("markdown", (None, str(self.markdown).encode(), "text/plain"))
            )

        if not isinstance(self.files, Unset):
            files.append(("files", self.files.to_tuple()))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        room_id = d.pop("roomId", UNSET)

        parent_id = d.pop("parentId", UNSET)

        to_person_id = d.pop("toPersonId", UNSET)

        to_person_email = d.pop("toPersonEmail", UNSET)

        text = d.pop("text", UNSET)

        markdown = d.pop("markdown", UNSET)

        _files = d.pop("files", UNSET)
        files: File | Unset
        if isinstance(_files, Unset):
            files = UNSET
        else:
            files = File(payload=BytesIO(_files))

        message_create_multipart = cls(
            room_id=room_id,
            parent_id=parent_id,
            to_person_id=to_person_id,
            to_person_email=to_person_email,
            text=text,
            markdown=markdown,
            files=files,
        )

        message_create_multipart.additional_properties = d
        return message_create_multipart

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
