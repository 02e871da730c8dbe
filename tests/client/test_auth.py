"""Talkdesk client credentials: Basic auth, caching, refresh on 401 and on expiry, single flight; Webex bearer."""

from __future__ import annotations

import asyncio
import base64
from urllib.parse import parse_qs

import httpx
import pytest

from attachkit import FakeClock, TalkdeskClient, WebexClient, errors
from tests.client.fakes import ACTION, ATTACHMENT, FakeAPI, async_talkdesk, talkdesk


def test_token_request_uses_basic_auth_and_a_form_body() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    with talkdesk(api, scope="attachments:read") as td:
        td.attachments.get("att-1")
    (token_request,) = api.sent("/oauth/token")
    assert token_request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_request.content.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["attachments:read"],
    }
    assert api.sent("/att-1")[0].headers["Authorization"] == "Bearer tok-1"


def test_token_is_cached_until_shortly_before_expiry() -> None:
    api, clock = FakeAPI(), FakeClock()
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    with talkdesk(api, clock) as td:
        for _ in range(3):
            td.attachments.get("att-1")
        assert api.tokens_issued == 1
        clock.advance(600 - 30 - 1)  # still inside the refresh margin
        td.attachments.get("att-1")
        assert api.tokens_issued == 1
        clock.advance(2)
        td.attachments.get("att-1")
        assert api.tokens_issued == 2
    assert api.sent("/att-1")[-1].headers["Authorization"] == "Bearer tok-2"


def test_a_401_refreshes_once_and_resends() -> None:
    api = FakeAPI()
    api.script(
        "/attachments/2023-03/att-1",
        httpx.Response(401, json={"code": "401", "message": "expired"}),
        httpx.Response(200, json=ATTACHMENT),
    )
    with talkdesk(api) as td:
        assert td.attachments.get("att-1").id == "att-1"
    assert api.tokens_issued == 2
    assert [r.headers["Authorization"] for r in api.sent("/att-1")] == ["Bearer tok-1", "Bearer tok-2"]


def test_a_second_401_is_an_authentication_error() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(401, json={"code": "401", "message": "no"}))
    with talkdesk(api) as td, pytest.raises(errors.AuthenticationError):
        td.attachments.get("att-1")
    assert api.tokens_issued == 2
    assert api.count("/att-1") == 2


def test_token_endpoint_refusal_is_typed_with_oauth_fields() -> None:
    api = FakeAPI()
    api.script(
        "/oauth/token",
        httpx.Response(401, json={"error": "invalid_client", "error_description": "bad credentials"}),
    )
    with talkdesk(api) as td, pytest.raises(errors.AuthenticationError) as caught:
        td.attachments.get("att-1")
    assert (caught.value.code, caught.value.message, caught.value.vendor) == (
        "invalid_client",
        "bad credentials",
        "Talkdesk OAuth",
    )
    assert api.count("/att-1") == 0


def test_token_endpoint_5xx_is_retried() -> None:
    api = FakeAPI()
    api.script(
        "/oauth/token",
        httpx.Response(503),
        httpx.Response(200, json={"access_token": "t", "expires_in": 60}),
    )
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    with talkdesk(api) as td:
        td.attachments.get("att-1")
    assert api.count("/oauth/token") == 2


def test_a_token_answer_without_access_token_is_unexpected() -> None:
    api = FakeAPI()
    api.script("/oauth/token", httpx.Response(200, json={"token_type": "Bearer"}))
    with talkdesk(api) as td, pytest.raises(errors.UnexpectedResponseError, match="access_token"):
        td.attachments.get("att-1")


async def test_100_concurrent_calls_with_an_expired_token_make_one_token_request() -> None:
    api, clock = FakeAPI(), FakeClock()
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    async with async_talkdesk(api, clock) as td:
        await td.attachments.get("att-1")
        clock.advance(10_000)
        results = await asyncio.gather(*(td.attachments.get("att-1") for _ in range(100)))
    assert len(results) == 100
    assert api.tokens_issued == 2


