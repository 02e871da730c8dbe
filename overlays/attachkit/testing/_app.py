"""The ASGI application: the mock of both vendors, built from the specs at run time, with its state at hand.

:class:`MockApp` ties the parts together: the contract (``_contract``), the routes matched to its operations
(``_routing``), the endpoints (``_endpoints``) and the pipeline every request goes through (``_pipeline``): count
it, apply a fault if a rule fires, do the endpoint's work, render the answer in the vendor's shape, check it against
the spec (``_checking``) and send it, or drop the connection. Request bodies are read and drained by ``_bodies``.
With ``upstreams`` configured, the validating proxy (``_proxy``) does the work of the vendors it forwards.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Unpack

import httpx
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from ._auth import TokenStore
from ._checking import ResponseChecker, ResponseViolation
from ._clock import Clock
from ._config import MockConfig, MockOptions, build_config
from ._contract import Contract
from ._control import ControlPlane
from ._deliveries import Deliverer
from ._endpoints import HANDLERS, Endpoints
from ._faults import STANDARD_STATUSES, FaultRule, Faults, parse_fault
from ._handlers import Services
from ._pipeline import Pipeline, recorded_violation
from ._proxy import UpstreamProxy
from ._proxy import Violation as ProxyViolation
from ._state import MockState, RequestRecord
from ._storage import BlobStore

# Request names in the history that are not spec operations.
_OTHER_OPERATIONS = ("token", "upload", "download", "spec", "index", "unmatched")

__all__ = ["MockApp", "ResponseViolation", "create_app"]  # ResponseViolation: imported from here by the package


class MockApp:
    """The mock of both vendors as an ASGI application, with its state, faults and clock at hand.

    Use it in-process (``httpx.ASGITransport(app=mock_app)``) or serve it (:class:`MockServer` does).
    """

    def __init__(self, config: MockConfig | None = None, **options: Unpack[MockOptions]) -> None:
        self.config = build_config(config, options)
        self.clock = Clock()
        self.state = MockState(history_limit=self.config.history_limit, record_limit=self.config.record_limit)
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
        self.deliverer = Deliverer(self.config, self.state, self.faults)
        services = Services(self.config, self.state, self.clock, self.blobs, self.contract.operations, self.deliverer)
        self.proxy: UpstreamProxy | None = None
        """The validating proxy, when ``upstreams`` are configured (its ``report()``, ``summary()``, ``violations``)."""
        if self.config.upstreams:
            self.proxy = UpstreamProxy(
                self.contract,
                self.config.upstreams,
                secrets=[self.config.client_secret, self.config.webex_token, self.config.admin_token],
                record=self.config.record_file,
                timeout=self.config.upstream_timeout,
                on_violation=self._add_violation,
            )
        self._finished = False
        self._checker = ResponseChecker(self.contract, enabled=self.config.validates_responses)
        self._pipeline = Pipeline(self.config, self.state, self.faults, self._checker, self.proxy)
        endpoints = Endpoints(
            self.config,
            self.contract,
            self.state,
            self.clock,
            self._tokens,
            self.blobs,
            services,
            self._pipeline,
            self.proxy,
        )
        self.control = ControlPlane(
            self.config, self.state, self.clock, self.faults, self._pipeline, self._checker.violations, self.reset
        )
        self._asgi = Starlette(
            routes=[*self.control.routes(), *endpoints.routes()],
            exception_handlers={404: endpoints.unmatched, 405: endpoints.unmatched},
        )
        self._asgi.router.redirect_slashes = False  # a redirect is not something either vendor documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._asgi(scope, receive, send)

    @property
    def response_violations(self) -> list[ResponseViolation]:
        """Responses that did not conform to the spec (only checked when response validation is on)."""
        return list(self._checker.violations)

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions the mock raised while serving (each one is a bug in the mock; the log has the traceback)."""
        return list(self._pipeline.errors)

    def expire_tokens(self) -> int:
        """Expire every issued Talkdesk token now; returns how many were valid."""
        return self._tokens.expire_all()

    # Assertions on what was called ----------------------------------------------------------------------------

    def calls(self, operation: str) -> list[RequestRecord]:
        """The requests to ``operation`` the history holds (the last ``history_limit`` of all requests), oldest
        first, headers and bodies redacted. ``operation`` is an operationId or ``token``, ``upload``,
        ``download``, ``spec``, ``index``, ``unmatched``; anything else is a ValueError (a typo never passes)."""
        self._known(operation)
        return [record for record in self.state.history if record.operation == operation]

    def assert_called(self, operation: str, times: int | None = None) -> None:
        """Fail (AssertionError) unless ``operation`` was requested (exactly ``times`` times when given).

        Counts every request received, answered or faulted or dropped, beyond the history's bound too.
        """
        self._known(operation)
        received = self.state.counts(operation).received
        if (received == 0) if times is None else (received != times):
            wanted = "at least once" if times is None else f"{times} time{'s' if times != 1 else ''}"
            seen = ", ".join(f"{op}: {n}" for op, n in sorted(self.state.requests.items())) or "nothing"
            raise AssertionError(f"expected {operation} to be called {wanted}, it was called {received}; seen: {seen}")

    def assert_not_called(self, operation: str) -> None:
        """Fail (AssertionError) if ``operation`` was requested at all."""
        self.assert_called(operation, times=0)

    def _known(self, operation: str) -> None:
        if operation not in self.contract.operations and operation not in _OTHER_OPERATIONS:
            raise ValueError(
                f"no operation {operation!r}; operationIds are those of the specs, or one of "
                f"{', '.join(_OTHER_OPERATIONS)}"
            )

    def asgi_client(self, base_url: str = "http://127.0.0.1") -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` that sends to this app in-process (no socket), for the async clients::

            AsyncWebexClient(access_token=app.config.webex_token, base_url="http://127.0.0.1/webex/v1",
                             http_client=app.asgi_client())

        httpx has no synchronous ASGI transport, so the sync clients need a served mock (:class:`MockServer`).
        In-process, a ``drop-*`` fault raises ``httpx.RemoteProtocolError`` in the caller; webhook deliveries
        still go out over loopback.
        """
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self), base_url=base_url)

    def reset(self) -> None:
        """Back to a fresh mock: every stored record (and its bytes), count, request, delivery and violation is
        forgotten, every fault rule removed, and the clock put back to wall-clock time. The configuration and the
        Talkdesk tokens already issued are kept. ``POST /_mock/reset`` does this."""
        self.state.reset()
        self.faults.clear()
        self.clock.reset()
        self._checker.violations.clear()
        if self.proxy is not None:
            self.proxy.clear()

    async def aclose_upstreams(self) -> None:
        """Close the proxy's connections to its upstreams (in the event loop that served them; the servers do)."""
        if self.proxy is not None:
            await self.proxy.aclose()

    def finish_proxy(self) -> None:
        """In proxy mode: close the record and write ``report_file``. Once; :meth:`close` does it too."""
        if self.proxy is None or self._finished:
            return
        self._finished = True
        if self.proxy.recorder is not None:
            self.proxy.recorder.close()
        if self.config.report_file is not None:
            self.proxy.write_report(self.config.report_file)

    def close(self) -> None:
        """Remove the temporary storage directory, if the mock made one; in proxy mode, close the record and write
        the report (``report_file``)."""
        self.finish_proxy()
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

    def _add_violation(self, violation: ProxyViolation) -> None:
        """A violation the proxy found, into the state (``GET /_mock/violations``); already redacted."""
        self.state.add_violation(recorded_violation(violation))

    def _documents_status(self, target: str, status: int) -> bool:
        op = self.contract.operations.get(target)
        return status in op.statuses if op is not None else status in STANDARD_STATUSES

    def _offers_html(self, target: str, status: int) -> bool:
        op = self.contract.operations.get(target)
        return op is not None and status in op.html_statuses


def create_app(config: MockConfig | None = None, **options: Unpack[MockOptions]) -> MockApp:
    """Build the mock as an ASGI application, for in-process use (e.g. ``httpx.ASGITransport(app=...)``).

    The returned object is the ASGI app itself, with ``.state``, ``.faults``, ``.clock`` and ``.config``.
    """
    return MockApp(config, **options)
