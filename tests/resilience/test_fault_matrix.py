"""The fault matrix: every fault of issue 6, on each seed operation and on the token endpoint, over real sockets.

For each case the test asserts the outcome (success after retries, or the typed error once the budget is spent), the
number of attempts the mock received, every wait (recorded by a FakeClock, so nothing really sleeps on Retry-After or
backoff) and what the mock holds afterwards. "transient" faults fire once, so a retry would succeed; "persistent"
faults fire on every attempt, so the retry budget (max_retries=2: three attempts) runs out.

Columns: `create_attachment` (not idempotent), `send_message` (idempotent through its per-call key),
`create_attachment_action` (not idempotent, Webex) and `token` (the Talkdesk token request, idempotent, exercised by
a `send_message` from a client that has no token yet).

The async face runs each case three ways with the same expected outcome: on its own connections with each backend
(`backend="aiohttp"`, `backend="httpx"`), and over a caller's httpx client (`http_client=`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

import attrs
import httpx
import pytest

from attachkit import FakeClock, errors
from attachkit.testing import MockServer, RetryAfter
from tests._support.plain_http import talkdesk_headers
from tests.resilience import figures
from tests.resilience.harness import Backend, SeedCall, async_client, run, settle, sync_client

Bounds = Callable[[int], tuple[float, float]]
Retried = Literal["always", "idempotent", "never"]
LATENCY = 0.3  # seconds the mock really waits before answering: the only real waiting in the matrix
CLIENT_TIMEOUT = 0.15  # the client's timeout in the latency cases, well below LATENCY
COLUMNS = ("create_attachment", "send_message", "create_attachment_action", "token")
IDEMPOTENT_TARGETS = frozenset({"send_message", "token"})
# The async face's ways of sending: its own connections on each backend, or (None) a caller's httpx client.
ASYNC_BACKENDS: tuple[Backend | None, ...] = ("aiohttp", "httpx", None)


def backoff(attempt: int) -> tuple[float, float]:
    """attachkit's default backoff before retry `attempt`: 0.5 s doubling, scaled by jitter into [50%, 100%]."""
    nominal = min(0.5 * 2 ** (attempt - 1), 8.0)
    return nominal * 0.5, nominal


def exactly(seconds: float) -> Bounds:
    return lambda attempt: (seconds, seconds)


def http_date(attempt: int) -> tuple[float, float]:
    # The mock dates Retry-After 3 s after it answers, to the whole second, in real time; the FakeClock starts at
    # the real time of the call and then only moves by the recorded sleeps. So the first wait is in (2, 3 + the
    # call's latency] and a later one is what is left of the date after the first wait (0 or 1 s).
    return (2.0, 4.0) if attempt == 1 else (0.0, 4.0)


@attrs.frozen
class Fault:
    name: str
    rule: dict[str, Any]  # keyword arguments of mock.faults.add, without target and times
    retried: Retried
    error: type[errors.AttachkitError]
    wait: Bounds = backoff
    status: int | None = None
    on_token: bool = False  # faults the token endpoint, whatever the column's operation
    variants: tuple[str, ...] = ("transient", "persistent")

    @property
    def latency(self) -> bool:
        return bool(self.rule.get("latency"))

    @property
    def retry_after(self) -> float | str | None:
        """The final error's `retry_after`: what the header said when readable, "any" for an HTTP-date."""
        given = self.rule.get("retry_after")
        if given is None or given.form == "raw":  # absent, or malformed / negative: unreadable
            return None
        if given.form == "http-date":
            return "any"
        return int(given.value) / (1000 if given.form == "ms" else 1)


def _status(status: int, retried: Retried, error: type[errors.APIError], **kwargs: Any) -> Fault:
    rule = {"status": status}
    if "retry_after" in kwargs:
        rule["retry_after"] = kwargs.pop("retry_after")
    name = kwargs.pop("name", str(status))
    return Fault(name, rule, retried, error, status=status, **kwargs)


FAULTS = [
    _status(
        429,
        "always",
        errors.RateLimitError,
        name="429 Retry-After seconds",
        retry_after=RetryAfter.seconds(2),
        wait=exactly(2.0),
    ),
    _status(
        429,
        "always",
        errors.RateLimitError,
        name="429 Retry-After HTTP-date",
        retry_after=RetryAfter.http_date(3),
        wait=http_date,
    ),
    _status(
        429,
        "always",
        errors.RateLimitError,
        name="429 retry-after-ms",
        retry_after=RetryAfter.milliseconds(1500),
        wait=exactly(1.5),
    ),
    _status(429, "always", errors.RateLimitError, name="429 malformed", retry_after=RetryAfter.raw("rand(30),add(30)")),
    _status(429, "always", errors.RateLimitError, name="429 negative", retry_after=RetryAfter.raw("-5")),
    # A wait beyond max_retry_wait (60 s): raised at once with the wait, although the next attempt would succeed.
    _status(
        429,
        "never",
        errors.RateLimitError,
        name="429 beyond max_retry_wait",
        retry_after=RetryAfter.seconds(3600),
        variants=("transient",),
    ),
    _status(
        423, "always", errors.LockedError, name="423 Retry-After", retry_after=RetryAfter.seconds(1), wait=exactly(1.0)
    ),
    _status(423, "always", errors.LockedError, name="423 bare"),
    # 500 is never retried, even when the next attempt would succeed.
    _status(500, "never", errors.InternalServerError, variants=("transient",)),
    _status(502, "idempotent", errors.InternalServerError),
    _status(503, "always", errors.InternalServerError),
    _status(504, "idempotent", errors.InternalServerError),
    Fault("dropped before processing", {"drop": "before"}, "idempotent", errors.APIConnectionError),
    Fault("dropped after processing", {"drop": "after"}, "idempotent", errors.APIConnectionError),
    Fault("read timeout", {"latency": LATENCY}, "idempotent", errors.APITimeoutError),
    Fault("slow token endpoint", {"latency": LATENCY}, "always", errors.APITimeoutError, on_token=True),
]


