"""The client side of `bench.py`, run in a child process of its own so that its CPU time and memory are its own.

    python scripts/_bench_clients.py overhead --url URL --calls N --batch B --reps R [--in-memory]
    python scripts/_bench_clients.py async    --target URL,CALLS [--target ...] --reps R [--in-flight 64]
    python scripts/_bench_clients.py profile  --url URL --case OP:IMPL:BASELINE [--case async ...] --calls N
    python scripts/_bench_clients.py stream   --mock URL --file PATH --out PATH --reps R [--trace]

Each prints one JSON document on stdout. `URL` is the root of `_bench_server.py` (canned answers); `--mock` is the
root of `python -m attachkit.testing`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import hashlib
import json
import os
import pstats
import re
import resource
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

MESSAGE_ID = "GFyazovL3VzL1BFT1BMRS80MDNlZmUwNy02Yzc3LTQyY2UtOWI4NC"
ACTION_ID = "Y2lzY29zcGFyazovL3VzL0NBTExTLzU0MUFFMzBFLUUyQzUtNERENi04NTM4LTgzOTRDODYzM0I3MQo"
CONVERSATION_ID = "0b4c7a4e-6f1e-4b8c-9f6d-2a1e3c5d7f90"
INPUTS = {
    "Name": "John Andersen",
    "Url": "https://example.com",
    "Email": "john.andersen@example.com",
    "Tel": "+1 408 526 7209",
}
CONTENT = "A cute message for the agent to read, with love: Contact Person"
ATTACHMENT = {"id": "my-mp3-id", "name": "test.mp3", "type": "audio/mpeg", "size": 1024}
TOKEN = "bench-token"  # noqa: S105 - the canned server checks nothing; sent so that every request is the same

ROOT = Path(__file__).resolve().parent.parent
Stat = tuple[float, float, float]  # calls, own µs, cumulative µs; each per benchmarked call


def in_memory_transport() -> httpx.MockTransport:
    """The canned server's answers without a socket: what is left is the clients' own work."""
    from _bench_server import CANNED, route

    def handle(request: httpx.Request) -> httpx.Response:
        status, _, headers, body = CANNED[route(request.method, request.url.path)]
        return httpx.Response(status, headers=headers, content=body)

    return httpx.MockTransport(handle)


def variants(
    url: str, *, in_memory: bool = False
) -> tuple[dict[str, dict[str, Callable[[], object]]], Callable[[], None]]:
    """op -> impl -> one call, and a function closing every client. Each call sends the same request.

    With `in_memory`, attachkit and raw httpx send through the same in-memory transport (webexpythonsdk,
    built on requests, cannot, and is left out).
    """
    import webexpythonsdk

    from attachkit import TalkdeskClient, WebexClient

    transport = in_memory_transport() if in_memory else None
    shared = httpx.Client(transport=transport) if transport else None
    wx = WebexClient(access_token=TOKEN, base_url=f"{url}/webex/v1", http_client=shared)
    td = TalkdeskClient(access_token=TOKEN, base_url=f"{url}/talkdesk", http_client=shared)
    raw = httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, transport=transport)
    community = webexpythonsdk.WebexAPI(access_token=TOKEN, base_url=f"{url}/webex/v1/")
    actions_url = f"{url}/webex/v1/attachment/actions"
    messages_url = f"{url}/talkdesk/digital-connect/conversations/{CONVERSATION_ID}/messages"
    wire_attachment = {**ATTACHMENT, "size": str(ATTACHMENT["size"])}  # the API wants the size as a string

    def raw_create() -> object:
        response = raw.post(actions_url, json={"type": "submit", "messageId": MESSAGE_ID, "inputs": INPUTS})
        response.raise_for_status()
        return response.json()

    def raw_get() -> object:
        response = raw.get(f"{actions_url}/{ACTION_ID}")
        response.raise_for_status()
        return response.json()

    def raw_send() -> object:
        response = raw.post(
            messages_url,
            json={"content": CONTENT, "attachments": [wire_attachment]},
            headers={"x-idempotency-key": str(uuid.uuid4())},
        )
        response.raise_for_status()
        return response.json()

    table: dict[str, dict[str, Callable[[], object]]] = {
        "create": {
            "httpx": raw_create,
            "attachkit": lambda: wx.attachment_actions.create(message_id=MESSAGE_ID, inputs=INPUTS),
            "webexpythonsdk": lambda: community.attachment_actions.create(
                type="submit", messageId=MESSAGE_ID, inputs=INPUTS
            ),
        },
        "get": {
            "httpx": raw_get,
            "attachkit": lambda: wx.attachment_actions.get(ACTION_ID),
            "webexpythonsdk": lambda: community.attachment_actions.get(ACTION_ID),
        },
        "send_message": {
            "httpx": raw_send,
            "attachkit": lambda: td.conversations.send_message(
                CONVERSATION_ID, content=CONTENT, attachments=[ATTACHMENT]
            ),
        },
    }

    if in_memory:
        for impls in table.values():
            impls.pop("webexpythonsdk", None)

    def close() -> None:
        wx.close()
        td.close()
        raw.close()
        if shared is not None:
            shared.close()
        community._session._req_session.close()

    return table, close


def check_answers(table: dict[str, dict[str, Callable[[], object]]]) -> None:
    """Every variant must get the documented answer, or the timings compare different things."""
    for op, impls in table.items():
        for impl, call in impls.items():
            result = call()
            text = json.dumps(result if isinstance(result, dict) else _plain(result), default=str)
            expected = CONVERSATION_ID if op == "send_message" else MESSAGE_ID
            if expected not in text:
                raise SystemExit(f"{op}/{impl} answered {text[:200]!r}, not the canned body")


def _plain(value: object) -> object:
    for attr in ("to_dict", "_json_data"):
        found = getattr(value, attr, None)
        if callable(found):
            return found()
        if isinstance(found, dict):
            return found
    return {"repr": repr(value)}


# (1) and (2): per-call wall and CPU time, interleaved ----------------------------------------------------------------


def interleaved(impls: dict[str, Callable[[], object]], calls: int, batch: int) -> dict[str, dict[str, float]]:
    """Per-call wall and CPU seconds of each variant, run in alternating batches so that load drifts hit all alike."""
    wall = dict.fromkeys(impls, 0.0)
    cpu = dict.fromkeys(impls, 0.0)
    names = list(impls)
    done = 0
    round_ = 0
    while done < calls:
        n = min(batch, calls - done)
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            call = impls[name]
            c0 = time.process_time()
            t0 = time.perf_counter()
            for _ in range(n):
                call()
            wall[name] += time.perf_counter() - t0
            cpu[name] += time.process_time() - c0
        done += n
        round_ += 1
    return {name: {"wall": wall[name] / calls, "cpu": cpu[name] / calls} for name in names}


def _measure(table: dict[str, dict[str, Callable[[], object]]], calls: int, batch: int, reps: int, warmup: int) -> Any:
    check_answers(table)
    for impls in table.values():
        for call in impls.values():
            for _ in range(warmup):
                call()
    runs: dict[str, dict[str, list[dict[str, float]]]] = {op: {impl: [] for impl in table[op]} for op in table}
    for _ in range(reps):
        for op, impls in table.items():
            for impl, figures in interleaved(impls, calls, batch).items():
                runs[op][impl].append(figures)
    return runs


def overhead(url: str, calls: int, batch: int, reps: int, warmup: int, in_memory: bool) -> dict[str, Any]:
    """Over sockets against the canned server; with `in_memory`, also through the in-memory transport."""
    result: dict[str, Any] = {"calls_per_rep": calls, "batch": batch, "reps": reps}
    for key, memory in (("runs", False), ("in_memory_runs", True)):
        if memory and not in_memory:
            continue
        table, close = variants(url, in_memory=memory)
        try:
            result[key] = _measure(table, calls, batch, reps, warmup)
        finally:
            close()
    return result


# (3): async with many calls in flight against the sync client in sequence --------------------------------------------


async def _async_calls(client: Any, calls: int, in_flight: int) -> None:
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await client.attachment_actions.get(ACTION_ID)

    await asyncio.gather(*(worker() for _ in range(in_flight)))


def async_throughput(targets: list[str], reps: int, in_flight: int) -> dict[str, Any]:
    """For each "URL,CALLS" target: every variant of `ASYNC_VARIANTS` (those importable here), `reps` times."""
    return {"in_flight": in_flight, "reps": reps, "targets": [_async_target(t, reps, in_flight) for t in targets]}


class _RawActions:
    """A raw httpx(2) client behind the `client.attachment_actions.get` shape, so `_async_calls` drives it too."""

    def __init__(self, client: Any, url: str) -> None:
        self._client = client
        self._url = f"{url}/webex/v1/attachment/actions/"
        self.attachment_actions = self

    async def get(self, action_id: str) -> object:
        response = await self._client.get(self._url + action_id)
        response.raise_for_status()
        return response.json()

    def get_sync(self, action_id: str) -> object:
        response = self._client.get(self._url + action_id)
        response.raise_for_status()
        return response.json()


# Section (3)'s variants, in the order measured: name -> what the table calls it. "sync" is the baseline of every
# ratio; the CPU ratio target compares "aiohttp" with "httpx over aiohttp" (one transport, without attachkit on top).
ASYNC_VARIANTS: dict[str, str] = {
    "sync": "WebexClient.get, in sequence",
    "httpx sync": "raw httpx.Client, in sequence",
    "httpx2 sync": "raw httpx2.Client, in sequence",
    "aiohttp": "AsyncWebexClient, aiohttp backend (the default with the extra)",
    "httpx over aiohttp": "raw httpx.AsyncClient over attachkit's aiohttp transport",
    "httpx backend": 'AsyncWebexClient, backend="httpx"',
    "httpx async": "raw httpx.AsyncClient",
    "httpx2 async": "raw httpx2.AsyncClient",
}


def _async_target(target: str, reps: int, in_flight: int) -> dict[str, Any]:
    """Each variant in turn within every repetition: the sync ones in sequence, the async ones with `in_flight`
    calls at once. Raw clients get attachkit's pool limits and send the same request."""
    from attachkit import AsyncWebexClient, WebexClient
    from attachkit._aiohttp import AiohttpNetwork
    from attachkit._config import DEFAULT_LIMITS

    try:
        import httpx2
    except ImportError:  # measured where installed (the dev extra pins it)
        httpx2 = None

    url, _, count = target.rpartition(",")
    calls = int(count)
    kwargs = {"access_token": TOKEN, "base_url": f"{url}/webex/v1"}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    limits = {"max_connections": DEFAULT_LIMITS.max_connections, "max_keepalive_connections": 20}
    runs: list[dict[str, dict[str, float]]] = []

    def sync_calls(get: Callable[[str], object]) -> tuple[float, float]:
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(calls):
            get(ACTION_ID)
        return time.perf_counter() - t0, time.process_time() - c0

    async def async_calls(client: Any) -> tuple[float, float]:
        c0, t0 = time.process_time(), time.perf_counter()
        await _async_calls(client, calls, in_flight)
        return time.perf_counter() - t0, time.process_time() - c0

    async def main() -> None:
        async with contextlib.AsyncExitStack() as stack:
            sync_client = stack.enter_context(WebexClient(**kwargs))
            raw_sync = stack.enter_context(httpx.Client(headers=headers, limits=httpx.Limits(**limits)))
            sync_gets: dict[str, Callable[[str], object]] = {
                "sync": sync_client.attachment_actions.get,
                "httpx sync": _RawActions(raw_sync, url).get_sync,
            }
            clients: dict[str, Any] = {
                "aiohttp": await stack.enter_async_context(AsyncWebexClient(**kwargs, backend="aiohttp")),
                "httpx over aiohttp": _RawActions(
                    await stack.enter_async_context(
                        httpx.AsyncClient(headers=headers, transport=AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS))
                    ),
                    url,
                ),
                "httpx backend": await stack.enter_async_context(AsyncWebexClient(**kwargs, backend="httpx")),
                "httpx async": _RawActions(
                    await stack.enter_async_context(httpx.AsyncClient(headers=headers, limits=httpx.Limits(**limits))),
                    url,
                ),
            }
            if httpx2 is not None:
                raw2 = stack.enter_context(httpx2.Client(headers=headers, limits=httpx2.Limits(**limits)))
                sync_gets["httpx2 sync"] = _RawActions(raw2, url).get_sync
                clients["httpx2 async"] = _RawActions(
                    await stack.enter_async_context(
                        httpx2.AsyncClient(headers=headers, limits=httpx2.Limits(**limits))
                    ),
                    url,
                )
            for get in sync_gets.values():
                for _ in range(3):
                    get(ACTION_ID)
            for _ in range(reps):
                run: dict[str, dict[str, float]] = {}
                for name in ASYNC_VARIANTS:
                    if name in sync_gets:
                        wall, cpu = sync_calls(sync_gets[name])
                    elif name in clients:
                        # Warmed up just before, unmeasured: the sync variants run for longer than a kept-alive
                        # connection lives, and the throughput measured is the steady state's, not a reconnect's.
                        await _async_calls(clients[name], in_flight, in_flight)
                        wall, cpu = await async_calls(clients[name])
                    else:
                        continue
                    run[name] = {"per_s": calls / wall, "cpu_per_call": cpu / calls}
                runs.append(run)

    asyncio.run(main())
    labels = {name: label for name, label in ASYNC_VARIANTS.items() if name in runs[0]}
    return {"url": url, "calls_per_rep": calls, "labels": labels, "runs": runs}


