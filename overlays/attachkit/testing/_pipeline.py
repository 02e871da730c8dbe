"""The path every request takes: counted, faulted when a rule fires, worked, rendered, checked, answered or dropped.

An endpoint supplies only its work (a coroutine returning a :class:`Reply`, a :class:`Problem` or a ready
response). Any exception the work raises is logged and recorded, and answered with a 500: the server keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ._bodies import body_read, declared_length, finish_body
from ._checking import Binding, ResponseChecker
from ._config import MockConfig
from ._dialects import Dialect, Problem, to_json
from ._faults import FaultRule, Faults
from ._handlers import Reply
from ._history import Redactor
from ._proxy import PROXIED, UpstreamProxy
from ._proxy import Violation as ProxyViolation
from ._state import Captured, MockState, Violation
from ._transport import DropResponse

logger = logging.getLogger("attachkit.testing")

Outcome = Reply | Problem | Response
Work = Callable[[Request, str | None], Awaitable[Outcome]]  # (request, tracking id) -> outcome


def recorded_violation(violation: ProxyViolation) -> Violation:
    """A violation the proxy found, as the state keeps it (``GET /_mock/violations``, the history); redacted."""
    return Violation(
        violation.direction,
        violation.operation,
        violation.method,
        violation.path,
        violation.status,
        (violation.problem,),
    )


class Pipeline:
    """Serves a request's work with the counting, faults, rendering and response checks every request gets."""

    def __init__(
        self,
        config: MockConfig,
        state: MockState,
        faults: Faults,
        checker: ResponseChecker,
        proxy: UpstreamProxy | None = None,
    ) -> None:
        self.config = config
        self.state = state
        self.faults = faults
        self.checker = checker
        self.proxy = proxy
        self.errors: list[str] = []
        self.redactor = Redactor([config.client_secret, config.webex_token, config.admin_token])

    @property
    def history_redactor(self) -> Redactor:
        """The redaction the history gets: the configured secrets, and in proxy mode every secret the proxy has
        learned from the traffic too (the real credentials passing through, the tokens the upstream issued)."""
        return self.proxy.secrets.redactor() if self.proxy is not None else self.redactor

    async def serve(
        self,
        request: Request,
        operation: str,
        dialect: Dialect,
        binding: Binding,
        work: Work,
        *,
        record_path: str | None = None,
        faultable: bool = True,
        recorded: bool = True,
    ) -> Response:
        """Answer ``request`` with the outcome of ``work``, recorded under ``operation`` (and ``record_path``).

        ``recorded=False`` (the control plane) keeps the request out of the counts and the history.
        """
        started_at, started = time.time(), time.perf_counter()
        tracking = dialect.new_tracking_id()
        method = request.method
        path = record_path or request.scope["path"]

        def finished(status: int | None, outcome: str, response: Response | None = None) -> None:
            if recorded:
                self._record(request, operation, path, status, outcome, response, started_at, started)

        if recorded:
            self.state.received(operation)
        rule = self.faults.pick(operation) if faultable else None
        try:
            if rule is not None and rule.latency > 0:
                await asyncio.sleep(rule.latency)
            if rule is not None and rule.drop == "before":
                finished(None, "dropped-before")
                return DropResponse()
            if rule is not None and rule.status is not None:
                response = self.respond(self._fault_problem(rule, operation), dialect, tracking, binding, method)
                await finish_body(request, response)
                finished(response.status_code, "faulted", response)
                return response
            outcome = await work(request, tracking)
        except ClientDisconnect:
            finished(None, "client-disconnected")
            return Response(status_code=400)  # nobody is listening any more
        except Exception as exc:  # a bug in the mock: record it, answer, keep serving
            logger.exception("attachkit mock failed on %s %s", method, self.redactor.text(path))
            self.errors.append(f"{operation}: {type(exc).__name__}: {exc}")
            outcome = Problem(500, "server_error", "Internal Server Error", description="the mock failed; see its log")
        if isinstance(outcome, PROXIED):
            response = outcome  # the upstream's answer, passed on unchanged: its own tracking id, if any
        elif isinstance(outcome, Response):
            outcome.headers.update(dialect.headers(tracking))
            response = outcome
        else:
            response = self.respond(outcome, dialect, tracking, binding, method)
        await finish_body(request, response)
        if rule is not None and rule.drop == "after":
            finished(None, "dropped-after")
            return DropResponse()
        finished(response.status_code, "answered", response)
        return response

    def _record(
        self,
        request: Request,
        operation: str,
        path: str,
        status: int | None,
        outcome: str,
        response: Response | None,
        started_at: float,
        started: float,
    ) -> None:
        """Put the exchange in the history, secrets redacted (see ``_history``), with the proxy's findings."""
        redact = self.history_redactor
        found = getattr(request.state, "proxy_violations", ())
        violations = tuple(recorded_violation(v) for v in found)
        sent: Captured | None = None
        if response is not None:
            kept = getattr(response, "body", None)  # a file streamed out (FileResponse) has none
            body = bytes(kept) if isinstance(kept, (bytes, memoryview)) else None
            length = response.headers.get("content-length", "")
            sent = redact.capture(response.headers.items(), body, int(length) if length.isdigit() else None)
        self.state.finished(
            operation,
            request.method,
            redact.text(path),
            status,
            outcome,
            started_at=started_at,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            query=redact.text(request.scope.get("query_string", b"").decode("latin-1")),
            request=redact.capture(request.headers.items(), body_read(request), declared_length(request)),
            response=sent,
            violations=violations,
        )

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

    def respond(
        self, outcome: Reply | Problem, dialect: Dialect, tracking: str | None, binding: Binding, method: str
    ) -> Response:
        """The outcome rendered in the dialect's shape, after the response check (strict: a 500 if it fails)."""
        media: str | None
        if isinstance(outcome, Problem):
            body, media = dialect.render_problem(outcome, tracking)
        elif outcome.content is not None:  # a body that is not JSON: a downloaded file
            body, media = outcome.content, outcome.media_type or "application/octet-stream"
        else:
            try:
                body = b"" if outcome.body is None else to_json(outcome.body)
            except (ValueError, TypeError, RecursionError) as exc:
                # Requests carrying NaN, Infinity or deep nesting are refused, so only a bug in the mock gets here:
                # it is recorded and answered like any other, in the vendor's shape, never as a body that is not JSON.
                name = binding.operation.operation_id if binding.operation else "response"
                logger.error("attachkit mock could not serialise its answer on %s %s: %s", method, binding.path, exc)
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                failure = Problem(
                    500, "server_error", "Internal Server Error", description="the mock's answer was not JSON"
                )
                return self.respond(failure, dialect, tracking, binding, method)
            media = "application/json" if outcome.body is not None else None
        headers = {**outcome.headers, **dialect.headers(tracking)}
        problems = self.checker.check(binding, method, outcome.status, headers, body, media or "")
        if problems and self.config.strict_responses:
            failure = Problem(500, "server_error", "Mock response violated the spec", description=problems[0])
            return self.respond(failure, dialect, tracking, Binding(), method)
        return Response(body, outcome.status, headers, media_type=media)
