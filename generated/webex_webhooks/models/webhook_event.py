from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_event_data import WebhookEventData


T = TypeVar("T", bound="WebhookEvent")


@_attrs_define
class WebhookEvent:
    """What Webex POSTs to a webhook's `targetUrl` for each event (the webhooks guide): the webhook's own fields, the
    event's `actorId` and `data` about the resource. `id`, `resource`, `event` and `data` are required: every documented
    delivery carries them, and a receiver dispatches on `resource` and `event` and reads `data.id`. Open strings, as in
    `Webhook`."""

    id: str
    """The id of the webhook that matched the event."""
    resource: str
    """The resource the event is about, such as `attachmentActions` (a card submission) or `messages`. Read as an
    open string, as in `Webhook`."""
    event: str
    """The event type, such as `created`. Read as an open string, as in `Webhook`."""
    data: WebhookEventData
    """The resource the event is about: its `id` (required) and a few of its fields, depending on the resource. For
    `attachmentActions`: the action's `id`, `type`, `messageId`, `personId`, `roomId` and `created`, but not the
    card's inputs (read them with `GET /attachment/actions/{id}`). For `messages`: the message's `id`, `roomId`,
    `roomType`, `personId`, `personEmail`, `mentionedPeople` and `created`, but not its text (read it with `GET
    /messages/{id}`). Any other field is allowed."""
    name: str | Unset = UNSET
    """The webhook's name."""
    target_url: str | Unset = UNSET
    """The webhook's target URL (where this event was sent). JSON name: `targetUrl`."""
    filter_: str | Unset = UNSET
    """The webhook's filter, when it has one. JSON name: `filter`."""
    org_id: str | Unset = UNSET
    """The organization of the webhook. JSON name: `orgId`."""
    created_by: str | Unset = UNSET
    """The person who created the webhook. JSON name: `createdBy`."""
    app_id: str | Unset = UNSET
    """The app that created the webhook. JSON name: `appId`."""
    owned_by: str | Unset = UNSET
    """`creator` or `org`: who owns the webhook. JSON name: `ownedBy`."""
    status: str | Unset = UNSET
    """The webhook's status (`active` when it is delivering)."""
    created: str | Unset = UNSET
    """Date and time the webhook was created."""
    actor_id: str | Unset = UNSET
    """The person whose action caused the event (the one who submitted the card, posted the message). JSON name:
    `actorId`."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        resource = self.resource

        event = self.event

        data = self.data.to_dict()

        name = self.name

        target_url = self.target_url

        filter_ = self.filter_

        org_id = self.org_id

        created_by = self.created_by

        app_id = self.app_id

        owned_by = self.owned_by

        status = self.status

        created = self.created

        actor_id = self.actor_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resource": resource,
                "event": event,
                "data": data,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if target_url is not UNSET:
            field_dict["targetUrl"] = target_url
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if org_id is not UNSET:
            field_dict["orgId"] = org_id
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if app_id is not UNSET:
            field_dict["appId"] = app_id
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by
        if status is not UNSET:
            field_dict["status"] = status
        if created is not UNSET:
            field_dict["created"] = created
        if actor_id is not UNSET:
            field_dict["actorId"] = actor_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_event_data import WebhookEventData

        d = dict(src_dict)
        id = d.pop("id")

        resource = d.pop("resource")

        event = d.pop("event")

        data = WebhookEventData.from_dict(d.pop("data"))

        name = d.pop("name", UNSET)

        target_url = d.pop("targetUrl", UNSET)

        filter_ = d.pop("filter", UNSET)

        org_id = d.pop("orgId", UNSET)

        created_by = d.pop("createdBy", UNSET)

        app_id = d.pop("appId", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        status = d.pop("status", UNSET)

        created = d.pop("created", UNSET)

        actor_id = d.pop("actorId", UNSET)

        webhook_event = cls(
            id=id,
            resource=resource,
            event=event,
            data=data,
            name=name,
            target_url=target_url,
            filter_=filter_,
            org_id=org_id,
            created_by=created_by,
            app_id=app_id,
            owned_by=owned_by,
            status=status,
            created=created,
            actor_id=actor_id,
        )

        webhook_event.additional_properties = d
        return webhook_event

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
