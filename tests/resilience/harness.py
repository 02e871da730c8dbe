"""What the resilience tests share beyond `tests._support`: the three seed operations (sync and async) with their
prerequisites and how to find what each one stored in the mock, attachkit clients on fresh connection pools (the async
ones on either backend, or over a caller's httpx client), and transports that record what really went over the
socket.

Every client here talks to a real `MockServer` over loopback TCP, with a `FakeClock`, so Retry-After and backoff
waits are recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, Literal

import attrs
import httpx

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient
from attachkit.testing import MockServer
from tests._support.plain_http import start_conversation, unique, upload
from tests._support.waiting import eventually

Mode = Literal["sync", "async"]
Backend = Literal["aiohttp", "httpx"]  # what the async face sends with when it makes its own connections
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # attachkit's own defaults


def run(mode: Mode, sync: Callable[[], Any], make_async: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Call the sync face, or run the async face to completion in a fresh event loop."""
    return sync() if mode == "sync" else asyncio.run(make_async())


def settle(mock: MockServer, deadline: float = 60.0) -> None:
    """Wait until the mock has finished every request it received (a latency fault keeps serving after the
    client gave up)."""
    eventually(
        lambda: sum(mock.state.requests.values()) == len(mock.state.history),
        deadline,
        "the mock did not finish its in-flight requests",
    )


@attrs.define
class SeedCall:
    """One call of a seed operation, with its prerequisites made and the key that finds its record in the mock."""

    operation: str
    key: str  # the attachment name, the message content or the action's messageId
    request_id: str = ""
    conversation_id: str = ""

    @classmethod
    def prepare(cls, operation: str, http: httpx.Client, mock: MockServer, headers: dict[str, str]) -> SeedCall:
        if operation == "create_attachment":
            return cls(operation, unique("file") + ".txt", request_id=upload(http, mock, headers))
        if operation == "send_message":
            return cls(operation, unique("message"), conversation_id=start_conversation(http, mock, headers))
        if operation == "create_attachment_action":
            return cls(operation, unique("card-message"))
        raise ValueError(operation)

    @property
    def vendor(self) -> str:
        return "webex" if self.operation == "create_attachment_action" else "talkdesk"

    def call(self, client: Any, **options: Any) -> Any:
        """Make the call with a sync client."""
        if self.operation == "create_attachment":
            return client.attachments.create(name=self.key, request_id=self.request_id, **options)
        if self.operation == "send_message":
            return client.conversations.send_message(self.conversation_id, content=self.key, **options)
        return client.attachment_actions.create(message_id=self.key, inputs={"Name": "Ada"}, **options)

    async def acall(self, client: Any, **options: Any) -> Any:
        """Make the call with an async client."""
        if self.operation == "create_attachment":
            return await client.attachments.create(name=self.key, request_id=self.request_id, **options)
        if self.operation == "send_message":
            return await client.conversations.send_message(self.conversation_id, content=self.key, **options)
        return await client.attachment_actions.create(message_id=self.key, inputs={"Name": "Ada"}, **options)

    def records(self, mock: MockServer) -> int:
        """How many records this call's key has in the mock."""
        if self.operation == "create_attachment":
            return sum(1 for a in mock.state.attachments.values() if a.name == self.key)
        if self.operation == "send_message":
            return sum(1 for m in mock.state.messages if m.content == self.key)
        return sum(1 for a in mock.state.actions.values() if a.message_id == self.key)


# One TLS context for every client of the suite: building one costs ~30 ms (the CA bundle), and a default attachkit
# client builds its own. The clients still get a fresh connection pool each, through `http_client=`.
TLS = httpx.create_ssl_context()


@contextlib.contextmanager
def sync_client(vendor: str, mock: MockServer, clock: FakeClock, **kwargs: Any) -> Iterator[Any]:
    """A sync client of `vendor` on the mock, over a fresh connection pool."""
    with httpx.Client(transport=httpx.HTTPTransport(verify=TLS, limits=LIMITS)) as pool:
        if vendor == "talkdesk":
            client: Any = TalkdeskClient(**mock.talkdesk_kwargs(), clock=clock, http_client=pool, **kwargs)
        else:
            client = WebexClient(**mock.webex_kwargs(), clock=clock, http_client=pool, **kwargs)
        with client:
            yield client


@contextlib.asynccontextmanager
async def async_client(
    vendor: str, mock: MockServer, clock: FakeClock, backend: Backend | None = None, **kwargs: Any
) -> AsyncIterator[Any]:
    """An async client of `vendor` on the mock, over a fresh connection pool: the client's own, sending with `backend`
    ("aiohttp" or "httpx"), or without one a caller's httpx client (`http_client=`)."""
    if backend is not None:
        if vendor == "talkdesk":
            own: Any = AsyncTalkdeskClient(**mock.talkdesk_kwargs(), clock=clock, backend=backend, **kwargs)
        else:
            own = AsyncWebexClient(**mock.webex_kwargs(), clock=clock, backend=backend, **kwargs)
        async with own:
            yield own
        return
    async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(verify=TLS, limits=LIMITS)) as pool:
        if vendor == "talkdesk":
            client: Any = AsyncTalkdeskClient(**mock.talkdesk_kwargs(), clock=clock, http_client=pool, **kwargs)
        else:
            client = AsyncWebexClient(**mock.webex_kwargs(), clock=clock, http_client=pool, **kwargs)
        async with client:
            yield client


Sent = list[tuple[str, bytes, httpx.Headers]]  # method, raw target, headers of each request


class RecordingTransport(httpx.HTTPTransport):
    """A real socket transport that keeps the raw target and headers of every request it sends (into ``sent``)."""

    def __init__(self, sent: Sent | None = None) -> None:
        super().__init__(verify=TLS)
        self.sent: Sent = [] if sent is None else sent

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.raw_path, request.headers.copy()))
        return super().handle_request(request)


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    """The async twin of :class:`RecordingTransport`; pass a sync one's ``sent`` to keep one record of both."""

    def __init__(self, sent: Sent | None = None) -> None:
        super().__init__(verify=TLS)
        self.sent: Sent = [] if sent is None else sent

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.raw_path, request.headers.copy()))
        return await super().handle_async_request(request)
