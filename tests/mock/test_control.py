"""The control plane under `/_mock/`: a separately started `attachkit mock` driven purely over HTTP (and through
`RemoteMock` and the CLI), the admin token, the redacted history, and the bounds on history and records."""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from attachkit.cli import cli
from attachkit.testing import MockServer, RemoteMock, RemoteMockError
from tests._support.processes import lines_of, read_exports

URL = "ATTACHKIT_MOCK_URL"
TOKEN = "ATTACHKIT_MOCK_ADMIN_TOKEN"
EXPORTS = (URL, TOKEN, "TALKDESK_CLIENT_ID", "TALKDESK_CLIENT_SECRET", "WEBEX_ACCESS_TOKEN")
WEBHOOK_SECRET = "whsec-do-not-leak-42"
ROUTES = [
    ("GET", "/_mock/state"),
    ("GET", "/_mock/requests"),
    ("GET", "/_mock/faults"),
    ("POST", "/_mock/faults"),
    ("DELETE", "/_mock/faults"),
    ("POST", "/_mock/reset"),
    ("POST", "/_mock/clock/advance"),
    ("GET", "/_mock/deliveries"),
    ("GET", "/_mock/violations"),
]


@contextlib.contextmanager
def mock_process(tmp_path: Path, *args: str) -> Iterator[dict[str, str]]:
    """`attachkit mock --port 0 ARGS` in its own process; yields its export lines, killed at the end."""
    argv = [sys.executable, "-m", "attachkit.cli", "mock", "--port", "0", "--validate-responses", *args]
    with (tmp_path / "mock.err").open("w") as err:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        assert process.stdout is not None
        _, exports = read_exports(lines_of(process.stdout), EXPORTS)
        yield exports
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()
    log = (tmp_path / "mock.err").read_text()
    assert "Traceback" not in log
    assert exports[TOKEN] not in log


@pytest.fixture(scope="module")
def mock_exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with mock_process(tmp_path_factory.mktemp("mock")) as exports:
        yield exports


@pytest.fixture
def remote_mock(mock_exports: dict[str, str]) -> dict[str, str]:
    """The module's mock process, reset (over HTTP) for each test."""
    reset = httpx.post(mock_exports[URL] + "/_mock/reset", headers=admin(mock_exports))
    assert reset.status_code == 200
    return mock_exports


