"""The whole attachkit flow, for both vendors, told step by step. What `make demo` runs.

By default it starts the embedded mock (`attachkit.testing.MockServer`) and runs against it. With
credentials in the environment it runs against the real APIs instead, vendor by vendor:

- Talkdesk: TALKDESK_ACCOUNT, TALKDESK_CLIENT_ID, TALKDESK_CLIENT_SECRET (and TALKDESK_REGION) plus
  TALKDESK_TOUCHPOINT_ID, the Digital Connect touchpoint to open the conversation on.
- Webex: WEBEX_ACCESS_TOKEN plus WEBEX_MESSAGE_ID, a message that carries an Adaptive Card.

Against the real APIs it creates one attachment, one conversation with two messages, and one
attachment action.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attachkit import TalkdeskClient, WebexClient, errors

TALKDESK_VARS = ("TALKDESK_ACCOUNT", "TALKDESK_CLIENT_ID", "TALKDESK_CLIENT_SECRET", "TALKDESK_TOUCHPOINT_ID")
WEBEX_VARS = ("WEBEX_ACCESS_TOKEN", "WEBEX_MESSAGE_ID")


def step(n: int, text: str) -> None:
    print(f"\n{n}. {text}")


def show(label: str, value: Any) -> None:
    print(f"   {label:<22} {value}")


@contextlib.contextmanager
def targets() -> Iterator[tuple[dict[str, Any], dict[str, Any], str, str, Any]]:
    """Client arguments for each vendor, the touchpoint and message to use, and the mock (or None)."""
    real_talkdesk = all(os.environ.get(v) for v in TALKDESK_VARS)
    real_webex = all(os.environ.get(v) for v in WEBEX_VARS)
    if real_talkdesk and real_webex:
        print("Running against the real Talkdesk and Webex APIs (credentials found in the environment).")
        yield {}, {}, os.environ["TALKDESK_TOUCHPOINT_ID"], os.environ["WEBEX_MESSAGE_ID"], None
        return
    from attachkit.testing import MockServer

    with MockServer() as mock:
        print(f"Started the embedded mock of both vendors at {mock.url}")
        # Against a real API the clients read their own environment variables, so no arguments at all.
        td: dict[str, Any] = {} if real_talkdesk else dict(mock.talkdesk_kwargs())
        wx: dict[str, Any] = {} if real_webex else dict(mock.webex_kwargs())
        touchpoint = os.environ["TALKDESK_TOUCHPOINT_ID"] if real_talkdesk else "demo-touchpoint"
        message = os.environ["WEBEX_MESSAGE_ID"] if real_webex else "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvZGVtbw"
        for vendor, real in (("Talkdesk", real_talkdesk), ("Webex", real_webex)):
            print(f"   {vendor}: {'the real API' if real else 'the mock'}")
        yield td, wx, touchpoint, message, mock


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


def webex_flow(kwargs: dict[str, Any], message_id: str) -> None:
    with WebexClient(**kwargs) as wx:
        step(7, "Submit an Adaptive Card action on a Webex message")
        inputs = {"Name": "Ada Lovelace", "Email": "ada@example.com", "Tel": "+1 408 526 7209"}
        action = wx.attachment_actions.create(message_id=message_id, inputs=inputs)
        if action is None:  # a 204: accepted, but Webex sent no action back to read
            show("action", "accepted (204, no body)")
            return
        show("action id", action.id)
        show("type / created", f"{action.type_} / {action.created}")

        step(8, "Read the submission back, as a bot does when its webhook fires")
        fetched = wx.attachment_actions.get(action.id)
        show("inputs", fetched.inputs)
        try:
            wx.attachment_actions.get("no-such-action")
        except errors.NotFoundError as exc:
            show("unknown id", f"NotFoundError: {exc}")


def main() -> int:
    with targets() as (td, wx, touchpoint, message, mock), tempfile.TemporaryDirectory() as tmp:
        talkdesk_flow(td, touchpoint, mock, Path(tmp))
        webex_flow(wx, message)
    print("\nDone: both vendors, every step.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
