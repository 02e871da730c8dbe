"""The aiohttp backend of the async clients (`attachkit._aiohttp`): chosen by default when aiohttp is installed, and
holding every promise the httpx backend holds, over real loopback sockets.

- Which backend a client gets: aiohttp by default on the async face, `backend="httpx"` for attachkit's httpcore
  pools, never aiohttp on the sync face.
- Retry safety: a request that cannot have left (nothing listening) is retried whatever it is; one the server may
  have processed (a drop after processing, a reset, a read timeout) is retried only when idempotent, so a create
  the mock processed once stays created once and its caller gets `APIConnectionError`.
- `timeout=` bounds an attempt against a dripping server; `max_response_bytes` holds against a gzip bomb (aiohttp
  does not decompress: attachkit's bounded decoder does).
- Proxies from the environment and from `proxy=`, plain (absolute-form) and https (CONNECT, with a trustme CA).
- Streaming: 8 MiB up and down through the mock, request streams sent with their Content-Length (never chunked),
  memory flat, a stalled upload ended by the write timeout.
- Event loops: a client made outside any loop and used from two loops in turn (`asyncio.run` twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import sys
import threading
import time
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import aiohttp
import httpcore
import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit._aiohttp import AiohttpNetwork, translated
from attachkit._async.http import AsyncClientTransport
from attachkit._async.network import AsyncNetwork
from attachkit._config import DEFAULT_LIMITS, DEFAULT_MAX_RESPONSE_BYTES
from attachkit._generated._sync.network import Network
from attachkit._streams import UploadBody
from attachkit.testing import MockServer
from tests.resilience.hostile_servers import (
    ACTION,
    ForwardProxy,
    JsonServer,
    RawServer,
    Reply,
    Seen,
    Tls,
    abounded,
    drip,
    head,
    http_response,
    make_tls,
    slices,
    stream,
    then_silent,
    traced_peak,
    zeros_bomb,
)

MiB = 1024 * 1024
LIMIT = 20.0  # no call here may run longer; past it the test fails instead of hanging
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(scope="module")
def server(lenient_server: MockServer) -> MockServer:
    # Faults must reach the client as the mock sent them (a lenient mock still records any spec violation).
    return lenient_server


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets itself: no proxy or CA bundle of the machine running the tests."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)


def inner(client: Any) -> httpx.AsyncBaseTransport | httpx.BaseTransport:
    """The transport under a client's retries: its own connections, or the caller's http_client."""
    transport: httpx.AsyncBaseTransport | httpx.BaseTransport = client._session._inner
    return transport


def chain(exc: BaseException) -> list[type[BaseException]]:
    """The types of `exc` and of the exceptions it was raised from."""
    types_: list[type[BaseException]] = []
    current: BaseException | None = exc
    while current is not None:
        types_.append(type(current))
        current = current.__cause__
    return types_


# Which backend ---------------------------------------------------------------------------------------------------


async def test_the_async_clients_send_with_aiohttp_by_default() -> None:
    async with AsyncWebexClient(access_token="t", base_url="https://webexapis.example.test/v1") as webex:
        assert isinstance(inner(webex), AiohttpNetwork)
    async with AsyncTalkdeskClient(access_token="t", base_url="https://api.example.test") as talkdesk:
        assert isinstance(inner(talkdesk), AiohttpNetwork)
    async with AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1", backend="aiohttp") as asked:
        assert isinstance(inner(asked), AiohttpNetwork)


async def test_backend_httpx_gives_attachkits_httpcore_pools() -> None:
    async with AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1", backend="httpx") as webex:
        assert isinstance(inner(webex), AsyncNetwork)
    async with AsyncTalkdeskClient(access_token="t", base_url="https://x.example.test", backend="httpx") as talkdesk:
        assert isinstance(inner(talkdesk), AsyncNetwork)


async def test_a_callers_http_client_is_used_whatever_the_default() -> None:
    async with (
        httpx.AsyncClient() as users,
        AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1", http_client=users) as webex,
    ):
        assert isinstance(inner(webex), AsyncClientTransport)


def test_the_sync_clients_send_with_httpx_and_refuse_aiohttp() -> None:
    with WebexClient(access_token="t", base_url="https://x.example.test/v1") as webex:
        assert isinstance(inner(webex), Network)
    with WebexClient(access_token="t", base_url="https://x.example.test/v1", backend="httpx") as webex:
        assert isinstance(inner(webex), Network)
    with pytest.raises(errors.ValidationError) as refused:
        WebexClient(access_token="t", base_url="https://x.example.test/v1", backend="aiohttp")
    assert refused.value.field == "backend"
    with pytest.raises(errors.ValidationError) as refused:
        TalkdeskClient(access_token="t", base_url="https://x.example.test", backend="aiohttp")
    assert refused.value.field == "backend"


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(errors.ValidationError) as refused:
        AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1", backend="curl")  # type: ignore[arg-type]
    assert refused.value.field == "backend"


async def test_without_aiohttp_the_default_is_httpx_and_asking_for_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "attachkit._aiohttp", None)  # `import attachkit._aiohttp` now fails
    async with AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1") as webex:
        assert isinstance(inner(webex), AsyncNetwork)
    with pytest.raises(errors.ValidationError) as refused:
        AsyncWebexClient(access_token="t", base_url="https://x.example.test/v1", backend="aiohttp")
    assert refused.value.field == "backend" and "attachkit[aiohttp]" in str(refused.value)


# The exception table: what each aiohttp failure means for a retry --------------------------------------------------

_KEY = types.SimpleNamespace(host="api.example.test", port=443, ssl=True, is_ssl=True)
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


@pytest.mark.parametrize(
    ("exc", "before", "after"),
    [
        pytest.param(
            aiohttp.ClientConnectorError(_KEY, OSError(111, "refused")),  # type: ignore[arg-type]
            httpx.ConnectError,
            None,
            id="refused",
        ),
        pytest.param(
            aiohttp.ClientConnectorDNSError(_KEY, OSError(-2, "no such name")),  # type: ignore[arg-type]
            httpx.ConnectError,
            None,
            id="dns",
        ),
        pytest.param(aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout, None, id="connect-timeout"),
        pytest.param(aiohttp.SocketTimeoutError("read"), httpx.ConnectTimeout, httpx.ReadTimeout, id="socket-timeout"),
        pytest.param(aiohttp.ServerTimeoutError("read"), httpx.ConnectTimeout, httpx.ReadTimeout, id="server-timeout"),
        pytest.param(TimeoutError(), httpx.ConnectTimeout, httpx.ReadTimeout, id="asyncio-timeout"),
        pytest.param(
            aiohttp.ServerDisconnectedError(), httpx.ConnectError, httpx.RemoteProtocolError, id="disconnected"
        ),
        pytest.param(aiohttp.ClientOSError(104, "reset"), httpx.ConnectError, httpx.ReadError, id="reset"),
        pytest.param(aiohttp.ClientConnectionResetError("reset"), httpx.ConnectError, httpx.ReadError, id="reset-2"),
        pytest.param(aiohttp.ClientPayloadError("cut"), httpx.ConnectError, httpx.RemoteProtocolError, id="payload"),
        pytest.param(OSError(32, "broken pipe"), httpx.ConnectError, httpx.ReadError, id="os-error"),
    ],
)
def test_each_aiohttp_failure_maps_by_phase(
    exc: BaseException, before: type[Exception], after: type[Exception] | None
) -> None:
    mapped = translated(exc, connected=False)
    assert type(mapped) is before and isinstance(mapped, _NOT_SENT)  # before a connection: never sent
    after_mapped = translated(exc, connected=True)
    if after is None:  # a connect failure cannot happen later; if it did, it would still say so
        assert type(after_mapped) is before
    else:
        assert type(after_mapped) is after and not isinstance(after_mapped, _NOT_SENT)  # may have been processed


def test_what_is_not_aiohttps_is_left_alone() -> None:
    assert translated(ValueError("x"), connected=True) is None
    own = httpx.ReadError("x")
    assert translated(own, connected=False) is own


# Retry safety over loopback with the mock -----------------------------------------------------------------------


def _webex(mock: MockServer, **options: Any) -> AsyncWebexClient:
    return AsyncWebexClient(**mock.webex_kwargs(), backend="aiohttp", **options)


def _talkdesk(mock: MockServer, **options: Any) -> AsyncTalkdeskClient:
    return AsyncTalkdeskClient(**mock.talkdesk_kwargs(), backend="aiohttp", **options)


async def _create(client: AsyncWebexClient) -> str:
    """A new attachment action's id (the mock always answers with the action)."""
    action = await client.attachment_actions.create(message_id="m", inputs={})
    assert action is not None
    return action.id


