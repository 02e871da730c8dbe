"""`attachkit mock`: run the local mock of both vendors (`attachkit.testing.serve`) until interrupted.

This is the mock's only command line: `python -m attachkit.testing` runs this same command. Every `MockConfig`
field has an option whose parameter name is the field's name, so the values go to `MockConfig` as they are.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

import click

from .._specs import SPEC_NAMES
from ..testing._config import MockConfig
from ._errors import ExitCode
from ._output import Output
from ._remote_mock import add_remote_commands
from ._state import State

# The third-party modules behind `attachkit[mock]`; missing one of these means the extra is not installed.
_MOCK_EXTRA = frozenset({"starlette", "uvicorn", "openapi_core", "yaml", "jsonschema"})

# The defaults shown in --help are MockConfig's own, so the two cannot drift.
_DEFAULTS = MockConfig()

_SECONDS = click.IntRange(min=1)
_BYTES = click.IntRange(min=1)


@contextlib.contextmanager
def _needs_mock_extra(state: State | None) -> Iterator[None]:
    """Around an import from `attachkit.testing`: a missing extra becomes exit 2 and how to install it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _MOCK_EXTRA:
            raise  # a bug in attachkit, not a missing extra: let it show
        ctx = click.get_current_context(silent=True)
        command = ctx.command_path if ctx is not None else "attachkit mock"
        message = f"`{command}` needs the mock extra (module {missing!r} is missing): pip install 'attachkit[mock]'"
        (state.output if state is not None else Output()).error(message)
        raise click.exceptions.Exit(ExitCode.USAGE) from exc


def _check_fault(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Reject a malformed fault rule before anything starts, with the parser's reason."""
    if not values:
        return values
    with _needs_mock_extra(ctx.find_object(State)):
        from ..testing import parse_fault
    for value in values:
        try:
            parse_fault(value)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r}: {exc}") from exc
    return values


