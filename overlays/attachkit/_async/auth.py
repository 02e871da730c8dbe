"""The Talkdesk client-credentials auth flow, with caching, refresh on 401 and single-flight refresh.

It fetches a token from the Talkdesk token endpoint (HTTP Basic client authentication, form body),
caches it until shortly before `expires_in`, and on a 401 refreshes once and resends the request.
Refreshing is single-flight: concurrent requests that find the token stale wait for one token request
instead of each making their own. The token request goes through the same transport as API requests,
so it is retried and logged the same way.
"""

from __future__ import annotations

import httpx

from attachkit._auth import TokenCache
from attachkit._clock import Clock
from attachkit._faces import AsyncAuthFlow, AsyncLock


class AsyncClientCredentialsAuth(httpx.Auth):
    """OAuth 2.0 client credentials for Talkdesk, with caching, refresh on 401 and single-flight refresh."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        token_url: str,
        clock: Clock,
        timeout: httpx.Timeout,
        scope: str | None = None,
    ) -> None:
        self._cache = TokenCache(client_id, client_secret, token_url, scope, clock, timeout)
        self._lock = AsyncLock()

    @property
    def token_url(self) -> str:
        """Where tokens are requested."""
        return self._cache.token_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self._cache.client_id!r}, token_url={self._cache.token_url!r})"

    # httpx reads response bodies for `requires_response_body` only in the default flows; this flow reads
    # the token responses itself.

    async def async_auth_flow(self, request: httpx.Request) -> AsyncAuthFlow:
        async with self._lock:
            token = self._cache.current()
            if token is None:
                token_response = yield self._cache.token_request()
                await token_response.aread()
                token = self._cache.accept(token_response)
            generation = self._cache.generation
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        await response.aread()
        async with self._lock:
            self._cache.invalidate(generation)
            token = self._cache.current()
            if token is None:
                token_response = yield self._cache.token_request()
                await token_response.aread()
                token = self._cache.accept(token_response)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request
