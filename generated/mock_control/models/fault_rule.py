from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FaultRule")


@_attrs_define
class FaultRule:
    """One installed fault rule."""

    spec: str
    """The rule in the fault language."""
    target: str
    """The operationId (or `token`, `upload`, `download`, `webhook_delivery`, `*`) it applies to."""
    fired: int
    """How many times it fired."""
    exhausted: bool
    """True once a `times=N` rule has fired N times."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        spec = self.spec

        target = self.target

        fired = self.fired

        exhausted = self.exhausted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "spec": spec,
                "target": target,
                "fired": fired,
                "exhausted": exhausted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        spec = d.pop("spec")

        target = d.pop("target")

        fired = d.pop("fired")

        exhausted = d.pop("exhausted")

        fault_rule = cls(
            spec=spec,
            target=target,
            fired=fired,
            exhausted=exhausted,
        )

        fault_rule.additional_properties = d
        return fault_rule

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
