"""Hostile servers over real sockets: every misbehaviour ends in a typed `attachkit.errors` exception, in bounded
time and memory, on the sync and the async client alike.

The peers (`tests.resilience.hostile_servers`) are raw TCP servers on 127.0.0.1 that drip, stall, send bombs, huge
or broken JSON, or bytes that are not HTTP. Each case runs once per face; a call that outlives its limit fails the
test instead of hanging it. Figures (elapsed seconds, traced and RSS memory) are printed at the end of the run.

What the README promises and these tests hold the clients to:
- `timeout=` bounds each attempt as a whole: a server dripping its headers or its body, or never answering, ends in
  `APITimeoutError` close to the timeout;
- API answers (JSON successes, error bodies, token responses) are read up to `max_response_bytes` (8 MiB by
  default) counted after decompression; beyond that `ResponseTooLargeError`, with memory flat, bombs included;
- every failure is an `attachkit.errors` exception whatever the bytes;
- a file that changes size while it is uploaded is refused, and nothing is stored by halves.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit._config import DEFAULT_MAX_RESPONSE_BYTES
from attachkit.testing import MockServer
from tests._support.waiting import eventually
from tests.resilience import figures
from tests.resilience.hostile_servers import (
    ACTION,
    Behaviour,
    Outcome,
    RawServer,
    abounded,
    adler32_of_zeros,
    bounded,
    chunked,
    crc32_of_zeros,
    drip,
    head,
    http_response,
    inflated_size,
    nested_gzip_bomb,
    repeated,
    reply,
    reply_then_reset,
    reset,
    silent,
    slices,
    stream,
    then_silent,
    traced_peak,
    zeros_bomb,
)

TIMEOUT = 1.0  # the clients' timeout in the dripping and silent cases
SLACK = 1.0  # how far past the timeout a timed-out call may end: a generous bound, not a timing target
LIMIT = 15.0  # no call of this module may run longer; past it the test fails instead of hanging
MEMORY_BOUND = 64 * 1024 * 1024  # the most a client may allocate for one capped answer, bombs included
MiB = 1024 * 1024
ACTION_BYTES = json.dumps(ACTION).encode()
JSON = ("Content-Type", "application/json")
CLOSE = ("Connection", "close")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy, CA bundle or vendor variable of the machine running the tests may change where a client goes."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "WEBEX_ACCESS_TOKEN", "WEBEX_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# The clients and the runs -------------------------------------------------------------------------------------------


def webex(url: str, **options: Any) -> WebexClient:
    return WebexClient(**{"access_token": "token", "base_url": f"{url}/v1", "max_retries": 0, **options})


def awebex(url: str, **options: Any) -> AsyncWebexClient:
    return AsyncWebexClient(**{"access_token": "token", "base_url": f"{url}/v1", "max_retries": 0, **options})


def get_action(client: Any, **options: Any) -> Any:
    """`attachment_actions.get`: a value on the sync face, a coroutine on the async one."""
    return client.attachment_actions.get("a", **options)


def run_sync(client: Any, call: Callable[[Any], Any] = get_action, limit: float = LIMIT) -> Outcome:
    def go() -> Any:
        with client:
            return call(client)

    return bounded(go, limit)


async def run_async(client: Any, call: Callable[[Any], Any] = get_action, limit: float = LIMIT) -> Outcome:
    async def go() -> Any:
        async with client:
            return await call(client)

    return await abounded(go, limit)


def raised(outcome: Outcome, expected: type[BaseException]) -> Any:
    """The exception the call raised, checked to be an `expected` (and so typed); the traceback of anything else."""
    assert outcome.error is not None, f"the call succeeded with {outcome.value!r}"
    assert isinstance(outcome.error, expected), (
        f"expected {expected.__name__}, got {type(outcome.error).__name__}: {outcome.error}"
    )
    return outcome.error


# 1-3. Dripping and silent servers: APITimeoutError close to the timeout ----------------------------------------------

DRIPPED_RESPONSE = http_response(200, ACTION_BYTES, [JSON, CLOSE])
DRIPPED_BODY = ACTION_BYTES + b" " * 300  # valid once complete, but at 10 bytes a second that takes 35 s
DRIPPING_BODY = drip(DRIPPED_BODY, 0.1, after=head(200, [JSON, ("Content-Length", str(len(DRIPPED_BODY)))]))
STALL_LIMIT = TIMEOUT + SLACK + 1.5  # a stalled call still running this long has failed: stop waiting for it
SHORT = 0.5  # the timeout of the variants, which need no second full second each


@attrs.frozen
class Stall:
    name: str
    behaviour: Behaviour
    timeout: float = TIMEOUT


STALLS = [
    # a byte every 150 ms, from the status line on
    Stall("dripping-headers", drip(DRIPPED_RESPONSE, 0.15)),
    # headers at once (Content-Length included), then the body a byte every 100 ms
    Stall("dripping-body", DRIPPING_BODY),
    # reads the request, never answers
    Stall("never-answers", silent()),
    # headers at once, then nothing
    Stall("headers-then-nothing", then_silent(head(200, [JSON, ("Content-Length", "100")])), SHORT),
]


def check_timed_out(case: str, face: str, outcome: Outcome, timeout: float = TIMEOUT, attempts: int = 1) -> None:
    error = raised(outcome, errors.APITimeoutError)
    figures.record(f"hostile: {case}", **{f"{face} elapsed s": round(outcome.elapsed, 2)})
    assert outcome.elapsed < attempts * timeout + SLACK, f"{error} after {outcome.elapsed:.2f} s"
    # ... and not given up early: the server was still sending, just slowly
    assert outcome.elapsed >= attempts * timeout * 0.9, f"{error} after only {outcome.elapsed:.2f} s"


@pytest.mark.parametrize("stall", STALLS, ids=lambda s: s.name)
def test_stalling_server_times_out_sync(stall: Stall) -> None:
    with RawServer(stall.behaviour) as server:
        outcome = run_sync(webex(server.url, timeout=stall.timeout), limit=STALL_LIMIT)
    check_timed_out(stall.name, "sync", outcome, stall.timeout)


@pytest.mark.parametrize("stall", STALLS, ids=lambda s: s.name)
async def test_stalling_server_times_out_async(stall: Stall) -> None:
    with RawServer(stall.behaviour) as server:
        outcome = await run_async(awebex(server.url, timeout=stall.timeout), limit=STALL_LIMIT)
    check_timed_out(stall.name, "async", outcome, stall.timeout)


def test_per_call_timeout_bounds_a_dripping_server_sync() -> None:
    with RawServer(drip(DRIPPED_RESPONSE, 0.15)) as server:
        outcome = run_sync(webex(server.url), lambda c: get_action(c, timeout=SHORT), STALL_LIMIT)
    check_timed_out("dripping-headers, per-call timeout", "sync", outcome, SHORT)


async def test_per_call_timeout_bounds_a_dripping_server_async() -> None:
    with RawServer(drip(DRIPPED_RESPONSE, 0.15)) as server:
        outcome = await run_async(awebex(server.url), lambda c: get_action(c, timeout=SHORT), STALL_LIMIT)
    check_timed_out("dripping-headers, per-call timeout", "async", outcome, SHORT)


def test_each_retry_gets_its_own_bounded_attempt_sync() -> None:
    """A GET is retried after a read timeout: two attempts, each held to the timeout (backoff on a FakeClock)."""
    clock = FakeClock()
    with RawServer(drip(DRIPPED_RESPONSE, 0.15)) as server:
        outcome = run_sync(webex(server.url, timeout=SHORT, max_retries=1, clock=clock), limit=STALL_LIMIT)
        connections = server.connections
    check_timed_out("dripping-headers, 1 retry", "sync", outcome, SHORT, attempts=2)
    assert connections == 2
    assert len(clock.sleeps) == 1


async def test_each_retry_gets_its_own_bounded_attempt_async() -> None:
    clock = FakeClock()
    with RawServer(drip(DRIPPED_RESPONSE, 0.15)) as server:
        outcome = await run_async(awebex(server.url, timeout=SHORT, max_retries=1, clock=clock), limit=STALL_LIMIT)
        connections = server.connections
    check_timed_out("dripping-headers, 1 retry", "async", outcome, SHORT, attempts=2)
    assert connections == 2
    assert len(clock.sleeps) == 1


def test_dripping_body_through_a_users_http_client_times_out_sync() -> None:
    """With `http_client=` attachkit does not own the sockets; its docs promise the deadline is then checked
    between reads, which a body dripped a byte at a time gives plenty of."""
    with RawServer(DRIPPING_BODY) as server, httpx.Client() as users:
        outcome = run_sync(webex(server.url, timeout=TIMEOUT, http_client=users), limit=STALL_LIMIT)
    check_timed_out("dripping-body via http_client", "sync", outcome)


async def test_dripping_body_through_a_users_http_client_times_out_async() -> None:
    with RawServer(DRIPPING_BODY) as server:
        async with httpx.AsyncClient() as users:
            outcome = await run_async(awebex(server.url, timeout=TIMEOUT, http_client=users), limit=STALL_LIMIT)
    check_timed_out("dripping-body via http_client", "async", outcome)


# 4. Oversized answers and compression bombs: ResponseTooLargeError, memory flat -----------------------------------


def test_the_bombs_are_real() -> None:
    """The bombs are valid streams of what they claim, about a thousandth of what they inflate to.

    The 1 GiB bombs are the 64 MiB ones with the same segment repeated more times and a trailer computed for their
    size (inflating 1 GiB to check would take seconds), so the 64 MiB ones are inflated whole, trailers checked,
    and the trailer arithmetic is checked against zlib's own at several sizes.
    """
    for coding in ("gzip", "deflate", "raw-deflate"):
        assert len(zeros_bomb(coding)) < 1.1 * MiB
        assert inflated_size(zeros_bomb(coding, 64 * MiB), coding) == 64 * MiB
        small = zeros_bomb(coding, 4 * MiB)
        assert zlib.decompress(small, {"gzip": 31, "deflate": 15, "raw-deflate": -15}[coding]) == bytes(4 * MiB)
    for size in (2 * MiB, 3 * MiB, 7 * MiB):
        assert crc32_of_zeros(size) == zlib.crc32(bytes(size))
        assert adler32_of_zeros(size) == zlib.adler32(bytes(size))
    assert zeros_bomb("gzip")[-4:] == (1 << 30).to_bytes(4, "little")  # ISIZE: the inflated length
    assert gzip.decompress(nested_gzip_bomb()) == zeros_bomb("gzip")


def _big_json(total: int) -> Iterator[bytes]:
    """A valid action whose `id` holds `total` bytes of "a"."""
    yield ACTION_BYTES[: ACTION_BYTES.index(b'"a"') + 1]
    yield from repeated(b"a" * 65536, total)
    yield ACTION_BYTES[ACTION_BYTES.index(b'"a"') + 2 :]


def _length(parts: Callable[[], Iterable[bytes]]) -> str:
    return str(sum(len(p) for p in parts()))


def _json_20(framing: str) -> Behaviour:
    def parts() -> Iterator[bytes]:
        return _big_json(20 * MiB)

    if framing == "content-length":
        return stream(head(200, [JSON, ("Content-Length", _length(parts))]), parts)
    if framing == "chunked":
        return stream(head(200, [JSON, ("Transfer-Encoding", "chunked")]), lambda: chunked(parts()))
    return stream(head(200, [JSON, CLOSE]), parts)  # delimited by the end of the connection


def _bomb(coding: str, status: int = 200, *, framing: str = "content-length") -> Behaviour:
    body = nested_gzip_bomb() if coding == "gzip, gzip" else zeros_bomb(coding)
    encoding = "deflate" if coding == "raw-deflate" else coding
    headers = [JSON, ("Content-Encoding", encoding)]
    if framing == "chunked":
        return stream(head(status, [*headers, ("Transfer-Encoding", "chunked")]), lambda: chunked(slices(body)))
    return stream(head(status, [*headers, ("Content-Length", str(len(body)))]), lambda: slices(body))


@attrs.frozen
class Big:
    name: str
    behaviour: Callable[[], Behaviour]  # built lazily: the bombs are made once, on first use


BIG = [
    Big("json-20MiB-content-length", lambda: _json_20("content-length")),
    Big("json-20MiB-chunked", lambda: _json_20("chunked")),
    Big("json-20MiB-until-close", lambda: _json_20("close")),
    Big("gzip-bomb-1GiB", lambda: _bomb("gzip")),
    Big("gzip-bomb-1GiB-chunked", lambda: _bomb("gzip", framing="chunked")),
    Big("deflate-bomb-1GiB", lambda: _bomb("deflate")),
    Big("raw-deflate-bomb-1GiB", lambda: _bomb("raw-deflate")),
    Big("gzip-gzip-bomb-1GiB", lambda: _bomb("gzip, gzip")),
    Big("gzip-bomb-as-500-error-body", lambda: _bomb("gzip", 500)),
    Big("deflate-bomb-as-400-error-body", lambda: _bomb("deflate", 400)),
    Big("gzip-bomb-as-404-error-body", lambda: _bomb("gzip", 404)),
]


def check_too_large(case: str, face: str, outcome: Outcome, peak: int) -> None:
    error = raised(outcome, errors.ResponseTooLargeError)
    assert isinstance(error, errors.APIConnectionError)
    assert f"max_response_bytes={DEFAULT_MAX_RESPONSE_BYTES}" in str(error)
    figures.record(
        f"hostile: {case}", **{f"{face} elapsed s": round(outcome.elapsed, 2), f"{face} traced MiB": peak / MiB}
    )
    assert peak < MEMORY_BOUND, f"the client allocated {peak / MiB:.1f} MiB at peak"
    assert outcome.elapsed < 10


@pytest.mark.parametrize("big", BIG, ids=lambda b: b.name)
def test_oversized_answer_is_refused_with_memory_flat_sync(big: Big) -> None:
    with RawServer(big.behaviour()) as server, traced_peak() as peak:
        outcome = run_sync(webex(server.url))
    check_too_large(big.name, "sync", outcome, peak())


@pytest.mark.parametrize("big", BIG, ids=lambda b: b.name)
async def test_oversized_answer_is_refused_with_memory_flat_async(big: Big) -> None:
    with RawServer(big.behaviour()) as server, traced_peak() as peak:
        outcome = await run_async(awebex(server.url))
    check_too_large(big.name, "async", outcome, peak())


CAP = 1000


def _padded(size: int) -> bytes:
    """The action as JSON of exactly `size` bytes (trailing spaces are valid JSON)."""
    return ACTION_BYTES + b" " * (size - len(ACTION_BYTES))


CAP_CASES = [
    pytest.param(_padded(CAP), None, True, id="exactly-the-cap"),
    pytest.param(_padded(CAP + 1), None, False, id="one-byte-over"),
    pytest.param(gzip.compress(_padded(CAP)), "gzip", True, id="gzip-inflating-to-the-cap"),
    pytest.param(gzip.compress(_padded(CAP + 1)), "gzip", False, id="gzip-inflating-one-byte-over"),
]


def _capped(body: bytes, encoding: str | None) -> Behaviour:
    headers = [JSON] + ([("Content-Encoding", encoding)] if encoding else [])
    return reply(http_response(200, body, headers))


@pytest.mark.parametrize(("body", "encoding", "fits"), CAP_CASES)
def test_max_response_bytes_counts_decoded_bytes_sync(body: bytes, encoding: str | None, fits: bool) -> None:
    with RawServer(_capped(body, encoding)) as server:
        outcome = run_sync(webex(server.url, max_response_bytes=CAP))
    if fits:
        assert outcome.error is None and outcome.value.id == "a"
    else:
        raised(outcome, errors.ResponseTooLargeError)


@pytest.mark.parametrize(("body", "encoding", "fits"), CAP_CASES)
async def test_max_response_bytes_counts_decoded_bytes_async(body: bytes, encoding: str | None, fits: bool) -> None:
    with RawServer(_capped(body, encoding)) as server:
        outcome = await run_async(awebex(server.url, max_response_bytes=CAP))
    if fits:
        assert outcome.error is None and outcome.value.id == "a"
    else:
        raised(outcome, errors.ResponseTooLargeError)


@pytest.mark.parametrize("status", [200, 401, 400])
def test_bomb_on_the_token_endpoint_sync(status: int) -> None:
    with RawServer(_bomb("gzip", status)) as server, traced_peak() as peak:
        client = TalkdeskClient(
            client_id="id", client_secret="secret", base_url=f"{server.url}/api", token_url=f"{server.url}/oauth/token"
        )
        outcome = run_sync(client, lambda c: c.attachments.request_upload_link())
        paths = [r.split(b" ")[1] for r in server.requests]
    check_too_large(f"token-endpoint gzip bomb ({status})", "sync", outcome, peak())
    assert set(paths) == {b"/oauth/token"}  # the API itself was never called


@pytest.mark.parametrize("status", [200, 401, 400])
async def test_bomb_on_the_token_endpoint_async(status: int) -> None:
    with RawServer(_bomb("gzip", status)) as server, traced_peak() as peak:
        client = AsyncTalkdeskClient(
            client_id="id", client_secret="secret", base_url=f"{server.url}/api", token_url=f"{server.url}/oauth/token"
        )
        outcome = await run_async(client, lambda c: c.attachments.request_upload_link())
        paths = [r.split(b" ")[1] for r in server.requests]
    check_too_large(f"token-endpoint gzip bomb ({status})", "async", outcome, peak())
    assert set(paths) == {b"/oauth/token"}


# The client process's own RSS, measured in a subprocess (tracemalloc sees Python's allocations only)

RSS_PROBE = r"""
import asyncio, json, re, sys
from attachkit import AsyncWebexClient, WebexClient

