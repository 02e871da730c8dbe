"""The mock's endpoints: each spec operation, the token endpoint, storage links, the specs, the index, and the
answer for any other path; each one's own work, served through the pipeline.

For an API operation the work is: check the bearer token and scopes, check media type and size, parse the JSON,
validate the request against the spec, and run the operation's handler. In proxy mode (``upstreams``), for a vendor
with an upstream the work is forwarding instead (``_proxy.UpstreamProxy``): the mock checks no credentials of its
own (the upstream decides), and the call goes through the pipeline all the same, so faults and the history apply.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from . import _attachments, _digital_connect, _messages, _webex, _webhooks
from ._auth import TokenStore, authorize, issue_token
from ._bodies import declared_length, json_media, parse_json, read_limited, too_large
from ._checking import Binding
from ._clock import Clock
from ._config import MockConfig
from ._contract import Contract, Operation
from ._dialects import (
    DOWNLOAD_PREFIX,
    MOCK,
    OAUTH,
    STORAGE,
    TOKEN_PATH,
    UPLOAD_PREFIX,
    VENDORS,
    Problem,
    dialect_for_path,
    vendor_for_path,
)
from ._forms import parse_form
from ._handlers import Call, Handler, Reply, Services
from ._pipeline import Outcome, Pipeline
from ._proxy import UpstreamProxy
from ._routing import OperationRoute, operation_routes
from ._state import MockState
from ._storage import BlobStore

HANDLERS: dict[str, Handler] = {
    **_attachments.HANDLERS,
    **_digital_connect.HANDLERS,
    **_webex.HANDLERS,
    **_messages.HANDLERS,
    **_webhooks.HANDLERS,
}
FORM_MEDIA = "multipart/form-data"


class Endpoints:
    """The endpoints of one mock, with what their work needs at hand."""

    def __init__(
        self,
        config: MockConfig,
        contract: Contract,
        state: MockState,
        clock: Clock,
        tokens: TokenStore,
        blobs: BlobStore,
        services: Services,
        pipeline: Pipeline,
        proxy: UpstreamProxy | None = None,
    ) -> None:
        self.config = config
        self.contract = contract
        self.state = state
        self.clock = clock
        self.tokens = tokens
        self.blobs = blobs
        self.services = services
        self.pipeline = pipeline
        self.proxy = proxy
        talkdesk = next(v for v in VENDORS if v.name == "talkdesk")
        self.grantable = contract.declared_scopes(talkdesk)

    def routes(self) -> list[BaseRoute]:
        """The spec operations' routes, then the mock's own."""
        routes: list[BaseRoute] = [
            Route(route.path, self._operation_endpoint(route), methods=list(route.by_method))
            for route in operation_routes(self.contract.operations.values())
        ]
        routes += [
            Route(TOKEN_PATH, self._token_endpoint, methods=["POST"]),
            Route(UPLOAD_PREFIX + "/{token}", self._upload_endpoint, methods=["PUT"]),
            Route(DOWNLOAD_PREFIX + "/{token}", self._download_endpoint, methods=["GET"]),
            Route("/specs/{name}", self._spec_endpoint, methods=["GET"]),
            Route("/", self._index_endpoint, methods=["GET"]),
        ]
        return routes

    def _operation_endpoint(self, route: OperationRoute) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            op = route.operation(request.method)
            params = route.params(request.path_params)
            binding = Binding(op.vendor, op, request.scope["path"][len(op.vendor.prefix) :])
            proxy = self.proxy

            async def work(request: Request, tracking: str | None) -> Outcome:
                if proxy is not None and proxy.handles(op.vendor):
                    self.state.mark_processed(op.operation_id)
                    return await proxy.forward(request, op, binding.path)
                return await self._operation(request, op, params, binding.path)

            return await self.pipeline.serve(request, op.operation_id, op.vendor.dialect, binding, work)

        return endpoint

    async def _operation(self, request: Request, op: Operation, params: dict[str, str], path: str) -> Outcome:
        problem = authorize(op, request.headers.get("authorization"), self.tokens, self.clock)
        if problem is not None:
            return problem
        content_type = request.headers.get("content-type", "")
        raw = b""
        parsed: Any = None
        if op.body_media_types is not None:
            media = content_type.split(";")[0].strip().lower()
            if (media and media not in op.body_media_types) or (not media and declared_length(request)):
                return Problem(
                    415,
                    "unsupported_media_type",
                    "Unsupported Media Type",
                    description=f"send {', '.join(sorted(op.body_media_types))}",
                )
            # A multipart body carries a file (Webex takes up to 100 MB): it may be as large as that plus the other
            # fields, within the upload limit, not only as large as an API body.
            limit = self.config.max_body_bytes
            if media == FORM_MEDIA:
                limit = min(self.config.max_upload_bytes, _messages.MAX_FILE_BYTES + self.config.max_body_bytes)
            read = await read_limited(request, limit)
            if isinstance(read, Problem):
                return read
            raw = read
            if raw and not media:
                return Problem(
                    415, "unsupported_media_type", "Unsupported Media Type", description="the body has no Content-Type"
                )
            if raw and json_media(media):
                parsed, malformed = parse_json(raw)
                if malformed is not None:
                    return malformed
            if raw and media == FORM_MEDIA:
                form = parse_form(raw, content_type)
                if isinstance(form, Problem):
                    return form
                parsed = form
        errors = self.contract.document(op).request_errors(
            op, path, params, request.query_params.multi_items(), request.headers, raw or None, content_type
        )
        if errors:
            return Problem(400, "invalid_request", "Request validation failed", fields=errors)
        self.state.mark_processed(op.operation_id)
        base_url = str(request.base_url).rstrip("/")
        query = dict(request.query_params)
        call = Call(op, parsed, params, request.headers, base_url, self.services, query)
        result = HANDLERS[op.operation_id](call)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def _token_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            if self.proxy is not None and self.proxy.token_url is not None:
                self.state.mark_processed("token")
                return await self.proxy.forward_token(request)
            raw = await read_limited(request, self.config.max_body_bytes)
            if isinstance(raw, Problem):
                return dataclasses.replace(raw, kind="invalid_request")
            self.state.mark_processed("token")
            result = issue_token(
                raw,
                request.headers.get("content-type", ""),
                request.headers.get("authorization"),
                self.config,
                self.grantable,
                self.tokens,
                audience="talkdesk",
            )
            if isinstance(result, Problem):
                return result
            return Reply(200, result, {"Cache-Control": "no-store", "Pragma": "no-cache"})

        return await self.pipeline.serve(request, "token", OAUTH, Binding(), work)

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
                return too_large(self.config.max_upload_bytes)
            self.state.mark_processed("upload")
            stored = await self.blobs.receive(token, request, int(length))
            if isinstance(stored, Problem):
                return stored
            return Reply(200, None, {"ETag": stored.etag or ""})

        return await self.pipeline.serve(
            request, "upload", STORAGE, Binding(), work, record_path=UPLOAD_PREFIX + "/{token}"
        )

    async def _download_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            found = self.blobs.resolve_download(str(request.path_params["token"]))
            if isinstance(found, Problem):
                return found
            self.state.mark_processed("download")
            return FileResponse(found.path, media_type=found.type)

        return await self.pipeline.serve(
            request, "download", STORAGE, Binding(), work, record_path=DOWNLOAD_PREFIX + "/{token}"
        )

    async def _spec_endpoint(self, request: Request) -> Response:
        async def work(request: Request, tracking: str | None) -> Outcome:
            name = str(request.path_params["name"]).removesuffix(".yaml")
            document = self.contract.documents.get(name)
            if document is None:
                return Problem(404, "not_found", "Not Found", description=f"no spec named {name!r}")
            return Response(document.raw, media_type="application/yaml")

        return await self.pipeline.serve(request, "spec", MOCK, Binding(), work, faultable=False)

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

        return await self.pipeline.serve(request, "index", MOCK, Binding(), work, faultable=False)

    async def unmatched(self, request: Request, exc: Exception) -> Response:
        """The answer for a path no route matches (404) or a method the path does not take (405)."""
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
        proxied = vendor_for_path(path)
        proxy = self.proxy if proxied is not None and self.proxy is not None and self.proxy.handles(proxied) else None

        async def work(request: Request, tracking: str | None) -> Outcome:
            if proxy is not None and proxied is not None:  # forwarded all the same, and reported
                return await proxy.forward(request, None, path[len(proxied.prefix) :], vendor=proxied)
            return problem

        return await self.pipeline.serve(
            request, "unmatched", dialect, Binding(vendor), work, record_path=path, faultable=False
        )
