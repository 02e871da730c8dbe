"""The bookkeeping of one request's attempts: per-call options, retry decisions and the request log.

The retrying transports of both faces (`attachkit._async.http`) drive an `Attempts` per request. Per-call
overrides (`timeout=`, `max_retries=`) reach them through a context variable, because the generated
functions have no parameter for them.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Mapping
from typing import Final

import attrs
import httpx

from . import _retry
from ._clock import Clock
from ._config import check_headers, check_max_retries, check_timeout
from ._deadline import UPLOAD
from ._error_mapping import redact_url
from ._vendors import Vendor
from .errors import RateLimitError

log: Final = logging.getLogger("attachkit")


@attrs.frozen
class CallOptions:
    """Overrides for one call. None means the client's setting."""

    timeout: httpx.Timeout | None = None
    max_retries: int | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()
    # The request streams a file out (a multipart upload): no overall deadline, the answer still read whole.
    uploads: bool = False


_CALL_OPTIONS: contextvars.ContextVar[CallOptions] = contextvars.ContextVar("attachkit_call_options")
_NO_OPTIONS: Final = CallOptions()
_PAUSES: Final = frozenset({429, 503})


class call_options:
    """Apply per-call overrides to every request sent inside the block (including async tasks it awaits).

    A class rather than a generator-based context manager: it runs on every call. The arguments are checked
    on creation, so a bad one is a `ValidationError` before anything is sent.
    """

    __slots__ = ("_options", "_token")

    def __init__(
        self,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        *,
        uploads: bool = False,
    ) -> None:
        self._options: CallOptions | None = None
        self._token: contextvars.Token[CallOptions] | None = None
        if timeout is not None or max_retries is not None or extra_headers or uploads:
            self._options = CallOptions(
                timeout=None if timeout is None else check_timeout(timeout),
                max_retries=None if max_retries is None else check_max_retries(max_retries),
                extra_headers=check_headers(extra_headers, "extra_headers"),
                uploads=uploads,
            )

    def __enter__(self) -> None:
        if self._options is not None:
            self._token = _CALL_OPTIONS.set(self._options)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CALL_OPTIONS.reset(self._token)


def extra_headers() -> tuple[tuple[str, str], ...]:
    """The current call's `extra_headers=`, checked."""
    return _CALL_OPTIONS.get(_NO_OPTIONS).extra_headers


@attrs.define
class Attempts:
    """The shared bookkeeping of one request's attempts (sync and async use the same)."""

    policy: _retry.RetryPolicy
    clock: Clock
    vendor: Vendor
    request: httpx.Request
    max_retries: int
    attempt: int = 0
    asked_pause: float | None = None
    started: float = attrs.field(factory=time.monotonic)

    @classmethod
    def begin(cls, policy: _retry.RetryPolicy, clock: Clock, vendor: Vendor, request: httpx.Request) -> Attempts:
        options = _CALL_OPTIONS.get(_NO_OPTIONS)
        if options.timeout is not None:
            request.extensions = {**request.extensions, "timeout": options.timeout.as_dict()}
        if options.uploads:
            request.extensions = {**request.extensions, UPLOAD: True}
        max_retries = policy.max_retries if options.max_retries is None else options.max_retries
        return cls(policy, clock, vendor, request, max_retries)

    def next(self) -> None:
        self.attempt += 1

    def cooling_down(self, pause: float) -> None:
        """Before an attempt: the client is pausing this host for `pause` s more, as a server asked.

        The attempt waits that long (logged), or, when it is longer than `max_retry_wait`, is not sent at all:
        `RateLimitError` with `retry_after`, as the request that earned the pause got.
        """
        url = redact_url(self.request.url)
        if pause > self.policy.max_retry_wait:
            raise RateLimitError(
                status_code=429,
                vendor=self.vendor.name,
                message=f"not sent: this client is pausing requests to {self.request.url.host} for {pause:g}s "
                "more, as the server asked",
                retry_after=pause,
                method=self.request.method,
                url=url,
            )
        log.info(
            "%s %s: waiting %.3gs before attempt %d; the server asked this client to pause",
            self.request.method,
            url,
            pause,
            self.attempt,
            extra={"attachkit_method": self.request.method, "attachkit_url": url, "attachkit_cooldown": pause},
        )

    def on_response(self, response: httpx.Response) -> _retry.Decision:
        # A rate limit (429) or an overload (503) with a wait is a pause for the whole client, not this request.
        self.asked_pause = (
            _retry.parse_retry_after(response.headers, now=self.clock.time())
            if response.status_code in _PAUSES
            else None
        )
        decision = _retry.after_response(
            self.policy,
            self.request,
            response.status_code,
            response.headers,
            attempt=self.attempt,
            max_retries=self.max_retries,
            now=self.clock.time(),
        )
        self._log(response.status_code, response.headers, decision)
        return decision

    def on_exception(self, exc: Exception) -> _retry.Decision:
        decision = _retry.after_exception(
            self.policy, self.request, exc, attempt=self.attempt, max_retries=self.max_retries
        )
        self._log(type(exc).__name__, None, decision)
        return decision

    def _log(self, outcome: int | str, headers: httpx.Headers | None, decision: _retry.Decision) -> None:
        if not log.isEnabledFor(logging.DEBUG if not decision.retry else logging.INFO):
            return
        elapsed = time.monotonic() - self.started
        tracking = None
        if headers is not None:
            tracking = next((headers[h] for h in self.vendor.tracking_headers if h in headers), None)
        log.log(
            logging.INFO if decision.retry else logging.DEBUG,
            "%s %s -> %s (attempt %d, %.3fs%s)%s",
            self.request.method,
            redact_url(self.request.url),
            outcome,
            self.attempt,
            elapsed,
            f", tracking id {tracking}" if tracking else "",
            f"; retrying in {decision.wait:.3g}s: {decision.reason}" if decision.retry else "",
            extra={
                "attachkit_method": self.request.method,
                "attachkit_url": redact_url(self.request.url),
                "attachkit_status": outcome,
                "attachkit_attempt": self.attempt,
                "attachkit_elapsed": elapsed,
                "attachkit_tracking_id": tracking,
            },
        )
