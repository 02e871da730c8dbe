"""`make bench`: what attachkit costs, measured against raw httpx and the Webex community SDK in one run.

    python scripts/bench.py            # the full run (about 5-10 minutes on 2 cores)
    python scripts/bench.py --quick    # a tiny run that exercises every path in seconds (the smoke test's)

Six measurements, everything on loopback, each figure the median of the repetitions:

1. Client overhead: `WebexClient.attachment_actions.create` / `.get` and `TalkdeskClient.conversations.send_message`
   against a minimal canned server in another process (`_bench_server.py`), per-call wall and client CPU time,
   as ratios to raw `httpx.Client` sending the same request and parsing the JSON (target <= 1.15). The variants run
   interleaved in small batches, and each ratio is the median of the per-repetition ratios. The same calls through
   an in-memory transport give the CPU our layer adds per call, without sockets.
2. Against `webexpythonsdk`: the same create/get, ours/theirs (target <= 0.85).
3. Async: `AsyncWebexClient` with 64 calls in flight against the sync client in sequence, throughput ratio
   (target >= 3), against the canned server as is and with a simulated network round trip.
4. Streaming: upload then download a 256 MiB file through the mock (`python -m attachkit.testing`, its own
   process); throughput, and the client process's peak RSS growth over its baseline (target < 32 MiB).
5. The mock as a server: `send_message` requests/s and p50/p99 latency, full request validation, under a load
   generator in another process (`_bench_load.py`).
6. Tooling: wall time of regenerating every package (`scripts/regenerate.py --check`: the same generation as
   `make regenerate`, into a temporary folder, without rewriting `generated/`), and `python -X importtime -c
   "import attachkit"` cold (no bytecode caches) and warm.

A table goes to stdout and `build/bench/bench.txt`, the figures to `build/bench/bench.json` (`bench-quick.*` with
`--quick`). Where a target is missed, a profile of that case (cProfile; tracemalloc for memory) is printed and stored.

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
    profile_calls: int
    quick: bool


FULL = Mode(
    name="full",
    reps=5,
    calls=1000,
    batch=50,
    warmup=100,
    async_calls=(500, 300),
    async_latency_ms=5.0,
    in_flight=64,
    stream_mib=256,
    load_concurrency=8,
    load_duration=5.0,
    load_warmup=1.0,
    profile_calls=400,
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
    profile_calls=10,
    quick=True,
)


# Processes ------------------------------------------------------------------------------------------------------------


class Server:
    """A server process started here: waits for the line announcing its address, then drains its output."""

    def __init__(self, argv: Sequence[str], pattern: str, *, timeout: float = 60.0) -> None:
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=child_env()
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
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextlib.contextmanager
def serving(argv: Sequence[str], pattern: str) -> Iterator[Server]:
    server = Server(argv, pattern)
    try:
        yield server
    finally:
        server.stop()


def canned_server(latency_ms: float = 0.0) -> contextlib.AbstractContextManager[Server]:
    argv = [PY, str(SCRIPTS / "_bench_server.py"), "--port", "0", "--latency-ms", str(latency_ms)]
    return serving(argv, r"^PORT (\d+)")


def mock_server(storage: Path) -> contextlib.AbstractContextManager[Server]:
    argv = [PY, "-m", "attachkit.testing", "--port", "0", "--storage-dir", str(storage), "--token-expires-in", "3600"]
    return serving(argv, r"listening on (http://\S+)")


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
            row = {
                "latency_ms": latency,
                "calls_per_rep": found["calls_per_rep"],
                "in_flight": data["in_flight"],
                "sync_per_s": median([r["sync_per_s"] for r in runs]),
                "async_per_s": median([r["async_per_s"] for r in runs]),
                "ratio": median([r["async_per_s"] / r["sync_per_s"] for r in runs]),
                "sync_cpu_us": median([r["sync_cpu_per_call"] for r in runs]) * 1e6,
                "async_cpu_us": median([r["async_cpu_per_call"] for r in runs]) * 1e6,
                "httpx_async_per_s": median([r["httpx_async_per_s"] for r in runs]),
                "httpx_async_cpu_us": median([r["httpx_async_cpu_per_call"] for r in runs]) * 1e6,
            }
            rows.append(row)
            what = f"async/sync throughput, {latency:g} ms server latency"
            self.targets.append(reporting.Target("async", what, row["ratio"], reporting.ASYNC_TARGET, ">="))
            if not self.targets[-1].met and "async" not in self.profile_cases:
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

    def mock_load(self, mock: Server) -> None:
        m = self.mode
        data = child(
            "_bench_load.py",
            "--mock",
            mock.address,
            "--concurrency",
            m.load_concurrency,
            "--duration",
            m.load_duration,
            "--reps",
            m.reps,
            "--warmup",
            m.load_warmup,
        )
        runs = data["runs"]
        statuses: dict[str, int] = {}
        for run in runs:
            for status, count in run["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        self.report["mock"] = {
            "operation": "send_message",
            "concurrency": data["concurrency"],
            "duration_s": data["duration_s"],
            "reps": len(runs),
            "per_s": median([r["per_s"] for r in runs]),
            "p50_ms": median([r["p50_s"] for r in runs]) * 1e3,
            "p99_ms": median([r["p99_s"] for r in runs]) * 1e3,
            "requests": sum(r["requests"] for r in runs),
            "statuses": statuses,
        }

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


def run(mode: Mode, out: Path, log: Callable[[str], None]) -> dict[str, Any]:
    bench = Bench(mode)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="attachkit-bench-") as tmp:
        work = Path(tmp)
        with canned_server() as plain, canned_server(mode.async_latency_ms) as slow:
            url = f"http://127.0.0.1:{plain.address}"
            log("(1)/(2) client overhead against the canned server")
            bench.overhead(url)
            log("(3) async throughput")
            bench.async_throughput({0.0: url, mode.async_latency_ms: f"http://127.0.0.1:{slow.address}"})
            if bench.profile_cases:
                log(f"profiling the missed cases: {', '.join(bench.profile_cases)}")
                bench.profiles(url)
        storage = work / "mock-storage"
        storage.mkdir()
        with mock_server(storage) as mock:
            log(f"(4) streaming {mode.stream_mib} MiB through the mock")
            bench.streaming(mock, work)
            log("(5) the mock under load")
            bench.mock_load(mock)
        log("(6) tooling")
        bench.tooling(work)
    report = bench.report
    report["meta"]["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    report["meta"]["elapsed_s"] = time.perf_counter() - started
    report["targets"] = [{**t.as_dict(), "met": t.met} for t in bench.targets]
    reporting.write(report, out, "bench" if mode.name == "full" else f"bench-{mode.name}")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run that exercises every path (smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where the JSON and table go")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL

    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[bench {time.perf_counter() - started:5.1f} s] {text}", file=sys.stderr, flush=True)

    run(mode, args.out, log)


if __name__ == "__main__":
    main()
