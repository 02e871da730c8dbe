"""Resolving a Talkdesk client's arguments and `TALKDESK_*` variables into settings and credentials.

Shared by both faces; each face turns `Credentials` into its own client-credentials auth flow.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._auth import BearerAuth
from .._clock import Clock
from .._config import Backend, Settings, Timeout, check_url, env, make_settings
from .._environment import TALKDESK as ENV
from .._retry import RetryPolicy
from .._vendors import TALKDESK
from ..errors import ValidationError
from ._regions import RegionName, check_account, region


@attrs.frozen
class Credentials:
    """OAuth client credentials and where to exchange them for tokens."""

    client_id: str
    client_secret: str = attrs.field(repr=False)
    token_url: str
    scope: str | None


def configure(
    *,
    account: str | None,
    client_id: str | None,
    client_secret: str | None,
    region_name: str | None,
    access_token: str | None,
    base_url: str | None,
    token_url: str | None,
    scope: str | None,
    timeout: Timeout,
    max_retries: int | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    allow_insecure_http: bool,
    default_headers: Mapping[str, str] | None,
    backend: Backend | None,
    proxy: str | None,
    max_response_bytes: int | None,
    strict_responses: bool,
) -> tuple[Settings, BearerAuth | Credentials, RegionName]:
    """Resolve arguments and `TALKDESK_*` variables into settings, the auth to use, and the region."""
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
        default_headers=default_headers,
        backend=backend,
        proxy=proxy,
        max_response_bytes=max_response_bytes,
        strict_responses=strict_responses,
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
    return settings, Credentials(client_id, client_secret, url, scope), the_region.name
