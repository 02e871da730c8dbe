"""The README's and the guides' commands and snippets work as written.

What runs, by the fence of a block in README.md or docs/**/*.md and the line just above it:

- ```python: run with `python -c` in a fresh temporary folder, unless the line above is `<!-- not run: reason -->`.
  With `<!-- run as a pytest module -->` above, the block is written to a test file and run by pytest instead.
- ```console: a shell session. Its `$ ` lines (and their `\\` continuations) run in order in one bash, in a fresh
  temporary folder, with the installed `attachkit` first on PATH; each command's output must match the lines shown
  under it, ids, times and ports aside. The session must stop everything it started.

Other fences (```sh, ```text, ...) are shown, not run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = (ROOT / "README.md").read_text()
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

NOT_RUN = "<!-- not run:"
PYTEST_MODULE = "<!-- run as a pytest module -->"
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<code>.*?)^```$", re.S | re.M)


class Block(NamedTuple):
    page: Path
    line: int  # the page's line of the block's first line of code
    lang: str
    marker: str  # the line just above the opening fence
    code: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(lang: str) -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for match in _FENCE.finditer(text):
            if match["lang"] != lang:
                continue
            above = text[: match.start()].rstrip("\n").rpartition("\n")[2]
            line = text[: match.start("code")].count("\n") + 1
            found.append(Block(page, line, lang, above.strip(), match["code"]))
    return found


def _ids(value: object) -> str:
    return value.where if isinstance(value, Block) else str(value)


PYTHON = [b for b in blocks("python") if not b.marker.startswith(NOT_RUN) and b.marker != PYTEST_MODULE]
PYTEST = [b for b in blocks("python") if b.marker == PYTEST_MODULE]
SESSIONS = [b for b in blocks("console") if not b.marker.startswith(NOT_RUN)]


def without_vendor_env() -> dict[str, str]:
    """This process's environment without credentials or URLs that would point the examples elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TALKDESK_", "WEBEX_", "ATTACHKIT_"))}
    # The installed attachkit (its console script sits next to this interpreter) comes first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


# --- Python snippets ---------------------------------------------------------------------------------------------


def test_the_readme_has_runnable_snippets_for_both_vendors() -> None:
    code = "\n".join(b.code for b in PYTHON if b.page.name == "README.md")
    assert "TalkdeskClient" in code and "WebexClient" in code and "AsyncTalkdeskClient" in code


def test_every_guide_has_a_runnable_snippet_or_says_why_not() -> None:
    # A guide about the SDK whose blocks are all marked "not run" would pass every test below vacuously.
    for name in ("talkdesk", "webex", "mock", "reliability"):
        page = ROOT / "docs" / "guides" / f"{name}.md"
        assert any(b.page == page for b in PYTHON), f"{page.relative_to(ROOT)} has no runnable ```python block"


def test_every_not_run_marker_gives_a_reason() -> None:
    for block in blocks("python") + blocks("console"):
        if block.marker.startswith(NOT_RUN):
            reason = block.marker.removeprefix(NOT_RUN).removesuffix("-->").strip()
            assert reason, f"{block.where}: `<!-- not run: reason -->` needs a reason"


@pytest.mark.parametrize("block", PYTHON, ids=_ids)
def test_snippet_runs(block: Block, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", block.code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=without_vendor_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{block.where}:\n{result.stdout}\n{result.stderr}"


def test_the_pytest_example_is_there() -> None:
    assert PYTEST and {b.page.name for b in PYTEST} == {"mock.md"}, PYTEST
    assert all("def test_" in b.code and "attachkit_mock" in b.code for b in PYTEST)


@pytest.mark.parametrize("block", PYTEST, ids=_ids)
def test_pytest_example_passes_under_pytest(block: Block, tmp_path: Path) -> None:
    (tmp_path / "test_example.py").write_text(block.code)
    # An empty configuration of its own, so that this repository's pytest settings do not apply.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_example.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=without_vendor_env(),
        timeout=180,
        check=False,
    )
    tests = block.code.count("\ndef test_")
    assert result.returncode == 0, f"{block.where}:\n{result.stdout}\n{result.stderr}"
    assert f"{tests} passed" in result.stdout, result.stdout


# --- Shell sessions ----------------------------------------------------------------------------------------------


class Step(NamedTuple):
    command: str
    expected: list[str]


