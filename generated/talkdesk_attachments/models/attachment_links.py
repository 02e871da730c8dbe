from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link import Link


T = TypeVar("T", bound="AttachmentLinks")


@_attrs_define
class AttachmentLinks:
    """HAL API-related links. Follow the hrefs as given; their host is neither the gateway nor the token host. The page
    lists `self` and `download_link`, neither marked required."""

    self_: Link | Unset = UNSET
    """One HAL link. `href` is required: the page describes links as HAL, whose link objects always carry an `href`.
    JSON name: `self`."""
    download_link: Link | Unset = UNSET
    """One HAL link. `href` is required: the page describes links as HAL, whose link objects always carry an
    `href`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        self_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.self_, Unset):
            self_ = self.self_.to_dict()

        download_link: dict[str, Any] | Unset = UNSET
        if not isinstance(self.download_link, Unset):
            download_link = self.download_link.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if self_ is not UNSET:
            field_dict["self"] = self_
        if download_link is not UNSET:
            field_dict["download_link"] = download_link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.link import Link

        d = dict(src_dict)
        _self_ = d.pop("self", UNSET)
        self_: Link | Unset
        if isinstance(_self_, Unset):
            self_ = UNSET
        else:
            self_ = Link.from_dict(_self_)

        _download_link = d.pop("download_link", UNSET)
        download_link: Link | Unset
        if isinstance(_download_link, Unset):
            download_link = UNSET
        else:
            download_link = Link.from_dict(_download_link)

        attachment_links = cls(
            self_=self_,
            download_link=download_link,
        )

        attachment_links.additional_properties = d
        return attachment_links

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
