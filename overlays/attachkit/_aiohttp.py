"""The async clients' connections over aiohttp: an httpx transport that sends each request with an aiohttp session.

aiohttp's event-loop I/O costs a fraction of httpcore's per call. This module is the only place attachkit meets
aiohttp; everything above it (auth, retries, deadlines, caps, decoding, typed errors) still sees httpx requests,
responses and exceptions, so each promise of the httpx backend (`attachkit._async.network`) holds here too:

- Retry safety. aiohttp's exceptions become httpx's by what they say about the request: could it have reached
  the server? A failure before the connection was made (DNS, refused, TLS handshake, a proxy's CONNECT) is a
  `ConnectError`/`ConnectTimeout`, which `attachkit._retry` may always retry. Anything once the connection was
  handed over (a disconnect, a reset, a read timeout, a cut body) is a `RemoteProtocolError`/`ReadError`/
  `ReadTimeout`: the server may have acted, so a request that is not idempotent is not sent again. The phase is
  known for certain, not guessed from the exception's type: the connector marks the moment it hands over a
  connection (`_Phase`). aiohttp's own quiet resend of idempotent requests on a dropped keep-alive connection is
  switched off, so `max_retries` counts every attempt. See `_TABLE`.
- Timeouts. Each request's httpx timeouts become an `aiohttp.ClientTimeout`: `connect` for the socket's connect
  (TLS included), `pool` + `connect` for waiting for a free connection and making it, `read` between two reads.
  aiohttp has no write timeout, so a streamed body that makes no progress for `write` seconds is cancelled here
  (`WriteTimeout`). The attempt as a whole is held to its deadline by the retrying transport, which cancels it
  (`_reachable` is false for this transport); connecting ends just before that deadline, so a connection not
  made in time is a `ConnectTimeout` (never sent), as on the httpx backend.
- Bodies. Responses come back undecoded (`auto_decompress=False`), headers as received, chunks as they arrive, so
  attachkit's bounded decoder counts every byte; request streams are streamed with their Content-Length (never
  chunked when a length was declared), a body that yields more or less than it declared is refused (as h11
  does), and a body's own exception (a file that changed while it was read) reaches the caller as itself.
- Proxies. Exactly the httpx backend's rules: `proxy=` for every request, else `HTTP_PROXY`, `HTTPS_PROXY` and
  `ALL_PROXY` read when the client is made, `NO_PROXY` honoured (through `urllib.request`); https goes through
  CONNECT; credentials in the proxy URL become `Proxy-Authorization`. aiohttp's `trust_env` is not used: it
  knows no `ALL_PROXY` and would also read `~/.netrc`.
- TLS. Always verified, with httpx's context (certifi, or `SSL_CERT_FILE`/`SSL_CERT_DIR` when set).
- Event loops. The aiohttp session is made inside the running loop, on first use (clients are often built
  outside any loop). A client used from a later loop (`asyncio.run` twice) makes a new session there and closes
  the old one: at once when its loop is closed (as `asyncio.run` leaves it), else on its own loop when that runs
  again. One loop at a time: the same client may not be used from two loops at once.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import inspect
import urllib.request
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Final

import aiohttp
import httpx
import yarl
from aiohttp.client_reqrep import ClientRequest
from aiohttp.connector import Connection
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.tracing import Trace

from attachkit._deadline import remaining
from attachkit._faces import AsyncBodyStream

# What aiohttp would add on its own; httpx has already set every header the request is to carry.
_SKIP_AUTO_HEADERS: Final = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
_LEFT_TO_AIOHTTP: Final = frozenset({b"transfer-encoding"})  # aiohttp frames the body itself
_HTTP11: Final = b"HTTP/1.1"
_CONNECT_MARGIN: Final = 0.02  # seconds: connecting ends this long before the attempt's deadline (see `_timeout`)

# aiohttp exceptions newer than the oldest aiohttp the extra allows (3.10) fall back to their base class.
_DNS_ERROR: Final[type[Exception]] = getattr(aiohttp, "ClientConnectorDNSError", aiohttp.ClientConnectorError)
_CONNECTION_TIMEOUT: Final[type[Exception]] = getattr(aiohttp, "ConnectionTimeoutError", aiohttp.ServerTimeoutError)
_SOCKET_TIMEOUT: Final[type[Exception]] = getattr(aiohttp, "SocketTimeoutError", aiohttp.ServerTimeoutError)
_NOT_HTTP: Final[type[Exception]] = getattr(aiohttp, "NonHttpUrlClientError", aiohttp.InvalidURL)

Mapped = type[httpx.TransportError]

# aiohttp's exceptions as httpx's, most specific first: (aiohttp's, httpx's before the connection was handed over,
# httpx's after). "Before" means nothing of the request can have reached the server (`_NEVER_SENT` in
# `attachkit._retry`: retried always); "after", that it may have been processed (retried only when idempotent).
_TABLE: Final[tuple[tuple[type[BaseException], Mapped, Mapped], ...]] = (
    # TLS verification or the handshake failed: only the handshake was sent.
    (aiohttp.ClientConnectorCertificateError, httpx.ConnectError, httpx.ConnectError),
    (aiohttp.ClientSSLError, httpx.ConnectError, httpx.ConnectError),
    # The proxy itself could not be reached.
    (aiohttp.ClientProxyConnectionError, httpx.ConnectError, httpx.ConnectError),
    # The name did not resolve.
    (_DNS_ERROR, httpx.ConnectError, httpx.ConnectError),
    # The TCP connect failed (refused, unreachable).
    (aiohttp.ClientConnectorError, httpx.ConnectError, httpx.ConnectError),
    # The proxy refused the CONNECT (as httpcore, a ProxyError: not retried for non-idempotent requests).
    (aiohttp.ClientHttpProxyError, httpx.ProxyError, httpx.ProxyError),
    # Waiting for a free connection, or connecting, took longer than `pool` + `connect` / `connect`.
    (_CONNECTION_TIMEOUT, httpx.ConnectTimeout, httpx.ConnectTimeout),
    # `read` passed with nothing read: the proxy's answer to CONNECT before; the server's answer or body after.
    (_SOCKET_TIMEOUT, httpx.ConnectTimeout, httpx.ReadTimeout),
    (aiohttp.ServerTimeoutError, httpx.ConnectTimeout, httpx.ReadTimeout),
    # The peer closed the connection: the proxy, mid-CONNECT, before; the server, without a (whole) answer, after
    # (httpcore: "Server disconnected without sending a response").
    (aiohttp.ServerDisconnectedError, httpx.ConnectError, httpx.RemoteProtocolError),
    # The body ended before its Content-Length or last chunk, or its framing was broken.
    (aiohttp.ClientPayloadError, httpx.ConnectError, httpx.RemoteProtocolError),
    # The head could not be parsed (status line, headers): the proxy's before, the server's after.
    (aiohttp.ClientResponseError, httpx.ConnectError, httpx.RemoteProtocolError),
    (HttpProcessingError, httpx.ConnectError, httpx.RemoteProtocolError),
    # A reset or a broken pipe (ClientOSError, ClientConnectionResetError, a write that failed).
    (aiohttp.ClientConnectionError, httpx.ConnectError, httpx.ReadError),
    # A URL aiohttp will not send to: nothing was sent.
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (_NOT_HTTP, httpx.UnsupportedProtocol, httpx.UnsupportedProtocol),
    # asyncio's own timeouts, by phase: connecting before, reading after.
    (TimeoutError, httpx.ConnectTimeout, httpx.ReadTimeout),
    # A socket error aiohttp did not wrap.
    (OSError, httpx.ConnectError, httpx.ReadError),
)


def translated(exc: BaseException, *, connected: bool) -> Exception | None:
    """aiohttp's exception as httpx's (the first row of `_TABLE` it matches), or None when it is not one of them.

    `connected`: whether the connection had been handed over to send the request (see `_Phase`).
    """
    if isinstance(exc, httpx.TransportError):
        return exc
    for theirs, before, after in _TABLE:
        if isinstance(exc, theirs):
            return (after if connected else before)(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    return None


class _Phase:
    """Whether the request in hand got a connection: set by `_Connector` when it hands one over."""

    __slots__ = ("connected",)

    def __init__(self) -> None:
        self.connected = False


_PHASE: contextvars.ContextVar[_Phase | None] = contextvars.ContextVar("attachkit_aiohttp_phase", default=None)


class _Connector(aiohttp.TCPConnector):
    """aiohttp's TCP connector, marking the moment a connection (tunnel and TLS included) is handed to a request.

    Until then nothing of the request has been written, so a failure is "never sent". `connect` is awaited in the
    task that sends the request, so the mark is the one `handle_async_request` set in its context.
    """

    async def connect(self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout) -> Connection:
        connection = await super().connect(req, traces, timeout)
        phase = _PHASE.get()
        if phase is not None:
            phase.connected = True
        return connection


class _Watchdog:
    """Ends a request whose streamed body stops moving: aiohttp has no write timeout, httpx's `write` is one.

    The body arms it before handing aiohttp a chunk and disarms it when asked for the next: if aiohttp is still
    writing (the server does not read) when it fires, the request's task is cancelled.
    """

    __slots__ = ("_loop", "_scope", "_seconds")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._loop = asyncio.get_running_loop()
        self._scope: asyncio.Timeout | None = None

    def watch(self, scope: asyncio.Timeout | None) -> None:
        """Cancel through `scope` (entered by the request's task) from now on; None once the request returned."""
        self._scope = scope

    def arm(self) -> None:
        if self._scope is not None:
            self._scope.reschedule(self._loop.time() + self._seconds)

    def disarm(self) -> None:
        if self._scope is not None:
            self._scope.reschedule(None)


class _RequestBody:
    """An httpx request stream as aiohttp's `data=`: streamed, its declared length held, its own failure kept.

    aiohttp writes the body in a task of its own and reports a failure there as a connection error; `error` keeps
    the body's own exception (a file that changed while it was read) so the caller gets that instead.
    """

    __slots__ = ("_length", "_stream", "error", "watchdog")

    def __init__(self, stream: httpx.AsyncByteStream, length: int | None, watchdog: _Watchdog | None) -> None:
        self._stream = stream
        self._length = length
        self.watchdog = watchdog
        self.error: Exception | None = None

    async def chunks(self) -> AsyncIterator[bytes]:
        sent = 0
        watchdog = self.watchdog
        try:
            async for chunk in self._stream:
                if not chunk:
                    continue
                sent += len(chunk)
                if self._length is not None and sent > self._length:
                    raise httpx.LocalProtocolError("Too much data for declared Content-Length")
                if watchdog is not None:
                    watchdog.arm()
                yield chunk
                if watchdog is not None:
                    watchdog.disarm()
            if self._length is not None and sent < self._length:
                raise httpx.LocalProtocolError("Too little data for declared Content-Length")
        except Exception as exc:
            self.error = exc
            raise


Route = tuple[yarl.URL, str | None]
"""A proxy, and the `Proxy-Authorization` value for it."""


class _ResponseBody(AsyncBodyStream):
    """aiohttp's response body as an httpx stream of the bytes as received, with aiohttp's exceptions mapped."""

    __slots__ = ("_response",)

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        try:
            while True:
                chunk = await content.readany()
                if not chunk:
                    return
                yield chunk
        except Exception as exc:
            mapped = translated(exc, connected=True)
            if mapped is None or mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        response = self._response
        if response.content.at_eof():
            released = response.release()  # the connection goes back to the pool
            if inspect.isawaitable(released):
                await released
        else:
            response.close()  # a body left unread: the connection cannot be reused


def _proxy(url: str) -> Route:
    """A proxy URL without its credentials, and the `Proxy-Authorization` value they make (None without)."""
    parsed = httpx.URL(url)
    auth = None
    if parsed.username or parsed.password:
        pair = f"{parsed.username}:{parsed.password}".encode()
        auth = "Basic " + base64.b64encode(pair).decode("ascii")
        parsed = parsed.copy_with(username=None, password=None)
    return yarl.URL(str(parsed), encoded=True), auth


class AiohttpNetwork(httpx.AsyncBaseTransport):
    """The transport under attachkit's retries for the async clients when aiohttp is installed.

    Args:
        proxy: one proxy URL for every request; None to follow the environment.
        limits: the connection limits: `max_connections` (None: no limit) and `keepalive_expiry`. aiohttp keeps
            every idle connection until it expires, so `max_keepalive_connections` has no counterpart.
        trust_env: read proxies (and `SSL_CERT_FILE`/`SSL_CERT_DIR`) from the environment.
    """

    def __init__(self, *, proxy: str | None, limits: httpx.Limits, trust_env: bool = True) -> None:
        self._ssl = httpx.create_ssl_context(trust_env=trust_env)
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timeouts: dict[tuple[float | None, float | None, float | None], aiohttp.ClientTimeout] = {}
        # Read once, like httpx: the environment of the moment the client was made.
        self._explicit = None if proxy is None else _proxy(proxy)
        self._by_scheme: dict[str, Route] = {}
        if proxy is None and trust_env:
            found = urllib.request.getproxies()
            for scheme in ("http", "https"):
                url = found.get(scheme) or found.get("all")
                if url:
                    self._by_scheme[scheme] = _proxy(url)

    def route(self, url: httpx.URL) -> Route | None:
        """The proxy a request to `url` goes through (and its credentials), or None for a direct connection."""
        if self._explicit is not None:
            return self._explicit
        proxy = self._by_scheme.get(url.scheme)
        if proxy is None or urllib.request.proxy_bypass(url.host):
            return None
        return proxy

    async def _session_here(self) -> aiohttp.ClientSession:
        """The session of the running loop, made there on first use (and after a change of loop)."""
        loop = asyncio.get_running_loop()
        session = self._session
        if session is not None and self._loop is loop:
            return session
        old, old_loop = session, self._loop
        connector = _Connector(
            limit=self._limits.max_connections or 0,
            limit_per_host=0,
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # cookies are the httpx client's business
            auto_decompress=False,  # attachkit's decoder counts the decoded bytes against the cap
            trust_env=False,  # proxies are routed here, by httpx's rules
            skip_auto_headers=_SKIP_AUTO_HEADERS,
            timeout=aiohttp.ClientTimeout(),
        )
        # aiohttp resends an idempotent request once when a kept-alive connection fails; attachkit's retries decide.
        # (A private switch, used only where this aiohttp has it; an aiohttp without it keeps that resend.)
        if "_retry_connection" in getattr(aiohttp.ClientSession, "ATTRS", ()):
            session._retry_connection = False
        self._session, self._loop = session, loop  # before any await: concurrent first calls share one session
        if old is not None and old_loop is not None:
            await _close_elsewhere(old, old_loop)
        return session

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        """The request's httpx timeouts as aiohttp's, connecting held inside the attempt's deadline.

        The retrying transport cancels an attempt at its deadline and calls that a `ReadTimeout` (the request may
        have left). A connection still not made then never carried the request, so connecting is given a little
        less than what is left: it ends first, as the `ConnectTimeout` it is, and is retried like the httpx
        backend's. Without a deadline (streamed transfers) the objects are reused, one per set of timeouts.
        """
        given = request.extensions.get("timeout")
        timeout: dict[str, Any] = given if isinstance(given, dict) else {}
        connect, read, pool = timeout.get("connect"), timeout.get("read"), timeout.get("pool")
        waiting = None if connect is None or pool is None else pool + connect
        left = remaining()
        if left is not None:
            budget = max(left - _CONNECT_MARGIN, 0.001)
            return aiohttp.ClientTimeout(
                total=None,
                connect=budget if waiting is None else min(waiting, budget),
                sock_connect=budget if connect is None else min(connect, budget),
                sock_read=None,  # the attempt is cancelled at its deadline, which no single read can outlast
            )
        key = (connect, read, pool)
        found = self._timeouts.get(key)
        if found is None:
            if len(self._timeouts) > 64:
                self._timeouts.clear()
            found = aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect, sock_read=read)
            self._timeouts[key] = found
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = await self._session_here()
        url = request.url
        if url.userinfo:
            url = url.copy_with(username=None, password=None)
        encoding = request.headers.encoding  # worked out once: `multi_items()` works it out for every header
        headers = [
            (name.decode(encoding), value.decode(encoding))
            for name, value in request.headers.raw
            if name.lower() not in _LEFT_TO_AIOHTTP
        ]
        body: _RequestBody | None = None
        stream = request.stream
        data: Any
        if isinstance(stream, httpx.ByteStream):
            data = b"".join(stream) or None
        elif isinstance(stream, httpx.AsyncByteStream):
            length = request.headers.get("content-length")
            timeout = request.extensions.get("timeout")
            write = timeout.get("write") if isinstance(timeout, dict) else None
            body = _RequestBody(
                stream,
                int(length) if length is not None and length.isdigit() else None,
                _Watchdog(write) if isinstance(write, int | float) else None,
            )
            data = body.chunks()
        else:
            raise RuntimeError("attachkit's aiohttp transport sends async request bodies only")
        proxy: yarl.URL | None = None
        proxy_headers: dict[str, str] | None = None
        route = self.route(request.url)
        if route is not None:
            proxy, auth = route
            if auth is not None:
                # To the proxy: on the CONNECT of a tunnel; on the request itself when it is forwarded.
                if request.url.scheme == "https":
                    proxy_headers = {"Proxy-Authorization": auth}
                else:
                    headers.append(("Proxy-Authorization", auth))
        send = session.request(
            request.method,
            yarl.URL(str(url), encoded=True),
            headers=headers,
            data=data,
            allow_redirects=False,
            proxy=proxy,
            proxy_headers=proxy_headers,
            timeout=self._timeout(request),
        )
        phase = _Phase()
        token = _PHASE.set(phase)
        try:
            if body is not None and body.watchdog is not None:
                response = await _watched(send, body.watchdog)
            else:
                response = await send
        except Exception as exc:
            if body is not None and body.error is not None:
                raise body.error from None  # the body's own failure, let through as the httpx backend does
            mapped = translated(exc, connected=phase.connected)
            if mapped is None or mapped is exc:
                raise
            raise mapped from exc
        finally:
            _PHASE.reset(token)
        status = response.status
        if (status < 200 and status != 101) or "Transfer-Encoding" in response.headers:
            _refuse_framing(response)
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_ResponseBody(response),
            extensions={"http_version": _HTTP11, "reason_phrase": (response.reason or "").encode("latin-1", "replace")},
        )

    async def aclose(self) -> None:
        session, loop = self._session, self._loop
        self._session = self._loop = None
        if session is None or loop is None:
            return
        if loop is asyncio.get_running_loop():
            await session.close()
        else:
            await _close_elsewhere(session, loop)


