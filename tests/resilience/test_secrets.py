"""No secret leaks: planted client secrets, Webex tokens and the Talkdesk access tokens the mock issues never appear in
any log record (DEBUG, every logger), any exception (message, str, repr, attributes, cause chain, traceback) or the
repr/str of a client, model or error, over full sync and async flows that include failing calls.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import traceback
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit.testing import MockServer
from tests._support.servers import lenient
from tests.resilience import figures
from tests.resilience.harness import AsyncRecordingTransport, RecordingTransport

CLIENT_ID = "planted-client-id"
SECRET = f"planted-client-secret-{uuid.uuid4().hex}"
WRONG_SECRET = f"planted-wrong-secret-{uuid.uuid4().hex}"
WEBEX_TOKEN = f"planted-webex-token-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with lenient(client_id=CLIENT_ID, client_secret=SECRET, webex_token=WEBEX_TOKEN) as mock:
        yield mock


class Haystack:
    """Everything a user or an operator could see: texts of objects, errors and log records."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.errors = 0
        self.objects = 0

    def object(self, value: Any) -> None:
        self.objects += 1
        self.texts += [repr(value), str(value)]

    def error(self, exc: BaseException) -> None:
        self.errors += 1
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:  # the whole cause/context chain
            seen.add(id(current))
            self.texts += [repr(current), str(current), repr(current.args)]
            self.texts += [f"{k}={v!r}" for k, v in vars(current).items()]
            if isinstance(current, errors.APIError):
                self.texts += [current.body.decode("utf-8", "replace"), repr(dict(current.headers))]
            current = current.__cause__ or current.__context__
        self.texts.append("".join(traceback.format_exception(exc)))

    def records(self, records: list[logging.LogRecord]) -> int:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in records:
            self.texts += [formatter.format(record), repr(record.args), repr(vars(record))]
        return len(records)


def _expect_error(haystack: Haystack, error: type[BaseException], call: Any) -> None:
    with pytest.raises(error) as caught:
        call()
    haystack.error(caught.value)


async def _aexpect_error(haystack: Haystack, error: type[BaseException], call: Any) -> None:
    with pytest.raises(error) as caught:
        await call()
    haystack.error(caught.value)


def _sync_flow(mock: MockServer, haystack: Haystack, transport: RecordingTransport) -> None:
    with (
        httpx.Client(transport=transport) as pool,
        TalkdeskClient(**mock.talkdesk_kwargs(), clock=(td_clock := FakeClock()), http_client=pool) as td,
        WebexClient(**mock.webex_kwargs(), clock=FakeClock(), http_client=pool) as wx,
    ):
        attachment = td.attachments.upload(b"secret-free bytes", name=f"s-{uuid.uuid4().hex}.txt")
        link = td.attachments.download_link(attachment.id)
        sink = io.BytesIO()
        td.attachments.download(attachment.id, sink)
        conversation = td.conversations.start(touchpoint_id="tp-1", contact_person={"email": "a@b.c"})
        sent = td.conversations.send_message(conversation.id, content="see attached", attachments=[attachment])
        action = wx.attachment_actions.create(message_id="m", inputs={"Name": "Ada"})
        for value in (td, wx, attachment, link, conversation, sent, action, wx.attachment_actions.get(action.id)):
            haystack.object(value)

        # Failing calls of every kind, each error kept.
        _expect_error(haystack, errors.NotFoundError, lambda: td.attachments.get("missing"))
        _expect_error(haystack, errors.NotFoundError, lambda: wx.attachment_actions.get("missing"))
        _expect_error(haystack, errors.ValidationError, lambda: td.conversations.send_message("", content="x"))
        mock.faults.add("send_message", status=429, retry_after=3600, times=1)
        _expect_error(
            haystack, errors.RateLimitError, lambda: td.conversations.send_message(conversation.id, content="x")
        )
        td_clock.advance(3600)  # the client holds its requests for the hour the server asked for
        mock.faults.add("create_attachment_action", status=429, html=True, times=3)
        _expect_error(haystack, errors.RateLimitError, lambda: wx.attachment_actions.create(message_id="m", inputs={}))
        mock.faults.add("get_attachment", status=500, times=1)
        _expect_error(haystack, errors.InternalServerError, lambda: td.attachments.get(attachment.id))
        mock.faults.add("create_attachment_action", drop="after", times=1)
        _expect_error(
            haystack, errors.APIConnectionError, lambda: wx.attachment_actions.create(message_id="m", inputs={})
        )
        mock.faults.add("get_attachment_action", latency=0.3, times=3)
        _expect_error(haystack, errors.APITimeoutError, lambda: wx.attachment_actions.get(action.id, timeout=0.05))
        mock.expire_tokens()  # the next call refreshes after a 401
        haystack.object(td.conversations.send_message(conversation.id, content="after expiry"))
        mock.faults.add("token", status=503, times=3)
        mock.expire_tokens()
        _expect_error(haystack, errors.InternalServerError, lambda: td.attachments.get(attachment.id))
        mock.faults.clear()

    wrong_kwargs = {**mock.talkdesk_kwargs(), "client_secret": WRONG_SECRET}
    with (
        httpx.Client(transport=transport) as pool,
        TalkdeskClient(**wrong_kwargs, clock=FakeClock(), http_client=pool) as wrong,
    ):
        haystack.object(wrong)
        _expect_error(haystack, errors.AuthenticationError, lambda: wrong.attachments.get("x"))

    issued = _bearer_tokens(transport)
    assert issued, "the flow used issued Talkdesk tokens"
    with (
        httpx.Client(transport=transport) as pool,
        TalkdeskClient(access_token=issued[0], base_url=mock.talkdesk_base_url, http_client=pool) as static,
    ):
        haystack.object(static)
        mock.expire_tokens()
        _expect_error(haystack, errors.AuthenticationError, lambda: static.attachments.get("x"))


