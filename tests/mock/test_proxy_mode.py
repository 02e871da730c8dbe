"""Proxy mode, wired in: `attachkit mock --upstream NAME=URL` (and `MockServer(upstreams=...)`) forwards the API
calls of a vendor to its upstream through the mock's own pipeline (faults, history, control plane), and reports
what breaks the specs at `/_mock/violations`, in the history, in the summary on exit and in `--report FILE`;
`--record FILE` has one line per exchange. No secret reaches any of them.

The proxy itself (forwarding, checking, redaction, the record's refusals) is tested in `test_proxy.py`.
"""

from __future__ import annotations

import base64
import contextlib
import json
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from attachkit import TalkdeskClient, WebexClient
from attachkit.cli import cli
from attachkit.testing import MockServer
from tests._support.processes import lines_of, read_exports
from tests._support.servers import strict_mock
from tests._support.waiting import eventually

CLIENT_SECRET = "upstream-client-secret-4f7a9c"
WEBEX_TOKEN = "upstream-webex-token-8d2b61"
WEBHOOK_SECRET = "whsec-proxied-through-3e5d"
BAD_ACCESS_TOKEN = "bad-upstream-issued-token-77aa01"
URLS = ("TALKDESK_BASE_URL", "TALKDESK_TOKEN_URL", "WEBEX_BASE_URL", "ATTACHKIT_MOCK_URL", "ATTACHKIT_MOCK_ADMIN_TOKEN")
STOP = 60.0  # seconds: a generous bound on a clean shutdown


def admin(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextlib.contextmanager
def proxy_process(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], list[str], dict[str, str]]]:
    """`attachkit mock --port 0 ARGS` in its own process (stderr to `tmp_path/mock.err`); yields the process, its
    banner and its export lines; killed at the end if still running."""
    argv = [sys.executable, "-m", "attachkit.cli", "mock", "--port", "0", *args]
    with (tmp_path / "mock.err").open("w") as err:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        assert process.stdout is not None
        banner, exports = read_exports(lines_of(process.stdout), URLS)
        yield process, banner, exports
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=STOP)
        assert process.stdout is not None
        process.stdout.close()


