"""Authentication, the parts both faces share: the Talkdesk token cache, and static bearer tokens.

The client-credentials auth flows themselves (`attachkit._async.auth`, and the sync face generated from
it) ask `TokenCache` what to request and what to keep from the answer.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Final

import httpx

from ._clock import Clock
from ._error_mapping import error_from_response
from ._retry import IDEMPOTENT_EXTENSION
from ._vendors import TALKDESK_OAUTH
from .errors import UnexpectedResponseError

_DEFAULT_LIFETIME: Final = 600.0  # Talkdesk documents ten minutes; used only when `expires_in` is missing


class TokenCache:
    """The sync/async-neutral part: what to ask for, and what to keep from the answer."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        scope: str | None,
        clock: Clock,
        timeout: httpx.Timeout,
    ) -> None:
        self._basic = httpx.BasicAuth(client_id, client_secret)
        self._timeout = timeout
        self.client_id = client_id
        self.token_url = token_url
        self._scope = scope
        self._clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0
        self.generation = 0  # bumps on every new token; lets a 401 tell whether someone refreshed already

    def current(self) -> str | None:
        """The cached token while it is fresh, else None."""
        if self._token is not None and self._clock.monotonic() < self._refresh_at:
            return self._token
        return None

    def invalidate(self, generation: int) -> None:
        """Forget the token that got a 401, unless it was replaced since."""
        if generation == self.generation:
            self._token = None

    def token_request(self) -> httpx.Request:
        data = {"grant_type": "client_credentials"}
        if self._scope:
            data["scope"] = self._scope
        request = httpx.Request(
            "POST",
            self.token_url,
            data=data,
            headers={"Accept": "application/json"},
            # Built here rather than by the client, so give it the client's timeout; asking twice for a
            # token is harmless, so it may be retried like a GET.
            extensions={"timeout": self._timeout.as_dict(), IDEMPOTENT_EXTENSION: True},
        )
        # Apply HTTP Basic client authentication without keeping the header anywhere but the request.
        return next(self._basic.auth_flow(request))

    def accept(self, response: httpx.Response) -> str:
        """Keep the token from a token-endpoint response, or raise the typed error it amounts to."""
        if response.status_code != 200:
            raise error_from_response(TALKDESK_OAUTH, response, now=self._clock.time())
        try:
            data = response.json()
            token = data["access_token"]
            lifetime = float(data.get("expires_in", _DEFAULT_LIFETIME))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise UnexpectedResponseError(
                status_code=response.status_code,
                vendor=TALKDESK_OAUTH.name,
                message="the token endpoint's answer has no usable access_token/expires_in",
                headers=response.headers,
                method="POST",
                url=self.token_url,
            ) from None
        if not isinstance(token, str) or not token:
            raise UnexpectedResponseError(
                status_code=response.status_code,
                vendor=TALKDESK_OAUTH.name,
                message="the token endpoint returned an empty access_token",
                method="POST",
                url=self.token_url,
            )
        if not math.isfinite(lifetime):  # "nan" or "inf" would keep a token for ever, or never
            lifetime = _DEFAULT_LIFETIME
        # Refresh a little early so a token does not expire in flight: 10% of its life, at most 30 s.
        margin = min(30.0, lifetime * 0.1)
        self._token = token
        self._refresh_at = self._clock.monotonic() + max(0.0, lifetime - margin)
        self.generation += 1
        return token


class BearerAuth(httpx.Auth):
    """A fixed bearer token (Webex tokens, or a Talkdesk token obtained elsewhere)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(token=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
