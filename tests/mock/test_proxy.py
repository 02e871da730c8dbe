"""The validating proxy (`attachkit.testing._proxy`): a mock proxying another mock reports nothing; an upstream
that breaks the specs is reported operation by operation, field by field; secrets never reach a violation, the
report, the summary or the record; the recorder refuses a line that still holds one.

The proxy is mounted in a tiny Starlette app the way the mock will mount it: each spec route calls
`proxy.forward(request, operation, path_below_prefix)`, the token route `proxy.forward_token`, and a path no route
matches `proxy.forward(request, None, ...)`. Both the app and the upstreams are served by uvicorn on loopback.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from attachkit import TalkdeskClient, WebexClient
from attachkit.testing._contract import Contract
from attachkit.testing._dialects import TOKEN_PATH, vendor_for_path
from attachkit.testing._proxy import (
    PROXIED,
    KnownSecrets,
    Recorder,
    UpstreamProxy,
    Violation,
    parse_upstreams,
)
from attachkit.testing._routing import OperationRoute, operation_routes
from tests._support.servers import strict_mock
from tests._support.waiting import eventually

WEBHOOK_SECRET = "whsec-proxy-test-0123456789"
ACCESS_TOKEN = "upstream-issued-access-token-abcdef"
CLIENT_SECRET = "proxy-test-client-secret-xyz"
WEBEX_TOKEN = "proxy-test-webex-token-987654"


# -- serving --------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def serving(app: Callable[..., Any], *, lifespan: bool = False) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="on" if lifespan else "off", log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="proxy-test-server", daemon=True)
    thread.start()
    try:
        eventually(lambda: server.started or not thread.is_alive(), 30, "the server did not start")
        assert server.started
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


Seen = list[tuple[str, Response, tuple[Violation, ...]]]


def proxy_app(proxy: UpstreamProxy, client: httpx.AsyncClient, seen: Seen | None = None) -> Starlette:
    """The proxy mounted as the mock will mount it (see the module docstring); ``client`` is closed on exit.
    ``seen`` gets what the mock's pipeline will find after each spec operation: the answer and the violations."""

    def endpoint(route: OperationRoute) -> Callable[[Request], Awaitable[Response]]:
        async def forward(request: Request) -> Response:
            op = route.operation(request.method)
            response = await proxy.forward(request, op, request.scope["path"][len(op.vendor.prefix) :])
            if seen is not None:
                seen.append((op.operation_id, response, request.state.proxy_violations))
            return response

        return forward

    async def unmatched(request: Request, exc: Exception) -> Response:
        path = request.scope["path"]
        vendor = vendor_for_path(path)
        if vendor is None or not proxy.handles(vendor):
            return Response(status_code=404)
        return await proxy.forward(request, None, path[len(vendor.prefix) :], vendor=vendor)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await proxy.aclose()
        await client.aclose()

    routes = [
        Route(route.path, endpoint(route), methods=list(route.by_method))
        for route in operation_routes(proxy.contract.operations.values())
    ]
    routes.append(Route(TOKEN_PATH, proxy.forward_token, methods=["POST"]))
    app = Starlette(routes=routes, exception_handlers={404: unmatched, 405: unmatched}, lifespan=lifespan)
    app.router.redirect_slashes = False
    return app


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract()


def assert_no_secret(text: str, proxy: UpstreamProxy, *literals: str) -> None:
    for literal in literals:
        assert literal not in text
    assert not proxy.secrets.leaks(text)


# -- a mock proxying another mock -----------------------------------------------------------------------------------


