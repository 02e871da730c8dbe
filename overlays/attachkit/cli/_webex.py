"""`attachkit webex ...`: submit an Adaptive Card action, and read one back."""

from __future__ import annotations

import functools
import json
import os
from typing import IO, Any

import click

from .._environment import WEBEX as WEBEX_ENV
from ..webex import WebexClient
from ._params import KEY_VALUE, as_dict, json_option
from ._state import State, pass_state


@click.group()
@click.option(
    "--token",
    metavar="TOKEN",
    help="Access token; prefer the variable, which stays out of shell history. [env: WEBEX_ACCESS_TOKEN]",
)
@click.option(
    "--base-url", metavar="URL", help="Override https://webexapis.com/v1, e.g. the mock. [env: WEBEX_BASE_URL]"
)
@pass_state
def webex(state: State, token: str | None, base_url: str | None) -> None:
    """Webex attachment actions (Adaptive Card submissions).

    The token comes from --token or WEBEX_ACCESS_TOKEN (the variable the SDK reads) and is never printed.

    \b
    Examples:
      read -rs WEBEX_ACCESS_TOKEN && export WEBEX_ACCESS_TOKEN
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada
      attachkit webex action get "$ACTION_ID"
    """
    state.output.add_secret(token)
    state.output.add_secret(os.environ.get(WEBEX_ENV["access_token"]))
    # None means "not given": the SDK then reads the variable, so there is one source of truth.
    state.webex = functools.partial(WebexClient, access_token=token, base_url=base_url)


@webex.group()
def action() -> None:
    """Submit a card action, or read one.

    \b
    Examples:
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada --input Rating=5
      attachkit webex action get "$ACTION_ID" --json
    """


def _inputs(pairs: tuple[tuple[str, str], ...], inputs_json: IO[str] | None) -> dict[str, Any]:
    """The card inputs from exactly one of `--input` or `--inputs-json`."""
    if pairs and inputs_json is not None:
        raise click.UsageError("give the inputs with --input or with --inputs-json, not both")
    if inputs_json is None:
        if not pairs:
            raise click.UsageError("give the card's inputs with --input KEY=VALUE or --inputs-json FILE")
        return as_dict(pairs)
    try:
        data = json.load(inputs_json)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="'--inputs-json'") from exc
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object of input ids to values", param_hint="'--inputs-json'")
    return data


@action.command()
@click.argument("message_id")
@click.option("--input", "pairs", multiple=True, type=KEY_VALUE, help="A card input (a string value); repeat for more.")
@click.option(
    "--inputs-json",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="The inputs as one JSON object, from FILE or `-` for stdin (for values that are not strings).",
)
@json_option
@pass_state
def create(state: State, message_id: str, pairs: tuple[tuple[str, str], ...], inputs_json: IO[str] | None) -> None:
    """Submit a card action on the message MESSAGE_ID and print the action.

    \b
    Examples:
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada --input Rating=5
      echo '{"Name": "Ada", "Agree": true}' | attachkit webex action create "$MESSAGE_ID" --inputs-json -
    """
    inputs = _inputs(pairs, inputs_json)
    with state.webex_client() as wx:
        created = wx.attachment_actions.create(message_id=message_id, inputs=inputs)
    # A 204 carries no action: say so rather than print nothing.
    state.output.result(created.to_dict() if created is not None else {"accepted": True, "action": None})


@action.command()
@click.argument("action_id", metavar="ID")
@json_option
@pass_state
def get(state: State, action_id: str) -> None:
    """Print the card action ID: who submitted it, on which message, and its inputs.

    \b
    Examples:
      attachkit webex action get "$ACTION_ID"
      attachkit webex action get "$ACTION_ID" --json | jq .inputs
    """
    with state.webex_client() as wx:
        found = wx.attachment_actions.get(action_id)
    state.output.result(found.to_dict())
