"""`make bench`: what attachkit costs, measured against raw httpx and the Webex community SDK in one run.

    python scripts/bench.py            # the full run (about 30 minutes on 2 cores, most of it the mock's soak)
    python scripts/bench.py --quick    # a tiny run that exercises every path in seconds (the smoke test's)
    python scripts/bench.py --clients  # sections 1 to 3 only (a few minutes): the README's performance table

Six measurements, everything on loopback, each figure the median of the repetitions:

1. Client overhead: `WebexClient.attachment_actions.create` / `.get` and `TalkdeskClient.conversations.send_message`
   against a minimal canned server in another process (`_bench_server.py`), per-call wall and client CPU time,
   as ratios to raw `httpx.Client` sending the same request and parsing the JSON (target <= 1.10). The variants run
   interleaved in small batches, and each ratio is the median of the per-repetition ratios. The same calls through
   an in-memory transport give the CPU our layer adds per call, without sockets.
2. Against `webexpythonsdk`: the same create/get, ours/theirs (target <= 0.85).
3. Async: 64 calls in flight against the sync client in sequence, throughput ratio, against the canned server as
   is and with a simulated 5 ms round trip, for every async stack in one run: `AsyncWebexClient` on the aiohttp
   backend (targets >= 1x at 0 ms, >= 10x at 5 ms; its CPU per call <= 1.25x that of raw `httpx.AsyncClient` over
   the same aiohttp transport) and on the httpx backend (>= 3x at 5 ms), raw httpx and raw httpx2, async and sync.
4. Streaming: upload then download a 256 MiB file through the mock (`python -m attachkit.testing`, its own
   process); throughput, and the client process's peak RSS growth over its baseline (target < 32 MiB).
5. The mock as a server: `send_message` requests/s and p50/p99 latency with request and response validation,
   under a load generator in another process (`_bench_load.py`), side by side with Stoplight Prism 5 serving the
   same spec (started here through `npx`, at a pinned version; dev-only, downloaded by npm on first use): the
   repetitions alternate between the two, and the ratio is the median of the per-repetition ratios (target
   >= 1.5). Both servers' CPU time per request is shown too: other load on the machine moves it far less than
   requests/s. Without Node.js, or with `--quick` (the smoke test downloads nothing), Prism is skipped and the
   table says why. Then the mock's resident set size while it keeps serving 1 million more requests (about 15 to
   20 minutes on 2 cores; `--quick` serves for one second), at a checkpoint every 15 s, and its slope.
6. Tooling: wall time of regenerating every package (`scripts/regenerate.py --check`: the same generation as
   `make regenerate`, into a temporary folder, without rewriting `generated/`), and `python -X importtime -c
   "import attachkit"` cold (no bytecode caches) and warm.

A table goes to stdout and `build/bench/bench.txt`, the figures to `build/bench/bench.json` (`bench-quick.*` with
`--quick`, `bench-clients.*` with `--clients`). Where a target is missed, a profile of that case (cProfile;
tracemalloc for memory) is printed and stored.

This file measures; `_bench_report.py` holds the targets and writes the table and the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

if __package__:  # imported as `scripts.bench`, from the repo root
    from . import _bench_report as reporting
else:  # run as `python scripts/bench.py`: its own folder is first on sys.path
    import _bench_report as reporting

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
PY = sys.executable
MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Mode:
    name: str
    reps: int
    calls: int  # per variant per repetition, (1) and (2)
    batch: int
    warmup: int
    async_calls: tuple[int, int]  # without and with the simulated round trip
    async_latency_ms: float
    in_flight: int
    stream_mib: int
    load_concurrency: int
    load_duration: float
    load_warmup: float
    soak_seconds: float  # with soak_requests: the load between two RSS checkpoints is soak_seconds / soak_checkpoints
    soak_checkpoints: int
    soak_requests: int  # 0: soak for soak_seconds; else until the mock has answered this many
    profile_calls: int
    prism: bool  # measure Stoplight Prism side by side (downloads it through npx on first use)
    quick: bool


FULL = Mode(
    name="full",
    reps=5,
    calls=1000,
    batch=50,
    warmup=100,
    async_calls=(640, 640),  # ten rounds of 64 in flight: the last, part-filled round weighs little
    async_latency_ms=5.0,
    in_flight=64,
    stream_mib=256,
    load_concurrency=8,
    load_duration=5.0,
    load_warmup=1.0,
    soak_seconds=120.0,
    soak_checkpoints=8,
    soak_requests=1_000_000,
    profile_calls=400,
    prism=True,
    quick=False,
)
# Every path of the full run, with tiny counts: for the smoke test, not for figures.
QUICK = dataclasses.replace(
    FULL,
    name="quick",
    reps=3,
    calls=20,
    batch=10,
    warmup=5,
    async_calls=(64, 64),
    stream_mib=1,
    load_concurrency=4,
    load_duration=0.3,
    load_warmup=0.2,
    soak_seconds=1.0,
    soak_checkpoints=2,
    soak_requests=0,
    profile_calls=10,
    prism=False,
    quick=True,
)
PRISM_VERSION = "5.16.0"  # @stoplight/prism-cli, pinned: the figures compare against one known release
PRISM_SPEC = "openapi/talkdesk-digital-connect.yaml"
MOCK_LIMITS = {"history_limit": 10_000, "record_limit": 10_000}  # the mock's defaults, passed explicitly


# Processes ------------------------------------------------------------------------------------------------------------


class Server:
    """A server process started here: waits for the line announcing its address, then drains its output.

    ``group``: the process leads a process group of its own, and stopping it stops the group (``npx`` runs the
    server it starts as a grandchild)."""

    def __init__(self, argv: Sequence[str], pattern: str, *, timeout: float = 60.0, group: bool = False) -> None:
        self.group = group
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=child_env(),
            start_new_session=group,
        )
        self.lines: list[str] = []
        found: list[str] = []
        ready = threading.Event()

        def drain() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.append(line.rstrip())
                del self.lines[:-50]
                if not found and (match := re.search(pattern, line)):
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout) or not found:
            self.stop()
            raise RuntimeError(f"{' '.join(argv)} did not start:\n" + "\n".join(self.lines))
        self.address = found[0]

    def peak_rss(self) -> int | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) * 1024 if match else None

    def stop(self) -> None:
        if self.group:
            self._signal_group(signal.SIGTERM)
        elif self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            if self.group:
                self._signal_group(signal.SIGKILL)
            else:
                self.proc.kill()
            self.proc.wait()

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)  # the group this process leads (start_new_session): ours alone


@contextlib.contextmanager
def serving(argv: Sequence[str], pattern: str, *, timeout: float = 60.0, group: bool = False) -> Iterator[Server]:
    server = Server(argv, pattern, timeout=timeout, group=group)
    try:
        yield server
    finally:
        server.stop()


def canned_server(latency_ms: float = 0.0) -> contextlib.AbstractContextManager[Server]:
    argv = [PY, str(SCRIPTS / "_bench_server.py"), "--port", "0", "--latency-ms", str(latency_ms)]
    return serving(argv, r"^PORT (\d+)")


def mock_server(storage: Path, *extra: str) -> contextlib.AbstractContextManager[Server]:
    argv = [PY, "-m", "attachkit.testing", "--port", "0", "--storage-dir", str(storage), "--token-expires-in", "3600"]
    return serving([*argv, *extra], r"listening on (http://\S+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def prism_server(mode: Mode) -> Iterator[Server | str]:
    """Stoplight Prism serving the Digital Connect spec, or why it is not measured."""
    if not mode.prism:
        yield "skipped with --quick: the smoke test downloads nothing"
        return
    npx = shutil.which("npx")
    if npx is None or shutil.which("node") is None:
        yield "Node.js (node and npx) is not installed on this machine"
        return
    argv = [npx, "--yes", f"@stoplight/prism-cli@{PRISM_VERSION}", "mock", "-h", "127.0.0.1"]
    argv += ["-p", str(free_port()), PRISM_SPEC]
    try:
        server = Server(argv, r"Prism is listening on (http://\S+)", timeout=600.0, group=True)
    except (RuntimeError, OSError) as exc:
        yield f"Prism did not start: {str(exc).splitlines()[-1] if str(exc) else type(exc).__name__}"
        return
    try:
        yield server
    finally:
        server.stop()


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ATTACHKIT_LOG", None)  # logging would measure the log handler
    env["PYTHONUNBUFFERED"] = "1"
    return env


def child(script: str, *args: object, timeout: float = 900.0) -> Any:
    """Run `scripts/<script>` in a process of its own and return the JSON document it prints."""
    argv = [PY, str(SCRIPTS / script), *map(str, args)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=child_env())
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Figures --------------------------------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


class Bench:
    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.report: dict[str, Any] = {"meta": meta(mode)}
        self.targets: list[reporting.Target] = []
        self.profile_cases: list[str] = []
        self.trace_memory = False

    # (1) and (2) --------------------------------------------------------------------------------------------------

    def overhead(self, url: str) -> None:
        m = self.mode
        data = child(
            "_bench_clients.py",
            "overhead",
            "--url",
            url,
            "--calls",
            m.calls,
            "--batch",
            m.batch,
            "--reps",
            m.reps,
            "--warmup",
            m.warmup,
            "--in-memory",
        )
        ops: dict[str, Any] = {}
        for op, impls in data["runs"].items():
            figures: dict[str, Any] = {
                impl: {
                    "wall_us": median([r["wall"] for r in runs]) * 1e6,
                    "cpu_us": median([r["cpu"] for r in runs]) * 1e6,
                }
                for impl, runs in impls.items()
            }
            for baseline in ("httpx", "webexpythonsdk"):
                if baseline in impls:
                    pairs = list(zip(impls["attachkit"], impls[baseline], strict=True))
                    figures[f"attachkit/{baseline}"] = {
                        "wall": median([a["wall"] / b["wall"] for a, b in pairs]),
                        "cpu": median([a["cpu"] / b["cpu"] for a, b in pairs]),
                    }
            ops[op] = figures
            self.check(op, figures, "httpx", "overhead", reporting.OVERHEAD_TARGET)
            if "webexpythonsdk" in impls:
                self.check(op, figures, "webexpythonsdk", "community", reporting.COMMUNITY_TARGET)
        self.report["overhead"] = {"calls_per_rep": data["calls_per_rep"], "reps": data["reps"], "ops": ops}
        memory: dict[str, Any] = {}
        for op, impls in data["in_memory_runs"].items():
            pairs = list(zip(impls["attachkit"], impls["httpx"], strict=True))
            memory[op] = {
                "httpx_cpu_us": median([b["cpu"] for _, b in pairs]) * 1e6,
                "attachkit_cpu_us": median([a["cpu"] for a, _ in pairs]) * 1e6,
                "added_cpu_us": median([(a["cpu"] - b["cpu"]) * 1e6 for a, b in pairs]),
                "ratio_cpu": median([a["cpu"] / b["cpu"] for a, b in pairs]),
            }
        self.report["in_memory"] = {"calls_per_rep": data["calls_per_rep"], "reps": data["reps"], "ops": memory}

    def check(self, op: str, figures: dict[str, Any], baseline: str, section: str, limit: float) -> None:
        """Record the wall and CPU ratio targets of `op` against `baseline`; profile the case when one is missed."""
        for key in ("wall", "cpu"):
            value = figures[f"attachkit/{baseline}"][key]
            self.targets.append(reporting.Target(section, f"{op} {key} ratio to {baseline}", value, limit, "<="))
        if not all(t.met for t in self.targets[-2:]):
            self.profile_cases.append(f"{op}:attachkit:{baseline}")

    # (3) ----------------------------------------------------------------------------------------------------------

    def async_throughput(self, urls: dict[float, str]) -> None:
        m = self.mode
        args: list[object] = ["async", "--reps", m.reps, "--in-flight", m.in_flight]
        for url, calls in zip(urls.values(), m.async_calls, strict=True):
            args += ["--target", f"{url},{calls}"]
        data = child("_bench_clients.py", *args)
        rows = []
        for latency, found in zip(urls, data["targets"], strict=True):
            runs = found["runs"]
            variants = {}
            for name in runs[0]:
                variants[name] = {
                    "label": found["labels"][name],
                    "per_s": median([r[name]["per_s"] for r in runs]),
                    "ratio": median([r[name]["per_s"] / r["sync"]["per_s"] for r in runs]),
                    "cpu_us": median([r[name]["cpu_per_call"] for r in runs]) * 1e6,
                }
            cpu_ratio = median([r["aiohttp"]["cpu_per_call"] / r["httpx over aiohttp"]["cpu_per_call"] for r in runs])
            rows.append(
                {
                    "latency_ms": latency,
                    "calls_per_rep": found["calls_per_rep"],
                    "in_flight": data["in_flight"],
                    "variants": variants,
                    "cpu_ratio": cpu_ratio,
                }
            )
            for name, limit in reporting.ASYNC_TARGETS.get(latency, {}).items():
                what = f"{name} async/sync throughput, {latency:g} ms server latency"
                self.targets.append(reporting.Target("async", what, variants[name]["ratio"], limit, ">="))
            what = f"aiohttp backend CPU/call ratio to raw httpx over the same transport, {latency:g} ms"
            self.targets.append(reporting.Target("async", what, cpu_ratio, reporting.ASYNC_CPU_TARGET, "<="))
            if not all(t.met for t in self.targets if t.section == "async") and "async" not in self.profile_cases:
                self.profile_cases.append("async")
        self.report["async"] = {"rows": rows}

    # (4) ----------------------------------------------------------------------------------------------------------

    def streaming(self, mock: Server, work: Path) -> None:
        m = self.mode
        source = work / "source.bin"
        with source.open("wb") as f:
            for _ in range(m.stream_mib):
                f.write(os.urandom(MIB))  # incompressible, so nothing on the way can shrink it
        data = child(
            "_bench_clients.py",
            "stream",
            "--mock",
            mock.address,
            "--file",
            source,
            "--out",
            work / "download.bin",
            "--reps",
            m.reps,
        )
        runs = data["runs"]
        size = data["bytes"]
        growth = [max(r["upload_rss_growth"], r["download_rss_growth"]) for r in runs]
        self.report["streaming"] = {
            "mib": size / MIB,
            "reps": len(runs),
            "upload_mib_s": median([size / MIB / r["upload_s"] for r in runs]),
            "download_mib_s": median([size / MIB / r["download_s"] for r in runs]),
            "upload_rss_growth_mib": median([r["upload_rss_growth"] / MIB for r in runs]),
            "download_rss_growth_mib": median([r["download_rss_growth"] / MIB for r in runs]),
            "rss_growth_mib": median(growth) / MIB,
            "rss_growth_max_mib": max(growth) / MIB,
            "client_rss_before_mib": median([r["rss_before"] / MIB for r in runs]),
            "rss_method": data["rss_method"],
            "mock_peak_rss_mib": (mock.peak_rss() or 0) / MIB,
        }
        what = "client peak RSS growth, MiB (worst repetition)"
        self.targets.append(reporting.Target("streaming", what, max(growth) / MIB, reporting.RSS_TARGET_MIB, "<"))
        if not self.targets[-1].met:
            traced = child(
                "_bench_clients.py",
                "stream",
                "--mock",
                mock.address,
                "--file",
                source,
                "--out",
                work / "download.bin",
                "--reps",
                1,
                "--trace",
            )
            run = traced["runs"][0]
            self.report.setdefault("profiles", {})["streaming"] = {
                "top": ["upload:", *run["upload_allocations"], "download:", *run["download_allocations"]]
            }
        source.unlink()

    # (5) ----------------------------------------------------------------------------------------------------------

    def mock_load(self, mock: Server, prism: Server | str) -> None:
        m = self.mode
        args: list[object] = ["--mock", mock.address, "--mock-pid", mock.proc.pid]
        if isinstance(prism, Server):
            args += ["--spec-root", prism.address, "--spec-root-pid", prism.proc.pid]
        args += ["--concurrency", m.load_concurrency, "--duration", m.load_duration, "--reps", m.reps]
        args += ["--warmup", m.load_warmup, "--soak-seconds", m.soak_seconds, "--checkpoints", m.soak_checkpoints]
        args += ["--soak-requests", m.soak_requests]
        data = child("_bench_load.py", *args, timeout=3600.0)  # the soak serves a million requests
        runs = data["runs"]
        report: dict[str, Any] = {
            "operation": "send_message",
            "validation": "request and response",
            "concurrency": data["concurrency"],
            "duration_s": data["duration_s"],
            **load_figures(runs),
        }
        other = data.get("spec_root_runs")
        if other:
            pairs = list(zip(runs, other, strict=True))
            report["prism"] = {"version": PRISM_VERSION, "spec": PRISM_SPEC, **load_figures(other)}
            report["ratio_to_prism"] = median([a["per_s"] / b["per_s"] for a, b in pairs])
            cpu = [(a, b) for a, b in pairs if a["server_cpu_per_request_s"] and b["server_cpu_per_request_s"]]
            if cpu:
                report["cpu_ratio_prism_to_mock"] = median(
                    [b["server_cpu_per_request_s"] / a["server_cpu_per_request_s"] for a, b in cpu]
                )
            what = f"mock requests/s with full validation, ratio to Prism {PRISM_VERSION}"
            self.targets.append(reporting.Target("mock", what, report["ratio_to_prism"], reporting.PRISM_TARGET, ">="))
        else:
            report["prism_skipped"] = prism if isinstance(prism, str) else "no figures"
        report["rss"] = rss_figures(data.get("soak") or [], sum(r["requests"] for r in runs), m.soak_seconds)
        self.report["mock"] = report

    # (6) ----------------------------------------------------------------------------------------------------------

    def tooling(self, work: Path) -> None:
        m = self.mode
        regenerate = [PY, str(SCRIPTS / "regenerate.py"), "--help" if m.quick else "--check"]
        times, codes = [], []
        for _ in range(m.reps):
            t0 = time.perf_counter()
            done = subprocess.run(regenerate, capture_output=True, text=True, cwd=ROOT, env=child_env(), check=False)
            times.append(time.perf_counter() - t0)
            codes.append(done.returncode)
        cold, warm = [], []
        breakdown: list[tuple[str, float]] = []
        reps = 1 if m.quick else m.reps
        for i in range(reps):
            cache = work / f"pycache-{i}"
            cold.append(import_time(work, {"PYTHONPYCACHEPREFIX": str(cache)})[0])
            shutil.rmtree(cache, ignore_errors=True)
        import_time(work, {})  # make sure the bytecode caches exist
        for _ in range(reps):
            total, breakdown = import_time(work, {})
            warm.append(total)
        self.report["tooling"] = {
            "regenerate_command": " ".join(["python", *regenerate[1:]]).replace(str(ROOT) + "/", ""),
            "regenerate_s": median(times),
            "regenerate_exit_codes": sorted(set(codes)),
            "import_cold_ms": median(cold),
            "import_warm_ms": median(warm),
            "import_warm_breakdown_ms": dict(breakdown),
        }

    # Profiles -----------------------------------------------------------------------------------------------------

    def profiles(self, url: str) -> None:
        if not self.profile_cases:
            return
        m = self.mode
        args: list[object] = ["profile", "--url", url, "--calls", m.profile_calls, "--in-flight", m.in_flight]
        for case in self.profile_cases:
            args += ["--case", case]
        self.report.setdefault("profiles", {}).update(child("_bench_clients.py", *args))


def load_figures(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The medians of a server's load repetitions, and every status it answered."""
    statuses: dict[str, int] = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    cpu = [r["server_cpu_per_request_s"] for r in runs if r.get("server_cpu_per_request_s")]
    return {
        "reps": len(runs),
        "per_s": median([r["per_s"] for r in runs]),
        "p50_ms": median([r["p50_s"] for r in runs]) * 1e3,
        "p99_ms": median([r["p99_s"] for r in runs]) * 1e3,
        "cpu_us_per_request": median(cpu) * 1e6 if cpu else None,
        "requests": sum(r["requests"] for r in runs),
        "statuses": statuses,
    }


