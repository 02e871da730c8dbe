"""`scripts/bench.py --quick` runs end to end and reports every section with numbers.

No timing assertions: the figures belong to `make bench`. This only keeps the script from rotting.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from scripts import _bench_chart, _bench_clients, _bench_report

ROOT = Path(__file__).resolve().parent.parent.parent


def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return []


def test_quick_bench_reports_every_section(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads((tmp_path / "bench-quick.json").read_text())
    table = (tmp_path / "bench-quick.txt").read_text()
    assert table in result.stdout
    assert "\n".join(_bench_report.render(report)) + "\n" == table  # the JSON holds everything the table says

    meta = report["meta"]
    assert meta["cores"] >= 1 and meta["python"].split()[-1] == ".".join(map(str, sys.version_info[:3]))
    for heading in ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "cores", meta["python"]):
        assert heading in table
    if Path("/proc/stat").exists():  # Linux: the hypervisor's share of section 3's CPU time is reported
        assert 0.0 <= meta["cpu_steal_async"] <= 1.0
        assert "stolen by the hypervisor during (3)" in table

    clients_only = {key: value for key, value in report.items() if key not in ("streaming", "mock", "tooling")}
    text = "\n".join(_bench_report.render(clients_only))  # `bench.py --clients`: sections (1) to (3)
    assert "(3)" in text and "(4)" not in text and "(6)" not in text

    for section in ("overhead", "in_memory", "async", "streaming", "mock", "tooling"):
        numbers = _numbers(report[section])
        assert numbers, section
        assert all(math.isfinite(n) for n in numbers), section

    ops = report["overhead"]["ops"]
    assert set(ops) == {"create", "get", "send_message"}
    for op, figures in ops.items():
        for impl in ("httpx", "attachkit"):
            assert figures[impl]["wall_us"] > 0 and figures[impl]["cpu_us"] >= 0, (op, impl)
        assert figures["attachkit/httpx"]["wall"] > 0
    for op in ("create", "get"):
        assert ops[op]["attachkit/webexpythonsdk"]["cpu"] > 0
    assert set(report["in_memory"]["ops"]) == set(ops)

    rows = report["async"]["rows"]
    assert [row["latency_ms"] > 0 for row in rows] == [False, True]
    assert all(row["in_flight"] == 64 and row["cpu_ratio"] > 0 for row in rows)
    for row in rows:  # every variant measured, httpx2 included (the dev extra pins it)
        assert set(row["variants"]) == set(_bench_clients.ASYNC_VARIANTS), row["latency_ms"]
        assert all(v["per_s"] > 0 and v["cpu_us"] > 0 and v["label"] in table for v in row["variants"].values())
        assert row["variants"]["sync"]["ratio"] == 1.0
    async_targets = [t["what"] for t in report["targets"] if t["section"] == "async"]
    assert async_targets == [
        "aiohttp async/sync throughput, 0 ms server latency",
        "aiohttp backend CPU/call ratio to raw httpx over the same transport, 0 ms",
        "aiohttp async/sync throughput, 5 ms server latency",
        "httpx backend async/sync throughput, 5 ms server latency",
        "aiohttp backend CPU/call ratio to raw httpx over the same transport, 5 ms",
    ]

    streaming = report["streaming"]
    assert streaming["upload_mib_s"] > 0 and streaming["download_mib_s"] > 0
    assert streaming["rss_growth_mib"] >= 0

    mock = report["mock"]
    assert mock["per_s"] > 0 and mock["p99_ms"] >= mock["p50_ms"] > 0
    assert set(mock["statuses"]) == {"201"}
    assert mock["validation"] == "request and response"
    # --quick never downloads Prism: it says so, and shows attachkit's figures alone.
    assert "prism" not in mock and "--quick" in mock["prism_skipped"]
    assert f"Prism not measured: {mock['prism_skipped']}" in table
    rss = mock["rss"]
    assert len(rss["points"]) >= 2 and all(point["mib"] > 0 for point in rss["points"])
    assert rss["requests"] > mock["requests"] and "RSS" in table and "1 million" in table

    tooling = report["tooling"]
    assert tooling["regenerate_s"] > 0 and tooling["regenerate_exit_codes"] == [0]
    assert tooling["import_cold_ms"] > 0 and tooling["import_warm_ms"] > 0

    assert report["targets"] and all({"section", "what", "value", "target", "met"} <= set(t) for t in report["targets"])

    # The chart: well-formed SVG, one bar and one target tick per target, coloured by the verdict.
    svg = ElementTree.parse(tmp_path / "bench-quick.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    bars = svg.findall(f"{ns}rect")
    assert len(bars) == len(svg.findall(f"{ns}line")) == len(report["targets"])
    assert [bar.get("fill") == _bench_chart.MET for bar in bars] == [t["met"] for t in report["targets"]]
    for case, profile in report.get("profiles", {}).items():
        assert profile["top"], case


def test_bench_imports_as_a_module_too() -> None:
    from scripts import bench

    assert bench.reporting is _bench_report
