"""Retries: which failures are retried, how long each wait is, and that nothing is sent twice unsafely."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from attachkit import FakeClock, RetryPolicy, errors
from attachkit._retry import parse_retry_after
from tests.client.fakes import ACTION, ATTACHMENT, MESSAGE, FakeAPI, talkdesk, webex

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"retry-after-ms": "junk", "Retry-After": "9"}, 9.0),
        ({"Retry-After": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
        ({"Retry-After": email.utils.formatdate(NOW - 70, usegmt=True)}, 0.0),
        ({"Retry-After": "rand(30),add(30)"}, None),
        ({"Retry-After": "-5"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": ""}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def _flat_jitter() -> float:
    return 0.0  # backoff is then exactly half its nominal value: 0.25, 0.5, 1.0, ...


@pytest.mark.parametrize(
    ("headers", "waits"),
    [
        ({"Retry-After": "3"}, [3.0, 3.0]),
        ({"retry-after-ms": "250"}, [0.25, 0.25]),
        ({"Retry-After": "rand(30),add(30)"}, [0.25, 0.5]),
        ({"Retry-After": "-1"}, [0.25, 0.5]),
        ({}, [0.25, 0.5]),
    ],
)
def test_429_honours_retry_after_then_gives_up_with_the_typed_error(
    headers: dict[str, str], waits: list[float]
) -> None:
    api, clock = FakeAPI(), FakeClock()
    api.script("/attachment/actions", httpx.Response(429, headers=headers, json={"message": "slow"}))
    with webex(api, clock, retry=RetryPolicy(jitter=_flat_jitter)) as wx, pytest.raises(errors.RateLimitError):
        wx.attachment_actions.create(message_id="m", inputs={})
    assert api.count("/attachment/actions") == 3
    assert clock.sleeps == waits


def test_a_wait_beyond_max_retry_wait_raises_at_once_with_retry_after() -> None:
    api, clock = FakeAPI(), FakeClock()
    api.script("/attachment/actions", httpx.Response(429, headers={"Retry-After": "3600"}))
    with webex(api, clock) as wx, pytest.raises(errors.RateLimitError) as caught:
        wx.attachment_actions.create(message_id="m", inputs={})
    assert caught.value.retry_after == 3600.0
    assert api.count("/attachment/actions") == 1
    assert clock.sleeps == []


def test_success_after_retries() -> None:
    api, clock = FakeAPI(), FakeClock()
    api.script(
        "/attachment/actions",
        httpx.Response(503, headers={"Retry-After": "1"}),
        httpx.Response(423),
        httpx.Response(200, json=ACTION),
    )
    with webex(api, clock, retry=RetryPolicy(jitter=_flat_jitter)) as wx:
        action = wx.attachment_actions.create(message_id="m-1", inputs={"Name": "Ada"})
    assert action.id == "act-1"
    assert clock.sleeps == [1.0, 0.5]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_create_without_idempotency_is_not_retried_after_the_server_may_have_acted(status: int) -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03", httpx.Response(status, json={"code": "x", "message": "boom"}))
    with talkdesk(api) as td, pytest.raises(errors.InternalServerError):
        td.attachments.create(name="a.txt", request_id="r")
    assert api.count("/attachments/2023-03") == 1


@pytest.mark.parametrize("status", [502, 504])
def test_gets_and_keyed_posts_are_retried_on_502_504(status: int) -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(status), httpx.Response(200, json=ATTACHMENT))
    api.script("/messages", httpx.Response(status), httpx.Response(201, json=MESSAGE))
    with talkdesk(api) as td:
        assert td.attachments.get("att-1").id == "att-1"
        sent = td.conversations.send_message("conv-1", content="hi")
    assert api.count("/attachments/2023-03/att-1") == 2
    keys = {r.headers["x-idempotency-key"] for r in api.sent("/messages")}
    assert keys == {sent.idempotency_key}, "every attempt carries the same key"


def test_500_is_never_retried() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/att-1", httpx.Response(500))
    with talkdesk(api) as td, pytest.raises(errors.InternalServerError):
        td.attachments.get("att-1")
    assert api.count("/attachments/2023-03/att-1") == 1


def _raise(exc: Exception):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def test_connect_errors_are_retried_even_for_creates() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", _raise(httpx.ConnectError("refused")), httpx.Response(202, json=ACTION))
    with webex(api) as wx:
        assert wx.attachment_actions.create(message_id="m-1", inputs={}).id == "act-1"
    assert api.count("/attachment/actions") == 2


def test_a_dropped_create_is_not_resent_and_surfaces_as_a_connection_error() -> None:
    api = FakeAPI()
    api.script("/attachment/actions", _raise(httpx.RemoteProtocolError("closed without response")))
    with webex(api) as wx, pytest.raises(errors.APIConnectionError) as caught:
        wx.attachment_actions.create(message_id="m-1", inputs={})
    assert api.count("/attachment/actions") == 1
    assert "RemoteProtocolError" in str(caught.value)


def test_a_dropped_keyed_send_is_resent_with_the_same_key() -> None:
    api = FakeAPI()
    api.script("/messages", _raise(httpx.ReadError("reset")), httpx.Response(201, json=MESSAGE))
    with talkdesk(api) as td:
        sent = td.conversations.send_message("conv-1", content="hi", idempotency_key="k-1")
    assert sent.idempotency_key == "k-1"
    assert [r.headers["x-idempotency-key"] for r in api.sent("/messages")] == ["k-1", "k-1"]


def test_read_timeouts_become_api_timeout_error_after_the_budget() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", _raise(httpx.ReadTimeout("slow")))
    with webex(api) as wx, pytest.raises(errors.APITimeoutError):
        wx.attachment_actions.get("a")
    assert api.count("/attachment/actions/a") == 3


def test_per_call_max_retries_overrides_the_client() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(503))
    with webex(api, max_retries=5) as wx:
        with pytest.raises(errors.InternalServerError):
            wx.attachment_actions.get("a", max_retries=0)
        assert api.count("/attachment/actions/a") == 1
        with pytest.raises(errors.InternalServerError):
            wx.attachment_actions.get("a")
        assert api.count("/attachment/actions/a") == 1 + 6


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(backoff_initial=1.0, backoff_max=4.0, jitter=lambda: 0.999999)
    assert [round(policy.backoff(n), 3) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 4.0, 4.0]
    low = RetryPolicy(backoff_initial=1.0, backoff_max=4.0, jitter=lambda: 0.0)
    assert [low.backoff(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(errors.ValidationError, match="max_retries"):
        webex(FakeAPI(), max_retries=-1)
