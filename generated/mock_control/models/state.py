from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.clock import Clock
    from ..models.history_info import HistoryInfo
    from ..models.state_dropped_records import StateDroppedRecords
    from ..models.state_records import StateRecords
    from ..models.state_requests import StateRequests


T = TypeVar("T", bound="State")


@_attrs_define
class State:
    """A snapshot of the mock's state."""

    records: StateRecords
    """Records held now, by kind (`messages`, `attachments`, `webhooks`, `deliveries`...)."""
    dropped_records: StateDroppedRecords
    """Records dropped beyond `record_limit`, by kind (a kind that lost none is absent)."""
    record_limit: int
    """The most records of each kind the mock keeps."""
    requests: StateRequests
    """Request counts by operationId."""
    history: HistoryInfo
    """The request history's size and bound."""
    clock: Clock
    """The mock's clock."""
    faults: int
    """Fault rules installed."""
    deliveries_in_flight: int
    """Webhook deliveries scheduled and not finished."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        records = self.records.to_dict()

        dropped_records = self.dropped_records.to_dict()

        record_limit = self.record_limit

        requests = self.requests.to_dict()

        history = self.history.to_dict()

        clock = self.clock.to_dict()

        faults = self.faults

        deliveries_in_flight = self.deliveries_in_flight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "records": records,
                "dropped_records": dropped_records,
                "record_limit": record_limit,
                "requests": requests,
                "history": history,
                "clock": clock,
                "faults": faults,
                "deliveries_in_flight": deliveries_in_flight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.clock import Clock
        from ..models.history_info import HistoryInfo
        from ..models.state_dropped_records import StateDroppedRecords
        from ..models.state_records import StateRecords
        from ..models.state_requests import StateRequests

        d = dict(src_dict)
        records = StateRecords.from_dict(d.pop("records"))

        dropped_records = StateDroppedRecords.from_dict(d.pop("dropped_records"))

        record_limit = d.pop("record_limit")

        requests = StateRequests.from_dict(d.pop("requests"))

        history = HistoryInfo.from_dict(d.pop("history"))

        clock = Clock.from_dict(d.pop("clock"))

        faults = d.pop("faults")

        deliveries_in_flight = d.pop("deliveries_in_flight")

        state = cls(
            records=records,
            dropped_records=dropped_records,
            record_limit=record_limit,
            requests=requests,
            history=history,
            clock=clock,
            faults=faults,
            deliveries_in_flight=deliveries_in_flight,
        )

        state.additional_properties = d
        return state

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
