"""A minimal, constant-cost HTTP/1.1 keep-alive server with canned spec-valid answers, for `bench.py`.

    python scripts/_bench_server.py [--port 0] [--latency-ms 0]

It prints ``PORT <n>`` once it listens, then serves until killed. Three routes, each answering fixed bytes:

- ``POST .../webex/v1/attachment/actions``                              200, an AttachmentActivity
- ``GET  .../webex/v1/attachment/actions/{id}``                         200, the same AttachmentActivity
- ``POST .../talkdesk/digital-connect/conversations/{id}/messages``     201, a Message

The bodies are the specs' own examples. The server does not validate anything: its cost per request must be
small and the same whoever the client is, so that client-side differences show. ``--latency-ms`` holds each
answer back for that long without spending CPU (a stand-in for a network round trip).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys

ACTIVITY = json.dumps(
    {
        "id": "Y2lzY29zcGFyazovL3VzL0NBTExTLzU0MUFFMzBFLUUyQzUtNERENi04NTM4LTgzOTRDODYzM0I3MQo",
        "personId": "Y2lzY29zcGFyazovL3VzL1BFT1BMRS83MTZlOWQxYy1jYTQ0LTRmZ",
        "roomId": "L3VzL1BFT1BMRS80MDNlZmUwNy02Yzc3LTQyY2UtOWI",
        "type": "submit",
        "messageId": "GFyazovL3VzL1BFT1BMRS80MDNlZmUwNy02Yzc3LTQyY2UtOWI4NC",
        "inputs": {
            "Name": "John Andersen",
            "Url": "https://example.com",
            "Email": "john.andersen@example.com",
            "Tel": "+1 408 526 7209",
        },
        "created": "2016-05-10T19:41:00.100Z",
    }
).encode()
MESSAGE = json.dumps(
    {
        "id": "0b4c7a4e-6f1e-4b8c-9f6d-2a1e3c5d7f90",
        "created_at": "2022-01-01T09:00:00.000Z",
        "message_id": "7d9f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
    }
).encode()
NOT_FOUND = json.dumps({"code": "0000404", "message": "Not Found"}).encode()


CANNED: dict[str, tuple[int, str, dict[str, str], bytes]] = {
    "webex": (200, "OK", {"content-type": "application/json", "trackingid": "ROUTER_BENCH"}, ACTIVITY),
    "message": (201, "Created", {"content-type": "application/json"}, MESSAGE),
    "missing": (404, "Not Found", {"content-type": "application/json"}, NOT_FOUND),
}


def route(method: str, path: str) -> str:
    """Which canned answer a request gets."""
    if method == "POST" and path.endswith("/messages") and "/digital-connect/conversations/" in path:
        return "message"
    if "/attachment/actions" in path and method in ("POST", "GET"):
        return "webex"
    return "missing"


def _wire(status: int, reason: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers.items()), f"content-length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


WIRE = {name: _wire(*answer) for name, answer in CANNED.items()}


def answer(method: bytes, path: bytes) -> bytes:
    """The canned bytes for one request line."""
    return WIRE[route(method.decode("latin-1"), path.decode("latin-1"))]


class _Canned(asyncio.Protocol):
    def __init__(self, latency: float) -> None:
        self._latency = latency
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end]
            length = 0
            lower = head.lower()
            at = lower.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = lower.find(b"\r\n", at + 2)
                length = int(lower[at + 17 : stop if stop >= 0 else len(lower)])
            if len(self._buffer) < end + 4 + length:
                return
            self._buffer = self._buffer[end + 4 + length :]
            method, _, rest = head.partition(b" ")
            path = rest.partition(b" ")[0].partition(b"?")[0]
            reply = answer(method, path)
            assert self._transport is not None
            if self._latency > 0:
                asyncio.get_running_loop().call_later(self._latency, self._send, reply)
            else:
                self._transport.write(reply)

    def _send(self, reply: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def main(port: int, latency_ms: float) -> None:
    # IPPROTO_TCP on the listener makes asyncio set TCP_NODELAY on accepted sockets.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = await asyncio.get_running_loop().create_server(
        lambda: _Canned(latency_ms / 1000.0), sock=sock, backlog=1024
    )
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    try:
        asyncio.run(main(args.port, args.latency_ms))
    except KeyboardInterrupt:
        sys.exit(0)
