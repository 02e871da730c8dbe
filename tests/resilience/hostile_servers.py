"""Hostile peers on loopback for the hostile-network tests: raw-socket servers that misbehave on purpose, a tiny
forward proxy that records what it relays, a small JSON server (plain or TLS), compact compression bombs, and
bounded ways to run a client call.

Everything here binds 127.0.0.1 on a free port, runs in daemon threads, and ends within a few seconds of being
stopped: every socket has a timeout, and every loop also watches a stop event. Nothing waits without a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import http.client
import http.server
import json
import select
import socket
import ssl
import struct
import threading
import time
import tracemalloc
import urllib.parse
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import attrs
import trustme

SOCKET_TIMEOUT: Final = 5.0  # no single socket operation of a test peer waits longer
MAX_BEHAVIOUR: Final = 30.0  # no misbehaviour lasts longer, even if nobody stops it
JOIN: Final = 5.0  # how long stopping waits for each thread
POLL: Final = 0.01  # how often loops look at their stop event

ACTION: Final = {  # a Webex attachment action, as the peers here answer it: the smallest valid one
    "id": "a",
    "type": "submit",
    "messageId": "m",
    "inputs": {},
    "personId": "p",
    "roomId": "r",
    "created": "2016-05-10T19:41:00.100Z",
}

# ---------------------------------------------------------------------------------------------------------------
# Running a client call with a bound


@attrs.frozen
class Outcome:
    """What a bounded call did: its value or the exception it raised, and how long it took."""

    value: Any
    error: BaseException | None
    elapsed: float


def bounded(call: Callable[[], Any], limit: float) -> Outcome:
    """Run a blocking `call` in a worker thread; fail the test if it has not finished after `limit` seconds."""
    box: dict[str, Any] = {"value": None, "error": None}

    def target() -> None:
        start = time.monotonic()
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc
        box["elapsed"] = time.monotonic() - start

    worker = threading.Thread(target=target, name="bounded-call", daemon=True)
    worker.start()
    worker.join(limit)
    assert not worker.is_alive(), f"the call was still running after {limit} s"
    return Outcome(box["value"], box["error"], box["elapsed"])


async def abounded(call: Callable[[], Awaitable[Any]], limit: float) -> Outcome:
    """Await `call()`; fail the test if it has not finished after `limit` seconds."""
    start = time.monotonic()
    value: Any = None
    error: BaseException | None = None
    scope = asyncio.timeout(limit)
    try:
        async with scope:
            value = await call()
    except BaseException as exc:
        if scope.expired():
            raise AssertionError(f"the call was still running after {limit} s") from None
        error = exc
    return Outcome(value, error, time.monotonic() - start)


@contextlib.contextmanager
def traced_peak() -> Iterator[Callable[[], int]]:
    """Trace Python allocations in the block (every thread); yields a function giving the peak, in bytes, above the
    memory in use when the block started."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    peak: list[int] = []
    try:
        yield lambda: peak[0]
    finally:
        peak.append(tracemalloc.get_traced_memory()[1] - baseline)
        tracemalloc.stop()


# ---------------------------------------------------------------------------------------------------------------
# Compression bombs, built without ever holding (or compressing) the inflated bytes

UNIT: Final = 1 << 20  # the bombs repeat one compressed MiB of zeros


def _affine(cols: list[int], const: int, value: int) -> int:
    out = const
    i = 0
    while value:
        if value & 1:
            out ^= cols[i]
        value >>= 1
        i += 1
    return out


def crc32_of_zeros(size: int) -> int:
    """`zlib.crc32(bytes(size))` for any multiple of `UNIT`, computed without `size` bytes.

    CRC-32 is affine over GF(2) in its starting value: crc32(data, v) = L(v) ^ crc32(data, 0). One MiB of zeros
    gives L as 32 columns; k MiB is that map composed k times, by squaring.
    """
    assert size % UNIT == 0
    zeros = bytes(UNIT)
    const = zlib.crc32(zeros, 0)
    step = ([zlib.crc32(zeros, 1 << i) ^ const for i in range(32)], const)
    result: tuple[list[int], int] = ([1 << i for i in range(32)], 0)  # the identity

    def compose(g: tuple[list[int], int], h: tuple[list[int], int]) -> tuple[list[int], int]:  # g after h
        return [_affine(g[0], 0, col) for col in h[0]], _affine(g[0], g[1], h[1])

    count = size // UNIT
    while count:
        if count & 1:
            result = compose(step, result)
        step = compose(step, step)
        count >>= 1
    return _affine(result[0], result[1], 0)