async def _async_flow(mock: MockServer, haystack: Haystack, transport: httpx.AsyncBaseTransport) -> None:
    async with (
        httpx.AsyncClient(transport=transport) as pool,
        AsyncTalkdeskClient(**mock.talkdesk_kwargs(), clock=FakeClock(), http_client=pool) as td,
        AsyncWebexClient(**mock.webex_kwargs(), clock=FakeClock(), http_client=pool) as wx,
    ):
        conversation = await td.conversations.start(touchpoint_id="tp-1")
        sent = await td.conversations.send_message(conversation.id, content="hello")
        action = await wx.attachment_actions.create(message_id="m", inputs={"Name": "Ada"})
        for value in (td, wx, conversation, sent, action):
            haystack.object(value)
        mock.faults.add("send_message", status=502, times=3)
        await _aexpect_error(
            haystack, errors.InternalServerError, lambda: td.conversations.send_message(conversation.id, content="x")
        )
        mock.faults.add("create_attachment_action", drop="before", times=1)
        await _aexpect_error(
            haystack, errors.APIConnectionError, lambda: wx.attachment_actions.create(message_id="m", inputs={})
        )
        mock.expire_tokens()
        await td.conversations.send_message(conversation.id, content="after expiry")
        mock.faults.add("token", status=500, times=1)
        mock.expire_tokens()
        await _aexpect_error(haystack, errors.InternalServerError, lambda: td.conversations.start(touchpoint_id="tp-1"))
        mock.faults.clear()


def _bearer_tokens(transport: RecordingTransport) -> list[str]:
    tokens = []
    for _method, raw, headers in transport.sent:
        value = headers.get("authorization", "")
        if value.startswith("Bearer ") and value != f"Bearer {WEBEX_TOKEN}" and not raw.startswith(b"/webex"):
            tokens.append(value.removeprefix("Bearer "))
    return list(dict.fromkeys(tokens))


def test_no_secret_appears_anywhere(mock: MockServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx, httpcore, the mock and everything else
    caplog.set_level(logging.DEBUG, logger="attachkit")
    haystack = Haystack()
    transport = RecordingTransport()
    _sync_flow(mock, haystack, transport)
    asyncio.run(_async_flow(mock, haystack, AsyncRecordingTransport(transport.sent)))
    haystack.object(mock)
    records = haystack.records(caplog.records)

    tokens = _bearer_tokens(transport)
    basics = {h.get("authorization") for _m, _r, h in transport.sent if h.get("authorization", "").startswith("Basic ")}
    assert len(tokens) >= 4, "several Talkdesk tokens were issued (expiries) and used"
    assert len(basics) == 2, "the right and the wrong client secret were both sent"
    secrets = {SECRET, WRONG_SECRET, WEBEX_TOKEN, *tokens, *basics}
    secrets |= {value.removeprefix("Basic ") for value in basics}
    secrets |= {base64.b64encode(s.encode()).decode() for s in (SECRET, WRONG_SECRET, WEBEX_TOKEN)}
    secrets |= {f"Bearer {value}" for value in (*tokens, WEBEX_TOKEN)}
    assert records > 50 and haystack.errors == 14, "the flow logged and failed enough to be worth searching"
    assert any(r.name == "attachkit" and r.levelno == logging.INFO for r in caplog.records), "retries were logged"

    leaks = [(secret[:12] + "…", text[:200]) for secret in secrets for text in haystack.texts if secret in text]
    assert leaks == []
    figures.record(
        "secrets",
        **{
            "planted or issued secrets": len(secrets),
            "log records searched": records,
            "errors searched": haystack.errors,
            "objects searched": haystack.objects,
            "leaks": len(leaks),
        },
    )
