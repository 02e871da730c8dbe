"""Matching paths to operations: the specs' path templates as Starlette routes, one route per path for all methods."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from ._contract import Operation

PARAM = re.compile(r"{([^}/]+)}")


@dataclasses.dataclass(frozen=True)
class OperationRoute:
    """One spec path as a Starlette route: its operations by method, and its parameters under both names."""

    path: str  # the Starlette path template
    by_method: Mapping[str, Operation]
    names: Mapping[str, str]  # Starlette parameter name -> the spec's

    def operation(self, method: str) -> Operation:
        """The operation a request method reaches (HEAD answers like GET where the spec has no HEAD)."""
        return self.by_method["GET" if method == "HEAD" and "HEAD" not in self.by_method else method]

    def params(self, path_params: Mapping[str, object]) -> dict[str, str]:
        """A request's path parameters under the spec's names."""
        return {self.names[key]: str(value) for key, value in path_params.items()}


def operation_routes(operations: Iterable[Operation]) -> list[OperationRoute]:
    """A route per distinct path template, in the order the operations come."""
    grouped: dict[str, dict[str, Operation]] = {}
    for op in operations:
        grouped.setdefault(op.route, {})[op.method] = op
    routes = []
    for template, by_method in grouped.items():
        # Starlette parameter names must be identifiers; OpenAPI's need not be, so rename and map back.
        names: dict[str, str] = {}

        def rename(match: re.Match[str], names: dict[str, str] = names) -> str:
            key = f"p{len(names)}"
            names[key] = match.group(1)
            return "{" + key + "}"

        routes.append(OperationRoute(PARAM.sub(rename, template), by_method, names))
    return routes


def example_path(path: str) -> str:
    """A concrete path that a template matches (every parameter ``x``)."""
    return PARAM.sub("x", path)
