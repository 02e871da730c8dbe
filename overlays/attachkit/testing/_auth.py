"""Authentication: the Talkdesk client-credentials token endpoint, bearer tokens and per-operation scopes.

The scopes an operation needs are read from its spec's ``security``; nothing here names an operation.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import secrets
import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote_plus

from ._clock import Clock
from ._config import MockConfig
from ._contract import Operation
from ._dialects import Problem

REALM = 'realm="attachkit-mock"'


@dataclasses.dataclass(frozen=True)
class Token:
    """What an access token grants: the vendor it is for, its scopes, and when it stops working."""

    audience: str
    scopes: frozenset[str]
    expires_at: float | None


class TokenStore:
    """Issued and configured access tokens. Tokens are opaque random strings, never logged."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def register(self, value: str, audience: str, scopes: frozenset[str] = frozenset()) -> None:
        """Accept a fixed, non-expiring token (the configured Webex token)."""
        with self._lock:
            self._tokens[value] = Token(audience, scopes, None)

    def issue(self, audience: str, scopes: frozenset[str], lifetime: int) -> str:
        """Create a token that expires ``lifetime`` seconds from now (mock time)."""
        value = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[value] = Token(audience, scopes, self._clock.now() + lifetime)
        return value

    def lookup(self, value: str) -> Token | None:
        """The token's grant, or None when the mock never issued it."""
        with self._lock:
            return self._tokens.get(value)

    def expire_all(self) -> int:
        """Make every expiring token expire now; returns how many were still valid."""
        now = self._clock.now()
        with self._lock:
            live = {k: t for k, t in self._tokens.items() if t.expires_at is not None and t.expires_at > now}
            for key, token in live.items():
                self._tokens[key] = dataclasses.replace(token, expires_at=now)
            return len(live)

    def __repr__(self) -> str:
        return f"TokenStore(tokens={len(self._tokens)})"


def _unauthorized(description: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Unauthorized",
        description=description,
        headers={"WWW-Authenticate": f'Bearer {REALM}, error="invalid_token"'},
    )


def authorize(op: Operation, authorization: str | None, tokens: TokenStore, clock: Clock) -> Problem | None:
    """Check a request's bearer token against what the operation's spec asks for.

    401 for a missing, unknown, wrong-vendor or expired token; 403 for a valid token without the scopes.
    """
    if not op.security:
        return None
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return _unauthorized("a bearer token is required")
    token = tokens.lookup(value)
    if token is None or token.audience != op.vendor.name:
        return _unauthorized("the token is not valid")
    if token.expires_at is not None and token.expires_at <= clock.now():
        return _unauthorized("the token has expired")
    missing: frozenset[str] = frozenset()
    for requirement in op.security:
        lacking = frozenset().union(*(need.scopes - token.scopes for need in requirement if need.kind == "oauth2"))
        if not lacking:
            return None
        missing = missing or lacking
    scopes = " ".join(sorted(missing))
    return Problem(
        403,
        "forbidden",
        "Forbidden",
        description=f"the token lacks the scope(s): {scopes}",
        headers={"WWW-Authenticate": f'Bearer {REALM}, error="insufficient_scope", scope="{scopes}"'},
    )


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return None
    # RFC 6749 2.3.1: id and secret are form-urlencoded before being base64-encoded.
    return unquote_plus(client_id), unquote_plus(secret)


def _oauth(status: int, error: str, description: str, headers: Mapping[str, str] | None = None) -> Problem:
    return Problem(status, error, error, description=description, headers=dict(headers or {}))


def issue_token(
    body: bytes,
    content_type: str,
    authorization: str | None,
    config: MockConfig,
    grantable: frozenset[str],
    tokens: TokenStore,
    audience: str,
) -> dict[str, object] | Problem:
    """Answer ``POST /oauth/token`` (client credentials, HTTP Basic client authentication, form body).

    Returns the token response body, or a Problem in the OAuth error vocabulary.
    """
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return _oauth(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        return _oauth(400, "invalid_request", "the form body cannot be parsed")
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:
            return _oauth(400, "invalid_request", f"parameter {key!r} is repeated")
        form[key] = value
    credentials = _basic_credentials(authorization)
    if credentials is None:
        return _oauth(
            401,
            "invalid_client",
            "HTTP Basic client authentication is required",
            {"WWW-Authenticate": f"Basic {REALM}"},
        )
    client_id, secret = credentials
    known = secrets.compare_digest(client_id.encode(), config.client_id.encode())
    if not (known & secrets.compare_digest(secret.encode(), config.client_secret.encode())):
        return _oauth(401, "invalid_client", "client authentication failed", {"WWW-Authenticate": f"Basic {REALM}"})
    grant_type = form.get("grant_type")
    if not grant_type:
        return _oauth(400, "invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        return _oauth(400, "unsupported_grant_type", "only client_credentials is supported")
    allowed = config.client_scopes if config.client_scopes is not None else grantable
    requested = frozenset(form.get("scope", "").split())
    if requested - allowed:
        return _oauth(400, "invalid_scope", f"not granted to this client: {' '.join(sorted(requested - allowed))}")
    granted = requested or allowed
    return {
        "access_token": tokens.issue(audience, granted, config.token_expires_in),
        "token_type": "Bearer",
        "expires_in": config.token_expires_in,
        "scope": " ".join(sorted(granted)),
    }