# Profiles: why a target is missed ------------------------------------------------------------------------------------


def _short(filename: str) -> str:
    for prefix in (str(ROOT / ".venv" / "lib"), sys.prefix, sys.base_prefix):
        if filename.startswith(prefix):
            filename = filename[len(prefix) :].lstrip("/")
            filename = filename.split("site-packages/", 1)[-1]
            break
    return filename.replace(str(ROOT) + "/", "")


def _stats(profile: cProfile.Profile, calls: int) -> dict[str, Stat]:
    """function -> (calls, own µs, cumulative µs), each per benchmarked call."""
    out: dict[str, Stat] = {}
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in pstats.Stats(profile).stats.items():
        key = f"{_short(filename)}:{line}({name})" if line else name
        out[key] = (ncalls / calls, tottime / calls * 1e6, cumtime / calls * 1e6)
    return out


def _profiled(impls: dict[str, Callable[[], object]], calls: int, batch: int = 50) -> dict[str, dict[str, Stat]]:
    """A cProfile of each variant, run in alternating batches (as `interleaved`), so load drifts hit all alike."""
    profiles = {name: cProfile.Profile() for name in impls}
    for call in impls.values():
        for _ in range(min(calls, 50)):
            call()
    done = 0
    while done < calls:
        n = min(batch, calls - done)
        for name, call in impls.items():
            profiles[name].enable()
            for _ in range(n):
                call()
            profiles[name].disable()
        done += n
    return {name: _stats(profile, calls) for name, profile in profiles.items()}


