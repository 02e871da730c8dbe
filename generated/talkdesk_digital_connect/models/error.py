from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_field import ErrorField


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The Talkdesk API error body. `code` and `message` are required, as the reference pages mark them."""

    code: str
    """An opaque error code; no catalogue is published."""
    message: str
    """A short human-readable summary of the error."""
    description: str | Unset = UNSET
    """More detail about the error, when there is any."""
    fields: list[ErrorField] | Unset = UNSET
    """The fields that caused the error, when there are any."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        description = self.description

        fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = []
            for fields_item_data in self.fields:
                fields_item = fields_item_data.to_dict()
                fields.append(fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_field import ErrorField

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        description = d.pop("description", UNSET)

        _fields = d.pop("fields", UNSET)
        fields: list[ErrorField] | Unset = UNSET
        if _fields is not UNSET:
            fields = []
            for fields_item_data in _fields:
                fields_item = ErrorField.from_dict(fields_item_data)

                fields.append(fields_item)

        error = cls(
            code=code,
            message=message,
            description=description,
            fields=fields,
        )

        error.additional_properties = d
        return error

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
