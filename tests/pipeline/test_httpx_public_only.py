"""attachkit uses httpx's public API only, so that moving to httpx2 is a dependency change, not a rewrite.

Private here means what httpx itself keeps private: its `_`-modules, and the `_`-attributes and methods its own
classes define. attachkit's code (the hand-written package and the generated sync face) may not import the one
nor touch the other, except as attributes its own classes set on themselves.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HTTPX = Path(httpx.__file__).parent


def _httpx_private_names() -> set[str]:
    names: set[str] = set()
    for path in HTTPX.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"\bself\.(_[a-z][a-z0-9_]*)\b", text))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                names.update(
                    item.name
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and re.match(r"_[a-z]", item.name)
                )
    return names


def _sources() -> Iterator[Path]:
    for path in sorted((ROOT / "overlays" / "attachkit").rglob("*.py")):
        if "_generated" not in path.parts:  # openapi-python-client's output: regenerated, not written here
            yield path
    yield from sorted((ROOT / "generated" / "_sync").rglob("*.py"))


def _own_attributes(tree: ast.Module) -> dict[ast.ClassDef, set[str]]:
    """Per class: the `_`-names it sets on itself (`self._x = ...`) or declares (attrs fields, slots)."""
    owned: dict[ast.ClassDef, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names = owned.setdefault(node, set())
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                    names.add(inner.attr)
                elif isinstance(inner, ast.AnnAssign) and isinstance(inner.target, ast.Name):
                    names.add(inner.target.id)
                elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(inner.name)
                elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    names.add(inner.value)  # __slots__ entries
    return owned


def _violations(path: Path, private: set[str], root: Path = ROOT) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(root)
    owned = _own_attributes(tree)
    enclosing: dict[ast.AST, ast.ClassDef] = {}
    for cls in owned:  # outer classes first (breadth-first), so a nested class claims its own nodes last
        for inner in ast.walk(cls):
            enclosing[inner] = cls
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("httpx._"):
            yield f"{where}:{node.lineno}: from {node.module} import ..."
        elif isinstance(node, ast.Import) and any(alias.name.startswith("httpx._") for alias in node.names):
            yield f"{where}:{node.lineno}: import of a private httpx module"
        elif isinstance(node, ast.Attribute) and node.attr in private:
            home = enclosing.get(node)
            if home is None or node.attr not in owned[home]:
                yield f"{where}:{node.lineno}: .{node.attr}"


def test_attachkit_touches_no_private_name_of_httpx() -> None:
    private = _httpx_private_names()
    assert {"_transport", "_merge_url", "_send_single_request", "_content"} <= private  # the scan finds them
    found = [v for path in _sources() for v in _violations(path, private)]
    assert found == []


def test_the_scan_catches_private_use(tmp_path: Path) -> None:
    private = _httpx_private_names()
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import httpx\n"
        "from httpx._models import Headers\n"
        "def f(client: httpx.Client) -> object:\n"
        "    return client._transport\n"
        "class Mine(httpx.Client):\n"
        "    def g(self) -> object:\n"
        "        return self._merge_url('/x')\n"
    )
    found = list(_violations(sample, private, root=tmp_path))
    assert [line.split(": ", 1)[1] for line in found] == ["from httpx._models import ...", "._transport", "._merge_url"]


def _names_used(module: str) -> set[str]:
    """Every `module.X` attachkit's code names, the generated packages included."""
    used: set[str] = set()
    for path in [*_sources(), *sorted((ROOT / "overlays" / "attachkit" / "_generated").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == module:
                used.add(node.attr)
    return used


def test_every_httpx_and_httpcore_name_used_exists_in_httpx2_and_httpcore2() -> None:
    """What moving would take: httpx2 and httpcore2 (dev-pinned for the bench) have every public name used."""
    import httpcore2
    import httpx2

    for module, successor in (("httpx", httpx2), ("httpcore", httpcore2)):
        used = _names_used(module)
        assert len(used) > 10, module  # the scan sees the code
        assert sorted(name for name in used if not hasattr(successor, name)) == [], module