def top_cumulative(stats: dict[str, Stat], limit: int) -> list[str]:
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:limit]
    lines = [f"{'cum µs':>9} {'own µs':>8} {'calls':>6}  function   (per benchmarked call, under cProfile)"]
    lines += [f"{cum:9.1f} {own:8.1f} {n:6.1f}  {key}" for key, (n, own, cum) in rows]
    return lines


def top_own(stats: dict[str, Stat], limit: int) -> list[str]:
    rows = sorted(stats.items(), key=lambda item: item[1][1], reverse=True)[:limit]
    lines = [
        f"{'own µs':>9} {'cum µs':>9} {'calls':>6}  function   (by own time, per benchmarked call, under cProfile)"
    ]
    lines += [f"{own:9.1f} {cum:9.1f} {n:6.1f}  {key}" for key, (n, own, cum) in rows]
    return lines


def _file(key: str) -> str:
    """The file of a `file:line(function)` key; a built-in's key stays whole."""
    match = re.match(r"^(.*):\d+\(", key)
    return match.group(1) if match else key


def difference(ours: dict[str, Stat], theirs: dict[str, Stat], limit: int) -> tuple[list[str], list[str]]:
    """The work `ours` does that `theirs` does not: functions it calls more often (or only it calls), by function
    and summed by file. Functions both call equally often do the same work; their difference is noise, left out."""
    none = (0.0, 0.0, 0.0)
    extra = {
        key: (ours.get(key, none), theirs.get(key, none))
        for key in set(ours) | set(theirs)
        if round(ours.get(key, none)[0], 1) != round(theirs.get(key, none)[0], 1)
    }
    total = sum(a[1] - b[1] for a, b in extra.values())
    rows = sorted(extra.items(), key=lambda item: item[1][0][1] - item[1][1][1], reverse=True)[:limit]
    functions = [f"work the baseline does not do: {total:+.1f} µs own time per call (under cProfile)"]
    functions.append(f"{'Δ own µs':>9} {'calls':>11}  function")
    functions += [f"{a[1] - b[1]:+9.1f} {a[0]:5.1f}/{b[0]:<5.1f}  {key}" for key, (a, b) in rows]
    files: dict[str, float] = {}
    for key, (a, b) in extra.items():
        files[_file(key)] = files.get(_file(key), 0.0) + a[1] - b[1]
    by_file = [f"{'Δ own µs':>9}  file (the same work, summed by file)"]
    by_file += [f"{d:+9.1f}  {f}" for f, d in sorted(files.items(), key=lambda item: item[1], reverse=True)[:limit]]
    return functions, by_file


