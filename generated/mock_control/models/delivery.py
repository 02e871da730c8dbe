from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """One webhook delivery."""

    webhook_id: str
    """The webhook it was for."""
    resource: str
    """The event's resource (`messages`, `attachmentActions`)."""
    event: str
    """The event (`created`)."""
    target_url: str
    """Where it was posted."""
    body: str
    """The event as posted (JSON text)."""
    signed: bool
    """Whether it carried `X-Spark-Signature` (its value is not shown)."""
    status: int | None
    """The receiver's answer; null when there was none (see `error`)."""
    error: None | str
    """Why there was no answer (no connection, a timeout, dropped by a fault)."""
    ok: bool
    """True when the receiver answered 2xx."""
    fault: None | str
    """The fault rule that applied, if one did."""
    duplicate: bool
    """True for the second copy of a `duplicate` fault."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        webhook_id = self.webhook_id

        resource = self.resource

        event = self.event

        target_url = self.target_url

        body = self.body

        signed = self.signed

        status: int | None
        status = self.status

        error: None | str
        error = self.error

        ok = self.ok

        fault: None | str
        fault = self.fault

        duplicate = self.duplicate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "webhook_id": webhook_id,
                "resource": resource,
                "event": event,
                "target_url": target_url,
                "body": body,
                "signed": signed,
                "status": status,
                "error": error,
                "ok": ok,
                "fault": fault,
                "duplicate": duplicate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        webhook_id = d.pop("webhook_id")

        resource = d.pop("resource")

        event = d.pop("event")

        target_url = d.pop("target_url")

        body = d.pop("body")

        signed = d.pop("signed")

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        ok = d.pop("ok")

        def _parse_fault(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        fault = _parse_fault(d.pop("fault"))

        duplicate = d.pop("duplicate")

        delivery = cls(
            webhook_id=webhook_id,
            resource=resource,
            event=event,
            target_url=target_url,
            body=body,
            signed=signed,
            status=status,
            error=error,
            ok=ok,
            fault=fault,
            duplicate=duplicate,
        )

        delivery.additional_properties = d
        return delivery

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
