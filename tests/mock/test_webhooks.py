"""The mock's Webex webhook registry: create (loopback targets only), list with max and Link pages, get, update
(reactivation), delete."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import bearer, webex_descriptions
from tests._support.servers import strict_mock
from tests.mock.webex_steps import WEBHOOKS, create_webhook

TARGET = "http://127.0.0.1:9/hook"  # never called: nothing here creates an event


@pytest.fixture
def fresh() -> Iterator[MockServer]:
    """A mock of this test's own: lists see only this test's webhooks."""
    with strict_mock() as mock:
        yield mock


def test_create_answers_every_field(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    hook = create_webhook(
        http, mock, wx, TARGET, name="cards", filter="roomId=r-1", secret="s3cret", resource="attachmentActions"
    )
    assert {k: hook[k] for k in ("name", "targetUrl", "resource", "event", "filter", "secret", "status")} == {
        "name": "cards",
        "targetUrl": TARGET,
        "resource": "attachmentActions",
        "event": "created",
        "filter": "roomId=r-1",
        "secret": "s3cret",
        "status": "active",
    }
    assert hook["id"] and hook["orgId"] and hook["createdBy"] and hook["appId"] and len(hook["created"]) == 24
    assert hook["ownedBy"] == "creator"
    assert mock.state.webhooks[hook["id"]].secret == "s3cret"


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:8000/hook",
        "http://127.0.0.1/hook",
        "http://127.5.6.7:81/hook",
        "http://[::1]:9000/hook",
        "https://localhost/hook",
    ],
)
def test_loopback_targets_are_accepted(http: httpx.Client, mock: MockServer, wx: dict[str, str], target: str) -> None:
    assert create_webhook(http, mock, wx, target)["targetUrl"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://example.com/hook",
        "http://10.0.0.1/hook",
        "http://192.168.1.2/hook",
        "http://[2001:db8::1]/hook",
        "http://localhost.example.com/hook",
        "ftp://127.0.0.1/hook",
        "127.0.0.1:8000/hook",
        "http://127.0.0.1:99999/hook",
        "",
    ],
)
def test_other_targets_are_400_naming_target_url(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], target: str
) -> None:
    body = {"name": "n", "targetUrl": target, "resource": "messages", "event": "created"}
    response = http.post(mock.webex_base_url + WEBHOOKS, json=body, headers=wx)
    assert response.status_code == 400
    assert webex_descriptions(response)[0].startswith("targetUrl:")
    assert response.json()["trackingId"] == response.headers["trackingid"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "n", "targetUrl": TARGET, "resource": "messages"}, "event"),
        ({"name": "n", "targetUrl": TARGET, "resource": "nope", "event": "created"}, "resource"),
        ({"name": "n", "targetUrl": TARGET, "resource": "messages", "event": "created", "filter": "roomId"}, "filter"),
    ],
)
def test_create_400_names_the_field(
    http: httpx.Client, mock: MockServer, wx: dict[str, str], body: dict[str, str], field: str
) -> None:
    response = http.post(mock.webex_base_url + WEBHOOKS, json=body, headers=wx)
    assert response.status_code == 400
    assert any(d.startswith(field) for d in webex_descriptions(response)), response.json()


def next_link(response: httpx.Response) -> str | None:
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return match.group(1) if match else None


def test_list_pages_with_max_and_link(http: httpx.Client, fresh: MockServer) -> None:
    wx = bearer(fresh.webex_token)
    ids = [create_webhook(http, fresh, wx, TARGET, name=f"h{i}")["id"] for i in range(5)]
    first = http.get(fresh.webex_base_url + WEBHOOKS, params={"max": 2}, headers=wx)
    assert first.status_code == 200
    seen = [hook["id"] for hook in first.json()["items"]]
    url = next_link(first)
    assert url is not None and url.startswith(fresh.webex_base_url + WEBHOOKS + "?")
    # Deleting a webhook already listed neither repeats nor skips one on the next pages.
    assert http.delete(f"{fresh.webex_base_url}{WEBHOOKS}/{ids[0]}", headers=wx).status_code == 204
    while url is not None:
        page = http.get(url, headers=wx)
        assert page.status_code == 200
        assert len(page.json()["items"]) <= 2
        seen += [hook["id"] for hook in page.json()["items"]]
        url = next_link(page)
    assert seen == ids
    everything = http.get(fresh.webex_base_url + WEBHOOKS, headers=wx)
    assert [hook["id"] for hook in everything.json()["items"]] == ids[1:]
    assert "link" not in everything.headers


def test_list_by_owner_and_bad_max(http: httpx.Client, fresh: MockServer) -> None:
    wx = bearer(fresh.webex_token)
    mine = create_webhook(http, fresh, wx, TARGET)["id"]
    org = create_webhook(http, fresh, wx, TARGET, ownedBy="org")["id"]
    by_org = http.get(fresh.webex_base_url + WEBHOOKS, params={"ownedBy": "org"}, headers=wx).json()["items"]
    assert [hook["id"] for hook in by_org] == [org]
    assert mine != org
    for value in ("0", "-1", "two"):
        response = http.get(fresh.webex_base_url + WEBHOOKS, params={"max": value}, headers=wx)
        assert response.status_code == 400
        assert webex_descriptions(response)[0].startswith("max")
    assert http.get(fresh.webex_base_url + WEBHOOKS, params={"cursor": "garbage"}, headers=wx).status_code == 400


def test_get_update_delete(http: httpx.Client, mock: MockServer, wx: dict[str, str]) -> None:
    hook = create_webhook(http, mock, wx, TARGET, secret="old")
    url = f"{mock.webex_base_url}{WEBHOOKS}/{hook['id']}"
    assert http.get(url, headers=wx).json() == hook
    updated = http.put(url, json={"name": "renamed", "targetUrl": "http://localhost:1/new"}, headers=wx)
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["targetUrl"]) == ("renamed", "http://localhost:1/new")
    assert updated.json()["secret"] == "old"  # kept when not given
    resecret = http.put(url, json={"name": "renamed", "targetUrl": TARGET, "secret": "new"}, headers=wx)
    assert resecret.json()["secret"] == "new"
    elsewhere = http.put(url, json={"name": "x", "targetUrl": "https://example.com/"}, headers=wx)
    assert elsewhere.status_code == 400
    assert webex_descriptions(elsewhere)[0].startswith("targetUrl:")
    inactive = http.put(url, json={"name": "x", "targetUrl": TARGET, "status": "inactive"}, headers=wx)
    assert inactive.status_code == 400  # an update cannot deactivate, as published
    assert http.delete(url, headers=wx).status_code == 204
    for method in ("GET", "DELETE"):
        assert http.request(method, url, headers=wx).status_code == 404
    gone = http.put(url, json={"name": "x", "targetUrl": TARGET}, headers=wx)
    assert gone.status_code == 404