def own_by_file(stats: dict[str, Stat], limit: int) -> list[str]:
    files: dict[str, float] = {}
    for key, (_, own, _) in stats.items():
        files[_file(key)] = files.get(_file(key), 0.0) + own
    total = sum(files.values()) or 1.0
    lines = [f"{'own µs':>9} {'share':>6}  file (own time summed by file, per benchmarked call)"]
    top = sorted(files.items(), key=lambda item: item[1], reverse=True)[:limit]
    lines += [f"{own:9.1f} {own / total:6.1%}  {f}" for f, own in top]
    return lines


def profile(url: str, cases: list[str], calls: int, in_flight: int, limit: int) -> dict[str, Any]:
    """Profiles for `cases`, each "OP:IMPL:BASELINE" or "async".

    "OP:IMPL:BASELINE": the top cumulative entries of IMPL as measured (over sockets), and the work IMPL does that
    BASELINE does not. Against httpx that comparison runs through the in-memory transport, where no socket or
    scheduling noise blurs it. "async": the async client with `in_flight` calls at once.
    """
    results: dict[str, Any] = {}
    table, close = variants(url)
    memory, close_memory = variants(url, in_memory=True)
    try:
        for case in cases:
            if case == "async":
                results[case] = profile_async(url, calls, in_flight, limit)
                continue
            op, impl, against = case.split(":")
            source = memory if against in memory[op] else table
            stats = _profiled({impl: table[op][impl]}, calls)
            compared = _profiled({impl: source[op][impl], against: source[op][against]}, calls)
            functions, files = difference(compared[impl], compared[against], limit)
            results[case] = {
                "calls": calls,
                "top": top_cumulative(stats[impl], limit),
                "compared": "in-memory transport" if source is memory else "sockets",
                "difference": functions,
                "by_file": files,
            }
    finally:
        close()
        close_memory()
    return results