def _delta(mock: MockServer, operation: str, before: Any) -> tuple[int, int]:
    """(received, processed) for `operation` since `before`."""
    after = mock.state.counts(operation)
    return after.received - before.received, after.processed - before.processed


def _settle(mock: MockServer) -> None:
    deadline = time.monotonic() + 30
    while sum(mock.state.requests.values()) != len(mock.state.history):
        assert time.monotonic() < deadline, "the mock did not finish its requests"
        time.sleep(0.005)


async def test_a_create_dropped_after_processing_is_not_sent_again(mock: MockServer) -> None:
    mock.faults.add_spec("create_attachment_action:drop-after:times=1")
    before = mock.state.counts("create_attachment_action")
    message = f"m-{uuid.uuid4().hex}"
    clock = FakeClock()
    async with _webex(mock, clock=clock) as client:
        with pytest.raises(errors.APIConnectionError) as caught:
            await client.attachment_actions.create(message_id=message, inputs={"a": "b"})
    _settle(mock)
    assert not isinstance(caught.value, errors.APITimeoutError)
    assert httpx.RemoteProtocolError in chain(caught.value) or httpx.ReadError in chain(caught.value)
    assert _delta(mock, "create_attachment_action", before) == (1, 1)  # processed once, never resent
    assert clock.sleeps == []
    assert sum(1 for a in mock.state.actions.values() if a.message_id == message) == 1