def steps(session: str) -> list[Step]:
    """The `$ ` commands of a console block, each with the output lines shown under it (blank lines dropped)."""
    found: list[Step] = []
    lines = iter(session.splitlines())
    for line in lines:
        if line.startswith("$ "):
            command = [line[2:]]
            while command[-1].endswith("\\"):
                command.append(next(lines))
            found.append(Step("\n".join(command), []))
        elif line.strip():
            assert found, f"output before the first command: {line!r}"
            found[-1].expected.append(line)
    return found


# What differs from run to run, replaced in both the shown and the actual output.
_VARYING = [
    (re.compile(r"(https?://127\.0\.0\.1):\d+"), r"\1:PORT"),
    (re.compile(r"(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])"), "UUID"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "HEX"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b"), "TIME"),
    (re.compile(r"\bY2lzY29zcGFyazovL[A-Za-z0-9_=-]*"), "WEBEX_ID"),
    (re.compile(r"\b\d{10}\b"), "RUN"),  # $RUN, seconds since 1970
]


def normalised(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for pattern, replacement in _VARYING:
            line = pattern.sub(replacement, line)
        out.append(line.rstrip())
    return out


MARK = "@@attachkit-docs-step"


def test_the_cli_guide_has_a_session_that_starts_and_stops_the_mock() -> None:
    cli = [b for b in SESSIONS if b.page.name == "cli.md"]
    assert len(cli) == 1, SESSIONS
    commands = [s.command for s in steps(cli[0].code)]
    assert commands[0].startswith("attachkit mock --port 0") and commands[0].endswith("&")
    assert any(c.startswith("for _ in $(seq ") for c in commands), "a bounded wait for the mock"
    assert commands[-1].startswith("kill ")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("block", SESSIONS, ids=_ids)
def test_session_runs_as_shown(block: Block, tmp_path: Path) -> None:
    assert shutil.which("jq") is not None or "jq" not in block.code, "the session needs jq, which is not installed"
    session = steps(block.code)
    script = ["exec 2>&1"]
    for number, step in enumerate(session):
        script += [f"echo '{MARK} {number}'", step.command]
    script.append(f"echo '{MARK} end'")
    process = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-c", "\n".join(script)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env=without_vendor_env(),
        start_new_session=True,  # its own process group: whatever the session leaves running is found below
    )
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"{block.where}: the session did not finish within 120 s:\n{output}")
    finally:
        left_running = _kill_group(process.pid)
    assert left_running == [], f"{block.where}: the session left processes running: {left_running}"

    chunks = re.split(rf"^{MARK} (\S+)\n", output, flags=re.M)
    assert chunks[0] == "", f"output before the first command: {chunks[0]!r}"
    printed = dict(zip(chunks[1::2], chunks[2::2], strict=True))
    assert "end" in printed, f"{block.where}: the session stopped early:\n{output}"
    for number, step in enumerate(session):
        actual = [line for line in printed[str(number)].splitlines() if line.strip()]
        assert normalised(actual) == normalised(step.expected), (
            f"{block.where}: `{step.command}` printed\n" + textwrap.indent("\n".join(actual), "    ")
        )


def _kill_group(pgid: int, grace: float = 10.0) -> list[str]:
    """Wait up to `grace` seconds for process group `pgid` to empty; kill what is left and say what it was."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        time.sleep(0.1)
    listing = subprocess.run(["ps", "-o", "pid=,pgid=,args=", "-A"], capture_output=True, text=True, check=False)
    left = [line.strip() for line in listing.stdout.splitlines() if line.split()[1:2] == [str(pgid)]]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    return left or [f"process group {pgid}"]


# --- make ----------------------------------------------------------------------------------------------------------


def test_make_demo_runs_the_whole_flow() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=without_vendor_env(),
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
        "X-Spark-Signature      verified",
        "inputs                 {'Name': 'Ada Lovelace'",
        "one byte more          WebhookSignatureError",
        "(423 Locked while the file was scanned, waited, then 200)",
        "webhook                deleted",
        "Done: both vendors, every step.",
    ):
        assert expected in out, expected


def test_readme_names_the_two_commands_and_makefile_has_them() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for verb in ("demo", "test", "regenerate", "lint", "mock", "fuzz", "bench", "docs", "install"):
        assert f"make {verb}" in README, verb
        assert re.search(rf"^{verb}:", makefile, re.M), verb
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
