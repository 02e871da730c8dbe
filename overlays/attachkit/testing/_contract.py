"""The specs as the mock's contract: operations, their security, request validation and response validation.

Everything the mock accepts or refuses on the grounds of shape comes from the OpenAPI documents at run time,
through openapi-core. Changing a constraint in a spec changes what the mock accepts, with no code edited here.
openapi-core has no type stubs, so its objects stay inside this module.

Each operation is also compiled once, at load (``_compiled``): a request or response that the compiled form finds
conforming is answered without openapi-core, which is consulted only for the rest, so every refusal and its
messages come from openapi-core as before. ``CROSS_CHECK`` (for tests) asks openapi-core about everything and
raises when the two disagree on something the compiled form accepted.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    InvalidRequestBody,
    MissingRequestBody,
    MissingRequiredRequestBody,
    ParameterValidationError,
)
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from openapi_core.validation.response.validators import V30ResponseValidator
from starlette.datastructures import Headers

from attachkit._specs import spec_path

from ._compiled import CompiledOperation, compile_document
from ._dialects import VENDORS, FieldError, Vendor

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_DESCRIPTION = 200
CROSS_CHECK = False  # tests: every compiled verdict of "conforms" is checked against openapi-core


class CrossCheckError(AssertionError):
    """The compiled validation accepted what openapi-core refuses (raised only with ``CROSS_CHECK``)."""


@dataclasses.dataclass(frozen=True)
class SchemeNeed:
    """One security scheme an operation asks for: its type (``oauth2``, ``http``...) and the scopes needed."""

    kind: str
    scopes: frozenset[str]


@dataclasses.dataclass(frozen=True)
class Operation:
    """One documented operation, as read from its spec."""

    operation_id: str
    method: str
    path: str
    vendor: Vendor
    spec_name: str
    security: tuple[tuple[SchemeNeed, ...], ...]
    body_media_types: frozenset[str] | None
    statuses: frozenset[int]
    html_statuses: frozenset[int]

    @property
    def route(self) -> str:
        """Where the mock serves it: the vendor prefix plus the spec path."""
        return self.vendor.prefix + self.path


@dataclasses.dataclass(frozen=True)
class _ValidationRequest:
    """The request as openapi-core's protocol wants it, placed on the spec's own server URL."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclasses.dataclass(frozen=True)
class _ValidationResponse:
    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (the only kind the specs use) to the node they name."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or seen > 32:
            raise ValueError(f"unsupported $ref {ref!r}")
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
    return node


def _server_url(document: Mapping[str, Any]) -> str:
    servers = document.get("servers") or [{"url": "http://mock.invalid"}]
    server = servers[0]
    url = str(server.get("url", "/"))
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    if not urlsplit(url).scheme:  # a relative server URL: put it on a placeholder host
        url = "http://mock.invalid" + ("" if url.startswith("/") else "/") + url
    return url.rstrip("/")


