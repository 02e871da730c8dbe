from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UploadLink")


@_attrs_define
class UploadLink:
    """Where to upload the file, and the `request_id` that creates the attachment afterwards. Both fields are required: the
    reference page's table marks them "yes"."""

    request_id: str
    """ID that should be used as the request identifier (request_id) when creating the attachment."""
    url: str
    """Upload link address (a pre-signed storage URL). The HTTP verb of the upload is not documented; a pre-signed
    storage PUT is assumed."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        url = d.pop("url")

        upload_link = cls(
            request_id=request_id,
            url=url,
        )

        upload_link.additional_properties = d
        return upload_link

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
