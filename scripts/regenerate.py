"""Regenerate `generated/` from `openapi/*.yaml`, or check that it is up to date.

    python scripts/regenerate.py            # validate the specs, rewrite generated/
    python scripts/regenerate.py --check    # regenerate into a temporary folder and compare

Each spec becomes one package, named after the file (`talkdesk-attachments.yaml` ->
`talkdesk_attachments`). The folder is mounted inside the public package as `attachkit._generated`
(a link in a checkout, a copy in the wheel), so no generated name is a top-level import.
openapi-python-client and ruff are the pinned versions from the project's `dev` extra; the ruff that
the generator's post-hooks call is the one installed next to this interpreter, so a machine-wide ruff of
another version cannot change the output.

The output of `scripts/unasync.py` (the sync face of the clients) is written into
`generated/_sync` in the same run, because this script rewrites `generated/` whole.

The generator runs with attachkit's templates (`openapi/templates/`, passed as `--custom-template-path`):
they override only what attachkit changes; see `openapi/templates/README.md`. One of them makes every
package's `types.py` import `Unset`/`UNSET` from `generated/_unset.py`, which this script writes, so the
packages share one `Unset` class.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "openapi"
CONFIG = SPECS / "generator-config.yaml"
TEMPLATES = SPECS / "templates"
GENERATED = ROOT / "generated"
# The sync face of the hand-written async client, machine-written into generated/_sync by its own script.
UNASYNC = ROOT / "scripts" / "unasync.py"

INIT = '''"""Machine-written code behind `attachkit`: private, imported only by the overlays."""
'''

# The one `Unset` of every generated package (their `types.py` import it; see openapi/templates/types.py.jinja).
UNSET_MODULE = '''"""`Unset` and `UNSET`, shared by every generated package (written by scripts/regenerate.py).

A model field whose JSON key was absent holds `UNSET` (falsy, and distinct from `None`, which is JSON null).
Each package's `types.py` imports them from here, so `isinstance(value, Unset)` holds whichever spec the model
comes from. Users import them from `attachkit.types`.
"""

from typing import Literal


class Unset:
    """The type of `UNSET`: the value of a field the JSON object did not carry."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

__all__ = ["UNSET", "Unset"]
'''

README = """\
# generated/

Machine-written by `make regenerate` (scripts/regenerate.py) from `openapi/*.yaml` with the pinned
openapi-python-client and ruff. Each package also carries its spec as `openapi.json`, which the
overlays read to check arguments before a request is sent.

Do not edit anything here by hand: change the spec or the generator configuration, run
`make regenerate`, and commit both. `make test` fails when this folder differs from what
`make regenerate` would write.

The folder is importable as `attachkit._generated` (a link in a checkout, a copy in the wheel): these
packages are private parts of attachkit, never top-level names in users' environments.

The generator runs with the templates in `openapi/templates/`. `_unset.py` holds the one `Unset` class and
`UNSET` value that all packages share (users import them from `attachkit.types`).

| package | spec |
|---|---|
{rows}
"""


def package_name(spec: Path) -> str:
    return spec.stem.replace("-", "_")


def specs() -> list[Path]:
    return sorted(p for p in SPECS.glob("*.yaml") if p != CONFIG)


def load_yaml(spec: Path) -> object:
    import yaml

    with spec.open() as f:
        return yaml.safe_load(f)


def validate(spec: Path) -> None:
    from openapi_spec_validator import validate as validate_spec
    from openapi_spec_validator.readers import read_from_filename

    document, _ = read_from_filename(str(spec))
    validate_spec(document)


def generate_into(out: Path) -> None:
    """Write every package and the README into `out` (which must exist and be empty)."""
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    env.pop("RUFF_CACHE_DIR", None)
    rows = []
    for spec in specs():
        validate(spec)
        name = package_name(spec)
        target = out / name
        subprocess.run(
            [
                str(Path(bin_dir) / "openapi-python-client"),
                "generate",
                "--path",
                str(spec),
                "--config",
                str(CONFIG),
                "--custom-template-path",
                str(TEMPLATES),
                "--meta",
                "none",
                "--output-path",
                str(target),
                "--fail-on-warning",
            ],
            check=True,
            cwd=out,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        # The post-hooks run ruff inside the package; its cache is not output.
        shutil.rmtree(target / ".ruff_cache", ignore_errors=True)
        (target / "py.typed").write_text("")
        # The spec itself, as JSON, so the overlays can check arguments against its constraints at run
        # time with the standard library only (runtime dependencies are httpx and attrs).
        (target / "openapi.json").write_text(json.dumps(load_yaml(spec), indent=1, sort_keys=True) + "\n")
        rows.append(f"| `attachkit._generated.{name}` | `openapi/{spec.name}` |")
    (out / "README.md").write_text(README.format(rows="\n".join(rows)))
    (out / "__init__.py").write_text(INIT)
    (out / "_unset.py").write_text(UNSET_MODULE)
    # generated/ is rewritten whole, so the sync face (scripts/unasync.py) is written with it.
    subprocess.run([sys.executable, str(UNASYNC), "--out", str(out / "_sync")], check=True, env=env)


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two trees, ignoring bytecode caches."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files:
            if name != "__pycache__":
                found.append(prefix + name)
        for name, sub in cmp.subdirs.items():
            if name != "__pycache__":
                walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(left, right, ignore=[]), "")
    # dircmp compares by os.stat signature first; recheck contents so equal files never show up.
    return sorted(
        p
        for p in found
        if not ((left / p).is_file() and (right / p).is_file() and filecmp.cmp(left / p, right / p, shallow=False))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="attachkit-gen-") as tmp:
        fresh = Path(tmp) / "generated"
        fresh.mkdir()
        generate_into(fresh)
        if args.check:
            diff = differences(fresh, GENERATED) if GENERATED.exists() else ["generated/ is missing"]
            if diff:
                print("generated/ is out of date; run `make regenerate`. Differing files:")
                for path in diff:
                    print(f"  generated/{path}")
                return 1
            print(f"generated/ is up to date ({len(specs())} specs)")
            return 0
        if GENERATED.exists():
            shutil.rmtree(GENERATED)
        shutil.copytree(fresh, GENERATED)
        print(f"regenerated {len(specs())} packages into generated/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
