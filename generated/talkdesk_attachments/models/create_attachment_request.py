from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="CreateAttachmentRequest")


@_attrs_define
class CreateAttachmentRequest:
    """The attachment to create. The reference page shows this body by example only and marks no field required, so none is
    required here: what the API answers without `name` or `request_id` is not documented. Names are unique; a second
    attachment with the same name is a 409."""

    name: str | Unset = UNSET
    """Name of the attachment (the documented example is `calm-down-song.mp3`). No length limit is documented."""
    request_id: str | Unset = UNSET
    """The `request_id` returned with the upload link: it ties the attachment to the uploaded bytes. At least one
    character, because the empty string names no upload link; no upper bound is documented."""
    metadata: Metadata | Unset = UNSET
    """Free-form metadata: any keys, any JSON values. The documented example carries `flow_id`, `name`, `size` and
    `type`; no key is documented as required or reserved."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        request_id = self.request_id

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = dict(self.metadata)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        request_id = d.pop("request_id", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: Metadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = Metadata(_metadata)

        create_attachment_request = cls(
            name=name,
            request_id=request_id,
            metadata=metadata,
        )

        create_attachment_request.additional_properties = d
        return create_attachment_request

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
