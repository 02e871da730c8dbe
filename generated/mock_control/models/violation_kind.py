from typing import Literal

ViolationKind = Literal["request", "response"]

VIOLATION_KIND_VALUES: set[ViolationKind] = {
    "request",
    "response",
}


def check_violation_kind(value: str) -> ViolationKind:
    if value in VIOLATION_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {VIOLATION_KIND_VALUES!r}"
    )
