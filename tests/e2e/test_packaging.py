"""Packaging hygiene: the sdist holds everything its tests read, both carry the license, the metadata is honest.

The sdist is what a distributor rebuilds and tests from, so every file this repository tracks under the folders the
tests read (tests/, docs/, openapi/, .ci/) and every top-level file they open must be in it.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# Read by the tests (README.md, Makefile, mkdocs.yml, schemathesis.toml, .ci/run), or the license.
TOP_LEVEL = ["README.md", "LICENSE", "Makefile", "mkdocs.yml", "schemathesis.toml", "pyproject.toml"]
FOLDERS = ["tests", "docs", "openapi", "scripts", ".ci"]

# The Apache License 2.0 as published (https://www.apache.org/licenses/LICENSE-2.0.txt), whose appendix
# has the placeholder line that LICENSE fills in.
APACHE_2_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"
PLACEHOLDER = "   Copyright [yyyy] [name of copyright owner]"
NOTICE = "   Copyright 2026 attachkit developers"


def tracked(folder: str) -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "--", folder], capture_output=True, text=True, cwd=ROOT, check=False, timeout=60
    )
    if result.returncode != 0:
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from hatchling.builders.sdist import SdistBuilder

    out = tmp_path_factory.mktemp("sdist")
    archive = Path(next(iter(SdistBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))))
    with tarfile.open(archive) as tar:
        return [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("wheel")
    path = next(iter(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])))
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_the_sdist_holds_what_the_tests_read(sdist: list[str]) -> None:
    names = set(sdist)
    missing = [name for name in TOP_LEVEL if name not in names]
    for folder in FOLDERS:
        missing += [name for name in tracked(folder) if name not in names]
    assert missing == [], f"missing from the sdist: {missing}"


def test_license_is_the_apache_2_0_text_with_our_notice() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.count(NOTICE + "\n") == 1
    original = text.replace(NOTICE + "\n", PLACEHOLDER + "\n")
    assert hashlib.md5(original.encode(), usedforsecurity=False).hexdigest() == APACHE_2_MD5
    assert PYPROJECT["project"]["license"] == "Apache-2.0"


def test_the_wheel_carries_the_license(wheel: zipfile.ZipFile) -> None:
    licenses = [n for n in wheel.namelist() if re.fullmatch(r"attachkit-[^/]+\.dist-info/licenses/LICENSE", n)]
    assert len(licenses) == 1, wheel.namelist()
    assert wheel.read(licenses[0]).decode() == (ROOT / "LICENSE").read_text()
    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: Apache-2.0" in wheel.read(metadata).decode()


def test_the_classifiers_name_the_python_versions_and_this_one_is_among_them() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    versions = [
        c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions, classifiers
    minimum = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    assert versions[0] == minimum, "the oldest listed version is the one requires-python names"
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in versions, "the tests run on an unlisted Python"
