from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MessageAttachment")


@_attrs_define
class MessageAttachment:
    """A reference to an attachment. The page shows the fields by example only and marks none required. A reference the API
    cannot use may well be answered with the 206 ("creates message success, but attachments have some problems") rather
    than rejected, so `id` is not constrained here either. Note `size` is a string."""

    id: str | Unset = UNSET
    """The attachment id from the Attachments API."""
    name: str | Unset = UNSET
    """The attachment's name."""
    type_: str | Unset = UNSET
    """MIME type. JSON name: `type`."""
    size: str | Unset = UNSET
    """Size in bytes, as a decimal string (the documented example sends "1024"). The page gives no format beyond the
    example, so the string is not constrained further."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_ = self.type_

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        type_ = d.pop("type", UNSET)

        size = d.pop("size", UNSET)

        message_attachment = cls(
            id=id,
            name=name,
            type_=type_,
            size=size,
        )

        message_attachment.additional_properties = d
        return message_attachment

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
