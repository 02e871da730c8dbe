"""The httpx clients attachkit hands to the generated code: one place for auth, retries, timeouts and errors.

Each attachkit client owns one connection pool (`AsyncNetwork`), or sends through the caller's own httpx
client. On top sit two httpx clients: the API client (with the auth flow) and the storage client (no auth,
for pre-signed upload and download URLs that live outside the APIs). Both send through the retrying
transport, which holds each attempt to its deadline and reads each answer whole up to a cap, and both turn
every failure into an `attachkit.errors` exception before the generated code sees a response, so the
generated parsers only ever meet the successes they were written for. `AsyncSession` hands the lot to the
resources.
"""

from __future__ import annotations

import contextlib
import datetime
import time
import zlib
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Final

import attrs
import httpx

from attachkit._async.network import AsyncNetwork
from attachkit._attempts import Attempts, extra_headers
from attachkit._clock import Clock
from attachkit._config import (
    USER_AGENT,
    Settings,
    Timeout,
    check_headers,
    check_max_retries,
    check_timeout,
)
from attachkit._cooldown import Cooldown
from attachkit._deadline import STREAMED, UPLOAD, deadline, expired
from attachkit._decoding import ACCEPT_ENCODING, BodyTooLarge, CappedBody, TruncatedBody, UnsupportedEncoding
from attachkit._error_mapping import connection_error, error_from_response, redact_url
from attachkit._exchange import record, remember_json
from attachkit._faces import AsyncAttemptTimeout, AsyncBodyStream, async_default_network
from attachkit._join import join
from attachkit._retry import RetryPolicy
from attachkit._vendors import STORAGE, Vendor
from attachkit.errors import APIConnectionError, ResponseTooLargeError, ValidationError

_KNOWN_STATUSES: Final = frozenset(s.value for s in HTTPStatus)
_NO_AUTH: Final = httpx.Auth()  # the base class passes requests through untouched
_SPENT: Final = httpx.ByteStream(b"")  # the stream of an answer read whole (see `AsyncAPIClient.send`)


def _documented_success(status: int) -> bool:
    return 200 <= status < 300 and status in _KNOWN_STATUSES


