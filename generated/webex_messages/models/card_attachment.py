from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.card_attachment_content_type import (
    CardAttachmentContentType,
    check_card_attachment_content_type,
)

if TYPE_CHECKING:
    from ..models.adaptive_card import AdaptiveCard


T = TypeVar("T", bound="CardAttachment")


@_attrs_define
class CardAttachment:
    """A card on a message: an Adaptive Card, as the Cards guide and every card example of Webex's published spec show it.
    `contentType` and `content` are both required; the published `Attachment` schema (whose `content` is an unrelated
    file schema) is a documented defect and is not copied."""

    content_type: CardAttachmentContentType
    """The attachment's type. Adaptive Cards are the only attachments Webex documents. JSON name: `contentType`."""
    content: AdaptiveCard
    """The Adaptive Card itself (`{"type": "AdaptiveCard", "version": "1.3", "body": [...], "actions": [...]}`): any
    JSON object. Its schema is Microsoft's (adaptivecards.io), versioned apart from Webex's API, and Webex renders
    the versions and elements it supports, so nothing here constrains it."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_type: str = self.content_type

        content = dict(self.content)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contentType": content_type,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adaptive_card import AdaptiveCard

        d = dict(src_dict)
        content_type = check_card_attachment_content_type(d.pop("contentType"))

        content = AdaptiveCard(d.pop("content"))

        card_attachment = cls(
            content_type=content_type,
            content=content,
        )

        card_attachment.additional_properties = d
        return card_attachment

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
