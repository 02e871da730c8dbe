"""Transport safety, timeouts, connection reuse, logging and redaction."""

from __future__ import annotations

import logging

import httpx
import pytest

from attachkit import FakeClock, TalkdeskClient, WebexClient, errors
from tests.client.fakes import ACTION, ATTACHMENT, FakeAPI, async_webex, talkdesk, webex


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:8080", "ftp://x", "not a url", ""])
def test_insecure_or_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        WebexClient(access_token="t", base_url=url)
    assert caught.value.field == "base_url"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://localhost", "http://[::1]:8080", "https://example.com"])
def test_loopback_http_and_https_are_accepted(url: str) -> None:
    WebexClient(access_token="t", base_url=url).close()


def test_allow_insecure_http_is_explicit() -> None:
    WebexClient(access_token="t", base_url="http://proxy.internal", allow_insecure_http=True).close()
    with pytest.raises(errors.ValidationError) as caught:
        TalkdeskClient(client_id="c", client_secret="s", token_url="http://idp.internal/oauth/token")
    assert caught.value.field == "token_url"


def test_default_timeouts_are_always_set_and_per_call_overrides_apply() -> None:
    api = FakeAPI()
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=ACTION)

    api.script("/attachment/actions/a", handler)
    with webex(api) as wx:
        wx.attachment_actions.get("a")
        wx.attachment_actions.get("a", timeout=2.5)
        wx.attachment_actions.get("a", timeout=httpx.Timeout(1.0, connect=0.5))
    assert seen == [
        {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0},
        {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5},
        {"connect": 0.5, "read": 1.0, "write": 1.0, "pool": 1.0},
    ]


@pytest.mark.parametrize("bad", [0, -1, "soon", True])
def test_bad_timeouts_are_refused(bad: object) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        WebexClient(access_token="t", timeout=bad)  # type: ignore[arg-type]
    assert caught.value.field == "timeout"


def test_one_connection_pool_serves_both_generated_clients_and_the_callers_pool_stays_open() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    api.script("/conversations", httpx.Response(201, json={"id": "c"}))
    td = talkdesk(api)
    api_client = td._session.api
    assert td.attachments._api.get_httpx_client() is td.conversations._api.get_httpx_client() is api_client
    with td:
        td.attachments.get("att-1")
        td.conversations.start(touchpoint_id="t")
    assert api_client.is_closed


def test_debug_log_has_the_request_facts_and_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script(
        "/attachment/actions/a",
        httpx.Response(503, headers={"TrackingID": "T-7"}),
        httpx.Response(200, json=ACTION, headers={"TrackingID": "T-8"}),
    )
    with caplog.at_level(logging.DEBUG, logger="attachkit"), webex(api) as wx:
        wx.attachment_actions.get("a")
    records = [r for r in caplog.records if r.name == "attachkit"]
    assert [r.attachkit_status for r in records] == [503, 200]  # type: ignore[attr-defined]
    assert [r.attachkit_attempt for r in records] == [1, 2]  # type: ignore[attr-defined]
    assert records[0].attachkit_tracking_id == "T-7"  # type: ignore[attr-defined]
    assert "GET http://127.0.0.1/attachment/actions/a -> 200 (attempt 2" in records[1].getMessage()
    text = caplog.text
    assert "wx-token" not in text and "Authorization" not in text


def test_attachkit_log_env_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import attachkit._config as config

    monkeypatch.setenv("ATTACHKIT_LOG", "debug")
    monkeypatch.setattr(config, "_configured", False)
    logger = logging.getLogger("attachkit")
    before = (logger.level, list(logger.handlers))
    try:
        webex(FakeAPI()).close()
        assert logger.level == logging.DEBUG
        assert logger.handlers
    finally:
        logger.setLevel(before[0])
        logger.handlers[:] = before[1]


def test_reprs_hold_no_secrets() -> None:
    td = talkdesk(FakeAPI())
    wx = webex(FakeAPI())
    auths = (repr(td._session.api.auth), repr(wx._session.api.auth))
    for text in (repr(td), repr(wx), *auths, str(td.__dict__), str(wx.__dict__)):
        assert "csecret" not in text and "wx-token" not in text


async def test_async_client_mirrors_sync() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(202, json=ACTION))
    api.script("/attachment/actions/act-1", httpx.Response(200, json=ACTION))
    async with async_webex(api) as wx:
        created = await wx.attachment_actions.create(message_id="m-1", inputs={"Name": "Ada"})
        fetched = await wx.attachment_actions.get(created.id)
    assert fetched == created
    assert api.body("/attachment/actions", 0) == {"type": "submit", "messageId": "m-1", "inputs": {"Name": "Ada"}}


def test_every_public_method_has_a_docstring_and_an_async_twin() -> None:
    import inspect

    from attachkit.talkdesk import AsyncAttachments, AsyncConversations, Attachments, Conversations
    from attachkit.webex import AsyncAttachmentActions, AttachmentActions

    for sync_cls, async_cls in [
        (Attachments, AsyncAttachments),
        (Conversations, AsyncConversations),
        (AttachmentActions, AsyncAttachmentActions),
    ]:
        public = {n for n in vars(sync_cls) if not n.startswith("_")}
        assert public == {n for n in vars(async_cls) if not n.startswith("_")}
        for name in public:
            assert getattr(sync_cls, name).__doc__, name
            assert inspect.iscoroutinefunction(getattr(async_cls, name)), name
            assert (
                inspect.signature(getattr(sync_cls, name)).parameters.keys()
                == inspect.signature(getattr(async_cls, name)).parameters.keys()
            )


@pytest.mark.parametrize("base", ["http://127.0.0.1", "https://api.talkdeskapp.com", "http://127.0.0.1:8080/webex/v1"])
@pytest.mark.parametrize(
    "path",
    [
        "/attachments/2023-03",
        "/attachments/2023-03/..%2Fx",
        "/attachments/2023-03/a%252Fb/download-link",
        "/attachment/actions/%C3%BCn%C3%AF",
        "/digital-connect/conversations/a%20b%3Fc%23d/messages",
        "https://elsewhere.example/x?sig=1",
    ],
)
def test_url_join_matches_httpx(base: str, path: str) -> None:
    from attachkit._generated._sync.http import APIClient
    from attachkit._vendors import WEBEX

    unused = httpx.MockTransport(lambda request: httpx.Response(204))
    ours = APIClient(vendor=WEBEX, clock=FakeClock(), base_url=base, transport=unused)
    theirs = httpx.Client(base_url=base)
    assert ours.build_request("GET", path).url == theirs.build_request("GET", path).url
    assert ours.build_request("GET", path).url.raw_path == theirs.build_request("GET", path).url.raw_path


def test_joined_urls_stay_parsed_within_a_bound() -> None:
    from attachkit import _join

    prefix = "http://127.0.0.1:8080/webex/v1/"
    first = _join.join(prefix, "/attachment/actions")
    assert first is _join.join(prefix, "/attachment/actions"), "a repeated path is parsed once"
    assert first == httpx.URL(prefix + "attachment/actions")
    for n in range(_join._KEPT * 2):
        assert _join.join(prefix, f"/attachment/actions/{n}") == httpx.URL(f"{prefix}attachment/actions/{n}")
        assert len(_join._parsed) <= _join._KEPT
    with pytest.raises(httpx.InvalidURL):
        _join.join(prefix, "/attachment/actions/a\x00b")
    assert prefix + "attachment/actions/a\x00b" not in _join._parsed, "an invalid URL is not kept"
