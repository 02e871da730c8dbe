"""Validate a captured `httpx.Request` against a spec with openapi-core: server, path, method, parameters, body."""

from __future__ import annotations

import functools
import json
import re
import warnings
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests import specs


@functools.cache
def openapi(name: str) -> OpenAPI:
    return OpenAPI.from_dict(specs.load(name))


class HttpxOpenAPIRequest:
    """An `httpx.Request` as openapi-core's `Request` protocol.

    openapi-core matches the path as it is on the wire and does not percent-decode path parameters, so an id
    such as `a/b` (sent as `a%2Fb`) would be checked in its encoded form, longer than the one sent. The
    operation's template is matched here on the raw path instead, and the decoded values are handed over.
    """

    def __init__(self, request: httpx.Request, template: str) -> None:
        raw = request.url.raw_path.decode("ascii")
        self.path, _, query = raw.partition("?")
        self.host_url = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        self.method = request.method.lower()
        self.body: bytes | None = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(query, keep_blank_values=True)),
            header=Headers(list(request.headers.multi_items())),
            cookie=ImmutableMultiDict(),
            path=path_variables(template, self.path),
        )


def path_variables(template: str, raw_path: str) -> dict[str, str]:
    pattern = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{[^}]+\})", template)
    )
    match = re.search(pattern + "$", raw_path)
    if match is None:
        raise AssertionError(f"{raw_path} does not match the operation's path {template}")
    return {name: unquote(value) for name, value in match.groupdict().items()}


def validate(name: str, request: httpx.Request, template: str) -> None:
    """Raise openapi-core's validation error when `request` breaks spec `name`."""
    with warnings.catch_warnings():
        # openapi-core has no provider for oauth2 schemes and says so; Authorization is checked by the caller.
        warnings.filterwarnings("ignore", message="Unsupported scheme type")
        openapi(name).validate_request(HttpxOpenAPIRequest(request, template))


def server_path(name: str) -> str:
    """The path part of the spec's first server (`/v1` for Webex)."""
    return urlsplit(specs.load(name)["servers"][0]["url"]).path.rstrip("/")


def parse(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None