async def test_a_create_dropped_before_processing_is_not_sent_again_either(mock: MockServer) -> None:
    """A drop before processing looks the same on the wire (the whole request went out, then a reset): the client
    cannot know the server did nothing, so a create is not resent, exactly as with the httpx backend."""
    mock.faults.add_spec("create_attachment_action:drop-before:times=1")
    before = mock.state.counts("create_attachment_action")
    async with _webex(mock, clock=FakeClock()) as client:
        with pytest.raises(errors.APIConnectionError):
            await client.attachment_actions.create(message_id="m", inputs={})
    _settle(mock)
    assert _delta(mock, "create_attachment_action", before) == (1, 0)


@pytest.mark.parametrize("drop", ["before", "after"])
async def test_a_keyed_send_dropped_is_retried_and_stored_once(mock: MockServer, drop: str) -> None:
    async with _talkdesk(mock, clock=FakeClock()) as client:
        conversation = await client.conversations.start(touchpoint_id="tp-1")
        mock.faults.add_spec(f"send_message:drop-{drop}:times=1")
        before = mock.state.counts("send_message")
        content = f"hello-{uuid.uuid4().hex}"
        sent = await client.conversations.send_message(conversation.id, content=content)
    _settle(mock)
    assert sent.message_id
    assert _delta(mock, "send_message", before) == (2, 2 if drop == "after" else 1)
    assert sum(1 for m in mock.state.messages if m.content == content) == 1


