"""The httpx clients attachkit hands to the generated code: one place for auth, retries, timeouts and errors.

Each attachkit client owns one connection pool. On top of it sit two httpx clients: the API client
(with the auth flow) and the storage client (no auth, for pre-signed upload and download URLs that
live outside the APIs). Both send through the retrying transport, and both turn every failure into
an `attachkit.errors` exception before the generated code sees a response, so the generated parsers
only ever meet the successes they were written for.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import os
from http import HTTPStatus
from typing import Any, Final

import attrs
import httpx

from ._clock import Clock, SystemClock
from ._retry import RetryPolicy
from ._transport import AsyncRetryTransport, RetryTransport, check_max_retries, check_timeout
from ._vendors import STORAGE, Vendor
from ._version import __version__
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ValidationError,
    error_from_response,
    redact_url,
)

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)
USER_AGENT: Final = f"attachkit/{__version__} python-httpx/{httpx.__version__}"
_KNOWN_STATUSES: Final = frozenset(s.value for s in HTTPStatus)


@attrs.frozen
class Settings:
    """What every attachkit client is configured with, once checked."""

    vendor: Vendor
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    clock: Clock


def make_settings(
    *,
    vendor: Vendor,
    base_url: str,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    allow_insecure_http: bool,
) -> Settings:
    """Check and combine a client's constructor arguments."""
    configure_logging_from_env()
    policy = retry or RetryPolicy()
    if max_retries is not None:
        policy = attrs.evolve(policy, max_retries=check_max_retries(max_retries))
    return Settings(
        vendor=vendor,
        base_url=check_url(base_url, "base_url", allow_insecure_http=allow_insecure_http),
        timeout=DEFAULT_TIMEOUT if timeout is None else check_timeout(timeout),
        retry=policy,
        clock=clock or SystemClock(),
    )


def check_url(url: str, field: str, *, allow_insecure_http: bool) -> str:
    """Refuse anything but https, except plain http to loopback or when explicitly allowed."""
    if not isinstance(url, str) or not url:
        raise ValidationError(field, "must be a non-empty URL")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValidationError(field, f"is not a valid URL ({exc})") from None
    if parsed.scheme == "https" and parsed.host:
        return url.rstrip("/")
    if parsed.scheme == "http" and parsed.host:
        if allow_insecure_http or _is_loopback(parsed.host):
            return url.rstrip("/")
        raise ValidationError(
            field,
            f"plain http to {parsed.host} would send credentials unencrypted; use https, a loopback "
            "address, or pass allow_insecure_http=True",
        )
    raise ValidationError(field, "must be an absolute http(s) URL")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def raise_for_error(vendor: Vendor, response: httpx.Response, clock: Clock) -> None:
    """Raise the typed error for anything but a known 2xx. Reads the body of an error response."""
    if 200 <= response.status_code < 300 and response.status_code in _KNOWN_STATUSES:
        return
    response.read()
    raise error_from_response(vendor, response, now=clock.time())


async def araise_for_error(vendor: Vendor, response: httpx.Response, clock: Clock) -> None:
    if 200 <= response.status_code < 300 and response.status_code in _KNOWN_STATUSES:
        return
    await response.aread()
    raise error_from_response(vendor, response, now=clock.time())


# The success response most recently handed to the generated code in this thread or task, so that a
# success it cannot read (or does not document) can be reported with its status, headers, body and URL.
LAST_RESPONSE: contextvars.ContextVar[httpx.Response | None] = contextvars.ContextVar(
    "attachkit_last_response", default=None
)


def connection_error(exc: httpx.HTTPError, request: httpx.Request) -> APIConnectionError:
    where = {"method": request.method, "url": redact_url(request.url)}
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"timed out ({type(exc).__name__})", **where)
    return APIConnectionError(f"connection failed ({type(exc).__name__}: {exc})", **where)


class _JoinPaths:
    """Joins the generated code's relative paths to the base URL as text, parsing the result once.

    httpx's own merge parses the path, then copies the base URL with it (two parses a request); this was
    a measurable share of attachkit's per-call cost. `test_url_join_matches_httpx` pins the equivalence.
    """

    base_url: httpx.URL
    _prefix: str

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
            return httpx.URL(self._prefix + url[1:])
        return super()._merge_url(url)  # type: ignore[misc, no-any-return]


