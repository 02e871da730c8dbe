from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_create_event import WebhookCreateEvent, check_webhook_create_event
from ..models.webhook_create_resource import (
    WebhookCreateResource,
    check_webhook_create_resource,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreate")


@_attrs_define
class WebhookCreate:
    """A new webhook. `name`, `targetUrl`, `resource` and `event` are required, as Webex's published spec marks them; for
    card submissions, `resource` is `attachmentActions` and `event` is `created`."""

    name: str
    """A user-friendly name for the webhook."""
    target_url: str
    """URL that receives POST requests for each event. JSON name: `targetUrl`."""
    resource: WebhookCreateResource
    """Resource type for the webhook. Creating a webhook requires 'read' scope on the resource the webhook is for.
    `attachmentActions`: card submissions; `messages`: messages; the others as the published spec lists them."""
    event: WebhookCreateEvent
    """Event type for the webhook: `created` (an object is created), `updated`, `deleted`, `started` and `ended` (a
    meeting), `joined` and `left` (a participant), `migrated` (a room moved geography), `authorized` and
    `deauthorized` (a Service App), `statusChanged` (an admin batch job)."""
    filter_: str | Unset = UNSET
    """Filter that defines the webhook scope, such as `roomId=...`. Please note that if a filter of `hostEmail`,
    `hostUserId`, `ownerEmail` or `ownerId` is specified, `ownedBy` must be set to `org`. JSON name: `filter`."""
    secret: str | Unset = UNSET
    """Secret used to generate payload signature: each delivery then carries `X-Spark-Signature`, the hex HMAC-SHA1
    of its body keyed by this secret. Without one, deliveries cannot be authenticated."""
    owned_by: str | Unset = UNSET
    """Specify `org` when creating an org/admin level webhook (for meetings, recordings, rooms, messaging and other
    org-wide resources, as the published spec lists them). JSON name: `ownedBy`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        target_url = self.target_url

        resource: str = self.resource

        event: str = self.event

        filter_ = self.filter_

        secret = self.secret

        owned_by = self.owned_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "targetUrl": target_url,
                "resource": resource,
                "event": event,
            }
        )
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if secret is not UNSET:
            field_dict["secret"] = secret
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        target_url = d.pop("targetUrl")

        resource = check_webhook_create_resource(d.pop("resource"))

        event = check_webhook_create_event(d.pop("event"))

        filter_ = d.pop("filter", UNSET)

        secret = d.pop("secret", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        webhook_create = cls(
            name=name,
            target_url=target_url,
            resource=resource,
            event=event,
            filter_=filter_,
            secret=secret,
            owned_by=owned_by,
        )

        webhook_create.additional_properties = d
        return webhook_create

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