def profile_async(url: str, calls: int, in_flight: int, limit: int) -> dict[str, Any]:
    from attachkit import AsyncWebexClient

    kwargs = {"access_token": TOKEN, "base_url": f"{url}/webex/v1"}
    profiler = cProfile.Profile()

    async def main() -> None:
        async with AsyncWebexClient(**kwargs) as client:
            await _async_calls(client, in_flight * 2, in_flight)
            profiler.enable()
            await _async_calls(client, calls, in_flight)
            profiler.disable()

    asyncio.run(main())
    stats = _stats(profiler, calls)
    return {
        "calls": calls,
        "in_flight": in_flight,
        "top": top_cumulative(stats, limit),
        "own": top_own(stats, limit),
        "by_file": own_by_file(stats, limit),
    }


# (4): streaming through the mock, and the client's peak memory ---------------------------------------------------


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakRSS:
    """Peak resident memory of this process over a stretch of code, in bytes.

    On Linux, writing 5 to /proc/self/clear_refs resets the high-water mark (VmHWM) to the current RSS, so the
    growth is exactly the stretch's own. Elsewhere it falls back to ru_maxrss before and after (a lower bound
    when the process peaked higher earlier).
    """

    def __init__(self) -> None:
        self.method = "VmHWM after clear_refs"
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            self.method = "ru_maxrss"
        self.baseline = self._now() if self.method != "ru_maxrss" else self._maxrss()

    @staticmethod
    def _maxrss() -> int:
        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale

    @staticmethod
    def _now() -> int:
        return (_status_kib("VmRSS") or 0) * 1024

    def growth(self) -> int:
        peak = (_status_kib("VmHWM") or 0) * 1024 if self.method != "ru_maxrss" else self._maxrss()
        return max(0, peak - self.baseline)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stream(mock: str, file: Path, out: Path, reps: int, trace: bool) -> dict[str, Any]:
    """Upload `file` and download it again, `reps` times, timing each and measuring the peak memory each adds."""
    from attachkit import TalkdeskClient
    from attachkit.testing import DEFAULT_ACCOUNT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    size = file.stat().st_size
    expected = _sha256(file)
    runs: list[dict[str, Any]] = []
    with TalkdeskClient(
        account=DEFAULT_ACCOUNT,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        base_url=f"{mock}/talkdesk",
        token_url=f"{mock}/talkdesk/oauth/token",
    ) as td:
        # Warm up: token, connections, and every code path once, so the baseline holds what any call needs.
        small = td.attachments.upload(b"warm up", name=f"warm-{uuid.uuid4()}.txt")
        td.attachments.download(small.id, out)
        if trace:
            tracemalloc.start(25)
        for _ in range(reps):
            gc.collect()
            peak = PeakRSS()
            t0 = time.perf_counter()
            attachment = td.attachments.upload(file, name=f"bench-{uuid.uuid4()}.bin")
            upload_s = time.perf_counter() - t0
            run: dict[str, Any] = {
                "upload_s": upload_s,
                "upload_rss_growth": peak.growth(),
                "rss_before": peak.baseline,
            }
            if trace:
                run["upload_allocations"] = _top_allocations()
            gc.collect()
            peak = PeakRSS()
            t0 = time.perf_counter()
            written = td.attachments.download(attachment.id, out)
            run["download_s"] = time.perf_counter() - t0
            run["download_rss_growth"] = peak.growth()
            if trace:
                run["download_allocations"] = _top_allocations()
            if written != size or _sha256(out) != expected:
                raise SystemExit(f"the download differs from the upload ({written} of {size} bytes)")
            out.unlink()
            runs.append(run)
    return {"bytes": size, "rss_method": peak.method, "runs": runs}


