"""Test helpers that read the OpenAPI documents: schemas by pointer, operations by id."""

from __future__ import annotations

import functools
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator

from attachkit._specs import SPEC_NAMES, spec_path


@functools.cache
def load(name: str) -> dict[str, Any]:
    with spec_path(name).open() as f:  # type: ignore[arg-type]
        return yaml.safe_load(f)  # type: ignore[no-any-return]


def validator(name: str, schema: dict[str, Any]) -> OAS30Validator:
    """A validator for `schema`, whose `#/components/...` references resolve inside spec `name`."""
    return OAS30Validator({**schema, "components": load(name)["components"]})


def operations(name: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (method, path, operation object)."""
    found = {}
    for path, item in load(name)["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found[op["operationId"]] = (method, path, op)
    return found


def resolve(name: str, node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (one level at a time, until there is none)."""
    while "$ref" in node:
        target: Any = load(name)
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


ALL = SPEC_NAMES
CONTROL = "mock-control"  # the mock's control plane: generated like the others, but no vendor's API
