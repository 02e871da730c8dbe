"""The root `attachkit` group: global options, the command tree, and turning SDK errors into exit codes."""

from __future__ import annotations

from typing import Any

import click

from .._version import __version__
from ._errors import classify
from ._mock import mock
from ._output import Output
from ._state import State
from ._talkdesk import talkdesk
from ._webex import webex


class _Root(click.Group):
    """A group that reports attachkit's own errors as one stderr line and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an `AttachkitError` or `OSError` becomes `error: ...` and exit 1, 2 or 3."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            found = classify(exc)
            if found is None:
                raise  # click's own exits and usage errors, and bugs, keep their usual handling
            code, message = found
            state = ctx.find_object(State)
            (state.output if state is not None else Output()).error(message)
            ctx.exit(code)


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="attachkit", message="%(prog)s %(version)s")
@click.option("--json", "json_mode", is_flag=True, help="Print results as JSON on stdout, for scripts.")
@click.pass_context
def cli(ctx: click.Context, json_mode: bool) -> None:
    """Talkdesk Attachments, Digital Connect and the Webex card loop from the command line.

    Credentials come from flags or from the TALKDESK_* and WEBEX_* variables. Results go to stdout (a
    readable view, or JSON with --json); progress, warnings and errors go to stderr. Exit codes: 0 ok,
    1 API or connection error, 2 usage or validation error, 3 partial success (HTTP 206).

    \b
    Examples:
      attachkit mock                                # then paste its export lines in another shell
      attachkit talkdesk upload invoice.pdf
      attachkit --json talkdesk start --touchpoint tp-1 --email ada@example.com
      attachkit talkdesk send "$CONV" --content "see attached" --attach invoice.pdf
      attachkit webex message send --room-id "$ROOM" --text "Rate us" --card card.json
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada
    """
    ctx.obj = State(Output(json_mode=json_mode))


cli.add_command(talkdesk)
cli.add_command(webex)
cli.add_command(mock)
