"""`attachkit mock`: a real process that prints export lines the CLI can use at once."""

from __future__ import annotations

import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from attachkit.cli import cli

from .conftest import Run

EXPORTED = {
    "TALKDESK_ACCOUNT",
    "TALKDESK_CLIENT_ID",
    "TALKDESK_CLIENT_SECRET",
    "TALKDESK_BASE_URL",
    "TALKDESK_TOKEN_URL",
    "WEBEX_ACCESS_TOKEN",
    "WEBEX_BASE_URL",
}
STARTUP = 60.0  # seconds: generous for a cold interpreter on a slow CI machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def lines_of(stream: IO[str]) -> queue.Queue[str | None]:
    """The stream's lines, read by a thread, so the test can wait on them with a deadline; None at EOF."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def read_until_exports(lines: queue.Queue[str | None]) -> tuple[list[str], dict[str, str]]:
    """Everything printed up to the last export line, and the exported variables."""
    seen: list[str] = []
    exports: dict[str, str] = {}
    deadline = time.monotonic() + STARTUP
    while not exports.keys() >= EXPORTED:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        assert line is not None, "the mock exited before printing its export lines:\n" + "\n".join(seen)
        seen.append(line)
        if line.startswith("export "):
            name, _, value = shlex.split(line)[1].partition("=")
            exports[name] = value
    return seen, exports


@pytest.fixture
def mock_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    with (tmp_path / "mock.err").open("w") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "attachkit.cli",
                "mock",
                "--port",
                str(port),
                "--fault",
                "create_attachment_action:429:retry-after=0:times=1",
            ],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            yield process, port
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
            assert process.stdout is not None
            process.stdout.close()


def test_mock_prints_exports_that_point_the_cli_at_it(
    mock_process: tuple[subprocess.Popen[str], int], tmp_path: Path
) -> None:
    process, port = mock_process
    assert process.stdout is not None
    banner, exports = read_until_exports(lines_of(process.stdout))
    assert set(exports) == EXPORTED
    assert exports["TALKDESK_BASE_URL"] == f"http://127.0.0.1:{port}/talkdesk"
    assert any("create_attachment_action" in line for line in banner)  # the --fault rule was installed

    env: dict[str, str | None] = {"TALKDESK_REGION": None, **exports}
    runner = CliRunner()
    webex = runner.invoke(cli, ["webex", "action", "create", "msg-1", "--input", "Name=Ada"], env=env)
    assert webex.exit_code == 0, webex.output  # the 429 fault fired once and the SDK retried
    assert "inputs.Name: Ada" in webex.stdout.splitlines()
    talkdesk = runner.invoke(cli, ["--json", "talkdesk", "start", "--touchpoint", "tp-1"], env=env)
    assert talkdesk.exit_code == 0, talkdesk.output

    process.terminate()
    # uvicorn shuts down cleanly, then re-raises the signal so the exit status says how the process ended.
    assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    assert "Traceback" not in (tmp_path / "mock.err").read_text()


def test_mock_on_a_taken_port_exits_1_naming_the_address() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "attachkit.cli", "mock", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=STARTUP,
        )
    assert done.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}: " in done.stderr
    assert "Traceback" not in done.stderr


def test_mock_rejects_a_malformed_fault_before_starting(run: Run) -> None:
    result = run("mock", "--port", "0", "--fault", "send_message:teapot")
    assert result.exit_code == 2
    assert "Invalid value for '--fault'" in result.stderr


def test_mock_without_the_extra_says_how_to_install_it(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # As if `attachkit[mock]` were not installed: starlette cannot be imported, so attachkit.testing cannot load.
    for name in list(sys.modules):
        if name == "attachkit.testing" or name.startswith("attachkit.testing."):
            monkeypatch.delitem(sys.modules, name)
        elif name == "starlette" or name.startswith("starlette."):
            monkeypatch.setitem(sys.modules, name, None)
    with socket.socket() as taken:
        # Should the import still succeed, serving on a taken port fails at once instead of blocking the test.
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run("mock", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "error: `attachkit mock` needs the mock extra (module 'starlette' is missing): pip install 'attachkit[mock]'"
    ]
