"""Nothing lost, nothing doubled: a seeded run of mixed operations under random faults, sync and async, reconciled
exactly against the mock's state afterwards.

Each operation ends in what its caller was told: success, or a typed `attachkit.errors` exception (only those are
caught: anything else propagates and fails the run). Afterwards every record the mock holds for the run is matched
with the operation that made it:

- a success is present exactly once (else it is "lost" or "duplicated");
- a failed non-idempotent create (`create_attachment`, `create_attachment_action`) that ended with an API error is
  absent: attachkit retries those only after refusals (429/423/503) and connect failures, where the server did not act;
- one that ended with `APIConnectionError` is "ambiguous": the server may have acted before the connection dropped, so
  the record may exist (never twice);
- a keyed call (`start`, `send_message`) never makes two records, whatever happened; when it failed and its caller
  owns the key, sending it again with the same key (as the docs tell callers to) leaves exactly one record.
"""

from __future__ import annotations

import asyncio
import collections
import random
import uuid
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, TalkdeskClient, WebexClient, errors
from attachkit.testing import MockServer
from tests._support.plain_http import start_conversation, talkdesk_headers
from tests.resilience import figures

# The fault mix, as the mock's command-line syntax: every rule on every operation (and the token, upload and
# download endpoints), each with its own seeded dice. The first rule that fires decides a request's fault.
FAULT_RULES = (
    "*:429:retry-after=1:p=0.04:seed={seed}1",
    "*:429:p=0.02:seed={seed}2:retry-after-raw=rand(30),add(30)",  # a raw value takes the rest: last
    "*:429:retry-after=3600:p=0.01:seed={seed}3",
    "*:423:p=0.02:seed={seed}4",
    "*:500:p=0.02:seed={seed}5",
    "*:502:p=0.03:seed={seed}6",
    "*:503:p=0.04:seed={seed}7",
    "*:504:p=0.03:seed={seed}8",
    "*:drop-before:p=0.03:seed={seed}9",
    "*:drop-after:p=0.04:seed={seed}0",
)
KINDS = ("upload", "start", "send", "action", "read")
WEIGHTS = (2, 1, 3, 2, 2)
EXPIRE_EVERY = 25  # operations between two expiries of every Talkdesk token
ASYNC_BATCH = 10  # async operations in flight together


@attrs.define
class Op:
    """One operation and what its caller was told."""

    index: int
    kind: str
    key: str  # attachment name, conversation subject, message content or action messageId
    idempotency_key: str | None = None
    conversation_id: str = ""
    ok: bool = False
    error: BaseException | None = None


@attrs.define
class Run:
    """The plan of a run and what happened."""

    seed: int
    prefix: str
    conversations: list[str]
    ops: list[Op] = attrs.Factory(list)
    readable: list[tuple[str, str, str]] = attrs.Factory(list)  # (kind, id, expected key) of successes

    def plan(self, count: int, rng: random.Random) -> list[Op]:
        planned = []
        for _ in range(count):
            index = len(self.ops)
            kind = rng.choices(KINDS, WEIGHTS)[0]
            op = Op(index, kind, f"{self.prefix}-{index}")
            if kind in ("start", "send") and rng.random() < 0.5:
                op.idempotency_key = f"{self.prefix}-key-{index}"  # the caller owns the key, and can resend
            if kind == "send":
                op.conversation_id = rng.choice(self.conversations)
            self.ops.append(op)
            planned.append(op)
        return planned


def _finish(op: Op, call: Callable[[], Any]) -> Any:
    try:
        result = call()
    except errors.AttachkitError as exc:
        op.error = exc
        return None
    op.ok = True
    return result


def _run_sync(run: Run, ops: list[Op], mock: MockServer, clock: FakeClock) -> None:
    with (
        TalkdeskClient(**mock.talkdesk_kwargs(), clock=clock) as td,
        WebexClient(**mock.webex_kwargs(), clock=clock) as wx,
    ):
        for op in ops:
            if op.index % EXPIRE_EVERY == 0:
                mock.expire_tokens()
            if op.kind == "read":
                _read(run, op, td, wx)
                continue
            result = _finish(op, lambda op=op: _write(op, td, wx))
            _remember(run, op, result)


