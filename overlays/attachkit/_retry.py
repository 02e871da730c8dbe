"""When to try a request again, and how long to wait first. Pure logic: no I/O, no sleeping.

The rules:
- Statuses 429, 423 and 503 mean the server refused the request without acting on it: always safe to retry.
- 502 and 504 may come after the upstream acted: retried only when the request is idempotent.
- Connection errors before the request left (connect failures and timeouts, pool timeouts): always safe.
- Other transport errors (reset, dropped, read timeout): retried only when the request is idempotent.
- A request is idempotent when its method is, when it carries an idempotency key, or when the caller
  marked it so (the token request).
- The wait is the server's: `retry-after-ms`, then `Retry-After` (RFC 9110 section 10.2.3) as
  delay-seconds or as an HTTP-date. A missing or malformed value falls back to exponential backoff with
  jitter. A server asking for longer than `max_retry_wait` is not waited for: the error is raised at
  once, with `retry_after`.
"""

from __future__ import annotations

import datetime
import random
import re
import time
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

# The Retry-After grammars. `[0-9]`, never `\d`, which also matches non-ASCII digits; names are case-sensitive.
_OWS: Final = " \t"  # the optional whitespace around a field value: spaces and tabs, nothing else
_DELAY_SECONDS: Final = re.compile(r"[0-9]+")
# `retry-after-ms` is not standardised. Accepted: milliseconds as digits with an optional fraction (`1500`,
# `1500.5`), the sane part of what OpenAI's SDK reads with `float()`; signs, exponents, `nan` are malformed.
_MILLISECONDS: Final = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?P<month>" + "|".join(_MONTH_NAMES) + ")"
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
_HTTP_DATES: Final = (
    # IMF-fixdate, what servers must send: `Sun, 06 Nov 1994 08:49:37 GMT`.
    re.compile(_DAY + r", (?P<day>[0-9]{2}) " + _MONTH + r" (?P<year>[0-9]{4}) " + _TIME + " GMT"),
    # The obsolete forms recipients must still accept: rfc850-date `Sunday, 06-Nov-94 08:49:37 GMT`, and
    # asctime-date `Sun Nov  6 08:49:37 1994` (always UTC).
    re.compile(
        r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?P<day>[0-9]{2})-"
        + _MONTH
        + r"-(?P<yy>[0-9]{2}) "
        + _TIME
        + " GMT"
    ),
    re.compile(_DAY + " " + _MONTH + r" (?P<day>[0-9]{2}| [0-9]) " + _TIME + r" (?P<year>[0-9]{4})"),
)
_MONTHS: Final = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
# The longest wait we represent. RFC 9111 section 1.2.2 reads an overflowing delta-seconds as 2**31; any
# such wait is far beyond `max_retry_wait`, so it raises at once instead of being misread as malformed.
_LONGEST: Final = 2**31


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
    """The wait the server asked for, in seconds, or None when absent or malformed.

    Reads `retry-after-ms` (digits with an optional fraction), then `Retry-After` as delay-seconds
    (`1*DIGIT`) or as an HTTP-date in any of RFC 9110's three forms (relative to `now`, seconds since the
    epoch; a past date means 0). Anything else, e.g. `1.5`, `-5`, `1e1`, `nan` or `rand(30),add(30)` (seen
    in the wild), counts as absent. A wait beyond 2**31 s is read as 2**31 s.
    """
    if not isinstance(headers, httpx.Headers):
        headers = httpx.Headers(headers)  # header names are case-insensitive
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        match = _MILLISECONDS.fullmatch(raw_ms.strip(_OWS))
        if match is not None:
            fraction = float("0." + match[2]) if match[2] else 0.0
            return min((_at_most(match[1], _LONGEST * 1000) + fraction) / 1000.0, float(_LONGEST))
    raw = headers.get("retry-after")
    if raw is None:
        return None
    value = raw.strip(_OWS)
    if _DELAY_SECONDS.fullmatch(value):
        return float(_at_most(value, _LONGEST))
    return _http_date(value, time.time() if now is None else now)


def _at_most(digits: str, limit: int) -> int:
    """`min(int(digits), limit)` for ASCII digits of any length: int() refuses more than 4300 digits."""
    significant = digits.lstrip("0") or "0"
    return limit if len(significant) > len(str(limit)) else min(int(significant), limit)


def _http_date(value: str, now: float) -> float | None:
    for form in _HTTP_DATES:
        match = form.fullmatch(value)
        if match is not None:
            break
    else:
        return None
    second = int(match["second"])
    if second > 60:  # 60 is a leap second
        return None
    fields = match.groupdict()
    if "year" in fields:
        year = int(fields["year"])
    else:
        # RFC 9110 section 5.6.7: a two-digit year more than 50 years ahead is in the past century. So
        # the year is the one with those digits in the 100 years ending 50 years from now.
        this_year = datetime.datetime.fromtimestamp(now, datetime.UTC).year
        year = this_year - this_year % 100 + int(fields["yy"])
        if year > this_year + 50:
            year -= 100
        elif year <= this_year - 50:
            year += 100
    try:
        minute = datetime.datetime(
            year,
            _MONTHS[match["month"]],
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=datetime.UTC,
        )
    except ValueError:  # 30 Feb, hour 24, minute 60, year 0
        return None
    return float(min(max(0.0, minute.timestamp() + second - now), _LONGEST))


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