def _top_allocations() -> list[str]:
    snapshot = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    lines = [f"tracemalloc peak {peak / 2**20:.1f} MiB; largest live allocations:"]
    lines += [str(stat) for stat in snapshot.statistics("lineno")[:10]]
    return lines


# Command line ---------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("overhead")
    p.add_argument("--url", required=True)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--in-memory", action="store_true", help="also through an in-memory transport, no sockets")
    p = sub.add_parser("async")
    p.add_argument("--target", action="append", required=True, metavar="URL,CALLS")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--in-flight", type=int, default=64)
    p = sub.add_parser("profile")
    p.add_argument("--url", required=True)
    p.add_argument("--case", action="append", required=True, help='"OP:IMPL:BASELINE" or "async"')
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--in-flight", type=int, default=64)
    p.add_argument("--limit", type=int, default=20)
    p = sub.add_parser("stream")
    p.add_argument("--mock", required=True)
    p.add_argument("--file", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--trace", action="store_true", help="also list the largest allocations (tracemalloc)")
    args = parser.parse_args()
    result: dict[str, Any]
    if args.command == "overhead":
        result = overhead(args.url, args.calls, args.batch, args.reps, args.warmup, args.in_memory)
    elif args.command == "async":
        result = async_throughput(args.target, args.reps, args.in_flight)
    elif args.command == "profile":
        result = profile(args.url, args.case, args.calls, args.in_flight, args.limit)
    else:
        result = stream(args.mock, args.file, args.out, args.reps, args.trace)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    os.environ.pop("ATTACHKIT_LOG", None)  # logging would measure the log handler, not the client
    main()
