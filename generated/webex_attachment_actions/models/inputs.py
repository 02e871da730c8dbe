from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Inputs")


@_attrs_define
class Inputs:
    """The attachment action's inputs, keyed by the card's input ids. `Name`, `Url`, `Email` and `Tel` are the
    sample card's ids; other keys take any JSON value."""

    name: str | Unset = UNSET
    """JSON name: `Name`."""
    url: str | Unset = UNSET
    """JSON name: `Url`."""
    email: str | Unset = UNSET
    """JSON name: `Email`."""
    tel: str | Unset = UNSET
    """JSON name: `Tel`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        url = self.url

        email = self.email

        tel = self.tel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["Name"] = name
        if url is not UNSET:
            field_dict["Url"] = url
        if email is not UNSET:
            field_dict["Email"] = email
        if tel is not UNSET:
            field_dict["Tel"] = tel

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("Name", UNSET)

        url = d.pop("Url", UNSET)

        email = d.pop("Email", UNSET)

        tel = d.pop("Tel", UNSET)

        inputs = cls(
            name=name,
            url=url,
            email=email,
            tel=tel,
        )

        inputs.additional_properties = d
        return inputs

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
