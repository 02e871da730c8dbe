"""attachkit's API clients send their requests themselves rather than through `httpx.Client.send`: what httpx did
there must still happen. A cookie the API sets (a load balancer's stickiness cookie, say) is sent back on later
requests, as httpx's jar would; one the API never set is never sent. (What httpx logged must not be: see
`test_proxies.check_link_followed`, where no log record holds a storage link's signature.)

A real loopback server, sync and both async backends.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

from attachkit import AsyncWebexClient, WebexClient
from tests.resilience.hostile_servers import ACTION, JsonServer, Reply, Seen

Face = Literal["sync", "aiohttp", "httpx"]
FACES: tuple[Face, ...] = ("sync", "aiohttp", "httpx")


def _webex(seen: Seen) -> Reply:
    if "cookie" in seen.headers:
        return Reply(200, ACTION)
    return Reply(200, ACTION, headers=(("Set-Cookie", "AWSALB=sticky-1; Path=/"),))


@pytest.mark.parametrize("face", FACES)
def test_a_cookie_the_api_sets_is_sent_back(face: Face) -> None:
    with JsonServer(_webex) as server:
        options: dict[str, Any] = {"access_token": "t", "base_url": f"{server.url}/v1", "max_retries": 0}
        if face == "sync":
            with WebexClient(**options) as webex:
                first, second = webex.attachment_actions.get("a"), webex.attachment_actions.get("a")
        else:

            async def calls() -> tuple[Any, Any]:
                async with AsyncWebexClient(**options, backend=face) as webex:
                    return await webex.attachment_actions.get("a"), await webex.attachment_actions.get("a")

            first, second = asyncio.run(calls())
        assert first.id == second.id == "a"
        assert [s.headers.get("cookie") for s in server.seen] == [None, "AWSALB=sticky-1"]
