"""The command tree as a whole: --version, --help with examples everywhere, exit codes, output helpers."""

from __future__ import annotations

import io
import re
import sys

import click
import pytest
from click.testing import CliRunner
from rich.console import Console

from attachkit import __version__
from attachkit.cli import ExitCode, cli
from attachkit.cli._output import Output
from attachkit.cli._progress import transfer

from .conftest import Run

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
    ("mock",),
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
