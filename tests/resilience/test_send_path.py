"""attachkit's API clients send their requests themselves rather than through `httpx.Client.send`: what httpx did
there must still happen, and what it logged must not.

- A cookie the API sets (a load balancer's stickiness cookie, say) is sent back on later requests, as httpx's jar
  would; one the API never set is never sent.
- No log record, on any logger at any level, holds a storage link's query string (where a pre-signed URL keeps its
  signature): httpx logs every request's whole URL at INFO; attachkit's per-attempt lines redact it.

Real loopback servers, sync and async, both async backends.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, TalkdeskClient, WebexClient
from tests.resilience.hostile_servers import JsonServer, Reply, Seen

Face = Literal["sync", "aiohttp", "httpx"]
FACES: tuple[Face, ...] = ("sync", "aiohttp", "httpx")

ACTION = {
    "id": "a",
    "type": "submit",
    "messageId": "m",
    "inputs": {},
    "personId": "p",
    "roomId": "r",
    "created": "2016-05-10T19:41:00.100Z",
}
SIGNATURE = "s3cret-signature"
CONTENT = b"stored bytes"
ATTACHMENT_ID = uuid.UUID(int=7).hex


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


def _talkdesk(storage: str) -> Any:
    def route(seen: Seen) -> Reply:
        if seen.method == "POST" and seen.path == "/attachments/2023-03/upload-link":
            return Reply(200, {"url": f"{storage}/upload/x?signature={SIGNATURE}", "request_id": "r1"})
        if seen.method == "POST" and seen.path == "/attachments/2023-03":
            base = f"{storage}/attachments/2023-03/{ATTACHMENT_ID}"
            return Reply(
                200,
                {
                    "id": ATTACHMENT_ID,
                    "name": "a.txt",
                    "state": "published",
                    "size": len(CONTENT),
                    "type": "text/plain",
                    "metadata": {},
                    "_links": {"self": {"href": base}, "download_link": {"href": f"{base}/download-link"}},
                },
            )
        if seen.method == "GET" and seen.path == f"/attachments/2023-03/{ATTACHMENT_ID}/download-link":
            return Reply(200, {"url": f"{storage}/download/x?signature={SIGNATURE}", "expire_time": 600})
        if seen.path.startswith(("/upload/", "/download/")):
            return Reply(200, CONTENT if seen.method == "GET" else b"")
        return Reply(404, {"code": "not_found", "message": "not here"})

    return route


@pytest.fixture
def talkdesk() -> Iterator[JsonServer]:
    # One server plays the API and the storage host; the route needs its own URL, so it is bound after start.
    routes: list[Any] = []
    with JsonServer(lambda seen: routes[0](seen)) as server:
        routes.append(_talkdesk(server.url))
        yield server


@pytest.mark.parametrize("face", FACES)
def test_no_log_record_holds_a_storage_links_signature(
    face: Face, talkdesk: JsonServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: httpx, httpcore, aiohttp, attachkit
    options: dict[str, Any] = {"access_token": "t", "base_url": talkdesk.url, "max_retries": 0}
    target = tmp_path / "out.txt"
    if face == "sync":
        with TalkdeskClient(**options) as td:
            td.attachments.upload(CONTENT, name="a.txt")
            td.attachments.download(ATTACHMENT_ID, target)
    else:

        async def calls() -> None:
            async with AsyncTalkdeskClient(**options, backend=face) as td:
                await td.attachments.upload(CONTENT, name="a.txt")
                await td.attachments.download(ATTACHMENT_ID, target)

        asyncio.run(calls())
    assert target.read_bytes() == CONTENT
    stored = [s for s in talkdesk.seen if s.path.startswith(("/upload/", "/download/"))]
    assert [s.method for s in stored] == ["PUT", "GET"]
    assert all(SIGNATURE in s.target for s in stored), "the links were followed whole"
    messages = [record.getMessage() for record in caplog.records]
    assert any("/upload/x" in m for m in messages), "the storage requests were logged"
    assert [m for m in messages if SIGNATURE in m] == []
