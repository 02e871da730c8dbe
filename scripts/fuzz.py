"""Fuzz the specs over HTTP with the `schemathesis run` CLI. What `make fuzz` and `make fuzz-long` run.

Targets:
- default: starts the local mock (`attachkit.testing.MockServer`, loopback TCP) and fuzzes every spec with
  every phase (examples, coverage, fuzzing, stateful) and every check.
- `--base-url URL` alone: a mock already running there (`make mock`), with its local credentials.
- `--target talkdesk --base-url https://api.talkdeskapp.com`: the real Talkdesk Attachments and Digital Connect
  APIs, with TALKDESK_CLIENT_ID, TALKDESK_CLIENT_SECRET and TALKDESK_TOKEN_URL (or TALKDESK_ACCOUNT and
  TALKDESK_REGION, from which the token URL follows).
- `--target webex --base-url https://webexapis.com/v1`: the real Webex API, with WEBEX_ACCESS_TOKEN.

Against a real API the defaults are safe: at most `--rate-limit` requests (2/s); only the examples and
coverage phases, whose number of requests is fixed by the spec, not by `--max-examples`, so they cannot create
an unbounded amount of live data; and no undocumented DELETE, PUT or PATCH probes. `--allow-writes` adds the
fuzzing and stateful phases (and the uploads between stateful steps) and those probes; the README says what
each creates.

Configuration is the repository's schemathesis.toml. The fuzzing phase runs once per operation (so
`--max-examples` is a per-operation count), the other phases once per spec. Each run writes a JUnit report and a
JSON run report under build/fuzz/; the script ends with the totals (operations, cases, failures) and exits
non-zero when anything failed. Each failure is printed by schemathesis with the curl command that reproduces it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "build" / "fuzz"
SPECS = {
    "talkdesk": ("talkdesk-attachments", "talkdesk-digital-connect"),
    "webex": ("webex-attachment-actions", "webex-messages", "webex-webhooks"),
}
ALL_PHASES = "examples,coverage,fuzzing,stateful"
BOUNDED_PHASES = "examples,coverage"  # a fixed number of requests, whatever --max-examples says
REAL_API_RATE_LIMIT = "2/s"
# The coverage phase also sends methods a path does not document, expecting 405. Against a real API, without
# --allow-writes, the ones that could change or delete data are left out (no documented operation uses them).
UNSAFE_METHODS = ("DELETE", "PUT", "PATCH")
HOOKS = "tests.property.schemathesis_hooks"


@dataclass
class Run:
    """A spec against a base URL, with the environment its hooks read."""

    spec: str
    base_url: str
    env: dict[str, str]


@dataclass
class Invocation:
    """One `schemathesis run` of a spec: some phases, over the whole spec or one operation."""

    run: Run
    phases: str
    operation_id: str | None = None

    @property
    def name(self) -> str:
        return self.run.spec + (f".{self.operation_id}" if self.operation_id else "")


@dataclass
class Totals:
    operations: int = 0
    cases: int = 0
    failures: int = 0
    unique_failures: int = 0
    errors: int = 0
    failed_runs: int = 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-examples", type=int, default=100, help="fuzzing examples per operation (default 100)")
    parser.add_argument("--target", choices=sorted(SPECS), help="a real API: talkdesk or webex (needs --base-url)")
    parser.add_argument("--base-url", help="the API's base URL, or the root of a running mock")
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="against a real API, also run the fuzzing and stateful phases, which create live data",
    )
    parser.add_argument("--rate-limit", help=f"requests per period, e.g. 10/s (real APIs: {REAL_API_RATE_LIMIT})")
    parser.add_argument("--phases", help=f"override the phases (default: {ALL_PHASES} locally)")
    parser.add_argument("--workers", default="1", help="concurrent workers (default 1)")
    parser.add_argument("--seed", type=int, help="reproduce a run")
    args = parser.parse_args(argv)
    if args.target and not args.base_url:
        parser.error("--target needs --base-url, e.g. https://api.talkdeskapp.com or https://webexapis.com/v1")
    return args


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in {"localhost", "::1"} or host.startswith("127.")


def mock_runs(root: str, credentials: dict[str, str]) -> list[Run]:
    """Every spec against a mock whose root is `root` (Talkdesk under /talkdesk, Webex under /webex/v1)."""
    talkdesk_env = {
        "TALKDESK_TOKEN_URL": f"{root}/talkdesk/oauth/token",
        "TALKDESK_CLIENT_ID": credentials["client_id"],
        "TALKDESK_CLIENT_SECRET": credentials["client_secret"],
    }
    webex_env = {"WEBEX_ACCESS_TOKEN": credentials["webex_token"]}
    return [
        Run("talkdesk-attachments", f"{root}/talkdesk", talkdesk_env),
        Run("talkdesk-digital-connect", f"{root}/talkdesk", talkdesk_env),
        Run("webex-attachment-actions", f"{root}/webex/v1", webex_env),
        Run("webex-messages", f"{root}/webex/v1", webex_env),
        Run("webex-webhooks", f"{root}/webex/v1", webex_env),
    ]


def real_runs(target: str, base_url: str) -> list[Run]:
    """The target's specs against its real base URL, with credentials from the environment."""
    if target == "webex":
        token = os.environ.get("WEBEX_ACCESS_TOKEN")
        if not token:
            sys.exit("fuzz: set WEBEX_ACCESS_TOKEN to fuzz the Webex API")
        env = {"WEBEX_ACCESS_TOKEN": token}
    else:
        client_id = os.environ.get("TALKDESK_CLIENT_ID")
        client_secret = os.environ.get("TALKDESK_CLIENT_SECRET")
        if not client_id or not client_secret:
            sys.exit("fuzz: set TALKDESK_CLIENT_ID and TALKDESK_CLIENT_SECRET to fuzz the Talkdesk APIs")
        env = {
            "TALKDESK_TOKEN_URL": talkdesk_token_url(),
            "TALKDESK_CLIENT_ID": client_id,
            "TALKDESK_CLIENT_SECRET": client_secret,
        }
    return [Run(spec, base_url.rstrip("/"), env) for spec in SPECS[target]]


