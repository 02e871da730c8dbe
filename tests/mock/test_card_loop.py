"""The card loop on the mock, over real HTTP: a webhook to a receiver on loopback, a card posted and submitted, the
signed event delivered in the background (checked with an HMAC computed here), failures that deactivate a webhook,
and the delivery faults. Nothing sleeps: tests wait on the mock's delivery record or on the receiver."""

from __future__ import annotations

import json
import random
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from attachkit.testing import MockServer, parse_fault
from tests._support.plain_http import bearer
from tests._support.servers import strict_mock
from tests.mock.receiver import Receiver
from tests.mock.webex_steps import CARD, MESSAGES, WEBHOOKS, create_webhook, hmac_sha1_hex, post_message, submit_card

SECRET = "a shared secret, é and all"


@pytest.fixture
def fresh() -> Iterator[MockServer]:
    """A mock of this test's own, so no other test's webhook receives its events."""
    with strict_mock() as mock:
        yield mock


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver answering 204 to everything."""
    with Receiver() as running:
        yield running


def webhook_status(http: httpx.Client, mock: MockServer, webhook_id: str) -> str:
    response = http.get(f"{mock.webex_base_url}{WEBHOOKS}/{webhook_id}", headers=bearer(mock.webex_token))
    assert response.status_code == 200
    return str(response.json()["status"])


def test_the_card_loop(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    wx = bearer(fresh.webex_token)
    hook = create_webhook(http, fresh, wx, receiver.url, name="cards", secret=SECRET)
    card = post_message(http, fresh, wx, roomId="r-loop", markdown="Your name?", attachments=[CARD])
    action = submit_card(http, fresh, wx, card["id"])
    assert action["roomId"] == "r-loop"  # the action is in its message's room

    [received] = receiver.wait_for(1)
    # The signature, checked without attachkit: HMAC-SHA1 of the bytes as received, keyed by the secret.
    assert received.headers["x-spark-signature"] == hmac_sha1_hex(SECRET, received.body)
    assert received.headers["content-type"].startswith("application/json")
    event = json.loads(received.body)
    assert {k: event[k] for k in ("id", "name", "targetUrl", "resource", "event", "status")} == {
        "id": hook["id"],
        "name": "cards",
        "targetUrl": receiver.url,
        "resource": "attachmentActions",
        "event": "created",
        "status": "active",
    }
    assert {k: event[k] for k in ("orgId", "createdBy", "appId", "ownedBy", "created")} == {
        k: hook[k] for k in ("orgId", "createdBy", "appId", "ownedBy", "created")
    }
    assert event["actorId"] == action["personId"]
    # The event names the action, without its inputs: the receiver reads them by id.
    assert event["data"] == {k: action[k] for k in ("id", "type", "messageId", "personId", "roomId", "created")}
    fetched = http.get(f"{fresh.webex_base_url}/attachment/actions/{event['data']['id']}", headers=wx)
    assert fetched.json()["inputs"] == {"Name": "Ada"}

    [delivery] = fresh.wait_for_deliveries(1)
    assert (delivery.webhook_id, delivery.resource, delivery.event) == (hook["id"], "attachmentActions", "created")
    assert (delivery.target_url, delivery.status, delivery.error, delivery.ok) == (receiver.url, 204, None, True)
    assert delivery.body == received.body
    assert delivery.signature == received.headers["x-spark-signature"]


def test_a_message_event_without_a_secret_is_unsigned(
    http: httpx.Client, fresh: MockServer, receiver: Receiver
) -> None:
    wx = bearer(fresh.webex_token)
    create_webhook(http, fresh, wx, receiver.url, resource="messages")
    message = post_message(http, fresh, wx, roomId="r-plain", text="hello")
    [received] = receiver.wait_for(1)
    assert "x-spark-signature" not in received.headers
    event = json.loads(received.body)
    assert (event["resource"], event["event"], event["data"]["id"]) == ("messages", "created", message["id"])
    assert {k: event["data"][k] for k in ("roomId", "roomType", "personId", "personEmail")} == {
        k: message[k] for k in ("roomId", "roomType", "personId", "personEmail")
    }
    assert "text" not in event["data"]
    [delivery] = fresh.wait_for_deliveries(1)
    assert delivery.signature is None


def test_only_matching_webhooks_get_the_event(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    wx = bearer(fresh.webex_token)
    in_room = create_webhook(http, fresh, wx, receiver.url, resource="messages", filter="roomId=r-watched")
    create_webhook(http, fresh, wx, receiver.url, resource="messages", event="deleted")
    create_webhook(http, fresh, wx, receiver.url, resource="attachmentActions")
    post_message(http, fresh, wx, roomId="r-other", text="not watched")
    watched = post_message(http, fresh, wx, roomId="r-watched", text="watched")
    deliveries = fresh.wait_until_idle()
    assert [(d.webhook_id, json.loads(d.body)["data"]["id"]) for d in deliveries] == [(in_room["id"], watched["id"])]

    deleted = http.delete(f"{fresh.webex_base_url}{MESSAGES}/{watched['id']}", headers=wx)
    assert deleted.status_code == 204
    deliveries = fresh.wait_until_idle()
    assert [(d.resource, d.event) for d in deliveries] == [("messages", "created"), ("messages", "deleted")]


def test_the_answer_does_not_wait_for_the_delivery(http: httpx.Client, fresh: MockServer) -> None:
    wx = bearer(fresh.webex_token)
    with Receiver(hold=True) as slow:
        create_webhook(http, fresh, wx, slow.url, resource="messages")
        post_message(http, fresh, wx, roomId="r", text="quick")  # answered while the receiver holds its answer
        slow.wait_for(1)
        assert fresh.state.deliveries_in_flight == 1
        assert fresh.deliveries == []
        slow.release()
        [delivery] = fresh.wait_for_deliveries(1)
        assert delivery.status == 204


# Failures and deactivation ---------------------------------------------------------------------------------


def test_inactive_after_the_limit_and_reactivated(http: httpx.Client) -> None:
    with strict_mock(webhook_failure_limit=3) as mock, Receiver(500, 500, 500, 204) as failing:
        wx = bearer(mock.webex_token)
        hook = create_webhook(http, mock, wx, failing.url, resource="messages")
        for count in (1, 2, 3):
            assert webhook_status(http, mock, hook["id"]) == "active"
            post_message(http, mock, wx, roomId="r", text=f"attempt {count}")
            mock.wait_for_deliveries(count)
        assert [(d.status, d.error, d.ok) for d in mock.deliveries] == [(500, "answered 500", False)] * 3
        assert webhook_status(http, mock, hook["id"]) == "inactive"
        assert mock.state.webhooks[hook["id"]].failures == 3

        post_message(http, mock, wx, roomId="r", text="not delivered")
        assert len(mock.wait_until_idle()) == 3  # an inactive webhook gets nothing
        assert len(failing.received) == 3

        url = f"{mock.webex_base_url}{WEBHOOKS}/{hook['id']}"
        body = {"name": "again", "targetUrl": failing.url, "status": "active"}
        reactivated = http.put(url, json=body, headers=wx)
        assert reactivated.json()["status"] == "active"
        assert mock.state.webhooks[hook["id"]].failures == 0
        post_message(http, mock, wx, roomId="r", text="delivered")
        assert mock.wait_for_deliveries(4)[-1].status == 204


def test_a_success_resets_the_count(http: httpx.Client) -> None:
    with strict_mock(webhook_failure_limit=2) as mock, Receiver(503, 200, 503, 200) as flaky:
        wx = bearer(mock.webex_token)
        hook = create_webhook(http, mock, wx, flaky.url, resource="messages")
        for count in (1, 2, 3):
            post_message(http, mock, wx, roomId="r", text=str(count))
            mock.wait_for_deliveries(count)
        assert [d.status for d in mock.deliveries] == [503, 200, 503]
        assert webhook_status(http, mock, hook["id"]) == "active"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_no_connection_counts_as_a_failure(http: httpx.Client) -> None:
    with strict_mock(webhook_failure_limit=1) as mock:
        wx = bearer(mock.webex_token)
        hook = create_webhook(http, mock, wx, f"http://127.0.0.1:{free_port()}/hook", resource="messages")
        post_message(http, mock, wx, roomId="r", text="nobody home")
        [delivery] = mock.wait_for_deliveries(1)
        assert delivery.status is None and delivery.error and "ConnectError" in delivery.error
        assert webhook_status(http, mock, hook["id"]) == "inactive"


def test_a_timeout_counts_as_a_failure(http: httpx.Client) -> None:
    with strict_mock(webhook_failure_limit=1, webhook_timeout=0.2) as mock, Receiver(hold=True) as stuck:
        wx = bearer(mock.webex_token)
        hook = create_webhook(http, mock, wx, stuck.url, resource="messages")
        post_message(http, mock, wx, roomId="r", text="too slow")
        [delivery] = mock.wait_for_deliveries(1)
        assert delivery.status is None and delivery.error is not None and delivery.error.startswith("timeout")
        assert webhook_status(http, mock, hook["id"]) == "inactive"


# Delivery faults -----------------------------------------------------------------------------------------------


def loop_with_fault(http: httpx.Client, mock: MockServer, receiver: Receiver, fault: str) -> dict[str, Any]:
    """A signed attachmentActions webhook, the fault installed, a card posted and submitted; the webhook."""
    wx = bearer(mock.webex_token)
    hook = create_webhook(http, mock, wx, receiver.url, secret=SECRET)
    mock.faults.add_spec(fault)
    card = post_message(http, mock, wx, roomId="r-fault", text="card", attachments=[CARD])
    submit_card(http, mock, wx, card["id"])
    return hook


def test_duplicate(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    loop_with_fault(http, fresh, receiver, "webhook_delivery:duplicate:times=1")
    first, second = receiver.wait_for(2)
    assert first.body == second.body
    assert (
        first.headers["x-spark-signature"] == second.headers["x-spark-signature"] == hmac_sha1_hex(SECRET, first.body)
    )
    deliveries = fresh.wait_for_deliveries(2)
    assert [d.duplicate for d in deliveries] == [False, True]
    assert {d.fault for d in deliveries} == {"webhook_delivery:duplicate:times=1"}


def test_drop(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    hook = loop_with_fault(http, fresh, receiver, "webhook_delivery:drop")
    [delivery] = fresh.wait_until_idle()
    assert (delivery.status, delivery.error) == (None, "dropped by a fault: never sent")
    assert receiver.received == []
    assert fresh.state.webhooks[hook["id"]].failures == 0  # lost on the way is not the receiver's failure


def test_bad_signature(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    loop_with_fault(http, fresh, receiver, "webhook_delivery:bad-signature")
    [received] = receiver.wait_for(1)
    signature = received.headers["x-spark-signature"]
    assert len(signature) == 40 and signature == signature.lower()
    assert signature != hmac_sha1_hex(SECRET, received.body)
    [delivery] = fresh.wait_for_deliveries(1)
    assert delivery.signature == signature


def test_bad_signature_without_a_secret(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    wx = bearer(fresh.webex_token)
    create_webhook(http, fresh, wx, receiver.url, resource="messages")
    fresh.faults.add("webhook_delivery", bad_signature=True, times=1)
    post_message(http, fresh, wx, roomId="r", text="x")
    [received] = receiver.wait_for(1)
    assert len(received.headers["x-spark-signature"]) == 40


def test_latency(http: httpx.Client, fresh: MockServer) -> None:
    with Receiver() as receiver:
        loop_with_fault(http, fresh, receiver, "webhook_delivery:latency=0.3:times=1")
        answered = time.monotonic()  # the submission was answered; its delivery waits 0.3 s from before that
        [delivery] = fresh.wait_for_deliveries(1)
        assert time.monotonic() - answered > 0.1
        assert (delivery.status, delivery.fault) == (204, "webhook_delivery:latency=0.3:times=1")


def test_a_probability_rule_is_reproducible(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    wx = bearer(fresh.webex_token)
    create_webhook(http, fresh, wx, receiver.url, resource="messages")
    fresh.faults.add_spec("webhook_delivery:drop:p=0.5:seed=3")
    for count in range(1, 9):
        post_message(http, fresh, wx, roomId="r", text=str(count))
        fresh.wait_for_deliveries(count)
    dropped = [d.error is not None for d in fresh.deliveries]
    dice = random.Random(3)  # the rule's own generator, seeded alike: one draw per delivery
    assert dropped == [dice.random() < 0.5 for _ in range(8)]
    assert 0 < sum(dropped) < 8


def test_an_api_wildcard_never_reaches_deliveries(http: httpx.Client, fresh: MockServer, receiver: Receiver) -> None:
    wx = bearer(fresh.webex_token)
    create_webhook(http, fresh, wx, receiver.url, resource="messages")
    fresh.faults.add_spec("*:latency=0.01")
    post_message(http, fresh, wx, roomId="r", text="x")
    [delivery] = fresh.wait_for_deliveries(1)
    assert delivery.fault is None


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("webhook_delivery:503", "latency, drop, duplicate or bad-signature"),
        ("webhook_delivery:drop-after", "latency, drop, duplicate or bad-signature"),
        ("webhook_delivery:drop:duplicate", "either dropped or duplicated"),
        ("create_message:duplicate", "only apply to webhook_delivery"),
        ("*:bad-signature", "only apply to webhook_delivery"),
        ("create_message:drop", "drop-before or drop-after"),
        ("webhook_delivery:times=2", "needs a status, a drop or some latency"),
    ],
)
def test_delivery_fault_syntax_errors(spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_fault(spec)


def test_delivery_faults_read_back_in_the_same_syntax() -> None:
    for spec in ("webhook_delivery:drop:times=1", "webhook_delivery:duplicate:p=0.25:seed=9"):
        assert parse_fault(spec).describe() == spec
    assert parse_fault("webhook_delivery:drop-before").describe() == "webhook_delivery:drop"
