"""What an attachkit client is configured with: checking the constructor's arguments into `Settings`.

Pure: no I/O. Both faces (sync and async) and both vendors build their settings here.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from typing import Final, Literal

import attrs
import httpx

from ._clock import Clock, SystemClock
from ._retry import RetryPolicy
from ._validation import HEADER_VALUE
from ._vendors import Vendor
from ._version import __version__
from .errors import ValidationError

Backend = Literal["aiohttp", "httpx"]
"""The library the async clients send with (`backend=`)."""

Timeout = float | httpx.Timeout | None
"""A per-client or per-call timeout: seconds, an `httpx.Timeout`, or None for the client's setting."""

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)
DEFAULT_MAX_RESPONSE_BYTES: Final = 8 * 1024 * 1024
"""The most an API answer (a JSON success, an error body, a token response) may hold once decompressed."""
USER_AGENT: Final = f"attachkit/{__version__} python-httpx/{httpx.__version__}"


@attrs.frozen
class Settings:
    """What every attachkit client is configured with, once checked.

    Attributes:
        vendor: the vendor's conventions (error shapes, request-id headers).
        base_url: the API's base URL, without a trailing slash.
        timeout: the default timeout of each request.
        retry: the retry policy.
        clock: the time source for waits and token expiry.
        allow_insecure_http: whether plain http to hosts other than loopback was explicitly allowed; it also
            governs the storage URLs (pre-signed upload and download links) the API hands out.
        proxy: the proxy for every request, or None to follow `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`.
        max_response_bytes: the cap on an API answer's decompressed body; downloads are streamed instead.
        strict_responses: raise on every way a success body departs from its spec, not only on the breaking ones.
        default_headers: headers sent with every request, after `check_headers`.
        backend: which library the async clients send with: "aiohttp" (the default when the `aiohttp` extra is
            installed), "httpx", or None for that default. The sync clients always use httpx.
    """

    vendor: Vendor
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    clock: Clock
    allow_insecure_http: bool = False
    proxy: str | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    strict_responses: bool = False
    default_headers: tuple[tuple[str, str], ...] = ()
    backend: Backend | None = None


def env(name: str, given: str | None) -> str | None:
    """An explicit argument, else the environment variable, else None."""
    if given is not None:
        return given
    value = os.environ.get(name, "").strip()
    return value or None


def check_timeout(timeout: object) -> httpx.Timeout:
    """A positive number of seconds (connect capped at 5 s) or an `httpx.Timeout`, as an `httpx.Timeout`."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and 0 < timeout < float("inf"):
        return httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))
    raise ValidationError("timeout", "must be a positive number of seconds or an httpx.Timeout")


def check_max_retries(max_retries: object) -> int:
    """A retry budget: an integer, 0 or more."""
    if isinstance(max_retries, int) and not isinstance(max_retries, bool) and max_retries >= 0:
        return max_retries
    raise ValidationError("max_retries", "must be an integer, 0 or more")


def make_settings(
    *,
    vendor: Vendor,
    base_url: str,
    timeout: Timeout,
    max_retries: int | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    allow_insecure_http: bool,
    proxy: str | None = None,
    max_response_bytes: int | None = None,
    strict_responses: bool = False,
    default_headers: Mapping[str, str] | None = None,
    backend: Backend | None = None,
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
        allow_insecure_http=bool(allow_insecure_http),
        proxy=None if proxy is None else check_proxy(proxy),
        max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES
        if max_response_bytes is None
        else check_size(max_response_bytes, "max_response_bytes"),
        strict_responses=bool(strict_responses),
        default_headers=check_headers(default_headers, "default_headers"),
        backend=check_backend(backend),
    )


def check_backend(backend: object) -> Backend | None:
    """None, "aiohttp" or "httpx"."""
    if backend is None or backend == "aiohttp" or backend == "httpx":
        return backend
    raise ValidationError("backend", f"must be 'aiohttp', 'httpx' or None, not {backend!r}")


# Headers attachkit sets itself, each for a reason; extra headers may not replace them by accident.
RESERVED_HEADERS: Final = {
    "authorization": "credentials go in the client's arguments (access_token=, client_id=/client_secret=)",
    "proxy-authorization": "proxy credentials go in proxy= (http://user:pass@host:port)",
    "x-idempotency-key": "pass idempotency_key= to the call",
    "host": "it is the request URL's",
    "content-length": "it is the body's",
    "content-type": "it is the body's",
    "transfer-encoding": "it is the body's",
}
_FIELD_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def check_headers(headers: object, field: str) -> tuple[tuple[str, str], ...]:
    """Extra headers as pairs: valid HTTP field names and values, none of the headers attachkit sets itself."""
    if headers is None:
        return ()
    if not isinstance(headers, Mapping):
        raise ValidationError(field, "must be a mapping of header names to values")
    pairs = []
    for name, value in headers.items():
        where = f"{field}[{name!r}]"
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise ValidationError(where, "is not a valid HTTP header name")
        if name.lower() in RESERVED_HEADERS:
            raise ValidationError(where, f"cannot be set here: {RESERVED_HEADERS[name.lower()]}")
        if not isinstance(value, str) or not HEADER_VALUE.fullmatch(value):
            raise ValidationError(where, "must be a string of visible ASCII characters")
        pairs.append((name, value))
    return tuple(pairs)


def check_proxy(proxy: object) -> str:
    """An http(s) proxy URL (credentials in it are used for the proxy, and never logged)."""
    if not isinstance(proxy, str) or not proxy:
        raise ValidationError("proxy", "must be a proxy URL such as 'http://proxy.internal:3128'")
    try:
        parsed = httpx.URL(proxy)
    except httpx.InvalidURL:
        raise ValidationError("proxy", "is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValidationError("proxy", "must be an absolute http:// or https:// URL")
    return proxy


def check_size(value: object, field: str) -> int:
    """A positive number of bytes."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValidationError(field, "must be a positive number of bytes")


def check_storage_url(url: object, field: str, settings: Settings) -> str:
    """A pre-signed storage URL from the API: https, or plain http only where the API itself is on loopback
    (the mock) or insecure http was explicitly allowed. A link is the server's word, not the user's."""
    base_on_loopback = _is_loopback(httpx.URL(settings.base_url).host)
    if not isinstance(url, str):
        raise ValidationError(field, "must be a URL")
    return check_url(url, field, allow_insecure_http=settings.allow_insecure_http, loopback_ok=base_on_loopback)


def check_url(url: str, field: str, *, allow_insecure_http: bool, loopback_ok: bool = True) -> str:
    """Refuse anything but https, except plain http to loopback (unless `loopback_ok` is false) or when
    explicitly allowed."""
    if not isinstance(url, str) or not url:
        raise ValidationError(field, "must be a non-empty URL")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValidationError(field, f"is not a valid URL ({exc})") from None
    if parsed.scheme == "https" and parsed.host:
        return url.rstrip("/")
    if parsed.scheme == "http" and parsed.host:
        if allow_insecure_http or (loopback_ok and _is_loopback(parsed.host)):
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
