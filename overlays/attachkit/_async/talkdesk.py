"""`AsyncTalkdeskClient`: configuration, auth, and the two resources."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from attachkit._async.auth import AsyncClientCredentialsAuth
from attachkit._async.base import AsyncClientBase
from attachkit._async.http import AsyncSession, connect
from attachkit._async.talkdesk_attachments import AsyncAttachments, AsyncAttachmentsWithRawResponse
from attachkit._async.talkdesk_conversations import AsyncConversations, AsyncConversationsWithRawResponse
from attachkit._clock import Clock
from attachkit._config import Backend, Timeout
from attachkit._generated.talkdesk_attachments import AuthenticatedClient as AttachmentsAPI
from attachkit._generated.talkdesk_digital_connect import AuthenticatedClient as ConnectAPI
from attachkit._retry import RetryPolicy
from attachkit.talkdesk._configure import Credentials, configure
from attachkit.talkdesk._regions import RegionName


class AsyncTalkdeskClient(AsyncClientBase):
    """A client for Talkdesk Attachments and Digital Connect.

    Credentials come from the arguments or, when omitted, from `TALKDESK_ACCOUNT`, `TALKDESK_CLIENT_ID`,
    `TALKDESK_CLIENT_SECRET`, `TALKDESK_REGION`, `TALKDESK_BASE_URL` and `TALKDESK_TOKEN_URL`.

    Args:
        account: the Talkdesk account name; it names the token host (`{account}.talkdeskid.com`).
        client_id: the OAuth client id (HTTP Basic client authentication).
        client_secret: the OAuth client secret; prefer `TALKDESK_CLIENT_SECRET`, which stays out of code.
        region: "us" (default), "eu" or "ca": picks the API gateway and token host.
        access_token: a token obtained elsewhere; then no client credentials are needed or refreshed.
        base_url: overrides the region's API gateway (a proxy, or `attachkit.testing.MockServer`).
        token_url: overrides the region's token endpoint.
        scope: space-separated scopes to ask for; by default the token carries every granted scope.
        timeout: seconds, or an `httpx.Timeout`; default connect 5 s, read/write/pool 30 s. The read timeout
            (the number, when a number is given) bounds each attempt as a whole: connecting, sending, waiting
            and reading the answer. Streamed uploads and downloads are bounded per read and write instead.
        max_retries: retries after the first attempt (default 2); see `RetryPolicy` for the rules.
        retry: a whole `RetryPolicy` (backoff, `max_retry_wait`), when `max_retries` is not enough.
        http_client: an `httpx.AsyncClient` to send through, honoured whole (its proxies, mounts, TLS, headers
            and event hooks), with attachkit's auth, retries, caps and errors on top; you close it.
        default_headers: headers sent with every API request (not with pre-signed storage links). Headers
            attachkit sets itself (Authorization, the idempotency key, Content-Type, ...) cannot be set here:
            a `ValidationError` names the header and says which argument to use instead.
        backend: the HTTP library of the awaitable client: "aiohttp" (the default when `attachkit[aiohttp]`
            is installed: several times less CPU per call) or "httpx"; the blocking client always uses httpx.
        proxy: a proxy URL for every request (`http://user:pass@proxy:3128`); by default `HTTPS_PROXY`,
            `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` from the environment are followed.
        max_response_bytes: the largest API answer accepted, counted after decompression (default 8 MiB);
            a larger one raises `ResponseTooLargeError`. Downloads are streamed and not capped.
        strict_responses: every success body is checked against the spec. A wrong type or a missing required
            field always raises `UnexpectedResponseError` naming the field; constraints a real server may bend
            (lengths, formats, enums that grow) are warnings on the `attachkit` logger, or errors with this on.
        clock: time source for waits and token expiry (tests pass a fake one).
        allow_insecure_http: permit plain `http://` to hosts other than loopback.

    Use it as a context manager, or call `close()`, to release its connection pool.
    """

    def __init__(
        self,
        account: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        region: RegionName | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        *,
        scope: str | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
        default_headers: Mapping[str, str] | None = None,
        backend: Backend | None = None,
        proxy: str | None = None,
        max_response_bytes: int | None = None,
        strict_responses: bool = False,
    ) -> None:
        settings, auth, self._region = configure(
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
            default_headers=default_headers,
            backend=backend,
            proxy=proxy,
            max_response_bytes=max_response_bytes,
            strict_responses=strict_responses,
        )
        flow: httpx.Auth = (
            AsyncClientCredentialsAuth(
                client_id=auth.client_id,
                client_secret=auth.client_secret,
                token_url=auth.token_url,
                clock=settings.clock,
                timeout=settings.timeout,
                scope=auth.scope,
            )
            if isinstance(auth, Credentials)
            else auth
        )
        self._bind(connect(settings, flow, http_client))

    def _bind(self, session: AsyncSession) -> None:
        self._session = session
        base = session.settings.base_url
        self._attachments = AsyncAttachments(
            session, AttachmentsAPI(base_url=base, token="").set_async_httpx_client(session.api)
        )
        self._conversations = AsyncConversations(
            session, ConnectAPI(base_url=base, token="").set_async_httpx_client(session.api)
        )

    @property
    def attachments(self) -> AsyncAttachments:
        """`AsyncAttachments`: upload, create, get, download links and downloads (Talkdesk Attachments)."""
        return self._attachments

    @property
    def conversations(self) -> AsyncConversations:
        """`AsyncConversations`: start conversations and send messages with attachments (Digital Connect)."""
        return self._conversations

    @property
    def with_raw_response(self) -> AsyncTalkdeskClientWithRawResponse:
        """The same resources, each method returning a `RawResponse`: status, headers, tracking id, `.parse()`."""
        return AsyncTalkdeskClientWithRawResponse(self)

    @property
    def region(self) -> RegionName:
        """The region whose hosts the client uses by default."""
        return self._region

    def __repr__(self) -> str:
        return f"{type(self).__name__}(region={self._region!r}, base_url={self._session.settings.base_url!r})"


class AsyncTalkdeskClientWithRawResponse:
    """`client.with_raw_response`: the client's resources, each method returning a `RawResponse`."""

    def __init__(self, client: AsyncTalkdeskClient) -> None:
        self.attachments = AsyncAttachmentsWithRawResponse(client.attachments)
        self.conversations = AsyncConversationsWithRawResponse(client.conversations)