@attrs.frozen
class Expected:
    target: str  # the operation the fault is on, and whose attempts are counted
    error: type[errors.AttachkitError] | None
    attempts: int
    records: int
    token_requests: int
    operation_requests: int


def expect(fault: Fault, column: str, variant: str) -> Expected:
    operation = "send_message" if column == "token" else column
    webex = operation == "create_attachment_action"
    target = "token" if column == "token" or fault.on_token else operation
    if target == "token" and webex:  # Webex tokens are static: the token endpoint is never asked
        return Expected(target, None, attempts=0, records=1, token_requests=0, operation_requests=1)
    retried = fault.retried == "always" or (fault.retried == "idempotent" and target in IDEMPOTENT_TARGETS)
    if retried and variant == "transient":
        error, attempts = None, 2
    else:
        error, attempts = fault.error, (3 if retried else 1)
    if error is None:
        records = 1
    elif target == "token":
        records = 0  # the operation itself was never sent
    else:
        # Dropped after processing: the record exists although the caller got an error. A keyed send processed on
        # every attempt is still stored once.
        records = 1 if fault.rule.get("drop") == "after" else 0
    if target == "token":
        token_requests, operation_requests = attempts, (1 if error is None else 0)
    else:
        token_requests, operation_requests = (0 if webex else 1), attempts
    return Expected(target, error, attempts, records, token_requests, operation_requests)


def _modes() -> list[tuple[str, Backend | None, str]]:
    """Each face and way of sending: (mode, backend, the test id's suffix)."""
    return [("sync", None, "sync")] + [
        ("async", backend, "async" if backend is None else f"async-{backend}") for backend in ASYNC_BACKENDS
    ]


def _cases() -> list[Any]:
    cases = []
    for fault in FAULTS:
        for column in COLUMNS:
            if fault.on_token and column == "token":
                continue  # the same case as "read timeout" on the token column
            for variant in fault.variants:
                for mode, backend, suffix in _modes():
                    if mode == "async" and fault.latency and variant == "persistent":
                        continue  # real waiting: the async face of latency is covered by the transient case
                    marks: list[pytest.MarkDecorator] = []
                    cases.append(
                        pytest.param(
                            fault,
                            column,
                            variant,
                            mode,
                            backend,
                            id=f"{fault.name}-{column}-{variant}-{suffix}",
                            marks=marks,
                        )
                    )
    return cases


def _vendor_name(target: str, operation: str) -> str:
    if target == "token":
        return "Talkdesk OAuth"
    return "Webex" if operation == "create_attachment_action" else "Talkdesk"


