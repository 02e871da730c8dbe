"""generated/ is exactly what `make regenerate` writes, and the package reaches all three clients."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import regenerate  # noqa: E402


def test_committed_generated_matches_a_fresh_regeneration() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_drift_check_names_the_differing_files(tmp_path: Path) -> None:
    left, right = tmp_path / "a", tmp_path / "b"
    for root in (left, right):
        (root / "pkg" / "models").mkdir(parents=True)
        (root / "pkg" / "same.py").write_text("x = 1\n")
        (root / "pkg" / "models" / "m.py").write_text("y = 1\n")
    (right / "pkg" / "models" / "m.py").write_text("y = 2\n")
    (right / "pkg" / "extra.py").write_text("")
    assert regenerate.differences(left, right) == ["pkg/extra.py", "pkg/models/m.py"]


def test_generated_clients_have_no_runtime_timeout_default() -> None:
    """The generated Client defaults to no timeout at all; attachkit must always pass one."""
    from attachkit._generated.webex_attachment_actions import Client

    assert Client(base_url="http://127.0.0.1")._timeout is None


def test_import_attachkit_reaches_all_three_generated_clients() -> None:
    code = (
        "import attachkit;"
        "from attachkit._generated.talkdesk_attachments.api.attachments import create_attachment;"
        "from attachkit._generated.talkdesk_digital_connect.api.conversations import send_message;"
        "from attachkit._generated.webex_attachment_actions.api.attachment_actions import create_attachment_action;"
        "print(attachkit.__version__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


# -- one Unset, exported once ------------------------------------------------------------------------------

GENERATED_PACKAGES = ("talkdesk_attachments", "talkdesk_digital_connect", "webex_attachment_actions")


def test_the_three_packages_share_one_unset_exported_from_attachkit_types() -> None:
    import attachkit.types

    for package in GENERATED_PACKAGES:
        types = importlib.import_module(f"attachkit._generated.{package}.types")
        assert types.Unset is attachkit.types.Unset, package
        assert types.UNSET is attachkit.types.UNSET, package
    assert not attachkit.types.UNSET and repr(attachkit.types.UNSET) == "UNSET"
    assert attachkit.types.__all__ == ["UNSET", "Unset"]


def test_no_generated_package_defines_its_own_unset() -> None:
    for package in GENERATED_PACKAGES:
        tree = ast.parse((ROOT / "generated" / package / "types.py").read_text())
        assert "Unset" not in {node.name for node in tree.body if isinstance(node, ast.ClassDef)}, package


def test_the_templates_are_for_the_pinned_generator() -> None:
    """openapi/templates/ holds changed copies of openapi-python-client 0.29.1's templates (see its README)."""
    from importlib.metadata import version

    assert version("openapi-python-client") == "0.29.1"
    readme = (ROOT / "openapi" / "templates" / "README.md").read_text()
    assert "openapi-python-client **0.29.1**" in readme