def test_a_mock_proxying_another_mock_reports_nothing(contract: Contract, tmp_path: Path) -> None:
    record = tmp_path / "record.jsonl"
    with strict_mock(client_secret=CLIENT_SECRET, webex_token=WEBEX_TOKEN) as upstream:
        client = httpx.AsyncClient(trust_env=False, timeout=30)
        proxy = UpstreamProxy(
            contract,
            {"talkdesk": upstream.talkdesk_base_url, "webex": upstream.webex_base_url},
            client,
            record=record,
        )
        with serving(proxy_app(proxy, client), lifespan=True) as url:
            talkdesk = {**upstream.talkdesk_kwargs(), "base_url": url + "/talkdesk", "token_url": url + TOKEN_PATH}
            with TalkdeskClient(**talkdesk) as td:
                attachment = td.attachments.upload(b"%PDF-1.4 through the proxy", name="proxied.pdf")
                assert td.attachments.get(attachment.id).name == "proxied.pdf"
                conversation = td.conversations.start(touchpoint_id="tp-1")
                td.conversations.send_message(conversation.id, content="see attached", attachments=[attachment])
            with WebexClient(access_token=upstream.webex_token, base_url=url + "/webex/v1") as wx:
                hook = wx.webhooks.create(
                    name="proxied",
                    target_url="http://127.0.0.1:9/hook",
                    resource="attachmentActions",
                    event="created",
                    secret=WEBHOOK_SECRET,
                )
                assert wx.webhooks.get(hook.id).id == hook.id
                assert [h.id for h in wx.webhooks.list()] == [hook.id]
                wx.webhooks.delete(hook.id)
                message = wx.messages.create(room_id="room-1", text="hello through the proxy")
                assert wx.messages.get(message.id).text == "hello through the proxy"
                action = wx.attachment_actions.create(message_id=message.id, inputs={"Name": "Ada"})
                assert action is not None and wx.attachment_actions.get(action.id).id == action.id

        # The calls went through the proxy to the upstream mock.
        assert upstream.state.counts("send_message").received == 1
        assert upstream.state.counts("token").received == 1
        assert upstream.state.counts("create_webhook").received == 1

    assert proxy.violations == []
    report = proxy.report()
    assert report["violations"] == 0
    assert report["upstream_failures"] == 0
    assert report["records_refused"] == 0
    assert {"token", "request_upload_link", "create_attachment", "get_attachment", "start_conversation"} <= set(
        report["operations"]
    )
    assert {"send_message", "create_webhook", "get_webhook", "list_webhooks", "delete_webhook"} <= set(
        report["operations"]
    )
    assert {"create_message", "get_message", "create_attachment_action", "get_attachment_action"} <= set(
        report["operations"]
    )
    assert report["operations"]["send_message"]["statuses"] == {"201": 1}
    assert "0 spec violations" in proxy.summary()

    # Learned as they passed: the client secret (Basic auth or the form), the Webex token, the access token the
    # upstream issued, the webhook's secret. None of them is in the record.
    assert len(proxy.secrets) >= 4
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == report["exchanges"] == report["records_written"]
    entries = [json.loads(line) for line in lines]
    assert {e["operation"] for e in entries} == set(report["operations"])
    assert all(e["violations"] == [] and e["error"] is None for e in entries)
    text = record.read_text(encoding="utf-8")
    assert_no_secret(text, proxy, CLIENT_SECRET, WEBEX_TOKEN, WEBHOOK_SECRET)
    assert_no_secret(json.dumps(report) + proxy.summary(), proxy, CLIENT_SECRET, WEBEX_TOKEN, WEBHOOK_SECRET)
    token = next(e for e in entries if e["operation"] == "token")
    assert '"access_token":"***"' in token["response"]["body"].replace(" ", "")
    created = next(e for e in entries if e["operation"] == "create_webhook")
    assert ["authorization", "Bearer ***"] in created["request"]["headers"]


# -- a non-conforming upstream --------------------------------------------------------------------------------------


def bad_upstream() -> Starlette:
    """An upstream that breaks the specs on purpose, one way per route (Talkdesk under /td, Webex under /wx/v1)."""

    async def token(request: Request) -> Response:
        await request.body()
        return JSONResponse({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 600})

    async def start_conversation(request: Request) -> Response:
        await request.body()
        return JSONResponse({"id": 12345}, status_code=201, headers={"X-Upstream": "bad"})  # id: not a string

    async def upload_link(request: Request) -> Response:
        return JSONResponse({"url": "https://storage.invalid/upload"})  # request_id is required

    async def get_attachment(request: Request) -> Response:
        body = gzip.compress(json.dumps({"id": "a-1", "name": "n.pdf"}).encode())  # state is required
        return Response(body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})

    async def get_message(request: Request) -> Response:
        seen = {name: value for name, value in request.headers.items()}
        return JSONResponse({"message": "I'm a teapot", "seen": seen}, status_code=418)  # not documented

    async def get_webhook(request: Request) -> Response:
        # Not an object: the validation message quotes the whole instance, secrets and all.
        return JSONResponse([{"secret": WEBHOOK_SECRET, "name": f"token {ACCESS_TOKEN}"}])

    async def echo_message(request: Request) -> Response:
        return Response(await request.body(), media_type="application/json")

    async def refuse_webhook(request: Request) -> Response:
        await request.body()
        error = {"message": "Invalid secret", "errors": [{"description": "secret"}], "trackingId": "t-1"}
        return JSONResponse(error, status_code=400, headers={"TrackingID": "t-1"})

    async def not_found(request: Request) -> Response:
        return JSONResponse({"code": "0000404", "message": "Not Found"}, status_code=404)

    return Starlette(
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/td/digital-connect/conversations", start_conversation, methods=["POST"]),
            Route("/td/attachments/2023-03/upload-link", upload_link, methods=["POST"]),
            Route("/td/attachments/2023-03/{id}", get_attachment, methods=["GET"]),
            Route("/td/{rest:path}", not_found, methods=["GET"]),
            Route("/wx/v1/messages/{id}", get_message, methods=["GET"]),
            Route("/wx/v1/messages", echo_message, methods=["POST"]),
            Route("/wx/v1/webhooks/{id}", get_webhook, methods=["GET"]),
            Route("/wx/v1/webhooks", refuse_webhook, methods=["POST"]),
        ]
    )


