"""What one run carries from the groups to the command: how to print, and how to build each vendor's client."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import click

from ..talkdesk import TalkdeskClient
from ..webex import WebexClient
from ._output import Output


@dataclasses.dataclass
class State:
    """The root group creates it; the `talkdesk` and `webex` groups fill in their client factory.

    Clients are built by the command that needs one, so `--help` and usage errors never need credentials.
    """

    output: Output
    talkdesk: Callable[[], TalkdeskClient] | None = None
    webex: Callable[[], WebexClient] | None = None

    def talkdesk_client(self) -> TalkdeskClient:
        """A new `TalkdeskClient` from the `talkdesk` group's flags and the `TALKDESK_*` variables."""
        if self.talkdesk is None:
            raise RuntimeError("talkdesk_client() outside the talkdesk group")
        return self.talkdesk()

    def webex_client(self) -> WebexClient:
        """A new `WebexClient` from the `webex` group's flags and the `WEBEX_*` variables."""
        if self.webex is None:
            raise RuntimeError("webex_client() outside the webex group")
        return self.webex()


pass_state = click.make_pass_decorator(State)
"""Hand a command the run's `State` as its first argument."""
