"""Fixtures for the CLI's tests: a runner against the module's mock (the shared strict `mock`) that passes its
credentials the way a user would (environment variables) and checks every run for leaked secrets."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from attachkit.cli import cli
from attachkit.testing import MockServer
from tests._support.environment import mock_env


@dataclasses.dataclass
class Run:
    """Invoke `attachkit ARGS...` in-process against the mock; every run is checked for secrets in its output."""

    env: dict[str, str | None]
    secrets: list[str]

    def __call__(self, *args: str, input: str | bytes | None = None, env: Mapping[str, str | None] = ()) -> Result:
        result = CliRunner().invoke(
            cli, list(args), input=input, env={**self.env, **dict(env)}, catch_exceptions=False, prog_name="attachkit"
        )
        for stream in (result.stdout, result.stderr):
            for secret in self.secrets:
                assert secret not in stream
            assert "Bearer" not in stream
            assert "Authorization" not in stream
        return result

    def json(self, *args: str, input: str | bytes | None = None) -> Any:
        """Run with `--json`, expect exit 0 and an empty stderr, and return the parsed stdout."""
        result = self("--json", *args, input=input)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        return json.loads(result.stdout)


def error_line(result: Result) -> str:
    """The one `error: ...` line a failed run wrote to stderr (and nothing else)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def run(mock: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """A runner in an empty working folder, with the mock's credentials in the environment."""
    monkeypatch.chdir(tmp_path)
    return Run(env=mock_env(mock), secrets=[mock.client_secret, mock.webex_token])
