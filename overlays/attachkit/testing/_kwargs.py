"""The keyword sets ``MockServer`` hands to the clients, typed key by key.

A ``dict[str, str]`` cannot be unpacked into ``TalkdeskClient(**kwargs)`` under ``mypy --strict`` (mypy would have to
assume any key may reach any parameter, ``timeout`` and ``http_client`` included); a TypedDict names its keys, so
the call type-checks. This module needs no extra, so annotations may use these names without ``attachkit[mock]``.
"""

from __future__ import annotations

from typing import TypedDict


class TalkdeskKwargs(TypedDict):
    """Keyword arguments for ``TalkdeskClient`` / ``AsyncTalkdeskClient`` pointing at a mock."""

    account: str
    client_id: str
    client_secret: str
    base_url: str
    token_url: str


class WebexKwargs(TypedDict):
    """Keyword arguments for ``WebexClient`` / ``AsyncWebexClient`` pointing at a mock."""

    access_token: str
    base_url: str
