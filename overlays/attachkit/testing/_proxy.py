"""The validating proxy: API calls forwarded to an upstream (the real Talkdesk and Webex APIs, or anything else),
every request and every response checked against the specs, each violation reported, secrets never shown.

:class:`UpstreamProxy` is what ``attachkit mock --upstream talkdesk=URL --upstream webex=URL`` puts in place of the
mock's handlers. For each call it:

1. reads the request body, up to ``max_request_bytes`` (a longer body is streamed to the upstream as it arrives,
   and its body is not checked: counted as ``unchecked``);
2. learns the secrets the request carries (see :class:`KnownSecrets`);
3. checks the request against the operation's spec (``SpecDocument.request_errors``, the mock's own request
   validation). A request that breaks the spec is **still forwarded as it is**: the proxy observes, it never refuses;
4. forwards method, path, query, headers and body to the upstream: the vendor's path below its mock prefix
   (``/talkdesk``, ``/webex/v1``) is appended to the vendor's upstream base URL; hop-by-hop headers are dropped,
   ``Host`` is the upstream's, nothing is added (no ``X-Forwarded-*``: a real vendor sees what the client sent);
   redirects are not followed;
5. reads the upstream's answer, up to ``max_response_bytes`` (a longer one is streamed to the caller, its status
   checked but not its body), learns the secrets it carries, and checks it: is the status documented for the
   operation, does the body match that status's schema (required fields, types, formats), are documented
   headers right. 405, 411, 413 and 415 may come on any operation (they are about the HTTP exchange); as in the
   mock's own response checks (``_checking``), such a body is held to the vendor's error schema instead;
6. returns the upstream's answer **unchanged**: status, headers (less hop-by-hop ones) and the body's bytes as they
   came, compressed or not. URLs in it (a Talkdesk upload link, a ``Location``) still point at the upstream.

The Talkdesk token endpoint is proxied too (:meth:`UpstreamProxy.forward_token`), to ``talkdesk-token=URL`` or else
the Talkdesk base URL plus ``/oauth/token``. No spec describes it, so it is forwarded and recorded, not checked; the
client secret it carries and the tokens it hands out are learned as secrets.

When the upstream cannot be reached, the caller gets a **502** (or a **504** on a timeout) in the vendor's error
shape (OAuth's on the token endpoint), so a client sees the gateway failure it would see from the vendor, and the
report counts it as an upstream failure, not as a spec violation. The description names the error's type only.

Violations (:class:`Violation`) are kept, at most ``max_violations`` of them (the oldest dropped and counted),
alongside counts per operation that are never dropped: :meth:`UpstreamProxy.summary` is a text for a terminal,
:meth:`UpstreamProxy.report` a JSON-able dict with counts and a few distinct samples per operation. ``--record
FILE`` (:class:`Recorder`) appends one JSON line per exchange.

Secrets never appear in a violation, the report, the summary or the record:

- the values of ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Api-Key`` and
  ``X-Spark-Signature`` are replaced by ``***`` (the scheme kept: ``Bearer ***``), by the history's ``Redactor``;
- so are the values of secret-named fields (``access_token``, ``refresh_token``, ``client_secret``, ``secret``,
  ``password``...) in JSON and form bodies, query strings and the messages validation produces, and storage link
  tokens;
- and, anywhere at all, the literal values of every *known* secret: those given to the proxy (the mock's client
  secret, Webex token, admin token) and those **learned as traffic passes** (the credentials of every
  ``Authorization`` header, Basic ones decoded; cookie values; every string value of a secret-named field in a
  request or response body or query, so the access token a token endpoint hands out and a webhook's secret are
  known before anything about their exchange is written; a learned value needs 8 characters, so that a word like
  ``dark`` in a cookie does not redact text everywhere). Each is also matched URL-encoded and JSON-escaped.

Last, the :class:`Recorder` refuses to write a line that still holds a known secret: it is counted and logged (the
operation only), never written.

What the proxy does not do: it does not answer for the upstream (no state, no handlers; faults, when the mock
applies them in front of the proxy, answer without forwarding), rewrite URLs in answers, follow or rewrite
redirects, proxy the storage links (pre-signed URLs that clients follow straight to the upstream), retry, or check
the token endpoint or a path no spec describes (that one is forwarded and reported as a request violation).
Validation is the contract's, not a second implementation: the request side is ``SpecDocument.request_errors``;
the response side runs the same openapi-core response validator ``SpecDocument`` builds, reading its structured
errors so each violation names its field (``SpecDocument.response_errors`` gives unnamed messages that quote the
whole body; it is the fallback if the contract stops building that validator). ``ResponseChecker.check`` is not
called: it keeps every violation in an unbounded list of its own and logs its messages unredacted; its dispatch
(documented status, protocol status, undocumented) is followed with its own ``PROTOCOL_STATUSES`` and
``Contract.stand_in``.
"""

from __future__ import annotations

import base64
import binascii
import collections
import contextlib
import dataclasses
import functools
import json
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit, urlunsplit