def rss_figures(points: Sequence[dict[str, Any]], before: int, seconds: float) -> dict[str, Any]:
    """The mock's RSS over the soak: at its start and end, and the slope over its second half (least squares)."""
    points = [
        {"requests": before + p["requests"], "elapsed_s": p["elapsed_s"], "mib": p["rss_bytes"] / MIB}
        for p in points
        if p.get("rss_bytes")
    ]
    figures: dict[str, Any] = {"soak_s": seconds, "limits": MOCK_LIMITS, "points": points}
    if len(points) < 2:
        return figures
    tail = points[len(points) // 2 :] if len(points) >= 4 else points
    xs, ys = [p["requests"] for p in tail], [p["mib"] for p in tail]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0
    last = points[-1]
    rate = (last["requests"] - points[0]["requests"]) / max(last["elapsed_s"] - points[0]["elapsed_s"], 1e-9)
    figures.update(
        {
            "requests": last["requests"],
            "first_mib": points[0]["mib"],
            "last_mib": last["mib"],
            "peak_mib": max(p["mib"] for p in points),
            "slope_kib_per_1000": slope * 1024 * 1000,
            "at_million_mib": last["mib"] + slope * max(0, 1_000_000 - last["requests"]),
            "million_minutes": 1_000_000 / rate / 60 if rate > 0 else None,
        }
    )
    return figures


def import_time(cwd: Path, extra_env: dict[str, str]) -> tuple[float, list[tuple[str, float]]]:
    """`import attachkit` in a fresh interpreter: its cumulative ms, and the packages it spends the most on."""
    env = {**child_env(), **extra_env}
    done = subprocess.run(
        [PY, "-X", "importtime", "-c", "import attachkit"], capture_output=True, text=True, cwd=cwd, env=env, check=True
    )
    entries: list[tuple[int, str, float]] = []  # depth, module, cumulative ms
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            entries.append((len(match.group(3)) // 2, match.group(4), int(match.group(2)) / 1000))
    index = next(i for i, e in enumerate(entries) if e[0] == 0 and e[1] == "attachkit")
    packages: dict[str, float] = {}  # top-level packages first imported under attachkit, by their own cumulative
    for depth, module, ms in reversed(entries[:index]):
        if depth == 0:
            break
        top = module.partition(".")[0]
        if top != "attachkit" and top not in packages and not top.startswith("_"):
            packages[top] = ms if module == top else packages.get(top, 0.0)
    heaviest = sorted(packages.items(), key=lambda item: item[1], reverse=True)[:6]
    return entries[index][2], [(name, round(ms, 1)) for name, ms in heaviest]


def cpu_ticks() -> tuple[int, int] | None:
    """The machine's CPU time stolen by the hypervisor and its CPU time in all, in ticks (Linux), else None.

    On a shared VM, stolen time slows what is CPU-bound (the async clients) far more than what waits (the sync
    client at 5 ms), so it moves the async ratios; the report says how much there was.
    """
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    if fields[0] != "cpu" or len(fields) < 9:
        return None
    ticks = [int(value) for value in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return ticks[7], sum(ticks)


def steal_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of CPU time stolen between two `cpu_ticks()` readings, or None."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def meta(mode: Mode) -> dict[str, Any]:
    return {
        "mode": mode.name,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(terse=True),
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "reps": mode.reps,
    }


# Main -----------------------------------------------------------------------------------------------------------------


def servers(bench: Bench, work: Path, log: Callable[[str], None]) -> None:
    """Sections (4) to (6): streaming through the mock, the mock under load beside Prism, tooling."""
    mode = bench.mode
    storage = work / "mock-storage"
    storage.mkdir()
    with mock_server(storage) as mock:
        log(f"(4) streaming {mode.stream_mib} MiB through the mock")
        bench.streaming(mock, work)
    loaded = work / "mock-load-storage"
    loaded.mkdir()
    limits = [f"--{name.replace('_', '-')}={value}" for name, value in MOCK_LIMITS.items()]
    log(f"(5) starting Stoplight Prism {PRISM_VERSION} through npx" if mode.prism else "(5) Prism skipped")
    with mock_server(loaded, "--validate-responses", *limits) as mock, prism_server(mode) as prism:
        if isinstance(prism, str):
            log(f"(5) Prism not measured: {prism}")
        more = f"{mode.soak_requests:,} requests" if mode.soak_requests else f"{mode.soak_seconds:g} s"
        log(f"(5) the mock under load, then {more} more for its RSS")
        bench.mock_load(mock, prism)
    log("(6) tooling")
    bench.tooling(work)


def run(mode: Mode, out: Path, log: Callable[[str], None], *, clients_only: bool = False) -> dict[str, Any]:
    bench = Bench(mode)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="attachkit-bench-") as tmp:
        work = Path(tmp)
        with canned_server() as plain, canned_server(mode.async_latency_ms) as slow:
            url = f"http://127.0.0.1:{plain.address}"
            log("(1)/(2) client overhead against the canned server")
            bench.overhead(url)
            log("(3) async throughput")
            ticks = cpu_ticks()
            bench.async_throughput({0.0: url, mode.async_latency_ms: f"http://127.0.0.1:{slow.address}"})
            bench.report["meta"]["cpu_steal_async"] = steal_share(ticks, cpu_ticks())
            if bench.profile_cases:
                log(f"profiling the missed cases: {', '.join(bench.profile_cases)}")
                bench.profiles(url)
        if not clients_only:
            servers(bench, work, log)
    report = bench.report
    report["meta"]["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    report["meta"]["elapsed_s"] = time.perf_counter() - started
    report["targets"] = [{**t.as_dict(), "met": t.met} for t in bench.targets]
    report["meta"]["sections"] = "clients" if clients_only else "all"
    stem = "bench" if mode.name == "full" else f"bench-{mode.name}"
    reporting.write(report, out, f"{stem}-clients" if clients_only else stem)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run that exercises every path (smoke test)")
    parser.add_argument(
        "--clients", action="store_true", help="only the client sections, (1) to (3): the README's performance table"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where the JSON and table go")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL

    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[bench {time.perf_counter() - started:5.1f} s] {text}", file=sys.stderr, flush=True)

    run(mode, args.out, log, clients_only=args.clients)


if __name__ == "__main__":
    main()