class SpecDocument:
    """One loaded spec: its raw text (served as is), its operations and its openapi-core validators."""

    def __init__(self, name: str, raw: bytes, vendor: Vendor) -> None:
        self.name = name
        self.raw = raw
        data = yaml.safe_load(raw)
        if not isinstance(data, dict):
            raise ValueError(f"spec {name!r} is not a mapping")
        self.data: dict[str, Any] = data
        self.server_url = _server_url(data)
        openapi: Any = OpenAPI.from_dict(data)
        self._body_validator: Any = V30RequestBodyValidator(openapi.spec)
        self._params_validator: Any = V30RequestParametersValidator(openapi.spec)
        self._response_validator: Any = V30ResponseValidator(openapi.spec)
        self.operations = tuple(self._read_operations(vendor))
        parts = urlsplit(self.server_url)
        self._host_url = f"{parts.scheme}://{parts.netloc}"
        self._base_path = parts.path.rstrip("/")
        compiled = compile_document(data, self._host_url)
        self._compiled: dict[str, CompiledOperation] = {
            op.operation_id: compiled[(op.path, op.method.lower())]
            for op in self.operations
            if (op.path, op.method.lower()) in compiled
        }

    def _read_operations(self, vendor: Vendor) -> Iterable[Operation]:
        data = self.data
        schemes = (data.get("components") or {}).get("securitySchemes") or {}
        for path, item in (data.get("paths") or {}).items():
            item = _deref(data, item)
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                op = item[method]
                requirements = []
                for requirement in op.get("security", data.get("security", [])):
                    needs = []
                    for scheme_name, scopes in requirement.items():
                        scheme = _deref(data, schemes.get(scheme_name, {}))
                        needs.append(SchemeNeed(str(scheme.get("type", "")), frozenset(scopes)))
                    requirements.append(tuple(needs))
                body = _deref(data, op["requestBody"]) if "requestBody" in op else None
                statuses: set[int] = set()
                html: set[int] = set()
                for code, response in (op.get("responses") or {}).items():
                    if str(code).isdigit():
                        statuses.add(int(code))
                        if "text/html" in (_deref(data, response).get("content") or {}):
                            html.add(int(code))
                yield Operation(
                    operation_id=str(op["operationId"]),
                    method=method.upper(),
                    path=str(path),
                    vendor=vendor,
                    spec_name=self.name,
                    security=tuple(requirements),
                    body_media_types=None if body is None else frozenset(k.lower() for k in body.get("content", {})),
                    statuses=frozenset(statuses),
                    html_statuses=frozenset(html),
                )

    def declared_scopes(self) -> frozenset[str]:
        """Every OAuth scope the spec's security schemes declare."""
        scopes: set[str] = set()
        for scheme in ((self.data.get("components") or {}).get("securitySchemes") or {}).values():
            for flow in (_deref(self.data, scheme).get("flows") or {}).values():
                scopes.update(flow.get("scopes") or {})
        return frozenset(scopes)

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: Iterable[tuple[str, str]] = (),
        headers: Headers | None = None,
        body: bytes | None = None,
        content_type: str = "",
        path_params: Mapping[str, str] | None = None,
    ) -> _ValidationRequest:
        # Join as strings: the path is already decoded and may hold '?' or '#', which a URL parser would cut at.
        parts = urlsplit(self.server_url)
        parameters = RequestParameters(
            query=_MultiDict(query), header=headers or Headers(), cookie={}, path=dict(path_params or {})
        )
        return _ValidationRequest(
            host_url=f"{parts.scheme}://{parts.netloc}",
            path=parts.path.rstrip("/") + path,
            method=method.lower(),
            body=body,
            content_type=content_type.lower(),
            parameters=parameters,
        )

    def request_errors(
        self,
        op: Operation,
        path: str,
        path_params: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        headers: Headers,
        body: bytes | None,
        content_type: str,
    ) -> tuple[FieldError, ...]:
        """The fields of a request that violate the spec (empty when it conforms)."""
        query = list(query)
        compiled = self._compiled.get(op.operation_id)
        if compiled is not None and compiled.request_conforms(
            self._base_path + path, path_params, query, headers, body, content_type.lower()
        ):
            if CROSS_CHECK:
                found = self._request_errors(op, path, path_params, query, headers, body, content_type)
                if found:
                    raise CrossCheckError(f"{op.operation_id}: compiled validation accepted a request with {found}")
            return ()
        return self._request_errors(op, path, path_params, query, headers, body, content_type)

    def _request_errors(
        self,
        op: Operation,
        path: str,
        path_params: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        headers: Headers,
        body: bytes | None,
        content_type: str,
    ) -> tuple[FieldError, ...]:
        request = self._request(
            op.method, path, query=query, headers=headers, body=body, content_type=content_type, path_params=path_params
        )
        # No warnings.catch_warnings() here: it changes process-wide state, and this runs in the server's thread.
        found: list[FieldError] = []
        for error in self._params_validator.iter_errors(request):
            found.extend(_parameter_fields(error))
        if op.body_media_types is not None:
            try:
                for error in self._body_validator.iter_errors(request):
                    found.extend(_body_fields(error))
            except (AssertionError, LookupError, TypeError, ValueError) as exc:
                # openapi-core's own readers (its multipart one asserts on shapes it does not expect) failing on
                # a body the mock's checks let through: the body is unreadable, a 400, never a 500.
                found.append(FieldError("body", _short(f"cannot be read: {type(exc).__name__}")))
        return tuple(dict.fromkeys(found))

    def response_errors(
        self, op: Operation, path: str, status: int, headers: Headers, body: bytes | None, media_type: str
    ) -> list[str]:
        """Why a response does not conform to the operation's spec (empty when it does)."""
        compiled = self._compiled.get(op.operation_id)
        if compiled is not None and compiled.response_conforms(
            self._base_path + path, status, headers, body, media_type.lower()
        ):
            if CROSS_CHECK:
                found = self._response_errors(op, path, status, headers, body, media_type)
                if found:
                    raise CrossCheckError(f"{op.operation_id}: compiled validation accepted a {status} with {found}")
            return []
        return self._response_errors(op, path, status, headers, body, media_type)

    def _response_errors(
        self, op: Operation, path: str, status: int, headers: Headers, body: bytes | None, media_type: str
    ) -> list[str]:
        request = self._request(op.method, path)
        response = _ValidationResponse(status, media_type.lower(), headers, body)
        return [_short(str(error), 500) for error in self._response_validator.iter_errors(request, response)]


