from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.captured_headers import CapturedHeaders


T = TypeVar("T", bound="Captured")


@_attrs_define
class Captured:
    """One side of an exchange, secrets redacted. A request entry has no `response` when the connection was dropped without
    one."""

    headers: CapturedHeaders
    """Headers by lower-case name (repeated headers joined with `, `)."""
    body: None | str
    """The body as text (JSON, a form, XML, text), redacted; null when empty or binary."""
    size: int | None
    """The body's length in bytes, when known."""
    truncated: bool
    """True when `body` was cut at 4096 characters."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers = self.headers.to_dict()

        body: None | str
        body = self.body

        size: int | None
        size = self.size

        truncated = self.truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "headers": headers,
                "body": body,
                "size": size,
                "truncated": truncated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.captured_headers import CapturedHeaders

        d = dict(src_dict)
        headers = CapturedHeaders.from_dict(d.pop("headers"))

        def _parse_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        body = _parse_body(d.pop("body"))

        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))

        truncated = d.pop("truncated")

        captured = cls(
            headers=headers,
            body=body,
            size=size,
            truncated=truncated,
        )

        captured.additional_properties = d
        return captured

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
