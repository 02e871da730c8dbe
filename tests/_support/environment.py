"""The TALKDESK_* and WEBEX_* variables as tests use them, named by attachkit's one table (`attachkit._environment`)."""

from __future__ import annotations

from attachkit._environment import TALKDESK, WEBEX
from attachkit.testing import MockServer

# What the mock exports, in order: every variable but the region (the mock gives its URLs outright).
EXPORTED = [name for key, name in TALKDESK.items() if key != "region"] + list(WEBEX.values())


def mock_env(mock: MockServer) -> dict[str, str | None]:
    """Every TALKDESK_* and WEBEX_* variable for ``mock`` (None unsets one the test machine may have set)."""
    env: dict[str, str | None] = dict.fromkeys([*TALKDESK.values(), *WEBEX.values()])
    env.update({TALKDESK[key]: value for key, value in mock.talkdesk_kwargs().items()})
    env.update({WEBEX[key]: value for key, value in mock.webex_kwargs().items()})
    return env
