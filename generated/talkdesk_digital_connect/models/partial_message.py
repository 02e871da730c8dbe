from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PartialMessage")


@_attrs_define
class PartialMessage:
    """The created message when some attachments had problems (206). The page marks every field "required: no", so none is
    required here."""

    id: str | Unset = UNSET
    """The identifier of the conversation."""
    created_at: str | Unset = UNSET
    """Creation time, exactly 24 characters."""
    message_id: str | Unset = UNSET
    """The identifier of the outbound message."""
    partial_fail_reason: str | Unset = UNSET
    """The fail reason for the attachments."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at

        message_id = self.message_id

        partial_fail_reason = self.partial_fail_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if message_id is not UNSET:
            field_dict["message_id"] = message_id
        if partial_fail_reason is not UNSET:
            field_dict["partial_fail_reason"] = partial_fail_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        created_at = d.pop("created_at", UNSET)

        message_id = d.pop("message_id", UNSET)

        partial_fail_reason = d.pop("partial_fail_reason", UNSET)

        partial_message = cls(
            id=id,
            created_at=created_at,
            message_id=message_id,
            partial_fail_reason=partial_fail_reason,
        )

        partial_message.additional_properties = d
        return partial_message

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