def talkdesk_token_url() -> str:
    explicit = os.environ.get("TALKDESK_TOKEN_URL")
    if explicit:
        return explicit
    account = os.environ.get("TALKDESK_ACCOUNT")
    if not account:
        sys.exit("fuzz: set TALKDESK_TOKEN_URL, or TALKDESK_ACCOUNT (and TALKDESK_REGION) to find the token endpoint")
    from attachkit.talkdesk import REGIONS

    region = REGIONS.get(os.environ.get("TALKDESK_REGION", "us").lower())
    if region is None:
        sys.exit(f"fuzz: TALKDESK_REGION must be one of {', '.join(REGIONS)}")
    return region.token_url(account)


@contextlib.contextmanager
def local_mock() -> Iterator[tuple[str, dict[str, str]]]:
    from attachkit.testing import MockServer

    with MockServer() as mock:
        print(f"fuzz: started the local mock at {mock.url}", flush=True)
        yield (
            mock.url,
            {
                "client_id": mock.client_id,
                "client_secret": mock.client_secret,
                "webex_token": mock.webex_token,
            },
        )


def operation_ids(spec: str) -> list[str]:
    import yaml

    document = yaml.safe_load((REPO / "openapi" / f"{spec}.yaml").read_text())
    return [op["operationId"] for item in document["paths"].values() for op in item.values() if "operationId" in op]


def invocations(run: Run, phases: str) -> list[Invocation]:
    """The fuzzing phase runs once per operation, the other phases once over the whole spec.

    Over a whole spec, schemathesis feeds values from earlier answers into later operations, and then stops
    generating for create_attachment after a handful of cases (the upload links' request_ids fill its pool).
    One operation per run keeps `--max-examples` a real per-operation count; the stateful phase still
    chains the operations through the specs' links.
    """
    selected = phases.split(",")
    found = []
    rest = [p for p in selected if p != "fuzzing"]
    if rest:
        found.append(Invocation(run, ",".join(rest)))
    if "fuzzing" in selected:
        found.extend(Invocation(run, "fuzzing", op) for op in operation_ids(run.spec))
    return found


