"""Bad input to the mock over raw HTTP, from the corpus in `bad_inputs_http.jsonl` (one case a line).

A case is either an httpx request (`method`, `path`, `auth`/`basic`, `headers`, a body as `content`, `json`, `form`,
`json_pad`/`form_pad` = [base, field, size]) or raw socket lines (`raw`, plus `body`), for what httpx refuses to send:
CR/LF and NUL in headers, duplicated or conflicting framing headers, garbage. `{host}`, `{talkdesk}`, `{webex}` and
`{conversation}` are the mock's address, a valid Talkdesk token, the Webex token and a real conversation id.
`auth` is `talkdesk`, `webex`, `none`, `forged`, `expired` or `scope:<scopes>`; `basic` is `ok`, `wrong-secret` or
`unknown-client`. `timeout` bounds a raw exchange; `xfail` names a known mock bug described in `BUGS`.

Every case must get its expected 4xx in its vendor's error shape (`talkdesk`, `webex`, `oauth`), documented by the
spec (the mock validates its responses and the fixture fails on any violation), never a 500; store nothing; and leave
the server answering. `vendor: http` marks requests the HTTP parser refuses before the application sees them: they
get the server's plain-text 400 and the connection is closed (no vendor can be known for them).
"""

from __future__ import annotations

import json
import socket
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from attachkit.testing import MockServer
from tests._support.plain_http import bearer, start_conversation, talkdesk_headers, token
from tests.resilience import figures

CORPUS = Path(__file__).with_name("bad_inputs_http.jsonl")
CASES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
BUGS: dict[str, str] = {}  # key -> precise description of a known mock bug a case marks as xfail


def _value(node: Any) -> Any:
    if isinstance(node, dict) and len(node) == 1 and next(iter(node)).startswith("$"):
        tag, arg = next(iter(node.items()))
        if tag == "$repeat":
            return arg[0] * arg[1]
        if tag == "$concat":
            return "".join(_value(part) for part in arg)
        if tag == "$latin1":
            return arg.encode("latin-1")
        raise ValueError(tag)
    return node


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


class _Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


def _send_httpx(case: dict[str, Any], http: httpx.Client, mock: MockServer, values: dict[str, str]) -> _Reply:
    headers = dict(case.get("headers", {}))
    auth = case.get("auth")
    if auth == "talkdesk":
        headers.update(talkdesk_headers(http, mock))
    elif auth == "webex":
        headers.update(bearer(mock.webex_token))
    elif auth == "forged":
        headers.update(bearer(f"forged-{uuid.uuid4().hex}"))
    elif auth == "expired":
        expired = talkdesk_headers(http, mock)
        assert mock.expire_tokens() >= 1
        headers.update(expired)
    elif isinstance(auth, str) and auth.startswith("scope:"):
        headers.update(talkdesk_headers(http, mock, auth.removeprefix("scope:")))
    basic = {
        "ok": (mock.client_id, mock.client_secret),
        "wrong-secret": (mock.client_id, "not-the-secret"),
        "unknown-client": ("nobody", mock.client_secret),
    }.get(case.get("basic", ""))
    kwargs: dict[str, Any] = {}
    if "content" in case:
        content = _value(case["content"])
        kwargs["content"] = content if isinstance(content, bytes) else content.encode()
    elif "json" in case:
        kwargs["json"] = case["json"]
    elif "form" in case:
        kwargs["data"] = case["form"]
    elif "json_pad" in case:
        base, field, size = case["json_pad"]
        kwargs["json"] = {**base, field: "x" * size}
    elif "form_pad" in case:
        base, field, size = case["form_pad"]
        kwargs["data"] = {**base, field: "x" * size}
    url = mock.url + _fill(case["path"], values)
    response = http.request(case["method"], url, headers=headers, auth=basic, **kwargs)
    return _Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)


