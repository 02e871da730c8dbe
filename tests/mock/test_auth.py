"""Talkdesk's token endpoint and bearer checks; Webex's bearer token."""

from __future__ import annotations

import httpx
import pytest

from attachkit.testing import MockServer
from tests import specs
from tests._support.plain_http import ACTIONS, ATTACHMENTS, CONVERSATIONS, bearer, token
from tests._support.servers import strict_mock

FORM = {"grant_type": "client_credentials"}

# One request per Talkdesk operation, with a valid body, keyed by operationId.
TALKDESK_CALLS: dict[str, tuple[str, str, dict[str, object] | None]] = {
    "request_upload_link": ("POST", ATTACHMENTS + "/upload-link", {}),
    "create_attachment": ("POST", ATTACHMENTS, {"name": "n", "request_id": "r"}),
    "get_attachment": ("GET", ATTACHMENTS + "/some-id", None),
    "get_attachment_download_link": ("GET", ATTACHMENTS + "/some-id/download-link", None),
    "start_conversation": ("POST", CONVERSATIONS, {"touchpoint_id": "tp"}),
    "send_message": ("POST", CONVERSATIONS + "/c-1/messages", {"content": "hi"}),
}


def operation_scopes() -> dict[str, str]:
    """Each Talkdesk operation's scope, read from the specs (the contract), not from the mock."""
    scopes = {}
    for name in ("talkdesk-attachments", "talkdesk-digital-connect"):
        for item in specs.load(name)["paths"].values():
            for op in item.values():
                if isinstance(op, dict) and "operationId" in op:
                    (scopes[op["operationId"]],) = op["security"][0]["oauth2"]
    return scopes


def test_every_talkdesk_operation_is_covered_here() -> None:
    assert set(operation_scopes()) == set(TALKDESK_CALLS)


def test_token_grants_every_declared_scope_by_default(http: httpx.Client, mock: MockServer) -> None:
    response = http.post(mock.token_url, data=FORM, auth=(mock.client_id, mock.client_secret))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert set(body["scope"].split()) == set(operation_scopes().values())
    assert len(body["access_token"]) >= 32
    assert response.headers["cache-control"] == "no-store"


def test_token_grants_only_the_requested_scopes(http: httpx.Client, mock: MockServer) -> None:
    response = http.post(
        mock.token_url, data={**FORM, "scope": "attachments:read"}, auth=(mock.client_id, mock.client_secret)
    )
    assert response.json()["scope"] == "attachments:read"


def test_each_token_is_new_and_counted(http: httpx.Client, mock: MockServer) -> None:
    before = mock.state.requests.get("token", 0)
    assert token(http, mock) != token(http, mock)
    assert mock.state.requests["token"] == before + 2


@pytest.mark.parametrize(
    ("data", "auth", "status", "error"),
    [
        ({"grant_type": "password"}, "good", 400, "unsupported_grant_type"),
        ({}, "good", 400, "invalid_request"),
        ({**FORM, "scope": "attachments:read admin:everything"}, "good", 400, "invalid_scope"),
        (FORM, None, 401, "invalid_client"),
        (FORM, "bad", 401, "invalid_client"),
    ],
)
def test_token_errors_use_the_oauth_shape(
    http: httpx.Client, mock: MockServer, data: dict[str, str], auth: str | None, status: int, error: str
) -> None:
    credentials = {"good": (mock.client_id, mock.client_secret), "bad": (mock.client_id, "wrong"), None: None}[auth]
    response = http.post(mock.token_url, data=data, auth=credentials)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Basic")


def test_token_wants_a_form_body(http: httpx.Client, mock: MockServer) -> None:
    response = http.post(mock.token_url, json=FORM, auth=(mock.client_id, mock.client_secret))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_token_refuses_a_repeated_parameter(http: httpx.Client, mock: MockServer) -> None:
    response = http.post(
        mock.token_url,
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=(mock.client_id, mock.client_secret),
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


@pytest.mark.parametrize("operation", sorted(TALKDESK_CALLS))
@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic abc", "Bearer"], ids=["missing", "unknown", "basic", "empty"]
)
def test_talkdesk_401_for_a_missing_or_invalid_token(
    http: httpx.Client, mock: MockServer, operation: str, authorization: str | None
) -> None:
    method, path, body = TALKDESK_CALLS[operation]
    headers = {"Authorization": authorization} if authorization else {}
    response = http.request(method, mock.talkdesk_base_url + path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] and response.json()["message"] == "Unauthorized"


