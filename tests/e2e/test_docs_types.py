"""The guides' Python snippets pass `mypy --strict` against the installed attachkit, as the README's do.

The same check as tests/e2e/test_readme_types.py (whose helpers it uses), over every ```python block of
docs/**/*.md, the ones marked `<!-- not run: ... -->` included: those too are what users copy into their code.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from tests.e2e.test_readme_types import CANARY_BAD, CANARY_GOOD, parse_errors, python_blocks, run_mypy

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"


class DocBlock(NamedTuple):
    page: Path
    line: int
    code: str

    @property
    def module(self) -> str:
        stem = "_".join(self.page.relative_to(DOCS).with_suffix("").parts).replace("-", "_")
        return f"docs_{stem}_line{self.line}"


class Checked(NamedTuple):
    blocks: list[DocBlock]
    errors: list[str]  # `docs/PAGE.md:LINE: error: ...`, in page order
    output: str
    canary_errors: dict[str, list[str]]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    blocks = [
        DocBlock(page, block.line, block.code)
        for page in sorted(DOCS.rglob("*.md"))
        for block in python_blocks(page.read_text())
    ]
    modules = {block.module: block.code for block in blocks}
    modules |= {"canary_bad": CANARY_BAD, "canary_good": CANARY_GOOD}
    returncode, output = run_mypy(modules, tmp_path_factory.mktemp("docs_types"))
    errors = parse_errors(output)
    assert returncode == (1 if errors else 0), output  # 2 is a crash or bad usage, not "no errors"
    where = {block.module: block for block in blocks}
    located = sorted(
        (str(where[e.module].page.relative_to(ROOT)), where[e.module].line + e.line - 1, e.message)
        for e in errors
        if e.module in where
    )
    canaries = {name: [e.message for e in errors if e.module == name] for name in ("canary_bad", "canary_good")}
    return Checked(blocks, [f"{p}:{n}: error: {m}" for p, n, m in located], output, canaries)


def test_the_checker_sees_attachkits_types(checked: Checked) -> None:
    bad = checked.canary_errors["canary_bad"]
    assert len(bad) == 1 and '"timeout"' in bad[0] and "[arg-type]" in bad[0], checked.output
    assert checked.canary_errors["canary_good"] == [], checked.output


def test_the_guides_have_python_blocks(checked: Checked) -> None:
    assert len(checked.blocks) >= 10
    assert all(block.code.strip() for block in checked.blocks)


def test_every_guide_block_is_self_contained(checked: Checked) -> None:
    undefined = [line for line in checked.errors if "[name-defined]" in line]
    assert undefined == [], "\n".join(undefined)


def test_guide_blocks_pass_mypy_strict(checked: Checked) -> None:
    assert checked.errors == [], f"{len(checked.errors)} mypy --strict error(s) in docs snippets:\n" + "\n".join(
        checked.errors
    )
