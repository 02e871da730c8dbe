"""Hypothesis strategies read from the specs' JSON Schemas: values a schema accepts, and values it refuses.

The specs use a small set of keywords; this module understands exactly those and refuses any other
constraint keyword, so a spec that grows a new constraint makes the property tests fail loudly instead of
generating values that silently ignore it. Every generated value is also checked by the properties with
the spec's own validator (`tests.specs.validator`), so a mistake here shows up as a failing test too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from tests import specs

# Keywords that describe but do not constrain (`x-known-values`: the documented values of an open string,
# which the SDK reports as a contract warning when a value is outside them, and JSON Schema does not check).
ANNOTATIONS = frozenset(
    {
        "description",
        "example",
        "examples",
        "title",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "x-known-values",
    }
)
CONSTRAINTS = frozenset(
    {
        "type",
        "enum",
        "nullable",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "items",
        "minItems",
        "maxItems",
        "properties",
        "required",
        "additionalProperties",
    }
)
_LOWER_BOUNDS = ("minLength", "minimum", "minItems")
_UPPER_BOUNDS = ("maxLength", "maximum", "maxItems")

# Free strings are short unless the schema bounds them: long strings find nothing short ones miss here.
FREE_TEXT_MAX = 24

TEXT = st.characters(codec="utf-8")
# The strings of a header schema (x-idempotency-key, and response headers) are drawn from visible ASCII.
# Narrowed on purpose: the specs allow any string, but only visible ASCII travels as an HTTP field value
# unchanged (RFC 9110 5.5: no controls, no non-ASCII; spaces at either end are trimmed), and the client
# refuses anything else with ValidationError before sending. The spec is the looser of the two here; the
# difference is reported with this suite.
HEADER_TEXT = st.characters(min_codepoint=0x21, max_codepoint=0x7E)

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
_BY_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(),
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not float(x).is_integer()),
    "string": st.text(max_size=8),
    "array": st.lists(JSON_SCALARS, max_size=2),
    "object": st.dictionaries(st.text(max_size=6), JSON_SCALARS, max_size=2),
}


class UnsupportedSchema(Exception):
    """The schema uses a keyword this module does not model."""


class Schemas:
    """Strategies for the schemas of one spec (`$ref`s resolve inside it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    # -- reading ---------------------------------------------------------------------------------------

    def flat(self, node: dict[str, Any]) -> dict[str, Any]:
        """`node` with `$ref` followed and `allOf` merged into one set of keywords, annotations dropped."""
        node = specs.resolve(self.name, node)
        merged: dict[str, Any] = {}
        for part in node.get("allOf", []):
            _merge(merged, self.flat(part))
        own = {k: v for k, v in node.items() if k not in ANNOTATIONS and k != "allOf"}
        unknown = set(own) - CONSTRAINTS
        if unknown:
            raise UnsupportedSchema(f"{self.name}: keywords {sorted(unknown)} are not modelled by tests/property")
        _merge(merged, own)
        return merged

    def validator(self, node: dict[str, Any]) -> Callable[[Any], bool]:
        return specs.validator(self.name, node).is_valid

    # -- accepted values -------------------------------------------------------------------------------

    def valid(self, node: dict[str, Any], *, text: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[Any]:
        """Values `node` accepts. `text` is the alphabet of its strings."""
        schema = self.flat(node)
        strategy = self._valid(schema, text)
        if schema.get("nullable"):
            strategy = st.none() | strategy
        return strategy

    def _valid(self, schema: dict[str, Any], text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind is None:
            if set(schema) - {"nullable"}:
                raise UnsupportedSchema(f"{self.name}: constraints without a type: {schema}")
            return JSON_VALUES
        if kind == "string":
            low = schema.get("minLength", 0)
            high = schema.get("maxLength", max(low, FREE_TEXT_MAX) if "pattern" not in schema else None)
            if "pattern" in schema:
                return st.from_regex(schema["pattern"], fullmatch=True, alphabet=text).filter(
                    lambda s: low <= len(s) and (high is None or len(s) <= high)
                )
            return st.text(text, min_size=low, max_size=high)
        if kind == "integer":
            return st.integers(schema.get("minimum"), schema.get("maximum"))
        if kind == "number":
            return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            items = self.valid(schema["items"], text=text) if "items" in schema else JSON_VALUES
            return st.lists(items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 3))
        if kind == "object":
            return self._object(schema, text)
        raise UnsupportedSchema(f"{self.name}: type {kind!r}")

    def _object(self, schema: dict[str, Any], text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = st.fixed_dictionaries(
            {k: self.valid(v, text=text) for k, v in properties.items() if k in required},
            optional={k: self.valid(v, text=text) for k, v in properties.items() if k not in required},
        )
        extra_schema = schema.get("additionalProperties", True)
        if extra_schema is False:
            return fixed
        extra_values = JSON_VALUES if extra_schema is True else self.valid(extra_schema, text=text)
        extras = st.dictionaries(
            st.text(text, max_size=10).filter(lambda k: k not in properties), extra_values, max_size=2
        )
        return st.builds(lambda known, more: {**more, **known}, fixed, extras)

    # -- refused values --------------------------------------------------------------------------------

    def invalid(
        self, node: dict[str, Any], *, text: st.SearchStrategy[str] = TEXT, allow_none: bool = True
    ) -> st.SearchStrategy[Any] | None:
        """Values that break one of `node`'s constraints (None: it accepts everything).

        `allow_none=False` leaves out `null` as a wrong type, for arguments where None means "not given".
        """
        schema = self.flat(node)
        options: list[st.SearchStrategy[Any]] = []
        kind = schema.get("type")
        if kind is not None:
            wrong = [t for t in _BY_TYPE if not _is_type(t, kind)]
            if schema.get("nullable") or not allow_none:
                wrong.remove("null")
            options.append(st.one_of([_BY_TYPE[t] for t in wrong]))
        if kind == "string":
            if "enum" in schema:
                options.append(st.text(text, max_size=8).filter(lambda s: s not in schema["enum"]))
            if schema.get("minLength", 0) > 0:
                options.append(st.text(text, max_size=schema["minLength"] - 1))
            if "maxLength" in schema:
                limit = schema["maxLength"]
                options.append(st.text(text, min_size=limit + 1, max_size=limit + 8))
            if "pattern" in schema:
                pattern = re.compile(schema["pattern"])
                options.append(st.text(text, max_size=12).filter(lambda s: not pattern.search(s)))
        elif kind in {"integer", "number"}:
            if "minimum" in schema:
                options.append(st.integers(max_value=math.ceil(schema["minimum"]) - 1))
            if "maximum" in schema:
                options.append(st.integers(min_value=math.floor(schema["maximum"]) + 1))
        elif kind == "array":
            options.extend(self._invalid_array(schema, text))
        elif kind == "object":
            options.extend(self._invalid_object(schema, text))
        return st.one_of(options) if options else None

    def _invalid_array(self, schema: dict[str, Any], text: st.SearchStrategy[str]) -> list[st.SearchStrategy[Any]]:
        options = []
        items = schema.get("items")
        bad_item = self.invalid(items, text=text) if items is not None else None
        if bad_item is not None:
            good = self.valid(items, text=text)
            options.append(
                st.builds(
                    lambda before, bad, after: [*before, bad, *after],
                    st.lists(good, max_size=1),
                    bad_item,
                    st.lists(good, max_size=1),
                )
            )
        if schema.get("minItems", 0) > 0:
            options.append(st.lists(self.valid(items or {}, text=text), max_size=schema["minItems"] - 1))
        if "maxItems" in schema:
            limit = schema["maxItems"]
            options.append(st.lists(self.valid(items or {}, text=text), min_size=limit + 1, max_size=limit + 2))
        return options

    def _invalid_object(self, schema: dict[str, Any], text: st.SearchStrategy[str]) -> list[st.SearchStrategy[Any]]:
        options: list[st.SearchStrategy[Any]] = []
        valid = self._object(schema, text)
        for key in schema.get("required", []):
            options.append(valid.map(lambda value, key=key: {k: v for k, v in value.items() if k != key}))
        for key, sub in schema.get("properties", {}).items():
            bad = self.invalid(sub, text=text)
            if bad is not None:
                options.append(st.builds(lambda value, wrong, key=key: {**value, key: wrong}, valid, bad))
        extra = schema.get("additionalProperties", True)
        names = st.text(text, min_size=1, max_size=8).filter(lambda k: k not in schema.get("properties", {}))
        if extra is False:
            options.append(st.builds(lambda value, k, v: {**value, k: v}, valid, names, JSON_VALUES))
        elif isinstance(extra, dict):
            bad = self.invalid(extra, text=text)
            if bad is not None:
                options.append(st.builds(lambda value, k, v: {**value, k: v}, valid, names, bad))
        return options


def _is_type(json_type: str, kind: str) -> bool:
    return json_type == kind or (kind == "number" and json_type == "integer")


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        if key not in into:
            into[key] = value
        elif key in _LOWER_BOUNDS:
            into[key] = max(into[key], value)
        elif key in _UPPER_BOUNDS:
            into[key] = min(into[key], value)
        elif key == "required":
            into[key] = sorted({*into[key], *value})
        elif into[key] != value:
            raise UnsupportedSchema(f"allOf parts disagree on {key!r}: {into[key]!r} and {value!r}")