async def test_concurrent_401s_refresh_once() -> None:
    api = FakeAPI()
    revoked = {"tok-1"}

    def attachment(request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        if token in revoked:
            return httpx.Response(401, json={"code": "401", "message": "expired"})
        return httpx.Response(200, json=ATTACHMENT)

    api.script("/attachments/2023-03/att-1", attachment)
    async with async_talkdesk(api) as td:
        await asyncio.gather(*(td.attachments.get("att-1") for _ in range(50)))
    assert api.tokens_issued == 2


def test_static_access_token_needs_no_credentials() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(200, json=ATTACHMENT))
    with TalkdeskClient(
        access_token="static", base_url="http://127.0.0.1", http_client=httpx.Client(transport=httpx.MockTransport(api))
    ) as td:
        td.attachments.get("att-1")
    assert api.sent("/att-1")[0].headers["Authorization"] == "Bearer static"
    assert api.count("/oauth/token") == 0


def test_webex_sends_the_bearer_token_and_reads_it_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(200, json=ACTION))
    monkeypatch.setenv("WEBEX_ACCESS_TOKEN", "from-env")
    with WebexClient(base_url="http://127.0.0.1", http_client=httpx.Client(transport=httpx.MockTransport(api))) as wx:
        assert wx.attachment_actions.get("a").id == ACTION["id"]
    assert api.sent("/a")[0].headers["Authorization"] == "Bearer from-env"


def test_webex_without_a_token_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEBEX_ACCESS_TOKEN", raising=False)
    with pytest.raises(errors.ValidationError, match="WEBEX_ACCESS_TOKEN") as caught:
        WebexClient()
    assert caught.value.field == "access_token"


@pytest.mark.parametrize(
    ("region", "token_url", "base_url"),
    [
        ("us", "https://acme.talkdeskid.com/oauth/token", "https://api.talkdeskapp.com"),
        ("eu", "https://acme.talkdeskid.eu/oauth/token", "https://api.talkdeskapp.eu"),
        ("ca", "https://acme.talkdeskidca.com/oauth/token", "https://api.talkdeskappca.com"),
        ("EU", "https://acme.talkdeskid.eu/oauth/token", "https://api.talkdeskapp.eu"),
    ],
)
def test_regions_pick_hosts(region: str, token_url: str, base_url: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 600})
        return httpx.Response(200, json=ATTACHMENT)

    with TalkdeskClient(
        account="acme",
        client_id="c",
        client_secret="s",
        region=region,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as td:
        td.attachments.get("att-1")
    assert seen == [token_url, f"{base_url}/attachments/2023-03/att-1"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"region": "au"}, "region"),
        ({"account": "evil.com/x"}, "account"),
        ({"account": None}, "account"),
        ({"client_id": None}, "client_id"),
        ({"client_secret": ""}, "client_secret"),
    ],
)
def test_bad_configuration_names_the_argument(
    kwargs: dict[str, str | None], field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ACCOUNT", "CLIENT_ID", "CLIENT_SECRET", "REGION", "TOKEN_URL", "BASE_URL"):
        monkeypatch.delenv(f"TALKDESK_{name}", raising=False)
    arguments: dict[str, str | None] = {"account": "acme", "client_id": "c", "client_secret": "s", **kwargs}
    with pytest.raises(errors.ValidationError) as caught:
        TalkdeskClient(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_environment_configures_talkdesk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALKDESK_ACCOUNT", "envco")
    monkeypatch.setenv("TALKDESK_CLIENT_ID", "c")
    monkeypatch.setenv("TALKDESK_CLIENT_SECRET", "s")
    monkeypatch.setenv("TALKDESK_REGION", "ca")
    monkeypatch.delenv("TALKDESK_BASE_URL", raising=False)
    monkeypatch.delenv("TALKDESK_TOKEN_URL", raising=False)
    td = TalkdeskClient()
    assert td._session.settings.base_url == "https://api.talkdeskappca.com"
    assert td._session.api.auth.token_url == "https://envco.talkdeskidca.com/oauth/token"  # type: ignore[union-attr]
    td.close()