@pytest.fixture(scope="module")
def bad_url() -> Iterator[str]:
    with serving(bad_upstream()) as url:
        yield url


@contextlib.contextmanager
def proxied(
    contract: Contract, upstreams: dict[str, str], seen: Seen | None = None, **options: Any
) -> Iterator[tuple[UpstreamProxy, httpx.Client]]:
    """A proxy in front of ``upstreams``, served, with a plain client pointed at it."""
    client = httpx.AsyncClient(trust_env=False, timeout=30)
    proxy = UpstreamProxy(contract, upstreams, client, **options)
    app = proxy_app(proxy, client, seen)
    with serving(app, lifespan=True) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield proxy, http


def by_operation(violations: list[Violation]) -> dict[str, list[tuple[str, str | None, str]]]:
    found: dict[str, list[tuple[str, str | None, str]]] = {}
    for v in violations:
        found.setdefault(v.operation, []).append((v.direction, v.field, v.message))
    return found


def test_a_non_conforming_upstream_is_reported_operation_by_operation(
    contract: Contract, bad_url: str, tmp_path: Path
) -> None:
    record = tmp_path / "record.jsonl"
    upstreams = {"talkdesk": bad_url + "/td", "talkdesk-token": bad_url + "/oauth/token", "webex": bad_url + "/wx/v1"}
    basic = base64.b64encode(f"client:{CLIENT_SECRET}".encode()).decode()
    seen: Seen = []
    with proxied(contract, upstreams, seen, record=record) as (proxy, http):
        got = http.post(
            TOKEN_PATH,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert got.json()["access_token"] == ACCESS_TOKEN  # the upstream's answer, unchanged
        td = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
        wx = {"Authorization": f"Bearer {WEBEX_TOKEN}"}

        # A request that breaks the spec is forwarded all the same; the answer comes back as it was.
        started = http.post("/talkdesk/digital-connect/conversations", json={"touchpoint_id": 5}, headers=td)
        assert started.status_code == 201
        assert started.json() == {"id": 12345}
        assert started.headers["x-upstream"] == "bad"

        assert http.post("/talkdesk/attachments/2023-03/upload-link", json={}, headers=td).status_code == 200
        attachment = http.get("/talkdesk/attachments/2023-03/a-1", headers=td)
        assert attachment.headers["content-encoding"] == "gzip"  # passed on compressed, as it came
        assert attachment.json() == {"id": "a-1", "name": "n.pdf"}

        hop_by_hop = {"Connection": "keep-alive, X-Drop-Me", "X-Drop-Me": "1", "Keep-Alive": "timeout=5"}
        teapot = http.get("/webex/v1/messages/m-1", headers={**wx, "X-Custom": "kept", **hop_by_hop})
        assert teapot.status_code == 418
        sent = teapot.json()["seen"]
        assert sent["host"] == bad_url.removeprefix("http://")  # Host rewritten to the upstream's
        assert sent["x-custom"] == "kept"
        assert sent["authorization"] == f"Bearer {WEBEX_TOKEN}"  # forwarded: the upstream needs it
        assert not {"connection", "keep-alive", "x-drop-me"} & set(sent)  # hop-by-hop, and named by Connection
        assert not any(name.startswith("x-forwarded") for name in sent)

        assert http.get("/webex/v1/webhooks/w-1", headers=wx).status_code == 200
        assert http.get("/talkdesk/no/such/thing", headers=td).status_code == 404

    found = by_operation(proxy.violations)
    assert found["start_conversation"] == [
        ("request", "touchpoint_id", "5 is not of type 'string'"),
        ("response", "id", "12345 is not of type 'string'"),
    ]
    assert found["request_upload_link"] == [("response", "request_id", "is required")]
    assert found["get_attachment"] == [("response", "state", "is required")]
    assert found["get_message"] == [("response", None, "status 418 is not documented for get_message")]
    [(direction, field, message)] = found["get_webhook"]
    assert (direction, field) == ("response", "body")
    assert "is not of type 'object'" in message and "***" in message
    assert found["unmatched"] == [("request", None, "no operation in the talkdesk specs takes GET /no/such/thing")]
    assert "token" not in found  # forwarded, not checked: no spec describes it

    # Each answer is marked as the upstream's (the mock must pass it on untouched), with the exchange's violations.
    assert all(isinstance(response, PROXIED) for _, response, _ in seen)
    assert [v for _, _, violations in seen for v in violations] == [
        v for v in proxy.violations if v.operation != "unmatched"
    ]

    report = proxy.report()
    operations = report["operations"]
    assert operations["start_conversation"]["request_violations"] == 1
    assert operations["start_conversation"]["response_violations"] == 1
    assert operations["start_conversation"]["statuses"] == {"201": 1}
    assert operations["get_message"]["statuses"] == {"418": 1}
    assert [s["field"] for s in operations["request_upload_link"]["samples"]] == ["request_id"]
    assert report["violations"] == 7
    assert report["exchanges"] == 7
    summary = proxy.summary()
    assert "get_message: 1 exchange (1x 418): 0 request, 1 response violations" in summary
    assert "response 201 id: 12345 is not of type 'string'" in summary

    # The client secret (from Basic auth), the Webex token, the issued access token, the webhook secret (learned
    # from the body it came in): in none of the outputs, though the upstream echoed some of them back.
    shown = json.dumps(report) + summary + repr(proxy.violations) + record.read_text(encoding="utf-8")
    assert_no_secret(shown, proxy, CLIENT_SECRET, WEBEX_TOKEN, ACCESS_TOKEN, WEBHOOK_SECRET, basic)
    entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [e["operation"] for e in entries] == [
        "token",
        "start_conversation",
        "request_upload_link",
        "get_attachment",
        "get_message",
        "get_webhook",
        "unmatched",
    ]
    assert entries[1]["violations"][0] == {
        "direction": "request",
        "field": "touchpoint_id",
        "message": "5 is not of type 'string'",
    }
    assert entries[0]["request"]["body"] == "grant_type=client_credentials"
    assert ["authorization", "Basic ***"] in entries[0]["request"]["headers"]


def test_a_secret_fields_value_is_never_quoted(contract: Contract, bad_url: str, tmp_path: Path) -> None:
    record = tmp_path / "record.jsonl"
    hidden = "hook secret is not a string here"  # not learnable (not a string value), and holding " is "
    webhook = {"name": "n", "targetUrl": "https://example.com/h", "resource": "messages", "event": "created"}
    with proxied(contract, {"webex": bad_url + "/wx/v1"}, record=record) as (proxy, http):
        refused = http.post(
            "/webex/v1/webhooks",
            json={**webhook, "secret": [hidden]},
            headers={"Authorization": f"Bearer {WEBEX_TOKEN}"},
        )
    assert refused.status_code == 400
    [violation] = [v for v in proxy.violations if v.direction == "request"]
    assert (violation.operation, violation.field, violation.status) == ("create_webhook", "secret", 400)
    assert violation.message == "*** is not of type 'string'"
    shown = json.dumps(proxy.report()) + proxy.summary() + record.read_text(encoding="utf-8")
    assert "hook secret" not in shown and WEBEX_TOKEN not in shown


def test_bodies_beyond_the_limits_are_streamed_through_unchecked(contract: Contract, bad_url: str) -> None:
    upstreams = {"webex": bad_url + "/wx/v1"}
    body = json.dumps({"roomId": "r-1", "text": "x" * 5000}).encode()
    with proxied(contract, upstreams, max_request_bytes=1024, max_response_bytes=1024) as (proxy, http):
        echoed = http.post(
            "/webex/v1/messages",
            content=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {WEBEX_TOKEN}"},
        )
    assert echoed.status_code == 200
    assert echoed.content == body  # the upstream got every byte, and the caller got every byte back
    report = proxy.report()
    assert report["unchecked"] == 1
    assert report["violations"] == 0


def test_an_unreachable_upstream_is_a_502_in_the_vendors_shape(contract: Contract) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    upstreams = {"talkdesk": f"http://127.0.0.1:{port}", "webex": f"http://127.0.0.1:{port}/v1"}
    with proxied(contract, upstreams) as (proxy, http):
        talkdesk = http.post(
            "/talkdesk/digital-connect/conversations", json={}, headers={"Authorization": "Bearer some-token"}
        )
        webex = http.get("/webex/v1/messages/m-1", headers={"Authorization": "Bearer some-token"})
        token = http.post(TOKEN_PATH, data={"grant_type": "client_credentials"})
    assert talkdesk.status_code == 502
    assert talkdesk.json()["message"] == "Bad Gateway"  # Talkdesk's {code, message, description}
    assert "ConnectError" in talkdesk.json()["description"]
    assert webex.status_code == 502
    assert set(webex.json()) == {"message", "errors", "trackingId"} and "trackingid" in webex.headers
    assert token.status_code == 502 and token.json()["error"] == "bad_gateway"
    report = proxy.report()
    assert report["upstream_failures"] == 3
    assert report["violations"] == 0
    assert "3 exchanges, 0 spec violations, 3 upstream failures" in proxy.summary()


# -- the parts ------------------------------------------------------------------------------------------------------


def test_the_recorder_refuses_a_line_with_a_known_secret(tmp_path: Path) -> None:
    secret = "s3cret/value+42"
    secrets = KnownSecrets([secret])
    path = tmp_path / "record.jsonl"
    with Recorder(path, secrets) as recorder:
        assert recorder.write({"operation": "ok", "body": "nothing to hide"})
        assert not recorder.write({"operation": "leak", "body": f"it is {secret}"})
        assert not recorder.write({"operation": "leak", "query": "key=s3cret%2Fvalue%2B42"})  # URL-encoded
        secrets.add("learned-later-token")
        assert not recorder.write({"operation": "leak", "headers": [["x-token", "learned-later-token"]]})
    assert (recorder.written, recorder.refused) == (1, 3)
    assert path.read_text(encoding="utf-8") == '{"operation":"ok","body":"nothing to hide"}\n'
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_secrets_are_learned_from_headers_bodies_and_queries() -> None:
    secrets = KnownSecrets()
    basic = base64.b64encode(b"client-id:the-client-secret").decode()
    secrets.learn_headers([("Authorization", f"Basic {basic}"), ("Cookie", "session=cookie-value-1; theme=dark")])
    secrets.learn_body(b'{"items": [{"secret": "hook-secret"}], "refresh_token": "refresh-1"}', "application/json")
    secrets.learn_body(b"grant_type=password&password=hunter22", "application/x-www-form-urlencoded")
    secrets.learn_query("client_secret=from-the-query&page=2")
    known = secrets.values()
    assert {"the-client-secret", basic, "cookie-value-1", "hook-secret", "refresh-1", "hunter22"} <= known
    assert "from-the-query" in known
    assert "dark" not in known  # too short to be taken for a credential: it would redact innocent text
    assert secrets.redact("Value {'password': 'x', 'name': 'the-client-secret'}") == (
        "Value {'password': '***', 'name': '***'}"
    )


def test_upstreams_are_parsed_and_checked() -> None:
    assert parse_upstreams(["talkdesk=https://api.talkdeskapp.com/", "webex=https://webexapis.com/v1"]) == {
        "talkdesk": "https://api.talkdeskapp.com",
        "webex": "https://webexapis.com/v1",
    }
    for bad in ["talkdesk", "slack=https://x", "webex=ftp://x", "webex=https://", "webex=https://x/?a=1"]:
        with pytest.raises(ValueError, match="upstream"):
            parse_upstreams([bad])
    with pytest.raises(ValueError, match="twice"):
        parse_upstreams(["webex=https://a", "webex=https://b"])


def test_the_proxys_answers_are_marked_and_the_violations_bounded(contract: Contract, bad_url: str) -> None:
    seen: list[Violation] = []
    upstreams = {"webex": bad_url + "/wx/v1"}
    with proxied(contract, upstreams, max_violations=2, on_violation=seen.append) as (proxy, http):
        for _ in range(3):
            assert http.get("/webex/v1/messages/m-1").status_code == 418
    assert len(seen) == 3
    assert len(proxy.violations) == 2 and proxy.dropped_violations == 1
    assert proxy.report()["operations"]["get_message"]["response_violations"] == 3  # counts are never dropped
    assert len(proxy.report()["operations"]["get_message"]["samples"]) == 1  # distinct samples only
