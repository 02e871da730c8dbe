"""The retrying transport: every request attachkit sends goes through it, API and token alike.

It sits under httpx's auth flow, so a retried request keeps its Authorization header and its
idempotency key, and a 401 is left for the auth flow to refresh. It also applies per-call overrides
(`timeout=`, `max_retries=`), which reach it through a context variable because the generated
functions have no parameter for them, and it writes the request log.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator
from typing import Final

import attrs
import httpx

from . import _retry
from ._clock import Clock
from ._vendors import Vendor
from .errors import ValidationError, redact_url

log: Final = logging.getLogger("attachkit")


@attrs.frozen
class CallOptions:
    """Overrides for one call. None means the client's setting."""

    timeout: httpx.Timeout | None = None
    max_retries: int | None = None


_CALL_OPTIONS: contextvars.ContextVar[CallOptions] = contextvars.ContextVar("attachkit_call_options")
_NO_OPTIONS: Final = CallOptions()


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


@contextlib.contextmanager
def call_options(timeout: float | httpx.Timeout | None = None, max_retries: int | None = None) -> Iterator[None]:
    """Apply per-call overrides to every request sent inside the block (including async tasks it awaits)."""
    if timeout is None and max_retries is None:
        yield
        return
    options = CallOptions(
        timeout=None if timeout is None else check_timeout(timeout),
        max_retries=None if max_retries is None else check_max_retries(max_retries),
    )
    token = _CALL_OPTIONS.set(options)
    try:
        yield
    finally:
        _CALL_OPTIONS.reset(token)


@attrs.define
class _Attempts:
    """The shared bookkeeping of one request's attempts (sync and async use the same)."""

    policy: _retry.RetryPolicy
    clock: Clock
    vendor: Vendor
    request: httpx.Request
    max_retries: int
    attempt: int = 0
    started: float = attrs.field(factory=time.monotonic)

    @classmethod
    def begin(cls, policy: _retry.RetryPolicy, clock: Clock, vendor: Vendor, request: httpx.Request) -> _Attempts:
        options = _CALL_OPTIONS.get(_NO_OPTIONS)
        if options.timeout is not None:
            request.extensions = {**request.extensions, "timeout": options.timeout.as_dict()}
        max_retries = policy.max_retries if options.max_retries is None else options.max_retries
        return cls(policy, clock, vendor, request, max_retries)

    def next(self) -> None:
        self.attempt += 1

    def on_response(self, response: httpx.Response) -> _retry.Decision:
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


class RetryTransport(httpx.BaseTransport):
    """Sends through `inner`, retrying as `policy` says and waiting through `clock`."""

    def __init__(self, inner: httpx.BaseTransport, policy: _retry.RetryPolicy, clock: Clock, vendor: Vendor) -> None:
        self._inner = inner
        self._policy = policy
        self._clock = clock
        self._vendor = vendor

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts.begin(self._policy, self._clock, self._vendor, request)
        while True:
            attempts.next()
            try:
                response = self._inner.handle_request(request)
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
                    response.read()
                response.close()
            self._clock.sleep(decision.wait)

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async twin of `RetryTransport`; the decisions are the same code."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, policy: _retry.RetryPolicy, clock: Clock, vendor: Vendor
    ) -> None:
        self._inner = inner
        self._policy = policy
        self._clock = clock
        self._vendor = vendor

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts.begin(self._policy, self._clock, self._vendor, request)
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
                with contextlib.suppress(httpx.HTTPError):
                    await response.aread()
                await response.aclose()
            await self._clock.asleep(decision.wait)

    async def aclose(self) -> None:
        await self._inner.aclose()
