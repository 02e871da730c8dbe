"""`WebexClient` and `AsyncWebexClient`: configuration, auth, and the attachment-actions resource."""

from __future__ import annotations

from typing import Final

import httpx

from attachkit._generated.webex_attachment_actions import AuthenticatedClient as ActionsAPI

from .._auth import BearerAuth
from .._base import AsyncBase, SyncBase, env
from .._clock import Clock
from .._environment import WEBEX as ENV
from .._http import Settings, make_settings
from .._retry import RetryPolicy
from .._vendors import WEBEX
from ..errors import ValidationError
from ._attachment_actions import AsyncAttachmentActions, AttachmentActions

DEFAULT_BASE_URL: Final = "https://webexapis.com/v1"


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def _configure(
    *,
    access_token: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    allow_insecure_http: bool,
) -> tuple[Settings, BearerAuth]:
    token = env(ENV["access_token"], access_token)
    if not token or not isinstance(token, str):
        raise ValidationError("access_token", "is required: pass access_token= or set WEBEX_ACCESS_TOKEN")
    settings = make_settings(
        vendor=WEBEX,
        base_url=_or(env(ENV["base_url"], base_url), DEFAULT_BASE_URL),
        timeout=timeout,
        max_retries=max_retries,
        retry=retry,
        clock=clock,
        allow_insecure_http=allow_insecure_http,
    )
    return settings, BearerAuth(token)


class WebexClient(SyncBase):
    """A client for Webex attachment actions (Adaptive Card submissions).

    Args:
        access_token: a bot, integration or personal access token; default `WEBEX_ACCESS_TOKEN`.
        base_url: default `WEBEX_BASE_URL`, else `https://webexapis.com/v1`.
        timeout, max_retries, retry, http_client, clock, allow_insecure_http: as for `TalkdeskClient`.

    Use it as a context manager, or call `close()`, to release its connection pool.
    """

    def __init__(
        self,
        access_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        *,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._settings, auth = _configure(
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            clock=clock,
            allow_insecure_http=allow_insecure_http,
        )
        self._connect(auth, http_client)
        self.attachment_actions = AttachmentActions(self, self._bind(ActionsAPI))

    def __repr__(self) -> str:
        return f"WebexClient(base_url={self._settings.base_url!r})"


class AsyncWebexClient(AsyncBase):
    """The async twin of `WebexClient`: the same arguments, every method awaited.

    `http_client`, when given, is an `httpx.AsyncClient`.
    """

    def __init__(
        self,
        access_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        *,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._settings, auth = _configure(
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            clock=clock,
            allow_insecure_http=allow_insecure_http,
        )
        self._connect(auth, http_client)
        self.attachment_actions = AsyncAttachmentActions(self, self._bind(ActionsAPI))

    def __repr__(self) -> str:
        return f"AsyncWebexClient(base_url={self._settings.base_url!r})"
