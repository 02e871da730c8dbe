"""Serving the mock: ``MockServer`` (a background thread, for tests and scripts) and ``serve`` (blocking, for the
command line). Both use uvicorn with the protocol that lets faults drop connections for real."""

from __future__ import annotations

import shlex
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from typing import IO, Unpack

import uvicorn

from .._environment import TALKDESK as TALKDESK_ENV
from .._environment import WEBEX as WEBEX_ENV
from ._app import MockApp, ResponseViolation
from ._clock import Clock
from ._config import ConfigOptions, MockConfig, MockOptions
from ._control import CONTROL_PREFIX
from ._dialects import TALKDESK_PREFIX, TOKEN_PATH, WEBEX_PREFIX
from ._faults import FaultRule, Faults
from ._kwargs import TalkdeskKwargs, WebexKwargs
from ._proxy import TOKEN_UPSTREAM, UpstreamProxy, shown_url
from ._state import Delivery, MockState, RequestRecord
from ._transport import TransportExposingProtocol

STARTUP_TIMEOUT = 30.0


class _MockUvicorn(uvicorn.Server):
    """uvicorn's server for a :class:`MockApp`: on shutdown, still in the serving event loop, the proxy's upstream
    connections are closed and ``stopped`` runs (before uvicorn re-raises a SIGTERM, which ends the process)."""

    def __init__(self, config: uvicorn.Config, app: MockApp, stopped: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self.mock = app
        self._stopped = stopped

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().shutdown(sockets=sockets)
        finally:
            await self.mock.aclose_upstreams()
            if self._stopped is not None:
                self._stopped()


class _Server(_MockUvicorn):
    """uvicorn's server, announcing the moment it accepts connections."""

    def __init__(self, config: uvicorn.Config, app: MockApp, ready: threading.Event) -> None:
        super().__init__(config, app)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self._ready.set()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only when the listener names TCP,
    # and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _uvicorn_config(app: MockApp, *, access_log: bool, log_config: bool) -> uvicorn.Config:
    kwargs: dict[str, object] = {} if log_config else {"log_config": None}
    return uvicorn.Config(
        app,
        http=TransportExposingProtocol,
        lifespan="off",
        access_log=access_log,
        timeout_graceful_shutdown=5,
        **kwargs,  # type: ignore[arg-type]
    )


class MockServer:
    """The mock of both vendors, served by uvicorn on a free loopback port in a background thread.

    ::

        with MockServer() as mock:
            client = TalkdeskClient(**mock.talkdesk_kwargs())
            mock.faults.add("send_message", status=429, retry_after=2, times=1)
            ...
            assert len(mock.state.messages) == 1

    Keyword options are :class:`MockConfig` fields (``MockServer(webex_create_status=202)``).
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Unpack[MockOptions],
    ) -> None:
        self.app = MockApp(config, **options)
        self._host = host
        self._port = port
        self._url: str | None = None
        self._thread: threading.Thread | None = None
        self._server: _Server | None = None
        self._failure: BaseException | None = None
        self._stopped = False

    # Lifecycle --------------------------------------------------------------------------------------------------

    def start(self) -> MockServer:
        """Start serving; returns once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the mock server is already running")
        if self._stopped:
            raise RuntimeError("a MockServer runs once (stopping removed its storage); create a new one")
        sock = _bind(self._host, self._port)
        ready = threading.Event()
        server = _Server(_uvicorn_config(self.app, access_log=False, log_config=False), self.app, ready)

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # handed to the thread that waits in start()
                self._failure = exc
            finally:
                sock.close()
                ready.set()  # never leave start() waiting on a server that died

        self._server = server
        self._thread = threading.Thread(target=run, name="attachkit-mock", daemon=True)
        self._url = _url(self._host, sock)
        self._thread.start()
        if not ready.wait(STARTUP_TIMEOUT) or not server.started:
            self.stop()
            raise RuntimeError("the attachkit mock server did not start") from self._failure
        return self

    def stop(self) -> None:
        """Stop serving and remove temporary files; in proxy mode, close the record and write ``report_file``.
        Safe to call twice."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._thread = None
        self._server = None
        self._stopped = True
        self.app.close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Where it is and how to log in --------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:54321``."""
        if self._url is None:
            raise RuntimeError("the mock server is not running; use it as a context manager or call start()")
        return self._url

    @property
    def talkdesk_base_url(self) -> str:
        """Base URL of the Talkdesk APIs (Attachments and Digital Connect)."""
        return self.url + TALKDESK_PREFIX

    @property
    def token_url(self) -> str:
        """The Talkdesk OAuth token endpoint."""
        return self.url + TOKEN_PATH

    @property
    def webex_base_url(self) -> str:
        """Base URL of the Webex API (``.../v1``)."""
        return self.url + WEBEX_PREFIX

    @property
    def account(self) -> str:
        """The Talkdesk account name."""
        return self.app.config.account

    @property
    def client_id(self) -> str:
        """The Talkdesk OAuth client id."""
        return self.app.config.client_id

    @property
    def client_secret(self) -> str:
        """The Talkdesk OAuth client secret."""
        return self.app.config.client_secret

    @property
    def webex_token(self) -> str:
        """The Webex access token the mock accepts."""
        return self.app.config.webex_token

    def talkdesk_kwargs(self) -> TalkdeskKwargs:
        """Keyword arguments for ``TalkdeskClient``: account, client_id, client_secret, base_url, token_url.

        Typed, so ``TalkdeskClient(**mock.talkdesk_kwargs())`` passes ``mypy --strict``.
        """
        return {
            "account": self.account,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "base_url": self.talkdesk_base_url,
            "token_url": self.token_url,
        }

    def webex_kwargs(self) -> WebexKwargs:
        """Keyword arguments for ``WebexClient``: access_token, base_url (typed, like ``talkdesk_kwargs()``)."""
        return {"access_token": self.webex_token, "base_url": self.webex_base_url}

    # What it holds ------------------------------------------------------------------------------------------------

    @property
    def state(self) -> MockState:
        """What the mock stored and the requests it counted."""
        return self.app.state

    @property
    def faults(self) -> Faults:
        """The fault rules (``mock.faults.add(...)``)."""
        return self.app.faults

    @property
    def clock(self) -> Clock:
        """The mock's clock (``mock.clock.advance(601)`` expires ten-minute tokens)."""
        return self.app.clock

    @property
    def config(self) -> MockConfig:
        """The configuration in force."""
        return self.app.config

    @property
    def response_violations(self) -> list[ResponseViolation]:
        """Responses that broke the spec (checked when ``validate_responses`` is on)."""
        return self.app.response_violations

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions the mock raised while serving (bugs in the mock)."""
        return self.app.internal_errors

    @property
    def proxy(self) -> UpstreamProxy | None:
        """The validating proxy when ``upstreams`` are configured (``mock.proxy.report()``), else None."""
        return self.app.proxy

    def expire_tokens(self) -> int:
        """Expire every issued Talkdesk access token now; returns how many were valid."""
        return self.app.expire_tokens()

    def calls(self, operation: str) -> list[RequestRecord]:
        """The requests to ``operation`` in the history, oldest first, redacted (see :meth:`MockApp.calls`)."""
        return self.app.calls(operation)

    def assert_called(self, operation: str, times: int | None = None) -> None:
        """Fail unless ``operation`` was requested (exactly ``times`` times when given)::

        attachkit_mock.assert_called("send_message", times=1)
        """
        self.app.assert_called(operation, times)

    def assert_not_called(self, operation: str) -> None:
        """Fail if ``operation`` was requested at all."""
        self.app.assert_not_called(operation)

    def reset(self) -> None:
        """Back to a fresh mock (records, counts, history, deliveries, faults, clock); see :meth:`MockApp.reset`."""
        self.app.reset()

    @property
    def control_url(self) -> str:
        """The control plane's root (``.../_mock``); its routes need :attr:`admin_token`."""
        return self.url + CONTROL_PREFIX

    @property
    def admin_token(self) -> str:
        """The control plane's bearer token."""
        return self.app.config.admin_token

    # Webhook deliveries -------------------------------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        """The webhook deliveries made so far (``mock.state.deliveries``), in the order they finished."""
        return self.app.state.deliveries

    def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        """Wait until at least ``count`` webhook deliveries have finished (made, failed or dropped by a fault)
        and return them all; TimeoutError after ``timeout`` seconds. Deliveries run in the background, so a test
        waits with this rather than sleeping::

            http.post(f"{mock.webex_base_url}/messages", json={"roomId": "r", "text": "hi"}, headers=auth)
            [delivery] = mock.wait_for_deliveries(1)
        """
        return self.app.state.wait_for_deliveries(count, timeout)

    def wait_until_idle(self, timeout: float = 10.0) -> list[Delivery]:
        """Wait until no webhook delivery is in flight and return every delivery made; TimeoutError after
        ``timeout`` seconds. A delivery is scheduled before the answer that caused it is sent, so after that
        answer this also shows that a delivery did *not* happen (an inactive webhook, a filter that excluded it).
        """
        return self.app.state.wait_until_idle(timeout)

    def __repr__(self) -> str:
        where = self._url or "not running"
        return f"MockServer({where}, account={self.account!r}, client_id={self.client_id!r})"


MOCK_URL_ENV = "ATTACHKIT_MOCK_URL"
MOCK_ADMIN_TOKEN_ENV = "ATTACHKIT_MOCK_ADMIN_TOKEN"  # noqa: S105 - a variable name, not a secret


def export_lines(
    talkdesk_base_url: str, token_url: str, webex_base_url: str, config: MockConfig, mock_url: str | None = None
) -> list[str]:
    """The ``export NAME=value`` lines that point attachkit at a running mock; with ``mock_url``, also the mock's
    root and admin token (``ATTACHKIT_MOCK_URL``, ``ATTACHKIT_MOCK_ADMIN_TOKEN``) for its control plane.

    A vendor the mock proxies (``config.upstreams``) gets its URLs only: its calls go on to the upstream with the
    integration's own, real credentials, which pasting the mock's would overwrite.
    """
    # The same arguments `talkdesk_kwargs()` / `webex_kwargs()` give, under the names the clients read.
    talkdesk: dict[str, str] = {"base_url": talkdesk_base_url, "token_url": token_url}
    if not {"talkdesk", TOKEN_UPSTREAM} & set(config.upstreams):
        talkdesk = {
            "account": config.account,
            "client_id": config.client_id,
            "client_secret": config.client_secret,
            **talkdesk,
        }
    webex = {"base_url": webex_base_url}
    if "webex" not in config.upstreams:
        webex = {"access_token": config.webex_token, **webex}
    values = {TALKDESK_ENV[k]: v for k, v in talkdesk.items()} | {WEBEX_ENV[k]: v for k, v in webex.items()}
    if mock_url is not None:
        values |= {MOCK_URL_ENV: mock_url, MOCK_ADMIN_TOKEN_ENV: config.admin_token}
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]