async def test_a_dropped_token_request_is_retried(mock: MockServer) -> None:
    mock.faults.add_spec("token:drop-before:times=1")
    before = mock.state.counts("token")
    async with _talkdesk(mock, clock=FakeClock()) as client:
        await client.conversations.start(touchpoint_id="tp-1")
    _settle(mock)
    assert mock.state.counts("token").received - before.received == 2


async def test_a_create_that_never_left_is_retried() -> None:
    """Nothing listens: every attempt fails before a byte is sent, so even a create is tried max_retries + 1 times."""
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]  # bound, never listening: connections are refused
        clock = FakeClock()
        async with AsyncWebexClient(access_token="t", base_url=f"http://127.0.0.1:{port}/v1", clock=clock) as client:
            assert isinstance(inner(client), AiohttpNetwork)
            with pytest.raises(errors.APIConnectionError) as caught:
                await client.attachment_actions.create(message_id="m", inputs={})
    assert httpx.ConnectError in chain(caught.value)
    assert len(clock.sleeps) == 2  # three attempts


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A loopback port whose connects hang: its listener never accepts and its queue is full, so further SYNs are
    dropped (Linux). Skips where a connect still completes."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    fillers = [socket.socket() for _ in range(4)]
    try:
        for filler in fillers:
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
        with socket.socket() as probe:
            probe.settimeout(0.3)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                yield port
            else:
                pytest.skip("connects to a full accept queue complete here")
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_a_create_whose_connection_never_came_is_retried(backend: Literal["aiohttp", "httpx"]) -> None:
    """A connect still hanging at the attempt's deadline never carried the request: a `ConnectTimeout`, retried even
    for a create, on both backends (aiohttp's connect ends just before the deadline the retry layer enforces)."""
    with unanswered_port() as port:
        clock = FakeClock()
        client = AsyncWebexClient(
            access_token="t",
            base_url=f"http://127.0.0.1:{port}/v1",
            backend=backend,
            timeout=0.5,
            max_retries=1,
            clock=clock,
        )
        async with client:
            with pytest.raises(errors.APITimeoutError) as caught:
                await client.attachment_actions.create(message_id="m", inputs={})
    assert httpx.ConnectTimeout in chain(caught.value)
    assert len(clock.sleeps) == 1  # two attempts


@pytest.mark.parametrize("status", [429, 423, 503])
async def test_refusals_are_retried_even_for_a_create(mock: MockServer, status: int) -> None:
    mock.faults.add_spec(f"create_attachment_action:{status}:times=1")
    before = mock.state.counts("create_attachment_action")
    clock = FakeClock()
    async with _webex(mock, clock=clock) as client:
        action = await _create(client)
    _settle(mock)
    assert action
    assert _delta(mock, "create_attachment_action", before) == (2, 1)
    assert len(clock.sleeps) == 1


async def test_a_read_timeout_on_a_create_is_not_retried_and_on_a_get_is(mock: MockServer) -> None:
    async with _webex(mock, clock=FakeClock(), timeout=0.15) as client:
        created = await _create(client)
        mock.faults.add_spec("create_attachment_action:latency=0.4:times=1")
        before = mock.state.counts("create_attachment_action")
        with pytest.raises(errors.APITimeoutError):
            await client.attachment_actions.create(message_id="m", inputs={})
        _settle(mock)
        assert _delta(mock, "create_attachment_action", before) == (1, 1)
        mock.faults.add_spec("get_attachment_action:latency=0.4:times=1")
        before = mock.state.counts("get_attachment_action")
        assert (await client.attachment_actions.get(created)).id == created
    _settle(mock)
    assert _delta(mock, "get_attachment_action", before)[0] == 2


async def test_max_retries_counts_every_attempt(mock: MockServer) -> None:
    """aiohttp on its own resends an idempotent request once when the connection drops; attachkit switches that
    off, so `max_retries=0` means one request on the wire, as with the httpx backend."""
    async with _webex(mock, clock=FakeClock(), max_retries=0) as client:
        created = await _create(client)
        mock.faults.add_spec("get_attachment_action:drop-after")
        before = mock.state.counts("get_attachment_action")
        with pytest.raises(errors.APIConnectionError):
            await client.attachment_actions.get(created)
    mock.faults.clear()
    _settle(mock)
    assert _delta(mock, "get_attachment_action", before)[0] == 1


