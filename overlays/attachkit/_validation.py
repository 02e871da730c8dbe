"""Check a call's arguments against the operation's contract in the spec, before anything is sent.

The constraints are read at run time from the spec each generated package carries (`openapi.json`,
written by `make regenerate`), so a constraint is stated once, in `openapi/*.yaml`. The checker
understands the JSON Schema keywords our specs use (type, enum, required, properties,
additionalProperties, items, minLength, maxLength, pattern, minimum, maximum, allOf, $ref); an
unknown keyword is ignored, not guessed at. Runtime dependencies stay httpx and attrs.

Each operation's schemas are compiled once (references followed, `allOf` merged, patterns compiled),
and one walk checks both the constraints and that every value is something JSON can carry.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

from .errors import ValidationError

MISSING: Final[Any] = object()
# An HTTP field value (RFC 9110 field-value, visible ASCII): possibly empty, no leading or trailing white space.
HEADER_VALUE: Final = re.compile(r"(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?")

_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


@functools.cache
def _spec(package: str) -> dict[str, Any]:
    text = resources.files(package).joinpath("openapi.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@functools.cache
def _pattern(expr: str) -> re.Pattern[str]:
    return re.compile(expr)


class Contract:
    """The request side of one operation: its parameters and its JSON body schema."""

    def __init__(self, package: str, operation_id: str) -> None:
        self._spec = _spec(package)
        found = None
        for item in self._spec["paths"].values():
            for method, op in item.items():
                if isinstance(op, dict) and op.get("operationId") == operation_id:
                    params = [*item.get("parameters", []), *op.get("parameters", [])]
                    found = (method, op, [self._resolve(p) for p in params])
        if found is None:
            raise LookupError(f"{operation_id} is not in {package}'s spec")
        _, op, params = found
        self._compiled: dict[int, dict[str, Any]] = {}
        self._params = [{**p, "schema": self._compile(p.get("schema", {}))} for p in params]
        body = op.get("requestBody")
        media = self._resolve(body)["content"].get("application/json") if body else None
        self._body_schema: dict[str, Any] | None = self._compile(media["schema"]) if media else None
        self._body_required = bool(body and self._resolve(body).get("required"))

    def check(
        self,
        *,
        params: Mapping[str, object] | None = None,
        body: object = MISSING,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Raise `ValidationError` for the first argument that breaks the contract.

        `params` are path and header values by their spec name; `names` maps spec names (parameters and
        top-level body fields) to the Python argument names to report.
        """
        names = names or {}
        params = params or {}
        for param in self._params:
            name = param["name"]
            value = params.get(name, MISSING)
            field = names.get(name, name)
            if value is MISSING or (value is None and not param.get("required")):
                if param.get("required"):
                    raise ValidationError(field, "is required")
                continue
            _validate(param["schema"], value, field)
            if isinstance(value, str) and param["in"] == "header" and not HEADER_VALUE.fullmatch(value):
                raise ValidationError(field, "must be visible ASCII characters (it is sent as an HTTP header)")
            if param["in"] == "path" and value in {".", ".."}:
                raise ValidationError(field, "cannot be '.' or '..', which address a different path")
        if body is MISSING:
            if self._body_required:
                raise ValidationError("body", "is required")
            return
        if self._body_schema is not None:
            _validate(self._body_schema, body, "", names)

    def _resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self._spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def _compile(self, node: Any) -> dict[str, Any]:
        """`node` with its `$ref`s followed and its `allOf` merged, all the way down; done once per contract."""
        node = self._resolve(node)
        if not isinstance(node, dict):
            return {}
        done = self._compiled.get(id(node))
        if done is not None:
            return done
        compiled: dict[str, Any] = {}
        self._compiled[id(node)] = compiled  # before recursing, so a recursive schema terminates
        for part in node.get("allOf", []):
            compiled.update(self._compile(part))
        for key, value in node.items():
            if key == "allOf":
                continue
            if key == "properties":
                compiled[key] = {name: self._compile(sub) for name, sub in value.items()}
            elif key == "items" or (key == "additionalProperties" and isinstance(value, dict)):
                compiled[key] = self._compile(value)
            elif key == "pattern":
                compiled[key] = _pattern(value)
            else:
                compiled[key] = value
        return compiled


def _validate(schema: dict[str, Any], value: Any, path: str, names: Mapping[str, str] | None = None) -> None:
    """Check `value` against a compiled schema, and that it is something JSON can carry."""
    where = path or "body"
    kind = schema.get("type")
    if value is None:
        if schema.get("nullable") or kind is None:
            return
        raise ValidationError(where, f"must be {_article(kind)}, not None")
    if kind in _TYPES and (not isinstance(value, _TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))):
        raise ValidationError(where, f"must be {_article(kind)}, not {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValidationError(where, f"must be one of {', '.join(map(repr, schema['enum']))}, not {value!r}")
    if isinstance(value, str):
        _check_text(value, where)
        if "minLength" in schema and len(value) < schema["minLength"]:
            raise ValidationError(
                where,
                "must not be empty"
                if schema["minLength"] == 1
                else f"must be at least {schema['minLength']} characters",
            )
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise ValidationError(where, f"must be at most {schema['maxLength']} characters (got {len(value)})")
        if "pattern" in schema and not schema["pattern"].search(value):
            raise ValidationError(where, f"must match {schema['pattern'].pattern!r}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):  # tuples, not `X | Y`: no union per call
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(where, "must be a finite number (JSON has no NaN or infinity)")
        if "minimum" in schema and value < schema["minimum"]:
            raise ValidationError(where, f"must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ValidationError(where, f"must be at most {schema['maximum']}")
    elif isinstance(value, (list, tuple)):
        items = schema.get("items", {})
        for i, item in enumerate(value):
            _validate(items, item, f"{path}[{i}]" if path else f"[{i}]")
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                raise ValidationError(_join(path, key, names), "is required")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(where, f"has a key {key!r} that is not a string")
            _check_text(key, where)
            if key in properties:
                _validate(properties[key], item, _join(path, key, names))
            elif extra is False:
                raise ValidationError(_join(path, key, names), "is not a known field")
            else:
                # Free-form values (metadata, card inputs) are checked only for what JSON can carry.
                _validate(extra if isinstance(extra, dict) else {}, item, _join(path, key, names))
    elif not isinstance(value, bool):
        raise ValidationError(where, f"is not JSON-serialisable ({type(value).__name__})")


def _join(path: str, key: str, names: Mapping[str, str] | None) -> str:
    if not path:
        return (names or {}).get(key, key)
    return f"{path}.{key}"


def _article(kind: str) -> str:
    return {"array": "a list", "object": "a mapping", "integer": "an integer"}.get(kind, f"a {kind}")


def _check_text(value: str, field: str) -> None:
    """Strings must be encodable as UTF-8: a lone surrogate (from bad decoding upstream) is not."""
    if value.isascii():  # most text; ASCII always encodes, and this test copies nothing
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(field, f"is not valid Unicode text (character {exc.start} is a lone surrogate)") from None


@functools.cache
def contract(package: str, operation_id: str) -> Contract:
    """The cached contract of `operation_id` in the generated package `package`."""
    return Contract(package, operation_id)