class APIClient(_JoinPaths, httpx.Client):
    """An httpx client that raises `attachkit.errors` instead of returning error responses."""

    def __init__(self, *, vendor: Vendor, clock: Clock, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._vendor = vendor
        self._clock = clock
        self._prefix = str(self.base_url).rstrip("/") + "/"

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            response = super().send(request, **kwargs)
        except httpx.TransportError as exc:
            raise connection_error(exc, request) from exc
        try:
            raise_for_error(self._vendor, response, self._clock)
        except BaseException:
            response.close()
            raise
        LAST_RESPONSE.set(response)
        return response


class AsyncAPIClient(_JoinPaths, httpx.AsyncClient):
    """The async twin of `APIClient`."""

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
            await araise_for_error(self._vendor, response, self._clock)
        except BaseException:
            await response.aclose()
            raise
        LAST_RESPONSE.set(response)
        return response


def _inner_transport(http_client: httpx.Client | None) -> httpx.BaseTransport:
    if http_client is None:
        # TLS verification stays on: attachkit has no switch to turn it off.
        return httpx.HTTPTransport(limits=DEFAULT_LIMITS)
    if not isinstance(http_client, httpx.Client):
        raise ValidationError("http_client", "must be an httpx.Client")
    # Send through the caller's transport (its pool, proxies and TLS settings); the caller keeps
    # ownership of `http_client` and closes it.
    return http_client._transport


def _async_inner_transport(http_client: httpx.AsyncClient | None) -> httpx.AsyncBaseTransport:
    if http_client is None:
        return httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS)
    if not isinstance(http_client, httpx.AsyncClient):
        raise ValidationError("http_client", "must be an httpx.AsyncClient")
    return http_client._transport


class _Unowned(httpx.BaseTransport):
    """Wraps a transport that belongs to the caller, so closing attachkit's client leaves it open."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


class _AsyncUnowned(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


def build_sync(settings: Settings, auth: httpx.Auth, http_client: httpx.Client | None) -> tuple[APIClient, APIClient]:
    """The API client and the storage client, sharing one pool."""
    inner = _inner_transport(http_client)
    if http_client is not None:
        inner = _Unowned(inner)
    api_transport = RetryTransport(inner, settings.retry, settings.clock, settings.vendor)
    storage_transport = _Unowned(RetryTransport(inner, settings.retry, settings.clock, STORAGE))
    common: dict[str, Any] = {
        "timeout": settings.timeout,
        "headers": {"User-Agent": USER_AGENT},
        "clock": settings.clock,
    }
    api = APIClient(vendor=settings.vendor, base_url=settings.base_url, auth=auth, transport=api_transport, **common)
    storage = APIClient(vendor=STORAGE, transport=storage_transport, **common)
    return api, storage


def build_async(
    settings: Settings, auth: httpx.Auth, http_client: httpx.AsyncClient | None
) -> tuple[AsyncAPIClient, AsyncAPIClient]:
    inner = _async_inner_transport(http_client)
    if http_client is not None:
        inner = _AsyncUnowned(inner)
    api_transport = AsyncRetryTransport(inner, settings.retry, settings.clock, settings.vendor)
    storage_transport = _AsyncUnowned(AsyncRetryTransport(inner, settings.retry, settings.clock, STORAGE))
    common: dict[str, Any] = {
        "timeout": settings.timeout,
        "headers": {"User-Agent": USER_AGENT},
        "clock": settings.clock,
    }
    api = AsyncAPIClient(
        vendor=settings.vendor, base_url=settings.base_url, auth=auth, transport=api_transport, **common
    )
    storage = AsyncAPIClient(vendor=STORAGE, transport=storage_transport, **common)
    return api, storage


_configured = False


def configure_logging_from_env() -> None:
    """`ATTACHKIT_LOG=debug` (or `info`) switches on the "attachkit" logger, once, with a stderr handler."""
    global _configured
    level = os.environ.get("ATTACHKIT_LOG", "").strip().upper()
    if _configured or level not in {"DEBUG", "INFO"}:
        return
    logger = logging.getLogger("attachkit")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    _configured = True
