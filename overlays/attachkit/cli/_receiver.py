"""The receiver behind `attachkit webex listen`: Starlette on uvicorn, verifying each delivery with
`verify_webhook` and handing verified events to one thread that reads the action's inputs and prints.

The answer never waits for the printing: Webex counts a slow answer as a failed delivery, and deactivates a
webhook after repeated failures. Events are printed in the order they arrived, one line each.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
from typing import Any

import click
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import AttachkitError, WebhookPayloadError, WebhookSignatureError
from ..webex import WebexClient, WebhookEvent, verify_webhook
from ._errors import CommandError, ExitCode
from ._output import Output

_ACTIONS = ("attachmentActions", "created")


class _Server(uvicorn.Server):
    """uvicorn's server, saying where it listens once it accepts connections."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self._url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        # On stderr in every mode, so a script (or a test) can wait for it; stdout carries only events.
        click.echo(f"listening on {self._url} (Ctrl+C to stop)", err=True)


class Receiver:
    """The ASGI app that verifies deliveries, and the printing of what it accepts."""

    def __init__(self, output: Output, wx: WebexClient, secret: str, max_events: int | None) -> None:
        self._output = output
        self._wx = wx
        self._secret = secret
        self._max_events = max_events
        self._events: queue.Queue[WebhookEvent | None] = queue.Queue()
        self.server: uvicorn.Server | None = None
        self.app = Starlette(routes=[Route("/{path:path}", self._receive, methods=["POST"])])

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        peer = request.client.host if request.client is not None else "an unknown peer"
        try:
            event = verify_webhook(body, request.headers, self._secret)
        except WebhookSignatureError as exc:
            self._output.warn(f"rejected a delivery from {peer} with 401: {exc}")
            return Response(status_code=401)
        except WebhookPayloadError as exc:
            self._output.warn(f"rejected a delivery from {peer} with 400: {exc}")
            return Response(status_code=400)
        self._events.put(event)
        return Response(status_code=200)

    def consume(self) -> None:
        """Print events as they come, until `stop()` or --max-events; then ask the server to stop."""
        printed = 0
        while (event := self._events.get()) is not None:
            self._print(event)
            printed += 1
            if self._max_events is not None and printed >= self._max_events:
                break
        if self.server is not None:
            self.server.should_exit = True

    def stop(self) -> None:
        self._events.put(None)

    def _print(self, event: WebhookEvent) -> None:
        action: dict[str, Any] | None = None
        if (event.resource, event.event) == _ACTIONS:
            # The event names the submission; its inputs must be read back with the bot's token.
            try:
                action = self._wx.attachment_actions.get(event.data.id).to_dict()
            except AttachkitError as exc:
                self._output.warn(f"could not read the attachment action {event.data.id}: {exc}")
        if self._output.json_mode:
            record = event.to_dict()
            if action is not None:
                record["action"] = action
            line = json.dumps(record, ensure_ascii=False)
        else:
            words = [event.resource, event.event, event.data.id]
            if action is not None:
                words += ["inputs", json.dumps(action.get("inputs"), ensure_ascii=False)]
            line = " ".join(words)
        click.echo(self._output.redact(line))


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", ExitCode.ERROR) from exc
    return sock


def serve(output: Output, wx: WebexClient, *, host: str, port: int, secret: str, max_events: int | None) -> None:
    """Receive deliveries on `host:port` until Ctrl+C (or SIGTERM), or until `max_events` have been printed."""
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    url = f"http://[{host}]:{bound}/" if ":" in host else f"http://{host}:{bound}/"
    receiver = Receiver(output, wx, secret, max_events)
    config = uvicorn.Config(
        receiver.app, lifespan="off", access_log=False, log_config=None, timeout_graceful_shutdown=5
    )
    receiver.server = server = _Server(config, url)
    printer = threading.Thread(target=receiver.consume, name="attachkit-listen", daemon=True)
    printer.start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl+C, then raises the signal again for the caller: stopping is the
        # normal way out of `listen`, not an error.
        pass
    finally:
        sock.close()
        receiver.stop()
    printer.join(timeout=5)