def _optional_set(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> frozenset[str] | None:
    """A repeatable option as a set; not given at all means None (MockConfig's "no restriction")."""
    return frozenset(values) if values else None


def _status(ctx: click.Context, param: click.Parameter, value: str) -> Literal[200, 202]:
    """The Choice of "200"/"202" as the int MockConfig takes."""
    return 202 if value == "202" else 200


def _admin_token(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A token MockConfig accepts (long enough, printable, no spaces), or None for a random one."""
    if value is not None:
        try:
            MockConfig(admin_token=value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def _upstreams(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Mapping[str, str]:
    """`NAME=URL` pairs (talkdesk, webex, talkdesk-token), checked by the proxy's own parser."""
    if not values:
        return {}
    with _needs_mock_extra(ctx.find_object(State)):
        from ..testing._proxy import parse_upstreams
    try:
        return parse_upstreams(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _specs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Mapping[str, Path]:
    """`NAME=PATH` pairs, each naming a packaged spec and an existing file."""
    specs: dict[str, Path] = {}
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not path:
            raise click.BadParameter(f"{value!r}: expected NAME=PATH")
        if name not in SPEC_NAMES:
            raise click.BadParameter(f"{value!r}: NAME is one of {', '.join(SPEC_NAMES)}")
        if not Path(path).is_file():
            raise click.BadParameter(f"{value!r}: {path} is not a file")
        specs[name] = Path(path)
    return specs


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one."
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="SPEC",
    callback=_check_fault,
    help="A fault rule TARGET:ITEM[:ITEM...], e.g. send_message:429:retry-after=2:times=1; repeat for more.",
)
@click.option("--account", default=_DEFAULTS.account, show_default=True, help="The Talkdesk account name.")
@click.option("--client-id", default=_DEFAULTS.client_id, show_default=True, help="The Talkdesk OAuth client id.")
@click.option(
    "--client-secret", default=_DEFAULTS.client_secret, show_default=True, help="The Talkdesk OAuth client secret."
)
@click.option(
    "--client-scope",
    "client_scopes",
    multiple=True,
    metavar="SCOPE",
    callback=_optional_set,
    help="A scope the client may be granted; repeat for more. Default: every scope the specs declare.",
)
@click.option(
    "--webex-token", default=_DEFAULTS.webex_token, show_default=True, help="The Webex access token accepted."
)
@click.option(
    "--token-expires-in",
    default=_DEFAULTS.token_expires_in,
    show_default=True,
    type=_SECONDS,
    metavar="SECONDS",
    help="Lifetime of issued Talkdesk tokens.",
)
@click.option(
    "--download-expire-time",
    default=_DEFAULTS.download_expire_time,
    show_default=True,
    type=_SECONDS,
    metavar="SECONDS",
    help="Lifetime of download links.",
)
@click.option(
    "--webex-create-status",
    default=str(_DEFAULTS.webex_create_status),
    show_default=True,
    type=click.Choice(["200", "202"]),
    callback=_status,
    help='The success status of Webex "create attachment action".',
)
@click.option(
    "--touchpoint",
    "touchpoints",
    multiple=True,
    metavar="ID",
    callback=_optional_set,
    help="A touchpoint Digital Connect knows (others are 404); repeat for more. Default: any.",
)
@click.option("--validate-responses", is_flag=True, help="Check every response against the specs.")
@click.option("--strict-responses", is_flag=True, help="Answer 500 instead of a response that breaks the specs.")
@click.option(
    "--max-body-bytes",
    default=_DEFAULTS.max_body_bytes,
    show_default=True,
    type=_BYTES,
    metavar="BYTES",
    help="Largest API request body (413 above).",
)
@click.option(
    "--max-upload-bytes",
    default=_DEFAULTS.max_upload_bytes,
    show_default=True,
    type=_BYTES,
    metavar="BYTES",
    help="Largest upload (413 above).",
)
@click.option("--enforce-mime-types", is_flag=True, help="Refuse (403) an upload whose type the link does not allow.")
@click.option(
    "--webex-scan-seconds",
    default=_DEFAULTS.webex_scan_seconds,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="How long a posted Webex file is scanned for malware (its download answers 423 meanwhile).",
)
@click.option(
    "--webhook-failure-limit",
    default=_DEFAULTS.webhook_failure_limit,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Consecutive failed deliveries after which a Webex webhook becomes inactive.",
)
@click.option(
    "--webhook-timeout",
    default=_DEFAULTS.webhook_timeout,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="How long one webhook delivery may take before it counts as failed.",
)
@click.option(
    "--history-limit",
    default=_DEFAULTS.history_limit,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Requests the history keeps (the oldest are dropped and counted).",
)
@click.option(
    "--record-limit",
    default=_DEFAULTS.record_limit,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Records of each kind kept (messages, attachments, deliveries...); the oldest are dropped and counted.",
)
@click.option(
    "--admin-token",
    metavar="TOKEN",
    callback=_admin_token,
    help="The control plane's token (/_mock/...). Default: a random one, printed as ATTACHKIT_MOCK_ADMIN_TOKEN.",
)
@click.option(
    "--storage-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep uploads here (created if missing). Default: a temporary directory removed on exit.",
)
@click.option(
    "--spec",
    "specs",
    multiple=True,
    metavar="NAME=PATH",
    callback=_specs,
    help=f"Serve this file instead of a packaged spec ({', '.join(SPEC_NAMES)}); repeat for more.",
)
@click.option(
    "--upstream",
    "upstreams",
    multiple=True,
    metavar="NAME=URL",
    callback=_upstreams,
    help="Proxy mode: forward the calls of a vendor (talkdesk, webex; talkdesk-token for the token endpoint) to "
    "URL, checking each against the specs; repeat for more.",
)
@click.option(
    "--record",
    "record_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Proxy mode: append each exchange to FILE as a JSON line, secrets redacted.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Proxy mode: write the violations found to FILE as JSON on exit.",
)
@click.option(
    "--upstream-timeout",
    default=_DEFAULTS.upstream_timeout,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Proxy mode: how long one upstream call may take (504 after).",
)
@click.option("--access-log", is_flag=True, help="Log every request (storage URLs include their link tokens).")
@click.pass_context
def mock(
    ctx: click.Context,
    *,
    host: str,
    port: int,
    faults: tuple[str, ...],
    account: str,
    client_id: str,
    client_secret: str,
    client_scopes: frozenset[str] | None,
    webex_token: str,
    token_expires_in: int,
    download_expire_time: int,
    webex_create_status: Literal[200, 202],
    touchpoints: frozenset[str] | None,
    validate_responses: bool,
    strict_responses: bool,
    max_body_bytes: int,
    max_upload_bytes: int,
    enforce_mime_types: bool,
    webex_scan_seconds: float,
    webhook_failure_limit: int,
    webhook_timeout: float,
    history_limit: int,
    record_limit: int,
    admin_token: str | None,
    storage_dir: Path | None,
    specs: Mapping[str, Path],
    upstreams: Mapping[str, str],
    record_file: Path | None,
    report_file: Path | None,
    upstream_timeout: float,
    access_log: bool,
) -> None:
    """Run the local mock of Talkdesk and Webex until Ctrl+C; or, with a command, steer a running one.

    It prints its URLs and `export NAME=value` lines for the TALKDESK_* and WEBEX_* variables: paste them
    into another shell and both this CLI and the SDK talk to the mock. Needs `pip install 'attachkit[mock]'`.
    The same command runs as `python -m attachkit.testing`.
    Fault syntax: `python -c "import attachkit.testing as t; help(t)"`.

    The commands (fault, state, requests, violations, clock, reset) use the running mock's control plane
    (/_mock/), found through the ATTACHKIT_MOCK_URL and ATTACHKIT_MOCK_ADMIN_TOKEN lines it prints.

    \b
    Examples:
      attachkit mock
      attachkit mock --port 0 --fault send_message:429:retry-after=2:times=1
      attachkit mock --fault '*:503:p=0.1:seed=7' --fault token:latency=2
      attachkit mock --storage-dir ./uploads --token-expires-in 3600
      attachkit mock --upstream webex=https://webexapis.com/v1 --report report.json
      attachkit mock fault add send_message:429:times=1    # in another shell, after the export lines
    """
    if ctx.invoked_subcommand is not None:
        return  # a control-plane command: its own options say which mock
    state = ctx.find_object(State)
    assert state is not None, "the attachkit group or python -m attachkit.testing creates the State"
    if (record_file is not None or report_file is not None) and not upstreams:
        raise click.UsageError("--record and --report need --upstream (they record what the proxy sees)")
    config = MockConfig(
        account=account,
        client_id=client_id,
        client_secret=client_secret,
        client_scopes=client_scopes,
        webex_token=webex_token,
        token_expires_in=token_expires_in,
        download_expire_time=download_expire_time,
        webex_create_status=webex_create_status,
        touchpoints=touchpoints,
        validate_responses=validate_responses,
        strict_responses=strict_responses,
        max_body_bytes=max_body_bytes,
        max_upload_bytes=max_upload_bytes,
        enforce_mime_types=enforce_mime_types,
        webex_scan_seconds=webex_scan_seconds,
        webhook_failure_limit=webhook_failure_limit,
        webhook_timeout=webhook_timeout,
        history_limit=history_limit,
        record_limit=record_limit,
        storage_dir=storage_dir,
        specs=specs,
        faults=faults,
        upstreams=upstreams,
        record_file=record_file,
        report_file=report_file,
        upstream_timeout=upstream_timeout,
    )
    if admin_token is not None:
        config = dataclasses.replace(config, admin_token=admin_token)
    with _needs_mock_extra(state):
        from ..testing import serve
    try:
        serve(host=host, port=port, config=config, access_log=access_log)
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl+C (the proxy's summary and report included), then raises the signal
        # again for the caller: stopping is the normal way out of the mock, not an error (as `webex listen`).
        return
    except OSError as exc:
        # Reported here rather than by the root group, so `python -m attachkit.testing` says the same.
        # An error naming a file is the storage directory's; one without is the socket's (most often a port in use).
        reason = exc.strerror or str(exc)
        state.output.error(f"{reason}: {exc.filename}" if exc.filename else f"cannot listen on {host}:{port}: {reason}")
        raise click.exceptions.Exit(ExitCode.ERROR) from exc


add_remote_commands(mock)
