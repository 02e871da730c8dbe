"""What one SDK call received, kept beside the call while the generated code handles it.

A resource method names the operation it calls; the API client records the response it hands to the
generated code. When the generated parser then fails, or returns something the spec does not describe,
the error can say so with the real status, headers, body and URL. A failure before any response was
received is not the server's: it surfaces as itself.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any, Final

import attrs
import httpx


@attrs.define
class Exchange:
    """One call: its operation id, and the response received for it (None until one arrives)."""

    operation: str
    response: httpx.Response | None = None


_CURRENT: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar("attachkit_exchange", default=None)


class exchange:
    """Track the call to `operation` made inside the block (in this thread, or this task and what it awaits).

    A class rather than a generator-based context manager: it runs on every call.
    """

    __slots__ = ("_current", "_token")

    def __init__(self, operation: str) -> None:
        self._current = Exchange(operation)
        self._token: contextvars.Token[Exchange | None] | None = None

    def __enter__(self) -> Exchange:
        self._token = _CURRENT.set(self._current)
        return self._current

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CURRENT.reset(self._token)


_CAPTURED: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "attachkit_captured", default=None
)


class capture:
    """Collect every response received inside the block, for `with_raw_response`."""

    __slots__ = ("_seen", "_token")

    def __init__(self) -> None:
        self._seen: list[httpx.Response] = []
        self._token: contextvars.Token[list[httpx.Response] | None] | None = None

    def __enter__(self) -> list[httpx.Response]:
        self._token = _CAPTURED.set(self._seen)
        return self._seen

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CAPTURED.reset(self._token)


def record(response: httpx.Response) -> None:
    """Note `response` as the one the current call received."""
    current = _CURRENT.get()
    if current is not None:
        current.response = response
    seen = _CAPTURED.get()
    if seen is not None:
        seen.append(response)


UNDECODED: Final = object()
"""What `take_json` returns when `response.json()` was not called, or did not decode strictly."""


class DecodedJSON:
    """A success's body, JSON-decoded once for both the generated parser and the contract check.

    Installed on the response as its `json` (an instance attribute shadows httpx's method, which decodes
    `content` afresh on every call). The first call decodes strictly as UTF-8, as the contract check wants, and
    keeps the value for `take_json`; later calls, and any with keyword arguments, behave as httpx's own
    `Response.json`, so nobody else is handed the object the parser built the model from. A body that is not
    strict UTF-8 JSON is read by httpx's rules (a BOM, UTF-16), raising what httpx would: the check then decodes
    it on its own, as it did before this cache.
    """

    __slots__ = ("_content", "_value")

    def __init__(self, content: bytes) -> None:
        self._content = content  # the bytes, not the response: no reference cycle for the collector
        self._value: Any = UNDECODED

    def __call__(self, **kwargs: Any) -> Any:
        if kwargs or self._value is not UNDECODED:
            return json.loads(self._content, **kwargs)
        try:
            value = json.loads(self._content.decode("utf-8"))
        except (ValueError, RecursionError):
            return json.loads(self._content)  # httpx's reading, and its error
        self._value = value
        return value

    def take(self) -> Any:
        """The value the first call decoded, or `UNDECODED`."""
        return self._value


def remember_json(response: httpx.Response) -> None:
    """Let `response.json()` keep its first decoding for `take_json` (the body must be read)."""
    vars(response)["json"] = DecodedJSON(response.content)  # mypy refuses assigning over a method


def take_json(response: httpx.Response) -> Any:
    """The body as `response.json()` first decoded it (strict UTF-8), or `UNDECODED`; afterwards the response's
    `json` is httpx's own again."""
    cached = vars(response).pop("json", None)
    return cached.take() if isinstance(cached, DecodedJSON) else UNDECODED