@pytest.mark.parametrize(("fault", "column", "variant", "mode", "backend"), _cases())
def test_fault_matrix(
    mock: MockServer, http: httpx.Client, fault: Fault, column: str, variant: str, mode: str, backend: Backend | None
) -> None:
    expected = expect(fault, column, variant)
    operation = "send_message" if column == "token" else column
    seed = SeedCall.prepare(operation, http, mock, talkdesk_headers(http, mock))
    before = {name: mock.state.counts(name) for name in ("token", operation)}
    clock = FakeClock(start=time.time())  # real epoch time, so an HTTP-date Retry-After reads as seconds from now
    options = {"timeout": CLIENT_TIMEOUT} if fault.latency else {}
    mock.faults.add(expected.target, **fault.rule, **({"times": 1} if variant == "transient" else {}))

    outcome: Any
    try:
        outcome = run(
            mode,
            lambda: _sync_call(seed, mock, clock, options),
            lambda: _async_call(seed, mock, clock, options, backend),
        )
    except errors.AttachkitError as exc:
        outcome = exc
    settle(mock)
    mock.faults.clear()

    # The outcome.
    if expected.error is None:
        assert not isinstance(outcome, Exception), f"expected success, got {outcome!r}"
    else:
        assert isinstance(outcome, expected.error), f"expected {expected.error.__name__}, got {outcome!r}"
        if expected.error is errors.APIConnectionError:
            assert not isinstance(outcome, errors.APITimeoutError)
        if isinstance(outcome, errors.APIError):
            assert outcome.status_code == fault.status
            assert outcome.vendor == _vendor_name(expected.target, operation)
            if fault.retry_after == "any":
                assert outcome.retry_after is not None and 0 <= outcome.retry_after <= 4
            else:
                assert outcome.retry_after == fault.retry_after

    # The attempts, as the mock counted them.
    after = {name: mock.state.counts(name) for name in ("token", operation)}
    received = {name: after[name].received - before[name].received for name in after}
    assert received["token"] == expected.token_requests
    assert received[operation] == expected.operation_requests

    # The waits: one per retry, each within the bounds the fault implies, never really slept.
    retries = max(expected.attempts - 1, 0)
    assert len(clock.sleeps) == retries
    for attempt, slept in enumerate(clock.sleeps, start=1):
        low, high = fault.wait(attempt)
        assert low <= slept <= high, f"wait {attempt} was {slept}, expected within [{low}, {high}]"
    assert clock.total_slept <= sum(fault.wait(n)[1] for n in range(1, retries + 1))

    # What the mock holds afterwards, and how often it acted: a keyed send dropped after processing was processed on
    # every attempt and is stored once; a create dropped after processing exists although its caller got an error.
    assert seed.records(mock) == expected.records
    if expected.target == operation:
        dropped_after = fault.rule.get("drop") == "after"
        processed = expected.attempts if dropped_after else (1 if expected.error is None else 0)
        assert after[operation].processed - before[operation].processed == processed

    figures.add("fault matrix", "cases passed")
    figures.add("fault matrix", "retries", retries)
    figures.add("fault matrix", "recorded wait seconds (none slept)", clock.total_slept)


def _sync_call(seed: SeedCall, mock: MockServer, clock: FakeClock, options: dict[str, Any]) -> Any:
    with sync_client(seed.vendor, mock, clock, **options) as client:
        return seed.call(client)


async def _async_call(
    seed: SeedCall, mock: MockServer, clock: FakeClock, options: dict[str, Any], backend: Backend | None
) -> Any:
    async with async_client(seed.vendor, mock, clock, backend, **options) as client:
        return await seed.acall(client)


# A token that expires mid-run: the next call gets a 401, refreshes once and resends; nothing is slept or doubled.


@pytest.mark.parametrize(("mode", "backend"), [pytest.param(m, b, id=i) for m, b, i in _modes()])
@pytest.mark.parametrize("column", COLUMNS)
def test_token_expiring_mid_run(
    mock: MockServer, http: httpx.Client, column: str, mode: str, backend: Backend | None
) -> None:
    operation = "send_message" if column == "token" else column
    seed = SeedCall.prepare(operation, http, mock, talkdesk_headers(http, mock))
    webex = seed.vendor == "webex"
    before = {name: mock.state.counts(name) for name in ("token", operation)}
    clock = FakeClock()

    def sync() -> Any:
        with sync_client(seed.vendor, mock, clock) as client:
            if not webex:
                client.conversations.start(touchpoint_id="tp-1")  # the client now holds a token
            assert mock.expire_tokens() >= (0 if webex else 1)
            return seed.call(client)

    async def make_async() -> Any:
        async with async_client(seed.vendor, mock, clock, backend) as client:
            if not webex:
                await client.conversations.start(touchpoint_id="tp-1")
            assert mock.expire_tokens() >= (0 if webex else 1)
            return await seed.acall(client)

    run(mode, sync, make_async)
    after = {name: mock.state.counts(name) for name in ("token", operation)}
    if webex:  # Webex tokens do not expire in the mock, and the Webex client never asks the token endpoint
        assert after["token"].received - before["token"].received == 0
        assert after[operation].received - before[operation].received == 1
    else:
        # One token for the first call, exactly one more for the expiry; the operation: a 401, then the resend.
        assert after["token"].received - before["token"].received == 2
        assert after[operation].received - before[operation].received == 2
        assert after[operation].statuses.get(401, 0) - before[operation].statuses.get(401, 0) == 1
    assert clock.sleeps == []
    assert seed.records(mock) == 1
    figures.add("fault matrix", "cases passed")


def test_slow_token_endpoint_with_a_per_call_timeout_is_retried(mock: MockServer, http: httpx.Client) -> None:
    """The per-call `timeout=` does reach the token request: a slow token endpoint times out and is asked again."""
    seed = SeedCall.prepare("send_message", http, mock, talkdesk_headers(http, mock))
    before = mock.state.counts("token").received
    clock = FakeClock()
    mock.faults.add("token", latency=LATENCY, times=1)
    with sync_client("talkdesk", mock, clock) as client:
        seed.call(client, timeout=CLIENT_TIMEOUT)
    settle(mock)
    assert mock.state.counts("token").received - before == 2
    assert len(clock.sleeps) == 1 and backoff(1)[0] <= clock.sleeps[0] <= backoff(1)[1]
    assert seed.records(mock) == 1
    figures.add("fault matrix", "cases passed")
