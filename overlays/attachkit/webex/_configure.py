"""Resolving a Webex client's arguments and `WEBEX_*` variables into settings and a bearer auth (both faces)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .._auth import BearerAuth
from .._clock import Clock
from .._config import Backend, Settings, Timeout, env, make_settings
from .._environment import WEBEX as ENV
from .._retry import RetryPolicy
from .._vendors import WEBEX
from ..errors import ValidationError

DEFAULT_BASE_URL: Final = "https://webexapis.com/v1"


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def configure(
    *,
    access_token: str | None,
    base_url: str | None,
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
        default_headers=default_headers,
        backend=backend,
        proxy=proxy,
        max_response_bytes=max_response_bytes,
        strict_responses=strict_responses,
    )
    return settings, BearerAuth(token)
