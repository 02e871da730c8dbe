"""How the mock starts: MockServer, the in-process app, the pytest fixture, `python -m attachkit.testing`;
plus thread safety under concurrent requests."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from attachkit.testing import DEFAULT_CLIENT_SECRET, MockServer, create_app, export_lines
from tests._support.environment import EXPORTED
from tests._support.plain_http import ACTIONS, ATTACHMENTS, bearer, messages_url, start_conversation, token
from tests._support.processes import lines_of, read_exports


def test_urls_credentials_and_kwargs(mock: MockServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock.url)
    assert mock.talkdesk_base_url == mock.url + "/talkdesk"
    assert mock.token_url == mock.url + "/talkdesk/oauth/token"
    assert mock.webex_base_url == mock.url + "/webex/v1"
    assert mock.talkdesk_kwargs() == {
        "account": "attachkit-mock",
        "client_id": "attachkit-mock-client",
        "client_secret": "attachkit-mock-secret",
        "base_url": mock.talkdesk_base_url,
        "token_url": mock.token_url,
    }
    assert mock.webex_kwargs() == {"access_token": "attachkit-mock-webex-token", "base_url": mock.webex_base_url}


def test_reprs_hide_secrets(http: httpx.Client, mock: MockServer) -> None:
    issued = token(http, mock)
    texts = [
        repr(mock),
        repr(mock.config),
        repr(mock.app),
        repr(mock.state),
        repr(mock.faults),
        str(mock.state.history),
    ]
    texts += [repr(upload) for upload in mock.state.uploads.values()]
    for text in texts:
        assert DEFAULT_CLIENT_SECRET not in text
        assert mock.webex_token not in text
        assert issued not in text
    assert "/storage/uploads/{token}" in str(mock.state.history) or not mock.state.uploads


def test_not_running(http: httpx.Client) -> None:
    server = MockServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url
    server.faults.add("token", status=503, times=1)  # faults and state exist before start
    with server:
        url = server.token_url
        assert http.post(url, data={"grant_type": "client_credentials"}).status_code == 503
    with pytest.raises(httpx.ConnectError):
        http.get(url)
    with pytest.raises(RuntimeError, match="runs once"):
        server.start()


def test_concurrent_requests_lose_and_duplicate_nothing(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    conversation_id = start_conversation(http, mock, td)
    url = messages_url(mock, conversation_id)
    counts = mock.state.counts("send_message")

    def send(index: int) -> httpx.Response:
        # Every fourth request replays the same key; the others are distinct messages.
        key = "shared" if index % 4 == 0 else f"k-{index}"
        body = {"content": "shared" if index % 4 == 0 else f"m{index}"}
        return http.post(url, json=body, headers={**td, "x-idempotency-key": key})  # httpx.Client is thread-safe

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(send, range(80)))
    assert {r.status_code for r in responses} == {201}
    stored = [m for m in mock.state.messages if m.conversation_id == conversation_id]
    assert len(stored) == 60 + 1
    assert len({m.message_id for m in stored}) == len(stored)
    shared = {r.json()["message_id"] for i, r in enumerate(responses) if i % 4 == 0}
    assert len(shared) == 1
    assert mock.state.counts("send_message").received == counts.received + 80


def test_concurrent_puts_to_one_link_store_once(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    link = http.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", headers=td).json()
    barrier = threading.Barrier(6)

    def put(index: int) -> int:
        barrier.wait()
        return http.put(link["url"], content=f"body {index}".encode() * 1000).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(put, range(6)))
    assert statuses == [200, 403, 403, 403, 403, 403]
    assert mock.state.uploads[link["request_id"]].state == "uploaded"


async def test_in_process_app() -> None:
    with create_app(validate_responses=True, webex_create_status=202) as app:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as c:
            headers = bearer(app.config.webex_token)
            body = {"type": "submit", "messageId": "m", "inputs": {}}
            created = await c.post("/webex/v1" + ACTIONS, json=body, headers=headers)
            assert created.status_code == 202
            assert (await c.get(f"/webex/v1{ACTIONS}/{created.json()['id']}", headers=headers)).status_code == 200
        assert len(app.state.actions) == 1
        assert app.state.requests == {"create_attachment_action": 1, "get_attachment_action": 1}
        assert app.response_violations == []


def test_the_fixture(attachkit_mock: MockServer, http: httpx.Client) -> None:
    assert attachkit_mock.config.validate_responses
    assert http.get(attachkit_mock.url + "/").status_code == 200


@pytest.mark.attachkit_mock(webex_create_status=202, token_expires_in=42)
def test_the_fixture_marker(attachkit_mock: MockServer, http: httpx.Client) -> None:
    response = http.post(
        attachkit_mock.webex_base_url + ACTIONS,
        json={"type": "submit", "messageId": "m", "inputs": {}},
        headers=bearer(attachkit_mock.webex_token),
    )
    assert response.status_code == 202
    assert attachkit_mock.config.token_expires_in == 42


def test_python_m_attachkit_testing_prints_and_serves(http: httpx.Client) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "attachkit.testing", "--port", "0", "--fault", "get_attachment_action:503:times=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        _, exports = read_exports(lines_of(process.stdout), EXPORTED)  # printed once it accepts connections
        assert list(exports) == EXPORTED
        assert exports["TALKDESK_CLIENT_SECRET"] == "attachkit-mock-secret"
        granted = http.post(
            exports["TALKDESK_TOKEN_URL"],
            data={"grant_type": "client_credentials"},
            auth=(exports["TALKDESK_CLIENT_ID"], exports["TALKDESK_CLIENT_SECRET"]),
        )
        assert granted.status_code == 200
        assert (
            http.get(
                exports["TALKDESK_BASE_URL"] + ATTACHMENTS + "/x", headers=bearer(granted.json()["access_token"])
            ).status_code
            == 404
        )
        action = exports["WEBEX_BASE_URL"] + ACTIONS + "/x"
        headers = bearer(exports["WEBEX_ACCESS_TOKEN"])
        assert [http.get(action, headers=headers).status_code for _ in range(2)] == [503, 404]  # the --fault
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_cli_rejects_a_bad_fault(capsys: pytest.CaptureFixture[str]) -> None:
    from attachkit.testing.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--fault", "send_message:bogus"])
    assert exit_info.value.code == 2
    assert "unknown fault item 'bogus'" in capsys.readouterr().err


def test_export_lines_quote_values() -> None:
    from attachkit.testing import MockConfig

    lines = export_lines("http://h/talkdesk", "http://h/t", "http://h/webex/v1", MockConfig(client_secret="a b'c"))
    assert [line.split("=")[0].removeprefix("export ") for line in lines] == EXPORTED
    assert "export TALKDESK_CLIENT_SECRET='a b'\"'\"'c'" in lines


def test_the_plugin_loads_without_the_mock_extra() -> None:
    script = textwrap.dedent(
        """
        import sys

        class Block:  # pretend the extra's packages are not installed
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in {"starlette", "uvicorn", "openapi_core"}:
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        sys.meta_path.insert(0, Block())
        import attachkit.testing.pytest_plugin
        import attachkit.testing
        assert attachkit.testing.parse_fault("token:503").status == 503
        try:
            attachkit.testing.MockServer
        except ModuleNotFoundError as exc:
            print(exc)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pip install 'attachkit[mock]'" in result.stdout


def test_keyword_options_mirror_the_config() -> None:
    import dataclasses

    from attachkit.testing import MockConfig, MockOptions

    assert set(MockOptions.__annotations__) | {"faults"} == {f.name for f in dataclasses.fields(MockConfig)}
    assert set(MockOptions.__optional_keys__) == {f.name for f in dataclasses.fields(MockConfig)}
