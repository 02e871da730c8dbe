from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.captured import Captured
    from ..models.violation import Violation


T = TypeVar("T", bound="RequestEntry")


@_attrs_define
class RequestEntry:
    """One request as the mock saw it."""

    id: int
    """Its number, from 1, in the order requests finished (it keeps counting past dropped ones)."""
    operation: str
    """The operationId (or `token`, `upload`, `download`, `spec`, `index`, `unmatched`)."""
    method: str
    """The HTTP method."""
    path: str
    """The path (storage link tokens replaced by `{token}`)."""
    query: str
    """The query string, redacted (empty when there was none)."""
    status: int | None
    """The status answered; null when the connection was dropped."""
    outcome: str
    """`answered`, `faulted`, `dropped-before`, `dropped-after` or `client-disconnected`."""
    started_at: str
    """When it arrived, ISO 8601 in UTC with milliseconds (wall-clock time, not the mock's clock)."""
    duration_ms: float
    """How long the mock took, in milliseconds."""
    request: Captured
    """One side of an exchange, secrets redacted. A request entry has no `response` when the connection was dropped
    without one."""
    response: Captured | Unset = UNSET
    """One side of an exchange, secrets redacted. A request entry has no `response` when the connection was dropped
    without one."""
    violations: list[Violation] | Unset = UNSET
    """In proxy mode (`attachkit mock --upstream`), the ways this exchange broke its spec, as `GET
    /_mock/violations` lists them; empty when it conformed, and when the mock answered itself."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        operation = self.operation

        method = self.method

        path = self.path

        query = self.query

        status: int | None
        status = self.status

        outcome = self.outcome

        started_at = self.started_at

        duration_ms = self.duration_ms

        request = self.request.to_dict()

        response: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.to_dict()

        violations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.violations, Unset):
            violations = []
            for violations_item_data in self.violations:
                violations_item = violations_item_data.to_dict()
                violations.append(violations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "operation": operation,
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "outcome": outcome,
                "started_at": started_at,
                "duration_ms": duration_ms,
                "request": request,
            }
        )
        if response is not UNSET:
            field_dict["response"] = response
        if violations is not UNSET:
            field_dict["violations"] = violations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.captured import Captured
        from ..models.violation import Violation

        d = dict(src_dict)
        id = d.pop("id")

        operation = d.pop("operation")

        method = d.pop("method")

        path = d.pop("path")

        query = d.pop("query")

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        outcome = d.pop("outcome")

        started_at = d.pop("started_at")

        duration_ms = d.pop("duration_ms")

        request = Captured.from_dict(d.pop("request"))

        _response = d.pop("response", UNSET)
        response: Captured | Unset
        if isinstance(_response, Unset):
            response = UNSET
        else:
            response = Captured.from_dict(_response)

        _violations = d.pop("violations", UNSET)
        violations: list[Violation] | Unset = UNSET
        if _violations is not UNSET:
            violations = []
            for violations_item_data in _violations:
                violations_item = Violation.from_dict(violations_item_data)

                violations.append(violations_item)

        request_entry = cls(
            id=id,
            operation=operation,
            method=method,
            path=path,
            query=query,
            status=status,
            outcome=outcome,
            started_at=started_at,
            duration_ms=duration_ms,
            request=request,
            response=response,
            violations=violations,
        )

        request_entry.additional_properties = d
        return request_entry

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
