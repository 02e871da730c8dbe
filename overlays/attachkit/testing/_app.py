"""The ASGI application: routes built from the specs at run time, and the pipeline every request goes through.

For an API operation the pipeline is: count it, apply a fault if a rule fires (latency, a status, or a dropped
connection), check the bearer token and scopes, check media type and size, parse the JSON, validate against the
spec, run the operation's handler, render the answer in the vendor's shape, check that answer against the spec,
and send it (or drop the connection after processing). Any exception is logged and recorded, and the server keeps
serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import re
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any, Unpack

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from . import _attachments, _digital_connect, _webex
from ._auth import TokenStore, authorize, issue_token
from ._clock import Clock
from ._config import MockConfig, MockOptions, build_config
from ._contract import Contract, Operation
from ._dialects import (
    DOWNLOAD_PREFIX,
    MOCK,
    OAUTH,
    STORAGE,
    TOKEN_PATH,
    UPLOAD_PREFIX,
    VENDORS,
    Dialect,
    FieldError,
    Problem,
    Vendor,
    dialect_for_path,
)
from ._faults import STANDARD_STATUSES, FaultRule, Faults, parse_fault
from ._handlers import Call, Handler, Reply, Services
from ._state import MockState
from ._storage import BlobStore
from ._transport import DropResponse, body_consumed, mark_consumed

logger = logging.getLogger("attachkit.testing")

HANDLERS: dict[str, Handler] = {**_attachments.HANDLERS, **_digital_connect.HANDLERS, **_webex.HANDLERS}
# Statuses the mock may answer on any operation, documented there or not: they are about the HTTP exchange, not
# the operation. Such a response is checked against a stand-in operation that documents the vendor's error body.
PROTOCOL_STATUSES = frozenset({405, 411, 413, 415})
DRAIN_LIMIT = 16 * 1024 * 1024  # read at most this much of an unwanted body, so the client sees the answer
_PARAM = re.compile(r"{([^}/]+)}")

Outcome = Reply | Problem | Response
Work = Callable[[Request, str | None], Awaitable[Outcome]]


@dataclasses.dataclass(frozen=True)
class ResponseViolation:
    """A response the mock sent (or, in strict mode, replaced with a 500) that its spec does not allow."""

    operation: str
    method: str
    path: str
    status: int
    problems: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class _Binding:
    """What a response is checked against: an operation, or only a vendor's error body, or nothing."""

    vendor: Vendor | None = None
    operation: Operation | None = None
    path: str = ""