def _refuse_framing(response: aiohttp.ClientResponse) -> None:
    """Refuse what aiohttp reads leniently and httpx (h11) does not, so both backends fail alike: a status below
    100 or an informational one as the final answer, and a transfer coding other than `chunked` alone (aiohttp
    would read such a body until the connection closes, still encoded)."""
    status = response.status
    if status < 200 and status != 101:
        response.close()
        raise httpx.RemoteProtocolError(f"the server answered with status {status:03d}, not a final response")
    codings = [c.strip().lower() for v in response.headers.getall("Transfer-Encoding") for c in v.split(",")]
    if codings != ["chunked"]:
        response.close()
        raise httpx.RemoteProtocolError(f"unsupported Transfer-Encoding: {', '.join(codings)}")


async def _watched(send: Awaitable[aiohttp.ClientResponse], watchdog: _Watchdog) -> aiohttp.ClientResponse:
    """`send`, cancelled when its streamed body stops moving for the write timeout (`WriteTimeout`)."""
    scope = asyncio.timeout(None)
    try:
        async with scope:
            watchdog.watch(scope)
            try:
                return await send
            finally:
                watchdog.watch(None)
    except TimeoutError:
        if scope.expired():
            raise httpx.WriteTimeout("the request body made no progress within the write timeout") from None
        raise


async def _close_elsewhere(session: aiohttp.ClientSession, loop: asyncio.AbstractEventLoop) -> None:
    """Close a session of another loop than the running one: now when that loop is closed (its connections can only
    be let go), else on that loop the next time it runs."""
    if session.closed:
        return
    if loop.is_closed():
        await session.close()  # with its loop closed, this only marks it closed: nothing is left to wait for
    else:
        loop.call_soon_threadsafe(lambda: loop.create_task(session.close()))
