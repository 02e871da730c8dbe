"""Request bodies: read within a size limit, parsed as JSON, and drained when nobody read them before the answer."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ._dialects import FieldError, Problem
from ._transport import body_consumed, mark_consumed

DRAIN_LIMIT = 16 * 1024 * 1024  # read at most this much of an unwanted body, so the client sees the answer


def too_large(limit: int) -> Problem:
    """The 413 for a body over ``limit`` bytes."""
    return Problem(413, "entity_too_large", "Request body too large", description=f"the limit is {limit} bytes")


def declared_length(request: Request) -> int | None:
    """The request's Content-Length, if it is a number."""
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def json_media(media: str) -> bool:
    """Whether a (bare, lower-case) media type is JSON."""
    return media == "application/json" or media.endswith("+json")


MAX_JSON_DEPTH = 64
"""How deeply a JSON request body may nest, the body itself being level 1 (a 400 beyond it).

The specs' own schemas go three levels deep; their free-form fields (Webex ``inputs``, Talkdesk ``metadata``,
``context_parameters`` and the contact person) take any JSON, and 64 leaves them ample room. The bound keeps every later
step (validation, echoing the body back, fingerprinting it) far from Python's recursion limit, which json.loads
alone hits only at a depth that depends on how much stack is already in use.
"""


class _NonFinite(float):
    """A number JSON cannot carry (NaN, an infinity, or a literal too large for a float), with its spelling."""

    literal: str


class _NumberHooks:
    """json.loads hooks that let non-finite numbers through, marked, so the caller can name the field they are in."""

    def __init__(self) -> None:
        self.non_finite = False

    def _mark(self, literal: str, value: float) -> _NonFinite:
        self.non_finite = True
        number = _NonFinite(value)
        number.literal = literal
        return number

    def parse_float(self, literal: str) -> float:
        # Called only for literals with a fraction or exponent; 1e999 overflows to infinity rather than failing.
        value = float(literal)
        return self._mark(literal, value) if value in (math.inf, -math.inf) else value

    def parse_constant(self, literal: str) -> float:
        # NaN, Infinity and -Infinity: Python accepts them, RFC 8259 does not.
        return self._mark(literal, float(literal))


def _json_path(parts: list[str | int]) -> str:
    """A path into the body the way request validation names fields: ``inputs.a[0]``; ``body`` for the whole."""
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "body"


def _children(value: object) -> list[tuple[str | int, object]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return []


_NOT_QUOTE_OR_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _nesting(raw: bytes) -> int:
    """How deeply a well-formed JSON text nests, at C speed.

    With escaped backslashes and quotes dropped (left to right, as JSON pairs them) every quote left opens or
    closes a string, so after keeping only quotes and brackets, every other piece between quotes is outside the
    strings; its brackets count up and down. A UTF-16 or UTF-32 text (json.loads takes them) is re-encoded first:
    in those, the bytes of a quote or a bracket can be part of another character.
    """
    encoding = json.detect_encoding(raw)
    if not encoding.startswith("utf-8"):
        raw = raw.decode(encoding).encode()
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.translate(None, _NOT_QUOTE_OR_BRACKET).split(b'"')[::2])
    return max(itertools.accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def _first_non_finite(value: object) -> tuple[str, _NonFinite] | None:
    """The path of the first non-finite number in document order, and the number."""
    stack: list[tuple[object, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, _NonFinite):
            return _json_path(path), item
        stack.extend((child, [*path, key]) for key, child in reversed(_children(item)))
    return None


def _bad_body(name: str, description: str) -> Problem:
    return Problem(400, "invalid_request", "Malformed request body", fields=(FieldError(name, description),))


def parse_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> tuple[Any, Problem | None]:
    """The parsed body, or the 400 it gets: malformed, nested deeper than ``max_depth``, or holding a number JSON
    cannot carry (NaN, Infinity, or one like ``1e999`` that overflows a float), which the mock would otherwise
    store and echo back in a body that is not JSON.

    An ordinary body pays one hook call per non-integer number and two byte counts; its brackets are scanned only
    when there are more than ``max_depth`` of them, and the parsed tree is walked only when a hook saw a
    non-finite number.
    """
    too_deep = f"nested deeper than {max_depth} levels"
    hooks = _NumberHooks()
    try:
        parsed = json.loads(raw, parse_float=hooks.parse_float, parse_constant=hooks.parse_constant)
    except RecursionError:  # only nesting makes json.loads recurse, and it gives up long after max_depth
        return None, _bad_body("body", too_deep)
    except ValueError as exc:
        return None, _bad_body("body", f"malformed JSON: {str(exc)[:120]}")
    if raw.count(b"[") + raw.count(b"{") > max_depth and _nesting(raw) > max_depth:
        return None, _bad_body("body", too_deep)
    found = _first_non_finite(parsed) if hooks.non_finite else None
    if found is not None:
        path, number = found
        # 1 followed by 400 digits overflows too: keep the message short.
        literal = number.literal if len(number.literal) <= 40 else number.literal[:39] + "…"
        return None, _bad_body(path, f"{literal} is not a finite number; JSON has no NaN or Infinity")
    return parsed, None


async def read_limited(request: Request, limit: int) -> bytes | Problem:
    """The whole body, unless it is longer than ``limit`` (a 413, decided as early as possible)."""
    declared = declared_length(request)
    if declared is not None and declared > limit:
        return too_large(limit)
    buffer = bytearray()
    async for chunk in request.stream():
        buffer += chunk
        if len(buffer) > limit:
            return too_large(limit)
    mark_consumed(request)
    body = bytes(buffer)
    request.state.body = body  # for the request history
    return body


def body_read(request: Request) -> bytes | None:
    """The body :func:`read_limited` read for this request, if it read one."""
    body: bytes | None = getattr(request.state, "body", None)
    return body


async def finish_body(request: Request, response: Response) -> None:
    """Deal with an unread body before answering, so the answer reaches the client.

    A body of known, moderate size is read and dropped: a client still sending would otherwise miss the answer.
    A declared length beyond DRAIN_LIMIT is not waited for (the client may never send it): the answer goes out at
    once with ``Connection: close``.
    """
    if body_consumed(request):
        return
    declared = declared_length(request)
    if declared is not None and declared > DRAIN_LIMIT:
        response.headers["connection"] = "close"
        return
    total = 0
    with contextlib.suppress(RuntimeError, ClientDisconnect):  # RuntimeError: the stream was already read
        async with contextlib.aclosing(request.stream()) as stream:
            async for chunk in stream:
                total += len(chunk)
                if total > DRAIN_LIMIT:
                    response.headers["connection"] = "close"
                    break
