"""`attachkit mock`: run the local mock of both vendors (`attachkit.testing.serve`) until interrupted."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from ._errors import ExitCode
from ._output import Output
from ._state import State, pass_state

# The third-party modules behind `attachkit[mock]`; missing one of these means the extra is not installed.
_MOCK_EXTRA = frozenset({"starlette", "uvicorn", "openapi_core", "yaml", "jsonschema"})


@contextlib.contextmanager
def _needs_mock_extra(state: State | None) -> Iterator[None]:
    """Around an import from `attachkit.testing`: a missing extra becomes exit 2 and how to install it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _MOCK_EXTRA:
            raise  # a bug in attachkit, not a missing extra: let it show
        message = (
            f"`attachkit mock` needs the mock extra (module {missing!r} is missing): pip install 'attachkit[mock]'"
        )
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


@click.command()
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
@pass_state
def mock(state: State, host: str, port: int, faults: tuple[str, ...]) -> None:
    """Run the local mock of Talkdesk and Webex until Ctrl+C.

    It prints its URLs and `export NAME=value` lines for the TALKDESK_* and WEBEX_* variables: paste them
    into another shell and both this CLI and the SDK talk to the mock. Needs `pip install 'attachkit[mock]'`.
    Fault syntax: `python -c "import attachkit.testing as t; help(t)"`.

    \b
    Examples:
      attachkit mock
      attachkit mock --port 0 --fault send_message:429:retry-after=2:times=1
      attachkit mock --fault '*:503:p=0.1:seed=7' --fault token:latency=2
    """
    with _needs_mock_extra(state):
        from ..testing import serve
    try:
        serve(host=host, port=port, faults=list(faults))
    except OSError as exc:
        # Most often the port is taken; say which address, not just the errno text.
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
