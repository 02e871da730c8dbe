"""The control plane under ``/_mock/``: the state, the request history, faults, the clock, deliveries, violations
and reset over HTTP, for tests and tools that do not share the mock's process.

``openapi/mock-control.yaml`` is its contract: requests are validated against it and every answer is checked
against it before it is sent (an answer that breaks it is recorded with the response violations and replaced by
a 500). Every route needs the admin token (``MockConfig.admin_token``) as a bearer token, compared in constant
time; the token is never recorded. Control requests go through the pipeline unfaulted and unrecorded: the history
and the counts are what the system under test sent.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    InvalidRequestBody,
    MissingRequiredRequestBody,
    ParameterValidationError,
)
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from openapi_core.validation.response.validators import V30ResponseValidator
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from attachkit._specs import spec_dir

from ._bodies import json_media, parse_json, read_limited
from ._checking import Binding, ResponseViolation
from ._clock import Clock, iso_millis
from ._config import MockConfig
from ._dialects import MOCK, Problem, to_json
from ._faults import FaultRule, Faults, parse_fault
from ._pipeline import Outcome, Pipeline
from ._state import Captured, Delivery, MockState, RequestRecord, Violation

CONTROL_PREFIX = "/_mock"
CONTROL_SPEC = "mock-control"
MAX_CONTROL_BODY = 64 * 1024
_PAYLOAD_LIMIT = 200


@dataclasses.dataclass(frozen=True)
class _Request:
    """A request in the shape openapi-core reads."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclasses.dataclass(frozen=True)
class _Response:
    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


