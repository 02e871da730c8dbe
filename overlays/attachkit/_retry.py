"""When to try a request again, and how long to wait first. Pure logic: no I/O, no sleeping.

The rules:
- Statuses 429, 423 and 503 mean the server refused the request without acting on it: always safe to retry.
- 502 and 504 may come after the upstream acted: retried only when the request is idempotent.
- Connection errors before the request left (connect failures and timeouts, pool timeouts): always safe.
- Other transport errors (reset, dropped, read timeout): retried only when the request is idempotent.
- A request is idempotent when its method is, when it carries an idempotency key, or when the caller
  marked it so (the token request).
- The wait is the server's (`retry-after-ms`, then `Retry-After` in seconds, then as an HTTP-date). A
  missing, malformed or negative value falls back to exponential backoff with jitter. A server asking
  for longer than `max_retry_wait` is not waited for: the error is raised at once, with `retry_after`.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable, Mapping
from typing import Final

import attrs
import httpx

IDEMPOTENCY_HEADER: Final = "x-idempotency-key"
IDEMPOTENT_EXTENSION: Final = "attachkit.idempotent"

_REFUSED: Final = frozenset({423, 429, 503})  # the server did not act on the request
_TRANSIENT: Final = frozenset({502, 504})  # it may have acted
_IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@attrs.frozen
class RetryPolicy:
    """How attachkit retries. The defaults suit production; every client takes one.

    Attributes:
        max_retries: retries after the first attempt (so attempts = max_retries + 1).
        max_retry_wait: the longest wait a server may ask for; longer gets an immediate `RateLimitError`.
        backoff_initial: the first backoff, in seconds, when the server gives no usable wait.
        backoff_max: the cap on one backoff.
        jitter: returns a number in [0, 1); each backoff is scaled into [50%, 100%] of its nominal value.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    max_retry_wait: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    backoff_initial: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    backoff_max: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    jitter: Callable[[], float] = attrs.field(default=random.random, repr=False, eq=False)

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt` (1-based) when the server gave none."""
        nominal = min(self.backoff_initial * 2.0 ** (attempt - 1), self.backoff_max)
        return nominal * (0.5 + 0.5 * self.jitter())


@attrs.frozen
class Decision:
    """What to do after an attempt: retry after `wait` seconds, or stop. `reason` is for the log."""

    retry: bool
    wait: float = 0.0
    reason: str = ""


STOP: Final = Decision(retry=False)


def is_idempotent(request: httpx.Request) -> bool:
    """Whether sending `request` twice has the same effect as sending it once."""
    return (
        request.method in _IDEMPOTENT_METHODS
        or IDEMPOTENCY_HEADER in request.headers
        or bool(request.extensions.get(IDEMPOTENT_EXTENSION))
    )


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait the server asked for, in seconds, or None when absent or unreadable.

    Reads `retry-after-ms`, then `Retry-After` as delay-seconds, then as an HTTP-date (relative to
    `now`, seconds since the epoch). Negative, non-finite and malformed values (`rand(30),add(30)` has
    been seen in the wild) count as absent.
    """
    if not isinstance(headers, httpx.Headers):
        headers = httpx.Headers(headers)  # header names are case-insensitive
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        value = _number(raw_ms)
        if value is not None:
            return value / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    value = _number(raw)
    if value is not None:
        return value
    try:
        when = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    if now is None:
        import time

        now = time.time()
    return max(0.0, when.timestamp() - now)


def _number(raw: str) -> float | None:
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return value


def after_response(
    policy: RetryPolicy,
    request: httpx.Request,
    status_code: int,
    headers: Mapping[str, str],
    *,
    attempt: int,
    max_retries: int,
    now: float,
) -> Decision:
    """Decide after attempt number `attempt` (1-based) got `status_code`."""
    if status_code not in _REFUSED and not (status_code in _TRANSIENT and is_idempotent(request)):
        return STOP
    if attempt > max_retries:
        return STOP
    asked = parse_retry_after(headers, now=now)
    if asked is not None:
        if asked > policy.max_retry_wait:
            return STOP  # the caller gets the error with retry_after at once
        return Decision(retry=True, wait=asked, reason=f"{status_code}, server asked {asked:g}s")
    return Decision(retry=True, wait=policy.backoff(attempt), reason=f"{status_code}, backing off")


def after_exception(
    policy: RetryPolicy, request: httpx.Request, exc: Exception, *, attempt: int, max_retries: int
) -> Decision:
    """Decide after attempt number `attempt` raised `exc`."""
    if attempt > max_retries or not isinstance(exc, httpx.TransportError):
        return STOP
    if isinstance(exc, _NEVER_SENT) or is_idempotent(request):
        return Decision(retry=True, wait=policy.backoff(attempt), reason=type(exc).__name__)
    return STOP
