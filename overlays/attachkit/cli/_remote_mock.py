"""`attachkit mock fault|state|requests|violations|clock|reset`: steer a running mock through its control plane
(`/_mock/`).

The mock is found through `ATTACHKIT_MOCK_URL` and `ATTACHKIT_MOCK_ADMIN_TOKEN`, the export lines `attachkit mock`
prints (or `--url` and `--admin-token`). The token is added to the output's secrets, so it is never printed.
Needs only httpx: the commands work without the mock extra.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._errors import ExitCode
from ._output import Output
from ._state import State

if TYPE_CHECKING:
    from ..testing._remote import RemoteMock

F = TypeVar("F", bound=Callable[..., Any])


def _output() -> Output:
    state = click.get_current_context().find_object(State)
    return state.output if state is not None else Output()


def _remote_command(function: F) -> F:
    """Give a command `--url`, `--admin-token` and `--json`, and turn them into its first argument, a RemoteMock;
    a refused call is one `error:` line (exit 2 for a refused request, 1 otherwise)."""

    @click.option(
        "--url",
        envvar="ATTACHKIT_MOCK_URL",
        required=True,
        metavar="URL",
        help="The running mock's root URL.  [env: ATTACHKIT_MOCK_URL]",
    )
    @click.option(
        "--admin-token",
        envvar="ATTACHKIT_MOCK_ADMIN_TOKEN",
        required=True,
        metavar="TOKEN",
        help="Its admin token.  [env: ATTACHKIT_MOCK_ADMIN_TOKEN]",
    )
    @click.option("--json", "json_mode", is_flag=True, help="Print the result as JSON.")
    @functools.wraps(function)
    def command(*args: Any, url: str, admin_token: str, json_mode: bool, **kwargs: Any) -> None:
        from ..testing._remote import RemoteMock, RemoteMockError

        output = _output()
        output.add_secret(admin_token)
        output.json_mode = output.json_mode or json_mode
        try:
            with RemoteMock(url, admin_token) as remote:
                function(remote, output, *args, **kwargs)
        except (RemoteMockError, ValueError) as exc:
            output.error(str(exc))
            status = getattr(exc, "status", None)
            code = ExitCode.USAGE if status == 400 or isinstance(exc, ValueError) else ExitCode.ERROR
            raise click.exceptions.Exit(code) from None

    return command  # type: ignore[return-value]


@click.group("fault")
def fault() -> None:
    """Add, list and clear a running mock's fault rules.

    \b
    Examples:
      attachkit mock fault add send_message:429:retry-after=2:times=1
      attachkit mock fault list
    """


@fault.command("add")
@click.argument("spec")
@_remote_command
def fault_add(remote: RemoteMock, output: Output, spec: str) -> None:
    """Add the rule SPEC (e.g. send_message:429:retry-after=2:times=1), tried after the others.

    \b
    Examples:
      attachkit mock fault add send_message:429:retry-after=2:times=1
      attachkit mock fault add "webhook_delivery:bad-signature:times=1"
    """
    output.result(remote.faults.add_spec(spec).to_dict())


@fault.command("list")
@_remote_command
def fault_list(remote: RemoteMock, output: Output) -> None:
    """List the rules, in the order they are tried, with how often each fired.

    \b
    Examples:
      attachkit mock fault list
      attachkit mock fault list --json
    """
    rules = remote.faults.rules
    if output.json_mode:
        output.result({"items": [rule.to_dict() for rule in rules]})
        return
    for rule in rules:
        output.line(f"{rule.spec}  (fired {rule.fired}{', exhausted' if rule.exhausted else ''})")
    if not rules:
        output.note("no fault rules")


@fault.command("clear")
@_remote_command
def fault_clear(remote: RemoteMock, output: Output) -> None:
    """Remove every rule.

    \b
    Examples:
      attachkit mock fault clear
    """
    output.result({"cleared": remote.faults.clear()})


@click.command("state")
@_remote_command
def state(remote: RemoteMock, output: Output) -> None:
    """Print a snapshot of the state: records held and dropped, request counts, history, clock.

    \b
    Examples:
      attachkit mock state
      attachkit mock state --json | jq .requests
    """
    output.result(remote.state.to_dict())


@click.command("requests")
@click.option("--operation", metavar="ID", help="Only requests to this operationId (or token, upload...).")
@click.option("--since", type=click.IntRange(min=0), metavar="ID", help="Only requests after this entry id.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the last N.")
@_remote_command
def requests(remote: RemoteMock, output: Output, operation: str | None, since: int | None, limit: int | None) -> None:
    """Print the request history, oldest first, secrets redacted (one line each; every field with --json).

    \b
    Examples:
      attachkit mock requests
      attachkit mock requests --operation send_message --limit 5 --json
    """
    entries = remote.history(operation, since=since, limit=limit)
    if output.json_mode:
        output.result({"items": [entry.to_dict() for entry in entries]})
        return
    for entry in entries:
        status = "dropped" if entry.status is None else str(entry.status)
        query = f"?{entry.query}" if entry.query else ""
        output.line(
            f"#{entry.id} {entry.started_at} {entry.method} {entry.path}{query} -> {status} "
            f"[{entry.operation}, {entry.outcome}, {entry.duration_ms:g} ms]"
        )
        for violation in entry.violations or ():  # proxy mode: how the exchange broke its spec
            for problem in violation.problems:
                output.line(f"    {violation.kind}: {problem}")


@click.command("violations")
@_remote_command
def violations(remote: RemoteMock, output: Output) -> None:
    """Print what broke the specs (proxy mode, `attachkit mock --upstream`): one line per problem, oldest first,
    secrets redacted.

    \b
    Examples:
      attachkit mock violations
      attachkit mock violations --json
    """
    found = remote.violations
    if output.json_mode:
        output.result({"items": [violation.to_dict() for violation in found]})
        return
    for violation in found:
        status = "-" if violation.status is None else str(violation.status)
        for problem in violation.problems:
            output.line(
                f"{violation.operation} {violation.kind} {status} {violation.method} {violation.path}: {problem}"
            )
    if not found:
        output.note("no violations")


@click.command("reset")
@_remote_command
def reset(remote: RemoteMock, output: Output) -> None:
    """Forget every record, count, request and delivery, remove every fault, and put the clock back.

    \b
    Examples:
      attachkit mock reset
    """
    remote.reset()
    output.result({"reset": True})


@click.group("clock")
def clock() -> None:
    """Move a running mock's clock.

    \b
    Examples:
      attachkit mock clock advance 601
    """


@clock.command("advance")
@click.argument("seconds", type=click.FloatRange(min=0))
@_remote_command
def clock_advance(remote: RemoteMock, output: Output, seconds: float) -> None:
    """Move the mock's time forward by SECONDS (expires tokens and links, ends a file's malware scan).

    \b
    Examples:
      attachkit mock clock advance 601
    """
    output.result(remote.clock.advance(seconds).to_dict())


def add_remote_commands(group: click.Group) -> None:
    """Put the control-plane commands under `group` (`attachkit mock`)."""
    for command in (fault, state, requests, violations, clock, reset):
        group.add_command(command)