class AsyncAPIClient(httpx.AsyncClient):
    """An httpx client that raises `attachkit.errors` instead of returning error responses.

    It sends its requests itself, through the same public steps as `httpx.AsyncClient.send` (the auth flow,
    the transport, the cookie jar), leaving out what this client never uses: event hooks, redirects (a 3xx is
    an error here) and the response-bound stream. That is about a tenth of the CPU of a call. Nor does it
    log each request on the `httpx` logger at INFO, with the whole URL (a pre-signed storage link's signature
    with it): the `attachkit` logger has each attempt, its URL redacted. An `auth=` or `follow_redirects=True`
    given per request goes through httpx's own `send`.
    """

    def __init__(self, *, vendor: Vendor, clock: Clock, transport: httpx.AsyncBaseTransport, **kwargs: Any) -> None:
        super().__init__(transport=transport, **kwargs)
        self._vendor = vendor
        self._clock = clock
        self._sender = transport  # httpx keeps its own reference privately
        self._prefix = str(self.base_url).rstrip("/") + "/"

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        return super().build_request(method, join(self._prefix, url), **kwargs)

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        for name, value in extra_headers():  # the call's extra_headers=, over the client's default_headers=
            request.headers[name] = value
        redirects = self.follow_redirects if follow_redirects is httpx.USE_CLIENT_DEFAULT else follow_redirects
        try:
            if auth is httpx.USE_CLIENT_DEFAULT and not redirects:
                response = await self._send_direct(request, stream=stream)
            else:
                response = await super().send(request, stream=stream, auth=auth, follow_redirects=follow_redirects)
        except httpx.TransportError as exc:
            raise connection_error(exc, request) from exc
        try:
            if not _documented_success(response.status_code):
                await response.aread()
                raise error_from_response(self._vendor, response, now=self._clock.time())
        except BaseException:
            await response.aclose()
            raise
        if not stream:  # read whole: the parser's decoding is kept for the contract check
            remember_json(response)
            # Read whole and closed, the stream is spent: dropping it leaves no reference cycle, so each answer
            # (headers, request and all) is freed as soon as it is dropped, not by the cyclic collector.
            response.stream = _SPENT
        record(response)
        return response

    async def _send_direct(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        """httpx's auth loop: the flow may answer a response with another request (a refreshed token)."""
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        if "timeout" not in request.extensions:
            request.extensions = {**request.extensions, "timeout": self.timeout.as_dict()}
        flow = (self.auth or _NO_AUTH).async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                response = await self._send_once(request, stream=stream)
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
                except BaseException:
                    await response.aclose()
                    raise
                await response.aread()  # the superseded answer, drained so its connection is reused
                await response.aclose()
        finally:
            await flow.aclose()

    async def _send_once(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self._sender.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx does, for whoever reads it
            raise
        response.request = request
        try:
            if "set-cookie" in response.headers:  # what the jar would read; skipped when absent, as it does nothing
                self.cookies.extract_cookies(response)
            if not stream:
                await response.aread()
                response.elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
        except BaseException:
            await response.aclose()
            raise
        return response


def _attempt_seconds(request: httpx.Request) -> float | None:
    """How long one attempt may take as a whole: the request's read timeout, the headline `timeout=`.

    Streamed transfers have none; their per-operation timeouts end a stall without capping a large file.
    """
    if request.extensions.get(STREAMED) or request.extensions.get(UPLOAD):
        return None
    timeout = request.extensions.get("timeout", {})
    read = timeout.get("read") if isinstance(timeout, dict) else None
    return read if isinstance(read, (int, float)) else None  # a tuple, not `int | float`: no union built per call


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Sends through `inner`, retrying as `policy` says and waiting through `clock`.

    It sits under httpx's auth flow, so a retried request keeps its Authorization header and its
    idempotency key, and a 401 is left for the auth flow to refresh. Each attempt runs under its deadline;
    unless the request is streamed, the answer is read whole within it, decompressed, up to `cap` bytes.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy,
        clock: Clock,
        vendor: Vendor,
        cap: int,
        cooldown: Cooldown,
    ) -> None:
        self._inner = inner
        self._policy = policy
        self._clock = clock
        self._vendor = vendor
        self._cap = cap
        self._cooldown = cooldown
        # attachkit's own network holds each socket operation to the deadline; another transport (a caller's
        # http_client) is cancelled at it where the face allows (async), and checked between reads otherwise.
        self._reachable = isinstance(_unwrapped(inner), AsyncNetwork)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = Attempts.begin(self._policy, self._clock, self._vendor, request)
        streamed = bool(request.extensions.get(STREAMED))
        host = request.url.host
        while True:
            attempts.next()
            # Waited out until no pause is left: an answer that arrives meanwhile may lengthen it.
            while (pause := self._cooldown.wait(host, self._clock.monotonic())) > 0:
                attempts.cooling_down(pause)  # raises RateLimitError when the pause is longer than we wait
                await self._clock.asleep(pause)
            try:
                seconds = _attempt_seconds(request)
                with deadline(seconds):
                    # Our own sockets already stop at the deadline; other transports are cancelled at it.
                    async with AsyncAttemptTimeout(None if self._reachable else seconds):
                        response = await self._inner.handle_async_request(request)
                        if not streamed:
                            response = await self._read_whole(request, response)
            except Exception as exc:
                decision = attempts.on_exception(exc)
                if not decision.retry:
                    raise
            else:
                decision = attempts.on_response(response)
                if attempts.asked_pause is not None:
                    self._cooldown.hold(host, self._clock.monotonic() + attempts.asked_pause)
                if not decision.retry:
                    return response
                # Drain what is left of the body so the connection goes back to the pool.
                with contextlib.suppress(httpx.HTTPError):
                    await response.aread()
                await response.aclose()
            await self._clock.asleep(decision.wait)

    async def _read_whole(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """The answer with its body read, decompressed and capped, held in memory for httpx to hand on.

        The transport's stream is read directly and replaced by the bytes, so the response object stays the
        one the transport made; when the body was decompressed, its headers say what it now is.
        """
        if response.is_stream_consumed:
            # Already in memory (a caller's transport that reads answers itself): only the cap is left.
            if len(response.content) > self._cap:
                raise self._too_large(request, response)
            return response
        stream = response.stream
        assert isinstance(stream, AsyncBodyStream)
        encoding = response.headers.get("content-encoding", "")
        # attachkit's own sockets stop at the deadline themselves; a caller's http_client is checked between reads.
        watch = not self._reachable
        try:
            if encoding:
                body = CappedBody(encoding, self._cap)
                async for chunk in stream:
                    body.feed(chunk)
                    if watch and expired():
                        raise httpx.ReadTimeout("the attempt's deadline passed while the body was arriving")
                data = body.value()
            else:  # the common case, without a decoder in the way
                parts: list[bytes] = []
                size = 0
                async for chunk in stream:
                    size += len(chunk)
                    if size > self._cap:
                        raise BodyTooLarge(self._cap)
                    parts.append(chunk)
                    if watch and expired():
                        raise httpx.ReadTimeout("the attempt's deadline passed while the body was arriving")
                data = b"".join(parts)
        except BodyTooLarge:
            raise self._too_large(request, response) from None
        except (UnsupportedEncoding, TruncatedBody, zlib.error) as exc:
            raise APIConnectionError(
                f"the {response.status_code} answer's body could not be decoded ({type(exc).__name__}: {exc})",
                method=request.method,
                url=redact_url(request.url),
            ) from None
        finally:
            await stream.aclose()
        if encoding:
            del response.headers["content-encoding"]
            response.headers["content-length"] = str(len(data))
        response.stream = httpx.ByteStream(data)
        return response

    def _too_large(self, request: httpx.Request, response: httpx.Response) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"the {response.status_code} answer is larger than max_response_bytes={self._cap} once decompressed",
            method=request.method,
            url=redact_url(request.url),
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """Sends through a caller's httpx client, so its proxies, mounts, TLS, headers and event hooks apply.

    attachkit's auth, retries, caps and errors still apply on top; the caller owns the client and closes
    it. Its default headers fill in what attachkit did not set. attachkit cannot reach the sockets of a
    client it did not make, so there the deadline is checked between reads rather than at each of them.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for name, value in self._client.headers.multi_items():
            if name not in request.headers:
                request.headers[name] = value
        return await self._client.send(request, stream=True, auth=_NO_AUTH, follow_redirects=False)


class AsyncUnowned(httpx.AsyncBaseTransport):
    """Wraps a transport that belongs to someone else, so closing attachkit's client leaves it open."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)


def _unwrapped(transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    """The transport inside any `AsyncUnowned` wrappers."""
    while isinstance(transport, AsyncUnowned):
        transport = transport.inner
    return transport


@attrs.frozen
class AsyncSession:
    """What a client hands its resources: its settings and its two httpx clients.

    Attributes:
        settings: the client's checked configuration.
        api: the API client (auth, retries, typed errors); the generated code sends through it.
        storage: the client for pre-signed storage URLs (no auth; retries and typed errors).
        owner: whether closing this session closes the connection pool (a `with_options` copy does not).
    """

    settings: Settings
    api: AsyncAPIClient
    storage: AsyncAPIClient
    owner: bool
    _inner: httpx.AsyncBaseTransport = attrs.field(alias="inner", repr=False)
    _auth: httpx.Auth = attrs.field(alias="auth", repr=False)
    _cooldown: Cooldown = attrs.field(alias="cooldown", repr=False)

    def with_options(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> AsyncSession:
        """A session over the same pool, auth (and so token cache) and cooldown, with some settings changed."""
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = check_timeout(timeout)
        if max_retries is not None:
            changes["retry"] = attrs.evolve(self.settings.retry, max_retries=check_max_retries(max_retries))
        if default_headers is not None:
            new = check_headers(default_headers, "default_headers")
            replaced = {name.lower() for name, _ in new}  # header names are case-insensitive
            kept = tuple((name, value) for name, value in self.settings.default_headers if name.lower() not in replaced)
            changes["default_headers"] = kept + new
        settings = attrs.evolve(self.settings, **changes)
        return _assemble(settings, AsyncUnowned(_unwrapped(self._inner)), self._auth, self._cooldown, owner=False)

    async def aclose(self) -> None:
        """Close the connection pool, when this session owns it."""
        if self.owner:
            await self.api.aclose()


def _inner_transport(settings: Settings, http_client: httpx.AsyncClient | None) -> httpx.AsyncBaseTransport:
    if http_client is None:
        # TLS verification stays on: attachkit has no switch to turn it off.
        return async_default_network(settings)
    if not isinstance(http_client, httpx.AsyncClient):
        raise ValidationError("http_client", f"must be an {httpx.AsyncClient.__name__}")
    if settings.proxy is not None:
        raise ValidationError("proxy", "give the proxy to your http_client, or leave http_client out")
    return AsyncClientTransport(http_client)


def connect(settings: Settings, auth: httpx.Auth, http_client: httpx.AsyncClient | None) -> AsyncSession:
    """The session of a client: the API client and the storage client, sharing one pool."""
    return _assemble(settings, _inner_transport(settings, http_client), auth, Cooldown(), owner=True)


def _assemble(
    settings: Settings, inner: httpx.AsyncBaseTransport, auth: httpx.Auth, cooldown: Cooldown, *, owner: bool
) -> AsyncSession:
    cap = settings.max_response_bytes
    api_transport = AsyncRetryTransport(inner, settings.retry, settings.clock, settings.vendor, cap, cooldown)
    # One cooldown for both: it is kept per host, and storage hosts are not the API's.
    storage_transport = AsyncUnowned(AsyncRetryTransport(inner, settings.retry, settings.clock, STORAGE, cap, cooldown))
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    common: dict[str, Any] = {
        "timeout": settings.timeout,
        "clock": settings.clock,
        "trust_env": False,  # the environment's proxies are the inner transport's business
    }
    api = AsyncAPIClient(
        vendor=settings.vendor,
        base_url=settings.base_url,
        auth=auth,
        transport=api_transport,
        headers={**headers, **dict(settings.default_headers)},
        **common,
    )
    storage = AsyncAPIClient(vendor=STORAGE, transport=storage_transport, headers=headers, **common)
    return AsyncSession(
        settings=settings, api=api, storage=storage, owner=owner, inner=inner, auth=auth, cooldown=cooldown
    )
