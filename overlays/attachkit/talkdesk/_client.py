"""`TalkdeskClient` and `AsyncTalkdeskClient`: configuration, auth, and the two resources."""

from __future__ import annotations

import httpx

from attachkit._generated.talkdesk_attachments import AuthenticatedClient as AttachmentsAPI
from attachkit._generated.talkdesk_digital_connect import AuthenticatedClient as ConnectAPI

from .._auth import BearerAuth, ClientCredentialsAuth
from .._base import AsyncBase, SyncBase, env
from .._clock import Clock
from .._environment import TALKDESK as ENV
from .._http import Settings, check_url, make_settings
from .._retry import RetryPolicy
from .._vendors import TALKDESK
from ..errors import ValidationError
from ._attachments import AsyncAttachments, Attachments
from ._conversations import AsyncConversations, Conversations
from ._regions import check_account, region


def _configure(
    *,
    account: str | None,
    client_id: str | None,
    client_secret: str | None,
    region_name: str | None,
    access_token: str | None,
    base_url: str | None,
    token_url: str | None,
    scope: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    allow_insecure_http: bool,
) -> tuple[Settings, httpx.Auth, str]:
    """Resolve arguments and `TALKDESK_*` variables into settings and an auth flow (shared by both clients)."""
    the_region = region(env(ENV["region"], region_name) or "us")
    base = env(ENV["base_url"], base_url)
    base = the_region.api_base_url if base is None else base
    settings = make_settings(
        vendor=TALKDESK,
        base_url=base,
        timeout=timeout,
        max_retries=max_retries,
        retry=retry,
        clock=clock,
        allow_insecure_http=allow_insecure_http,
    )
    if access_token is not None:
        if not isinstance(access_token, str) or not access_token:
            raise ValidationError("access_token", "must be a non-empty string")
        return settings, BearerAuth(access_token), the_region.name
    client_id = env(ENV["client_id"], client_id)
    client_secret = env(ENV["client_secret"], client_secret)
    if not client_id:
        raise ValidationError("client_id", "is required (or set TALKDESK_CLIENT_ID), unless access_token is given")
    if not client_secret:
        raise ValidationError("client_secret", "is required (or set TALKDESK_CLIENT_SECRET)")
    url = env(ENV["token_url"], token_url)
    if url is None:
        name = env(ENV["account"], account)
        if name is None:
            raise ValidationError("account", "is required (or set TALKDESK_ACCOUNT) to find the token endpoint")
        url = the_region.token_url(check_account(name))
    url = check_url(url, "token_url", allow_insecure_http=allow_insecure_http)
    auth = ClientCredentialsAuth(
        client_id=client_id,
        client_secret=client_secret,
        token_url=url,
        clock=settings.clock,
        timeout=settings.timeout,
        scope=scope,
    )
    return settings, auth, the_region.name


class TalkdeskClient(SyncBase):
    """A client for Talkdesk Attachments and Digital Connect.

    Credentials come from the arguments or, when omitted, from `TALKDESK_ACCOUNT`, `TALKDESK_CLIENT_ID`,
    `TALKDESK_CLIENT_SECRET`, `TALKDESK_REGION`, `TALKDESK_BASE_URL` and `TALKDESK_TOKEN_URL`.

    Args:
        account: the Talkdesk account name; it names the token host (`{account}.talkdeskid.com`).
        client_id, client_secret: OAuth client credentials (HTTP Basic client authentication).
        region: "us" (default), "eu" or "ca": picks the API gateway and token host.
        access_token: a token obtained elsewhere; then no client credentials are needed or refreshed.
        base_url, token_url: override the region's hosts (a proxy, or `attachkit.testing.MockServer`).
        scope: space-separated scopes to ask for; by default the token carries every granted scope.
        timeout: seconds, or an `httpx.Timeout`; default connect 5 s, read/write/pool 30 s.
        max_retries: retries after the first attempt (default 2); see `RetryPolicy` for the rules.
        retry: a whole `RetryPolicy` (backoff, `max_retry_wait`), when `max_retries` is not enough.
        http_client: an `httpx.Client` whose transport (pool, proxies, TLS) to send through; you close it.
        clock: time source for waits and token expiry (tests pass a fake one).
        allow_insecure_http: permit plain `http://` to hosts other than loopback.

    Use it as a context manager, or call `close()`, to release its connection pool.
    """

    def __init__(
        self,
        account: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        region: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        *,
        scope: str | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._settings, auth, self._region = _configure(
            account=account,
            client_id=client_id,
            client_secret=client_secret,
            region_name=region,
            access_token=access_token,
            base_url=base_url,
            token_url=token_url,
            scope=scope,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            clock=clock,
            allow_insecure_http=allow_insecure_http,
        )
        self._allow_insecure_http = allow_insecure_http
        self._connect(auth, http_client)
        self.attachments = Attachments(self, self._bind(AttachmentsAPI))
        self.conversations = Conversations(self, self._bind(ConnectAPI))

    def __repr__(self) -> str:
        return f"TalkdeskClient(region={self._region!r}, base_url={self._settings.base_url!r})"


class AsyncTalkdeskClient(AsyncBase):
    """The async twin of `TalkdeskClient`: the same arguments, every method awaited.

    `http_client`, when given, is an `httpx.AsyncClient`.
    """

    def __init__(
        self,
        account: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        region: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        *,
        scope: str | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._settings, auth, self._region = _configure(
            account=account,
            client_id=client_id,
            client_secret=client_secret,
            region_name=region,
            access_token=access_token,
            base_url=base_url,
            token_url=token_url,
            scope=scope,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            clock=clock,
            allow_insecure_http=allow_insecure_http,
        )
        self._allow_insecure_http = allow_insecure_http
        self._connect(auth, http_client)
        self.attachments = AsyncAttachments(self, self._bind(AttachmentsAPI))
        self.conversations = AsyncConversations(self, self._bind(ConnectAPI))

    def __repr__(self) -> str:
        return f"AsyncTalkdeskClient(region={self._region!r}, base_url={self._settings.base_url!r})"