# Deadlines and caps against hostile servers ------------------------------------------------------------------------

ACTION_BYTES = b'{"id": "a", "type": "submit", "messageId": "m", "inputs": {}}'


async def test_a_dripping_server_ends_at_the_timeout() -> None:
    """Headers a byte every 100 ms: no single read waits long, so only the attempt's deadline can end it."""
    dripped = http_response(200, ACTION_BYTES, [("Content-Type", "application/json")])
    with RawServer(drip(dripped, 0.1)) as peer:
        client = AsyncWebexClient(access_token="t", base_url=f"{peer.url}/v1", max_retries=0, timeout=1.0)
        assert isinstance(inner(client), AiohttpNetwork)

        async def go() -> Any:
            async with client:
                return await client.attachment_actions.get("a")

        outcome = await abounded(go, LIMIT)
    assert isinstance(outcome.error, errors.APITimeoutError), repr(outcome.error)
    assert 0.9 <= outcome.elapsed < 2.0, outcome.elapsed


async def test_a_silent_server_ends_at_the_read_timeout() -> None:
    with RawServer(then_silent(head(200, [("Content-Length", "100")]))) as peer:
        client = AsyncWebexClient(access_token="t", base_url=f"{peer.url}/v1", max_retries=0, timeout=0.5)

        async def go() -> Any:
            async with client:
                return await client.attachment_actions.get("a")

        outcome = await abounded(go, LIMIT)
    assert isinstance(outcome.error, errors.APITimeoutError), repr(outcome.error)
    assert outcome.elapsed < 2.0


async def test_a_gzip_bomb_is_refused_with_memory_flat() -> None:
    bomb = zeros_bomb("gzip")  # 1 GiB of zeros in about 1 MiB
    headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("Content-Length", str(len(bomb)))]
    with RawServer(stream(head(200, headers), lambda: slices(bomb))) as peer, traced_peak() as peak:
        client = AsyncWebexClient(access_token="t", base_url=f"{peer.url}/v1", max_retries=0)

        async def go() -> Any:
            async with client:
                return await client.attachment_actions.get("a")

        outcome = await abounded(go, LIMIT)
    assert isinstance(outcome.error, errors.ResponseTooLargeError), repr(outcome.error)
    assert f"max_response_bytes={DEFAULT_MAX_RESPONSE_BYTES}" in str(outcome.error)
    assert peak() < 64 * MiB


async def test_headers_pass_through_as_received() -> None:
    """aiohttp leaves the body compressed and the headers as sent, Content-Encoding included; attachkit decodes."""
    import gzip

    body = gzip.compress(ACTION_BYTES)
    answer = http_response(200, body, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    network = AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS)
    with RawServer(stream(answer, lambda: [])) as peer:
        response = await network.handle_async_request(httpx.Request("GET", f"{peer.url}/x"))
        raw = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        await response.aclose()
        await network.aclose()
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-length"] == str(len(body))
    assert raw == body


# Proxies -------------------------------------------------------------------------------------------------------------

CONTENT = b"hello through the proxy"


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


async def _round_trip(client: AsyncTalkdeskClient, tmp_path: Path) -> bytes:
    async with client:
        attachment = await client.attachments.upload(CONTENT, name=f"{uuid.uuid4().hex}.txt")
        await client.attachments.download(attachment.id, tmp_path / "downloaded")
    return (tmp_path / "downloaded").read_bytes()


