from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadLinkRequest")


@_attrs_define
class UploadLinkRequest:
    """Constraints for the file to be uploaded. The reference page shows `allowed_mime_types` at the top level by example
    only and does not say whether it is required, so it is optional."""

    allowed_mime_types: list[str] | Unset = UNSET
    """MIME types the upload may have (the documented example: `audio/mp3`, `audio/wav`). The page gives no limit on
    their number or length, so none is set."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed_mime_types: list[str] | Unset = UNSET
        if not isinstance(self.allowed_mime_types, Unset):
            allowed_mime_types = self.allowed_mime_types

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if allowed_mime_types is not UNSET:
            field_dict["allowed_mime_types"] = allowed_mime_types

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        allowed_mime_types = cast(list[str], d.pop("allowed_mime_types", UNSET))

        upload_link_request = cls(
            allowed_mime_types=allowed_mime_types,
        )

        upload_link_request.additional_properties = d
        return upload_link_request

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
