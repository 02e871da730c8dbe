"""Arguments are checked against the spec before anything is sent; ids are encoded, never traversed."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from attachkit import errors
from tests.client.fakes import ACTION, ATTACHMENT, MESSAGE, FakeAPI, talkdesk, webex

LONG = "x" * 256


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda td: td.attachments.create(name=5, request_id="r"), "name"),
        (lambda td: td.attachments.create(name="a", request_id=""), "request_id"),
        (lambda td: td.attachments.create(name="a", request_id=["r"]), "request_id"),
        (lambda td: td.attachments.create(name="a", request_id="r", metadata=["x"]), "metadata"),
        (
            lambda td: td.attachments.create(name="a", request_id="r", metadata={"when": datetime.date.today()}),
            "metadata.when",
        ),
        (lambda td: td.attachments.get(""), "attachment_id"),
        (lambda td: td.attachments.get(None), "attachment_id"),
        (lambda td: td.attachments.get(".."), "attachment_id"),
        (lambda td: td.attachments.download_link("."), "attachment_id"),
        (lambda td: td.attachments.request_upload_link("image/png"), "allowed_mime_types"),
        (lambda td: td.attachments.request_upload_link([None]), "allowed_mime_types[0]"),
        (lambda td: td.conversations.start(touchpoint_id=""), "touchpoint_id"),
        (lambda td: td.conversations.start(touchpoint_id=5), "touchpoint_id"),
        (
            lambda td: td.conversations.start(touchpoint_id="t", previous_messages=[{"content": 1}]),
            "previous_messages[0].content",
        ),
        (lambda td: td.conversations.send_message("", content="hi"), "conversation_id"),
        (lambda td: td.conversations.send_message(LONG, content="hi"), "conversation_id"),
        (lambda td: td.conversations.send_message("c", content=b"bytes"), "content"),
        (lambda td: td.conversations.send_message("c", content=5), "content"),
        (lambda td: td.conversations.send_message("c", content="hi", idempotency_key=" k"), "idempotency_key"),
        (lambda td: td.conversations.send_message("c", attachments=[{"id": 5}]), "attachments[0].id"),
        (
            lambda td: td.conversations.send_message("c", content="hi", attachments=[{"id": "a", "size": -1}]),
            "attachments[0].size",
        ),
        (lambda td: td.conversations.send_message("c", content="hi", attachments=["att-1"]), "attachments[0]"),
        (lambda td: td.conversations.send_message("c", content="hi", attachments="att-1"), "attachments"),
    ],
)
def test_talkdesk_bad_arguments_raise_naming_the_field_and_send_nothing(call: Any, field: str) -> None:
    api = FakeAPI()
    with talkdesk(api) as td, pytest.raises(errors.ValidationError) as caught:
        call(td)
    assert caught.value.field == field
    assert api.requests == [], "nothing is sent, not even a token request"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda wx: wx.attachment_actions.create(message_id="", inputs={}), "message_id"),
        (lambda wx: wx.attachment_actions.create(message_id=None, inputs={}), "message_id"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs=None), "inputs"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs=[("Name", "x")]), "inputs"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs={"When": {1, 2}}), "inputs.When"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs={"Name": b"Ada"}), "inputs.Name"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs={"N": float("nan")}), "inputs.N"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs={1: "x"}), "inputs"),
        (lambda wx: wx.attachment_actions.create(message_id="m", inputs={}, type="cancel"), "type"),
        (lambda wx: wx.attachment_actions.get(""), "action_id"),
        (lambda wx: wx.attachment_actions.get(".."), "action_id"),
    ],
)
def test_webex_bad_arguments_raise_naming_the_field_and_send_nothing(call: Any, field: str) -> None:
    api = FakeAPI()
    with webex(api) as wx, pytest.raises(errors.ValidationError) as caught:
        call(wx)
    assert caught.value.field == field
    assert api.requests == []


# What the specs leave open is sent as given: no source bounds these lengths or requires these fields
# (tests/pipeline/test_specs.py lists every constraint that remains, with its source).
OPEN_TALKDESK: list[tuple[Any, str, Any]] = [
    (
        lambda td: td.attachments.create(name="", request_id="r"),
        "/attachments/2023-03",
        {"name": "", "request_id": "r"},
    ),
    (lambda td: td.attachments.create(request_id="r"), "/attachments/2023-03", {"request_id": "r"}),
    (lambda td: td.attachments.create(name="a"), "/attachments/2023-03", {"name": "a"}),
    (lambda td: td.attachments.create(), "/attachments/2023-03", {}),
    (
        lambda td: td.attachments.create(name=LONG, request_id=LONG),
        "/attachments/2023-03",
        {"name": LONG, "request_id": LONG},
    ),
    (lambda td: td.attachments.request_upload_link([""]), "/upload-link", {"allowed_mime_types": [""]}),
    (lambda td: td.attachments.request_upload_link([LONG]), "/upload-link", {"allowed_mime_types": [LONG]}),
    (lambda td: td.conversations.start(), "/conversations", {}),
    (lambda td: td.conversations.start(touchpoint_id=LONG), "/conversations", {"touchpoint_id": LONG}),
    (lambda td: td.conversations.send_message("c"), "/messages", {}),
    (
        lambda td: td.conversations.send_message("c", attachments=[{"id": "a"}]),
        "/messages",
        {"attachments": [{"id": "a"}]},
    ),
    (
        lambda td: td.conversations.send_message("c", content="hi", attachments=[{"name": "no id"}]),
        "/messages",
        {"content": "hi", "attachments": [{"name": "no id"}]},
    ),
    (
        lambda td: td.conversations.send_message("c", content="hi", attachments=[{"id": LONG, "size": "1kb"}]),
        "/messages",
        {"content": "hi", "attachments": [{"id": LONG, "size": "1kb"}]},
    ),
]


@pytest.mark.parametrize(("call", "suffix", "body"), OPEN_TALKDESK)
def test_talkdesk_arguments_the_specs_leave_open_are_sent_as_given(call: Any, suffix: str, body: Any) -> None:
    api = FakeAPI()
    api.script("/attachments/2023-03", httpx.Response(200, json=ATTACHMENT))
    api.script("/upload-link", httpx.Response(200, json={"request_id": "r", "url": "http://127.0.0.1/upload"}))
    api.script("/conversations", httpx.Response(201, json={"id": "conv-1"}))
    api.script("/messages", httpx.Response(201, json=MESSAGE))
    with talkdesk(api) as td:
        call(td)
    assert api.body(suffix) == body
    assert len(api.sent(suffix)) == 1


@pytest.mark.parametrize("key", ["", "k" * 256, "k" * 4096])
def test_any_visible_ascii_idempotency_key_is_sent_as_given(key: str) -> None:
    api = FakeAPI()
    api.script("/conversations", httpx.Response(201, json={"id": "conv-1"}))
    api.script("/messages", httpx.Response(201, json=MESSAGE))
    with talkdesk(api) as td:
        started = td.conversations.start(touchpoint_id="t", idempotency_key=key)
        sent = td.conversations.send_message("c", content="hi", idempotency_key=key)
    assert (started.idempotency_key, sent.idempotency_key) == (key, key)
    assert [r.headers["x-idempotency-key"] for r in api.sent("/conversations") + api.sent("/messages")] == [key, key]


@pytest.mark.parametrize(
    ("message_id", "inputs"),
    [
        ("m", {"Name": 5, "Agree": True, "Choices": ["a"], "Nested": {"a": [None]}}),  # inputs are free-form JSON
        ("m" * 256, {}),  # no source bounds a message id
    ],
)
def test_webex_arguments_the_spec_leaves_open_are_sent_as_given(message_id: str, inputs: dict[str, Any]) -> None:
    api = FakeAPI()
    api.script("/attachment/actions", httpx.Response(200, json=ACTION))
    with webex(api) as wx:
        wx.attachment_actions.create(message_id=message_id, inputs=inputs)
    assert api.body("/attachment/actions") == {"type": "submit", "messageId": message_id, "inputs": inputs}


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda td: td.attachments.get(LONG), f"/attachments/2023-03/{LONG}"),
        (lambda td: td.attachments.download_link(LONG), f"/attachments/2023-03/{LONG}/download-link"),
    ],
)
def test_an_attachment_id_of_any_length_is_looked_up(call: Any, path: str) -> None:
    api = FakeAPI()
    with talkdesk(api) as td, pytest.raises(errors.NotFoundError):
        call(td)
    assert api.requests[-1].url.raw_path.decode() == path


def test_an_action_id_of_any_length_is_looked_up() -> None:
    api = FakeAPI()
    with webex(api) as wx, pytest.raises(errors.NotFoundError):
        wx.attachment_actions.get(LONG)
    assert api.requests[-1].url.raw_path.decode() == f"/attachment/actions/{LONG}"


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("../x", "/attachments/2023-03/..%2Fx"),
        ("a%2Fb", "/attachments/2023-03/a%252Fb"),
        ("a b?c#d", "/attachments/2023-03/a%20b%3Fc%23d"),
        ("ünï", "/attachments/2023-03/%C3%BCn%C3%AF"),
    ],
)
def test_ids_are_encoded_into_one_path_segment(given: str, path: str) -> None:
    api = FakeAPI()
    api.script(
        "", lambda r: httpx.Response(200, json=ATTACHMENT if "attachments" in r.url.path else {"access_token": "t"})
    )
    with talkdesk(api) as td:
        td.attachments.get(given)
    assert api.requests[-1].url.raw_path.decode() == path


def test_unicode_and_large_values_are_sent_as_correct_json() -> None:
    api = FakeAPI()
    api.script("/messages", httpx.Response(201, json=MESSAGE))
    api.script("/attachment/actions", httpx.Response(200, json=ACTION))
    content = "héllo ✓ 你好 " * 100_000
    with talkdesk(api) as td:
        td.conversations.send_message("c", content=content, attachments=[{"id": "a", "size": 12}])
    assert api.body("/messages") == {"content": content, "attachments": [{"id": "a", "size": "12"}]}
    with webex(api) as wx:
        wx.attachment_actions.create(message_id="m", inputs={"Name": "Zoë", "Nested": {"list": [1, True, None]}})
    assert api.body("/attachment/actions")["inputs"] == {"Name": "Zoë", "Nested": {"list": [1, True, None]}}


def test_attachments_accept_models_mappings_and_generated_refs() -> None:
    from attachkit.talkdesk.models import Attachment, MessageAttachment

    api = FakeAPI()
    api.script("/messages", httpx.Response(201, json=MESSAGE))
    with talkdesk(api) as td:
        td.conversations.send_message(
            "c",
            content="hi",
            attachments=[
                Attachment.from_dict(ATTACHMENT),
                {"id": "b", "name": "b.jpg", "type": "image/jpeg", "size": "3072"},
                MessageAttachment(id="c", size="1"),
            ],
        )
    assert api.body("/messages")["attachments"] == [
        {"id": "att-1", "name": "a.txt", "type": "text/plain", "size": "3"},
        {"id": "b", "name": "b.jpg", "type": "image/jpeg", "size": "3072"},
        {"id": "c", "size": "1"},
    ]
