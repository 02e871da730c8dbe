"""Response validation: whether an answer the mock is about to send is one its spec allows, and a record if not."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping

from starlette.datastructures import Headers

from ._contract import Contract, Operation
from ._dialects import Vendor
from ._routing import example_path

logger = logging.getLogger("attachkit.testing")

# Statuses the mock may answer on any operation, documented there or not: they are about the HTTP exchange, not
# the operation. Such a response is checked against a stand-in operation that documents the vendor's error body.
PROTOCOL_STATUSES = frozenset({405, 411, 413, 415})


@dataclasses.dataclass(frozen=True)
class ResponseViolation:
    """A response the mock sent (or, in strict mode, replaced with a 500) that its spec does not allow."""

    operation: str
    method: str
    path: str
    status: int
    problems: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Binding:
    """What a response is checked against: an operation, or only a vendor's error body, or nothing."""

    vendor: Vendor | None = None
    operation: Operation | None = None
    path: str = ""


class ResponseChecker:
    """Checks responses against the specs (when ``enabled``) and keeps every violation it finds."""

    def __init__(self, contract: Contract, *, enabled: bool) -> None:
        self.contract = contract
        self.enabled = enabled
        self.violations: list[ResponseViolation] = []

    def check(
        self, binding: Binding, method: str, status: int, headers: Mapping[str, str], body: bytes, media: str
    ) -> list[str]:
        """What is wrong with a response (nothing when checking is off); a violation is recorded and logged."""
        problems = self._problems(binding, status, headers, body, media)
        if problems:
            operation = binding.operation.operation_id if binding.operation else "unmatched"
            violation = ResponseViolation(operation, method, binding.path, status, tuple(problems))
            self.violations.append(violation)
            logger.error("attachkit mock response violates the spec: %s", violation)
        return problems

    def _problems(
        self, binding: Binding, status: int, headers: Mapping[str, str], body: bytes, media: str
    ) -> list[str]:
        if not self.enabled or binding.vendor is None:
            return []
        all_headers = Headers(headers={**headers, **({"content-type": media} if media else {})})
        op = binding.operation
        if op is not None and status in op.statuses:
            return self.contract.document(op).response_errors(
                op, binding.path, status, all_headers, body or None, media
            )
        if op is not None and status not in PROTOCOL_STATUSES:
            return [f"status {status} is not documented for {op.operation_id}"]
        stand_in = self.contract.stand_in(binding.vendor, status)
        if stand_in is None:
            return [f"no {binding.vendor.name} operation documents an error body to check a {status} against"]
        other, other_status = stand_in
        document = self.contract.document(other)
        return document.response_errors(other, example_path(other.path), other_status, all_headers, body or None, media)
