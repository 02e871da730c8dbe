"""`attachkit mock` and `python -m attachkit.testing` (the same command): a real process that prints export lines
the CLI can use at once, with an option for every `MockConfig` field."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
import pytest
from click.testing import CliRunner

import attachkit.testing
from attachkit._specs import spec_path
from attachkit.cli import cli
from attachkit.cli._mock import mock as mock_command
from attachkit.testing import MockConfig

from .conftest import Run

ROOT = Path(__file__).resolve().parents[2]
# The two ways to start the mock, as argv prefixes; they must behave the same.
ENTRY_POINTS = {
    "attachkit mock": [sys.executable, "-m", "attachkit.cli", "mock"],
    "python -m attachkit.testing": [sys.executable, "-m", "attachkit.testing"],
}

EXPORTED = {
    "TALKDESK_ACCOUNT",
    "TALKDESK_CLIENT_ID",
    "TALKDESK_CLIENT_SECRET",
    "TALKDESK_BASE_URL",
    "TALKDESK_TOKEN_URL",
    "WEBEX_ACCESS_TOKEN",
    "WEBEX_BASE_URL",
    "ATTACHKIT_MOCK_URL",
    "ATTACHKIT_MOCK_ADMIN_TOKEN",
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


@contextlib.contextmanager
def mock_running(argv: list[str], err: Path) -> Iterator[subprocess.Popen[str]]:
    """The mock started with `argv` (stdout piped, stderr to the file `err`), killed if still running at the end."""
    with err.open("w") as err_file:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err_file, text=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
            assert process.stdout is not None
            process.stdout.close()


@pytest.fixture
def mock_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    argv = [*ENTRY_POINTS["attachkit mock"], "--port", str(port)]
    argv += ["--fault", "create_attachment_action:429:retry-after=0:times=1"]
    with mock_running(argv, tmp_path / "mock.err") as process:
        yield process, port


def test_mock_prints_exports_that_point_the_cli_at_it(
    mock_process: tuple[subprocess.Popen[str], int], tmp_path: Path
) -> None:
    process, port = mock_process
    assert process.stdout is not None
    banner, exports = read_until_exports(lines_of(process.stdout))
    assert set(exports) == EXPORTED
    assert exports["TALKDESK_BASE_URL"] == f"http://127.0.0.1:{port}/talkdesk"
    assert exports["ATTACHKIT_MOCK_URL"] == f"http://127.0.0.1:{port}"
    assert len(exports["ATTACHKIT_MOCK_ADMIN_TOKEN"]) >= 32  # random: secrets.token_urlsafe(32)
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


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_mock_on_a_taken_port_exits_1_naming_the_address(entry_point: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*ENTRY_POINTS[entry_point], "--port", str(port)],
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
    # Re-importing sets `attachkit.testing` on the package too; put the original back afterwards, with sys.modules.
    monkeypatch.setattr(attachkit, "testing", attachkit.testing)
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


# One command line: the same options under both names, and one for every MockConfig field -------------------------


def options_section(help_text: str) -> str:
    """The `Options:` part of a --help page."""
    _, found, options = help_text.partition("\nOptions:\n")
    assert found, help_text
    return options


def test_both_names_list_the_same_options() -> None:
    env = {**os.environ, "COLUMNS": "100"}  # the same wrapping for both
    pages = {
        name: subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=STARTUP, env=env, check=True)
        for name, argv in ENTRY_POINTS.items()
    }
    assert pages["attachkit mock"].stdout.startswith("Usage: attachkit mock [OPTIONS]")
    assert pages["python -m attachkit.testing"].stdout.startswith("Usage: python -m attachkit.testing [OPTIONS]")
    options = {name: options_section(page.stdout) for name, page in pages.items()}
    assert options["attachkit mock"] == options["python -m attachkit.testing"]
    for flag in ("--host", "--port", "--fault SPEC", "--storage-dir DIR", "--access-log", "-h, --help"):
        assert flag in options["attachkit mock"]


def test_every_mock_config_field_has_an_option() -> None:
    options = {param.name: param for param in mock_command.params if isinstance(param, click.Option)}
    missing = [field.name for field in dataclasses.fields(MockConfig) if field.name not in options]
    assert missing == [], f"MockConfig fields without an `attachkit mock` option: {missing}"


def test_every_option_reaches_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_path("webex-attachment-actions")
    # Per MockConfig field: the flags that set it, and the value the config must then hold (never the default).
    given: dict[str, tuple[list[str], object]] = {
        "account": (["--account", "acme"], "acme"),
        "client_id": (["--client-id", "cid"], "cid"),
        "client_secret": (["--client-secret", "shh"], "shh"),
        "client_scopes": (["--client-scope", "a:read", "--client-scope", "b:write"], frozenset({"a:read", "b:write"})),
        "webex_token": (["--webex-token", "wx-token"], "wx-token"),
        "token_expires_in": (["--token-expires-in", "3600"], 3600),
        "download_expire_time": (["--download-expire-time", "30"], 30),
        "webex_create_status": (["--webex-create-status", "202"], 202),
        "touchpoints": (["--touchpoint", "tp-1", "--touchpoint", "tp-2"], frozenset({"tp-1", "tp-2"})),
        "validate_responses": (["--validate-responses"], True),
        "strict_responses": (["--strict-responses"], True),
        "max_body_bytes": (["--max-body-bytes", "2048"], 2048),
        "max_upload_bytes": (["--max-upload-bytes", "4096"], 4096),
        "enforce_mime_types": (["--enforce-mime-types"], True),
        "webex_scan_seconds": (["--webex-scan-seconds", "2.5"], 2.5),
        "webhook_failure_limit": (["--webhook-failure-limit", "3"], 3),
        "webhook_timeout": (["--webhook-timeout", "0.5"], 0.5),
        "history_limit": (["--history-limit", "5"], 5),
        "record_limit": (["--record-limit", "7"], 7),
        "admin_token": (["--admin-token", "admin-token-123"], "admin-token-123"),
        "storage_dir": (["--storage-dir", str(tmp_path / "store")], tmp_path / "store"),
        "specs": (["--spec", f"webex-attachment-actions={spec}"], {"webex-attachment-actions": spec}),
        "faults": (["--fault", "send_message:429:times=1"], ("send_message:429:times=1",)),
        "upstreams": (
            ["--upstream", "talkdesk=http://127.0.0.1:9/td/", "--upstream", "WEBEX=https://wx.invalid/v1"],
            {"talkdesk": "http://127.0.0.1:9/td", "webex": "https://wx.invalid/v1"},  # as parse_upstreams gives them
        ),
        "record_file": (["--record", str(tmp_path / "exchanges.jsonl")], tmp_path / "exchanges.jsonl"),
        "report_file": (["--report", str(tmp_path / "report.json")], tmp_path / "report.json"),
        "upstream_timeout": (["--upstream-timeout", "2.5"], 2.5),
    }
    assert set(given) == {field.name for field in dataclasses.fields(MockConfig)}, "a field is missing from this test"
    defaults = MockConfig()
    for name, (_, value) in given.items():
        assert getattr(defaults, name) != value, f"{name}: pick a value that is not the default"

    served: dict[str, Any] = {}
    # The module the command's `from ..testing import serve` finds (the one in sys.modules).
    monkeypatch.setattr(sys.modules["attachkit.testing"], "serve", lambda **kwargs: served.update(kwargs))
    with socket.socket() as taken:
        # Should the real `serve` run instead, it fails on this taken port rather than serving forever.
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        argv = ["mock", "--host", "localhost", "--port", str(port), "--access-log"]
        argv += [arg for flags, _ in given.values() for arg in flags]
        result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert served == {
        "host": "localhost",
        "port": port,
        "access_log": True,
        "config": MockConfig(**{name: value for name, (_, value) in given.items()}),  # type: ignore[arg-type]
    }


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--upstream", "teams=https://example.invalid"], "NAME one of talkdesk, webex, talkdesk-token"),
        (["--upstream", "webex"], "an upstream is NAME=URL"),
        (["--upstream", "webex=ftp://example.invalid/v1"], "must be an http:// or https:// URL with a host"),
        (["--upstream", "webex=https://example.invalid/v1?x=1"], "takes no query or fragment"),
        (["--upstream", "webex=https://a.invalid/v1", "--upstream", "webex=https://b.invalid/v1"], "given twice"),
    ],
)
def test_a_malformed_upstream_is_a_usage_error(args: list[str], reason: str) -> None:
    result = CliRunner().invoke(cli, ["mock", "--port", "0", *args])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--upstream'" in result.stderr
    assert reason in result.stderr


@pytest.mark.parametrize("flag", ["--record", "--report"])
def test_record_and_report_need_an_upstream(flag: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["mock", "--port", "0", flag, str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "--record and --report need --upstream" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_spec_name_is_a_usage_error(tmp_path: Path) -> None:
    spec = spec_path("webex-attachment-actions")
    result = CliRunner().invoke(cli, ["mock", "--port", "0", "--spec", f"webex={spec}"])
    assert result.exit_code == 2
    assert "Invalid value for '--spec'" in result.stderr
    assert "webex-attachment-actions" in result.stderr  # says which names there are


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_storage_dir_keeps_the_uploads(entry_point: str, tmp_path: Path) -> None:
    storage = tmp_path / "uploads"
    payload = b"kept by --storage-dir\n"
    (tmp_path / "note.txt").write_bytes(payload)
    argv = [*ENTRY_POINTS[entry_point], "--port", "0", "--storage-dir", str(storage)]
    with mock_running(argv, tmp_path / "mock.err") as process:
        assert process.stdout is not None
        _, exports = read_until_exports(lines_of(process.stdout))
        env: dict[str, str | None] = {"TALKDESK_REGION": None, **exports}
        upload = CliRunner().invoke(cli, ["--json", "talkdesk", "upload", str(tmp_path / "note.txt")], env=env)
        assert upload.exit_code == 0, upload.output
        process.terminate()
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    # The bytes are in DIR, and still there after the mock exited (a temporary directory would be gone).
    assert [path.read_bytes() for path in storage.iterdir()] == [payload]
    assert "Traceback" not in (tmp_path / "mock.err").read_text()


def test_python_m_testing_without_click_says_how_to_install_it() -> None:
    # As if `attachkit[cli]` were not installed: click cannot be imported.
    code = (
        "import runpy, sys\n"
        "sys.modules['click'] = None\n"
        "sys.argv = ['attachkit.testing', '--help']\n"
        "runpy.run_module('attachkit.testing', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=STARTUP)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: python -m attachkit.testing needs the cli extra: pip install 'attachkit[cli]'"
    ]
    assert done.stdout == ""


def readme_mock_commands() -> list[list[str]]:
    """The arguments of every `attachkit mock ...` / `python -m attachkit.testing ...` in README.md's shell blocks."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```(?:bash|console|sh|shell)\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            for found in re.finditer(r"(?:attachkit mock|python -m attachkit\.testing)((?:[ \t]+[^\s#,>&|;]+)*)", line):
                commands.append(shlex.split(found.group(1)))
    return commands


def test_readme_mock_command_lines_parse() -> None:
    commands = readme_mock_commands()
    assert any("--fault" in args for args in commands)  # the regex still finds the documented examples
    for args in commands:
        # Parsing runs every option's checks (fault syntax included) without serving.
        with mock_command.make_context("attachkit mock", list(args), obj=None):
            pass
