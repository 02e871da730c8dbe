"""The pytest plugin's helpers: assertions on what was called, the history of one operation, and the in-process
(ASGI) variant of the fixture for the async clients."""

from __future__ import annotations

import pytest

from attachkit import AsyncWebexClient, WebexClient
from attachkit.testing import MockApp, MockServer


def test_assert_called_counts_every_request(attachkit_mock: MockServer) -> None:
    attachkit_mock.faults.add_spec("create_attachment_action:429:times=1")
    with WebexClient(**attachkit_mock.webex_kwargs()) as client:
        client.attachment_actions.create(message_id="msg-1", inputs={"Name": "Ada"})  # retried after the 429
    attachkit_mock.assert_called("create_attachment_action")
    attachkit_mock.assert_called("create_attachment_action", times=2)
    attachkit_mock.assert_not_called("send_message")
    with pytest.raises(AssertionError, match=r"expected create_attachment_action to be called 1 time, it was called 2"):
        attachkit_mock.assert_called("create_attachment_action", times=1)
    with pytest.raises(AssertionError, match=r"seen: create_attachment_action: 2"):
        attachkit_mock.assert_not_called("create_attachment_action")
    with pytest.raises(AssertionError, match="at least once"):
        attachkit_mock.assert_called("create_message")


def test_calls_are_history_entries_with_secrets_redacted(attachkit_mock: MockServer) -> None:
    with WebexClient(**attachkit_mock.webex_kwargs()) as client:
        client.attachment_actions.create(message_id="msg-1", inputs={"Name": "Ada"})
    [call] = attachkit_mock.calls("create_attachment_action")
    assert call.status == 200 and call.method == "POST"
    assert call.request is not None and call.response is not None
    assert dict(call.request.headers)["authorization"] == "Bearer ***"
    assert call.request.body is not None and '"Name":"Ada"' in call.request.body.replace(" ", "")
    assert attachkit_mock.webex_token not in str(call.request) + str(call.response)
    assert attachkit_mock.calls("send_message") == []


def test_a_misspelt_operation_is_an_error_not_a_pass(attachkit_mock: MockServer) -> None:
    for check in (attachkit_mock.assert_not_called, attachkit_mock.calls):
        with pytest.raises(ValueError, match="no operation 'sendMessage'"):
            check("sendMessage")


async def test_the_in_process_app_serves_the_async_clients(attachkit_mock_app: MockApp) -> None:
    async with AsyncWebexClient(
        access_token=attachkit_mock_app.config.webex_token,
        base_url="http://127.0.0.1/webex/v1",  # in-process: the host is never resolved
        http_client=attachkit_mock_app.asgi_client(),
    ) as client:
        action = await client.attachment_actions.create(message_id="msg-1", inputs={"a": "b"})
    assert action.message_id == "msg-1"
    attachkit_mock_app.assert_called("create_attachment_action", times=1)
    assert list(attachkit_mock_app.state.actions) == [action.id]


async def test_the_in_process_app_has_the_control_plane(attachkit_mock_app: MockApp) -> None:
    auth = {"Authorization": f"Bearer {attachkit_mock_app.config.admin_token}"}
    async with attachkit_mock_app.asgi_client() as http:
        added = await http.post("/_mock/faults", json={"spec": "token:503:times=1"}, headers=auth)
        assert added.status_code == 201
        assert (await http.get("/_mock/faults")).status_code == 401
    assert [rule.describe() for rule in attachkit_mock_app.faults.rules] == ["token:503:times=1"]
