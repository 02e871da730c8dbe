"""A small load generator for `bench.py`: `send_message` against the mock, from a process of its own.

    python scripts/_bench_load.py --mock URL [--concurrency 8] [--duration 5] [--reps 5] [--warmup 1]
        [--spec-root URL] [--mock-pid PID] [--spec-root-pid PID] [--soak-seconds S --checkpoints K [--soak-requests N]]

It logs in (client credentials), uploads one attachment and starts one conversation through attachkit, then keeps
`--concurrency` keep-alive connections busy sending messages that carry the attachment, each with its own
idempotency key, so every request is stored rather than replayed. With `--spec-root` it sets nothing up: the
same request, with a made-up token, conversation and attachment reference, goes to the spec's own path under URL
(another mock of the spec, such as Stoplight Prism, which serves the paths at its root). Given both, the
repetitions alternate, mock then the other, so that both see the same machine. The request loop writes prebuilt
bytes over raw asyncio streams: the generator must cost far less than the server it measures.

With `--mock-pid` and `--spec-root-pid`, each repetition also reads the server's CPU time (its process and their
children, from /proc) before and after: CPU per request. `--soak-seconds` then keeps the mock busy that long and
reads its resident set size at `--checkpoints` evenly spaced moments, with the number of requests answered so far.

Prints one JSON document: requests/s and latency percentiles per repetition (`runs`, `spec_root_runs`), and the
soak's checkpoints (`soak`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx


def setup(mock: str) -> tuple[str, str, dict[str, Any]]:
    """A token, a conversation id and the attachment reference to send."""
    from attachkit import TalkdeskClient
    from attachkit.testing import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    token_url = f"{mock}/talkdesk/oauth/token"
    answer = httpx.post(
        token_url, data={"grant_type": "client_credentials"}, auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    )
    answer.raise_for_status()
    token = answer.json()["access_token"]
    with TalkdeskClient(access_token=token, base_url=f"{mock}/talkdesk") as td:
        attachment = td.attachments.upload(b"load test attachment", name=f"load-{uuid.uuid4()}.txt")
        conversation = td.conversations.start(touchpoint_id="bench", contact_person={"email": "bench@example.com"})
    reference = {
        "id": attachment.id,
        "name": attachment.name,
        "type": "text/plain",
        "size": str(len(b"load test attachment")),
    }
    return token, conversation.id, reference


STATIC_CONVERSATION = "0b4c7a4e-6f1e-4b8c-9f6d-2a1e3c5d7f90"
STATIC_REFERENCE = {"id": "bench-attachment", "name": "load.txt", "type": "text/plain", "size": "20"}


class Target:
    def __init__(
        self, mock: str, token: str, conversation_id: str, reference: dict[str, Any], *, prefix: str = "/talkdesk"
    ) -> None:
        url = httpx.URL(mock)
        self.host = url.host
        self.port = url.port or 80
        self.path = f"{prefix}/digital-connect/conversations/{conversation_id}/messages"
        self.body = json.dumps({"content": "load test", "attachments": [reference]}).encode()
        self.head = (
            f"POST {self.path} HTTP/1.1\r\nhost: {self.host}:{self.port}\r\nauthorization: Bearer {token}\r\n"
            f"content-type: application/json\r\ncontent-length: {len(self.body)}\r\n"
        ).encode()
        self.nonce = uuid.uuid4().hex[:12]
        self.pid = 0  # the server's process, when known: its CPU time is read around each run

    def request(self, n: int) -> bytes:
        return self.head + f"x-idempotency-key: {self.nonce}-{n}\r\n\r\n".encode() + self.body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    if at >= 0:
        end = lower.find(b"\r\n", at + 2)
        await reader.readexactly(int(lower[at + 17 : end]))
    elif b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def cpu_seconds(root: int) -> float | None:
    """User plus system CPU time of a process and its descendants so far (Linux), or None."""
    if not root or not Path(f"/proc/{root}/stat").exists():
        return None
    ticks = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int | None:
    """A process's resident set size now (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


async def soak(
    target: Target, concurrency: int, seconds: float, checkpoints: int, pid: int, counter: list[int], requests: int = 0
) -> Any:
    """Keep the mock busy for `seconds` (or, with `requests`, until it has answered that many); its RSS and the
    requests answered so far, at each checkpoint (every `seconds / checkpoints` of load)."""
    points = [{"requests": 0, "elapsed_s": 0.0, "rss_bytes": rss_bytes(pid)}]
    total = 0
    started = time.perf_counter()
    stretch = seconds / checkpoints
    done = 0
    while (total < requests) if requests else (done < checkpoints):
        result = await run(target, concurrency, stretch, counter)
        total += result["requests"]
        done += 1
        points.append({"requests": total, "elapsed_s": time.perf_counter() - started, "rss_bytes": rss_bytes(pid)})
    return points


async def run(target: Target, concurrency: int, duration: float, counter: list[int]) -> dict[str, Any]:
    cpu_before = cpu_seconds(target.pid)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + duration

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(target.host, target.port)
        try:
            while time.perf_counter() < stop_at:
                counter[0] += 1
                data = target.request(counter[0])
                t0 = time.perf_counter()
                writer.write(data)
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(target.pid)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "requests": len(latencies),
        "elapsed_s": elapsed,
        "per_s": len(latencies) / elapsed if elapsed else 0.0,
        "p50_s": pct(0.50),
        "p99_s": pct(0.99),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        # The server's CPU time per request: unlike requests/s, hardly moved by other load on the machine.
        "server_cpu_per_request_s": (cpu_after - cpu_before) / len(latencies)
        if cpu_before is not None and cpu_after is not None and latencies
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mock", required=True, help="an attachkit mock's URL")
    parser.add_argument(
        "--spec-root", help="also: a server of the Digital Connect spec's paths at this URL (no set-up)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--soak-seconds", type=float, default=0.0)
    parser.add_argument("--checkpoints", type=int, default=6)
    parser.add_argument("--soak-requests", type=int, default=0, help="soak until this many requests were answered")
    parser.add_argument("--mock-pid", type=int, default=0, help="the mock's process: its RSS and CPU time")
    parser.add_argument("--spec-root-pid", type=int, default=0, help="the other server's process: its CPU time")
    args = parser.parse_args()
    token, conversation_id, reference = setup(args.mock)
    mock = Target(args.mock, token, conversation_id, reference)
    mock.pid = args.mock_pid
    other = None
    if args.spec_root:
        other = Target(args.spec_root, "bench-token", STATIC_CONVERSATION, STATIC_REFERENCE, prefix="")
        other.pid = args.spec_root_pid
    counter = [0]
    report: dict[str, Any] = {"concurrency": args.concurrency, "duration_s": args.duration, "runs": []}

    async def all_runs() -> None:
        for target in (mock, other):
            if target is not None:
                await run(target, args.concurrency, args.warmup, counter)
        for _ in range(args.reps):
            report["runs"].append(await run(mock, args.concurrency, args.duration, counter))
            if other is not None:
                report.setdefault("spec_root_runs", []).append(
                    await run(other, args.concurrency, args.duration, counter)
                )
        if args.soak_seconds > 0:
            report["soak"] = await soak(
                mock, args.concurrency, args.soak_seconds, args.checkpoints, args.mock_pid, counter, args.soak_requests
            )

    asyncio.run(all_runs())
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