import httpx
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.response.exceptions import HeadersError, HeaderValidationError, MissingData
from starlette.background import BackgroundTask
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ._checking import PROTOCOL_STATUSES
from ._contract import Contract, Operation, _ValidationRequest, _ValidationResponse
from ._dialects import OAUTH, TOKEN_PATH, VENDORS, Dialect, Problem, Vendor, vendor_for_path
from ._history import SECRET_HEADERS, SECRET_KEYS, Redactor
from ._routing import PARAM, example_path
from ._transport import mark_consumed

logger = logging.getLogger("attachkit.testing")

Direction = Literal["request", "response"]

TOKEN_UPSTREAM = "talkdesk-token"  # noqa: S105 - an upstream's name, not a secret
"""The name of the Talkdesk token endpoint's upstream (a full URL), beside the vendors' names."""
UPSTREAM_NAMES = (*(vendor.name for vendor in VENDORS), TOKEN_UPSTREAM)
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_VIOLATIONS = 1000
DEFAULT_MAX_SECRETS = 1000
DEFAULT_TIMEOUT = 30.0
SAMPLES_PER_OPERATION = 5
MIN_SECRET = 4  # as the history's Redactor: shorter literals would redact innocent text (and it ignores them)
MIN_LEARNED_SECRET = 8  # a shorter value seen in traffic (``theme=dark``) is more likely a word than a credential
_MESSAGE_CHARS = 300

# RFC 9110 7.6.1, plus the ones a proxy must not pass on (Proxy-*, Keep-Alive) and the framing httpx redoes.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_REQUEST_DROPPED = frozenset({"host", "content-length", "expect"})
_SECRET_KEY_SET = frozenset(SECRET_KEYS)
_KEYS = "|".join(re.escape(key) for key in SECRET_KEYS)
# A member of a Python repr (openapi-core's messages quote the instance that failed): its string value.
_REPR_MEMBER = re.compile(rf"""(['"](?:{_KEYS})['"]\s*:\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", re.IGNORECASE)
# What follows the instance a jsonschema message starts with ("'abc' is too short", "[1] is not of type ...").
_PREDICATES = (" is ", " does ", " has ", " should ", " was ", " are ", " expected ")


# -- secrets ----------------------------------------------------------------------------------------------------------


class _ProxyRedactor(Redactor):
    """The history's redaction, plus secret-named members of Python reprs (validation messages quote them)."""

    def text(self, text: str) -> str:
        return _REPR_MEMBER.sub(_redacted_member, super().text(text))


def _redacted_member(match: re.Match[str]) -> str:
    quote_mark = match.group(2)[0]
    return f"{match.group(1)}{quote_mark}***{quote_mark}"


def _variants(secret: str) -> set[str]:
    """The forms a secret takes in what is written: as is, URL-encoded, JSON-escaped."""
    return {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]} - {""}