face, warm_up, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

def status(field):
    with open("/proc/self/status") as f:
        return int(re.search(field + r":\s+(\d+) kB", f.read()).group(1)) * 1024

def call(url):
    try:
        if face == "sync":
            with WebexClient(access_token="t", base_url=url + "/v1", max_retries=0) as client:
                client.attachment_actions.get("a")
        else:
            async def go():
                async with AsyncWebexClient(access_token="t", base_url=url + "/v1", max_retries=0) as client:
                    await client.attachment_actions.get("a")
            asyncio.run(go())
        return "ok"
    except Exception as exc:
        return type(exc).__name__

assert call(warm_up) == "ok"  # imports and first-call allocations happen before any baseline
results = []
for name, url in cases:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak (VmHWM) to the current RSS
    before = status("VmRSS")
    outcome = call(url)
    results.append([name, outcome, status("VmHWM") - before])
print(json.dumps(results))
"""

RSS_CASES = ["json-20MiB-content-length", "gzip-bomb-1GiB", "deflate-bomb-1GiB", "gzip-gzip-bomb-1GiB"]


@pytest.mark.skipif(
    not os.access("/proc/self/clear_refs", os.W_OK), reason="measures peak RSS through Linux's /proc/self/clear_refs"
)
@pytest.mark.parametrize("face", ["sync", "async"])
def test_bombs_keep_the_client_process_rss_flat(face: str) -> None:
    """Peak RSS growth of a fresh client process during each case (Linux resets the peak through clear_refs)."""
    chosen = [big for big in BIG if big.name in RSS_CASES]
    servers = [RawServer(big.behaviour()) for big in chosen]
    with RawServer(reply(http_response(200, ACTION_BYTES, [JSON]))) as warm_up:
        for server in servers:
            server.__enter__()
        try:
            cases = [[big.name, server.url] for big, server in zip(chosen, servers, strict=True)]
            done = subprocess.run(
                [sys.executable, "-c", RSS_PROBE, face, warm_up.url, json.dumps(cases)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        finally:
            for server in servers:
                server.__exit__(None, None, None)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for name, outcome, growth in results:
        figures.record(f"hostile: {name}", **{f"{face} RSS growth MiB": growth / MiB})
        assert outcome == "ResponseTooLargeError", name
        assert growth < MEMORY_BOUND, f"{name}: peak RSS grew by {growth / MiB:.1f} MiB"


# 5. Pathological JSON in a 200: UnexpectedResponseError, never RecursionError or a bare ValueError -------------------


@attrs.frozen
class BadBody:
    name: str
    body: bytes
    fields: tuple[str, ...] = ()  # the error must name one of these (each is wrong in the body)


def _wrong(**changes: Any) -> bytes:
    return json.dumps({**ACTION, **changes}).encode()


BAD_BODIES = [
    BadBody("100k-nested-arrays", b"[" * 100_000 + b"]" * 100_000),
    BadBody("100k-nested-objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    BadBody("invalid-utf8", b'{"id": "\xff\xfe\xfd", "type": "submit", "messageId": "m", "inputs": {}}'),
    BadBody("utf8-encoded-surrogate", b'{"id": "\xed\xb0\x80", "type": "submit", "messageId": "m", "inputs": {}}'),
    BadBody("Infinity", b"Infinity"),
    BadBody("NaN", b"NaN"),
    BadBody("-Infinity", b"-Infinity"),
    BadBody("truncated", ACTION_BYTES[:30]),
    BadBody("empty", b""),
    BadBody("null", b"null"),
    BadBody("array", b"[]"),
    BadBody("string", b'"submit"'),
    BadBody("html", b"<html><body>502 Bad Gateway</body></html>"),
    BadBody("latin1-not-utf8", b'{"id": "caf\xe9", "type": "submit", "messageId": "m", "inputs": {}}'),
]


WRONG_TYPES = [
    BadBody("only-id-an-int", b'{"id": 5}', fields=("id", "type", "messageId", "inputs")),
    BadBody("id-an-int", _wrong(id=5), fields=("id",)),
    BadBody("id-NaN", _wrong(id=float("nan")), fields=("id",)),
    BadBody("id-null", _wrong(id=None), fields=("id",)),
    BadBody("messageId-a-list", _wrong(messageId=["m"]), fields=("messageId",)),
    BadBody("inputs-a-list", _wrong(inputs=[]), fields=("inputs",)),
    BadBody("inputs-a-string", _wrong(inputs="x"), fields=("inputs",)),
]


def check_unexpected(outcome: Outcome, case: BadBody) -> None:
    error = raised(outcome, errors.UnexpectedResponseError)
    assert error.status_code == 200
    if case.fields:
        named = [f for f in case.fields if re.search(rf"`{re.escape(f)}`|\b{re.escape(f)}\b", error.message or "")]
        assert named, f"the error names none of {case.fields}: {error.message!r}"


def _body_200(case: BadBody) -> Behaviour:
    return reply(http_response(200, case.body, [JSON]))


@pytest.mark.parametrize("case", BAD_BODIES, ids=lambda c: c.name)
def test_pathological_json_sync(case: BadBody) -> None:
    with RawServer(_body_200(case)) as server:
        outcome = run_sync(webex(server.url))
    check_unexpected(outcome, case)


@pytest.mark.parametrize("case", BAD_BODIES, ids=lambda c: c.name)
async def test_pathological_json_async(case: BadBody) -> None:
    with RawServer(_body_200(case)) as server:
        outcome = await run_async(awebex(server.url))
    check_unexpected(outcome, case)


@pytest.mark.parametrize("case", WRONG_TYPES, ids=lambda c: c.name)
def test_wrong_types_name_the_field_sync(case: BadBody) -> None:
    with RawServer(_body_200(case)) as server:
        outcome = run_sync(webex(server.url))
    check_unexpected(outcome, case)


@pytest.mark.parametrize("case", WRONG_TYPES, ids=lambda c: c.name)
async def test_wrong_types_name_the_field_async(case: BadBody) -> None:
    with RawServer(_body_200(case)) as server:
        outcome = await run_async(awebex(server.url))
    check_unexpected(outcome, case)


UPLOAD_LINK_WITH_INT_URL = json.dumps({"url": 5, "request_id": "r"}).encode()


def test_wrong_type_in_an_upload_link_names_the_field_sync() -> None:
    with RawServer(reply(http_response(200, UPLOAD_LINK_WITH_INT_URL, [JSON]))) as server:
        client = TalkdeskClient(access_token="t", base_url=server.url, max_retries=0)
        outcome = run_sync(client, lambda c: c.attachments.request_upload_link())
    check_unexpected(outcome, BadBody("upload-link-url-an-int", b"", fields=("url",)))


async def test_wrong_type_in_an_upload_link_names_the_field_async() -> None:
    with RawServer(reply(http_response(200, UPLOAD_LINK_WITH_INT_URL, [JSON]))) as server:
        client = AsyncTalkdeskClient(access_token="t", base_url=server.url, max_retries=0)
        outcome = await run_async(client, lambda c: c.attachments.request_upload_link())
    check_unexpected(outcome, BadBody("upload-link-url-an-int", b"", fields=("url",)))


# 6. Protocol garbage: APIConnectionError (or a subclass), never another exception type -----------------------------

GZIP = ("Content-Encoding", "gzip")
GZIPPED = gzip.compress(ACTION_BYTES, mtime=0)

GARBAGE = [
    pytest.param(reply(b"SSH-2.0-OpenSSH_9.6\r\n"), id="not-http"),
    pytest.param(reply(bytes(range(256)) * 8), id="binary-noise"),
    pytest.param(reply(b'{"id": "a"}'), id="json-without-http"),
    pytest.param(reply(b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}"), id="status-not-a-number"),
    pytest.param(reply(b"HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\n{}"), id="status-two-digits"),
    pytest.param(reply(b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}"), id="status-four-digits"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nnot a header\r\n\r\n{}"), id="header-without-colon"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Bad: a\x00b\r\n\r\n{}"), id="nul-in-header"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n folded\r\n\r\n{}"), id="obs-fold-first-line"),
    pytest.param(
        reply(head(200, [JSON, ("Content-Length", "1000")]) + ACTION_BYTES[:20]), id="content-length-longer-than-body"
    ),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}"), id="content-length-negative"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}"), id="two-lengths"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}"), id="content-length-not-a-number"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), id="bad-chunk"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{}"), id="chunk-cut-short"),
    pytest.param(reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n{}"), id="unknown-transfer-coding"),
    pytest.param(reply(head(200, [("X-Big", "a" * (1 << 20))]) + b"{}"), id="one-MiB-header"),
    pytest.param(reply(b"HTTP/1.1 100 Continue\r\n\r\n"), id="only-100-continue-then-close"),
    pytest.param(reply(b""), id="closed-without-a-byte"),
    pytest.param(reset(), id="reset-without-a-byte"),
    pytest.param(reply_then_reset(head(200, [JSON, ("Content-Length", "500")]) + b'{"id"'), id="reset-mid-body"),
    pytest.param(reply(head(200, [JSON, ("Content-Encoding", "br"), ("Content-Length", "2")]) + b"{}"), id="brotli"),
    pytest.param(reply(head(200, [JSON, ("Content-Encoding", "zstd"), ("Content-Length", "2")]) + b"{}"), id="zstd"),
    pytest.param(reply(http_response(200, b"not gzip at all", [JSON, GZIP])), id="bad-gzip"),
    pytest.param(reply(http_response(200, GZIPPED[:-4] + b"\0\0\0\0", [JSON, GZIP])), id="gzip-wrong-length"),
    # A compressed body that stops before its stream does: what arrived cannot be told from what was sent.
    pytest.param(reply(http_response(200, GZIPPED[: len(GZIPPED) // 2], [JSON, GZIP])), id="gzip-cut-mid-stream"),
    pytest.param(reply(http_response(200, GZIPPED[:-8], [JSON, GZIP])), id="gzip-without-its-trailer"),
    pytest.param(
        reply(http_response(200, b"\x78\x9c\xff\xff", [JSON, ("Content-Encoding", "deflate")])), id="bad-zlib"
    ),
]


@pytest.mark.parametrize("behaviour", GARBAGE)
def test_protocol_garbage_sync(behaviour: Behaviour) -> None:
    with RawServer(behaviour) as server:
        outcome = run_sync(webex(server.url, timeout=5))
    raised(outcome, errors.APIConnectionError)


@pytest.mark.parametrize("behaviour", GARBAGE)
async def test_protocol_garbage_async(behaviour: Behaviour) -> None:
    with RawServer(behaviour) as server:
        outcome = await run_async(awebex(server.url, timeout=5))
    raised(outcome, errors.APIConnectionError)


# Statuses that are well-formed but mean nothing: a typed APIError, whatever the number

ODD_STATUSES = [
    pytest.param("999", errors.UnexpectedResponseError, id="999"),
    pytest.param("000", errors.APIConnectionError, id="000-read-as-informational"),
    pytest.param("299", errors.UnexpectedResponseError, id="299-undocumented-success"),
    pytest.param("418", errors.UnexpectedResponseError, id="418"),
    pytest.param("599", errors.InternalServerError, id="599"),
]


@pytest.mark.parametrize(("status", "expected"), ODD_STATUSES)
def test_odd_statuses_sync(status: str, expected: type[errors.AttachkitError]) -> None:
    with RawServer(reply(http_response(status, ACTION_BYTES, [JSON], reason="Odd"))) as server:
        outcome = run_sync(webex(server.url))
    error = raised(outcome, expected)
    assert not isinstance(error, errors.APIError) or error.status_code == int(status)


@pytest.mark.parametrize(("status", "expected"), ODD_STATUSES)
async def test_odd_statuses_async(status: str, expected: type[errors.AttachkitError]) -> None:
    with RawServer(reply(http_response(status, ACTION_BYTES, [JSON], reason="Odd"))) as server:
        outcome = await run_async(awebex(server.url))
    error = raised(outcome, expected)
    assert not isinstance(error, errors.APIError) or error.status_code == int(status)


# 7. A file that changes size while it is uploaded: refused, nothing stored by halves ------------------------------

CHUNK = 256 * 1024  # attachkit reads files in chunks of this size
# A file of whole chunks, where the growth shows only in the read after the last declared byte, and one that
# ends mid-chunk, where the last read already returns more than was declared.
SIZES = [pytest.param(3 * CHUNK, id="whole-chunks"), pytest.param(3 * CHUNK - 100, id="mid-chunk")]


def _change(path: Path, how: str) -> None:
    if how == "grows":
        with path.open("ab") as f:
            f.write(b"y" * 1000)
    else:
        with path.open("r+b") as f:
            f.truncate(1000)


@attrs.define
class Changer:
    """A progress callback that changes the file on its first call, i.e. once the upload is under way."""

    path: Path
    how: str
    calls: list[int] = attrs.field(factory=list)

    def __call__(self, done: int, total: int | None) -> None:
        if not self.calls:
            _change(self.path, self.how)
        self.calls.append(done)


@attrs.frozen
class Before:
    """What the mock holds that a failed upload must not change (`puts` only tells when the mock is done)."""

    attachments: int
    uploaded: int
    creates: int
    puts: int = attrs.field(eq=False)

    @classmethod
    def of(cls, mock: MockServer) -> Before:
        return cls(
            len(mock.state.attachments),
            sum(1 for u in mock.state.uploads.values() if u.state == "uploaded"),
            mock.state.requests.get("create_attachment", 0),
            _puts(mock),
        )


def _puts(mock: MockServer) -> int:
    """The storage PUTs the mock has finished with (stored, refused or dropped)."""
    return sum(1 for record in mock.state.history if record.operation == "upload")


def check_nothing_stored(mock: MockServer, before: Before, outcome: Outcome, changer: Changer) -> None:
    assert changer.calls, "the upload never reported progress, so the file never changed"
    error = raised(outcome, errors.AttachkitError)
    assert isinstance(error, errors.ValidationError | errors.APIConnectionError), repr(error)
    # The client may give up before the mock has finished with the PUT: wait for the mock's record of it.
    eventually(lambda: _puts(mock) > before.puts, 10, "the mock never finished the PUT")
    # No attachment, no create call, and no upload completed with the declared length (the storage accepted
    # nothing that the client then called a failure).
    assert Before.of(mock) == before


def _file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "report.bin"
    path.write_bytes(b"x" * size)
    return path


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("how", ["grows", "shrinks"])
def test_file_changing_size_during_upload_sync(mock: MockServer, tmp_path: Path, how: str, size: int) -> None:
    path = _file(tmp_path, size)
    changer = Changer(path, how)
    before = Before.of(mock)
    client = TalkdeskClient(**mock.talkdesk_kwargs())
    outcome = run_sync(client, lambda c: c.attachments.upload(path, progress=changer))
    check_nothing_stored(mock, before, outcome, changer)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("how", ["grows", "shrinks"])
async def test_file_changing_size_during_upload_async(mock: MockServer, tmp_path: Path, how: str, size: int) -> None:
    path = _file(tmp_path, size)
    changer = Changer(path, how)
    before = Before.of(mock)
    client = AsyncTalkdeskClient(**mock.talkdesk_kwargs())
    outcome = await run_async(client, lambda c: c.attachments.upload(path, progress=changer))
    check_nothing_stored(mock, before, outcome, changer)