class _Query(dict[str, str]):
    """The part of a multi-dict openapi-core uses for query parameters."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        pairs = list(items)
        super().__init__(pairs)
        self._pairs = pairs

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self._pairs if name == key]


class ControlContract:
    """``mock-control.yaml`` loaded once, with its validators."""

    def __init__(self, raw: bytes) -> None:
        data = yaml.safe_load(raw)
        server = urlsplit(str(data["servers"][0]["url"]))
        self.host_url = f"{server.scheme}://{server.netloc}"
        spec: Any = OpenAPI.from_dict(data).spec
        self._params: Any = V30RequestParametersValidator(spec)
        self._body: Any = V30RequestBodyValidator(spec)
        self._responses: Any = V30ResponseValidator(spec)
        self.routes: dict[tuple[str, str], str] = {
            (method.upper(), path): str(op["operationId"])
            for path, item in data["paths"].items()
            for method, op in item.items()
        }

    def _request(self, method: str, path: str, query: Iterable[tuple[str, str]], body: bytes | None) -> _Request:
        parameters = RequestParameters(query=_Query(query), header=Headers(), cookie={}, path={})
        content_type = "application/json" if body is not None else ""
        return _Request(self.host_url, path, method.lower(), body, content_type, parameters)

    def request_problems(
        self, method: str, path: str, query: Iterable[tuple[str, str]], body: bytes | None, has_body: bool
    ) -> list[str]:
        """What is wrong with a request, each as ``field: reason``."""
        request = self._request(method, path, query, body)
        found: list[str] = []
        for error in self._params.iter_errors(request):
            if isinstance(error, ParameterValidationError):
                causes = list(getattr(error.__cause__, "schema_errors", []) or [])
                found += [f"{error.name}: {_short(e.message)}" for e in causes] or [
                    f"{error.name}: {_short(error.__cause__ or error)}"
                ]
            else:
                found.append(f"parameters: {_short(error)}")
        if has_body:
            for error in self._body.iter_errors(request):
                found += _body_problems(error)
        return found

    def response_problems(self, method: str, path: str, status: int, body: bytes) -> list[str]:
        """Why an answer breaks the contract (empty when it conforms)."""
        request = self._request(method, path, (), None)
        headers = Headers({"content-type": "application/json"})
        response = _Response(status, "application/json", headers, body)
        return [_short(error, 500) for error in self._responses.iter_errors(request, response)]


def _short(value: object, limit: int = _PAYLOAD_LIMIT) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body_problems(error: Exception) -> list[str]:
    if isinstance(error, MissingRequiredRequestBody):
        return ["body: is required"]
    causes = list(getattr(error.__cause__, "schema_errors", []) or []) if isinstance(error, InvalidRequestBody) else []
    if not causes:
        return [f"body: {_short(error.__cause__ or error)}"]
    problems = []
    for cause in causes:
        where = ".".join(str(part) for part in cause.absolute_path)
        if cause.validator == "required" and isinstance(cause.instance, Mapping):
            problems += [f"{name}: is required" for name in cause.validator_value if name not in cause.instance]
        else:
            problems.append(f"{where or 'body'}: {_short(cause.message)}")
    return problems


@functools.lru_cache(maxsize=4)
def _load(raw: bytes) -> ControlContract:
    return ControlContract(raw)


def control_contract() -> ControlContract:
    """The packaged ``mock-control.yaml``, loaded (once per process)."""
    return _load((Path(spec_dir()) / f"{CONTROL_SPEC}.yaml").read_bytes())


# JSON views of the state -----------------------------------------------------------------------------------------


def captured_json(captured: Captured) -> dict[str, Any]:
    """One side of an exchange as the control plane answers it (repeated headers joined with ``, ``)."""
    headers: dict[str, str] = {}
    for name, value in captured.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return {"headers": headers, "body": captured.body, "size": captured.size, "truncated": captured.truncated}


def request_json(record: RequestRecord) -> dict[str, Any]:
    """A history entry as ``GET /_mock/requests`` answers it."""
    entry: dict[str, Any] = {
        "id": record.id,
        "operation": record.operation,
        "method": record.method,
        "path": record.path,
        "query": record.query,
        "status": record.status,
        "outcome": record.outcome,
        "started_at": iso_millis(record.started_at),
        "duration_ms": record.duration_ms,
        "request": captured_json(record.request or Captured()),
        "violations": [violation_json(v) for v in record.violations],
    }
    if record.response is not None:
        entry["response"] = captured_json(record.response)
    return entry


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    """A webhook delivery as ``GET /_mock/deliveries`` answers it (without the signature's value)."""
    return {
        "webhook_id": delivery.webhook_id,
        "resource": delivery.resource,
        "event": delivery.event,
        "target_url": delivery.target_url,
        "body": delivery.body.decode("utf-8", errors="replace"),
        "signed": delivery.signature is not None,
        "status": delivery.status,
        "error": delivery.error,
        "ok": delivery.ok,
        "fault": delivery.fault,
        "duplicate": delivery.duplicate,
    }


def violation_json(violation: Violation) -> dict[str, Any]:
    """A contract violation as ``GET /_mock/violations`` answers it."""
    return {**dataclasses.asdict(violation), "problems": list(violation.problems)}


def fault_json(rule: FaultRule) -> dict[str, Any]:
    """A fault rule as the control plane answers it."""
    return {"spec": rule.describe(), "target": rule.target, "fired": rule.fired, "exhausted": rule.exhausted}


def clock_json(clock: Clock) -> dict[str, Any]:
    """The mock's clock."""
    return {"now": iso_millis(clock.now()), "offset_seconds": clock.offset}


def state_json(state: MockState, clock: Clock, faults: Faults) -> dict[str, Any]:
    """A snapshot of the state as ``GET /_mock/state`` answers it."""
    requests = {}
    for operation in state.requests:
        counts = state.counts(operation)
        requests[operation] = {
            "received": counts.received,
            "processed": counts.processed,
            "dropped": counts.dropped,
            "faulted": counts.faulted,
            "statuses": {str(status): n for status, n in sorted(counts.statuses.items())},
        }
    return {
        "records": state.record_counts(),
        "dropped_records": state.dropped_records,
        "record_limit": state.record_limit,
        "requests": requests,
        "history": {"size": len(state.history), "limit": state.history_limit, "dropped": state.history_dropped},
        "clock": clock_json(clock),
        "faults": len(faults.rules),
        "deliveries_in_flight": state.deliveries_in_flight,
    }


# The routes ------------------------------------------------------------------------------------------------------

Body = Any
Handler = Callable[[Request, Body], Awaitable[tuple[int, Any] | Problem]]


def _bad_request(message: str) -> Problem:
    return Problem(400, "invalid_request", "Invalid request", description=message)


class ControlPlane:
    """The ``/_mock/`` routes of one mock."""

    def __init__(
        self,
        config: MockConfig,
        state: MockState,
        clock: Clock,
        faults: Faults,
        pipeline: Pipeline,
        violations: list[ResponseViolation],
        on_reset: Callable[[], None],
    ) -> None:
        self.config = config
        self.state = state
        self.clock = clock
        self.faults = faults
        self.pipeline = pipeline
        self.violations = violations
        self.on_reset = on_reset
        self.contract = control_contract()
        self._token = config.admin_token.encode()

    def routes(self) -> list[BaseRoute]:
        """One Starlette route per control path, all methods of a path on one route."""
        handlers: dict[str, Handler] = {
            "get_state": self._get_state,
            "list_requests": self._list_requests,
            "list_faults": self._list_faults,
            "add_fault": self._add_fault,
            "clear_faults": self._clear_faults,
            "reset": self._reset,
            "advance_clock": self._advance_clock,
            "list_deliveries": self._list_deliveries,
            "list_violations": self._list_violations,
        }
        missing = set(self.contract.routes.values()) ^ set(handlers)
        if missing:
            raise ValueError(f"mock-control.yaml and the control plane disagree on: {', '.join(sorted(missing))}")
        by_path: dict[str, dict[str, str]] = {}
        for (method, path), operation in self.contract.routes.items():
            by_path.setdefault(path, {})[method] = operation
        return [
            Route(path, self._endpoint(path, methods, handlers), methods=list(methods))
            for path, methods in by_path.items()
        ]

    def _endpoint(
        self, path: str, methods: Mapping[str, str], handlers: Mapping[str, Handler]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            operation = methods["GET" if request.method == "HEAD" else request.method]

            async def work(request: Request, tracking: str | None) -> Outcome:
                return await self._serve(request, operation, path, handlers[operation])

            return await self.pipeline.serve(request, operation, MOCK, Binding(), work, faultable=False, recorded=False)

        return endpoint

    def _authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        # compare_digest takes as long for any wrong token of a given length; `&` (not `and`) evaluates both.
        return bool((scheme.lower() == "bearer") & secrets.compare_digest(token.strip().encode(), self._token))

    async def _serve(self, request: Request, operation: str, path: str, handler: Handler) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        if not self._authorized(request):
            problem = Problem(
                401,
                "unauthorized",
                "Unauthorized",
                description="the control plane needs the mock's admin token: "
                "Authorization: Bearer $ATTACHKIT_MOCK_ADMIN_TOKEN",
                headers={"WWW-Authenticate": 'Bearer realm="attachkit-mock"'},
            )
            return self._answer(method, path, problem)
        outcome = await self._validated(request, method, path, handler)
        return self._answer(method, path, outcome)

    async def _validated(self, request: Request, method: str, path: str, handler: Handler) -> tuple[int, Any] | Problem:
        takes_body = method == "POST" and path in ("/_mock/faults", "/_mock/clock/advance")
        raw: bytes | None = None
        parsed: Any = None
        if takes_body:
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            read = await read_limited(request, MAX_CONTROL_BODY)
            if isinstance(read, Problem):
                return read
            if read and not json_media(media):
                return Problem(415, "unsupported_media_type", "Unsupported Media Type", description="send JSON")
            if read:
                parsed, malformed = parse_json(read)
                if malformed is not None:
                    reason = malformed.fields[0] if malformed.fields else None
                    return _bad_request(f"{reason.name}: {reason.description}" if reason else "body: malformed")
                raw = read
        problems = self.contract.request_problems(
            method, path, request.query_params.multi_items(), raw, has_body=takes_body
        )
        if problems:
            return _bad_request("; ".join(problems))
        return await handler(request, parsed)

    def _answer(self, method: str, path: str, outcome: tuple[int, Any] | Problem) -> Response:
        if isinstance(outcome, Problem):
            body, media = MOCK.render_problem(outcome, None)
            status, headers = outcome.status, dict(outcome.headers)
        else:
            status, payload = outcome
            body, media, headers = to_json(payload), "application/json", {}
        problems = self.contract.response_problems(method, path, status, body)
        if problems:
            self.violations.append(ResponseViolation(f"control:{path}", method, path, status, tuple(problems)))
            failure = Problem(500, "server_error", "Mock response violated its spec", description=problems[0])
            body, media = MOCK.render_problem(failure, None)
            status, headers = 500, {}
        return Response(body, status, headers, media_type=media)

    # Handlers ------------------------------------------------------------------------------------------------------

    async def _get_state(self, request: Request, body: Body) -> tuple[int, Any]:
        return 200, state_json(self.state, self.clock, self.faults)

    async def _list_requests(self, request: Request, body: Body) -> tuple[int, Any]:
        query = request.query_params
        operation = query.get("operation")
        since = int(query.get("since") or 0)
        limit = int(query["limit"]) if "limit" in query else None
        records = [r for r in self.state.history if r.id > since and (operation is None or r.operation == operation)]
        if limit is not None:
            records = records[-limit:]
        return 200, {
            "items": [request_json(r) for r in records],
            "dropped": self.state.history_dropped,
            "limit": self.state.history_limit,
        }

    async def _list_faults(self, request: Request, body: Body) -> tuple[int, Any]:
        return 200, {"items": [fault_json(rule) for rule in self.faults.rules]}

    async def _add_fault(self, request: Request, body: Body) -> tuple[int, Any] | Problem:
        try:
            rule = self.faults.install(parse_fault(str(body["spec"])))
        except ValueError as exc:
            return _bad_request(f"spec: {_short(exc)}")
        return 201, fault_json(rule)

    async def _clear_faults(self, request: Request, body: Body) -> tuple[int, Any]:
        cleared = len(self.faults.rules)
        self.faults.clear()
        return 200, {"cleared": cleared}

    async def _reset(self, request: Request, body: Body) -> tuple[int, Any]:
        self.on_reset()
        return 200, state_json(self.state, self.clock, self.faults)

    async def _advance_clock(self, request: Request, body: Body) -> tuple[int, Any]:
        self.clock.advance(float(body["seconds"]))
        return 200, clock_json(self.clock)

    async def _list_deliveries(self, request: Request, body: Body) -> tuple[int, Any]:
        return 200, {
            "items": [delivery_json(d) for d in self.state.deliveries],
            "dropped": self.state.dropped_records.get("deliveries", 0),
        }

    async def _list_violations(self, request: Request, body: Body) -> tuple[int, Any]:
        return 200, {"items": [violation_json(v) for v in self.state.violations]}
