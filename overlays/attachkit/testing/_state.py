"""What the mock has stored, and what it has seen: an inspectable, thread-safe record.

The server runs in a background thread while tests read from the main one, so every access goes through one lock
and readers get snapshots (copies of frozen records), never live containers.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

UploadState = Literal["pending", "uploading", "uploaded"]
ScanVerdict = Literal["clean", "infected", "unscannable"]
WebhookStatus = Literal["active", "inactive"]
HISTORY_LIMIT = 10_000  # the defaults of MockConfig.history_limit and record_limit
RECORD_LIMIT = 10_000


@dataclasses.dataclass(frozen=True)
class Upload:
    """An upload link and what was uploaded through it."""

    request_id: str
    token: str = dataclasses.field(repr=False)
    allowed_mime_types: tuple[str, ...] = ()
    state: UploadState = "pending"
    path: Path | None = None
    size: int | None = None
    content_type: str | None = None
    etag: str | None = None
    attachment_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A created attachment. ``path`` holds its bytes on disk."""

    id: str
    name: str
    state: str
    size: int
    type: str
    metadata: Mapping[str, Any]
    request_id: str
    path: Path


@dataclasses.dataclass(frozen=True)
class DownloadLink:
    """A temporary download URL for an attachment."""

    token: str = dataclasses.field(repr=False)
    attachment_id: str = ""
    expires_at: float = 0.0


@dataclasses.dataclass(frozen=True)
class Conversation:
    """A started Digital Connect conversation."""

    id: str
    touchpoint_id: str | None
    request: Mapping[str, Any]
    created_at: str


@dataclasses.dataclass(frozen=True)
class Message:
    """An inbound Digital Connect message, with the attachment ids that resolved and those that did not."""

    message_id: str
    conversation_id: str
    content: str | None
    attachment_ids: tuple[str, ...]
    failed_attachment_ids: tuple[str, ...]
    created_at: str
    request: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Action:
    """A Webex attachment action."""

    id: str
    type: str
    message_id: str
    inputs: Mapping[str, Any]
    person_id: str
    room_id: str
    created: str


@dataclasses.dataclass(frozen=True)
class WebexMessage:
    """A Webex message posted to a room (``room_type`` ``group``) or to a person (``direct``).

    ``files`` holds content ids (the API answers them as absolute content URLs); ``attachments`` the cards.
    """

    id: str
    room_id: str
    room_type: Literal["group", "direct"]
    person_id: str
    person_email: str
    created: str
    text: str | None = None
    markdown: str | None = None
    parent_id: str | None = None
    to_person_id: str | None = None
    to_person_email: str | None = None
    files: tuple[str, ...] = ()
    attachments: tuple[Mapping[str, Any], ...] = ()


@dataclasses.dataclass(frozen=True)
class Content:
    """A file posted with a Webex message: its bytes on disk and the scan's verdict.

    The verdict is revealed once the mock's clock reaches ``scanned_at`` (the post time plus
    ``webex_scan_seconds``); until then a download answers 423.
    """

    id: str
    message_id: str
    filename: str
    content_type: str
    size: int
    path: Path
    posted_at: float
    scanned_at: float
    verdict: ScanVerdict


@dataclasses.dataclass(frozen=True)
class Webhook:
    """A registered Webex webhook. ``failures`` counts consecutive failed deliveries (reset by a success)."""

    id: str
    name: str
    target_url: str
    resource: str
    event: str
    created: str
    owned_by: str
    org_id: str
    created_by: str
    app_id: str
    sequence: int
    filter: str | None = None
    secret: str | None = dataclasses.field(default=None, repr=False)
    status: WebhookStatus = "active"
    failures: int = 0


@dataclasses.dataclass(frozen=True)
class Delivery:
    """One webhook delivery as the mock made it (or, under a ``drop`` fault, did not).

    ``status`` is the receiver's answer (None when there was none: see ``error``). ``ok`` is a 2xx answer.
    ``signature`` is the ``X-Spark-Signature`` sent (None without a secret), ``body`` the exact bytes posted,
    ``fault`` the fault rule's text when one fired, ``duplicate`` True for the second copy of a ``duplicate`` fault.
    """

    webhook_id: str
    resource: str
    event: str
    target_url: str
    body: bytes = dataclasses.field(repr=False)
    signature: str | None
    status: int | None
    error: str | None
    fault: str | None = None
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


