"""A call leaves no reference cycle behind, so its objects are freed when dropped, not by the cyclic collector.

httpx binds each response's stream to the response (a cycle); attachkit lets go of the stream once the answer is
read whole. Without that, every call left a few dozen objects for the collector, which then ran every few calls
(the bench saw it in the CPU per call). Over real loopback sockets to the mock, sync and async, both backends.
The mock runs in this process, so only the client side's objects are counted.
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, TalkdeskClient, WebexClient
from attachkit.testing import MockServer

CLIENT_SIDE = ("attachkit.", "httpx", "httpcore", "aiohttp", "h11", "yarl", "multidict")
CALLS = 20


def _client_side(obj: object) -> bool:
    module = type(obj).__module__
    return module.startswith(CLIENT_SIDE) and not module.startswith("attachkit.testing")


@contextmanager
def cyclic_garbage() -> Iterator[Counter[str]]:
    """The client-side objects that only the cyclic collector could free, by type, left by the block."""
    found: Counter[str] = Counter()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect()
        found.update(type(obj).__qualname__ for obj in gc.garbage if _client_side(obj))
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()


def _calls(webex: Callable[[], object], talkdesk: Callable[[], object]) -> None:
    for _ in range(CALLS):
        webex()
        talkdesk()


def test_sync_calls_leave_no_cycles(mock: MockServer) -> None:
    with WebexClient(**mock.webex_kwargs()) as wx, TalkdeskClient(**mock.talkdesk_kwargs()) as td:
        action = wx.attachment_actions.create(message_id="m-1", inputs={"Name": "Ada"})
        assert action is not None  # the mock answers 200 with the activity
        conversation = td.conversations.start(touchpoint_id="tp-1", contact_person={"name": "Ada"})
        _calls(lambda: None, lambda: None)  # warm: tokens fetched, connections open
        with cyclic_garbage() as left:
            _calls(
                lambda: wx.attachment_actions.get(action.id),
                lambda: td.conversations.send_message(conversation.id, content="hello"),
            )
        assert left == Counter()


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
def test_async_calls_leave_no_cycles(mock: MockServer, backend: Literal["aiohttp", "httpx"]) -> None:
    async def main() -> Counter[str]:
        async with (
            AsyncWebexClient(**mock.webex_kwargs(), backend=backend) as wx,
            AsyncTalkdeskClient(**mock.talkdesk_kwargs(), backend=backend) as td,
        ):
            action = await wx.attachment_actions.create(message_id="m-1", inputs={"Name": "Ada"})
            assert action is not None
            conversation = await td.conversations.start(touchpoint_id="tp-1", contact_person={"name": "Ada"})
            await wx.attachment_actions.get(action.id)  # warm: tokens fetched, connections open
            with cyclic_garbage() as left:
                for _ in range(CALLS):
                    await wx.attachment_actions.get(action.id)
                    await td.conversations.send_message(conversation.id, content="hello")
            return left

    assert asyncio.run(main()) == Counter()