class KnownSecrets:
    """The secret strings the proxy knows: given at the start, and learned from the traffic.

    Thread-safe (the proxy learns in the server's event loop; reports are read from anywhere). At most
    ``limit`` learned secrets are kept, the oldest forgotten first (a long run sees a new access token every few
    minutes); the ones given at the start are always kept.
    """

    def __init__(self, secrets: Iterable[str | None] = (), *, limit: int = DEFAULT_MAX_SECRETS) -> None:
        self._lock = threading.Lock()
        self._fixed = {s for s in secrets if s and len(s) >= MIN_SECRET}
        self._learned: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._limit = limit
        self._redactor: _ProxyRedactor | None = None
        self._literals: tuple[str, ...] = ()

    def add(self, secret: str | None) -> None:
        """Know ``secret`` from now on (ignored when shorter than :data:`MIN_LEARNED_SECRET` characters: the
        key-based rules still redact a short one where it is a secret-named field's value)."""
        if not secret or len(secret) < MIN_LEARNED_SECRET:
            return
        with self._lock:
            if secret in self._fixed:
                return
            if secret in self._learned:
                self._learned.move_to_end(secret)
                return
            self._learned[secret] = None
            while len(self._learned) > self._limit:
                self._learned.popitem(last=False)
            self._redactor = None

    def values(self) -> frozenset[str]:
        """Every known secret, as given or learned."""
        with self._lock:
            return frozenset(self._fixed | set(self._learned))

    def __len__(self) -> int:
        with self._lock:
            return len(self._fixed) + len(self._learned)

    def redactor(self) -> Redactor:
        """A redactor for everything known now (rebuilt only when a new secret was learned)."""
        with self._lock:
            if self._redactor is None:
                literals: set[str] = set()
                for secret in self._fixed | set(self._learned):
                    literals |= {v for v in _variants(secret) if len(v) >= MIN_SECRET}
                self._literals = tuple(literals)
                self._redactor = _ProxyRedactor(literals)
            return self._redactor

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``."""
        return self.redactor().text(text)

    def leaks(self, text: str) -> bool:
        """Whether ``text`` still holds a known secret, in any of the forms :meth:`redactor` replaces."""
        self.redactor()
        with self._lock:
            literals = self._literals
        return any(literal in text for literal in literals)

    # Learning ---------------------------------------------------------------------------------------------------

    def learn_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        """The credentials in ``Authorization`` (Basic ones decoded) and ``Proxy-Authorization``, cookie values,
        and the values of other secret headers."""
        for name, value in headers:
            lowered = name.lower()
            if lowered in ("authorization", "proxy-authorization"):
                self._learn_authorization(value)
            elif lowered in ("cookie", "set-cookie"):
                self._learn_cookies(value)
            elif lowered in ("x-api-key", "x-spark-signature"):
                self.add(value.strip())

    def _learn_authorization(self, value: str) -> None:
        scheme, _, credentials = value.strip().partition(" ")
        credentials = credentials.strip() or scheme  # a bare token, without a scheme
        self.add(credentials)
        if scheme.lower() == "basic":
            with contextlib.suppress(binascii.Error, ValueError):
                decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
                self.add(decoded)
                self.add(decoded.partition(":")[2])

    def _learn_cookies(self, value: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        with contextlib.suppress(Exception):  # a malformed cookie header: its raw value is still redacted
            cookie.load(value)
        for morsel in cookie.values():
            self.add(morsel.value)

    def learn_query(self, query: str) -> None:
        """The values of secret-named query parameters."""
        for key, value in parse_qsl(query, keep_blank_values=False):
            if key.lower() in _SECRET_KEY_SET:
                self.add(value)

    def learn_body(self, body: bytes | None, media: str) -> None:
        """The string values of secret-named fields in a JSON or form body (any depth, for JSON; and every string
        inside a secret-named field holding a list or an object)."""
        if not body:
            return
        media = media.split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            self.learn_query(body.decode("latin-1"))
            return
        if not (media == "application/json" or media.endswith("+json")):
            return
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            return
        stack: list[tuple[object, bool]] = [(parsed, False)]  # (node, under a secret-named key)
        while stack:
            node, secret = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    stack.append((value, secret or (isinstance(key, str) and key.lower() in _SECRET_KEY_SET)))
            elif isinstance(node, list):
                stack.extend((item, secret) for item in node)
            elif secret and isinstance(node, str):  # a secret's value, even nested where a string was expected
                self.add(node)


# -- violations -------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Violation:
    """One way an exchange broke its spec, secrets redacted.

    ``path`` is the path below the vendor's prefix (``/digital-connect/conversations``); ``status`` the upstream's
    answer (None when it gave none); ``field`` the offending field when there is one: a dotted path into a body
    (``items[0].id``), a parameter name, or ``header Retry-After``.
    """

    operation: str
    method: str
    path: str
    direction: Direction
    status: int | None
    message: str
    field: str | None = None

    @property
    def problem(self) -> str:
        """``field: message``, or the message alone (how ``GET /_mock/violations`` lists problems)."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def to_dict(self) -> dict[str, Any]:
        """As JSON."""
        return dataclasses.asdict(self)


@dataclasses.dataclass
class _OperationStats:
    exchanges: int = 0
    request_violations: int = 0
    response_violations: int = 0
    upstream_failures: int = 0
    unchecked: int = 0
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    samples: list[Violation] = dataclasses.field(default_factory=list)


# -- the record -------------------------------------------------------------------------------------------------------


class Recorder:
    """Appends one JSON line per exchange to a file, and refuses to write a line still holding a known secret.

    A refused line is counted (:attr:`refused`) and logged with its operation only, never written. The file is
    created readable by its owner only. Thread-safe.
    """

    def __init__(self, path: str | os.PathLike[str], secrets: KnownSecrets) -> None:
        self.path = Path(path)
        self.secrets = secrets
        self.written = 0
        self.refused = 0
        self._lock = threading.Lock()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file: IO[str] | None = os.fdopen(fd, "a", encoding="utf-8")

    def write(self, entry: Mapping[str, Any]) -> bool:
        """Write ``entry`` as one line; False (and nothing written) when it holds a known secret."""
        line = json.dumps(entry, separators=(",", ":"), sort_keys=False, default=str)
        with self._lock:
            if self.secrets.leaks(line):
                self.refused += 1
                logger.error(
                    "attachkit proxy refused to record an exchange of %s: it still held a known secret",
                    str(entry.get("operation", "?"))[:80],
                )
                return False
            if self._file is None:
                raise ValueError("the recorder is closed")
            self._file.write(line + "\n")
            self._file.flush()
            self.written += 1
            return True

    def close(self) -> None:
        """Close the file. Safe to call twice."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the answers ------------------------------------------------------------------------------------------------------


class ProxiedResponse(Response):
    """An upstream's answer, buffered, passed on unchanged (a wrapper must not add or replace its headers)."""


class ProxiedStreamingResponse(StreamingResponse):
    """An upstream's answer too long to buffer, streamed on unchanged."""


PROXIED = (ProxiedResponse, ProxiedStreamingResponse)
"""The answers :class:`UpstreamProxy` gives, for ``isinstance`` checks (a gateway failure's 502/504 is not one)."""