@dataclasses.dataclass(frozen=True)
class Replay:
    """A stored answer to an idempotent request, sent again when its key comes back."""

    fingerprint: str
    status: int
    body: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Captured:
    """One side of a recorded exchange, secrets redacted (see ``_history``): its headers, and its body as text
    when it is text (JSON, a form, XML, plain text), cut at ``HISTORY_BODY_CHARS`` characters.

    ``size`` is the body's length in bytes when known; ``body`` is None for an empty or a binary body (a file).
    """

    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    size: int | None = None
    truncated: bool = False


@dataclasses.dataclass(frozen=True)
class RequestRecord:
    """One request as the mock saw it. ``status`` is None when the connection was dropped before answering.

    ``id`` numbers requests from 1 in the order they finished (it keeps counting when old records are dropped);
    ``started_at`` is the wall-clock time it arrived (seconds since the epoch, not the mock's clock),
    ``duration_ms`` how long the mock took; ``request`` and ``response`` hold headers and bodies with secrets
    redacted (``response`` is None when no answer was sent). ``violations``: in proxy mode, the ways the exchange
    broke its spec (empty when it conformed, and when the mock answered itself).
    """

    operation: str
    method: str
    path: str
    status: int | None
    outcome: str
    id: int = 0
    started_at: float = 0.0
    duration_ms: float = 0.0
    query: str = ""
    request: Captured | None = dataclasses.field(default=None, repr=False)
    response: Captured | None = dataclasses.field(default=None, repr=False)
    violations: tuple[Violation, ...] = ()


