"""Retries: which failures are retried, how long each wait is, and that nothing is sent twice unsafely."""

from __future__ import annotations

import calendar
import datetime
import time

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from attachkit import FakeClock, RetryPolicy, errors
from attachkit._retry import STOP, Decision, after_response, parse_retry_after
from tests.client.fakes import ACTION, ATTACHMENT, MESSAGE, FakeAPI, talkdesk, webex

NOW = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT
LONGEST = float(2**31)  # what an overflowing wait is read as
HUGE = "9" * 5000  # beyond int()'s 4300-digit limit, and float("9" * 400) is inf


def _until(*utc: int) -> float:
    """Seconds from NOW until a UTC date and time, computed without the code under test."""
    return calendar.timegm((*utc, 0, 0, 0)) - NOW


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # delay-seconds = 1*DIGIT, ASCII only, with optional spaces or tabs around it.
        ("3", 3.0),
        ("0", 0.0),
        ("007", 7.0),
        (" 3\t", 3.0),
        ("99999999999", LONGEST),
        (HUGE, LONGEST),
        ("0" * 5000 + "5", 5.0),  # leading zeros are not magnitude
        # Numbers float() reads but the grammar does not: malformed.
        ("1_0", None),
        (" 1e1", None),
        ("+5", None),
        ("-5", None),
        ("1.5", None),
        ("2.", None),
        (".5", None),
        ("nan", None),
        ("inf", None),
        ("0x10", None),
        ("\u0663", None),  # ARABIC-INDIC DIGIT THREE: int() and float() read it as 3
        ("\uff13", None),  # FULLWIDTH DIGIT THREE
        ("\u00a05", None),  # a no-break space is not optional whitespace
        ("\v5", None),
        ("5 s", None),
        ("1, 2", None),
        ("rand(30),add(30)", None),
        ("", None),
        # IMF-fixdate.
        ("Tue, 14 Nov 2023 22:13:27 GMT", 7.0),
        ("  Tue, 14 Nov 2023 22:13:27 GMT\t", 7.0),
        ("Tue, 14 Nov 2023 22:12:10 GMT", 0.0),  # in the past: go now
        ("Tue, 14 Nov 2023 22:13:60 GMT", 40.0),  # a leap second
        ("Sun, 01 Jan 2073 00:00:00 GMT", _until(2073, 1, 1, 0, 0, 0)),
        ("Thu, 29 Feb 2024 00:00:00 GMT", _until(2024, 2, 29, 0, 0, 0)),
        # rfc850-date; a two-digit year is the one within 50 years of now (RFC 9110 section 5.6.7).
        ("Tuesday, 14-Nov-23 22:13:27 GMT", 7.0),
        ("Sunday, 01-Jan-73 00:00:00 GMT", _until(2073, 1, 1, 0, 0, 0)),
        ("Tuesday, 01-Jan-74 00:00:00 GMT", 0.0),  # 1974, not 2074
        # asctime-date, a space-padded day.
        ("Tue Nov 14 22:13:27 2023", 7.0),
        ("Fri Dec  1 00:00:00 2023", _until(2023, 12, 1, 0, 0, 0)),
        # Dates outside the grammar, though email.utils reads most of them.
        ("tue, 14 nov 2023 22:13:27 gmt", None),
        ("Tue, 14 Nov 2023 22:13:27 UTC", None),
        ("Tue, 14 Nov 2023 22:13:27 +0000", None),
        ("Tue, 14 Nov 2023 22:13:27", None),
        ("14 Nov 2023 22:13:27 GMT", None),
        ("Tue, 14 Nov 2023 22:13 GMT", None),
        ("Tue, 4 Nov 2023 22:13:27 GMT", None),
        ("Tue, 0_4 Nov 2023 22:13:27 GMT", None),
        ("Tue, \u0661\u0664 Nov 2023 22:13:27 GMT", None),
        ("Tue,  14 Nov 2023 22:13:27 GMT", None),
        ("Tue, 14-Nov-23 22:13:27 GMT", None),  # rfc850 takes the full day name
        ("Tue Nov 14 22:13:27 2023 GMT", None),
        ("Fri, 30 Feb 2024 00:00:00 GMT", None),
        ("Tue, 14 Nov 2023 24:00:00 GMT", None),
        ("Tue, 14 Nov 2023 22:60:00 GMT", None),
        ("Tue, 14 Nov 2023 22:13:61 GMT", None),
        ("Mon, 01 Jan 0000 00:00:00 GMT", None),
    ],
)
def test_retry_after_is_read_by_the_rfc_9110_grammar(value: str, expected: float | None) -> None:
    assert parse_retry_after(_headers(("Retry-After", value)), now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # retry-after-ms is not standard; attachkit reads 1*DIGIT [ "." 1*DIGIT ] milliseconds.
        ("1500", 1.5),
        ("1500.5", 1.5005),
        (" 250\t", 0.25),
        ("0", 0.0),
        (HUGE, LONGEST),
        (HUGE + ".5", LONGEST),
        ("1." + "0" * 5000, 0.001),
        ("0" * 5000 + "250", 0.25),
        # Anything else is malformed, and Retry-After (9 s here) is read instead.
        ("1e3", 9.0),
        ("-5", 9.0),
        ("+5", 9.0),
        ("nan", 9.0),
        ("inf", 9.0),
        ("1_500", 9.0),
        ("1.", 9.0),
        (".5", 9.0),
        ("\u0661\u0665\u0660\u0660", 9.0),
        ("junk", 9.0),
        ("", 9.0),
    ],
)
def test_retry_after_ms_comes_first_when_well_formed(value: str, expected: float) -> None:
    assert parse_retry_after(_headers(("retry-after-ms", value), ("Retry-After", "9")), now=NOW) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "1e3"}, None),
        ({"RETRY-AFTER": "4"}, 4.0),
        ({}, None),
    ],
)
def test_parse_retry_after_takes_a_plain_mapping(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def _headers(*pairs: tuple[str, str]) -> httpx.Headers:
    """Headers as a response carries them: bytes on the wire, decoded by httpx (UTF-8 when not ASCII)."""
    return httpx.Headers([(name.encode(), value.encode()) for name, value in pairs])


_HTTP_DATE_FORMS = ("%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y")


def _http_date(when: time.struct_time, form: str) -> str:
    # The year is always four digits in an HTTP-date; glibc's %Y writes year 1 as "1".
    text = time.strftime(form.replace("%Y", f"{when.tm_year:04d}"), when)
    # asctime-date pads the day with a space, not a zero (strftime's %e is not portable).
    return text[:8] + f"{when.tm_mday:2d}" + text[10:] if form.startswith("%a %b") else text


def _is_http_date(value: str) -> bool:
    """An oracle independent of the code under test: strptime reads the value and strftime writes it back
    identically (strptime alone accepts `4` for `04`, any letter case and any run of spaces)."""
    for form in _HTTP_DATE_FORMS:
        try:
            when = time.strptime(value, form)
        except ValueError:
            continue
        if _http_date(when, form) == value:
            return True
        # asctime-date's day is `2DIGIT / ( SP DIGIT )` (RFC 9110 5.6.7): a zero-padded day is valid too.
        if form.startswith("%a %b") and time.strftime(form.replace("%Y", f"{when.tm_year:04d}"), when) == value:
            return True
    return False


_NUMBER_LIKE = st.from_regex(
    r"\A[ \t\v\xa0]*[+-]?[0-9\u0660-\u0669_]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,3})?[ \t\v\xa0]*\Z"
) | st.floats().map(str)


@st.composite
def _mangled_dates(draw: st.DrawFn) -> str:
    """An HTTP-date in one of the three forms with one character replaced, inserted or deleted."""
    when = draw(st.datetimes(min_value=datetime.datetime(1975, 1, 1), max_value=datetime.datetime(2072, 12, 31)))
    text = _http_date(when.timetuple(), draw(st.sampled_from(_HTTP_DATE_FORMS)))
    at = draw(st.integers(0, len(text) - 1))
    char = draw(st.sampled_from("0123456789\u0663_ -:,+aZz\t") | st.characters(codec="utf-8"))
    edit = draw(st.sampled_from(["replace", "insert", "delete"]))
    if edit == "replace":
        return text[:at] + char + text[at + 1 :]
    if edit == "insert":
        return text[:at] + char + text[at:]
    return text[:at] + text[at + 1 :]


@given(value=st.text(st.characters(codec="utf-8")) | _NUMBER_LIKE | _mangled_dates())
@settings(max_examples=400)
def test_anything_but_ascii_digits_or_an_http_date_is_malformed(value: str) -> None:
    stripped = value.strip(" \t")
    assume(not (stripped.isascii() and stripped.isdigit()))
    assume(not _is_http_date(stripped))
    assert parse_retry_after(_headers(("Retry-After", value)), now=NOW) is None
    assert parse_retry_after(_headers(("retry-after-ms", value)), now=NOW) is None or (
        stripped.isascii() and stripped.replace(".", "", 1).isdigit()
    )


@given(
    when=st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 12, 31)),
    ahead=st.integers(0, 10**6),
    form=st.sampled_from(_HTTP_DATE_FORMS),
)
def test_every_http_date_form_reads_as_the_seconds_until_it(when: datetime.datetime, ahead: int, form: str) -> None:
    when = when.replace(microsecond=0)
    now = calendar.timegm(when.timetuple()) - ahead
    assert parse_retry_after(_headers(("Retry-After", _http_date(when.timetuple(), form))), now=now) == ahead


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        ("2", Decision(retry=True, wait=2.0, reason="429, server asked 2s")),
        (HUGE, STOP),  # a huge wait is a wait too long, raised at once, not a malformed one
        ("1.5", Decision(retry=True, wait=0.25, reason="429, backing off")),
        ("\u0663", Decision(retry=True, wait=0.25, reason="429, backing off")),
    ],
)
def test_after_a_429_the_wait_is_the_servers_or_backoff(value: str, decision: Decision) -> None:
    request = httpx.Request("POST", "https://api.example/attachment/actions")
    policy = RetryPolicy(jitter=_flat_jitter)
    got = after_response(policy, request, 429, _headers(("Retry-After", value)), attempt=1, max_retries=2, now=NOW)
    assert got == decision


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
