"""`attachkit webex listen`: a local receiver of webhook deliveries that verifies and prints each event.

The receiver itself (`_receiver`) runs on uvicorn and Starlette, which come with the mock extra; this module
loads it only when the command runs, so the rest of the CLI works without that extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

import click

from ._mock import _needs_mock_extra
from ._params import json_option
from ._state import State, pass_state

F = TypeVar("F", bound=Callable[..., Any])

SECRET_ENV: Final = "WEBEX_WEBHOOK_SECRET"  # noqa: S105 - the variable's name, not a secret
"""Where `--secret` is read from when not given: the secret a webhook signs its deliveries with."""


def secret_option(text: str, **kwargs: Any) -> Callable[[F], F]:
    """`--secret`, also read from WEBEX_WEBHOOK_SECRET; the command must `add_secret` the value it gets."""
    return click.option(
        "--secret",
        metavar="SECRET",
        envvar=SECRET_ENV,
        help=f"{text} Prefer the variable, which stays out of shell history. [env: {SECRET_ENV}]",
        **kwargs,
    )


@click.command()
@click.option(
    "--port", required=True, type=click.IntRange(0, 65535), help="Port to listen on; 0 picks a free one (printed)."
)
@secret_option("The secret the webhook was registered with: a delivery not signed with it gets 401.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
# For tests and scripts: stop once this many events have been printed (rejected deliveries do not count).
@click.option("--max-events", type=click.IntRange(min=1), hidden=True)
@json_option
@pass_state
def listen(state: State, port: int, secret: str | None, host: str, max_events: int | None) -> None:
    """Receive webhook deliveries on a local port, verify each one, and print its event, until Ctrl+C.

    Each POST (to any path) must carry an X-Spark-Signature made with the webhook's secret; one that does not
    gets 401 and a `warning:` line on stderr. A verified event is answered 200 at once, then printed as one line,
    `RESOURCE EVENT DATA_ID`; for a card submission (attachmentActions created) the action is read back and its
    inputs follow (`inputs {...}`): the event carries only the action's id. With --json, each event is one JSON
    object on one line, the action under "action".

    Once the port is open, `listening on http://HOST:PORT/` goes to stderr. Webex must be able to reach the
    webhook's target URL: for real events, put a public tunnel in front of this port; the mock delivers to
    loopback. Needs `pip install 'attachkit[mock]'` (uvicorn and Starlette).

    \b
    Examples:
      attachkit webex listen --port 8000 --secret "$WEBHOOK_SECRET"
      attachkit webex webhook ensure --name cards --target-url http://127.0.0.1:8000/ \\
          --resource attachmentActions --event created --secret "$WEBHOOK_SECRET"
      attachkit webex listen --port 8000 --json | jq -c .action.inputs
    """
    if not secret:
        raise click.UsageError(f"give the webhook's secret with --secret or {SECRET_ENV}")
    state.output.add_secret(secret)
    with _needs_mock_extra(state):
        from ._receiver import serve
    # Built before the port opens: a missing token is an error now, not at the first card submission.
    with state.webex_client() as wx:
        serve(state.output, wx, host=host, port=port, secret=secret, max_events=max_events)
