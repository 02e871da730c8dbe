"""Every error status becomes the right typed exception, with the vendor's fields, whatever the body."""

from __future__ import annotations

import httpx
import pytest

from attachkit import errors
from attachkit._error_mapping import redact_url
from tests.client.fakes import FakeAPI, talkdesk, webex

STATUS_CLASSES = [
    (400, errors.BadRequestError),
    (401, errors.AuthenticationError),
    (403, errors.PermissionDeniedError),
    (404, errors.NotFoundError),
    (409, errors.ConflictError),
    (410, errors.GoneError),
    (413, errors.PayloadTooLargeError),
    (415, errors.UnsupportedMediaTypeError),
    (423, errors.LockedError),
    (428, errors.PreconditionRequiredError),
    (429, errors.RateLimitError),
    (500, errors.InternalServerError),
    (502, errors.InternalServerError),
    (503, errors.InternalServerError),
    (504, errors.InternalServerError),
    (520, errors.InternalServerError),
    (418, errors.UnexpectedResponseError),
    (302, errors.UnexpectedResponseError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_talkdesk_status_maps_to_class_with_fields(status: int, cls: type[errors.APIError]) -> None:
    api = FakeAPI()
    body = {
        "code": "1234",
        "message": "went wrong",
        "description": "longer",
        "fields": [{"name": "attachment_id", "description": "bad"}],
    }
    api.script("/attachments/2023-03/x", httpx.Response(status, json=body, headers={"x-request-id": "req-9"}))
    with talkdesk(api, max_retries=0) as td, pytest.raises(cls) as caught:
        td.attachments.get("x")
    err = caught.value
    assert err.status_code == status
    assert (err.code, err.message, err.description) == ("1234", "went wrong", "longer")
    assert err.fields == [errors.ErrorField("attachment_id", "bad")]
    assert err.tracking_id == "req-9"
    assert err.vendor == "Talkdesk"
    assert "\n" not in str(err) and "req-9" in str(err) and str(status) in str(err)


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_webex_status_maps_to_class_with_fields(status: int, cls: type[errors.APIError]) -> None:
    api = FakeAPI()
    body = {"message": "nope", "errors": [{"description": "first"}, {"description": "second"}], "trackingId": "T-1"}
    api.script("/attachment/actions/a", httpx.Response(status, json=body, headers={"TrackingID": "T-header"}))
    with webex(api, max_retries=0) as wx, pytest.raises(cls) as caught:
        wx.attachment_actions.get("a")
    err = caught.value
    assert (err.status_code, err.message, err.errors) == (status, "nope", ["first", "second"])
    assert err.tracking_id == "T-1", "the body's trackingId wins over the header"
    assert str(err).endswith("[tracking id: T-1]")


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(429, text="<html><body>Too Many Requests</body></html>", headers={"content-type": "text/html"}),
        httpx.Response(503),
        httpx.Response(500, content=b"\xff\xfe not json"),
        httpx.Response(400, json=["a", "list"]),
        httpx.Response(400, json={"message": 5, "errors": "not a list", "trackingId": None}),
        httpx.Response(404, content=b'{"message": "trunc'),
    ],
)
def test_any_error_body_is_survived_and_the_header_tracking_id_is_used(response: httpx.Response) -> None:
    api = FakeAPI()
    response.headers["TrackingID"] = "T-h"
    api.script("/attachment/actions/a", response)
    with webex(api, max_retries=0) as wx, pytest.raises(errors.APIError) as caught:
        wx.attachment_actions.get("a")
    assert caught.value.status_code == response.status_code
    assert caught.value.tracking_id == "T-h"
    assert "\n" not in str(caught.value)


def test_html_body_becomes_a_short_message() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(429, text="<h1>Slow down</h1>\n\n please"))
    with webex(api, max_retries=0) as wx, pytest.raises(errors.RateLimitError) as caught:
        wx.attachment_actions.get("a")
    assert caught.value.message == "<h1>Slow down</h1> please"
    assert caught.value.body == b"<h1>Slow down</h1>\n\n please"


@pytest.mark.parametrize("status", [203, 205, 206])
def test_an_undocumented_success_is_an_unexpected_response_not_a_crash(status: int) -> None:
    # Webex create documents 200, 201, 202 and 204 (tests/client/test_success_bodies.py); anything else is not a result.
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(status))
    with webex(api) as wx, pytest.raises(errors.UnexpectedResponseError) as caught:
        wx.attachment_actions.create(message_id="m", inputs={})
    assert caught.value.status_code == status
    assert api.count("/attachment/actions") == 1


def test_a_success_body_that_breaks_the_schema_is_an_unexpected_response() -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03/x", httpx.Response(200, json={"name": "no id or state"}))
    with talkdesk(api) as td, pytest.raises(errors.UnexpectedResponseError) as caught:
        td.attachments.get("x")
    assert "body its spec does not allow: `id` is required by the spec but missing" in str(caught.value)
    assert caught.value.body == b'{"name":"no id or state"}'


def test_non_iana_success_status_does_not_crash() -> None:
    api = FakeAPI()
    api.script("/attachment/actions/a", httpx.Response(299, json={"type": "submit", "messageId": "m"}))
    with webex(api) as wx, pytest.raises(errors.UnexpectedResponseError) as caught:
        wx.attachment_actions.get("a")
    assert caught.value.status_code == 299


def test_error_query_strings_are_not_kept() -> None:
    url = redact_url(httpx.URL("https://s3.example/obj?X-Amz-Signature=abc"))
    assert url == "https://s3.example/obj?…"


def test_validation_error_is_a_value_error_naming_the_field() -> None:
    err = errors.ValidationError("attachments[1].size", "must match '^[0-9]+$'")
    assert isinstance(err, ValueError)
    assert (err.field, str(err)) == ("attachments[1].size", "attachments[1].size: must match '^[0-9]+$'")
