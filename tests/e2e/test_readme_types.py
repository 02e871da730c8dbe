"""The README's Python snippets pass `mypy --strict` as a user would write them, against the installed attachkit.

Every ```python block is checked, the ones marked `<!-- not run: ... -->` too: those are what users copy into their
own code. Each block is its own module, so a block that leans on names from an earlier one is reported as such. All
of them go to one mypy run (mypy's start-up dominates), isolated from this repository's configuration: no
`mypy_path`, no overrides, just the package as `pip install attachkit` gives it (it ships `py.typed`).

Two canary modules ride along in the same run. One misuses `TalkdeskClient` and must be flagged, which proves that
mypy resolved attachkit with its real types (an unresolved or untyped package would make everything `Any` and let
every snippet pass); the other uses it correctly and must not be.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = ROOT / "README.md"

_BLOCK = re.compile(r"^```python\n(?P<code>.*?)^```", re.S | re.M)
_ERROR = re.compile(r"^(?P<file>[\w.]+\.py):(?P<line>\d+): error: (?P<message>.*)$", re.M)

CANARY_BAD = (
    "from attachkit.talkdesk import TalkdeskClient\n"
    "\n"
    'TalkdeskClient(account="acme", client_id="id", client_secret="secret", timeout="soon")\n'
)
CANARY_GOOD = (
    "from attachkit.talkdesk import TalkdeskClient\n"
    "\n"
    'with TalkdeskClient(account="acme", client_id="id", client_secret="secret", timeout=5.0) as td:\n'
    "    print(td)\n"
)


class Block(NamedTuple):
    line: int  # README line of the block's first line of code
    code: str

    @property
    def module(self) -> str:
        return f"readme_line{self.line}"


class Error(NamedTuple):
    module: str
    line: int  # in the module
    message: str


class Checked(NamedTuple):
    blocks: list[Block]
    errors: list[Error]
    output: str

    def readme_errors(self) -> list[str]:
        """`README.md:LINE: error: ...` for each error in a README block, in README order."""
        starts = {block.module: block.line for block in self.blocks}
        located = [(starts[e.module] + e.line - 1, e.message) for e in self.errors if e.module in starts]
        return [f"README.md:{line}: error: {message}" for line, message in sorted(located)]


def python_blocks(text: str) -> list[Block]:
    """Every ```python block of `text`, with the line its code starts on."""
    return [Block(text[: m.start("code")].count("\n") + 1, m["code"]) for m in _BLOCK.finditer(text)]


def run_mypy(modules: dict[str, str], workdir: Path) -> tuple[int, str]:
    """`mypy --strict` over `modules` (name -> source) in one run, with no configuration but its own."""
    for name, code in modules.items():
        (workdir / f"{name}.py").write_text(code)
    # An explicit config with nothing in it: otherwise mypy would read a mypy.ini, pyproject.toml or user config
    # it happens to find, and this repository's `mypy_path = overlays` is exactly what users do not have.
    config = workdir / "mypy.ini"
    config.write_text("[mypy]\n")
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-color-output"]
    command += ["--config-file", str(config), "--cache-dir", str(workdir / ".mypy_cache")]
    command += [f"{name}.py" for name in modules]
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env, timeout=600, check=False)
    return result.returncode, result.stdout + result.stderr


def parse_errors(output: str) -> list[Error]:
    return [Error(m["file"].removesuffix(".py"), int(m["line"]), m["message"]) for m in _ERROR.finditer(output)]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    blocks = python_blocks(README.read_text())
    modules = {block.module: block.code for block in blocks}
    modules |= {"canary_bad": CANARY_BAD, "canary_good": CANARY_GOOD}
    returncode, output = run_mypy(modules, tmp_path_factory.mktemp("readme_types"))
    errors = parse_errors(output)
    # mypy exits 1 for type errors and 2 for a crash or bad usage; a 2 must not pass as "no errors found".
    assert returncode == (1 if errors else 0), output
    return Checked(blocks, errors, output)


def test_the_checker_sees_attachkits_types(checked: Checked) -> None:
    bad = [e for e in checked.errors if e.module == "canary_bad"]
    assert len(bad) == 1 and '"timeout"' in bad[0].message and "[arg-type]" in bad[0].message, checked.output
    assert [e for e in checked.errors if e.module == "canary_good"] == [], checked.output


def test_the_readme_has_python_blocks(checked: Checked) -> None:
    # The regex finding nothing would make the two tests below pass vacuously.
    assert len(checked.blocks) >= 3
    assert all(block.code.strip() for block in checked.blocks)


def test_every_readme_block_is_self_contained(checked: Checked) -> None:
    # A block copied on its own must not need names from an earlier one (say, an import it leaves out).
    undefined = [line for line in checked.readme_errors() if "[name-defined]" in line]
    assert undefined == [], "\n".join(undefined)


def test_readme_blocks_pass_mypy_strict(checked: Checked) -> None:
    found = checked.readme_errors()
    assert found == [], f"{len(found)} mypy --strict error(s) in README.md snippets:\n" + "\n".join(found)