class _MultiDict(dict[str, str]):
    """The small part of a multi-dict openapi-core uses for query parameters."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        pairs = list(items)
        super().__init__(pairs)
        self._pairs = pairs

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self._pairs if name == key]


def _short(text: str, limit: int = _MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dotted(parts: Iterable[object]) -> str:
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _parameter_fields(error: Exception) -> list[FieldError]:
    if isinstance(error, ParameterValidationError):
        cause = error.__cause__
        schema_errors = list(getattr(cause, "schema_errors", []) or [])
        if schema_errors:
            return [FieldError(error.name, _short(str(e.message))) for e in schema_errors]
        return [FieldError(error.name, _short(str(error)))]
    return [FieldError("parameters", _short(str(error)))]


def _body_fields(error: Exception) -> list[FieldError]:
    if isinstance(error, MissingRequestBody):  # an optional body, absent: nothing wrong
        return []
    if isinstance(error, MissingRequiredRequestBody):
        return [FieldError("body", "is required")]
    cause = error.__cause__
    schema_errors = list(getattr(cause, "schema_errors", []) or []) if isinstance(error, InvalidRequestBody) else []
    if not schema_errors:
        return [FieldError("body", _short(str(cause or error)))]
    fields: list[FieldError] = []
    for schema_error in schema_errors:
        where = list(schema_error.absolute_path)
        if schema_error.validator == "required" and isinstance(schema_error.instance, Mapping):
            for missing in schema_error.validator_value:
                if missing not in schema_error.instance:
                    fields.append(FieldError(_dotted([*where, missing]), "is required"))
        else:
            fields.append(FieldError(_dotted(where), _short(str(schema_error.message))))
    return fields


@functools.lru_cache(maxsize=32)
def _load(name: str, raw: bytes, vendor_name: str) -> SpecDocument:
    # Loading validates the whole spec, which is slow; identical text gives an identical document.
    vendor = next(v for v in VENDORS if v.name == vendor_name)
    return SpecDocument(name, raw, vendor)


class Contract:
    """All the specs the mock serves, with their operations by id."""

    def __init__(self, sources: Mapping[str, str | Path] | None = None) -> None:
        sources = dict(sources or {})
        unknown = set(sources) - {name for vendor in VENDORS for name in vendor.specs}
        if unknown:
            raise ValueError(f"unknown spec name(s): {', '.join(sorted(unknown))}")
        self.documents: dict[str, SpecDocument] = {}
        self.operations: dict[str, Operation] = {}
        for vendor in VENDORS:
            for name in vendor.specs:
                raw = Path(sources.get(name) or spec_path(name)).read_bytes()
                document = _load(name, raw, vendor.name)
                self.documents[name] = document
                for op in document.operations:
                    if op.operation_id in self.operations:
                        raise ValueError(f"operationId {op.operation_id!r} appears twice")
                    self.operations[op.operation_id] = op

    def document(self, op: Operation) -> SpecDocument:
        """The spec an operation comes from."""
        return self.documents[op.spec_name]

    def declared_scopes(self, vendor: Vendor) -> frozenset[str]:
        """Every OAuth scope declared across a vendor's specs."""
        return frozenset().union(*(self.documents[name].declared_scopes() for name in vendor.specs))

    def stand_in(self, vendor: Vendor, status: int) -> tuple[Operation, int] | None:
        """An operation and status to check a response the specs don't describe where it happened (an unknown
        path, a 413 on an operation that lists no 413): the first operation documenting the status, else the
        vendor's documented 400, so the body is still held to the vendor's error schema."""
        ops = [op for op in self.operations.values() if op.vendor == vendor]
        for wanted in (status, 400):
            for op in ops:
                if wanted in op.statuses:
                    return op, wanted
        return None