def command(
    invocation: Invocation, args: argparse.Namespace, *, rate_limit: str | None, safe_methods_only: bool
) -> list[str]:
    run = invocation.run
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(REPO / "schemathesis.toml"),
        "run",
        str(REPO / "openapi" / f"{run.spec}.yaml"),
        "--url",
        run.base_url,
        "--phases",
        invocation.phases,
        "--max-examples",
        str(args.max_examples),
        "--workers",
        str(args.workers),
        "--report",
        "junit,json",
        "--report-dir",
        str(REPORTS),
        "--report-junit-path",
        str(REPORTS / f"{invocation.name}.junit.xml"),
        "--report-json-path",
        str(REPORTS / f"{invocation.name}.json"),
    ]
    if invocation.operation_id:
        cmd += ["--include-operation-id", invocation.operation_id]
    if rate_limit:
        cmd += ["--rate-limit", rate_limit]
    if safe_methods_only:
        for method in UNSAFE_METHODS:
            cmd += ["--exclude-method", method]
    if args.seed is not None:
        cmd += ["--seed", str(args.seed)]
    return cmd


def execute(
    invocation: Invocation, args: argparse.Namespace, *, rate_limit: str | None, uploads: bool, writes: bool
) -> Totals:
    run = invocation.run
    env = {
        **os.environ,
        **run.env,
        "SCHEMATHESIS_HOOKS": HOOKS,
        "ATTACHKIT_FUZZ_SPEC": run.spec,
        "ATTACHKIT_FUZZ_UPLOADS": "1" if uploads else "0",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    where = f" {invocation.operation_id}" if invocation.operation_id else ""
    print(f"\nfuzz: {run.spec}{where} against {run.base_url} (phases {invocation.phases})", flush=True)
    report = REPORTS / f"{invocation.name}.json"
    report.unlink(missing_ok=True)
    cmd = command(invocation, args, rate_limit=rate_limit, safe_methods_only=not writes)
    code = subprocess.run(cmd, env=env, cwd=REPO).returncode
    totals = Totals(failed_runs=int(code != 0))
    if report.is_file():
        data = json.loads(report.read_text())
        totals.operations = data["operations"]["tested"]
        totals.cases = data["test_cases"]["generated"]
        totals.failures = data["test_cases"]["with_failures"]
        totals.unique_failures = data["test_cases"]["unique_failures"]
        totals.errors = data["test_cases"]["errored"] + len(data.get("errors", []))
    else:
        totals.errors = 1  # the run ended before writing its report
    return totals


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    REPORTS.mkdir(parents=True, exist_ok=True)
    for stale in [*REPORTS.glob("*.junit.xml"), *REPORTS.glob("*.json")]:
        stale.unlink()
    real = bool(args.target)
    if real and is_loopback(args.base_url):
        print("fuzz: the base URL is on this machine; treating it as a real API all the same", flush=True)
    phases = args.phases or (ALL_PHASES if not real or args.allow_writes else BOUNDED_PHASES)
    rate_limit = args.rate_limit or (REAL_API_RATE_LIMIT if real else None)
    writes = not real or args.allow_writes

    with contextlib.ExitStack() as stack:
        if real:
            runs = real_runs(args.target, args.base_url)
        elif args.base_url:
            from attachkit.testing import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_WEBEX_TOKEN

            credentials = {
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "webex_token": DEFAULT_WEBEX_TOKEN,
            }
            runs = mock_runs(args.base_url.rstrip("/"), credentials)
        else:
            root, credentials = stack.enter_context(local_mock())
            runs = mock_runs(root, credentials)

        total = Totals()
        operations: set[tuple[str, str]] = set()
        for run in runs:
            operations.update((run.spec, op) for op in operation_ids(run.spec))
            for invocation in invocations(run, phases):
                result = execute(invocation, args, rate_limit=rate_limit, uploads=writes, writes=writes)
                for field in ("cases", "failures", "unique_failures", "errors", "failed_runs"):
                    setattr(total, field, getattr(total, field) + getattr(result, field))
        total.operations = len(operations)

    print("\n=== fuzz totals ===")
    print(f"specs:       {len(runs)}")
    print(f"operations:  {total.operations}")
    print(f"cases:       {total.cases}")
    print(f"failures:    {total.failures} cases ({total.unique_failures} distinct)")
    print(f"errors:      {total.errors}")
    print(f"reports:     {REPORTS.relative_to(REPO)}/ (JUnit *.junit.xml, JSON run reports *.json)")
    ok = total.failures == 0 and total.errors == 0 and total.failed_runs == 0
    print("result:      " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
