"""Request bodies: read within a size limit, parsed as JSON, and drained when nobody read them before the answer."""

from __future__ import annotations

import contextlib
import json
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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes) -> tuple[Any, Problem | None]:
    """The parsed body, or the 400 a malformed one gets (NaN and Infinity are not JSON, whatever Python accepts)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant), None
    except (ValueError, RecursionError) as exc:
        description = f"malformed JSON: {str(exc)[:120]}"
        return None, Problem(
            400, "invalid_request", "Malformed request body", fields=(FieldError("body", description),)
        )


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
    return bytes(buffer)


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