def _write(op: Op, td: TalkdeskClient, wx: WebexClient) -> Any:
    if op.kind == "upload":
        return td.attachments.upload(b"soak bytes", name=op.key, content_type="text/plain")
    if op.kind == "start":
        return td.conversations.start(touchpoint_id="tp-1", subject=op.key, idempotency_key=op.idempotency_key)
    if op.kind == "send":
        return td.conversations.send_message(op.conversation_id, content=op.key, idempotency_key=op.idempotency_key)
    return wx.attachment_actions.create(message_id=op.key, inputs={"Name": op.key})


def _read(run: Run, op: Op, td: TalkdeskClient, wx: WebexClient) -> None:
    if not run.readable:
        op.ok = True
        return
    kind, ident, key = run.readable[op.index % len(run.readable)]
    found = _finish(op, lambda: td.attachments.get(ident) if kind == "upload" else wx.attachment_actions.get(ident))
    if found is not None:  # what was created is what is read back
        assert (found.name if kind == "upload" else found.message_id) == key


async def _run_async(run: Run, ops: list[Op], mock: MockServer, clock: FakeClock) -> None:
    async with (
        AsyncTalkdeskClient(**mock.talkdesk_kwargs(), clock=clock) as td,
        AsyncWebexClient(**mock.webex_kwargs(), clock=clock) as wx,
    ):
        for start in range(0, len(ops), ASYNC_BATCH):
            batch = ops[start : start + ASYNC_BATCH]
            if any(op.index % EXPIRE_EVERY == 0 for op in batch):
                mock.expire_tokens()
            await asyncio.gather(*(_aop(run, op, td, wx) for op in batch))


async def _aop(run: Run, op: Op, td: AsyncTalkdeskClient, wx: AsyncWebexClient) -> None:
    if op.kind == "read":
        if not run.readable:
            op.ok = True
            return
        kind, ident, key = run.readable[op.index % len(run.readable)]
        try:
            found = await (td.attachments.get(ident) if kind == "upload" else wx.attachment_actions.get(ident))
        except errors.AttachkitError as exc:
            op.error = exc
            return
        op.ok = True
        assert (found.name if kind == "upload" else found.message_id) == key
        return
    try:
        if op.kind == "upload":
            result: Any = await td.attachments.upload(b"soak bytes", name=op.key, content_type="text/plain")
        elif op.kind == "start":
            result = await td.conversations.start(
                touchpoint_id="tp-1", subject=op.key, idempotency_key=op.idempotency_key
            )
        elif op.kind == "send":
            result = await td.conversations.send_message(
                op.conversation_id, content=op.key, idempotency_key=op.idempotency_key
            )
        else:
            result = await wx.attachment_actions.create(message_id=op.key, inputs={"Name": op.key})
    except errors.AttachkitError as exc:
        op.error = exc
        return
    op.ok = True
    _remember(run, op, result)


def _remember(run: Run, op: Op, result: Any) -> None:
    if result is None:
        return
    if op.kind == "upload":
        run.readable.append(("upload", result.id, op.key))
    elif op.kind == "action":
        run.readable.append(("action", result.id, op.key))
    elif op.kind == "send":
        assert result.idempotency_key == (op.idempotency_key or result.idempotency_key)


def _records(mock: MockServer, prefix: str) -> collections.Counter[tuple[str, str]]:
    """Every record of the run in the mock, by (kind, key)."""
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    for attachment in mock.state.attachments.values():
        if attachment.name.startswith(prefix):
            found["upload", attachment.name] += 1
    for conversation in mock.state.conversations.values():
        subject = conversation.request.get("subject", "")
        if isinstance(subject, str) and subject.startswith(prefix):
            found["start", subject] += 1
    for message in mock.state.messages:
        if message.content.startswith(prefix):
            found["send", message.content] += 1
    for action in mock.state.actions.values():
        if action.message_id.startswith(prefix):
            found["action", action.message_id] += 1
    return found


