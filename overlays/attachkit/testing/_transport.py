"""The connection under a request: its body's bookkeeping, and dropping it for real.

Dropping: uvicorn does not show the socket to the app, so a protocol subclass does.

:class:`TransportExposingProtocol` puts each connection's asyncio transport into the ASGI scope; a
:class:`DropResponse` then aborts it (a TCP reset) instead of answering. Without a transport (in-process ASGI use)
the drop raises ``httpx.RemoteProtocolError`` in the caller, the error a real drop gives an httpx client.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # the C parser (the mock extra installs it): about a third of the CPU of a small request, against h11's
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # pragma: no cover - without httptools, uvicorn's pure-Python h11 protocol
    _Protocol = H11Protocol  # type: ignore[assignment,misc]

TRANSPORT_KEY = "attachkit.transport"


def mark_consumed(request: Request) -> None:
    """Note that a request's whole body has been read (nothing is left to drain before answering)."""
    request.state.body_consumed = True


def body_consumed(request: Request) -> bool:
    """Whether :func:`mark_consumed` was called for this request."""
    return bool(getattr(request.state, "body_consumed", False))


class TransportExposingProtocol(_Protocol):
    """uvicorn's HTTP/1.1 protocol (httptools, or h11 without it), with the connection's transport in
    ``scope["extensions"]``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn's own
        super().connection_made(transport)
        inner: ASGIApp = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            await inner(scope, receive, send)

        self.app = app


class DropResponse(Response):
    """Not a response: the connection is cut without one."""

    def __init__(self) -> None:
        super().__init__(status_code=499)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport: Any = (scope.get("extensions") or {}).get(TRANSPORT_KEY)
        if transport is None:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        transport.abort()
        # Wait until uvicorn has seen the connection go, so it neither logs a missing response nor writes a 500.
        while (await receive())["type"] != "http.disconnect":
            pass
