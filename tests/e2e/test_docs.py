"""The README's commands and snippets work as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = (ROOT / "README.md").read_text()


def python_blocks() -> list[tuple[int, str]]:
    """(line, code) of each ```python block that is not marked `<!-- not run: reason -->`."""
    blocks = []
    for match in re.finditer(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)```", README, re.S):
        if "<!-- not run:" not in match["before"]:
            blocks.append((README[: match.start("code")].count("\n") + 1, match["code"]))
    return blocks


def test_the_readme_has_runnable_snippets_for_both_vendors() -> None:
    code = "\n".join(c for _, c in python_blocks())
    assert "TalkdeskClient" in code and "WebexClient" in code and "AsyncTalkdeskClient" in code


@pytest.mark.parametrize(("line", "code"), python_blocks(), ids=lambda v: f"line{v}" if isinstance(v, int) else "")
def test_readme_snippet_runs(line: int, code: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    assert result.returncode == 0, f"README.md line {line}:\n{result.stderr}"


def test_make_demo_runs_the_whole_flow() -> None:
    env_free = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("TALKDESK_", "WEBEX_"))}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env_free,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "identical: True",
        "status                 201",
        "no duplicate: True",
        "status                 206",
        "partial                True",
        "PartialSuccessError",
        "ValidationError        attachments[0].size",
        "inputs                 {'Name': 'Ada Lovelace'",
        "NotFoundError: 404 from Webex",
        "Done: both vendors, every step.",
    ):
        assert expected in out, expected


def test_readme_names_the_two_commands_and_makefile_has_them() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for verb in ("demo", "test", "regenerate", "lint", "mock", "fuzz", "bench"):
        assert f"make {verb}" in README or verb in ("fuzz", "bench", "lint", "mock")
        assert re.search(rf"^{verb}:", makefile, re.M), verb
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