def admin(exports: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {exports[TOKEN]}"}


def secrets_of(exports: dict[str, str], issued: str) -> list[str]:
    basic = base64.b64encode(f"{exports['TALKDESK_CLIENT_ID']}:{exports['TALKDESK_CLIENT_SECRET']}".encode()).decode()
    return [
        exports["TALKDESK_CLIENT_SECRET"],
        exports["WEBEX_ACCESS_TOKEN"],
        exports[TOKEN],
        issued,
        basic,
        WEBHOOK_SECRET,
    ]


def exercise(http: httpx.Client, exports: dict[str, str]) -> str:
    """Calls carrying every kind of secret: a token request (Basic auth, and a client_secret in the form), Webex
    calls with the bearer token, a webhook with a secret. Returns the issued Talkdesk token."""
    client = (exports["TALKDESK_CLIENT_ID"], exports["TALKDESK_CLIENT_SECRET"])
    form = {"grant_type": "client_credentials", "client_secret": exports["TALKDESK_CLIENT_SECRET"]}
    issued = http.post("/talkdesk/oauth/token", data=form, auth=client)
    assert issued.status_code == 200, issued.text
    webex = {"Authorization": f"Bearer {exports['WEBEX_ACCESS_TOKEN']}"}
    action = {"type": "submit", "messageId": "msg-1", "inputs": {"Name": "Ada"}}
    first = http.post("/webex/v1/attachment/actions", json=action, headers=webex)
    assert first.status_code == 429  # the fault
    second = http.post("/webex/v1/attachment/actions", json=action, headers=webex)
    assert second.status_code == 200, second.text
    hook = {
        "name": "h",
        "targetUrl": "http://127.0.0.1:9/hook",
        "resource": "messages",
        "event": "created",
        "secret": WEBHOOK_SECRET,
    }
    created = http.post("/webex/v1/webhooks", json=hook, headers=webex)
    assert created.status_code == 200, created.text
    token: str = issued.json()["access_token"]
    return token


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_needs_the_admin_token(remote_mock: dict[str, str], method: str, path: str) -> None:
    with httpx.Client(base_url=remote_mock[URL]) as http:
        for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": remote_mock[TOKEN]}):
            answer = http.request(method, path, headers=headers, json={"spec": "token:503"})
            assert answer.status_code == 401
            assert answer.json()["error"] == "unauthorized"
            assert answer.headers["www-authenticate"].startswith("Bearer")
            assert remote_mock[TOKEN] not in answer.text
        # Nothing changed: the fault above was never added.
        assert http.get("/_mock/faults", headers=admin(remote_mock)).json() == {"items": []}


def test_over_http_a_fault_applies_the_history_is_redacted_and_reset_forgets(remote_mock: dict[str, str]) -> None:
    with httpx.Client(base_url=remote_mock[URL]) as http:
        added = http.post(
            "/_mock/faults", json={"spec": "create_attachment_action:429:times=1"}, headers=admin(remote_mock)
        )
        assert added.status_code == 201, added.text
        assert added.json() == {
            "spec": "create_attachment_action:429:times=1",
            "target": "create_attachment_action",
            "fired": 0,
            "exhausted": False,
        }
        issued = exercise(http, remote_mock)
        [rule] = http.get("/_mock/faults", headers=admin(remote_mock)).json()["items"]
        assert (rule["fired"], rule["exhausted"]) == (1, True)

        history = http.get("/_mock/requests", headers=admin(remote_mock))
        assert history.status_code == 200
        for secret in secrets_of(remote_mock, issued):
            assert secret not in history.text
        entries = history.json()["items"]
        assert [e["operation"] for e in entries] == [
            "token",
            "create_attachment_action",
            "create_attachment_action",
            "create_webhook",
        ]
        token, faulted, answered, webhook = entries
        assert [e["id"] for e in entries] == [1, 2, 3, 4]
        assert (faulted["status"], faulted["outcome"]) == (429, "faulted")
        assert (answered["status"], answered["outcome"]) == (200, "answered")
        assert token["request"]["headers"]["authorization"] == "Basic ***"
        assert "client_secret=***" in token["request"]["body"]
        assert json.loads(token["response"]["body"])["access_token"] == "***"
        assert answered["request"]["headers"]["authorization"] == "Bearer ***"
        assert json.loads(answered["request"]["body"])["inputs"] == {"Name": "Ada"}  # what was sent, readable
        assert json.loads(answered["response"]["body"])["messageId"] == "msg-1"
        assert json.loads(webhook["request"]["body"])["secret"] == "***"
        assert answered["duration_ms"] >= 0 and answered["started_at"].endswith("Z")

        only = http.get("/_mock/requests", params={"operation": "create_webhook"}, headers=admin(remote_mock))
        assert [e["id"] for e in only.json()["items"]] == [4]
        last = http.get("/_mock/requests", params={"since": 1, "limit": 1}, headers=admin(remote_mock))
        assert [e["id"] for e in last.json()["items"]] == [4]

        state = http.get("/_mock/state", headers=admin(remote_mock)).json()
        assert state["requests"]["create_attachment_action"]["faulted"] == 1
        assert state["records"]["actions"] == 1 and state["records"]["webhooks"] == 1
        assert state["history"] == {"size": 4, "limit": 10_000, "dropped": 0}

        moved = http.post("/_mock/clock/advance", json={"seconds": 601}, headers=admin(remote_mock)).json()
        assert moved["offset_seconds"] == 601
        reset = http.post("/_mock/reset", headers=admin(remote_mock))
        assert reset.status_code == 200
        after = reset.json()
        assert after["requests"] == {} and after["faults"] == 0 and after["clock"]["offset_seconds"] == 0
        assert set(after["records"].values()) == {0}
        assert http.get("/_mock/requests", headers=admin(remote_mock)).json()["items"] == []
        assert http.get("/_mock/faults", headers=admin(remote_mock)).json() == {"items": []}
        assert http.get("/_mock/violations", headers=admin(remote_mock)).json() == {"items": []}
        # The Talkdesk token issued before the reset still works (tokens are kept).
        conversation = http.post(
            "/talkdesk/digital-connect/conversations",
            json={"touchpoint_id": "tp-1", "contact_person": {"name": "Ada"}},
            headers={"Authorization": f"Bearer {issued}"},
        )
        assert conversation.status_code != 401


def test_bad_control_requests_are_400s_naming_the_field(remote_mock: dict[str, str]) -> None:
    with httpx.Client(base_url=remote_mock[URL], headers=admin(remote_mock)) as http:
        cases = [
            ("POST", "/_mock/faults", {"json": {"spec": "send_message:teapot"}}, "spec: "),
            ("POST", "/_mock/faults", {"json": {"spec": "no_such_operation:429"}}, "spec: "),
            ("POST", "/_mock/faults", {"json": {"spec": "send_message:418"}}, "spec: "),
            ("POST", "/_mock/faults", {"json": {}}, "spec: is required"),
            ("POST", "/_mock/faults", {"content": b"{", "headers": {"content-type": "application/json"}}, "body"),
            ("POST", "/_mock/clock/advance", {"json": {"seconds": -1}}, "seconds: "),
            ("POST", "/_mock/clock/advance", {"json": {"seconds": "soon"}}, "seconds: "),
            ("GET", "/_mock/requests", {"params": {"limit": "0"}}, "limit: "),
            ("GET", "/_mock/requests", {"params": {"limit": "many"}}, "limit: "),
        ]
        for method, path, kwargs, expected in cases:
            answer = http.request(method, path, **kwargs)  # type: ignore[arg-type]
            assert answer.status_code == 400, (path, kwargs, answer.text)
            assert answer.json()["error"] == "invalid_request"
            assert answer.json()["message"].startswith(expected), answer.text
        assert http.get("/_mock/faults").json() == {"items": []}


def test_the_same_through_remote_mock(remote_mock: dict[str, str]) -> None:
    with RemoteMock(remote_mock[URL], remote_mock[TOKEN]) as remote, httpx.Client(base_url=remote_mock[URL]) as http:
        assert remote_mock[TOKEN] not in repr(remote)
        rule = remote.faults.add("create_attachment_action", status=429, times=1)
        assert rule.spec == "create_attachment_action:429:times=1"
        with pytest.raises(RemoteMockError, match="spec: unknown fault target") as refused:
            remote.faults.add_spec("nowhere:429")
        assert refused.value.status == 400
        issued = exercise(http, remote_mock)
        assert [r.fired for r in remote.faults.rules] == [1]

        entries = remote.history()
        assert [e.status for e in entries if e.operation == "create_attachment_action"] == [429, 200]
        text = json.dumps([e.to_dict() for e in entries])
        for secret in secrets_of(remote_mock, issued):
            assert secret not in text
        [webhook] = remote.history("create_webhook")
        assert webhook.request.headers["authorization"] == "Bearer ***"
        assert remote.state.records["webhooks"] == 1
        assert remote.clock.advance(30).offset_seconds == 30
        assert remote.clock.offset == 30
        assert remote.deliveries == [] and remote.violations == []

        after = remote.reset()
        assert after.faults == 0 and after.history.size == 0 and after.clock.offset_seconds == 0
        assert remote.history() == [] and remote.faults.rules == []
        assert remote.faults.clear() == 0
    with RemoteMock(remote_mock[URL], "wrong-admin-token") as wrong, pytest.raises(RemoteMockError) as denied:
        _ = wrong.state
    assert denied.value.status == 401


def test_the_same_from_the_shell(remote_mock: dict[str, str]) -> None:
    env: dict[str, str | None] = {URL: remote_mock[URL], TOKEN: remote_mock[TOKEN]}
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        assert remote_mock[TOKEN] not in result.output
        return result.stdout

    assert "create_attachment_action:429:times=1" in run("mock", "fault", "add", "create_attachment_action:429:times=1")
    assert run("mock", "fault", "list").startswith("create_attachment_action:429:times=1  (fired 0)")
    with httpx.Client(base_url=remote_mock[URL]) as http:
        issued = exercise(http, remote_mock)
    lines = run("mock", "requests", "--operation", "create_attachment_action").splitlines()
    assert [line.split(" -> ")[1].split()[0] for line in lines] == ["429", "200"]
    dumped = run("--json", "mock", "requests")
    for secret in secrets_of(remote_mock, issued):
        assert secret not in dumped
    assert len(json.loads(dumped)["items"]) == 4
    assert json.loads(run("mock", "state", "--json"))["records"]["webhooks"] == 1
    assert "offset_seconds: 5.0" in run("mock", "clock", "advance", "5")
    assert "reset: yes" in run("mock", "reset")
    assert "cleared: 0" in run("mock", "fault", "clear")
    refused = runner.invoke(cli, ["mock", "fault", "add", "send_message:teapot"], env=env)
    assert refused.exit_code == 2
    assert "spec: unknown fault item 'teapot'" in refused.stderr
    denied = runner.invoke(cli, ["mock", "state"], env={**env, TOKEN: "wrong-admin-token"})
    assert denied.exit_code == 1
    assert "401" in denied.stderr


def test_the_history_keeps_the_last_history_limit_requests(tmp_path: Path) -> None:
    with mock_process(tmp_path, "--history-limit", "5") as exports, httpx.Client(base_url=exports[URL]) as http:
        for n in range(8):
            assert http.get("/", params={"n": str(n)}).status_code == 200
        history = http.get("/_mock/requests", headers=admin(exports)).json()
        assert [e["query"] for e in history["items"]] == [f"n={n}" for n in range(3, 8)]
        assert [e["id"] for e in history["items"]] == [4, 5, 6, 7, 8]
        assert (history["dropped"], history["limit"]) == (3, 5)
        state = http.get("/_mock/state", headers=admin(exports)).json()
        assert state["history"] == {"size": 5, "limit": 5, "dropped": 3}
        assert state["requests"]["index"]["received"] == 8  # the counts are not bounded, only the records


def test_records_beyond_record_limit_are_dropped_oldest_first_with_their_files() -> None:
    with MockServer(record_limit=2) as mock, httpx.Client(base_url=mock.webex_base_url) as http:
        auth = {"Authorization": f"Bearer {mock.webex_token}"}
        ids = []
        for n in range(3):
            files = {"files": (f"f{n}.txt", b"hello", "text/plain")}
            sent = http.post("/messages", data={"roomId": "room-1", "text": str(n)}, files=files, headers=auth)
            assert sent.status_code == 200, sent.text
            ids.append(sent.json()["id"])
        assert list(mock.state.webex_messages) == ids[1:]
        paths = [content.path for content in mock.state.contents.values()]
        assert len(paths) == 2 and all(path.exists() for path in paths)
        assert mock.state.dropped_records == {"webex_messages": 1, "contents": 1}
        assert len(list(paths[0].parent.iterdir())) == 2  # the dropped content's bytes went with it
        assert mock.state.record_counts()["webex_messages"] == 2
        mock.reset()
        assert mock.state.webex_messages == {} and mock.state.dropped_records == {}
        assert not any(path.exists() for path in paths)


def test_reprs_and_history_records_hide_the_admin_token() -> None:
    with MockServer(admin_token="admin-token-in-repr") as mock:
        httpx.get(mock.url + "/_mock/state", headers={"Authorization": "Bearer admin-token-in-repr"})
        httpx.get(mock.url + "/", headers={"Authorization": "Bearer admin-token-in-repr"})
        for text in (repr(mock), repr(mock.config), repr(mock.app), repr(mock.state), str(mock.state.history)):
            assert "admin-token-in-repr" not in text
        [record] = mock.state.history  # the control call is not recorded; the other is, redacted
        assert record.operation == "index"
        assert record.request is not None and ("authorization", "Bearer ***") in record.request.headers