def _json_media(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _too_large(limit: int) -> Problem:
    return Problem(413, "entity_too_large", "Request body too large", description=f"the limit is {limit} bytes")


def _malformed(description: str) -> Problem:
    return Problem(400, "invalid_request", "Malformed request body", fields=(FieldError("body", description),))


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def _read_limited(request: Request, limit: int) -> bytes | Problem:
    """The whole body, unless it is longer than ``limit`` (a 413, decided as early as possible)."""
    declared = _declared_length(request)
    if declared is not None and declared > limit:
        return _too_large(limit)
    buffer = bytearray()
    async for chunk in request.stream():
        buffer += chunk
        if len(buffer) > limit:
            return _too_large(limit)
    mark_consumed(request)
    return bytes(buffer)


async def _finish_body(request: Request, response: Response) -> None:
    """Deal with an unread body before answering, so the answer reaches the client.

    A body of known, moderate size is read and dropped: a client still sending would otherwise miss the answer.
    A declared length beyond DRAIN_LIMIT is not waited for (the client may never send it): the answer goes out at
    once with ``Connection: close``.
    """
    if body_consumed(request):
        return
    declared = _declared_length(request)
    if declared is not None and declared > DRAIN_LIMIT:
        response.headers["connection"] = "close"
        return
    total = 0
    with contextlib.suppress(RuntimeError, ClientDisconnect):  # RuntimeError: the stream was already read
        async with contextlib.aclosing(request.stream()) as stream:
            async for chunk in stream:
                total += len(chunk)
                if total > DRAIN_LIMIT:
                    response.headers["connection"] = "close"
                    break


def _example_path(path: str) -> str:
    return _PARAM.sub("x", path)


class MockApp:
    """The mock of both vendors as an ASGI application, with its state, faults and clock at hand.

    Use it in-process (``httpx.ASGITransport(app=mock_app)``) or serve it (:class:`MockServer` does).
    """

    def __init__(self, config: MockConfig | None = None, **options: Unpack[MockOptions]) -> None:
        self.config = build_config(config, options)
        self.clock = Clock()
        self.state = MockState()
        self.contract = Contract(self.config.specs)
        missing = set(self.contract.operations) - set(HANDLERS)
        if missing:
            raise ValueError(f"the specs define operations the mock does not implement: {', '.join(sorted(missing))}")
        self._tokens = TokenStore(self.clock)
        self._tokens.register(self.config.webex_token, "webex")
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if self.config.storage_dir is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="attachkit-mock-")
            directory = Path(self._tempdir.name)
        else:
            directory = Path(self.config.storage_dir)
            directory.mkdir(parents=True, exist_ok=True)
        self.blobs = BlobStore(directory, self.state, self.clock, enforce_mime_types=self.config.enforce_mime_types)
        self.faults = Faults(self.contract.operations, self._documents_status, self._offers_html)
        for fault in self.config.faults:
            self.faults.install(
                dataclasses.replace(fault, fired=0) if isinstance(fault, FaultRule) else parse_fault(fault)
            )
        self._services = Services(self.config, self.state, self.clock, self.blobs, self.contract.operations)
        talkdesk = next(v for v in VENDORS if v.name == "talkdesk")
        self._grantable = self.contract.declared_scopes(talkdesk)
        self._violations: list[ResponseViolation] = []
        self._errors: list[str] = []
        self._asgi = Starlette(
            routes=self._routes(),
            exception_handlers={404: self._unmatched, 405: self._unmatched},
        )
        self._asgi.router.redirect_slashes = False  # a redirect is not something either vendor documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._asgi(scope, receive, send)

    # Public helpers -------------------------------------------------------------------------------------------

    @property
    def response_violations(self) -> list[ResponseViolation]:
        """Responses that did not conform to the spec (only checked when response validation is on)."""
        return list(self._violations)

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions the mock raised while serving (each one is a bug in the mock; the log has the traceback)."""
        return list(self._errors)

    def expire_tokens(self) -> int:
        """Expire every issued Talkdesk token now; returns how many were valid."""
        return self._tokens.expire_all()

    def close(self) -> None:
        """Remove the temporary storage directory, if the mock made one."""
        self.blobs.discard_partials()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> MockApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MockApp({self.config!r})"

    # Routes -----------------------------------------------------------------------------------------------------

    def _routes(self) -> list[BaseRoute]:
        grouped: dict[str, dict[str, Operation]] = {}
        for op in self.contract.operations.values():
            grouped.setdefault(op.route, {})[op.method] = op
        routes: list[BaseRoute] = []
        for template, by_method in grouped.items():
            # Starlette parameter names must be identifiers; OpenAPI's need not be, so rename and map back.
            names: dict[str, str] = {}

            def rename(match: re.Match[str], names: dict[str, str] = names) -> str:
                key = f"p{len(names)}"
                names[key] = match.group(1)
                return "{" + key + "}"

            routes.append(
                Route(_PARAM.sub(rename, template), self._operation_endpoint(by_method, names), methods=list(by_method))
            )
        routes += [
            Route(TOKEN_PATH, self._token_endpoint, methods=["POST"]),
            Route(UPLOAD_PREFIX + "/{token}", self._upload_endpoint, methods=["PUT"]),
            Route(DOWNLOAD_PREFIX + "/{token}", self._download_endpoint, methods=["GET"]),
            Route("/specs/{name}", self._spec_endpoint, methods=["GET"]),
            Route("/", self._index_endpoint, methods=["GET"]),
        ]
        return routes

    def _documents_status(self, target: str, status: int) -> bool:
        op = self.contract.operations.get(target)
        return status in op.statuses if op is not None else status in STANDARD_STATUSES

    def _offers_html(self, target: str, status: int) -> bool:
        op = self.contract.operations.get(target)
        return op is not None and status in op.html_statuses

    # The shared pipeline ------------------------------------------------------------------------------------------

    async def _serve(
        self,
        request: Request,
        operation: str,
        dialect: Dialect,
        binding: _Binding,
        work: Work,
        *,
        record_path: str | None = None,
        faultable: bool = True,
    ) -> Response:
        tracking = dialect.new_tracking_id()
        method = request.method
        path = record_path or request.scope["path"]
        self.state.received(operation)
        rule = self.faults.pick(operation) if faultable else None
        try:
            if rule is not None and rule.latency > 0:
                await asyncio.sleep(rule.latency)
            if rule is not None and rule.drop == "before":
                self.state.finished(operation, method, path, None, "dropped-before")
                return DropResponse()
            if rule is not None and rule.status is not None:
                response = self._respond(self._fault_problem(rule, operation), dialect, tracking, binding, method)
                await _finish_body(request, response)
                self.state.finished(operation, method, path, response.status_code, "faulted")
                return response
            outcome = await work(request, tracking)
        except ClientDisconnect:
            self.state.finished(operation, method, path, None, "client-disconnected")
            return Response(status_code=400)  # nobody is listening any more
        except Exception as exc:  # a bug in the mock: record it, answer, keep serving
            logger.exception("attachkit mock failed on %s %s", method, path)
            self._errors.append(f"{operation}: {type(exc).__name__}: {exc}")
            outcome = Problem(500, "server_error", "Internal Server Error", description="the mock failed; see its log")
        if isinstance(outcome, Response):
            outcome.headers.update(dialect.headers(tracking))
            response = outcome
        else:
            response = self._respond(outcome, dialect, tracking, binding, method)
        await _finish_body(request, response)
        if rule is not None and rule.drop == "after":
            self.state.finished(operation, method, path, None, "dropped-after")
            return DropResponse()
        self.state.finished(operation, method, path, response.status_code, "answered")
        return response

    def _fault_problem(self, rule: FaultRule, target: str) -> Problem:
        status = rule.status or 500
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return Problem(
            status,
            re.sub(r"\W+", "_", phrase.lower()),
            phrase,
            description="injected fault",
            headers=rule.retry_after.headers() if rule.retry_after else {},
            html=self.faults.wants_html(rule, target),
        )

    def _respond(
        self, outcome: Reply | Problem, dialect: Dialect, tracking: str | None, binding: _Binding, method: str
    ) -> Response:
        media: str | None
        if isinstance(outcome, Problem):
            body, media = dialect.render_problem(outcome, tracking)
        else:
            body = b"" if outcome.body is None else json.dumps(outcome.body, separators=(",", ":")).encode()
            media = "application/json" if outcome.body is not None else None
        headers = {**outcome.headers, **dialect.headers(tracking)}
        problems = self._check(binding, outcome.status, headers, body, media or "")
        if problems:
            operation = binding.operation.operation_id if binding.operation else "unmatched"
            violation = ResponseViolation(operation, method, binding.path, outcome.status, tuple(problems))
            self._violations.append(violation)
            logger.error("attachkit mock response violates the spec: %s", violation)
            if self.config.strict_responses:
                failure = Problem(500, "server_error", "Mock response violated the spec", description=problems[0])
                return self._respond(failure, dialect, tracking, _Binding(), method)
        return Response(body, outcome.status, headers, media_type=media)

    def _check(self, binding: _Binding, status: int, headers: Mapping[str, str], body: bytes, media: str) -> list[str]:
        if not self.config.validates_responses or binding.vendor is None:
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
        return document.response_errors(
            other, _example_path(other.path), other_status, all_headers, body or None, media
        )

    # Endpoints ----------------------------------------------------------------------------------------------------

    def _operation_endpoint(
        self, by_method: Mapping[str, Operation], names: Mapping[str, str]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            op = by_method["GET" if request.method == "HEAD" and "HEAD" not in by_method else request.method]
            params = {names[key]: str(value) for key, value in request.path_params.items()}
            binding = _Binding(op.vendor, op, request.scope["path"][len(op.vendor.prefix) :])

            async def work(request: Request, tracking: str | None) -> Outcome:
                return await self._operation(request, op, params, binding.path)

            return await self._serve(request, op.operation_id, op.vendor.dialect, binding, work)

        return endpoint

    async def _operation(self, request: Request, op: Operation, params: dict[str, str], path: str) -> Outcome:
        problem = authorize(op, request.headers.get("authorization"), self._tokens, self.clock)
        if problem is not None:
            return problem
        content_type = request.headers.get("content-type", "")
        raw = b""
        parsed: Any = None
        if op.body_media_types is not None:
            media = content_type.split(";")[0].strip().lower()
            if (media and media not in op.body_media_types) or (not media and _declared_length(request)):
                return Problem(
                    415,
                    "unsupported_media_type",
                    "Unsupported Media Type",
                    description=f"send {', '.join(sorted(op.body_media_types))}",
                )
            read = await _read_limited(request, self.config.max_body_bytes)
            if isinstance(read, Problem):
                return read
            raw = read
            if raw and not media:
                return Problem(
                    415, "unsupported_media_type", "Unsupported Media Type", description="the body has no Content-Type"
                )
            if raw and _json_media(media):
                try:
                    parsed = json.loads(raw, parse_constant=_reject_constant)
                except (ValueError, RecursionError) as exc:
                    return _malformed(f"malformed JSON: {str(exc)[:120]}")
        errors = self.contract.document(op).request_errors(
            op, path, params, request.query_params.multi_items(), request.headers, raw or None, content_type
        )
        if errors:
            return Problem(400, "invalid_request", "Request validation failed", fields=errors)
        self.state.mark_processed(op.operation_id)
        base_url = str(request.base_url).rstrip("/")
        return HANDLERS[op.operation_id](Call(op, parsed, params, request.headers, base_url, self._services))

    async def _token_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            raw = await _read_limited(request, self.config.max_body_bytes)
            if isinstance(raw, Problem):
                return dataclasses.replace(raw, kind="invalid_request")
            self.state.mark_processed("token")
            result = issue_token(
                raw,
                request.headers.get("content-type", ""),
                request.headers.get("authorization"),
                self.config,
                self._grantable,
                self._tokens,
                audience="talkdesk",
            )
            if isinstance(result, Problem):
                return result
            return Reply(200, result, {"Cache-Control": "no-store", "Pragma": "no-cache"})

        return await self._serve(request, "token", OAUTH, _Binding(), work)

    async def _upload_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            token = str(request.path_params["token"])
            if not self.blobs.known_upload(token):
                return Problem(403, "access_denied", "Access Denied", description="unknown upload link")
            length = request.headers.get("content-length")
            if length is None:
                return Problem(
                    411, "missing_content_length", "Length Required", description="Content-Length is required"
                )
            if not length.isdigit():
                return Problem(400, "invalid_argument", "Bad Request", description="Content-Length is not a number")
            if int(length) > self.config.max_upload_bytes:
                return _too_large(self.config.max_upload_bytes)
            self.state.mark_processed("upload")
            stored = await self.blobs.receive(token, request, int(length))
            if isinstance(stored, Problem):
                return stored
            return Reply(200, None, {"ETag": stored.etag or ""})

        return await self._serve(request, "upload", STORAGE, _Binding(), work, record_path=UPLOAD_PREFIX + "/{token}")

    async def _download_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            found = self.blobs.resolve_download(str(request.path_params["token"]))
            if isinstance(found, Problem):
                return found
            self.state.mark_processed("download")
            return FileResponse(found.path, media_type=found.type)

        return await self._serve(
            request, "download", STORAGE, _Binding(), work, record_path=DOWNLOAD_PREFIX + "/{token}"
        )

    async def _spec_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            name = str(request.path_params["name"]).removesuffix(".yaml")
            document = self.contract.documents.get(name)
            if document is None:
                return Problem(404, "not_found", "Not Found", description=f"no spec named {name!r}")
            return Response(document.raw, media_type="application/yaml")

        return await self._serve(request, "spec", MOCK, _Binding(), work, faultable=False)

    async def _index_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            base = str(request.base_url).rstrip("/")
            return Reply(
                200,
                {
                    "talkdesk_base_url": base + next(v.prefix for v in VENDORS if v.name == "talkdesk"),
                    "token_url": base + TOKEN_PATH,
                    "webex_base_url": base + next(v.prefix for v in VENDORS if v.name == "webex"),
                    "specs": [f"{base}/specs/{name}.yaml" for name in self.contract.documents],
                    "operations": {
                        op.operation_id: f"{op.method} {op.route}" for op in self.contract.operations.values()
                    },
                },
            )

        return await self._serve(request, "index", MOCK, _Binding(), work, faultable=False)

    async def _unmatched(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        path = request.scope["path"]
        dialect = dialect_for_path(path)
        vendor = next((v for v in VENDORS if v.dialect is dialect), None)
        kind = "not_found" if status == 404 else "method_not_allowed"
        problem = Problem(
            status, kind, HTTPStatus(status).phrase, description=f"{request.method} {path}"[:200], headers=headers
        )
        if dialect is STORAGE:
            problem = dataclasses.replace(problem, description="no such storage endpoint")
            path = "/storage/..."  # storage paths carry link tokens; keep them out of the record

        async def work(request: Request, tracking: str | None) -> Outcome:
            return problem

        return await self._serve(
            request, "unmatched", dialect, _Binding(vendor), work, record_path=path, faultable=False
        )


def create_app(config: MockConfig | None = None, **options: Unpack[MockOptions]) -> MockApp:
    """Build the mock as an ASGI application, for in-process use (e.g. ``httpx.ASGITransport(app=...)``).

    The returned object is the ASGI app itself, with ``.state``, ``.faults``, ``.clock`` and ``.config``.
    """
    return MockApp(config, **options)
