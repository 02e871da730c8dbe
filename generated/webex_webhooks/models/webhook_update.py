from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_update_status import (
    WebhookUpdateStatus,
    check_webhook_update_status,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookUpdate")


@_attrs_define
class WebhookUpdate:
    """A webhook's new settings. `name` and `targetUrl` are required, as Webex's published spec marks them; `status:
    active` reactivates a webhook Webex deactivated. Fields other than `name`, `targetUrl`, `secret` and `status` are
    ignored."""

    name: str
    """A user-friendly name for the webhook."""
    target_url: str
    """URL that receives POST requests for each event. JSON name: `targetUrl`."""
    secret: str | Unset = UNSET
    """Secret used to generate payload signature."""
    owned_by: str | Unset = UNSET
    """Specify `org` for an org/admin level webhook (ignored by an update, as the published spec says). JSON name:
    `ownedBy`."""
    status: WebhookUpdateStatus | Unset = UNSET
    """Status of the webhook. Use "active" to reactivate a disabled webhook. An update cannot deactivate one, so
    `active` is the only value."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        target_url = self.target_url

        secret = self.secret

        owned_by = self.owned_by

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "targetUrl": target_url,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        target_url = d.pop("targetUrl")

        secret = d.pop("secret", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        _status = d.pop("status", UNSET)
        status: WebhookUpdateStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_webhook_update_status(_status)

        webhook_update = cls(
            name=name,
            target_url=target_url,
            secret=secret,
            owned_by=owned_by,
            status=status,
        )

        webhook_update.additional_properties = d
        return webhook_update

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
