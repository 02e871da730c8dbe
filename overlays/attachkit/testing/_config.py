"""The mock's configuration: one frozen record, with the documented defaults for local use."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, TypedDict

from ._faults import FaultRule

DEFAULT_ACCOUNT = "attachkit-mock"
DEFAULT_CLIENT_ID = "attachkit-mock-client"
DEFAULT_CLIENT_SECRET = "attachkit-mock-secret"  # noqa: S105 - a documented, local-only default
DEFAULT_WEBEX_TOKEN = "attachkit-mock-webex-token"  # noqa: S105 - a documented, local-only default
MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True, kw_only=True)
class MockConfig:
    """How a mock instance behaves. Every field has a default that works for local use.

    Attributes:
        account: The Talkdesk account name the mock pretends to be.
        client_id: The Talkdesk OAuth client id the token endpoint accepts.
        client_secret: Its secret (never shown in reprs).
        client_scopes: The scopes the client may ask for; ``None`` means every scope the Talkdesk specs declare.
        webex_token: The Webex bearer token the mock accepts (never shown in reprs).
        token_expires_in: Lifetime of issued Talkdesk access tokens, in seconds.
        download_expire_time: Lifetime of attachment download links, in seconds.
        webex_create_status: The success status of Webex "create attachment action" (200, or 202).
        touchpoints: Touchpoint ids Digital Connect knows; ``None`` accepts any (an unknown one is a 404).
        validate_responses: Check every response against the spec and record violations.
        strict_responses: Also answer 500 instead of a response that violates the spec (implies validation).
        max_body_bytes: The largest API request body accepted (413 above it).
        max_upload_bytes: The largest upload accepted by the storage endpoint (413 above it).
        enforce_mime_types: Refuse (403) an upload whose Content-Type is not among the link's
            ``allowed_mime_types``. Off by default: Talkdesk does not document whether its links enforce them.
        webex_scan_seconds: How long, in seconds of the mock's clock, a file posted with a Webex message is
            "being scanned for malware" after it was posted: its download answers 423 with ``Retry-After``
            meanwhile. 0 (the default) means the scan is over at once.
        webhook_failure_limit: After this many consecutive failed deliveries (no connection, a timeout or a non-2xx
            answer) a Webex webhook becomes ``inactive``. Webex documents that it deactivates a webhook after
            repeated failures but gives no number: 5 is the mock's choice.
        webhook_timeout: How long, in seconds, one webhook delivery may take (connect to answer) before it counts as
            failed.
        storage_dir: Where uploaded bytes are kept; ``None`` means a temporary directory removed on close.
        specs: Spec sources by name (``talkdesk-attachments``, ...), overriding the packaged files.
        faults: Fault rules to install at start, as objects or as spec strings (see ``attachkit.testing``).
    """

    account: str = DEFAULT_ACCOUNT
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = dataclasses.field(default=DEFAULT_CLIENT_SECRET, repr=False)
    client_scopes: frozenset[str] | None = None
    webex_token: str = dataclasses.field(default=DEFAULT_WEBEX_TOKEN, repr=False)
    token_expires_in: int = 600
    download_expire_time: int = 600
    webex_create_status: Literal[200, 202] = 200
    touchpoints: frozenset[str] | None = None
    validate_responses: bool = False
    strict_responses: bool = False
    max_body_bytes: int = MIB
    max_upload_bytes: int = 1024 * MIB
    enforce_mime_types: bool = False
    webex_scan_seconds: float = 0.0
    webhook_failure_limit: int = 5
    webhook_timeout: float = 10.0
    storage_dir: Path | None = None
    specs: Mapping[str, str | Path] = dataclasses.field(default_factory=dict)
    faults: tuple[str | FaultRule, ...] = ()

    def __post_init__(self) -> None:
        if self.webex_create_status not in (200, 202):
            raise ValueError("webex_create_status must be 200 or 202")
        for name in ("token_expires_in", "download_expire_time", "max_body_bytes", "max_upload_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if not self.webex_scan_seconds >= 0:  # also refuses NaN
            raise ValueError("webex_scan_seconds cannot be negative")
        if self.webhook_failure_limit < 1:
            raise ValueError("webhook_failure_limit must be at least 1")
        if not self.webhook_timeout > 0:
            raise ValueError("webhook_timeout must be positive")

    @property
    def validates_responses(self) -> bool:
        """Whether responses are checked against the spec (strict mode implies it)."""
        return self.validate_responses or self.strict_responses


class ConfigOptions(TypedDict, total=False):
    """Keyword overrides of :class:`MockConfig`, except ``faults`` (which :func:`serve` takes on its own)."""

    account: str
    client_id: str
    client_secret: str
    client_scopes: frozenset[str] | None
    webex_token: str
    token_expires_in: int
    download_expire_time: int
    webex_create_status: Literal[200, 202]
    touchpoints: frozenset[str] | None
    validate_responses: bool
    strict_responses: bool
    max_body_bytes: int
    max_upload_bytes: int
    enforce_mime_types: bool
    webex_scan_seconds: float
    webhook_failure_limit: int
    webhook_timeout: float
    storage_dir: Path | None
    specs: Mapping[str, str | Path]


class MockOptions(ConfigOptions, total=False):
    """Keyword overrides of :class:`MockConfig`, for ``MockServer(**options)`` and ``create_app(**options)``."""

    faults: tuple[str | FaultRule, ...]


def build_config(config: MockConfig | None, options: MockOptions) -> MockConfig:
    """Apply keyword overrides to a base configuration (the defaults when there is none)."""
    base = config if config is not None else MockConfig()
    return dataclasses.replace(base, **options) if options else base