def _send_raw(case: dict[str, Any], mock: MockServer, values: dict[str, str]) -> _Reply:
    lines = [_fill(_value(line), values) for line in case["raw"]]
    body = _fill(case.get("body", ""), values).encode("latin-1")
    if body and not any(line.lower().startswith("content-length:") for line in lines):
        lines.append(f"Content-Length: {len(body)}")
    data = ("\r\n".join([*lines, "Connection: close"]) + "\r\n\r\n").encode("latin-1") + body
    host, port = mock.url.removeprefix("http://").rsplit(":", 1)
    received = b""
    with socket.create_connection((host, int(port)), timeout=case.get("timeout", 10)) as sock:
        sock.sendall(data)
        while chunk := sock.recv(65536):  # the server closes the connection after answering
            received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        rest = _dechunk(rest)
    return _Reply(int(status_line.split()[1]), headers, rest)


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


def _check_shape(vendor: str, reply: _Reply, expect: dict[str, Any]) -> None:
    if vendor == "http":
        assert reply.headers["content-type"].startswith("text/plain")
        assert reply.body  # the server says why, in a line of text
        return
    assert reply.headers["content-type"] == "application/json"
    body = json.loads(reply.body)
    if vendor == "talkdesk":
        assert isinstance(body["code"], str) and isinstance(body["message"], str)
        names = [field["name"] for field in body.get("fields", [])]
        if "field" in expect:
            assert expect["field"] in names, body
    elif vendor == "webex":
        assert isinstance(body["message"], str) and body["errors"]
        assert body["trackingId"] == reply.headers["trackingid"]
        if "field" in expect:
            assert any(e["description"].startswith(expect["field"] + ":") for e in body["errors"]), body
    else:
        assert isinstance(body["error_description"], str)
        assert body["error"] == expect.get("error", body["error"])


def _stored(mock: MockServer) -> tuple[int, ...]:
    state = mock.state
    return len(state.attachments), len(state.conversations), len(state.messages), len(state.actions)


def _params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case["id"],
            marks=[pytest.mark.xfail(strict=True, reason=BUGS[case["xfail"]])] if "xfail" in case else [],
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_bad_input_to_the_mock(mock: MockServer, http: httpx.Client, case: dict[str, Any]) -> None:
    values = {"host": mock.url.removeprefix("http://"), "webex": mock.webex_token}
    needs = json.dumps(case)
    if "{talkdesk}" in needs:
        values["talkdesk"] = token(http, mock)
    if "{conversation}" in needs:
        values["conversation"] = start_conversation(http, mock, talkdesk_headers(http, mock))
    stored, requests = _stored(mock), sum(mock.state.requests.values())
    expect = case["expect"]

    reply = _send_raw(case, mock, values) if "raw" in case else _send_httpx(case, http, mock, values)

    assert reply.status == expect["status"], reply.body[:300]
    assert 400 <= reply.status < 500
    _check_shape(expect["vendor"], reply, expect)
    for name in expect.get("no_headers", []):
        assert name not in reply.headers, f"{name} was injected into the response"
    assert _stored(mock) == stored, "a refused request stored something"
    if expect["vendor"] == "http":
        assert sum(mock.state.requests.values()) == requests, "the parser's refusal reached the application"
    # The server keeps answering, on a new connection and for real work.
    assert http.get(mock.url + "/").status_code == 200
    assert http.get(mock.webex_base_url + "/attachment/actions/x", headers=bearer(mock.webex_token)).status_code == 404
    figures.add("bad input to the mock", "cases")
    figures.add(
        "bad input to the mock", "documented 4xx" if expect["vendor"] != "http" else "refused by the HTTP parser"
    )


def test_the_corpus_covers_every_kind_the_issue_lists() -> None:
    ids = " ".join(case["id"] for case in CASES)
    kinds = ("malformed JSON", "wrong content type", "oversized", "missing token", "forged token", "expired token")
    for kind in (*kinds, "wrong scope", "injection"):
        assert kind in ids, kind
