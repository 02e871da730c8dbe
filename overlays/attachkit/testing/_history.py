"""What the request history keeps of an exchange: headers and text bodies, with secrets redacted, bodies capped.

Redaction happens when a request is recorded, so a secret never sits in the history, its reprs or the control
plane's answers. What counts as a secret (the choice is the mock's; see docs/guides/mock.md):

- the values of ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Api-Key`` and
  ``X-Spark-Signature`` (an HMAC of the body: not a key, but it lets whoever holds it test guesses of the
  webhook's secret offline), with the scheme kept (``Bearer ***``);
- in JSON and form bodies, the values of the keys in :data:`SECRET_KEYS` (tokens, client secrets, webhook
  secrets, passwords), whatever their case;
- the token in a storage link (``/storage/uploads/<token>``): a pre-signed URL is a credential;
- anywhere at all, the literal values of the configured secrets (client secret, Webex token, admin token).

Not secrets, and kept: ``Idempotency-Key`` (it identifies a request, it grants nothing), ids, tracking ids.
Bodies are kept as text when their media type is text (JSON, a form, XML, ``text/*``); a binary body (an upload,
a downloaded file, a multipart message) is kept as its size only. Text is cut at :data:`HISTORY_BODY_CHARS`
characters after redaction, so a cut never leaves half a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ._state import Captured

HISTORY_BODY_CHARS = 4096
REDACTED = "***"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-spark-signature"}
)
SECRET_KEYS = (
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "client_assertion",
    "assertion",
    "secret",
    "password",
    "admin_token",
)
_KEYS = "|".join(re.escape(key) for key in SECRET_KEYS)
# A JSON member whose key is a secret's: its string value (escapes included) is replaced.
_JSON_MEMBER = re.compile(rf'("(?:{_KEYS})"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE)
# A form field (or query parameter) whose name is a secret's.
_FORM_FIELD = re.compile(rf"(^|[&?])((?:{_KEYS})=)[^&#]*", re.IGNORECASE)
_STORAGE_LINK = re.compile(r"(/storage/(?:uploads|downloads)/)[^\"'\s?#&/\\<]+")
_TEXT_MEDIA = re.compile(r"^(?:text/.*|application/(?:[\w.+-]*\+)?(?:json|xml)|application/x-www-form-urlencoded)$")
_MIN_SECRET = 4  # shorter literals would redact innocent text


class Redactor:
    """Redacts one mock's secrets: the fixed rules above plus the literal values it is given."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first, so that a secret containing another is replaced whole.
        self._literals = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len, reverse=True)

    def text(self, text: str) -> str:
        """``text`` with every secret it holds replaced by ``***``."""
        for literal in self._literals:
            if literal in text:
                text = text.replace(literal, REDACTED)
        text = _JSON_MEMBER.sub(rf'\1"{REDACTED}"', text)
        text = _FORM_FIELD.sub(rf"\1\2{REDACTED}", text)
        return _STORAGE_LINK.sub(rf"\1{REDACTED}", text)

    def header(self, name: str, value: str) -> str:
        """A header's value as the history keeps it."""
        if name.lower() in SECRET_HEADERS:
            scheme, sep, _ = value.partition(" ")
            return f"{scheme} {REDACTED}" if sep and name.lower().endswith("authorization") else REDACTED
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """Every header, lower-cased name and redacted value, in order."""
        return tuple((name.lower(), self.header(name, value)) for name, value in headers)

    def capture(self, headers: Iterable[tuple[str, str]], body: bytes | None, size: int | None = None) -> Captured:
        """One side of an exchange as the history keeps it. ``body`` None: not read (``size`` may still say how
        long it was)."""
        kept = self.headers(headers)
        media = next((value for name, value in kept if name == "content-type"), "")
        if body is not None:
            size = len(body)
        if not body or not _TEXT_MEDIA.match(media.split(";")[0].strip().lower()):
            return Captured(kept, None, size, False)
        text = self.text(body.decode("utf-8", errors="replace"))
        truncated = len(text) > HISTORY_BODY_CHARS
        return Captured(kept, text[:HISTORY_BODY_CHARS] if truncated else text, size, truncated)


def header_items(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header pairs from a mapping or from pairs (Starlette's ``Headers.items()`` keeps repeated headers)."""
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)
