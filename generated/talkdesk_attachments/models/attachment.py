from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attachment_links import AttachmentLinks
    from ..models.attachment_provider import AttachmentProvider
    from ..models.metadata import Metadata


T = TypeVar("T", bound="Attachment")


@_attrs_define
class Attachment:
    """An attachment resource, as create and get answer it. `id`, `name` and `state` are required because the reference
    page's table marks them "yes"; every other field is marked "no"."""

    id: str
    """The ID of the attachment (pass it in Digital Connect messages and to get / download-link)."""
    name: str
    """The name the attachment was created with (unique within the account)."""
    state: str
    """The current state of the attachment. The allowed values are not documented, so this stays an open string
    rather than a closed enum."""
    size: int | Unset = UNSET
    """The attachment size, in bytes."""
    type_: str | Unset = UNSET
    """The attachment type (a MIME type in the documented example). JSON name: `type`."""
    metadata: Metadata | Unset = UNSET
    """Free-form metadata: any keys, any JSON values. The documented example carries `flow_id`, `name`, `size` and
    `type`; no key is documented as required or reserved."""
    provider: AttachmentProvider | Unset = UNSET
    """Listed on the page without a description (presumably the storage provider); any keys, any JSON values."""
    field_links: AttachmentLinks | Unset = UNSET
    """HAL API-related links. Follow the hrefs as given; their host is neither the gateway nor the token host. The
    page lists `self` and `download_link`, neither marked required. JSON name: `_links`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        state = self.state

        size = self.size

        type_ = self.type_

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = dict(self.metadata)

        provider: dict[str, Any] | Unset = UNSET
        if not isinstance(self.provider, Unset):
            provider = dict(self.provider)

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "state": state,
            }
        )
        if size is not UNSET:
            field_dict["size"] = size
        if type_ is not UNSET:
            field_dict["type"] = type_
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if provider is not UNSET:
            field_dict["provider"] = provider
        if field_links is not UNSET:
            field_dict["_links"] = field_links

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attachment_links import AttachmentLinks
        from ..models.attachment_provider import AttachmentProvider
        from ..models.metadata import Metadata

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        state = d.pop("state")

        size = d.pop("size", UNSET)

        type_ = d.pop("type", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: Metadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = Metadata(_metadata)

        _provider = d.pop("provider", UNSET)
        provider: AttachmentProvider | Unset
        if isinstance(_provider, Unset):
            provider = UNSET
        else:
            provider = AttachmentProvider(_provider)

        _field_links = d.pop("_links", UNSET)
        field_links: AttachmentLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = AttachmentLinks.from_dict(_field_links)

        attachment = cls(
            id=id,
            name=name,
            state=state,
            size=size,
            type_=type_,
            metadata=metadata,
            provider=provider,
            field_links=field_links,
        )

        attachment.additional_properties = d
        return attachment

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
