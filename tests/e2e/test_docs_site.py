"""The documentation site builds with `mkdocs build --strict`, as `make docs` builds it, so a broken page cannot land.

The build goes to a temporary folder. A second, tiny site with the same link checks proves that a broken link or
anchor really fails a strict build: without it, a loosened `validation:` block would let this test pass on any site.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG = ROOT / "mkdocs.yml"

# The reference pages and the modules they document: every public module, and the classes the guides lean on.
REFERENCE = {
    "attachkit": ["attachkit.RetryPolicy", "attachkit.RawResponse", "attachkit.FakeClock"],
    "talkdesk": [
        f"attachkit.talkdesk.{name}"
        for name in (
            "TalkdeskClient",
            "AsyncTalkdeskClient",
            "Attachments",
            "AsyncAttachments",
            "Conversations",
            "AsyncConversations",
            "SentMessage",
            "StartedConversation",
            "Region",
        )
    ],
    "webex": [
        f"attachkit.webex.{name}"
        for name in (
            "WebexClient",
            "AsyncWebexClient",
            "verify_webhook",
            "WebhookEvent",
            "Messages",
            "AsyncMessages",
            "Contents",
            "AsyncContents",
            "Webhooks",
            "AsyncWebhooks",
            "AttachmentActions",
            "AsyncAttachmentActions",
        )
    ],
    "errors": ["attachkit.errors.AttachkitError"],  # and every other class: see the test below
    "testing": [
        f"attachkit.testing.{name}"
        for name in ("MockServer", "MockConfig", "TalkdeskKwargs", "WebexKwargs", "create_app")
    ],
    "types": ["attachkit.types.Unset"],
}


def mkdocs(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    result = mkdocs("build", "--strict", "--config-file", str(CONFIG), "--site-dir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started < 60, "the documentation build has become slow"
    return out


def test_every_page_in_docs_is_built(site: Path) -> None:
    pages = sorted(p.relative_to(ROOT / "docs").with_suffix(".html") for p in (ROOT / "docs").rglob("*.md"))
    assert pages, "no pages in docs/"
    for page in pages:
        assert (site / page).is_file(), page


def test_the_reference_documents_the_public_api_under_its_public_paths(site: Path) -> None:
    for page, names in REFERENCE.items():
        html = (site / "reference" / f"{page}.html").read_text()
        for name in names:
            assert f'id="{name}"' in html, f"reference/{page}.html does not document {name}"
        # The sync classes are defined in attachkit._generated._sync; the reference must not send users there.
        assert 'id="attachkit._generated' not in html, page


def test_the_errors_reference_has_every_error(site: Path) -> None:
    import attachkit.errors

    html = (site / "reference" / "errors.html").read_text()
    for name in attachkit.errors.__all__:
        assert f'id="attachkit.errors.{name}"' in html, name


def test_the_guides_are_in_the_navigation(site: Path) -> None:
    config = yaml.safe_load(CONFIG.read_text())
    listed = set(re.findall(r"[\w/-]+\.md", str(config["nav"])))
    on_disk = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    assert listed == on_disk


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("[a page that is not there](missing.md)", "missing.md"),
        ("[an anchor that is not there](#no-such-heading)", "no-such-heading"),
    ],
    ids=["link", "anchor"],
)
def test_a_broken_link_fails_the_strict_build(page: str, expected: str, tmp_path: Path) -> None:
    ours: dict[str, Any] = yaml.safe_load(CONFIG.read_text())
    config = {
        "site_name": "broken",
        "strict": True,
        "validation": ours["validation"],
        "markdown_extensions": ours["markdown_extensions"],
    }
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# Broken\n\n{page}\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr
    assert expected in result.stderr, result.stderr
