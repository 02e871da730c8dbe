"""Fault injection: statuses with every Retry-After form, HTML bodies, latency, dropped connections, N-times and
seeded-probability rules, from Python and from the command-line syntax."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest

from attachkit.testing import FaultRule, MockServer, RetryAfter, create_app, parse_fault
from tests._support.plain_http import ACTIONS, ATTACHMENTS, messages_url, start_conversation, unique, upload
from tests._support.servers import strict_mock

STATUSES = [423, 429, 500, 502, 503, 504]


def send(
    http: httpx.Client, mock: MockServer, td: dict[str, str], conversation_id: str, **headers: str
) -> httpx.Response:
    return http.post(messages_url(mock, conversation_id), json={"content": "hello"}, headers={**td, **headers})


@pytest.mark.parametrize("status", STATUSES)
def test_status_faults_in_the_talkdesk_shape(
    http: httpx.Client, mock: MockServer, td: dict[str, str], status: int
) -> None:
    conversation_id = start_conversation(http, mock, td)
    rule = mock.faults.add("send_message", status=status, retry_after=7, times=1)
    before = len(mock.state.messages)
    faulted = send(http, mock, td, conversation_id)
    assert faulted.status_code == status
    assert faulted.headers["retry-after"] == "7"
    assert faulted.json()["code"] == f"{status:07d}" and faulted.json()["message"]
    assert len(mock.state.messages) == before  # a fault answers before processing
    assert send(http, mock, td, conversation_id).status_code == 201
    assert rule.fired == 1 and rule.exhausted
    assert mock.state.counts("send_message").faulted >= 1


@pytest.mark.parametrize("status", STATUSES)
def test_status_faults_in_the_webex_shape(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], status: int
) -> None:
    mock.faults.add("get_attachment_action", status=status, times=1)
    response = http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx)
    assert response.status_code == status
    assert response.json()["trackingId"] == response.headers["trackingid"]
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("retry_after", "header", "check"),
    [
        (RetryAfter.seconds(3), "retry-after", lambda v: v == "3"),
        (RetryAfter.http_date(30), "retry-after", lambda v: email.utils.parsedate_to_datetime(v).tzinfo is not None),
        (RetryAfter.milliseconds(1500), "retry-after-ms", lambda v: v == "1500"),
        (RetryAfter.raw("rand(30),add(30)"), "retry-after", lambda v: v == "rand(30),add(30)"),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "retry-after", lambda v: v == "Wed, 21 Oct 2015 07:28:00 GMT"),
    ],
    ids=["seconds", "http-date", "ms", "malformed", "raw-date"],
)
def test_retry_after_forms(
    http: httpx.Client,
    mock: MockServer,
    wx: dict[str, str],
    retry_after: RetryAfter | str,
    header: str,
    check: object,
) -> None:
    mock.faults.add("create_attachment_action", status=429, retry_after=retry_after, times=1)
    response = http.post(
        mock.webex_base_url + ACTIONS, json={"type": "submit", "messageId": "m", "inputs": {}}, headers=wx
    )
    assert response.status_code == 429
    assert check(response.headers[header])  # type: ignore[operator]
    if header == "retry-after-ms":
        assert "retry-after" not in response.headers


def test_http_date_is_in_the_future(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    mock.faults.add("get_attachment_action", status=503, retry_after=RetryAfter.http_date(3600), times=1)
    response = http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx)
    sent = email.utils.parsedate_to_datetime(response.headers["date"])
    assert (email.utils.parsedate_to_datetime(response.headers["retry-after"]) - sent).total_seconds() > 3000


def test_webex_429_with_an_html_body(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    mock.faults.add_spec("create_attachment_action:429:html:retry-after-raw=rand(30),add(30)")
    response = http.post(
        mock.webex_base_url + ACTIONS, json={"type": "submit", "messageId": "m", "inputs": {}}, headers=wx
    )
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("text/html")
    assert b"<h1>429 Too Many Requests</h1>" in response.content
    assert response.headers["retry-after"] == "rand(30),add(30)"
    assert response.headers["trackingid"]


def test_rules_are_checked_against_the_specs(mock: MockServer) -> None:
    with pytest.raises(ValueError, match="HTML"):
        mock.faults.add("send_message", status=429, html=True)  # Talkdesk documents JSON only
    with pytest.raises(ValueError, match="does not document status 404"):
        mock.faults.add("request_upload_link", status=404)
    with pytest.raises(ValueError, match="unknown fault target"):
        mock.faults.add("send_mesage", status=429)
    with pytest.raises(ValueError, match="not both"):
        mock.faults.add("send_message", status=429, drop="after")
    with pytest.raises(ValueError):
        mock.faults.add("send_message")
    assert mock.faults.rules == []


def test_any_documented_status_can_be_injected(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    mock.faults.add("get_attachment_action", status=410, times=1)
    assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx).status_code == 410


def test_star_rules_only_reach_operations_documenting_the_status(
    http: httpx.Client, mock: MockServer, td: dict[str, str], wx: dict[str, str]
) -> None:
    mock.faults.add("*", status=409)
    assert http.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", headers=td).status_code == 200
    assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx).status_code == 409
    assert http.get(mock.url + "/").status_code == 200  # the mock's own pages are never faulted


def test_latency_then_served(http: httpx.Client, mock: MockServer) -> None:
    rule = mock.faults.add("token", latency=0.05, times=1)
    response = http.post(
        mock.token_url, data={"grant_type": "client_credentials"}, auth=(mock.client_id, mock.client_secret)
    )
    assert response.status_code == 200
    assert rule.fired == 1


def test_latency_trips_a_client_timeout(mock: MockServer, td: dict[str, str]) -> None:
    mock.faults.add_spec("get_attachment:latency=0.5:times=1")
    with httpx.Client(timeout=httpx.Timeout(5, read=0.05)) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            impatient.get(mock.talkdesk_base_url + ATTACHMENTS + "/x", headers=td)
        assert impatient.get(mock.talkdesk_base_url + ATTACHMENTS + "/x", headers=td).status_code == 404


def test_drop_before_processing(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    conversation_id = start_conversation(http, mock, td)
    mock.faults.add("send_message", drop="before", times=1)
    before, counts = len(mock.state.messages), mock.state.counts("send_message")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        send(http, mock, td, conversation_id)
    after = mock.state.counts("send_message")
    assert len(mock.state.messages) == before
    assert (after.received, after.processed, after.dropped) == (
        counts.received + 1,
        counts.processed,
        counts.dropped + 1,
    )
    assert send(http, mock, td, conversation_id).status_code == 201


def test_drop_after_processing_keeps_the_state(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    request_id = upload(http, mock, td, b"data")
    name = unique("dropped")
    mock.faults.add_spec("create_attachment:drop-after:times=1")
    counts = mock.state.counts("create_attachment")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.post(mock.talkdesk_base_url + ATTACHMENTS, json={"name": name, "request_id": request_id}, headers=td)
    assert [a.name for a in mock.state.attachments.values()].count(name) == 1
    after = mock.state.counts("create_attachment")
    assert (after.processed, after.dropped) == (counts.processed + 1, counts.dropped + 1)
    retry = http.post(mock.talkdesk_base_url + ATTACHMENTS, json={"name": name, "request_id": request_id}, headers=td)
    assert retry.status_code == 409


def test_drop_after_then_an_idempotent_retry_stores_once(
    http: httpx.Client, mock: MockServer, td: dict[str, str]
) -> None:
    conversation_id = start_conversation(http, mock, td)
    mock.faults.add("send_message", drop="after", times=1)
    key = unique("key")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        send(http, mock, td, conversation_id, **{"x-idempotency-key": key})
    retry = send(http, mock, td, conversation_id, **{"x-idempotency-key": key})
    assert retry.status_code == 201
    stored = [m for m in mock.state.messages if m.conversation_id == conversation_id]
    assert [m.message_id for m in stored] == [retry.json()["message_id"]]


def test_times_n(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    mock.faults.add("get_attachment_action", status=503, times=3)
    statuses = [http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx).status_code for _ in range(5)]
    assert statuses == [503, 503, 503, 404, 404]


def test_seeded_probability_is_reproducible(http: httpx.Client, wx: dict[str, str]) -> None:
    dice = random.Random(7)
    expected = [503 if dice.random() < 0.3 else 404 for _ in range(30)]
    assert 503 in expected and 404 in expected
    for _ in range(2):  # two servers, same seed, same sequence
        with strict_mock(faults=("*:503:p=0.3:seed=7",)) as mock:
            headers = {"Authorization": f"Bearer {mock.webex_token}"}
            seen = [http.get(mock.webex_base_url + ACTIONS + "/x", headers=headers).status_code for _ in range(30)]
            assert seen == expected
            assert mock.faults.fired == expected.count(503)


def test_token_upload_and_download_faults(http: httpx.Client, mock: MockServer, td: dict[str, str]) -> None:
    mock.faults.add("token", status=503, retry_after=1, times=1)
    token = http.post(
        mock.token_url, data={"grant_type": "client_credentials"}, auth=(mock.client_id, mock.client_secret)
    )
    assert (token.status_code, token.json()["error"], token.headers["retry-after"]) == (503, "service_unavailable", "1")

    link = http.post(mock.talkdesk_base_url + ATTACHMENTS + "/upload-link", headers=td).json()
    mock.faults.add("upload", drop="before", times=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        http.put(link["url"], content=b"payload")
    assert mock.state.uploads[link["request_id"]].state == "pending"
    assert http.put(link["url"], content=b"payload").status_code == 200

    created = http.post(
        mock.talkdesk_base_url + ATTACHMENTS, json={"name": unique(), "request_id": link["request_id"]}, headers=td
    ).json()
    url = http.get(created["_links"]["download_link"]["href"], headers=td).json()["url"]
    mock.faults.add("download", status=429, times=1)
    throttled = http.get(url)
    assert throttled.status_code == 429 and b"<Code>TooManyRequests</Code>" in throttled.content
    assert http.get(url).content == b"payload"


def test_fault_counting_and_clear(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    fired = mock.faults.fired
    mock.faults.add("get_attachment_action", status=502)
    for _ in range(3):
        assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx).status_code == 502
    assert mock.faults.fired == fired + 3
    mock.faults.clear()
    assert mock.faults.rules == []
    assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=wx).status_code == 404


def test_one_token_request_is_counted_once(http: httpx.Client, mock: MockServer) -> None:
    before = mock.state.requests.get("token", 0)
    http.post(mock.token_url, data={"grant_type": "client_credentials"}, auth=(mock.client_id, mock.client_secret))
    assert mock.state.requests["token"] == before + 1
    assert mock.state.processed["token"] >= 1


async def test_in_process_drop_raises_the_client_error() -> None:
    with create_app(faults=("get_attachment_action:drop-after:times=1",)) as app:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as c:
            headers = {"Authorization": f"Bearer {app.config.webex_token}"}
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get("/webex/v1/attachment/actions/x", headers=headers)
            assert (await c.get("/webex/v1/attachment/actions/x", headers=headers)).status_code == 404
        assert app.state.counts("get_attachment_action").dropped == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "send_message:429:retry-after=2:times=1",
            FaultRule("send_message", status=429, retry_after=RetryAfter.seconds(2), times=1),
        ),
        ("create_attachment:drop-after:times=1", FaultRule("create_attachment", drop="after", times=1)),
        ("*:503:p=0.1:seed=7", FaultRule("*", status=503, probability=0.1, seed=7)),
        ("token:latency=2", FaultRule("token", latency=2.0)),
        ("upload:drop-before", FaultRule("upload", drop="before")),
        (
            "get_attachment:423:retry-after-date=60",
            FaultRule("get_attachment", status=423, retry_after=RetryAfter.http_date(60)),
        ),
        (
            "send_message:503:retry-after-ms=250",
            FaultRule("send_message", status=503, retry_after=RetryAfter.milliseconds(250)),
        ),
        (
            "create_attachment_action:429:html:retry-after-raw=Wed, 21 Oct 2015 07:28:00 GMT",
            FaultRule(
                "create_attachment_action",
                status=429,
                html=True,
                retry_after=RetryAfter.raw("Wed, 21 Oct 2015 07:28:00 GMT"),
            ),
        ),
        ("download:500:latency=0.5:times=2", FaultRule("download", status=500, latency=0.5, times=2)),
    ],
)
def test_parse_fault(text: str, expected: FaultRule) -> None:
    rule = parse_fault(text)
    fields = ("target", "status", "retry_after", "html", "latency", "drop", "times", "probability", "seed")
    assert {f: getattr(rule, f) for f in fields} == {f: getattr(expected, f) for f in fields}


@pytest.mark.parametrize(
    "text",
    [
        "send_message",
        "send_message:",
        ":429",
        "send_message:429:drop-after",
        "send_message:429:times=0",
        "send_message:429:times=x",
        "send_message:429:p=2",
        "send_message:429:seed=3",
        "send_message:bogus",
        "send_message:retry-after=2",
        "send_message:299",
    ],
)
def test_parse_fault_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fault(text)
