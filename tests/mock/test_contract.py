"""The specs drive the mock: edit a spec and the mock's routes, request validation and response checks follow,
with no mock code changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from attachkit._specs import SpecName, spec_path
from attachkit.testing import MockServer, create_app
from tests._support.plain_http import CONVERSATIONS, bearer, field_names, token
from tests._support.servers import strict_mock


def edited(tmp_path: Path, name: SpecName, edit: Any) -> dict[SpecName, Path]:
    """A copy of one spec with ``edit`` applied to its parsed form."""
    document = yaml.safe_load(spec_path(name).read_text())
    edit(document)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return {name: path}


def start(http: httpx.Client, mock: MockServer, body: dict[str, object]) -> httpx.Response:
    return http.post(mock.talkdesk_base_url + CONVERSATIONS, json=body, headers=bearer(token(http, mock)))


def test_a_tighter_constraint_is_enforced(http: httpx.Client, mock: MockServer, tmp_path: Path) -> None:
    body = {"touchpoint_id": "touchpoint-0123456789"}
    assert start(http, mock, body).status_code == 201  # the shipped spec bounds no touchpoint id from above

    def tighten(document: dict[str, Any]) -> None:
        properties = document["components"]["schemas"]["StartConversationRequest"]["properties"]
        properties["touchpoint_id"] = {"type": "string", "minLength": 1, "maxLength": 8}

    with strict_mock(specs=edited(tmp_path, "talkdesk-digital-connect", tighten)) as strict:
        refused = start(http, strict, body)
        assert refused.status_code == 400
        assert field_names(refused) == ["touchpoint_id"]
        assert start(http, strict, {"touchpoint_id": "short"}).status_code == 201


def test_a_new_required_field_is_enforced(http: httpx.Client, mock: MockServer, tmp_path: Path) -> None:
    assert start(http, mock, {"touchpoint_id": "t"}).status_code == 201  # the shipped spec requires nothing

    def require_subject(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["StartConversationRequest"].setdefault("required", []).append("subject")

    with strict_mock(specs=edited(tmp_path, "talkdesk-digital-connect", require_subject)) as strict:
        response = start(http, strict, {"touchpoint_id": "t"})
        assert (response.status_code, field_names(response)) == (400, ["subject"])
        assert start(http, strict, {"touchpoint_id": "t", "subject": "s"}).status_code == 201


def test_routes_come_from_the_spec(http: httpx.Client, tmp_path: Path) -> None:
    def move(document: dict[str, Any]) -> None:
        document["paths"]["/v2/attachment/actions"] = document["paths"].pop("/attachment/actions")

    with strict_mock(specs=edited(tmp_path, "webex-attachment-actions", move)) as mock:
        headers = bearer(mock.webex_token)
        body = {"type": "submit", "messageId": "m", "inputs": {}}
        assert http.post(mock.webex_base_url + "/attachment/actions", json=body, headers=headers).status_code == 404
        assert http.post(mock.webex_base_url + "/v2/attachment/actions", json=body, headers=headers).status_code == 200


def test_scopes_come_from_the_spec(http: httpx.Client, tmp_path: Path) -> None:
    def rescope(document: dict[str, Any]) -> None:
        document["paths"]["/attachments/2023-03/{attachment_id}"]["get"]["security"] = [
            {"oauth2": ["attachments:download"]}
        ]

    with strict_mock(specs=edited(tmp_path, "talkdesk-attachments", rescope)) as mock:
        url = mock.talkdesk_base_url + "/attachments/2023-03/x"
        assert http.get(url, headers=bearer(token(http, mock, "attachments:read"))).status_code == 403
        assert http.get(url, headers=bearer(token(http, mock, "attachments:download"))).status_code == 404


def test_a_response_the_spec_forbids_is_recorded(http: httpx.Client, tmp_path: Path) -> None:
    def shorten(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["Conversation"]["properties"]["id"] = {"type": "string", "maxLength": 4}

    specs = edited(tmp_path, "talkdesk-digital-connect", shorten)
    with MockServer(specs=specs, validate_responses=True) as lenient:
        assert start(http, lenient, {"touchpoint_id": "t"}).status_code == 201  # sent, but recorded
        (violation,) = lenient.response_violations
        assert (violation.operation, violation.status) == ("start_conversation", 201)
        assert "too long" in violation.problems[0]
    with MockServer(specs=specs, strict_responses=True) as strict:
        response = start(http, strict, {"touchpoint_id": "t"})
        assert response.status_code == 500  # strict mode: what a contract test's not_a_server_error catches
        assert response.json()["message"] == "Mock response violated the spec"
        assert len(strict.response_violations) == 1


def test_validation_off_records_nothing(http: httpx.Client, tmp_path: Path) -> None:
    def shorten(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["Conversation"]["properties"]["id"] = {"type": "string", "maxLength": 4}

    with MockServer(specs=edited(tmp_path, "talkdesk-digital-connect", shorten)) as mock:
        assert start(http, mock, {"touchpoint_id": "t"}).status_code == 201
        assert mock.response_violations == []


def test_an_operation_without_a_handler_is_refused_at_start(tmp_path: Path) -> None:
    def add(document: dict[str, Any]) -> None:
        document["paths"]["/digital-connect/conversations/{conversation_id}"] = {
            "delete": {
                "operationId": "end_conversation",
                "parameters": [
                    {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "Ended."}},
            }
        }

    with pytest.raises(ValueError, match="end_conversation"):
        create_app(specs=edited(tmp_path, "talkdesk-digital-connect", add))


def test_unknown_spec_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown spec"):
        create_app(specs={"talkdesk-everything": "x.yaml"})
