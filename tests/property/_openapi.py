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
    """The request's body: JSON as its value; `multipart/form-data` as {name: text, or bytes for a file part}."""
    if not request.content:
        return None
    media, _, params = request.headers.get("content-type", "").partition(";")
    if media.strip() == "multipart/form-data":
        boundary = params.strip().removeprefix("boundary=").strip('"')
        return form_parts(request.content, boundary.encode("ascii"))
    return json.loads(request.content)


def form_parts(content: bytes, boundary: bytes) -> dict[str, str | bytes]:
    """The parts of a `multipart/form-data` body, byte for byte (RFC 7578), by name; a part with a filename as bytes."""
    parts: dict[str, str | bytes] = {}
    chunks = content.split(b"--" + boundary)
    assert chunks[0] == b"" and chunks[-1] in (b"--\r\n", b"--"), "a body of boundary-delimited parts"
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, _, data = chunk[2:-2].partition(b"\r\n\r\n")
        disposition = next(
            line for line in head.decode("utf-8").split("\r\n") if line.lower().startswith("content-disposition:")
        )
        name = re.search(r'; name="([^"]*)"', disposition)
        assert name is not None, disposition
        assert name[1] not in parts, f"part {name[1]} sent twice"
        parts[name[1]] = data if "; filename=" in disposition else data.decode("utf-8")
    return parts
