"""A small load generator for `bench.py`: `send_message` against the mock, from a process of its own.

    python scripts/_bench_load.py --mock URL [--concurrency 8] [--duration 5] [--reps 5] [--warmup 1]

It logs in (client credentials), uploads one attachment and starts one conversation through attachkit, then keeps
`--concurrency` keep-alive connections busy sending messages that carry the attachment, each with its own
idempotency key, so every request is stored rather than replayed. The request loop writes prebuilt bytes over
raw asyncio streams: the generator must cost far less than the server it measures. Prints one JSON document with
requests/s and latency percentiles per repetition.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
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


class Target:
    def __init__(self, mock: str, token: str, conversation_id: str, reference: dict[str, Any]) -> None:
        url = httpx.URL(mock)
        self.host = url.host
        self.port = url.port or 80
        self.path = f"/talkdesk/digital-connect/conversations/{conversation_id}/messages"
        self.body = json.dumps({"content": "load test", "attachments": [reference]}).encode()
        self.head = (
            f"POST {self.path} HTTP/1.1\r\nhost: {self.host}:{self.port}\r\nauthorization: Bearer {token}\r\n"
            f"content-type: application/json\r\ncontent-length: {len(self.body)}\r\n"
        ).encode()
        self.nonce = uuid.uuid4().hex[:12]

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


async def run(target: Target, concurrency: int, duration: float, counter: list[int]) -> dict[str, Any]:
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
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mock", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    token, conversation_id, reference = setup(args.mock)
    target = Target(args.mock, token, conversation_id, reference)
    counter = [0]

    async def all_runs() -> list[dict[str, Any]]:
        await run(target, args.concurrency, args.warmup, counter)
        return [await run(target, args.concurrency, args.duration, counter) for _ in range(args.reps)]

    runs = asyncio.run(all_runs())
    json.dump({"concurrency": args.concurrency, "duration_s": args.duration, "runs": runs}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
