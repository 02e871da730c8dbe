"""Receiving a streamed download into a `Sink`: the loop both vendors' downloads share."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from attachkit._async.http import AsyncAPIClient
from attachkit._deadline import STREAMED
from attachkit._error_mapping import connection_error
from attachkit._streams import Progress, Sink, content_length


async def receive(
    client: AsyncAPIClient,
    url: str,
    sink: Sink,
    progress: Progress | None,
    *,
    params: Mapping[str, str] | None = None,
) -> int:
    """GET `url` through `client` and write its body to `sink` as it arrives; returns the bytes written.

    Streamed: each read has the client's per-operation timeout and no overall deadline, so a large file is not
    cut off while a stalled one still ends. `progress(received, total)` follows each chunk (`total` from
    Content-Length, when sent). The caller finishes or aborts the sink.
    """
    written = 0
    async with client.stream("GET", url, params=params, extensions={STREAMED: True}) as response:
        total = content_length(response)
        try:
            async for chunk in response.aiter_bytes():
                sink.file.write(chunk)
                written += len(chunk)
                if progress is not None:
                    progress(written, total)
        except httpx.TransportError as exc:
            raise connection_error(exc, response.request) from exc
    return written
