"""A scriptable fake API on httpx.MockTransport, for edge cases a real server will not produce on demand."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient

Handler = Callable[[httpx.Request], httpx.Response]
TOKEN_URL = "http://127.0.0.1/oauth/token"
BASE = "http://127.0.0.1"


class FakeAPI:
    """Routes requests to scripted answers and records every request it sees.

    `script(path_suffix, *responses)` queues answers for requests whose path ends with the suffix; the last
    one repeats. Token requests answer with fresh tokens `tok-1`, `tok-2`, ... unless scripted.
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self._scripts: dict[str, list[Handler | httpx.Response]] = {}
        self.tokens_issued = 0

    def script(self, suffix: str, *responses: httpx.Response | Handler) -> None:
        self._scripts[suffix] = list(responses)

    def count(self, suffix: str) -> int:
        return sum(1 for r in self.requests if r.url.path.endswith(suffix))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # A snapshot: the auth flow resends the same Request object with new headers.
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy(), content=request.content)
        )
        for suffix, queue in self._scripts.items():
            if request.url.path.endswith(suffix):
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                return answer(request) if callable(answer) else _copy(answer)
        if request.url.path == "/oauth/token":
            self.tokens_issued += 1
            return httpx.Response(
                200, json={"access_token": f"tok-{self.tokens_issued}", "token_type": "Bearer", "expires_in": 600}
            )
        return httpx.Response(404, json={"code": "404", "message": f"no script for {request.url.path}"})

    def sent(self, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith(suffix)]

    def body(self, suffix: str, index: int = -1) -> Any:
        return json.loads(self.sent(suffix)[index].content)


def _copy(response: httpx.Response) -> httpx.Response:
    # A Response can be returned once; scripted ones are templates.
    return httpx.Response(response.status_code, headers=response.headers, content=response.content)


def talkdesk(api: FakeAPI, clock: FakeClock | None = None, **kwargs: Any) -> TalkdeskClient:
    return TalkdeskClient(
        client_id="cid",
        client_secret="csecret",
        token_url=TOKEN_URL,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(api)),
        clock=clock or FakeClock(),
        **kwargs,
    )


def async_talkdesk(api: FakeAPI, clock: FakeClock | None = None, **kwargs: Any) -> AsyncTalkdeskClient:
    return AsyncTalkdeskClient(
        client_id="cid",
        client_secret="csecret",
        token_url=TOKEN_URL,
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(api)),
        clock=clock or FakeClock(),
        **kwargs,
    )


def webex(api: FakeAPI, clock: FakeClock | None = None, **kwargs: Any) -> WebexClient:
    return WebexClient(
        access_token="wx-token",
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(api)),
        clock=clock or FakeClock(),
        **kwargs,
    )


def async_webex(api: FakeAPI, clock: FakeClock | None = None, **kwargs: Any) -> AsyncWebexClient:
    return AsyncWebexClient(
        access_token="wx-token",
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(api)),
        clock=clock or FakeClock(),
        **kwargs,
    )


def json_response(status: int, body: Any, headers: Iterable[tuple[str, str]] = ()) -> httpx.Response:
    return httpx.Response(status, json=body, headers=list(headers))


MESSAGE = {"id": "conv-1", "created_at": "2022-01-01T09:00:00.000Z", "message_id": "msg-1"}
ACTION = {
    "id": "act-1",
    "personId": "p",
    "roomId": "r",
    "type": "submit",
    "messageId": "m-1",
    "inputs": {"Name": "Ada"},
    "created": "2016-05-10T19:41:00.100Z",
}
ATTACHMENT = {"id": "att-1", "name": "a.txt", "state": "published", "size": 3, "type": "text/plain"}
