"""Property 2: for any valid arguments, every request the public client sends validates against the spec.

Arguments are drawn from the spec's parameter and body schemas. The client, sync or async, sends through
`httpx.MockTransport`; each captured API request is validated by openapi-core against the spec (server, path,
method, path and header parameters, media type, body), and the operation's security is checked for a bearer
token. The answer is a documented success drawn from the spec, so the call completes.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import specs
from tests.property import stats
from tests.property._openapi import parse, path_variables, server_path, validate
from tests.property._operations import (
    OPERATIONS,
    TOKEN_HOST,
    Arg,
    Operation,
    invoke,
    token_response,
    valid_arguments,
)
from tests.property._responses import success_responses


def test_table_covers_every_spec_operation() -> None:
    documented = {(name, op) for name in specs.ALL for op in specs.operations(name)}
    assert {(op.spec, op.operation_id) for op in OPERATIONS} == documented


def _arg(op: Operation, wire: str) -> Arg:
    return next(a for a in op.args if a.where == "body" and a.wire == wire)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_request_sent_validates_against_the_spec(op: Operation, data: st.DataObject) -> None:
    kwargs = data.draw(valid_arguments(op), label="arguments")
    answer = data.draw(success_responses(op), label="answer")
    asynchronous = data.draw(st.booleans(), label="async")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        # No `Link` to a next page: one request per call here (the pages are followed in test_webex_card_loop).
        headers = [(k, v) for k, v in answer.http_headers() if k.lower() != "link"]
        return token_response(request) or httpx.Response(answer.status, headers=headers, content=answer.body)

    stats.count("client requests")
    invoke(op, kwargs, handler, asynchronous=asynchronous)

    api = [r for r in sent if r.url.host != TOKEN_HOST]
    assert len(api) == 1, f"expected one API request, sent {[str(r.url) for r in api]}"
    request = api[0]
    template = server_path(op.spec) + op.path
    validate(op.spec, request, template)
    assert request.method.lower() == op.method
    # The spec's security: Talkdesk OAuth 2.0 and Webex bearer tokens both travel as `Bearer <token>`.
    expected_token = "tok" if op.vendor == "talkdesk" else "wx-token"
    assert request.headers["authorization"] == f"Bearer {expected_token}"
    # What was sent is what was asked for.
    body = parse(request)
    wire_body = op.wire_body(kwargs)
    if wire_body is None:
        assert body is None
    else:
        # An empty list of optional items may be left out: to the API, none sent and none listed are the same.
        assert {k: body[k] for k in wire_body if k in body} == {k: v for k, v in wire_body.items() if k in body}
        assert all(v == [] and not op.required(_arg(op, k)) for k, v in wire_body.items() if k not in body)
    variables = path_variables(template, request.url.raw_path.decode("ascii").partition("?")[0])
    for arg in op.args:
        if arg.where == "header" and arg.python in kwargs:
            assert request.headers[arg.wire] == kwargs[arg.python]
        if arg.where == "path":
            assert variables[arg.wire] == kwargs[arg.python]
        if arg.where == "query":
            wire = arg.wire_value(kwargs[arg.python]) if kwargs.get(arg.python) is not None else None
            assert request.url.params.get_list(arg.wire) == ([] if wire is None else [str(wire)])
