"""Proxies and storage links over real sockets, sync and async: what a forward proxy on loopback really relays.

What the README promises and these tests hold the clients to:
- `proxy=` on every client, else `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` with `NO_PROXY` honoured; the token request
  and the storage PUT/GET of pre-signed links take the same route as the API calls;
- an https API behind a proxy is reached through `CONNECT`, with the CA from `SSL_CERT_FILE`;
- an `http_client=` given by the user is honoured whole: its proxy or mounts, its default headers, its event hooks;
- a plain-http storage link is refused (nothing is sent to it) unless the client's own base_url is loopback or
  `allow_insecure_http=True`.

The proxy (`tests.resilience.hostile_servers.ForwardProxy`) forwards absolute-form requests and tunnels CONNECT, and
records both. For the https cases it also stands in for DNS: `attachments.example.test:443` and friends are mapped to
loopback ports, so the client sees a base_url that is not loopback while every byte stays on 127.0.0.1.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, TalkdeskClient, WebexClient, errors
from attachkit.testing import MockServer
from tests.resilience.hostile_servers import (
    ACTION,
    ForwardProxy,
    JsonServer,
    Outcome,
    Reply,
    Seen,
    Tls,
    abounded,
    bounded,
    make_tls,
)

LIMIT = 20.0  # no call of this module may run longer; past it the test fails instead of hanging
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")
CONTENT = b"hello through the proxy"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets itself: no proxy, CA bundle or vendor variable of the machine running the tests."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "WEBEX_ACCESS_TOKEN", "WEBEX_BASE_URL", "TALKDESK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(
        tmp_path_factory.mktemp("tls"), "localhost", "127.0.0.1", "attachments.example.test", "storage.example.test"
    )


def raised(outcome: Outcome, expected: type[BaseException]) -> Any:
    assert outcome.error is not None, f"the call succeeded with {outcome.value!r}"
    assert isinstance(outcome.error, expected), f"expected {expected.__name__}, got {outcome.error!r}"
    return outcome.error


def succeeded(outcome: Outcome) -> Any:
    assert outcome.error is None, f"the call failed: {outcome.error!r}"
    return outcome.value


# The Talkdesk round trip on the mock: token, upload link, storage PUT, create, download link, storage GET ---------


def round_trip(client: TalkdeskClient, tmp_path: Path) -> bytes:
    attachment = client.attachments.upload(CONTENT, name=f"{uuid.uuid4().hex}.txt")
    client.attachments.download(attachment.id, tmp_path / "downloaded")
    return (tmp_path / "downloaded").read_bytes()


async def around_trip(client: AsyncTalkdeskClient, tmp_path: Path) -> bytes:
    attachment = await client.attachments.upload(CONTENT, name=f"{uuid.uuid4().hex}.txt")
    await client.attachments.download(attachment.id, tmp_path / "downloaded")
    return (tmp_path / "downloaded").read_bytes()


def sync_round_trip(tmp_path: Path, make: Callable[[], TalkdeskClient]) -> Outcome:
    def go() -> bytes:
        with make() as client:
            return round_trip(client, tmp_path)

    return bounded(go, LIMIT)


async def async_round_trip(tmp_path: Path, make: Callable[[], AsyncTalkdeskClient]) -> Outcome:
    async def go() -> bytes:
        async with make() as client:
            return await around_trip(client, tmp_path)

    return await abounded(go, LIMIT)


# What the proxy must see of one round trip, in order: (method, path prefix), every one for the mock's host.
ROUND_TRIP = [
    ("POST", "/talkdesk/oauth/token"),
    ("POST", "/talkdesk/attachments/2023-03/upload-link"),
    ("PUT", "/storage/uploads/"),
    ("POST", "/talkdesk/attachments/2023-03"),
    ("GET", "/talkdesk/attachments/2023-03/"),  # .../{id}/download-link
    ("GET", "/storage/downloads/"),
]


def check_relayed(proxy: ForwardProxy, mock: MockServer, outcome: Outcome) -> list[Seen]:
    assert succeeded(outcome) == CONTENT
    seen = proxy.seen
    observed = [(s.method, s.path) for s in seen]
    assert len(observed) == len(ROUND_TRIP), observed
    for (method, path), (expected_method, prefix) in zip(observed, ROUND_TRIP, strict=True):
        assert method == expected_method and path.startswith(prefix), observed
    host = mock.url.removeprefix("http://")
    for request in seen:
        assert request.target.startswith(f"http://{host}/"), request.target  # absolute-form, as a proxy gets it
    assert seen[2].body == CONTENT  # the storage PUT went through the proxy, body and all
    return seen


@pytest.mark.parametrize("no_proxy", [None, "127.0.0.1"], ids=["plain", "despite-NO_PROXY"])
def test_explicit_proxy_carries_api_token_and_storage_sync(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_proxy: str | None
) -> None:
    if no_proxy:
        monkeypatch.setenv("NO_PROXY", no_proxy)  # proxy= is for every request; NO_PROXY governs the environment's
    outcome = sync_round_trip(tmp_path, lambda: TalkdeskClient(**mock.talkdesk_kwargs(), proxy=proxy.url))
    check_relayed(proxy, mock, outcome)


@pytest.mark.parametrize("no_proxy", [None, "127.0.0.1"], ids=["plain", "despite-NO_PROXY"])
async def test_explicit_proxy_carries_api_token_and_storage_async(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_proxy: str | None
) -> None:
    if no_proxy:
        monkeypatch.setenv("NO_PROXY", no_proxy)
    outcome = await async_round_trip(tmp_path, lambda: AsyncTalkdeskClient(**mock.talkdesk_kwargs(), proxy=proxy.url))
    check_relayed(proxy, mock, outcome)


def _with_credentials(proxy: ForwardProxy) -> str:
    return proxy.url.replace("http://", "http://corp%40user:s3cret@")


def check_credentials(proxy: ForwardProxy) -> None:
    expected = "Basic " + base64.b64encode(b"corp@user:s3cret").decode()
    assert proxy.seen
    assert all(s.headers.get("proxy-authorization") == expected for s in proxy.seen), proxy.seen[0].headers


def test_proxy_credentials_in_the_url_sync(mock: MockServer, proxy: ForwardProxy, tmp_path: Path) -> None:
    outcome = sync_round_trip(
        tmp_path, lambda: TalkdeskClient(**mock.talkdesk_kwargs(), proxy=_with_credentials(proxy))
    )
    check_relayed(proxy, mock, outcome)
    check_credentials(proxy)


async def test_proxy_credentials_in_the_url_async(mock: MockServer, proxy: ForwardProxy, tmp_path: Path) -> None:
    outcome = await async_round_trip(
        tmp_path, lambda: AsyncTalkdeskClient(**mock.talkdesk_kwargs(), proxy=_with_credentials(proxy))
    )
    check_relayed(proxy, mock, outcome)
    check_credentials(proxy)


# The environment: HTTP_PROXY / ALL_PROXY for http, HTTPS_PROXY only for https, NO_PROXY honoured

ENVIRONMENTS = [
    pytest.param({"HTTP_PROXY": "{proxy}"}, True, id="HTTP_PROXY"),
    pytest.param({"http_proxy": "{proxy}"}, True, id="http_proxy"),
    pytest.param({"ALL_PROXY": "{proxy}"}, True, id="ALL_PROXY"),
    pytest.param({"HTTPS_PROXY": "{proxy}"}, False, id="HTTPS_PROXY-is-not-for-http"),
    pytest.param({"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1"}, False, id="NO_PROXY-host"),
    pytest.param({"HTTP_PROXY": "{proxy}", "NO_PROXY": "example.com, 127.0.0.1"}, False, id="NO_PROXY-list"),
    pytest.param({"HTTP_PROXY": "{proxy}", "no_proxy": "*"}, False, id="no_proxy-star"),
    pytest.param({"HTTP_PROXY": "{proxy}", "NO_PROXY": "example.com"}, True, id="NO_PROXY-other-host"),
]


def _set(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], proxy: ForwardProxy) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value.format(proxy=proxy.url))


@pytest.mark.parametrize(("environment", "proxied"), ENVIRONMENTS)
def test_proxy_from_the_environment_sync(
    mock: MockServer,
    proxy: ForwardProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    proxied: bool,
) -> None:
    _set(monkeypatch, environment, proxy)
    outcome = sync_round_trip(tmp_path, lambda: TalkdeskClient(**mock.talkdesk_kwargs()))
    if proxied:
        check_relayed(proxy, mock, outcome)
    else:
        assert succeeded(outcome) == CONTENT
        assert proxy.seen == []


@pytest.mark.parametrize(("environment", "proxied"), ENVIRONMENTS)
async def test_proxy_from_the_environment_async(
    mock: MockServer,
    proxy: ForwardProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    proxied: bool,
) -> None:
    _set(monkeypatch, environment, proxy)
    outcome = await async_round_trip(tmp_path, lambda: AsyncTalkdeskClient(**mock.talkdesk_kwargs()))
    if proxied:
        check_relayed(proxy, mock, outcome)
    else:
        assert succeeded(outcome) == CONTENT
        assert proxy.seen == []


# CONNECT: an https API through the proxy, trusting a throwaway CA through SSL_CERT_FILE --------------------------


def _webex_api(seen: Seen) -> Reply:
    if seen.method == "GET" and seen.path == "/v1/attachment/actions/a":
        return Reply(200, ACTION)
    return Reply(404, {"message": "not here", "trackingId": "t"})


@pytest.fixture
def https_webex(tls: Tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[JsonServer]:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with JsonServer(_webex_api, tls.server_context) as server:
        yield server


def check_tunnelled(proxy: ForwardProxy, server: JsonServer, outcome: Outcome) -> None:
    action = succeeded(outcome)
    assert (action.id, action.message_id) == ("a", "m")
    assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", f"localhost:{server.port}")]
    assert [(s.method, s.path) for s in server.seen] == [("GET", "/v1/attachment/actions/a")]
    assert server.seen[0].headers["authorization"] == "Bearer token"  # inside the tunnel, never seen by the proxy
    assert "authorization" not in proxy.seen[0].headers


def _https_webex(server: JsonServer, **options: Any) -> dict[str, Any]:
    return {"access_token": "token", "base_url": f"https://localhost:{server.port}/v1", "max_retries": 0, **options}


@pytest.mark.parametrize("how", ["HTTPS_PROXY", "proxy="])
def test_https_api_through_connect_sync(
    https_webex: JsonServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    options: dict[str, Any] = {}
    if how == "HTTPS_PROXY":
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    else:
        options["proxy"] = proxy.url

    def go() -> Any:
        with WebexClient(**_https_webex(https_webex, **options)) as client:
            return client.attachment_actions.get("a")

    check_tunnelled(proxy, https_webex, bounded(go, LIMIT))


@pytest.mark.parametrize("how", ["HTTPS_PROXY", "proxy="])
async def test_https_api_through_connect_async(
    https_webex: JsonServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    options: dict[str, Any] = {}
    if how == "HTTPS_PROXY":
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    else:
        options["proxy"] = proxy.url

    async def go() -> Any:
        async with AsyncWebexClient(**_https_webex(https_webex, **options)) as client:
            return await client.attachment_actions.get("a")

    check_tunnelled(proxy, https_webex, await abounded(go, LIMIT))


def test_https_api_without_the_ca_fails_typed_sync(https_webex: JsonServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control of the CONNECT cases: without SSL_CERT_FILE the throwaway CA is not trusted."""
    monkeypatch.delenv("SSL_CERT_FILE")

    def go() -> Any:
        with WebexClient(**_https_webex(https_webex)) as client:
            return client.attachment_actions.get("a")

    error = raised(bounded(go, LIMIT), errors.APIConnectionError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert https_webex.seen == []


async def test_https_api_without_the_ca_fails_typed_async(
    https_webex: JsonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")

    async def go() -> Any:
        async with AsyncWebexClient(**_https_webex(https_webex)) as client:
            return await client.attachment_actions.get("a")

    error = raised(await abounded(go, LIMIT), errors.APIConnectionError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert https_webex.seen == []


# A user's http_client, honoured whole: its proxy (or mounts), default headers and event hooks --------------------


def check_users_client(proxy: ForwardProxy, mock: MockServer, outcome: Outcome, hooked: list[httpx.Request]) -> None:
    seen = check_relayed(proxy, mock, outcome)
    assert [s.headers.get("x-corp") for s in seen] == ["1"] * len(seen)  # forwarded to the mock as they came
    assert [(r.method, r.url.path) for r in hooked] == [(s.method, s.path) for s in seen]


@pytest.mark.parametrize("how", ["proxy", "mounts"])
def test_users_http_client_is_honoured_whole_sync(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, how: str
) -> None:
    hooked: list[httpx.Request] = []
    route: dict[str, Any] = (
        {"proxy": proxy.url} if how == "proxy" else {"mounts": {"http://": httpx.HTTPTransport(proxy=proxy.url)}}
    )
    with httpx.Client(headers={"X-Corp": "1"}, event_hooks={"request": [hooked.append]}, **route) as users:
        outcome = sync_round_trip(tmp_path, lambda: TalkdeskClient(**mock.talkdesk_kwargs(), http_client=users))
        assert not users.is_closed  # the user's client is the user's to close
    check_users_client(proxy, mock, outcome, hooked)


@pytest.mark.parametrize("how", ["proxy", "mounts"])
async def test_users_http_client_is_honoured_whole_async(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, how: str
) -> None:
    hooked: list[httpx.Request] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request)

    route: dict[str, Any] = (
        {"proxy": proxy.url} if how == "proxy" else {"mounts": {"http://": httpx.AsyncHTTPTransport(proxy=proxy.url)}}
    )
    async with httpx.AsyncClient(headers={"X-Corp": "1"}, event_hooks={"request": [hook]}, **route) as users:
        outcome = await async_round_trip(
            tmp_path, lambda: AsyncTalkdeskClient(**mock.talkdesk_kwargs(), http_client=users)
        )
        assert not users.is_closed
    check_users_client(proxy, mock, outcome, hooked)


def test_proxy_and_http_client_together_are_refused(proxy: ForwardProxy) -> None:
    with httpx.Client() as users, pytest.raises(errors.ValidationError) as refused:
        TalkdeskClient(access_token="t", base_url="https://api.example.test", proxy=proxy.url, http_client=users)
    assert refused.value.field == "proxy"
    assert proxy.seen == []


# Storage links: plain http refused unless the API itself is on loopback or insecure http was allowed -------------

API_HOST = "attachments.example.test"
STORAGE_HOST = "storage.example.test"
ATTACHMENT_ID = uuid.UUID(int=1).hex
UPLOAD_URL = f"http://{STORAGE_HOST}/upload/x?signature=s3cret"
DOWNLOAD_URL = f"http://{STORAGE_HOST}/download/x?signature=s3cret"


def _talkdesk_api(seen: Seen) -> Reply:
    if seen.method == "POST" and seen.path == "/talkdesk/attachments/2023-03/upload-link":
        return Reply(200, {"url": UPLOAD_URL, "request_id": "r1"})
    if seen.method == "POST" and seen.path == "/talkdesk/attachments/2023-03":
        base = f"https://{API_HOST}/talkdesk/attachments/2023-03/{ATTACHMENT_ID}"
        return Reply(
            200,
            {
                "id": ATTACHMENT_ID,
                "name": "a.txt",
                "state": "published",
                "size": len(CONTENT),
                "type": "text/plain",
                "metadata": {},
                "_links": {"self": {"href": base}, "download_link": {"href": f"{base}/download-link"}},
            },
        )
    if seen.method == "GET" and seen.path == f"/talkdesk/attachments/2023-03/{ATTACHMENT_ID}/download-link":
        return Reply(200, {"url": DOWNLOAD_URL, "expire_time": 600})
    return Reply(404, {"code": "not_found", "message": "not here"})


def _storage(seen: Seen) -> Reply:
    return Reply(200, CONTENT if seen.method == "GET" else b"")


class Site:
    """An https Talkdesk API at a name that is not loopback, and a plain-http storage host, both reached through
    the proxy (which maps their names to loopback ports)."""

    def __init__(self, api: JsonServer, storage: JsonServer, proxy: ForwardProxy) -> None:
        self.api = api
        self.storage = storage
        self.proxy = proxy

    def options(self, **extra: Any) -> dict[str, Any]:
        return {
            "access_token": "t",
            "base_url": f"https://{API_HOST}/talkdesk",
            "proxy": self.proxy.url,
            "max_retries": 0,
            **extra,
        }

    def storage_requests(self) -> list[Seen]:
        return [s for s in self.proxy.seen if STORAGE_HOST in s.host]


@pytest.fixture
def site(tls: Tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with JsonServer(_talkdesk_api, tls.server_context) as api, JsonServer(_storage) as storage:
        hosts = {f"{API_HOST}:443": api.port, f"{STORAGE_HOST}:80": storage.port}
        with ForwardProxy(hosts) as proxy:
            yield Site(api, storage, proxy)


def check_link_refused(site: Site, outcome: Outcome, field: str, api_paths: list[str]) -> None:
    error = raised(outcome, errors.ValidationError)
    assert error.field == field
    assert "s3cret" not in str(error)  # the link's signature stays out of the message
    assert site.storage.seen == [] and site.storage_requests() == []  # nothing PUT, nothing fetched
    assert [s.path for s in site.api.seen] == api_paths  # and, for an upload, no attachment created


UPLOAD_LINK_ONLY = ["/talkdesk/attachments/2023-03/upload-link"]
DOWNLOAD_LINK_ONLY = [f"/talkdesk/attachments/2023-03/{ATTACHMENT_ID}/download-link"]


def test_plain_http_storage_links_are_refused_sync(site: Site, tmp_path: Path) -> None:
    def upload() -> Any:
        with TalkdeskClient(**site.options()) as client:
            return client.attachments.upload(CONTENT, name="a.txt")

    check_link_refused(site, bounded(upload, LIMIT), "upload_link.url", UPLOAD_LINK_ONLY)
    site.api.seen.clear()

    def download() -> Any:
        with TalkdeskClient(**site.options()) as client:
            return client.attachments.download(ATTACHMENT_ID, tmp_path / "out")

    check_link_refused(site, bounded(download, LIMIT), "download_link.url", DOWNLOAD_LINK_ONLY)
    assert not (tmp_path / "out").exists()


async def test_plain_http_storage_links_are_refused_async(site: Site, tmp_path: Path) -> None:
    async def upload() -> Any:
        async with AsyncTalkdeskClient(**site.options()) as client:
            return await client.attachments.upload(CONTENT, name="a.txt")

    check_link_refused(site, await abounded(upload, LIMIT), "upload_link.url", UPLOAD_LINK_ONLY)
    site.api.seen.clear()

    async def download() -> Any:
        async with AsyncTalkdeskClient(**site.options()) as client:
            return await client.attachments.download(ATTACHMENT_ID, tmp_path / "out")

    check_link_refused(site, await abounded(download, LIMIT), "download_link.url", DOWNLOAD_LINK_ONLY)
    assert not (tmp_path / "out").exists()


def check_link_followed(site: Site, outcome: Outcome, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The control: allowed, the same links are used, through the proxy like everything else; and no log record, of
    any logger at any level, holds their signature (httpx would log each request's whole URL at INFO)."""
    messages = [record.getMessage() for record in caplog.records]
    assert any(STORAGE_HOST in m for m in messages), "the storage requests were logged"
    assert [m for m in messages if "s3cret" in m] == []
    assert succeeded(outcome) == len(CONTENT)
    assert (tmp_path / "out").read_bytes() == CONTENT
    assert [(s.method, s.target) for s in site.storage_requests()] == [("PUT", UPLOAD_URL), ("GET", DOWNLOAD_URL)]
    assert [(s.method, s.body) for s in site.storage.seen] == [("PUT", CONTENT), ("GET", b"")]
    assert [s.method for s in site.proxy.seen if s.method == "CONNECT"]  # and the API went through the tunnel


def test_plain_http_storage_links_with_allow_insecure_http_sync(
    site: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def go() -> int:
        with TalkdeskClient(**site.options(allow_insecure_http=True)) as client:
            attachment = client.attachments.upload(CONTENT, name="a.txt")
            return client.attachments.download(attachment.id, tmp_path / "out")

    check_link_followed(site, bounded(go, LIMIT), tmp_path, caplog)


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_plain_http_storage_links_with_allow_insecure_http_async(
    site: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture, backend: Literal["aiohttp", "httpx"]
) -> None:
    caplog.set_level(logging.DEBUG)

    async def go() -> int:
        async with AsyncTalkdeskClient(**site.options(allow_insecure_http=True, backend=backend)) as client:
            attachment = await client.attachments.upload(CONTENT, name="a.txt")
            return await client.attachments.download(attachment.id, tmp_path / "out")

    check_link_followed(site, await abounded(go, LIMIT), tmp_path, caplog)