def test_a_mock_proxying_another_mock_reports_nothing_and_leaks_nothing(tmp_path: Path) -> None:
    record, report_file = tmp_path / "exchanges.jsonl", tmp_path / "report.json"
    with strict_mock(client_secret=CLIENT_SECRET, webex_token=WEBEX_TOKEN) as upstream:
        args = [
            "--upstream",
            f"talkdesk={upstream.talkdesk_base_url}",
            "--upstream",
            f"webex={upstream.webex_base_url}",
        ]
        args += ["--record", str(record), "--report", str(report_file)]
        with proxy_process(tmp_path, *args) as (process, banner, exports):
            # The banner names the upstreams; the export lines give URLs only: the integration keeps its own,
            # real credentials (pasting the mock's would overwrite them).
            assert any(line.strip().startswith("talkdesk") and upstream.talkdesk_base_url in line for line in banner)
            assert any(line.strip().startswith("webex") and upstream.webex_base_url in line for line in banner)
            assert not any(name in line for line in banner for name in ("TALKDESK_CLIENT_SECRET", "WEBEX_ACCESS"))
            mock_url, admin_token = exports["ATTACHKIT_MOCK_URL"], exports["ATTACHKIT_MOCK_ADMIN_TOKEN"]

            talkdesk = {
                "account": upstream.account,
                "client_id": upstream.client_id,
                "client_secret": CLIENT_SECRET,
                "base_url": exports["TALKDESK_BASE_URL"],
                "token_url": exports["TALKDESK_TOKEN_URL"],
            }
            with TalkdeskClient(**talkdesk) as td:
                attachment = td.attachments.upload(b"%PDF-1.4 through the proxy", name="proxied.pdf")
                assert td.attachments.get(attachment.id).name == "proxied.pdf"
                conversation = td.conversations.start(touchpoint_id="tp-1")
                td.conversations.send_message(conversation.id, content="see attached", attachments=[attachment])
            with WebexClient(access_token=WEBEX_TOKEN, base_url=exports["WEBEX_BASE_URL"]) as wx:
                hook = wx.webhooks.create(
                    name="proxied",
                    target_url="http://127.0.0.1:9/hook",
                    resource="attachmentActions",
                    event="created",
                    secret=WEBHOOK_SECRET,
                )
                assert [h.id for h in wx.webhooks.list()] == [hook.id]
                wx.webhooks.delete(hook.id)
                message = wx.messages.create(room_id="room-1", text="hello through the proxy")
                assert wx.messages.get(message.id).text == "hello through the proxy"
                action = wx.attachment_actions.create(message_id=message.id, inputs={"Name": "Ada"})
                assert action is not None and wx.attachment_actions.get(action.id).id == action.id

            # A token the upstream issues, passing through the proxy, then used through it.
            basic = base64.b64encode(f"{upstream.client_id}:{CLIENT_SECRET}".encode()).decode()
            with httpx.Client(timeout=30, trust_env=False) as http:
                issued_answer = http.post(
                    exports["TALKDESK_TOKEN_URL"],
                    data={"grant_type": "client_credentials"},
                    headers={"Authorization": f"Basic {basic}"},
                )
                assert issued_answer.status_code == 200, issued_answer.text
                issued = issued_answer.json()["access_token"]
                got = http.get(
                    f"{exports['TALKDESK_BASE_URL']}/attachments/2023-03/{attachment.id}",
                    headers={"Authorization": f"Bearer {issued}"},
                )
                assert got.status_code == 200, got.text

                violations = http.get(f"{mock_url}/_mock/violations", headers=admin(admin_token))
                assert violations.status_code == 200
                assert violations.json() == {"items": []}
                history = http.get(f"{mock_url}/_mock/requests", headers=admin(admin_token))
                assert history.status_code == 200
            entries = history.json()["items"]
            assert all(entry["violations"] == [] for entry in entries)
            assert {"token", "request_upload_link", "send_message", "create_webhook", "get_attachment_action"} <= {
                entry["operation"] for entry in entries
            }
            # The calls went on to the upstream, which answered them all.
            assert upstream.state.counts("send_message").received == 1
            assert upstream.state.counts("token").received == 2
            assert upstream.state.counts("create_webhook").received == 1

            process.send_signal(signal.SIGINT)  # Ctrl+C: the summary, the report, the record closed
            returncode = process.wait(timeout=STOP)
        stderr = (tmp_path / "mock.err").read_text()

    # One record line per exchange: every API call the history holds (the control plane is not proxied).
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(entries)
    recorded = [json.loads(line) for line in lines]
    assert [entry["operation"] for entry in recorded] == [entry["operation"] for entry in entries]
    assert all(entry["violations"] == [] and entry["error"] is None for entry in recorded)

    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["violations"] == 0
    assert report["upstream_failures"] == 0
    assert report["records_refused"] == 0
    assert report["exchanges"] == report["records_written"] == len(lines)
    assert report["operations"]["token"]["statuses"] == {"200": 2}
    assert "attachkit proxy: " in stderr and ", 0 spec violations" in stderr
    assert "Traceback" not in stderr
    assert returncode == 0, stderr  # Ctrl+C is the way out of the mock, not an error

    secrets = [CLIENT_SECRET, WEBEX_TOKEN, WEBHOOK_SECRET, issued, basic, admin_token]
    for where, text in {
        "record": record.read_text(encoding="utf-8"),
        "report": report_file.read_text(encoding="utf-8"),
        "history": history.text,
        "stderr": stderr,
    }.items():
        for secret in secrets:
            assert secret not in text, f"a secret in the {where}"


# -- a non-conforming upstream ----------------------------------------------------------------------------------------


