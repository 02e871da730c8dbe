"""The whole attachkit flow, for both vendors, told step by step. What `make demo` runs.

By default it starts the embedded mock (`attachkit.testing.MockServer`) and runs against it. With
credentials in the environment it runs against the real APIs instead, vendor by vendor:

- Talkdesk: TALKDESK_ACCOUNT, TALKDESK_CLIENT_ID, TALKDESK_CLIENT_SECRET (and TALKDESK_REGION) plus
  TALKDESK_TOUCHPOINT_ID, the Digital Connect touchpoint to open the conversation on.
- Webex: WEBEX_ACCESS_TOKEN plus WEBEX_ROOM_ID, a room the bot is in, and WEBEX_WEBHOOK_URL, a public HTTPS
  URL that forwards to this script's receiver on 127.0.0.1:WEBEX_RECEIVER_PORT (a tunnel), since Webex cannot
  reach a loopback address.

Against the real APIs it creates one attachment, one conversation with two messages, two Webex messages (a
card and a file) with one attachment action on the card, and one webhook, which it deletes at the end.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import secrets
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attachkit import TalkdeskClient, WebexClient, errors
from attachkit.webex import verify_webhook

TALKDESK_VARS = ("TALKDESK_ACCOUNT", "TALKDESK_CLIENT_ID", "TALKDESK_CLIENT_SECRET", "TALKDESK_TOUCHPOINT_ID")
WEBEX_VARS = ("WEBEX_ACCESS_TOKEN", "WEBEX_ROOM_ID", "WEBEX_WEBHOOK_URL")


def step(n: int, text: str) -> None:
    print(f"\n{n}. {text}")


def show(label: str, value: Any) -> None:
    print(f"   {label:<22} {value}")


@contextlib.contextmanager
def targets() -> Iterator[tuple[dict[str, Any], dict[str, Any], str, str, Any]]:
    """Client arguments for each vendor, the touchpoint and room to use, and the mock (or None)."""
    real_talkdesk = all(os.environ.get(v) for v in TALKDESK_VARS)
    real_webex = all(os.environ.get(v) for v in WEBEX_VARS)
    if real_talkdesk and real_webex:
        print("Running against the real Talkdesk and Webex APIs (credentials found in the environment).")
        yield {}, {}, os.environ["TALKDESK_TOUCHPOINT_ID"], os.environ["WEBEX_ROOM_ID"], None
        return
    from attachkit.testing import MockServer

    # A one-second malware scan on the mock, so that the file download shows Webex's 423-then-200.
    with MockServer(webex_scan_seconds=1) as mock:
        print(f"Started the embedded mock of both vendors at {mock.url}")
        # Against a real API the clients read their own environment variables, so no arguments at all.
        td: dict[str, Any] = {} if real_talkdesk else dict(mock.talkdesk_kwargs())
        wx: dict[str, Any] = {} if real_webex else dict(mock.webex_kwargs())
        touchpoint = os.environ["TALKDESK_TOUCHPOINT_ID"] if real_talkdesk else "demo-touchpoint"
        room = os.environ["WEBEX_ROOM_ID"] if real_webex else "Y2lzY29zcGFyazovL3VzL1JPT00vZGVtbw"
        for vendor, real in (("Talkdesk", real_talkdesk), ("Webex", real_webex)):
            print(f"   {vendor}: {'the real API' if real else 'the mock'}")
        yield td, wx, touchpoint, room, mock


def talkdesk_flow(kwargs: dict[str, Any], touchpoint: str, mock: Any, workdir: Path) -> None:
    invoice = workdir / f"invoice-{uuid.uuid4().hex[:8]}.pdf"
    invoice.write_bytes(b"%PDF-1.4\n% attachkit demo invoice\n" + os.urandom(64 * 1024))
    with TalkdeskClient(**kwargs) as td:
        step(1, f"Upload {invoice.name} ({invoice.stat().st_size:,} bytes): upload link, pre-signed PUT, create")
        sent_bytes = [0]
        attachment = td.attachments.upload(invoice, progress=lambda done, total: sent_bytes.__setitem__(0, done))
        show("attachment id", attachment.id)
        show("name / state", f"{attachment.name} / {attachment.state}")
        show("size / type", f"{attachment.size} bytes / {attachment.type_}")
        show("bytes streamed", f"{sent_bytes[0]:,}")

        step(2, "Read it back: get, download link, streamed download")
        again = td.attachments.get(attachment.id)
        link = td.attachments.download_link(attachment.id)
        copy = io.BytesIO()
        written = td.attachments.download(attachment.id, copy)
        show("get", f"{again.name} ({again.state})")
        show("download link expires", f"in {link.expire_time} s")
        show("downloaded", f"{written:,} bytes, identical: {copy.getvalue() == invoice.read_bytes()}")

        step(3, "Start a Digital Connect conversation")
        conversation = td.conversations.start(
            touchpoint_id=touchpoint,
            subject="Invoice question",
            contact_person={"email": "ada@example.com"},
            context_parameters={"contact_name": "Ada"},
        )
        show("conversation id", conversation.id)

        step(4, "Send a message carrying the attachment")
        if mock is not None:
            # Show a retry: the mock answers the first attempt with 429 and Retry-After.
            mock.faults.add("send_message", status=429, retry_after=1, times=1)
        sent = td.conversations.send_message(conversation.id, content="Here is my invoice", attachments=[attachment])
        show("status", sent.status_code)
        show("message id", sent.message_id)
        show("created at", sent.created_at)
        if mock is not None:
            show(
                "attempts",
                f"{mock.state.counts('send_message').received} (the first got 429 Retry-After: 1, then retried)",
            )
        resent = td.conversations.send_message(
            conversation.id,
            content="Here is my invoice",
            attachments=[attachment],
            idempotency_key=sent.idempotency_key,
        )
        show(
            "same key, sent again",
            f"message id {resent.message_id} (no duplicate: {resent.message_id == sent.message_id})",
        )

        step(5, "Send a message with one attachment that does not exist: partial success (206)")
        partial = td.conversations.send_message(
            conversation.id,
            content="And the receipt",
            attachments=[attachment, {"id": "no-such-attachment", "name": "receipt.jpg", "size": 3072}],
        )
        show("status", partial.status_code)
        show("partial", partial.partial)
        show("partial_fail_reason", partial.partial_fail_reason)
        try:
            td.conversations.send_message(
                conversation.id, content="strict", attachments=[{"id": "no-such-attachment"}], strict=True
            )
        except errors.PartialSuccessError as exc:
            show("with strict=True", f"PartialSuccessError: {exc}")

        step(6, "A mistake is caught before anything is sent")
        try:
            td.conversations.send_message(conversation.id, content="x", attachments=[{"id": "a", "size": [1024]}])
        except errors.ValidationError as exc:
            show("ValidationError", exc)


CARD = {
    "type": "AdaptiveCard",
    "version": "1.3",
    "body": [
        {"type": "TextBlock", "text": "Tell us how to reach you"},
        {"type": "Input.Text", "id": "Name", "label": "Name"},
        {"type": "Input.Text", "id": "Email", "label": "Email", "style": "Email"},
    ],
    "actions": [{"type": "Action.Submit", "title": "Send"}],
}


class Receiver:
    """A local webhook receiver: a few lines of Starlette on uvicorn, in a thread, keeping each delivery as received."""

    def __init__(self, port: int) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        self.deliveries: queue.Queue[tuple[bytes, dict[str, str]]] = queue.Queue()

        async def events(request: Request) -> Response:
            self.deliveries.put((await request.body(), dict(request.headers)))
            return Response(status_code=200)

        app = Starlette(routes=[Route("/webex/events", events, methods=["POST"])])
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        while not self._server.started:  # uvicorn sets it once the socket is bound
            if not self._thread.is_alive():
                raise RuntimeError("the webhook receiver could not start")
            time.sleep(0.01)
        return self

    @property
    def url(self) -> str:
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/webex/events"

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join()


def webex_flow(kwargs: dict[str, Any], room_id: str, public_url: str | None, mock: Any, workdir: Path) -> None:
    secret = secrets.token_urlsafe(24)  # known to Webex and to this receiver only
    port = int(os.environ.get("WEBEX_RECEIVER_PORT", "0"))
    with WebexClient(**kwargs) as wx, Receiver(port) as receiver:
        target = public_url or receiver.url
        step(7, "Register a signed webhook for card submissions (ensure: found, reactivated, or created)")
        hook = wx.webhooks.ensure(
            name="attachkit demo", target_url=target, resource="attachmentActions", event="created", secret=secret
        )
        show("webhook id / status", f"{hook.id} / {hook.status}")
        show("target", target)

        step(8, "Post a message carrying an Adaptive Card")
        message = wx.messages.create(
            room_id=room_id, text="Tell us how to reach you (your client shows no cards)", card=CARD
        )
        show("message id", message.id)

        step(9, "Someone presses the card's submit button (here, the API call their Webex client makes)")
        inputs = {"Name": "Ada Lovelace", "Email": "ada@example.com"}
        action = wx.attachment_actions.create(message_id=message.id, inputs=inputs)
        show("action", "accepted (204, no body)" if action is None else action.id)

        step(10, "The webhook fires: verify its signature over the raw body, then read the inputs")
        body, headers = receiver.deliveries.get(timeout=30)
        event = verify_webhook(body, headers, secret)
        show("event", f"{event.resource}/{event.event}, data.id {event.data.id}")
        show("X-Spark-Signature", "verified (HMAC-SHA1 of the raw body)")
        show("inputs", wx.attachment_actions.get(event.data.id).inputs)
        try:
            verify_webhook(body + b" ", headers, secret)
        except errors.WebhookSignatureError as exc:
            show("one byte more", f"WebhookSignatureError: {exc}")

        step(11, "Post a file, then download it through Webex's malware scan")
        report = workdir / "report.txt"
        report.write_bytes(b"attachkit demo report\n" * 4096)
        with_file = wx.messages.create(room_id=room_id, text="The report", file=report)
        files = with_file.files or []
        show("content URL", files[0] if files else "(none)")
        copy = workdir / "report-copy.txt"
        written = wx.contents.download(files[0], copy)
        show("downloaded", f"{written:,} bytes, identical: {copy.read_bytes() == report.read_bytes()}")
        if mock is not None:
            counts = mock.state.counts("get_content")
            show("requests", f"{counts.received} (423 Locked while the file was scanned, waited, then 200)")

        wx.webhooks.delete(hook.id)
        show("webhook", "deleted")


def main() -> int:
    with targets() as (td, wx, touchpoint, room, mock), tempfile.TemporaryDirectory() as tmp:
        talkdesk_flow(td, touchpoint, mock, Path(tmp))
        webex_flow(wx, room, os.environ.get("WEBEX_WEBHOOK_URL") if not wx else None, mock, Path(tmp))
    print("\nDone: both vendors, every step.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
