from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.violation_kind import ViolationKind, check_violation_kind

T = TypeVar("T", bound="Violation")


@_attrs_define
class Violation:
    """A request or a response that broke its spec."""

    kind: ViolationKind
    """Which side broke the spec."""
    operation: str
    """The operationId."""
    method: str
    """The HTTP method."""
    path: str
    """The path."""
    status: int | None
    """The status answered, if any."""
    problems: list[str]
    """What was wrong."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        operation = self.operation

        method = self.method

        path = self.path

        status: int | None
        status = self.status

        problems = self.problems

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "operation": operation,
                "method": method,
                "path": path,
                "status": status,
                "problems": problems,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = check_violation_kind(d.pop("kind"))

        operation = d.pop("operation")

        method = d.pop("method")

        path = d.pop("path")

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        problems = cast(list[str], d.pop("problems"))

        violation = cls(
            kind=kind,
            operation=operation,
            method=method,
            path=path,
            status=status,
            problems=problems,
        )

        violation.additional_properties = d
        return violation

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