@pytest.mark.parametrize("operation", sorted(TALKDESK_CALLS))
def test_talkdesk_403_without_the_operation_scope(http: httpx.Client, mock: MockServer, operation: str) -> None:
    scopes = operation_scopes()
    others = " ".join(sorted(set(scopes.values()) - {scopes[operation]}))
    method, path, body = TALKDESK_CALLS[operation]
    response = http.request(method, mock.talkdesk_base_url + path, json=body, headers=bearer(token(http, mock, others)))
    assert response.status_code == 403
    assert scopes[operation] in response.json()["description"]
    # With only that scope, the same request gets past authorization.
    allowed = http.request(
        method, mock.talkdesk_base_url + path, json=body, headers=bearer(token(http, mock, scopes[operation]))
    )
    assert allowed.status_code not in (401, 403)


def test_expired_tokens_are_refused_and_the_clock_needs_no_sleep(http: httpx.Client) -> None:
    with strict_mock(token_expires_in=30) as mock:
        value = token(http, mock)
        url = mock.talkdesk_base_url + ATTACHMENTS + "/none"
        assert http.get(url, headers=bearer(value)).status_code == 404
        mock.clock.advance(29)
        assert http.get(url, headers=bearer(value)).status_code == 404
        mock.clock.advance(1)
        expired = http.get(url, headers=bearer(value))
        assert expired.status_code == 401
        assert "expired" in expired.json()["description"]
        assert http.get(url, headers=bearer(token(http, mock))).status_code == 404


def test_expire_tokens_expires_every_issued_token(http: httpx.Client, mock: MockServer) -> None:
    values = [token(http, mock), token(http, mock)]
    assert mock.expire_tokens() >= 2
    url = mock.talkdesk_base_url + ATTACHMENTS + "/none"
    assert [http.get(url, headers=bearer(v)).status_code for v in values] == [401, 401]
    # The Webex token does not expire.
    assert http.get(mock.webex_base_url + ACTIONS + "/none", headers=bearer(mock.webex_token)).status_code == 404


def test_tokens_do_not_cross_vendors(http: httpx.Client, mock: MockServer) -> None:
    talkdesk = token(http, mock)
    assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=bearer(talkdesk)).status_code == 401
    assert http.get(mock.talkdesk_base_url + ATTACHMENTS + "/x", headers=bearer(mock.webex_token)).status_code == 401


@pytest.mark.parametrize("authorization", [None, "Bearer wrong"])
def test_webex_401(http: httpx.Client, mock: MockServer, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = http.post(
        mock.webex_base_url + ACTIONS, json={"type": "submit", "messageId": "m", "inputs": {}}, headers=headers
    )
    assert response.status_code == 401
    assert response.json()["trackingId"] == response.headers["trackingid"]


def test_credentials_are_configurable(http: httpx.Client) -> None:
    with strict_mock(
        client_id="me", client_secret="s3cret", webex_token="wx", client_scopes=frozenset({"attachments:read"})
    ) as mock:
        assert (
            http.post(mock.token_url, data=FORM, auth=("attachkit-mock-client", "attachkit-mock-secret")).status_code
            == 401
        )
        granted = http.post(mock.token_url, data=FORM, auth=("me", "s3cret"))
        assert granted.json()["scope"] == "attachments:read"
        denied = http.post(mock.token_url, data={**FORM, "scope": "attachments:write"}, auth=("me", "s3cret"))
        assert denied.json()["error"] == "invalid_scope"
        assert http.get(mock.webex_base_url + ACTIONS + "/x", headers=bearer("wx")).status_code == 404
