"""200 concurrent async operations across both vendors, with faults and two token expiries during the run.

Every operation completes or fails with a typed error; each expiry costs exactly one token request however many
requests hit the 401 at once (single-flight refresh); and the mock's state reconciles with what callers were told.
"""

from __future__ import annotations

import asyncio
import collections
import random
import uuid

import attrs
import httpx

from attachkit import AsyncTalkdeskClient, AsyncWebexClient, FakeClock, errors
from attachkit.testing import MockServer
from tests._support.plain_http import start_conversation, talkdesk_headers, upload
from tests.resilience import figures

OPERATIONS = 200
GATED = 30  # Talkdesk operations held back until after each expiry, so that each expiry meets fresh requests
API_OPERATIONS = ("create_attachment", "send_message", "start_conversation", "create_attachment_action")
# Faults on the API operations only: token requests then count refreshes, and nothing else.
FAULT_RULES = [
    "{op}:503:p=0.08:seed=1",
    "{op}:429:retry-after=1:p=0.05:seed=2",
    "{op}:502:p=0.04:seed=3",
    "{op}:drop-before:p=0.03:seed=4",
    "{op}:drop-after:p=0.03:seed=5",
]


@attrs.define
class Op:
    kind: str
    key: str
    request_id: str = ""
    conversation_id: str = ""
    ok: bool = False
    error: BaseException | None = None

    @property
    def talkdesk(self) -> bool:
        return self.kind != "create_attachment_action"


async def _call(op: Op, td: AsyncTalkdeskClient, wx: AsyncWebexClient) -> None:
    try:
        if op.kind == "create_attachment":
            await td.attachments.create(name=op.key, request_id=op.request_id)
        elif op.kind == "send_message":
            await td.conversations.send_message(op.conversation_id, content=op.key)
        elif op.kind == "start_conversation":
            await td.conversations.start(touchpoint_id="tp-1", subject=op.key)
        else:
            await wx.attachment_actions.create(message_id=op.key, inputs={"Name": op.key})
    except errors.AttachkitError as exc:
        op.error = exc
    except Exception as exc:  # recorded, so the test can show what escaped untyped
        op.error = exc
    else:
        op.ok = True


def _plan(mock: MockServer, http: httpx.Client, rng: random.Random) -> list[Op]:
    headers = talkdesk_headers(http, mock)
    conversations = [start_conversation(http, mock, headers) for _ in range(8)]
    prefix = f"conc-{uuid.uuid4().hex[:8]}"
    kinds = ["create_attachment"] * 60 + ["send_message"] * 60 + ["start_conversation"] * 20
    kinds += ["create_attachment_action"] * (OPERATIONS - len(kinds))
    rng.shuffle(kinds)
    ops = []
    for i, kind in enumerate(kinds):
        op = Op(kind, f"{prefix}-{i}")
        if kind == "create_attachment":
            op.request_id = upload(http, mock, headers)
        elif kind == "send_message":
            op.conversation_id = rng.choice(conversations)
        ops.append(op)
    return ops


def _records(mock: MockServer, op: Op) -> int:
    if op.kind == "create_attachment":
        return sum(a.name == op.key for a in mock.state.attachments.values())
    if op.kind == "send_message":
        return sum(m.content == op.key for m in mock.state.messages)
    if op.kind == "start_conversation":
        return sum(c.request.get("subject") == op.key for c in mock.state.conversations.values())
    return sum(a.message_id == op.key for a in mock.state.actions.values())


def test_200_concurrent_operations_with_faults_and_token_expiries(mock: MockServer, http: httpx.Client) -> None:
    rng = random.Random(200)
    ops = _plan(mock, http, rng)
    talkdesk_ops = [op for op in ops if op.talkdesk]
    gate_one, gate_two = talkdesk_ops[:GATED], talkdesk_ops[GATED : 2 * GATED]
    gated = {id(op) for op in gate_one + gate_two}
    free = [op for op in ops if id(op) not in gated]
    for rule in FAULT_RULES:
        for operation in API_OPERATIONS:
            mock.faults.add_spec(rule.format(op=operation))
    fired_before = mock.faults.fired
    tokens_before = mock.state.counts("token").received
    unauthorized_before = sum(mock.state.counts(op).statuses.get(401, 0) for op in API_OPERATIONS)
    clock = FakeClock()

    def tokens() -> int:
        return mock.state.counts("token").received - tokens_before

    async def main() -> int:
        opened = [asyncio.Event(), asyncio.Event()]
        done = 0
        third = asyncio.Event()

        async with (
            AsyncTalkdeskClient(**mock.talkdesk_kwargs(), clock=clock) as td,
            AsyncWebexClient(**mock.webex_kwargs(), clock=clock) as wx,
        ):

            async def free_op(op: Op) -> None:
                nonlocal done
                await _call(op, td, wx)
                done += 1
                if done >= len(free) // 3:
                    third.set()

            async def gated_op(op: Op, gate: asyncio.Event) -> None:
                await gate.wait()
                await _call(op, td, wx)

            tasks = [asyncio.create_task(free_op(op)) for op in free]
            batches = [
                [asyncio.create_task(gated_op(op, opened[0])) for op in gate_one],
                [asyncio.create_task(gated_op(op, opened[1])) for op in gate_two],
            ]

            expiries = 0
            await third.wait()  # a third of the run is done: every Talkdesk request so far shared one token
            assert tokens() == 1
            for number, (gate, batch) in enumerate(zip(opened, batches, strict=True), start=1):
                assert mock.expire_tokens() >= 1  # the client's token (and the setup's, the first time)
                expiries += 1
                gate.set()  # thirty Talkdesk calls start at once on the expired token
                await asyncio.gather(*batch)
                assert tokens() == 1 + number, f"expiry {number} cost exactly one token request"
            await asyncio.gather(*tasks)
            return expiries

    expiries = asyncio.run(main())
    mock.faults.clear()

    # Every operation completed, or failed with a typed error.
    untyped = [repr(op.error) for op in ops if op.error is not None and not isinstance(op.error, errors.AttachkitError)]
    assert untyped == []
    assert all(op.ok or op.error is not None for op in ops)
    # One token for the run, and exactly one more per expiry, although many requests met each expired token.
    assert tokens() == 1 + expiries
    unauthorized = sum(mock.state.counts(op).statuses.get(401, 0) for op in API_OPERATIONS) - unauthorized_before
    assert unauthorized >= expiries
    # The state reconciles: successes once, keyed sends never twice, refused creates absent.
    for op in ops:
        present = _records(mock, op)
        if op.ok:
            assert present == 1, (op.kind, op.key)
        elif op.kind in ("send_message", "start_conversation") or isinstance(op.error, errors.APIConnectionError):
            assert present <= 1, (op.kind, op.key)
        else:
            assert present == 0, (op.kind, op.key, repr(op.error))
    failures = collections.Counter(type(op.error).__name__ for op in ops if op.error is not None)
    figures.record(
        "concurrency (async, both vendors)",
        **{
            "operations": len(ops),
            "succeeded": sum(op.ok for op in ops),
            "typed failures": sum(failures.values()),
            "faults injected": mock.faults.fired - fired_before,
            "retries": len(clock.sleeps),
            "token expiries": expiries,
            "requests refused 401": unauthorized,
            "token requests": tokens(),
        },
    )
    assert mock.faults.fired > fired_before