def adler32_of_zeros(size: int) -> int:
    """`zlib.adler32(bytes(size))`: the byte sum stays 1, the running sum grows by 1 a byte."""
    return ((size % 65521) << 16) | 1


_WBITS: Final = {"gzip": 31, "deflate": 15, "raw-deflate": -15}


@functools.cache
def zeros_bomb(coding: str, size: int = 1 << 30) -> bytes:
    """`size` bytes of zeros compressed as `coding` ("gzip", "deflate" (zlib) or "raw-deflate"), valid to the last
    byte (checksum and length included), in about size/1000 bytes and a few milliseconds.

    After a full flush deflate keeps no history, so every further MiB of zeros compresses to the same bytes: the
    stream is the first MiB's segment, that same repeated segment, and the end with a trailer computed here.
    """
    assert size % UNIT == 0 and size >= 2 * UNIT
    compressor = zlib.compressobj(9, zlib.DEFLATED, _WBITS[coding])
    zeros = bytes(UNIT)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH) == again
    end = compressor.flush()
    if coding == "gzip":
        end = end[:-8] + struct.pack("<II", crc32_of_zeros(size), size & 0xFFFFFFFF)
    elif coding == "deflate":
        end = end[:-4] + struct.pack(">I", adler32_of_zeros(size))
    return first + again * (size // UNIT - 1) + end


@functools.cache
def nested_gzip_bomb(size: int = 1 << 30) -> bytes:
    """The gzip bomb gzipped again (`Content-Encoding: gzip, gzip`)."""
    return gzip.compress(zeros_bomb("gzip", size), compresslevel=9, mtime=0)


def inflated_size(data: bytes, coding: str, step: int = 1 << 22) -> int:
    """How many bytes `data` inflates to, checking its trailer, holding at most `step` bytes at a time."""
    inflater = zlib.decompressobj(_WBITS[coding])
    total = 0
    while data:
        total += len(inflater.decompress(data, step))
        data = inflater.unconsumed_tail
    while not inflater.eof:
        piece = inflater.decompress(b"", step)
        assert piece, "the stream ended early"
        total += len(piece)
    assert not inflater.unused_data
    return total


# ---------------------------------------------------------------------------------------------------------------
# Raw HTTP bytes


def http_response(
    status: int | str = 200,
    body: bytes = b"",
    headers: Iterable[tuple[str, str]] = (),
    *,
    reason: str = "OK",
    length: bool = True,
) -> bytes:
    """An HTTP/1.1 response as bytes; with `length`, its Content-Length (of `body`) comes first."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def head(status: int | str = 200, headers: Iterable[tuple[str, str]] = (), *, reason: str = "OK") -> bytes:
    """A status line and headers, no body."""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(parts: Iterable[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """`parts` in chunked transfer coding."""
    for part in parts:
        if len(part):
            yield f"{len(part):x}\r\n".encode()
            yield part
            yield b"\r\n"
    yield b"0\r\n\r\n"


def slices(data: bytes, size: int = 64 * 1024) -> Iterator[memoryview]:
    """`data` in slices that share its memory."""
    view = memoryview(data)
    for i in range(0, len(view), size):
        yield view[i : i + size]


def repeated(piece: bytes, total: int) -> Iterator[bytes]:
    """`total` bytes made of `piece` repeated (the last copy cut short), without building them."""
    sent = 0
    while sent < total:
        part = piece[: total - sent]
        sent += len(part)
        yield part


# ---------------------------------------------------------------------------------------------------------------
# A raw-socket server whose every connection gets one misbehaviour


@attrs.define
class Peer:
    """One accepted connection: its socket, the request head (and body) the client sent, and the stop event."""

    sock: socket.socket
    request: bytes
    stop: threading.Event

    def send(self, data: bytes | memoryview) -> bool:
        """Send `data`; False once the client is gone (or stopped reading for `SOCKET_TIMEOUT`)."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def send_all(self, parts: Iterable[bytes | memoryview]) -> bool:
        """Send each part in turn; False as soon as the server stops or the client is gone."""
        return all(not self.stop.is_set() and self.send(part) for part in parts)

    def drip(self, data: bytes, interval: float) -> None:
        """Send `data` a byte at a time, `interval` seconds apart, until done, stopped, or the client leaves."""
        end = time.monotonic() + MAX_BEHAVIOUR
        for i in range(len(data)):
            if not self.send(data[i : i + 1]) or self.stop.wait(interval) or time.monotonic() > end:
                return

    def hold(self, seconds: float = MAX_BEHAVIOUR) -> None:
        """Say nothing until the client closes its side, the server stops, or `seconds` pass."""
        end = time.monotonic() + seconds
        while not self.stop.is_set() and time.monotonic() < end:
            readable, _, _ = select.select([self.sock], [], [], POLL)
            if readable:
                try:
                    if not self.sock.recv(65536):
                        return
                except OSError:
                    return

    def finish(self) -> None:
        """Close the sending side (the client reads EOF), then wait a little for the client to close."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)
        self.hold(2.0)

    def reset(self) -> None:
        """Close with a TCP reset instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


Behaviour = Callable[[Peer], None]


def _read_request(sock: socket.socket) -> bytes | None:
    """The request head and its Content-Length body; None if the client sent nothing usable."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return None
        data += piece
        if len(data) > 1 << 20:
            return data
    head_part, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head_part.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    while len(body) < length:
        piece = sock.recv(min(65536, length - len(body)))
        if not piece:
            break
        body += piece
    return head_part + b"\r\n\r\n" + body


class RawServer:
    """A TCP server on 127.0.0.1 that reads each connection's request, then hands it to `behaviour`.

    `requests` holds every request received (head and body, raw). Use it as a context manager.
    """

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(POLL)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self.requests: list[bytes] = []
        self.connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RawServer:
        accept = threading.Thread(target=self._accept, name="raw-server", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(JOIN)
        with self._lock:
            for sock in self._socks:
                with contextlib.suppress(OSError):
                    sock.close()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(SOCKET_TIMEOUT)
            worker = threading.Thread(target=self._serve, args=(sock,), name="raw-connection", daemon=True)
            with self._lock:
                self.connections += 1
                self._socks.append(sock)
                self._threads.append(worker)
            worker.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            request = _read_request(sock)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            self._behaviour(Peer(sock, request, self._stop))
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.close()


# Behaviours ------------------------------------------------------------------------------------------------------


def reply(raw: bytes) -> Behaviour:
    """Send `raw` as it is, then close."""

    def behave(peer: Peer) -> None:
        if peer.send(raw):
            peer.finish()

    return behave


def reply_then_reset(raw: bytes) -> Behaviour:
    """Send `raw`, then reset the connection."""

    def behave(peer: Peer) -> None:
        peer.send(raw)
        peer.reset()

    return behave


def stream(first: bytes, parts: Callable[[], Iterable[bytes | memoryview]]) -> Behaviour:
    """Send `first`, then each of `parts()` (built afresh for each connection), then close."""

    def behave(peer: Peer) -> None:
        if peer.send(first) and peer.send_all(parts()):
            peer.finish()

    return behave


def drip(data: bytes, interval: float, *, after: bytes = b"") -> Behaviour:
    """Send `after` at once, then `data` a byte every `interval` seconds."""

    def behave(peer: Peer) -> None:
        if not after or peer.send(after):
            peer.drip(data, interval)

    return behave


def then_silent(first: bytes) -> Behaviour:
    """Send `first`, then nothing more."""

    def behave(peer: Peer) -> None:
        if peer.send(first):
            peer.hold()

    return behave


def silent() -> Behaviour:
    """Read the request, never answer."""
    return lambda peer: peer.hold()


def reset() -> Behaviour:
    """Read the request, answer with a TCP reset."""
    return lambda peer: peer.reset()


# ---------------------------------------------------------------------------------------------------------------
# TLS material


@attrs.frozen
class Tls:
    """A throwaway CA (its PEM file, for `SSL_CERT_FILE`) and a server context for the names it was issued for."""

    ca_file: Path
    server_context: ssl.SSLContext


def make_tls(directory: Path, *names: str) -> Tls:
    ca = trustme.CA()
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return Tls(ca_file, context)


# ---------------------------------------------------------------------------------------------------------------
# http.server-based peers: the forward proxy and the JSON server

HOP_BY_HOP: Final = frozenset(
    {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "upgrade"}
)


@attrs.frozen
class Seen:
    """A request a peer received: method, target as sent (absolute-form through a proxy), headers, body."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def host(self) -> str:
        """The host:port the request was for."""
        if self.method == "CONNECT":
            return self.target
        return urllib.parse.urlsplit(self.target).netloc or self.headers.get("host", "")

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path


def _read_body(handler: http.server.BaseHTTPRequestHandler) -> bytes:
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        body = b""
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return body
            body += handler.rfile.read(size)
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


class _Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Threaded(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class _PeerBase:
    """Runs an http.server in a thread; records what it receives into `seen`."""

    def __init__(self, handler: type[_Quiet]) -> None:
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._server = self._make_server(handler)
        self._server.owner = self  # type: ignore[attr-defined]
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL,), daemon=True)

    def _make_server(self, handler: type[_Quiet]) -> _Threaded:
        return _Threaded(("127.0.0.1", 0), handler)

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(JOIN)