@dataclasses.dataclass(frozen=True)
class Violation:
    """A request or a response that broke its spec, as the validating proxy (``upstreams``) reports it: what
    ``GET /_mock/violations`` lists. The mock answering on its own records none here (its own response checks are
    ``MockApp.response_violations``)."""

    kind: Literal["request", "response"]
    operation: str
    method: str
    path: str
    status: int | None
    problems: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class RequestCounts:
    """Counts for one operation: every request that reached the mock, the ones its handler processed (state may
    have changed, even if the connection was then dropped), dropped connections and injected status faults."""

    received: int = 0
    processed: int = 0
    dropped: int = 0
    faulted: int = 0
    statuses: Mapping[int, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Store:
    """The mutable containers, only touched inside :meth:`MockState.transaction`."""

    uploads: dict[str, Upload] = dataclasses.field(default_factory=dict)
    upload_tokens: dict[str, str] = dataclasses.field(default_factory=dict)  # token -> request_id
    attachments: dict[str, Attachment] = dataclasses.field(default_factory=dict)
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # attachment name -> id
    download_links: dict[str, DownloadLink] = dataclasses.field(default_factory=dict)
    conversations: dict[str, Conversation] = dataclasses.field(default_factory=dict)
    messages: list[Message] = dataclasses.field(default_factory=list)
    actions: dict[str, Action] = dataclasses.field(default_factory=dict)
    webex_messages: dict[str, WebexMessage] = dataclasses.field(default_factory=dict)
    contents: dict[str, Content] = dataclasses.field(default_factory=dict)
    webhooks: dict[str, Webhook] = dataclasses.field(default_factory=dict)
    webhook_sequence: int = 0
    replays: dict[tuple[str, ...], Replay] = dataclasses.field(default_factory=dict)


# The Store's containers that are bounded by record_limit, oldest first (dicts keep insertion order); `messages`
# is a list, and the deliveries and violations are deques of the state itself.
_DICT_KINDS = (
    "uploads",
    "attachments",
    "download_links",
    "conversations",
    "actions",
    "webex_messages",
    "contents",
    "webhooks",
    "replays",
)


class MockState:
    """The mock's record of what it stored and what it was asked, readable from any thread.

    Reads return snapshots: ``state.attachments`` is a new dict of frozen records each time.
    """

    def __init__(self, *, history_limit: int = HISTORY_LIMIT, record_limit: int = RECORD_LIMIT) -> None:
        if history_limit < 1 or record_limit < 1:
            raise ValueError("history_limit and record_limit must be at least 1")
        self.history_limit = history_limit
        self.record_limit = record_limit
        self._lock = threading.RLock()
        self._store = Store()
        self._received: collections.Counter[str] = collections.Counter()
        self._processed: collections.Counter[str] = collections.Counter()
        self._dropped: collections.Counter[str] = collections.Counter()
        self._faulted: collections.Counter[str] = collections.Counter()
        self._statuses: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
        self._history: collections.deque[RequestRecord] = collections.deque(maxlen=history_limit)
        self._history_dropped = 0
        self._sequence = 0  # the id of the last request recorded
        self._dropped_records: collections.Counter[str] = collections.Counter()
        self._deliveries: collections.deque[Delivery] = collections.deque(maxlen=record_limit)
        self._delivered = 0  # every delivery ever recorded, including those the deque has let go
        self._violations: collections.deque[Violation] = collections.deque(maxlen=record_limit)
        self._in_flight = 0
        self._changed = threading.Condition(self._lock)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock and hand out the containers, so a check-then-store is atomic; on the way out, the oldest
        records beyond ``record_limit`` (per kind) are dropped."""
        with self._lock:
            yield self._store
            self._prune(self._store)

    def _prune(self, store: Store) -> None:
        limit = self.record_limit
        for kind in _DICT_KINDS:
            records: dict[Any, Any] = getattr(store, kind)
            while len(records) > limit:
                key = next(iter(records))
                self._drop(store, kind, records.pop(key))
        if len(store.messages) > limit:
            excess = len(store.messages) - limit
            del store.messages[:excess]
            self._dropped_records["messages"] += excess

    def _drop(self, store: Store, kind: str, record: object) -> None:
        """Count a dropped record and let go of what only it held: an index entry, its bytes on disk."""
        self._dropped_records[kind] += 1
        if isinstance(record, Upload):
            store.upload_tokens.pop(record.token, None)
            if record.path is not None and record.attachment_id not in store.attachments:
                record.path.unlink(missing_ok=True)
        elif isinstance(record, Attachment):
            if store.names.get(record.name) == record.id:
                del store.names[record.name]
            upload = store.uploads.get(record.request_id)
            if upload is None or upload.path != record.path:
                record.path.unlink(missing_ok=True)
        elif isinstance(record, Content):
            record.path.unlink(missing_ok=True)

    def reset(self) -> None:
        """Forget every record, count and request (the files of the records included), as a new mock would.

        Deliveries still in flight finish and are recorded afterwards.
        """
        with self._changed:
            store = self._store
            for kind in _DICT_KINDS:
                records: dict[Any, Any] = getattr(store, kind)
                while records:
                    self._drop(store, kind, records.pop(next(iter(records))))
            self._store = Store()
            for counter in (self._received, self._processed, self._dropped, self._faulted, self._dropped_records):
                counter.clear()
            self._statuses.clear()
            self._history.clear()
            self._history_dropped = 0
            self._sequence = 0
            self._deliveries.clear()
            self._delivered = 0
            self._violations.clear()
            self._changed.notify_all()

    @property
    def history_dropped(self) -> int:
        """How many requests the history has let go (beyond ``history_limit``), since the start or the last reset."""
        with self._lock:
            return self._history_dropped

    @property
    def dropped_records(self) -> dict[str, int]:
        """How many records of each kind were dropped beyond ``record_limit`` (``messages``, ``deliveries``...)."""
        with self._lock:
            return dict(self._dropped_records)

    def record_counts(self) -> dict[str, int]:
        """How many records of each kind the mock holds now."""
        with self._lock:
            store = self._store
            counts = {kind: len(getattr(store, kind)) for kind in _DICT_KINDS}
            return {**counts, "messages": len(store.messages), "deliveries": len(self._deliveries)}

    @property
    def violations(self) -> list[Violation]:
        """Requests and responses that broke their spec (the last ``record_limit``), oldest first."""
        with self._lock:
            return list(self._violations)

    def add_violation(self, violation: Violation) -> None:
        """Record a violation."""
        with self._lock:
            if len(self._violations) == self._violations.maxlen:
                self._dropped_records["violations"] += 1
            self._violations.append(violation)

    @property
    def uploads(self) -> dict[str, Upload]:
        """Upload links by ``request_id``."""
        with self._lock:
            return dict(self._store.uploads)

    @property
    def attachments(self) -> dict[str, Attachment]:
        """Attachments by id."""
        with self._lock:
            return dict(self._store.attachments)

    @property
    def conversations(self) -> dict[str, Conversation]:
        """Conversations by id."""
        with self._lock:
            return dict(self._store.conversations)

    @property
    def messages(self) -> list[Message]:
        """Messages, in the order they were stored."""
        with self._lock:
            return list(self._store.messages)

    @property
    def actions(self) -> dict[str, Action]:
        """Webex attachment actions by id."""
        with self._lock:
            return dict(self._store.actions)

    @property
    def webex_messages(self) -> dict[str, WebexMessage]:
        """Webex messages by id."""
        with self._lock:
            return dict(self._store.webex_messages)

    @property
    def contents(self) -> dict[str, Content]:
        """Files posted with Webex messages, by content id."""
        with self._lock:
            return dict(self._store.contents)

    @property
    def webhooks(self) -> dict[str, Webhook]:
        """Webex webhooks by id, in the order they were created."""
        with self._lock:
            return dict(self._store.webhooks)

    # Webhook deliveries ---------------------------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        """Webhook deliveries made (the last ``record_limit``), in the order they finished."""
        with self._lock:
            return list(self._deliveries)

    @property
    def deliveries_in_flight(self) -> int:
        """Deliveries scheduled and not finished yet."""
        with self._lock:
            return self._in_flight

    def delivery_started(self) -> None:
        """Count a delivery scheduled (before the API answer that caused it goes out)."""
        with self._lock:
            self._in_flight += 1

    def delivery_finished(self, records: list[Delivery]) -> None:
        """Record how a scheduled delivery ended (none, one or two attempts), and wake whoever waits."""
        with self._changed:
            room = (self._deliveries.maxlen or 0) - len(self._deliveries)
            if len(records) > room:
                self._dropped_records["deliveries"] += len(records) - room
            self._deliveries.extend(records)
            self._delivered += len(records)
            self._in_flight -= 1
            self._changed.notify_all()

    def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        """Block until at least ``count`` deliveries are recorded, then return them all.

        Raises TimeoutError (saying how many there were) if that does not happen within ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: self._delivered >= count, timeout):
                raise TimeoutError(f"expected {count} webhook deliveries, got {self._delivered} in {timeout}s")
            return list(self._deliveries)

    def wait_until_idle(self, timeout: float = 10.0) -> list[Delivery]:
        """Block until no delivery is in flight, then return every delivery recorded.

        A delivery is scheduled before the API answer that causes it is sent, so after that answer this waits
        for it too. Raises TimeoutError if deliveries are still in flight after ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: self._in_flight == 0, timeout):
                raise TimeoutError(f"{self._in_flight} webhook deliveries still in flight after {timeout}s")
            return list(self._deliveries)

    # Request accounting -------------------------------------------------------------------------------------

    def received(self, operation: str) -> None:
        """Count a request that reached the mock."""
        with self._lock:
            self._received[operation] += 1

    def mark_processed(self, operation: str) -> None:
        """Count a request whose handler ran."""
        with self._lock:
            self._processed[operation] += 1

    def finished(
        self,
        operation: str,
        method: str,
        path: str,
        status: int | None,
        outcome: str,
        *,
        started_at: float = 0.0,
        duration_ms: float = 0.0,
        query: str = "",
        request: Captured | None = None,
        response: Captured | None = None,
        violations: tuple[Violation, ...] = (),
    ) -> RequestRecord:
        """Record how a request ended: answered with ``status``, or dropped (``status`` None); the history keeps
        the last ``history_limit`` and counts the ones it lets go."""
        with self._lock:
            if outcome.startswith("dropped"):
                self._dropped[operation] += 1
            if status is not None:
                self._statuses[operation][status] += 1
            if outcome == "faulted":
                self._faulted[operation] += 1
            self._sequence += 1
            record = RequestRecord(
                operation,
                method,
                path,
                status,
                outcome,
                id=self._sequence,
                started_at=started_at,
                duration_ms=duration_ms,
                query=query,
                request=request,
                response=response,
                violations=violations,
            )
            if len(self._history) == self._history.maxlen:
                self._history_dropped += 1
            self._history.append(record)
            return record

    @property
    def requests(self) -> dict[str, int]:
        """Requests received, by operation id (``token``, ``upload``, ``download`` and ``unmatched`` included)."""
        with self._lock:
            return dict(self._received)

    @property
    def processed(self) -> dict[str, int]:
        """Requests whose handler ran, by operation id."""
        with self._lock:
            return dict(self._processed)

    @property
    def dropped(self) -> dict[str, int]:
        """Connections dropped by a fault, by operation id."""
        with self._lock:
            return dict(self._dropped)

    def counts(self, operation: str) -> RequestCounts:
        """All the counts for one operation id."""
        with self._lock:
            return RequestCounts(
                received=self._received[operation],
                processed=self._processed[operation],
                dropped=self._dropped[operation],
                faulted=self._faulted[operation],
                statuses=dict(self._statuses.get(operation, {})),
            )

    @property
    def history(self) -> list[RequestRecord]:
        """The last requests (up to ``history_limit``), oldest first."""
        with self._lock:
            return list(self._history)

    def __repr__(self) -> str:
        with self._lock:
            store = self._store
            return (
                f"MockState(attachments={len(store.attachments)}, conversations={len(store.conversations)}, "
                f"messages={len(store.messages)}, actions={len(store.actions)}, "
                f"webex_messages={len(store.webex_messages)}, webhooks={len(store.webhooks)}, "
                f"deliveries={self._delivered}, "
                f"requests={sum(self._received.values())}, history_dropped={self._history_dropped})"
            )
