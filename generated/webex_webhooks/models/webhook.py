from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """A webhook, as create, get, update and list answer it. `id` is required because every documented example carries it
    and get, update and delete need it; the published spec requires nothing. `resource`, `event` and `status` are open
    strings with their documented values as `x-known-values`. `orgId`, `createdBy` and `appId` are in Webex's answers
    and events (the webhooks guide) but not in the published schema."""

    id: str
    """A unique identifier for the webhook."""
    name: str | Unset = UNSET
    """A user-friendly name for the webhook."""
    target_url: str | Unset = UNSET
    """URL that receives POST requests for each event. JSON name: `targetUrl`."""
    resource: str | Unset = UNSET
    """Resource type for the webhook. Read as an open string: a value outside `x-known-values` is reported as a
    contract warning rather than refused."""
    event: str | Unset = UNSET
    """Event type for the webhook. Read as an open string: a value outside `x-known-values` is reported as a
    contract warning rather than refused."""
    filter_: str | Unset = UNSET
    """Filter that defines the webhook scope. JSON name: `filter`."""
    secret: str | Unset = UNSET
    """Secret used to generate payload signature."""
    status: str | Unset = UNSET
    """Status of the webhook: `active`, or `inactive` after repeated failed deliveries. Use `active` in an update to
    reactivate a disabled webhook. Read as an open string: a value outside `x-known-values` is reported as a
    contract warning rather than refused."""
    created: str | Unset = UNSET
    """Date and time the webhook was created (ISO-8601, for example `2015-10-18T14:26:16+00:00`)."""
    owned_by: str | Unset = UNSET
    """`org` for an org/admin level webhook; `creator` (in Webex's answers) for one owned by whoever created it.
    JSON name: `ownedBy`."""
    org_id: str | Unset = UNSET
    """The organization that owns the webhook (the webhooks guide; not in the published schema). JSON name:
    `orgId`."""
    created_by: str | Unset = UNSET
    """The person who created the webhook (the webhooks guide; not in the published schema). JSON name:
    `createdBy`."""
    app_id: str | Unset = UNSET
    """The app that created the webhook (the webhooks guide; not in the published schema). JSON name: `appId`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        target_url = self.target_url

        resource = self.resource

        event = self.event

        filter_ = self.filter_

        secret = self.secret

        status = self.status

        created = self.created

        owned_by = self.owned_by

        org_id = self.org_id

        created_by = self.created_by

        app_id = self.app_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if target_url is not UNSET:
            field_dict["targetUrl"] = target_url
        if resource is not UNSET:
            field_dict["resource"] = resource
        if event is not UNSET:
            field_dict["event"] = event
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if secret is not UNSET:
            field_dict["secret"] = secret
        if status is not UNSET:
            field_dict["status"] = status
        if created is not UNSET:
            field_dict["created"] = created
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by
        if org_id is not UNSET:
            field_dict["orgId"] = org_id
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if app_id is not UNSET:
            field_dict["appId"] = app_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name", UNSET)

        target_url = d.pop("targetUrl", UNSET)

        resource = d.pop("resource", UNSET)

        event = d.pop("event", UNSET)

        filter_ = d.pop("filter", UNSET)

        secret = d.pop("secret", UNSET)

        status = d.pop("status", UNSET)

        created = d.pop("created", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        org_id = d.pop("orgId", UNSET)

        created_by = d.pop("createdBy", UNSET)

        app_id = d.pop("appId", UNSET)

        webhook = cls(
            id=id,
            name=name,
            target_url=target_url,
            resource=resource,
            event=event,
            filter_=filter_,
            secret=secret,
            status=status,
            created=created,
            owned_by=owned_by,
            org_id=org_id,
            created_by=created_by,
            app_id=app_id,
        )

        webhook.additional_properties = d
        return webhook

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