def _banner(url: str, app: MockApp) -> str:
    rules = [f"    {rule}" for rule in app.faults.rules] or ["    (none)"]
    proxy = app.proxy
    upstreams: list[str] = []
    credentials = "# Local credentials; paste into your shell:"
    if proxy is not None:
        shown = {name: shown_url(target) for name, target in proxy.upstreams.items()}
        if proxy.token_url is not None:
            shown.setdefault(TOKEN_UPSTREAM, shown_url(proxy.token_url))
        upstreams = [
            "  Proxying to (each call checked against the specs; GET /_mock/violations):",
            *(f"    {name:<15} {target}" for name, target in shown.items()),
        ]
        credentials = "# Paste into your shell; a proxied vendor takes your real credentials:"
    lines = [
        f"attachkit mock of Talkdesk and Webex, listening on {url}",
        f"  Talkdesk base URL:   {url}{TALKDESK_PREFIX}",
        f"  Talkdesk token URL:  {url}{TOKEN_PATH}",
        f"  Webex base URL:      {url}{WEBEX_PREFIX}",
        f"  Specs:               {url}/specs/<name>.yaml",
        f"  Control plane:       {url}{CONTROL_PREFIX}/ (bearer $ATTACHKIT_MOCK_ADMIN_TOKEN)",
        *upstreams,
        "  Faults:",
        *rules,
        "",
        credentials,
        *export_lines(url + TALKDESK_PREFIX, url + TOKEN_PATH, url + WEBEX_PREFIX, app.config, url),
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    faults: Iterable[str | FaultRule] = (),
    *,
    config: MockConfig | None = None,
    access_log: bool = False,
    out: IO[str] | None = None,
    **options: Unpack[ConfigOptions],
) -> None:
    """Run the mock until interrupted (Ctrl+C or SIGTERM), printing its URLs and ``export`` lines once it listens.

    ``faults`` are rules or spec strings (``send_message:429:retry-after=2:times=1``), added to the configuration's.
    The access log is off by default: storage URLs carry their link tokens in the path. In proxy mode
    (``upstreams``), stopping prints the proxy's summary to stderr and writes ``report_file``.
    """
    stream = out if out is not None else sys.stdout
    base = config or MockConfig()
    app = MockApp(base, faults=(*base.faults, *faults), **options)
    try:
        sock = _bind(host, port)
    except OSError:
        app.close()
        raise
    url = _url(host, sock)

    def stopped() -> None:
        if app.proxy is not None:
            app.finish_proxy()  # the record closed and the report written before the summary says so
            print(app.proxy.summary(), file=sys.stderr, flush=True)

    class _AnnouncingServer(_MockUvicorn):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            print(_banner(url, app), file=stream, flush=True)

    try:
        _AnnouncingServer(_uvicorn_config(app, access_log=access_log, log_config=True), app, stopped).run(
            sockets=[sock]
        )
    finally:
        sock.close()
        app.close()
