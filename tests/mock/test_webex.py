"""Webex Attachment Actions: create (200, or 202 by configuration), get, TrackingID on every response."""

from __future__ import annotations

import base64

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import ACTIONS, bearer, webex_descriptions
from tests._support.servers import strict_mock

SUBMIT = {"type": "submit", "messageId": "GFyazovL3VzL1BFT1BMRS80MDNl", "inputs": {"Name": "Ada", "Agree": True}}


def test_create_200_echoes_the_submission(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    response = http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=wx)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("type", "messageId", "inputs")} == SUBMIT
    assert base64.urlsafe_b64decode(body["id"] + "==").startswith(b"ciscospark://us/ATTACHMENT_ACTION/")
    assert body["personId"] and body["roomId"] and len(body["created"]) == 24
    assert response.headers["trackingid"]
    assert mock.state.actions[body["id"]].inputs == SUBMIT["inputs"]


def test_create_202_by_configuration(http: httpx.Client) -> None:
    with strict_mock(webex_create_status=202) as mock:
        response = http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=bearer(mock.webex_token))
        assert response.status_code == 202
        assert response.json()["messageId"] == SUBMIT["messageId"]


def test_get_200_and_404(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    created = http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=wx).json()
    fetched = http.get(f"{mock.webex_base_url}{ACTIONS}/{created['id']}", headers=wx)
    assert (fetched.status_code, fetched.json()) == (200, created)
    missing = http.get(mock.webex_base_url + ACTIONS + "/nope", headers=wx)
    assert missing.status_code == 404
    assert missing.json()["trackingId"] == missing.headers["trackingid"]


def test_same_message_same_room(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    first = http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=wx).json()
    second = http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=wx).json()
    assert first["id"] != second["id"]
    assert first["roomId"] == second["roomId"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SUBMIT, "type": "click"}, "type"),
        ({"type": "submit", "messageId": "m"}, "inputs"),
        ({**SUBMIT, "messageId": ""}, "messageId"),
        ({**SUBMIT, "inputs": ["Name", "Ada"]}, "inputs"),
        ({**SUBMIT, "inputs": "Name=Ada"}, "inputs"),
    ],
)
def test_create_400_names_the_field(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], body: object, field: str
) -> None:
    response = http.post(mock.webex_base_url + ACTIONS, json=body, headers=wx)
    assert response.status_code == 400
    assert any(d.startswith(field + ":") for d in webex_descriptions(response)), response.json()
    assert response.json()["trackingId"] == response.headers["trackingid"]


@pytest.mark.parametrize(
    "inputs",
    [
        {"Name": 5, "Agree": True, "Choices": ["a", "b"], "Card": {"nested": None}},  # free-form: any JSON value
        {},
    ],
)
def test_create_keeps_free_form_inputs(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], inputs: dict[str, object]
) -> None:
    response = http.post(mock.webex_base_url + ACTIONS, json={**SUBMIT, "inputs": inputs}, headers=wx)
    assert response.status_code == 200
    assert response.json()["inputs"] == inputs
    assert dict(mock.state.actions[response.json()["id"]].inputs) == inputs


def test_a_long_message_id_is_kept_and_a_long_action_id_is_looked_up(
    http: httpx.Client, mock: MockServer, wx: dict[str, str]
) -> None:
    # No source bounds either id.
    response = http.post(mock.webex_base_url + ACTIONS, json={**SUBMIT, "messageId": "m" * 300}, headers=wx)
    assert (response.status_code, response.json()["messageId"]) == (200, "m" * 300)
    missing = http.get(mock.webex_base_url + ACTIONS + "/" + "a" * 300, headers=wx)
    assert missing.status_code == 404


def test_every_response_carries_a_tracking_id(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    responses = [
        http.post(mock.webex_base_url + ACTIONS, json=SUBMIT, headers=wx),
        http.post(mock.webex_base_url + ACTIONS, json=SUBMIT),
        http.post(mock.webex_base_url + ACTIONS, content=b"{", headers={**wx, "Content-Type": "application/json"}),
        http.post(mock.webex_base_url + ACTIONS, content=b"a=b", headers={**wx, "Content-Type": "text/plain"}),
        http.delete(mock.webex_base_url + ACTIONS, headers=wx),
        http.get(mock.webex_base_url + "/people/me", headers=wx),
    ]
    assert [r.status_code for r in responses] == [200, 401, 400, 415, 405, 404]
    ids = [r.headers["trackingid"] for r in responses]
    assert len(set(ids)) == len(ids)
    for response in responses[1:]:
        assert response.json()["trackingId"] == response.headers["trackingid"]


def test_405_lists_the_allowed_methods(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    response = http.put(mock.webex_base_url + ACTIONS + "/x", headers=wx)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
