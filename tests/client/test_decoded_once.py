"""A success's JSON body is decoded once, for the generated parser and the contract check alike, without anyone
else being handed the object the parser built the result from, and with every outcome the two decodings had."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from attachkit import WebexClient, errors
from attachkit._exchange import UNDECODED, remember_json, take_json

ACTION = {
    "id": "action-1",
    "type": "submit",
    "messageId": "message-1",
    "inputs": {"Name": "Ada"},
    "created": "2016-05-10T19:41:00.100Z",
}


def _response(content: bytes) -> httpx.Response:
    response = httpx.Response(200, content=content, headers={"content-type": "application/json"})
    remember_json(response)
    return response


def test_the_first_decoding_is_kept_and_later_calls_decode_afresh() -> None:
    response = _response(json.dumps(ACTION).encode())
    first = response.json()
    assert first == ACTION
    again = response.json()
    assert again == ACTION and again is not first  # as httpx's own json(): a new object each time
    assert take_json(response) is first
    assert take_json(response) is UNDECODED  # taken once; httpx's json is back
    assert response.json() == ACTION


def test_nothing_is_kept_when_the_parser_did_not_decode() -> None:
    response = _response(b"{}")
    assert take_json(response) is UNDECODED
    assert take_json(httpx.Response(200, content=b"{}")) is UNDECODED  # a response it was never put on


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + json.dumps(ACTION).encode(),  # a UTF-8 BOM: httpx reads it, the strict decoding does not
        json.dumps(ACTION).encode("utf-16"),
    ],
)
def test_a_body_that_is_not_strict_utf8_is_read_as_httpx_reads_it_and_not_kept(content: bytes) -> None:
    response = _response(content)
    assert response.json() == ACTION
    assert take_json(response) is UNDECODED  # the contract check decodes it on its own, strictly


def test_keyword_arguments_reach_json_loads() -> None:
    response = _response(b'{"n": 1.5}')
    assert response.json(parse_float=str) == {"n": "1.5"}
    assert take_json(response) is UNDECODED


def test_not_json_raises_what_httpx_raises() -> None:
    response = _response(b"not json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def _client(body: bytes, content_type: str = "application/json") -> tuple[WebexClient, httpx.Client]:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    http = httpx.Client(transport=httpx.MockTransport(handle))
    return WebexClient(access_token="token", base_url="https://webexapis.example/v1", http_client=http), http


def test_a_raw_response_hands_out_a_fresh_decoding() -> None:
    client, http = _client(json.dumps(ACTION).encode())
    with client, http:
        raw = client.with_raw_response.attachment_actions.get("action-1")
        result = raw.parse()
        body: Any = raw.http_response.json()
        assert body == ACTION
        body["inputs"]["Name"] = "changed"  # the caller's copy: the result is not built from it
        assert result.inputs["Name"] == "Ada"


def test_a_wrong_type_is_still_found_after_the_parser_decoded() -> None:
    client, http = _client(json.dumps({**ACTION, "id": 5}).encode())
    with client, http, pytest.raises(errors.UnexpectedResponseError, match="`id`"):
        client.attachment_actions.get("action-1")


def test_a_body_that_is_not_utf8_is_still_refused() -> None:
    body = json.dumps({**ACTION, "id": "\udc80"}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    client, http = _client(body)
    with client, http, pytest.raises(errors.UnexpectedResponseError, match="not UTF-8"):
        client.attachment_actions.get("action-1")
