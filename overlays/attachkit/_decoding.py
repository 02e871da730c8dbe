"""Reading a response body whole, decompressed, without letting it grow past a cap.

httpx decompresses each network chunk in one call, so a small gzip bomb can become hundreds of megabytes
before anyone counts. Here every stage of `Content-Encoding` inflates with `max_length`, so memory holds
at most the cap plus one network chunk, whatever the compression ratio. attachkit asks servers only for
gzip and deflate (`ACCEPT_ENCODING`); anything else it does not decode, and says so.
"""

from __future__ import annotations

import zlib
from typing import Final

ACCEPT_ENCODING: Final = "gzip, deflate"
_STEP: Final = 64 * 1024


class BodyTooLarge(Exception):
    """The decoded body would exceed the cap."""


class UnsupportedEncoding(Exception):
    """The body uses a content coding attachkit did not ask for and cannot decode."""


class TruncatedBody(Exception):
    """The body ended before its compressed stream did (a cut connection, or a missing trailer)."""


class _Inflate:
    """One gzip or deflate stage, emitting at most `_STEP` bytes per call to `decompress`."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._first = True
        self._z = zlib.decompressobj(zlib.MAX_WBITS | 16) if coding == "gzip" else zlib.decompressobj()

    @property
    def finished(self) -> bool:
        """Whether the compressed stream ended, its checksum verified (gzip) or its end marker seen."""
        return self._z.eof

    def feed(self, data: bytes, budget: int) -> list[bytes]:
        """Inflate `data`; `BodyTooLarge` as soon as the output passes `budget` bytes."""
        out: list[bytes] = []
        size = 0
        while data:
            try:
                piece = self._z.decompress(data, _STEP)
            except zlib.error:
                if self._coding == "deflate" and self._first:
                    # Some servers send raw deflate without the zlib header (httpx tolerates it too).
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise
            self._first = False
            size += len(piece)
            if size > budget:
                raise BodyTooLarge(budget)
            if piece:
                out.append(piece)
            data = self._z.unconsumed_tail
            if self._z.eof:
                break
        return out


class CappedBody:
    """Collects a body's decoded bytes, raising `BodyTooLarge` as soon as they pass `cap`."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        stages = []
        for coding in reversed(codings):  # the last coding applied is the first to undo
            if coding in ("gzip", "x-gzip"):
                stages.append(_Inflate("gzip"))
            elif coding == "deflate":
                stages.append(_Inflate("deflate"))
            elif coding != "identity":
                raise UnsupportedEncoding(coding)
        self._stages = stages
        self._cap = cap
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, raw: bytes) -> None:
        """Add raw (still encoded) bytes from the network."""
        pieces = [raw]
        for stage in self._stages:
            budget = self._cap - self._size
            pieces = [out for piece in pieces for out in stage.feed(piece, budget)]
        for piece in pieces:
            self._size += len(piece)
            if self._size > self._cap:
                raise BodyTooLarge(self._cap)
            self._parts.append(piece)

    def value(self) -> bytes:
        """The decoded body; `TruncatedBody` when a compressed stage did not reach its end (and checksum)."""
        if any(not stage.finished for stage in self._stages):
            raise TruncatedBody("the body ended before its compressed stream did")
        return b"".join(self._parts)