def _tunnel(a: socket.socket, b: socket.socket, stop: threading.Event) -> None:
    end = time.monotonic() + MAX_BEHAVIOUR
    try:
        while not stop.is_set() and time.monotonic() < end:
            readable, _, _ = select.select([a, b], [], [], POLL)
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (b if source is a else a).sendall(data)
    except OSError:
        return
    finally:
        b.close()


class _ProxyHandler(_Quiet):
    def _owner(self) -> ForwardProxy:
        return self.server.owner  # type: ignore[attr-defined, no-any-return]

    def do_CONNECT(self) -> None:
        owner = self._owner()
        owner.record(Seen("CONNECT", self.path, {k.lower(): v for k, v in self.headers.items()}))
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection(owner.resolve(host, int(port)), timeout=SOCKET_TIMEOUT)
        except (OSError, ValueError):
            self.send_error(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        _tunnel(self.connection, upstream, owner.stop)

    def _forward(self) -> None:
        owner = self._owner()
        body = _read_body(self)
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner.record(Seen(self.command, self.path, headers, body))
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or not url.hostname:
            self.send_error(400, "absolute-form http:// targets only")
            return
        upstream = http.client.HTTPConnection(*owner.resolve(url.hostname, url.port or 80), timeout=SOCKET_TIMEOUT)
        try:
            target = url.path + (f"?{url.query}" if url.query else "")
            upstream.putrequest(self.command, target, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "transfer-encoding":
                    upstream.putheader(name, value)
            if body and "content-length" not in headers:
                upstream.putheader("Content-Length", str(len(body)))
            upstream.putheader("Connection", "close")
            upstream.endheaders(body or None)
            response = upstream.getresponse()
            data = response.read()
        except OSError:
            self.send_error(502)
            return
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length", "transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward


class ForwardProxy(_PeerBase):
    """An HTTP proxy on loopback: forwards absolute-form requests, tunnels CONNECT, and records both in `seen`.

    `hosts` maps a "host:port" to the loopback port that stands for it, so names that do not resolve (and are not
    loopback to the client) can be reached through the proxy.
    """

    def __init__(self, hosts: dict[str, int] | None = None) -> None:
        self.hosts = dict(hosts or {})
        super().__init__(_ProxyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def resolve(self, host: str, port: int) -> tuple[str, int]:
        mapped = self.hosts.get(f"{host}:{port}")
        return ("127.0.0.1", mapped) if mapped is not None else (host, port)

    def __enter__(self) -> ForwardProxy:
        super().__enter__()
        return self


@attrs.frozen
class Reply:
    """What the JSON server answers."""

    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: tuple[tuple[str, str], ...] = ()


Route = Callable[[Seen], Reply]


class _JsonHandler(_Quiet):
    def _answer(self) -> None:
        owner: JsonServer = self.server.owner  # type: ignore[attr-defined]
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, _read_body(self))
        owner.record(seen)
        answer = owner.route(seen)
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer


class _TlsThreaded(_Threaded):
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The handshake happens here, in the connection's own thread, so a slow client never holds up accept().
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:
            wrapped = self.tls.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(wrapped, client_address)
        finally:
            with contextlib.suppress(OSError):
                wrapped.close()


class JsonServer(_PeerBase):
    """An HTTP (or, with `tls`, HTTPS) server on loopback answering `route(seen)`, recording every request."""

    def __init__(self, route: Route, tls: ssl.SSLContext | None = None) -> None:
        self.route = route
        self._tls = tls
        super().__init__(_JsonHandler)

    def _make_server(self, handler: type[_Quiet]) -> _Threaded:
        server = _TlsThreaded(("127.0.0.1", 0), handler)
        server.tls = self._tls
        return server

    @property
    def url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> JsonServer:
        super().__enter__()
        return self
