"""The mock's configuration: one frozen record, with the documented defaults for local use."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, TypedDict

from ._faults import FaultRule

DEFAULT_ACCOUNT = "attachkit-mock"
DEFAULT_CLIENT_ID = "attachkit-mock-client"
DEFAULT_CLIENT_SECRET = "attachkit-mock-secret"  # noqa: S105 - a documented, local-only default
DEFAULT_WEBEX_TOKEN = "attachkit-mock-webex-token"  # noqa: S105 - a documented, local-only default
MIB = 1024 * 1024
DEFAULT_HISTORY_LIMIT = 10_000
DEFAULT_RECORD_LIMIT = 10_000
MIN_ADMIN_TOKEN = 8  # a shorter token is guessable, and too short for the CLI's output redaction


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
        history_limit: How many requests the history keeps (``mock.state.history``, ``GET /_mock/requests``); the
            oldest are dropped beyond it, and counted (``mock.state.history_dropped``).
        record_limit: How many records of each kind (uploads, attachments, download links, conversations, messages,
            attachment actions, Webex messages, contents, webhooks, idempotency replays, deliveries) the mock keeps;
            beyond it the oldest of that kind is dropped (its bytes on disk with it), and counted
            (``mock.state.dropped_records``). With both limits, memory stays flat over a long run.
        admin_token: The bearer token of the control plane under ``/_mock/`` (never shown in reprs, history or
            logs). A random one by default; ``attachkit mock`` prints it as ``ATTACHKIT_MOCK_ADMIN_TOKEN``.
        storage_dir: Where uploaded bytes are kept; ``None`` means a temporary directory removed on close.
        specs: Spec sources by name (``talkdesk-attachments``, ...), overriding the packaged files.
        faults: Fault rules to install at start, as objects or as spec strings (see ``attachkit.testing``).
        upstreams: The validating proxy: vendor names (``talkdesk``, ``webex``, and ``talkdesk-token`` for the
            Talkdesk token endpoint's full URL) mapped to upstream URLs (``https://webexapis.com/v1``). The API calls
            of a vendor listed here are forwarded to its upstream instead of answered by the mock, and every request
            and answer is checked against the specs; violations go to ``GET /_mock/violations`` and the history.
            Empty (the default): the mock answers everything itself. Never shown in reprs (a URL may carry a
            password).
        record_file: With ``upstreams``: append one JSON line per proxied exchange to this file, secrets redacted
            (a line that still holds a known secret is refused, never written).
        report_file: With ``upstreams``: write the proxy's report (counts and samples of violations per operation)
            to this file as JSON when the mock stops.
        upstream_timeout: With ``upstreams``: how long, in seconds, one upstream call may take (connect, send,
            each read) before the caller gets a 504.
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
    history_limit: int = DEFAULT_HISTORY_LIMIT
    record_limit: int = DEFAULT_RECORD_LIMIT
    admin_token: str = dataclasses.field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    storage_dir: Path | None = None
    specs: Mapping[str, str | Path] = dataclasses.field(default_factory=dict)
    faults: tuple[str | FaultRule, ...] = ()
    upstreams: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False)
    record_file: Path | None = None
    report_file: Path | None = None
    upstream_timeout: float = 30.0

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
        for name in ("history_limit", "record_limit"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if len(self.admin_token) < MIN_ADMIN_TOKEN or not self.admin_token.isprintable() or " " in self.admin_token:
            raise ValueError(f"admin_token must be at least {MIN_ADMIN_TOKEN} printable characters, without spaces")
        if self.upstreams:
            from ._proxy import parse_upstreams  # here: the proxy's imports are heavier than the configuration's

            parse_upstreams(f"{name}={url}" for name, url in self.upstreams.items())  # ValueError names the problem
        if not self.upstream_timeout > 0:
            raise ValueError("upstream_timeout must be positive")
        if not self.upstreams and (self.record_file is not None or self.report_file is not None):
            raise ValueError("record_file and report_file need upstreams (they record what the proxy sees)")

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
    history_limit: int
    record_limit: int
    admin_token: str
    storage_dir: Path | None
    specs: Mapping[str, str | Path]
    upstreams: Mapping[str, str]
    record_file: Path | None
    report_file: Path | None
    upstream_timeout: float


class MockOptions(ConfigOptions, total=False):
    """Keyword overrides of :class:`MockConfig`, for ``MockServer(**options)`` and ``create_app(**options)``."""

    faults: tuple[str | FaultRule, ...]


def build_config(config: MockConfig | None, options: MockOptions) -> MockConfig:
    """Apply keyword overrides to a base configuration (the defaults when there is none)."""
    base = config if config is not None else MockConfig()
    return dataclasses.replace(base, **options) if options else base