def parse_upstream(text: str) -> tuple[str, str]:
    """``talkdesk=URL`` (or ``webex=URL``, ``talkdesk-token=URL``) as a name and an http(s) URL."""
    name, sep, url = text.partition("=")
    name = name.strip().lower()
    if not sep or name not in UPSTREAM_NAMES:
        raise ValueError(f"an upstream is NAME=URL, NAME one of {', '.join(UPSTREAM_NAMES)}")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the {name} upstream must be an http:// or https:// URL with a host")
    if parts.query or parts.fragment:
        raise ValueError(f"the {name} upstream URL takes no query or fragment")
    return name, url.strip().rstrip("/")


def parse_upstreams(items: Iterable[str]) -> dict[str, str]:
    """Several ``NAME=URL`` items (``--upstream``, repeatable) as a mapping; a name given twice is an error."""
    upstreams: dict[str, str] = {}
    for item in items:
        name, url = parse_upstream(item)
        if name in upstreams:
            raise ValueError(f"the {name} upstream is given twice")
        upstreams[name] = url
    return upstreams


def shown_url(url: str) -> str:
    """A URL without its user info (a password in an upstream URL is a secret)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


Finding = tuple[str | None, str]  # field (or None), message


def _dotted(parts: Iterable[object]) -> str:
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"


class UpstreamProxy:
    """Forwards API calls to upstreams, checks them against ``contract``, and reports what breaks it.

    ``upstreams`` maps ``talkdesk``, ``webex`` and optionally ``talkdesk-token`` to URLs (see
    :func:`parse_upstreams`): a vendor's base URL (``https://api.talkdeskapp.com``, ``https://webexapis.com/v1``)
    and the full token URL (default: the Talkdesk base URL plus ``/oauth/token``). ``client`` sends the requests;
    without one the proxy makes its own on first use (in the serving event loop) with ``timeout`` seconds per
    request, and :meth:`aclose` closes it. A given client is not closed here; it should not follow redirects
    (the proxy asks it not to) and is used without its default headers, cookies or base URL.

    ``secrets`` are the strings known secret from the start (the mock's client secret, Webex token, admin token);
    more are learned as traffic passes. ``record``: a file to append one JSON line per exchange to.
    ``on_violation`` is called with each violation as it is found (to put it in the mock's state, say).
    """

    def __init__(
        self,
        contract: Contract,
        upstreams: Mapping[str, str],
        client: httpx.AsyncClient | None = None,
        *,
        secrets: Iterable[str | None] = (),
        record: str | os.PathLike[str] | None = None,
        max_request_bytes: int = DEFAULT_MAX_BYTES,
        max_response_bytes: int = DEFAULT_MAX_BYTES,
        max_violations: int = DEFAULT_MAX_VIOLATIONS,
        timeout: float = DEFAULT_TIMEOUT,
        on_violation: Callable[[Violation], None] | None = None,
    ) -> None:
        checked = parse_upstreams(f"{name}={url}" for name, url in upstreams.items())
        if not checked:
            raise ValueError("the proxy needs at least one upstream")
        for limit in (max_request_bytes, max_response_bytes, max_violations):
            if limit < 1:
                raise ValueError("the proxy's limits must be positive")
        self.contract = contract
        self.upstreams: Mapping[str, str] = checked
        self.secrets = KnownSecrets(secrets)
        for url in checked.values():  # a password in an upstream URL is a secret too
            self.secrets.add(urlsplit(url).password)
        self.recorder = Recorder(record, self.secrets) if record is not None else None
        self.max_request_bytes = max_request_bytes
        self.max_response_bytes = max_response_bytes
        self.on_violation = on_violation
        self._client = client
        self._owns_client = client is None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._violations: collections.deque[Violation] = collections.deque(maxlen=max_violations)
        self._dropped = 0
        self._stats: dict[str, _OperationStats] = {}

    # Where calls go ------------------------------------------------------------------------------------------------

    def handles(self, vendor: Vendor | str) -> bool:
        """Whether calls to ``vendor`` (a :class:`Vendor` or its name) are proxied."""
        return (vendor if isinstance(vendor, str) else vendor.name) in self.upstreams

    @property
    def token_url(self) -> str | None:
        """Where the Talkdesk token endpoint is proxied to, if anywhere."""
        if TOKEN_UPSTREAM in self.upstreams:
            return self.upstreams[TOKEN_UPSTREAM]
        base = self.upstreams.get("talkdesk")
        return None if base is None else base + TOKEN_PATH.removeprefix(_talkdesk().prefix)

    # Serving -------------------------------------------------------------------------------------------------------

    async def forward(
        self, request: Request, operation: Operation | None, path_below_prefix: str, *, vendor: Vendor | None = None
    ) -> Response:
        """Forward ``request`` to its vendor's upstream and return the answer unchanged; check both sides.

        ``operation`` is the spec operation the request matched (None: no operation matches its path and method,
        which is reported as a request violation; the request is forwarded all the same). ``path_below_prefix``
        is the request's path less the vendor's mock prefix, decoded (``/messages/abc``). ``vendor`` defaults to
        the operation's, else the one whose prefix the request's path is under. LookupError if that vendor has no
        upstream.

        Afterwards ``request.state.proxy_violations`` holds the exchange's violations (a tuple, maybe empty), and
        ``request.state.body`` the request body when it was read whole: what the mock's request history shows.
        """
        found = vendor or (operation.vendor if operation is not None else vendor_for_path(request.scope["path"]))
        if found is None or found.name not in self.upstreams:
            raise LookupError(f"no upstream for {found.name if found else request.scope['path']!r}")
        target = self.upstreams[found.name] + self._raw_path(request, found.prefix, path_below_prefix)
        name = operation.operation_id if operation is not None else "unmatched"
        return await self._exchange(request, target, name, found.name, found.dialect, operation, path_below_prefix)

    async def forward_token(self, request: Request) -> Response:
        """Forward a call to the Talkdesk token endpoint (not checked: no spec describes it; its secrets are
        learned). LookupError without a Talkdesk or token upstream."""
        url = self.token_url
        if url is None:
            raise LookupError("no upstream for the Talkdesk token endpoint")
        path = TOKEN_PATH.removeprefix(_talkdesk().prefix)
        return await self._exchange(request, url, "token", "talkdesk", OAUTH, None, path, checked=False)

    async def aclose(self) -> None:
        """Close the HTTP client the proxy made (not one it was given) and the record."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
        if self.recorder is not None:
            self.recorder.close()

    # Reading the results ---------------------------------------------------------------------------------------

    @property
    def violations(self) -> list[Violation]:
        """The violations kept (the latest ``max_violations``), oldest first."""
        with self._lock:
            return list(self._violations)

    @property
    def dropped_violations(self) -> int:
        """How many violations were let go beyond ``max_violations`` (still counted in the report)."""
        with self._lock:
            return self._dropped

    def clear(self) -> None:
        """Forget every violation and count (``POST /_mock/reset``); learned secrets stay known."""
        with self._lock:
            self._violations.clear()
            self._dropped = 0
            self._stats.clear()

    def report(self) -> dict[str, Any]:
        """Counts and samples per operation, JSON-able, secrets redacted::

        {"exchanges": 7, "violations": 3, "dropped_violations": 0, "upstream_failures": 0, "unchecked": 0,
         "records_written": 7, "records_refused": 0,
         "operations": {"send_message": {"exchanges": 2, "statuses": {"201": 2}, "request_violations": 0,
                        "response_violations": 1, "upstream_failures": 0, "unchecked": 0,
                        "samples": [{"operation": ..., "direction": "response", "status": 201,
                                     "field": "id", "message": "5 is not of type 'string'", ...}]}}}
        """
        redact = self.secrets.redact
        with self._lock:
            operations = {
                name: {
                    "exchanges": stats.exchanges,
                    "statuses": {str(code): count for code, count in sorted(stats.statuses.items())},
                    "request_violations": stats.request_violations,
                    "response_violations": stats.response_violations,
                    "upstream_failures": stats.upstream_failures,
                    "unchecked": stats.unchecked,
                    # Redacted again: a secret learned after the violation was kept is redacted too.
                    "samples": [
                        {**v.to_dict(), "message": redact(v.message), "path": redact(v.path)} for v in stats.samples
                    ],
                }
                for name, stats in sorted(self._stats.items())
            }
            every = list(self._stats.values())
            dropped = self._dropped
        return {
            "upstreams": {name: shown_url(url) for name, url in self.upstreams.items()},
            "exchanges": sum(s.exchanges for s in every),
            "violations": sum(s.request_violations + s.response_violations for s in every),
            "dropped_violations": dropped,
            "upstream_failures": sum(s.upstream_failures for s in every),
            "unchecked": sum(s.unchecked for s in every),
            "records_written": self.recorder.written if self.recorder else 0,
            "records_refused": self.recorder.refused if self.recorder else 0,
            "operations": operations,
        }

    def summary(self) -> str:
        """The report as a few lines for a terminal: a total, then each operation with its counts and samples."""
        report = self.report()
        lines = [
            f"attachkit proxy: {_count(report['exchanges'], 'exchange')}, "
            f"{_count(report['violations'], 'spec violation')}"
            + (f", {_count(report['upstream_failures'], 'upstream failure')}" if report["upstream_failures"] else "")
            + (f", {_count(report['records_refused'], 'record')} refused" if report["records_refused"] else "")
        ]
        for name, op in report["operations"].items():
            statuses = ", ".join(f"{count}x {code}" for code, count in op["statuses"].items()) or "no answer"
            counts = f"{_count(op['exchanges'], 'exchange')} ({statuses})"
            if op["request_violations"] or op["response_violations"]:
                counts += f": {op['request_violations']} request, {op['response_violations']} response violations"
            if op["upstream_failures"]:
                counts += f"; {_count(op['upstream_failures'], 'upstream failure')}"
            if op["unchecked"]:
                counts += f"; {op['unchecked']} too long to check"
            lines.append(f"  {name}: {counts}")
            for sample in op["samples"]:
                where = f"{sample['direction']} {sample['status'] if sample['status'] is not None else '-'}"
                field = f" {sample['field']}:" if sample["field"] else ""
                lines.append(f"    {where}{field} {sample['message']}")
        return "\n".join(lines)

    def write_report(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`report` as JSON to ``path`` (``--report FILE``), replacing it."""
        Path(path).write_text(json.dumps(self.report(), indent=2) + "\n", encoding="utf-8")

    # The exchange ------------------------------------------------------------------------------------------------

    async def _exchange(
        self,
        request: Request,
        url: str,
        name: str,
        vendor: str,
        dialect: Dialect,
        operation: Operation | None,
        path: str,
        *,
        checked: bool = True,
    ) -> Response:
        started_at, started = time.time(), time.perf_counter()
        method = request.method
        query = request.scope.get("query_string", b"").decode("latin-1")
        body, rest = await _read_capped(request.stream(), self.max_request_bytes)
        if rest is None:
            request.state.body = body  # what the mock's request history shows (``_bodies.body_read``)
        content_type = request.headers.get("content-type", "")
        self.secrets.learn_headers(request.headers.items())
        self.secrets.learn_query(query)
        if rest is None:
            self.secrets.learn_body(body, content_type)

        findings: list[tuple[Direction, str | None, str]] = []
        unchecked = False
        if checked and operation is None:
            findings.append(("request", None, f"no operation in the {vendor} specs takes {method} {path}"))
        elif operation is not None and rest is None:
            findings += [("request", f, m) for f, m in self._request_findings(request, operation, path, body)]
        elif operation is not None:
            unchecked = True

        upstream_request = httpx.Request(
            method,
            url + (f"?{query}" if query else ""),
            headers=self._forward_headers(request.headers.raw, streamed=rest is not None),
            content=self._content(request, body, rest),
        )
        client = self._http()
        try:
            upstream = await client.send(upstream_request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            if rest is None:  # else what is left of the body is still to come: the mock drains it before answering
                mark_consumed(request)
            return self._failed(request, name, vendor, dialect, path, query, body, findings, exc, started_at, started)
        mark_consumed(request)  # httpx sent the whole body before it read the answer
        try:
            raw, more = await _read_capped(upstream.aiter_raw(), self.max_response_bytes)  # still encoded
        except httpx.HTTPError as exc:
            await upstream.aclose()
            return self._failed(request, name, vendor, dialect, path, query, body, findings, exc, started_at, started)

        status = upstream.status_code
        self.secrets.learn_headers(upstream.headers.multi_items())
        decoded: bytes | None = None
        if more is None:
            try:
                decoded = httpx.Response(status, headers=upstream.headers, content=raw).content
            except httpx.DecodingError:
                findings.append(("response", "body", "cannot be decoded as its Content-Encoding says"))
            else:
                self.secrets.learn_body(decoded, upstream.headers.get("content-type", ""))
        if operation is not None and checked:
            body_checked = more is None and decoded is not None and method != "HEAD"
            unchecked = unchecked or (more is not None)
            findings += [
                ("response", f, m)
                for f, m in self._response_findings(operation, path, status, upstream.headers, decoded, body_checked)
            ]

        request.state.proxy_violations = self._note(name, method, path, status, findings, unchecked=unchecked)
        self._record(
            name,
            vendor,
            url,
            request,
            query,
            body if rest is None else None,
            status,
            upstream.headers.multi_items(),
            decoded,
            findings,
            started_at,
            started,
            error=None,
        )
        headers = [(k, v) for k, v in upstream.headers.raw if k.lower().decode("latin-1") not in HOP_BY_HOP]
        if more is None:
            await upstream.aclose()
            response: Response = ProxiedResponse(raw, status)
            if not any(k.lower() == b"content-length" for k, _ in headers) and _has_body(method, status):
                headers.append((b"content-length", str(len(raw)).encode()))
            response.raw_headers = headers
            return response
        streamed = ProxiedStreamingResponse(_chain(raw, more), status, background=BackgroundTask(upstream.aclose))
        streamed.raw_headers = headers
        return streamed

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
        return self._client

    @staticmethod
    def _content(
        request: Request, body: bytes, rest: AsyncIterator[bytes] | None
    ) -> bytes | AsyncIterator[bytes] | None:
        """What to send on: the body, or its stream, or nothing when the request had no body at all (httpx
        would otherwise add ``Content-Length: 0`` to a GET)."""
        if rest is not None:
            return _chain(body, rest)
        if not body and "content-length" not in request.headers and "transfer-encoding" not in request.headers:
            return None
        return body

    @staticmethod
    def _forward_headers(raw: Iterable[tuple[bytes, bytes]], *, streamed: bool) -> list[tuple[bytes, bytes]]:
        pairs = list(raw)
        named = {
            token.strip().lower()
            for name, value in pairs
            if name.lower() == b"connection"
            for token in value.decode("latin-1").split(",")
        }
        dropped = HOP_BY_HOP | _REQUEST_DROPPED | named
        if streamed:  # the length is known: keep it, so the upstream gets a Content-Length, not chunks
            dropped = dropped - {"content-length"}
        return [(k, v) for k, v in pairs if k.decode("latin-1").lower() not in dropped]

    @staticmethod
    def _raw_path(request: Request, prefix: str, decoded: str) -> str:
        """The path to append to the upstream's base: as the client encoded it, less the prefix."""
        raw = request.scope.get("raw_path")
        if isinstance(raw, bytes):
            text = raw.decode("latin-1").partition("?")[0]
            if text.startswith(prefix + "/") or text == prefix:
                return text[len(prefix) :]
        return quote(decoded, safe="/:@!$&'()*+,;=-._~%")

    def _failed(
        self,
        request: Request,
        name: str,
        vendor: str,
        dialect: Dialect,
        path: str,
        query: str,
        body: bytes,
        findings: list[tuple[Direction, str | None, str]],
        exc: httpx.HTTPError,
        started_at: float,
        started: float,
    ) -> Response:
        timeout = isinstance(exc, httpx.TimeoutException)
        status = 504 if timeout else 502
        problem = Problem(
            status,
            "gateway_timeout" if timeout else "bad_gateway",
            "Gateway Timeout" if timeout else "Bad Gateway",
            description=f"the upstream did not answer ({type(exc).__name__})",
        )
        logger.warning("attachkit proxy: the %s upstream failed on %s (%s)", vendor, name, type(exc).__name__)
        request.state.proxy_violations = self._note(name, request.method, path, None, findings, failed=True)
        url = self.upstreams.get(vendor, "") if name != "token" else self.token_url or ""
        self._record(
            name,
            vendor,
            url,
            request,
            query,
            body,
            None,
            (),
            None,
            findings,
            started_at,
            started,
            error=type(exc).__name__,
        )
        tracking = dialect.new_tracking_id()
        content, media = dialect.render_problem(problem, tracking)
        return Response(content, status, dialect.headers(tracking), media_type=media)

    # Checking ----------------------------------------------------------------------------------------------------

    def _request_findings(self, request: Request, op: Operation, path: str, body: bytes) -> list[Finding]:
        params = self._path_params(op, path)
        errors = self.contract.document(op).request_errors(
            op,
            path,
            params,
            request.query_params.multi_items(),
            request.headers,
            body or None,
            request.headers.get("content-type", ""),
        )
        return [(error.name, error.description) for error in errors]

    @staticmethod
    def _path_params(op: Operation, path: str) -> dict[str, str]:
        """The path parameters of ``path`` under the spec's names (empty when it does not match the template)."""
        pattern, names = _path_pattern(op.path)
        found = pattern.match(path)
        return {} if found is None else {names[int(key[1:])]: value for key, value in found.groupdict().items()}

    def _response_findings(
        self, op: Operation, path: str, status: int, headers: httpx.Headers, body: bytes | None, body_checked: bool
    ) -> list[Finding]:
        # The dispatch of ``ResponseChecker`` (``_checking``): a documented status is held to its schema; one
        # about the HTTP exchange (405, 411, 413, 415) to the vendor's error schema; any other is undocumented.
        if status in op.statuses:
            target, target_path, target_status = op, path, status
        elif status not in PROTOCOL_STATUSES:
            return [(None, f"status {status} is not documented for {op.operation_id}")]
        else:
            stand_in = self.contract.stand_in(op.vendor, status)
            if stand_in is None:
                return [(None, f"no {op.vendor.name} operation documents an error body for a {status}")]
            target, target_status = stand_in
            target_path = example_path(target.path)
        if not body_checked:
            return []
        media = headers.get("content-type", "")
        all_headers = Headers(raw=[(k.lower(), v) for k, v in headers.raw])
        return _response_fields(self.contract, target, target_path, target_status, all_headers, body, media)

    # Keeping the results -----------------------------------------------------------------------------------------

    def _note(
        self,
        name: str,
        method: str,
        path: str,
        status: int | None,
        findings: Iterable[tuple[Direction, str | None, str]],
        *,
        failed: bool = False,
        unchecked: bool = False,
    ) -> tuple[Violation, ...]:
        """Count the exchange and keep its violations; returns them (the mock's history may show them)."""
        redact = self.secrets.redact
        found = [
            Violation(name, method, redact(path), direction, status, _message(field, message, redact), field)
            for direction, field, message in findings
        ]
        with self._lock:
            stats = self._stats.setdefault(name, _OperationStats())
            stats.exchanges += 1
            if status is not None:
                stats.statuses[status] += 1
            stats.upstream_failures += failed
            stats.unchecked += unchecked
            for violation in found:
                if violation.direction == "request":
                    stats.request_violations += 1
                else:
                    stats.response_violations += 1
                key = (violation.direction, violation.status, violation.field, violation.message)
                seen = {(s.direction, s.status, s.field, s.message) for s in stats.samples}
                if key not in seen and len(stats.samples) < SAMPLES_PER_OPERATION:
                    stats.samples.append(violation)
                if len(self._violations) == self._violations.maxlen:
                    self._dropped += 1
                self._violations.append(violation)
        for violation in found:
            logger.warning(
                "attachkit proxy: %s %s %s: %s",
                violation.operation,
                violation.direction,
                violation.status,
                violation.problem,
            )
            if self.on_violation is not None:
                self.on_violation(violation)
        return tuple(found)

    def _record(
        self,
        name: str,
        vendor: str,
        url: str,
        request: Request,
        query: str,
        body: bytes | None,
        status: int | None,
        response_headers: Iterable[tuple[str, str]],
        response_body: bytes | None,
        findings: Iterable[tuple[Direction, str | None, str]],
        started_at: float,
        started: float,
        *,
        error: str | None,
    ) -> None:
        if self.recorder is None:
            return
        redactor = self.secrets.redactor()
        sent = redactor.capture(request.headers.items(), body, None if body is not None else _length(request))
        answered = None if status is None else redactor.capture(response_headers, response_body)
        entry = {
            "time": datetime.fromtimestamp(started_at, UTC).isoformat(timespec="milliseconds"),
            "operation": name,
            "vendor": vendor,
            "upstream": redactor.text(shown_url(url)),
            "method": request.method,
            "path": redactor.text(request.scope["path"]),
            "query": redactor.text(query),
            "status": status,
            "error": error,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "request": dataclasses.asdict(sent),
            "response": None if answered is None else dataclasses.asdict(answered),
            "violations": [
                {"direction": d, "field": f, "message": _message(f, m, redactor.text)} for d, f, m in findings
            ],
        }
        self.recorder.write(entry)


@functools.lru_cache(maxsize=256)
def _path_pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex matching the concrete paths of a spec path template, and the template's parameter names."""
    pieces = PARAM.split(template)  # literal text and parameter names, alternately
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<p{i // 2}>[^/]+)" for i, p in enumerate(pieces))
    return re.compile(f"^{regex}$"), tuple(pieces[1::2])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _talkdesk() -> Vendor:
    return next(vendor for vendor in VENDORS if vendor.name == "talkdesk")


def _has_body(method: str, status: int) -> bool:
    return method != "HEAD" and status >= 200 and status not in (204, 304)


def _length(request: Request) -> int | None:
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def _chain(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk


def _message(field: str | None, message: str, redact: Callable[[str], str]) -> str:
    """A validation message fit to show: redacted, short, and for a secret-named field, without its value."""
    last = "" if field is None else re.split(r"[.\[\] ]", field.rstrip("]"))[-1].lower()
    if last in _SECRET_KEY_SET or last in SECRET_HEADERS:
        message = _without_value(message)
    return _short(redact(message))


def _without_value(message: str) -> str:
    """A message about a secret field, without the value it quotes first: what follows the *last* predicate
    cannot be part of the value (a value holding " is " ends before the message's own predicate)."""
    if message.startswith(("is ", "cannot ", "must ")):  # the contract's own wording: no value in it
        return message
    cut = max(message.rfind(predicate) for predicate in _PREDICATES)
    return "***" + message[cut:] if cut >= 0 else "*** (the value is withheld)"


def _response_fields(
    contract: Contract, op: Operation, path: str, status: int, headers: Headers, body: bytes | None, media: str
) -> list[Finding]:
    """What is wrong with a response, each with its field where there is one.

    This runs the contract's own openapi-core response validator (``SpecDocument`` builds it) and reads the
    structured errors it raises, as ``_contract`` does for request bodies; if the contract has no such validator
    (a faster one in its place), the contract's ``response_errors`` messages are used, without field names.
    """
    document = contract.document(op)
    validator: Any = getattr(document, "_response_validator", None)
    if validator is None:
        return [(None, message) for message in document.response_errors(op, path, status, headers, body, media)]
    parts = urlsplit(document.server_url)
    request = _ValidationRequest(
        host_url=f"{parts.scheme}://{parts.netloc}",
        path=parts.path.rstrip("/") + path,
        method=op.method.lower(),
        body=None,
        content_type="",
        parameters=RequestParameters(query={}, header=Headers(), cookie={}, path={}),
    )
    response = _ValidationResponse(status, media.lower(), headers, body)
    findings: list[Finding] = []
    for error in validator.iter_errors(request, response):
        findings += _error_fields(error)
    return list(dict.fromkeys(findings))


def _error_fields(error: BaseException) -> list[Finding]:
    if isinstance(error, HeadersError):
        return [found for inner in error.context for found in _error_fields(inner)]
    cause = error.__cause__
    schema_errors = list(getattr(cause, "schema_errors", None) or [])
    if isinstance(error, HeaderValidationError):
        detail = "; ".join(str(e.message) for e in schema_errors) or str(cause or error)
        return [(f"header {error.name}", detail)]
    if isinstance(error, MissingData):
        return [("body", "is missing")]
    if not schema_errors:
        return [(None, str(cause or error))]
    fields: list[Finding] = []
    for schema_error in schema_errors:
        where = list(schema_error.absolute_path)
        if schema_error.validator == "required" and isinstance(schema_error.instance, Mapping):
            fields += [
                (_dotted([*where, missing]), "is required")
                for missing in schema_error.validator_value
                if missing not in schema_error.instance
            ]
        else:
            fields.append((_dotted(where), str(schema_error.message)))
    return fields


async def _read_capped(chunks: AsyncIterator[bytes], cap: int) -> tuple[bytes, AsyncIterator[bytes] | None]:
    """A body, whole; or, once past `cap` bytes, what was read and the stream of the rest."""
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        if len(buffer) > cap:
            return bytes(buffer), chunks
    return bytes(buffer), None
