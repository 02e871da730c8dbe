"""The httpx clients attachkit hands to the generated code: one place for auth, retries, timeouts and errors.

Each attachkit client owns one connection pool. On top of it sit two httpx clients: the API client
(with the auth flow) and the storage client (no auth, for pre-signed upload and download URLs that
live outside the APIs). Both send through the retrying transport, and both turn every failure into
an `attachkit.errors` exception before the generated code sees a response, so the generated parsers
only ever meet the successes they were written for. `AsyncSession` hands the lot to the resources.
"""

from __future__ import annotations

import contextlib
from http import HTTPStatus
from typing import Any, Final

import attrs
import httpx

from attachkit._attempts import Attempts
from attachkit._clock import Clock
from attachkit._config import DEFAULT_LIMITS, USER_AGENT, Settings
from attachkit._error_mapping import connection_error, error_from_response
from attachkit._exchange import record
from attachkit._join import JoinPaths
from attachkit._retry import RetryPolicy
from attachkit._vendors import STORAGE, Vendor
from attachkit.errors import ValidationError

_KNOWN_STATUSES: Final = frozenset(s.value for s in HTTPStatus)


def _documented_success(status: int) -> bool:
    return 200 <= status < 300 and status in _KNOWN_STATUSES


class AsyncAPIClient(JoinPaths, httpx.AsyncClient):
    """An httpx client that raises `attachkit.errors` instead of returning error responses."""

    def __init__(self, *, vendor: Vendor, clock: Clock, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._vendor = vendor
        self._clock = clock
        self._prefix = str(self.base_url).rstrip("/") + "/"

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            response = await super().send(request, **kwargs)
        except httpx.TransportError as exc:
            raise connection_error(exc, request) from exc
        try:
            if not _documented_success(response.status_code):
                await response.aread()
                raise error_from_response(self._vendor, response, now=self._clock.time())
        except BaseException:
            await response.aclose()
            raise
        record(response)
        return response


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Sends through `inner`, retrying as `policy` says and waiting through `clock`.

    It sits under httpx's auth flow, so a retried request keeps its Authorization header and its
    idempotency key, and a 401 is left for the auth flow to refresh.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy, clock: Clock, vendor: Vendor) -> None:
        self._inner = inner
        self._policy = policy
        self._clock = clock
        self._vendor = vendor

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = Attempts.begin(self._policy, self._clock, self._vendor, request)
        while True:
            attempts.next()
            try:
                response = await self._inner.handle_async_request(request)
            except Exception as exc:
                decision = attempts.on_exception(exc)
                if not decision.retry:
                    raise
            else:
                decision = attempts.on_response(response)
                if not decision.retry:
                    return response
                # Drain the (small) error body so the connection goes back to the pool.
                with contextlib.suppress(httpx.HTTPError):
                    await response.aread()
                await response.aclose()
            await self._clock.asleep(decision.wait)

    async def aclose(self) -> None:
        await self._inner.aclose()


class AsyncUnowned(httpx.AsyncBaseTransport):
    """Wraps a transport that belongs to someone else, so closing attachkit's client leaves it open."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


@attrs.frozen
class AsyncSession:
    """What a client hands its resources: its settings and its two httpx clients.

    Attributes:
        settings: the client's checked configuration.
        api: the API client (auth, retries, typed errors); the generated code sends through it.
        storage: the client for pre-signed storage URLs (no auth; retries and typed errors).
    """

    settings: Settings
    api: AsyncAPIClient
    storage: AsyncAPIClient


def _inner_transport(http_client: httpx.AsyncClient | None) -> httpx.AsyncBaseTransport:
    if http_client is None:
        # TLS verification stays on: attachkit has no switch to turn it off.
        return httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS)
    if not isinstance(http_client, httpx.AsyncClient):
        raise ValidationError("http_client", f"must be an {httpx.AsyncClient.__name__}")
    # Send through the caller's transport (its pool, proxies and TLS settings); the caller keeps
    # ownership of `http_client` and closes it.
    return AsyncUnowned(http_client._transport)


def connect(settings: Settings, auth: httpx.Auth, http_client: httpx.AsyncClient | None) -> AsyncSession:
    """The session of a client: the API client and the storage client, sharing one pool."""
    inner = _inner_transport(http_client)
    api_transport = AsyncRetryTransport(inner, settings.retry, settings.clock, settings.vendor)
    storage_transport = AsyncUnowned(AsyncRetryTransport(inner, settings.retry, settings.clock, STORAGE))
    common: dict[str, Any] = {
        "timeout": settings.timeout,
        "headers": {"User-Agent": USER_AGENT},
        "clock": settings.clock,
    }
    api = AsyncAPIClient(
        vendor=settings.vendor, base_url=settings.base_url, auth=auth, transport=api_transport, **common
    )
    storage = AsyncAPIClient(vendor=STORAGE, transport=storage_transport, **common)
    return AsyncSession(settings=settings, api=api, storage=storage)