class NonConforming:
    """An upstream that breaks the specs on purpose, one way per operation (Talkdesk under /td, Webex under /wx/v1);
    it counts the calls it gets."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.app = Starlette(
            routes=[
                Route("/td/oauth/token", self.token, methods=["POST"]),
                Route("/td/digital-connect/conversations", self.start_conversation, methods=["POST"]),
                Route("/td/attachments/2023-03/upload-link", self.upload_link, methods=["POST"]),
                Route("/wx/v1/messages/{id}", self.get_message, methods=["GET"]),
                Route("/wx/v1/messages", self.create_message, methods=["POST"]),
            ]
        )

    async def token(self, request: Request) -> Response:
        self.calls.append("token")
        await request.body()
        return JSONResponse({"access_token": BAD_ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 600})

    async def start_conversation(self, request: Request) -> Response:
        self.calls.append("start_conversation")
        await request.body()
        return JSONResponse({"id": 12345}, status_code=201, headers={"X-Upstream": "bad"})  # id: not a string

    async def upload_link(self, request: Request) -> Response:
        self.calls.append("request_upload_link")
        await request.body()
        return JSONResponse({"url": "https://storage.invalid/upload"})  # request_id is required

    async def get_message(self, request: Request) -> Response:
        self.calls.append("get_message")
        return JSONResponse({"message": "I'm a teapot"}, status_code=418)  # not documented

    async def create_message(self, request: Request) -> Response:
        self.calls.append("create_message")
        sent: dict[str, Any] = json.loads(await request.body())
        return JSONResponse({"id": "m-1", "roomId": sent.get("roomId"), "text": sent.get("text"), "created": 5})


@contextlib.contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bad-upstream", daemon=True)
    thread.start()
    try:
        eventually(lambda: server.started or not thread.is_alive(), 30, "the upstream did not start")
        assert server.started
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture
def non_conforming() -> Iterator[tuple[NonConforming, str]]:
    upstream = NonConforming()
    with serving(upstream.app) as url:
        yield upstream, url


def problems_by_operation(items: list[dict[str, Any]]) -> dict[str, list[tuple[str, int | None, str]]]:
    found: dict[str, list[tuple[str, int | None, str]]] = {}
    for item in items:
        for problem in item["problems"]:
            found.setdefault(item["operation"], []).append((item["kind"], item["status"], problem))
    return found


EXPECTED = {
    "start_conversation": [
        ("request", 201, "touchpoint_id: 5 is not of type 'string'"),
        ("response", 201, "id: 12345 is not of type 'string'"),
    ],
    "request_upload_link": [("response", 200, "request_id: is required")],
    "get_message": [("response", 418, "status 418 is not documented for get_message")],
}


def test_a_non_conforming_upstream_is_reported_operation_by_operation(
    non_conforming: tuple[NonConforming, str], tmp_path: Path
) -> None:
    upstream, url = non_conforming
    record, report_file = tmp_path / "exchanges.jsonl", tmp_path / "report.json"
    upstreams = {"talkdesk": url + "/td", "webex": url + "/wx/v1"}
    mock = MockServer(upstreams=upstreams, record_file=record, report_file=report_file, validate_responses=True)
    with mock, httpx.Client(base_url=mock.url, timeout=30, trust_env=False) as http:
        assert mock.proxy is not None
        token = http.post(
            "/talkdesk/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": "Basic " + base64.b64encode(f"c:{CLIENT_SECRET}".encode()).decode()},
        )
        assert token.json()["access_token"] == BAD_ACCESS_TOKEN  # the upstream's answer: the mock checks no login
        td = {"Authorization": f"Bearer {BAD_ACCESS_TOKEN}"}
        wx = {"Authorization": f"Bearer {WEBEX_TOKEN}"}  # not the mock's own token: the upstream decides

        # A request that breaks the spec is forwarded all the same, and the answer comes back unchanged.
        started = http.post("/talkdesk/digital-connect/conversations", json={"touchpoint_id": 5}, headers=td)
        assert (started.status_code, started.json(), started.headers["x-upstream"]) == (201, {"id": 12345}, "bad")
        assert http.post("/talkdesk/attachments/2023-03/upload-link", json={}, headers=td).status_code == 200
        teapot = http.get("/webex/v1/messages/m-1", headers=wx)
        assert teapot.status_code == 418
        assert "trackingid" not in teapot.headers  # the upstream's headers, not the mock's tracking id
        created = http.post("/webex/v1/messages", json={"roomId": "r-1", "text": "hi"}, headers=wx)
        assert created.status_code == 200

        # Faults still apply, in front of the upstream: the call is answered without being forwarded.
        mock.faults.add("get_message", status=503, times=1)
        assert http.get("/webex/v1/messages/m-1", headers=wx).status_code == 503
        assert upstream.calls.count("get_message") == 1

        listed = http.get("/_mock/violations", headers=admin(mock.admin_token))
        assert listed.status_code == 200
        found = problems_by_operation(listed.json()["items"])
        assert {name: found[name] for name in EXPECTED} == EXPECTED
        [(kind, status, problem)] = found["create_message"]  # "created": 5 is not a date-time string
        assert (kind, status) == ("response", 200) and problem.startswith("created: 5 is not of type 'string'")
        assert "token" not in found  # no spec describes the token endpoint: forwarded, not checked

        history = http.get("/_mock/requests", headers=admin(mock.admin_token)).json()["items"]
        in_history: dict[str, list[tuple[str, int | None, str]]] = {}
        for entry in history:
            if entry["outcome"] == "answered":
                in_history.setdefault(entry["operation"], []).extend(
                    problems_by_operation(entry["violations"]).get(entry["operation"], [])
                )
        assert {name: in_history[name] for name in EXPECTED} == EXPECTED
        faulted = [entry for entry in history if entry["outcome"] == "faulted"]
        assert [(e["operation"], e["status"], e["violations"]) for e in faulted] == [("get_message", 503, [])]
        assert mock.calls("start_conversation")[0].violations[1].problems == ("id: 12345 is not of type 'string'",)
        history_text = json.dumps(history)

        # The same from a shell: `attachkit mock violations`, and each history line followed by its problems.
        env = {"ATTACHKIT_MOCK_URL": mock.url, "ATTACHKIT_MOCK_ADMIN_TOKEN": mock.admin_token}
        shown = CliRunner().invoke(cli, ["mock", "violations"], env=env)
        assert shown.exit_code == 0, shown.output
        assert (
            "start_conversation response 201 POST /digital-connect/conversations: id: 12345 is not of type 'string'"
            in shown.stdout.splitlines()
        )
        assert "get_message response 418 GET /messages/m-1: status 418 is not documented for get_message" in (
            shown.stdout.splitlines()
        )
        listed_json = CliRunner().invoke(cli, ["mock", "violations", "--json"], env=env)
        assert json.loads(listed_json.stdout) == listed.json()
        requests = CliRunner().invoke(cli, ["mock", "requests", "--operation", "request_upload_link"], env=env)
        assert requests.exit_code == 0, requests.output
        assert requests.stdout.splitlines()[1:] == ["    response: request_id: is required"]

    assert mock.response_violations == [] and mock.internal_errors == []
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["violations"] == 5
    operations = report["operations"]
    assert (
        operations["start_conversation"]["request_violations"],
        operations["start_conversation"]["response_violations"],
    ) == (1, 1)
    assert operations["request_upload_link"]["response_violations"] == 1
    assert operations["get_message"]["statuses"] == {"418": 1}
    samples = {
        (s["operation"], s["direction"], s["field"], s["message"]) for op in operations.values() for s in op["samples"]
    }
    assert ("request_upload_link", "response", "request_id", "is required") in samples
    assert ("start_conversation", "response", "id", "12345 is not of type 'string'") in samples
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == report["exchanges"] == 5  # token, 2 Talkdesk calls, 2 Webex ones; the fault never went out
    for text in (record.read_text(encoding="utf-8"), report_file.read_text(encoding="utf-8"), history_text):
        for secret in (CLIENT_SECRET, WEBEX_TOKEN, BAD_ACCESS_TOKEN, mock.admin_token):
            assert secret not in text


def test_reset_forgets_the_proxys_findings(non_conforming: tuple[NonConforming, str]) -> None:
    _, url = non_conforming
    with MockServer(upstreams={"webex": url + "/wx/v1"}) as mock, httpx.Client(base_url=mock.url) as http:
        assert mock.proxy is not None
        assert http.get("/webex/v1/messages/m-1", headers={"Authorization": "Bearer t"}).status_code == 418
        assert len(mock.state.violations) == 1 and mock.proxy.report()["exchanges"] == 1
        assert http.post("/_mock/reset", headers=admin(mock.admin_token)).status_code == 200
        assert mock.state.violations == [] and mock.proxy.violations == []
        assert mock.proxy.report()["exchanges"] == 0
        # Talkdesk has no upstream: the mock answers it itself, and checks its credentials as ever.
        assert http.post("/talkdesk/digital-connect/conversations", json={"touchpoint_id": "t"}).status_code == 401


def test_without_upstreams_there_is_no_proxy() -> None:
    with MockServer() as mock:
        assert mock.proxy is None and mock.app.proxy is None
