from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ClockAdvance")


@_attrs_define
class ClockAdvance:
    """How far to move the clock."""

    seconds: float
    """Seconds to add to the mock's time (at most about a hundred years)."""

    def to_dict(self) -> dict[str, Any]:
        seconds = self.seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seconds": seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        seconds = d.pop("seconds")

        clock_advance = cls(
            seconds=seconds,
        )

        return clock_advance
