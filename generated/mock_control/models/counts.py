from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.counts_statuses import CountsStatuses


T = TypeVar("T", bound="Counts")


@_attrs_define
class Counts:
    """The request counts of one operation."""

    received: int
    """Requests that reached the mock."""
    processed: int
    """Requests whose handler ran (state may have changed)."""
    dropped: int
    """Connections dropped by a fault."""
    faulted: int
    """Requests answered with an injected status."""
    statuses: CountsStatuses
    """Answers by status code."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        received = self.received

        processed = self.processed

        dropped = self.dropped

        faulted = self.faulted

        statuses = self.statuses.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "received": received,
                "processed": processed,
                "dropped": dropped,
                "faulted": faulted,
                "statuses": statuses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counts_statuses import CountsStatuses

        d = dict(src_dict)
        received = d.pop("received")

        processed = d.pop("processed")

        dropped = d.pop("dropped")

        faulted = d.pop("faulted")

        statuses = CountsStatuses.from_dict(d.pop("statuses"))

        counts = cls(
            received=received,
            processed=processed,
            dropped=dropped,
            faulted=faulted,
            statuses=statuses,
        )

        counts.additional_properties = d
        return counts

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
