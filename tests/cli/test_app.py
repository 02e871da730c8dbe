"""The command tree as a whole: --version, --help with examples everywhere, exit codes, output helpers."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import types

import click
import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from attachkit import __version__, errors
from attachkit.cli import ExitCode, cli
from attachkit.cli._errors import CommandError
from attachkit.cli._output import Output
from attachkit.cli._progress import transfer
from attachkit.cli._state import State

from .conftest import Run, error_line

EXAMPLES = re.compile(r"^ +Examples:\n(?: +.*\n)*? +attachkit ", re.MULTILINE)
COMMANDS = {
    (),
    ("talkdesk",),
    ("talkdesk", "upload"),
    ("talkdesk", "get"),
    ("talkdesk", "download"),
    ("talkdesk", "download-link"),
    ("talkdesk", "start"),
    ("talkdesk", "send"),
    ("webex",),
    ("webex", "action"),
    ("webex", "action", "create"),
    ("webex", "action", "get"),
    ("webex", "message"),
    ("webex", "message", "send"),
    ("webex", "message", "get"),
    ("webex", "message", "delete"),
    ("webex", "webhook"),
    ("webex", "webhook", "create"),
    ("webex", "webhook", "ensure"),
    ("webex", "webhook", "list"),
    ("webex", "webhook", "get"),
    ("webex", "webhook", "update"),
    ("webex", "webhook", "delete"),
    ("webex", "download"),
    ("webex", "listen"),
    ("mock",),
    ("mock", "fault"),
    ("mock", "fault", "add"),
    ("mock", "fault", "list"),
    ("mock", "fault", "clear"),
    ("mock", "state"),
    ("mock", "requests"),
    ("mock", "violations"),
    ("mock", "clock"),
    ("mock", "clock", "advance"),
    ("mock", "reset"),
}


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = {path}
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            paths |= command_paths(sub, (*path, name))
    return paths


def test_the_command_tree_is_the_documented_one() -> None:
    assert command_paths(cli) == COMMANDS


def test_every_help_shows_examples() -> None:
    for path in sorted(COMMANDS):
        result = CliRunner().invoke(cli, [*path, "--help"], prog_name="attachkit")
        assert result.exit_code == 0, path
        assert EXAMPLES.search(result.stdout), path


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"], prog_name="attachkit")
    assert result.exit_code == 0
    assert result.stdout == f"attachkit {__version__}\n"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["talkdesk", "delete"], prog_name="attachkit")
    assert result.exit_code == 2
    assert "No such command 'delete'" in result.stderr


def test_exit_codes_are_the_documented_numbers() -> None:
    assert [int(code) for code in (ExitCode.OK, ExitCode.ERROR, ExitCode.USAGE, ExitCode.PARTIAL)] == [0, 1, 2, 3]


def test_an_invalid_region_is_a_usage_error(run: Run) -> None:
    result = run("talkdesk", "--region", "mars", "get", "x")
    assert result.exit_code == 2
    assert "'mars' is not one of" in result.stderr


def test_output_redacts_secrets() -> None:
    out = Output()
    out.add_secret("hunter2-secret")
    out.add_secret("abc")  # too short to be worth redacting
    assert out.redact("token hunter2-secret abc") == "token *** abc"


def test_error_line_is_single_line() -> None:
    @click.command()
    def boom() -> None:
        Output().error("first\nsecond  third")

    result = CliRunner().invoke(boom)
    assert result.stderr == "error: first second third\n"


def test_progress_is_drawn_on_a_terminal_only() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with transfer("upload invoice.pdf", enabled=True, console=console) as progress:
        progress(512, 1024)
    assert "upload invoice.pdf" in screen.getvalue()
    off = io.StringIO()
    with transfer("upload invoice.pdf", enabled=False, console=Console(file=off, force_terminal=True)) as progress:
        progress(512, 1024)
    assert off.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_when_stderr_is_a_terminal_and_not_json(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Output().interactive is False  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert Output().interactive is True
    assert Output(json_mode=True).interactive is False


# Every failure is one line ----------------------------------------------------------------------------------------


def _attachkit_error(cls: type[errors.AttachkitError]) -> errors.AttachkitError:
    """An instance of each exported error class, with line breaks in what it carries."""
    if issubclass(cls, errors.APIError):
        return cls(status_code=418, vendor="Talkdesk", code="X", message="first\nsecond", method="GET", url="http://x/")
    if issubclass(cls, errors.APIConnectionError):
        return cls("connection failed\n(reset)", method="GET", url="http://x/")
    if issubclass(cls, errors.ValidationError):
        return cls("file", "is\nnot readable")
    if issubclass(cls, errors.PartialSuccessError):
        return cls(types.SimpleNamespace(message_id="m-1", partial_fail_reason="quota\nexceeded"))  # type: ignore[arg-type]
    return cls("first\nsecond")


ERROR_CLASSES = sorted(
    (
        cls
        for name in errors.__all__
        if isinstance(cls := getattr(errors, name), type) and issubclass(cls, errors.AttachkitError)
    ),
    key=lambda cls: cls.__name__,
)
EXIT_CODES = {errors.ValidationError: 2, errors.PartialSuccessError: 3}


def _failing(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> Result:
    """Run `attachkit talkdesk get x` with building the client raising `exc`."""

    def talkdesk_client(self: State) -> None:
        raise exc

    monkeypatch.setattr(State, "talkdesk_client", talkdesk_client)
    return CliRunner().invoke(cli, ["talkdesk", "get", "x"], prog_name="attachkit")


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_attachkit_error_is_one_line_and_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, cls: type[errors.AttachkitError]
) -> None:
    exc = _attachkit_error(cls)
    result = _failing(monkeypatch, exc)
    assert result.exit_code == EXIT_CODES.get(cls, 1)
    assert error_line(result) == "error: " + " ".join(str(exc).split())
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("exc", "line", "code"),
    [
        (FileNotFoundError(2, "No such file or directory", "in.pdf"), "error: No such file or directory: in.pdf", 1),
        (PermissionError(13, "Permission denied", "/srv/in.pdf"), "error: Permission denied: /srv/in.pdf", 1),
        (IsADirectoryError(21, "Is a directory", "out"), "error: Is a directory: out", 1),
        (
            OSError(18, "Invalid cross-device link", ".a.part", None, "a"),
            "error: Invalid cross-device link: .a.part -> a",
            1,
        ),
        (OSError("disk\nfull"), "error: disk full", 1),
        (OSError(), "error: OSError", 1),
        (CommandError("will not\noverwrite"), "error: will not overwrite", 2),
        (errors.APIConnectionError(""), "error: APIConnectionError", 1),
    ],
)
def test_os_errors_and_the_clis_own_are_one_line(
    monkeypatch: pytest.MonkeyPatch, exc: Exception, line: str, code: int
) -> None:
    result = _failing(monkeypatch, exc)
    assert result.exit_code == code
    assert error_line(result) == line


def test_a_bug_is_not_disguised_as_an_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    bug = RuntimeError("a bug")
    result = _failing(monkeypatch, bug)
    assert result.exception is bug  # click shows it with its traceback
    assert "error:" not in result.stderr


# Without the `cli` extra ------------------------------------------------------------------------------------------

# Runs attachkit in a fresh interpreter where importing the named modules fails as if they were not installed.
_WITHOUT = """
import sys

class Uninstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Uninstalled())
{entry}
"""
ENTRIES = {
    "console script": "import attachkit.cli; attachkit.cli.main()",
    "python -m": "import runpy; runpy.run_module('attachkit.cli', run_name='__main__')",
}


def _without(blocked: set[str], entry: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = _WITHOUT.format(blocked=blocked, entry=ENTRIES[entry])
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize("missing", ["click", "rich"])
def test_without_the_cli_extra_one_line_says_how_to_install_it(missing: str, entry: str) -> None:
    result = _without({missing}, entry, "talkdesk", "--help")
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"attachkit: the command line needs the cli extra (module {missing!r} is missing): pip install 'attachkit[cli]'"
    ]
    assert result.stdout == ""
    assert result.returncode == 2


def test_the_uninstalling_script_runs_attachkit_when_nothing_is_missing() -> None:
    result = _without(set(), "console script", "talkdesk", "--help")  # so the test above fails for its reason
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: attachkit talkdesk")
