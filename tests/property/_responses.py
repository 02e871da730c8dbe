"""Responses drawn from the specs: documented statuses with bodies and headers from their schemas, plus
undocumented statuses and bodies that are not JSON, or not the documented JSON."""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Any

from hypothesis import strategies as st

from tests import specs
from tests.property._jsonschema import HEADER_TEXT, JSON_VALUES, Schemas
from tests.property._operations import Operation

NON_JSON_TYPES = ("text/html", "text/plain", "application/json", "application/octet-stream", None)


@dataclasses.dataclass(frozen=True)
class Served:
    """One answer to serve: what it is, and how it was made (for the expectations)."""

    status: int
    body: bytes
    media_type: str | None
    headers: tuple[tuple[str, str], ...]
    documented: bool
    schema: dict[str, Any] | None  # the schema the body was drawn from, when it was

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or `NotJSON`."""
        try:
            return json.loads(self.body)
        except ValueError:
            return NOT_JSON

    def http_headers(self) -> list[tuple[str, str]]:
        found = list(self.headers)
        if self.media_type is not None:
            found.append(("Content-Type", self.media_type))
        return found


NOT_JSON = object()


def documented_responses(op: Operation) -> dict[int, dict[str, Any]]:
    """status -> the resolved response object, for every status the operation documents."""
    return {int(code): specs.resolve(op.spec, response) for code, response in op.spec_operation["responses"].items()}


def is_binary(op: Operation, schema: dict[str, Any]) -> bool:
    """Whether `schema` is a file's bytes (`type: string, format: binary`), drawn as bytes, not as a JSON value."""
    return specs.resolve(op.spec, schema).get("format") == "binary"


def json_schema(op: Operation, status: int) -> dict[str, Any] | None:
    """The JSON schema `op` documents for `status`, if any."""
    response = documented_responses(op).get(status, {})
    media = (response.get("content") or {}).get("application/json")
    return media.get("schema") if media else None


def _header_values(op: Operation, response: dict[str, Any]) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    """Each documented response header, present or not, with a value its schema allows (as text).

    `Retry-After` is also drawn as whole seconds, so that the branch reading a usable wait runs often.
    """
    schemas = Schemas(op.spec)
    optional: dict[str, st.SearchStrategy[str]] = {}
    for name, header in response.get("headers", {}).items():
        if name.lower() == "content-length":
            continue  # the body's own length, which httpx sends
        value = schemas.valid(specs.resolve(op.spec, header)["schema"], text=HEADER_TEXT).map(str)
        if name.lower() == "retry-after":
            value = value | st.integers(0, 90).map(str)
        optional[name] = value
    return st.fixed_dictionaries({}, optional=optional).map(lambda d: tuple(sorted(d.items())))


# Fields a result needs that the spec leaves optional: a success without one is an UnexpectedResponseError naming it
# (the page marks the started conversation's `id` "required: no", but `start` returns it as a `str`).
RESULT_NEEDS: dict[str, tuple[str, ...]] = {"start_conversation": ("id",)}


def lacks_what_the_result_needs(op: Operation, body: Any) -> str | None:
    """The first field `op`'s result needs that `body` does not carry, if any."""
    for field in RESULT_NEEDS.get(op.operation_id, ()):
        if not isinstance(body, dict) or field not in body:
            return field
    return None


def _documented(
    op: Operation, statuses: frozenset[int] | None = None, *, complete: bool = False
) -> st.SearchStrategy[Served]:
    """Documented answers; `complete` draws only bodies that also carry what the result needs (`RESULT_NEEDS`)."""
    options = []
    for status, response in documented_responses(op).items():
        if statuses is not None and status not in statuses:
            continue
        headers = _header_values(op, response)
        content = response.get("content") or {None: {}}
        for media_type, media in content.items():
            schema = media.get("schema")
            if schema is None:
                body: st.SearchStrategy[bytes] = st.just(b"")
            elif is_binary(op, schema):
                body = st.binary(max_size=256)  # a file, in whatever media type (a download's 200)
            elif media_type == "application/json":
                needs = RESULT_NEEDS.get(op.operation_id, ()) if complete else ()
                drawn = {"allOf": [schema, {"required": list(needs)}]} if needs else schema
                body = Schemas(op.spec).valid(drawn).map(lambda v: json.dumps(v).encode())
            else:
                body = Schemas(op.spec).valid(schema).map(lambda v: v.encode())
            options.append(
                st.builds(
                    Served,
                    status=st.just(status),
                    body=body,
                    media_type=st.just(media_type),
                    headers=headers,
                    documented=st.just(True),
                    schema=st.just(schema),
                )
            )
    return st.one_of(options)


def _unreadable(op: Operation, statuses: frozenset[int] | None = None) -> st.SearchStrategy[Served]:
    """Documented statuses whose body is not what the spec says: raw bytes, text, or other JSON."""
    documented = sorted(statuses if statuses is not None else documented_responses(op))
    bodies = st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64).map(str.encode),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.just(b"<html><body><h1>Bad Gateway</h1></body></html>"),
    )
    return st.builds(
        Served,
        status=st.sampled_from(documented),
        body=bodies,
        media_type=st.sampled_from(NON_JSON_TYPES),
        headers=st.just(()),
        documented=st.just(False),
        schema=st.none(),
    )


def _undocumented(op: Operation) -> st.SearchStrategy[Served]:
    documented = documented_responses(op)
    any_schema = [
        media["schema"]
        for response in documented.values()
        for media in (response.get("content") or {}).values()
        if "schema" in media and not is_binary(op, media["schema"])
    ]
    bodies = st.one_of(
        st.sampled_from(any_schema).flatmap(Schemas(op.spec).valid).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=32),
        st.just(b""),
    )
    return st.builds(
        Served,
        status=st.integers(100, 599).filter(lambda s: s not in documented),
        body=bodies,
        media_type=st.sampled_from(NON_JSON_TYPES),
        headers=st.just(()),
        documented=st.just(False),
        schema=st.none(),
    )


@functools.cache
def documented_answers(op: Operation, status: int) -> st.SearchStrategy[Served]:
    """Answers with a status `op` documents: mostly as documented, some with a body that is not."""
    documented = _documented(op, frozenset({status}))
    return st.one_of(documented, documented, documented, _unreadable(op, frozenset({status})))


@functools.cache
def other_answers(op: Operation) -> st.SearchStrategy[Served]:
    """Undocumented statuses, and documented ones with a body that is not the documented JSON."""
    return st.one_of(_undocumented(op), _unreadable(op))


@functools.cache
def success_responses(op: Operation) -> st.SearchStrategy[Served]:
    """The documented successes of `op`, with bodies and headers from their schemas, carrying what the result
    needs: answers a call completes with."""
    return _documented(op, frozenset(s for s in documented_responses(op) if 200 <= s < 300), complete=True)