@pytest.mark.parametrize(
    "how",
    ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "proxy=", "proxy=-with-credentials"],
)
async def test_plain_http_goes_through_the_proxy(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    options: dict[str, Any] = {}
    if how == "proxy=":
        options["proxy"] = proxy.url
    elif how == "proxy=-with-credentials":
        options["proxy"] = proxy.url.replace("http://", "http://corp%40user:s3cret@")
    else:
        monkeypatch.setenv(how, proxy.url)
    client = _talkdesk(mock, **options)
    assert isinstance(inner(client), AiohttpNetwork)
    assert await _round_trip(client, tmp_path) == CONTENT
    host = mock.url.removeprefix("http://")
    assert [s.method for s in proxy.seen] == ["POST", "POST", "PUT", "POST", "GET", "GET"]
    assert all(s.target.startswith(f"http://{host}/") for s in proxy.seen)  # absolute-form, as a proxy gets it
    assert proxy.seen[2].body == CONTENT
    expected = "Basic Y29ycEB1c2VyOnMzY3JldA==" if how.endswith("credentials") else None  # corp@user:s3cret
    assert {s.headers.get("proxy-authorization") for s in proxy.seen} == {expected}


@pytest.mark.parametrize(
    "environment",
    [
        {"HTTPS_PROXY": "{proxy}"},
        {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1"},
        {"ALL_PROXY": "{proxy}", "no_proxy": "*"},
    ],
    ids=["HTTPS_PROXY-is-not-for-http", "NO_PROXY", "no_proxy-star"],
)
async def test_what_the_environment_says_not_to_proxy_goes_direct(
    mock: MockServer, proxy: ForwardProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value.format(proxy=proxy.url))
    assert await _round_trip(_talkdesk(mock), tmp_path) == CONTENT
    assert proxy.seen == []


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"), "localhost", "127.0.0.1")


def _webex_api(seen: Seen) -> Reply:
    if seen.method == "GET" and seen.path == "/v1/attachment/actions/a":
        return Reply(200, ACTION)
    return Reply(404, {"message": "not here", "trackingId": "t"})


@pytest.fixture
def https_webex(tls: Tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[JsonServer]:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with JsonServer(_webex_api, tls.server_context) as running:
        yield running


@pytest.mark.parametrize("how", ["HTTPS_PROXY", "proxy=", "proxy=-with-credentials"])
async def test_https_goes_through_connect(
    https_webex: JsonServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    options: dict[str, Any] = {}
    if how == "HTTPS_PROXY":
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    elif how == "proxy=":
        options["proxy"] = proxy.url
    else:
        options["proxy"] = proxy.url.replace("http://", "http://corp%40user:s3cret@")
    client = AsyncWebexClient(access_token="token", base_url=f"https://localhost:{https_webex.port}/v1", **options)
    assert isinstance(inner(client), AiohttpNetwork)
    async with client:
        action = await client.attachment_actions.get("a")
    assert action.id == "a"
    assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", f"localhost:{https_webex.port}")]
    assert [(s.method, s.path) for s in https_webex.seen] == [("GET", "/v1/attachment/actions/a")]
    assert https_webex.seen[0].headers["authorization"] == "Bearer token"  # inside the tunnel only
    assert "authorization" not in proxy.seen[0].headers
    if how.endswith("credentials"):
        assert proxy.seen[0].headers["proxy-authorization"] == "Basic Y29ycEB1c2VyOnMzY3JldA=="
        assert "proxy-authorization" not in https_webex.seen[0].headers  # for the proxy, not the server


async def test_tls_is_verified(https_webex: JsonServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    async with AsyncWebexClient(
        access_token="t", base_url=f"https://localhost:{https_webex.port}/v1", max_retries=0
    ) as client:
        with pytest.raises(errors.APIConnectionError) as caught:
            await client.attachment_actions.get("a")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert httpx.ConnectError in chain(caught.value)
    assert https_webex.seen == []


# Streaming -----------------------------------------------------------------------------------------------------------


async def test_eight_mib_round_trip_through_the_mock(mock: MockServer, tmp_path: Path) -> None:
    data = hashlib.sha256(b"seed").digest() * (8 * MiB // 32)
    source = tmp_path / "eight.bin"
    source.write_bytes(data)
    async with _talkdesk(mock) as client:
        attachment = await client.attachments.upload(source, name=f"{uuid.uuid4().hex}.bin")
        assert attachment.size == len(data)
        written = await client.attachments.download(attachment.id, tmp_path / "copy.bin")
    assert written == len(data)
    assert (tmp_path / "copy.bin").read_bytes() == data


class Sink:
    """A loopback server that reads one request per connection and keeps only its head, the body's size and digest
    (so the test process holds none of it), then answers 200; or, with `read=False`, never reads the body."""

    def __init__(self, *, read: bool = True) -> None:
        self.read = read
        self.heads: list[bytes] = []
        self.sizes: list[int] = []
        self.digests: list[str] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.01)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Sink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head_, _, rest = data.partition(b"\r\n\r\n")
                self.heads.append(head_)
                if not self.read:
                    self._stop.wait(10)
                    continue
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head_.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                digest = hashlib.sha256(rest)
                size = len(rest)
                while size < length:
                    piece = conn.recv(1 << 20)
                    if not piece:
                        break
                    digest.update(piece)
                    size += len(piece)
                self.sizes.append(size)
                self.digests.append(digest.hexdigest())
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


async def test_a_request_stream_is_streamed_with_its_content_length(tmp_path: Path) -> None:
    size = 64 * MiB
    path = tmp_path / "big.bin"
    with path.open("wb") as f:
        for _ in range(size // MiB):
            f.write(b"z" * MiB)
    network = AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS)
    body = UploadBody(path=path, size=size)
    with Sink() as sink, traced_peak() as peak:
        request = httpx.Request("PUT", f"{sink.url}/upload", stream=body, headers={"Content-Length": str(size)})
        response = await network.handle_async_request(request)
        await response.aread()
        await network.aclose()
    assert response.status_code == 200
    head_ = sink.heads[0].lower()
    assert f"content-length: {size}".encode() in head_
    assert b"transfer-encoding" not in head_
    assert sink.sizes == [size]
    assert peak() < 8 * MiB, f"{peak() / MiB:.1f} MiB traced while sending {size // MiB} MiB"


async def test_a_response_is_streamed_as_it_arrives_with_memory_flat() -> None:
    size = 64 * MiB
    zeros = bytes(MiB)
    answer = head(200, [("Content-Length", str(size)), ("Content-Type", "application/octet-stream")])
    network = AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS)
    with RawServer(stream(answer, lambda: [zeros] * (size // MiB))) as peer, traced_peak() as peak:
        response = await network.handle_async_request(httpx.Request("GET", f"{peer.url}/download"))
        received = 0
        chunks = 0
        async for chunk in response.stream:  # type: ignore[union-attr]
            received += len(chunk)
            chunks += 1
        await response.aclose()
        await network.aclose()
    assert received == size
    assert chunks > 64  # as it came, not gathered
    assert peak() < 8 * MiB, f"{peak() / MiB:.1f} MiB traced while receiving {size // MiB} MiB"


async def test_a_body_longer_or_shorter_than_declared_is_refused() -> None:
    network = AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS)
    with Sink() as sink:
        for declared in (3, 10):
            body = UploadBody(data=b"hello", size=5)
            request = httpx.Request("PUT", f"{sink.url}/x", stream=body, headers={"Content-Length": str(declared)})
            with pytest.raises(httpx.LocalProtocolError):
                await network.handle_async_request(request)
        await network.aclose()


async def test_a_stalled_upload_ends_at_the_write_timeout() -> None:
    """The server reads the head and then nothing: once the socket buffers are full nothing moves, and aiohttp,
    which has no write timeout of its own, is stopped after `write` seconds."""
    size = 256 * MiB
    network = AiohttpNetwork(proxy=None, limits=DEFAULT_LIMITS)
    with Sink(read=False) as sink:
        body = UploadBody(data=bytes(size), size=size)
        request = httpx.Request(
            "PUT",
            f"{sink.url}/x",
            stream=body,
            headers={"Content-Length": str(size)},
            extensions={"timeout": {"connect": 5.0, "read": 5.0, "write": 0.5, "pool": 5.0}},
        )
        start = time.monotonic()
        with pytest.raises(httpx.WriteTimeout):
            await asyncio.wait_for(network.handle_async_request(request), LIMIT)
        assert time.monotonic() - start < 5.0
        await network.aclose()


# Event loops ---------------------------------------------------------------------------------------------------------


# A closed loop can close nothing: the kept-alive sockets it leaves are closed when collected, with Python's
# ResourceWarning for a socket left open.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_one_client_from_two_event_loops(server: MockServer) -> None:
    """Made outside any loop, used from one `asyncio.run`, then another, then closed from a third: each loop gets a
    session of its own, and the one a closed loop left is closed."""
    client = AsyncWebexClient(**server.webex_kwargs(), backend="aiohttp")
    network = inner(client)
    assert isinstance(network, AiohttpNetwork)

    async def create() -> str:
        return await _create(client)

    first = asyncio.run(create())
    session = network._session
    assert session is not None and not session.closed
    second = asyncio.run(create())
    assert network._session is not session and session.closed
    asyncio.run(client.close())
    assert network._session is None
    assert first != second


# A closed loop can close nothing (see above).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_one_httpx_backend_client_from_two_event_loops(server: MockServer) -> None:
    """The httpx backend too: each loop gets pools of its own (httpcore's connections are their loop's), where
    reusing the first loop's would fail with "Event loop is closed"."""
    client = AsyncWebexClient(**server.webex_kwargs(), backend="httpx")
    network = inner(client)
    assert isinstance(network, AsyncNetwork)

    async def create() -> tuple[str, httpcore.AsyncConnectionPool]:
        return await _create(client), network._pools.get()[None]

    first, first_pool = asyncio.run(create())
    second, second_pool = asyncio.run(create())
    assert first != second and first_pool is not second_pool
    asyncio.run(client.close())


def test_pools_left_on_a_loop_that_runs_again_are_closed_there(server: MockServer) -> None:
    client = AsyncWebexClient(**server.webex_kwargs(), backend="httpx")
    network = inner(client)
    assert isinstance(network, AsyncNetwork)

    async def create() -> httpcore.AsyncConnectionPool:
        await _create(client)
        pool, _door = network._pools.get()[None]
        return pool

    async def settle() -> None:
        await asyncio.sleep(0)  # one turn: the close handed to this loop becomes a task
        await asyncio.gather(*(asyncio.all_tasks() - {asyncio.current_task()}))

    first_loop, second_loop = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        first_pool = first_loop.run_until_complete(create())
        assert len(first_pool.connections) == 1
        second_pool = second_loop.run_until_complete(create())
        assert second_pool is not first_pool and first_pool.connections  # left open while its loop is idle
        first_loop.run_until_complete(settle())
        assert first_pool.connections == []
        second_loop.run_until_complete(client.close())
        assert second_pool.connections == []
    finally:
        first_loop.close()
        second_loop.close()


async def test_concurrent_first_calls_share_one_session(mock: MockServer, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[aiohttp.ClientSession] = []

    real = aiohttp.ClientSession

    def counted(*args: Any, **kwargs: Any) -> aiohttp.ClientSession:
        made.append(real(*args, **kwargs))
        return made[-1]

    async with _webex(mock) as client:
        created = await _create(client)
    monkeypatch.setattr(aiohttp, "ClientSession", counted)
    async with _webex(mock) as fresh:
        got = await asyncio.gather(*(fresh.attachment_actions.get(created) for _ in range(16)))
    assert {a.id for a in got} == {created}
    assert len(made) == 1 and made[0].closed