def soak(mock: MockServer, http: httpx.Client, operations: int, seed: int) -> dict[str, int]:
    headers = talkdesk_headers(http, mock)
    run = Run(seed, f"soak{seed}-{uuid.uuid4().hex[:8]}", [start_conversation(http, mock, headers) for _ in range(5)])
    rng = random.Random(seed)
    fired_before = mock.faults.fired
    for rule in FAULT_RULES:
        mock.faults.add_spec(rule.format(seed=seed))
    sync_clock, async_clock = FakeClock(), FakeClock()
    _run_sync(run, run.plan(operations // 2, rng), mock, sync_clock)
    asyncio.run(_run_async(run, run.plan(operations - operations // 2, rng), mock, async_clock))
    faults = mock.faults.fired - fired_before
    mock.faults.clear()

    records = _records(mock, run.prefix)
    writes = [op for op in run.ops if op.kind != "read"]
    keys = {(op.kind, op.key) for op in writes}
    assert set(records) <= keys, f"records no operation made: {set(records) - keys}"
    duplicates = sum(count - 1 for count in records.values() if count > 1)
    lost = [op for op in writes if op.ok and records[op.kind, op.key] != 1]
    phantoms: list[Op] = []
    unsure_keyed: list[Op] = []
    ambiguous = stored_though_failed = 0
    for op in writes:
        if op.ok:
            continue
        present = records[op.kind, op.key]
        stored_though_failed += present
        if op.kind in ("upload", "action"):
            if isinstance(op.error, errors.APIConnectionError):
                ambiguous += 1  # the server may have acted before the connection went: 0 or 1 record
            elif present:
                phantoms.append(op)  # the server refused it, yet it is stored
        else:
            ambiguous += 1  # a keyed call may have failed after an attempt the server did act on: 0 or 1 record
            if op.idempotency_key is not None:
                unsure_keyed.append(op)
    assert duplicates == 0, [key for key, count in records.items() if count > 1]
    assert lost == [], lost
    assert phantoms == [], [(op.kind, op.key, repr(op.error)) for op in phantoms]

    # The callers that own their keys resend their failed keyed calls: each then exists exactly once.
    with TalkdeskClient(**mock.talkdesk_kwargs(), clock=FakeClock()) as td:
        for op in unsure_keyed:
            if op.kind == "start":
                td.conversations.start(touchpoint_id="tp-1", subject=op.key, idempotency_key=op.idempotency_key)
            else:
                td.conversations.send_message(op.conversation_id, content=op.key, idempotency_key=op.idempotency_key)
    records = _records(mock, run.prefix)
    assert all(records[op.kind, op.key] == 1 for op in unsure_keyed)
    assert sum(count - 1 for count in records.values() if count > 1) == 0

    failures = collections.Counter(type(op.error).__name__ for op in run.ops if op.error is not None)
    return {
        "operations": len(run.ops),
        "succeeded": sum(op.ok for op in run.ops),
        "typed failures": sum(failures.values()),
        "faults injected": faults,
        "retries": len(sync_clock.sleeps) + len(async_clock.sleeps),
        "ambiguous": ambiguous,
        "stored though failed": stored_though_failed,
        "resent by key": len(unsure_keyed),
        "duplicates": duplicates,
        "lost": len(lost),
    }


def _report(name: str, result: dict[str, int]) -> None:
    figures.record(name, **result)
    # Faults did fire, and were retried: a run that injected nothing would prove nothing.
    assert result["faults injected"] > result["operations"] // 10
    assert result["retries"] > 0
    assert result["typed failures"] > 0


def test_nothing_lost_nothing_doubled(mock: MockServer, http: httpx.Client) -> None:
    _report("soak (100 operations)", soak(mock, http, operations=100, seed=6))


@pytest.mark.slow
def test_nothing_lost_nothing_doubled_500_operations(mock: MockServer, http: httpx.Client) -> None:
    _report("soak (500 operations)", soak(mock, http, operations=500, seed=500))
