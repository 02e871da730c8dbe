from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FaultCreate")


@_attrs_define
class FaultCreate:
    """A fault rule to add."""

    spec: str
    """The rule in the fault language, e.g. `send_message:429:retry-after=2:times=1`."""

    def to_dict(self) -> dict[str, Any]:
        spec = self.spec

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "spec": spec,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        spec = d.pop("spec")

        fault_create = cls(
            spec=spec,
        )

        return fault_create
