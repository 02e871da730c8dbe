from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PreviousMessage")


@_attrs_define
class PreviousMessage:
    """One earlier message of the exchange. The page shows all three fields by example only; none is required."""

    type_: str | Unset = UNSET
    """Who wrote it. `EXTERNAL` and `USER` are documented; the full list is not, so this stays open. JSON name:
    `type`."""
    content: str | Unset = UNSET
    """The message text."""
    created_at: str | Unset = UNSET
    """ISO-8601 with an offset, for example `2022-01-01T08:00:00+08:00`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        content = self.content

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if content is not UNSET:
            field_dict["content"] = content
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        content = d.pop("content", UNSET)

        created_at = d.pop("created_at", UNSET)

        previous_message = cls(
            type_=type_,
            content=content,
            created_at=created_at,
        )

        previous_message.additional_properties = d
        return previous_message

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
