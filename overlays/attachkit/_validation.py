"""Check a call's arguments against the operation's contract in the spec, before anything is sent.

The constraints are read at run time from the spec each generated package carries (`openapi.json`,
written by `make regenerate`), so a constraint is stated once, in `openapi/*.yaml`. The checker
understands the JSON Schema keywords our specs use (type, enum, required, properties,
additionalProperties, items, minLength, maxLength, pattern, minimum, maximum, allOf, $ref); an
unknown keyword is ignored, not guessed at. Runtime dependencies stay httpx and attrs.

Each operation's schemas are compiled once, when its contract is first used (references followed, `allOf`
merged, patterns compiled), and then into plain-Python checks, as `_response_checks` does for responses: a yes/no
pass that builds no path or message when the arguments fit, which is what every call costs. Only when it fails
are the arguments walked again, by `_validate`, to name the first problem; that walk checks both the constraints
and that every value is something JSON can carry, and the yes/no pass agrees with it exactly.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from ._response_checks import Check, _anything, _nothing
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

_NO_PARAMS: Final[Mapping[str, object]] = MappingProxyType({})
_DOTS: Final = frozenset((".", ".."))


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
        checks = _Checks()
        self._fits = _fits(
            tuple((p["name"], bool(p.get("required")), _param_ok(p, checks.build(p["schema"]))) for p in self._params),
            _anything if self._body_schema is None else checks.build(self._body_schema),
            self._body_required,
        )

    def check(
        self,
        *,
        params: Mapping[str, object] | None = None,
        body: object = MISSING,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Raise `ValidationError` for the first argument that breaks the contract.

        `params` are path and header values by their spec name; `names` maps spec names (parameters and
        top-level body fields) to the Python argument names to report. A yes/no pass decides; only when it
        fails are the arguments walked again to name the problem.
        """
        if not self._fits(params or _NO_PARAMS, body):
            self._explain(params or {}, body, names or {})

    def _explain(self, params: Mapping[str, object], body: object, names: Mapping[str, str]) -> None:
        """Walk the arguments again, slowly, and raise `ValidationError` for the first that breaks the contract."""
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


# -- the yes/no pass ------------------------------------------------------------------------------------------
# Closures specialised to what each compiled schema says. They must agree with `_validate`: ok(v) is True exactly
# when `_validate` raises nothing. (Were one stricter, the call would only be slower: `_validate` has the last word.)


class _Checks:
    """Builds the yes/no checks of one contract's compiled schemas; a schema reached twice is built once."""

    def __init__(self) -> None:
        # Keyed by id(): the contract keeps every compiled schema alive, so an id is never reused.
        self._done: dict[int, Check] = {}

    def build(self, schema: dict[str, Any]) -> Check:
        """The check of `schema`, for a value of any kind (None included)."""
        found = self._done.get(id(schema))
        if found is not None:
            return found
        late: list[Check] = []
        self._done[id(schema)] = lambda v: late[0](v)  # what a recursive schema reaches while it is being built
        ok = self._build(schema)
        late.append(ok)
        self._done[id(schema)] = ok
        return ok

    def _build(self, schema: dict[str, Any]) -> Check:
        """`schema`'s check, specialised to its type: the others' constraints can never apply to such a value."""
        kind = schema.get("type")
        enum = schema.get("enum") if "enum" in schema else None
        if (kind is not None and not isinstance(kind, str)) or not isinstance(enum, list | tuple | None):
            return _nothing  # a shape `_validate` was never meant for: let it decide, as it always did
        none_ok = kind is None or bool(schema.get("nullable"))
        if kind == "string":
            return _string_ok(schema, none_ok, enum)
        if kind in ("integer", "number"):
            return _number_ok(schema, _TYPES[kind], none_ok, enum)
        if kind == "boolean":
            return _boolean_ok(none_ok, enum)
        if kind == "array":
            return self._array_ok(schema, none_ok, enum)
        if kind == "object":
            return self._object_ok(schema, none_ok, enum)
        return self._any_ok(schema, none_ok, enum)  # no type, or one `_validate` does not check

    def _free(self, schema: dict[str, Any]) -> bool:
        """Whether `schema` asks nothing of a value of its kind beyond what JSON can carry (its items and extra
        fields included: those are built first, and are `_json` when they ask nothing either)."""
        if any(key in schema for key in ("minLength", "maxLength", "pattern", "minimum", "maximum")):
            return False
        if schema.get("properties") or schema.get("required") or schema.get("additionalProperties") is False:
            return False
        extra = schema.get("additionalProperties")
        items, other = schema.get("items"), extra if isinstance(extra, dict) else None
        return (items is None or self.build(items) is _json) and (other is None or self.build(other) is _json)

    def _array_ok(self, schema: dict[str, Any], none_ok: bool, enum: Sequence[Any] | None) -> Check:
        item = self.build(schema["items"]) if "items" in schema else _json

        def ok(v: Any) -> bool:
            if not isinstance(v, (list, tuple)):  # tuples, not `X | Y`: no union built per call
                return v is None and none_ok
            if enum is not None and v not in enum:
                return False
            if item is _plain_text:
                for x in v:
                    if not (isinstance(x, str) and (x.isascii() or _encodes(x))):
                        return False
            else:
                for x in v:
                    if not item(x):
                        return False
            return True

        return ok

    def _object_ok(self, schema: dict[str, Any], none_ok: bool, enum: Sequence[Any] | None) -> Check:
        fields = {name: self.build(sub) for name, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        other = None if extra is False else self.build(extra) if isinstance(extra, dict) else _json
        if not fields and not required and other is _json and enum is None:  # free-form, as metadata often is
            return lambda v: _json_fields(v) if isinstance(v, dict) else v is None and none_ok

        def ok(v: Any) -> bool:
            if not isinstance(v, dict):
                return v is None and none_ok
            if enum is not None and v not in enum:
                return False
            for key in required:
                if key not in v:
                    return False
            for key, item in v.items():
                if not (isinstance(key, str) and (key.isascii() or _encodes(key))):
                    return False
                check = fields.get(key, other)
                if check is _plain_text:  # the commonest field, checked here rather than called
                    if not (isinstance(item, str) and (item.isascii() or _encodes(item))):
                        return False
                elif check is None or not check(item):
                    return False
            return True

        return ok

    def _any_ok(self, schema: dict[str, Any], none_ok: bool, enum: Sequence[Any] | None) -> Check:
        """A value of any kind: the constraints that apply to its kind, whatever that turns out to be."""
        if none_ok and enum is None and self._free(schema):
            return _json
        text = _string_ok(schema, False, None)
        number = _number_ok(schema, (int, float), False, None)
        array = self._array_ok(schema, False, None)
        mapping = self._object_ok(schema, False, None)

        def ok(v: Any) -> bool:
            if v is None:
                return none_ok
            if enum is not None and v not in enum:
                return False
            if isinstance(v, str):
                return text(v)
            if isinstance(v, (int, float)):
                return v.__class__ is bool or number(v)
            if isinstance(v, (list, tuple)):
                return array(v)
            if isinstance(v, dict):
                return mapping(v)
            return False

        return ok


def _fits(
    params: tuple[tuple[str, bool, Check], ...], body_ok: Check, body_required: bool
) -> Callable[[Mapping[str, object], object], bool]:
    """Whether a call's arguments keep the contract: `check`'s yes/no pass, which builds no path or message.

    `params` are each parameter's name, whether it is required, and its check.
    """

    def fits(given: Mapping[str, object], body: object) -> bool:
        for name, required, ok in params:
            value = given.get(name, MISSING)
            if value is MISSING or (value is None and not required):
                if required:
                    return False
            elif not ok(value):
                return False
        if body is MISSING:
            return not body_required
        return body_ok(body)

    return fits


def _param_ok(param: dict[str, Any], ok: Check) -> Check:
    """A parameter's check: its schema's, and what its place in the request adds."""
    if param["in"] == "header":
        fits = HEADER_VALUE.fullmatch
        if ok is _plain_text:  # the usual header; a visible ASCII string needs no check of its encoding
            return lambda v: isinstance(v, str) and fits(v) is not None
        return lambda v: ok(v) and (not isinstance(v, str) or fits(v) is not None)
    if param["in"] == "path":
        return lambda v: ok(v) and v not in _DOTS
    return ok


def _string_ok(schema: dict[str, Any], none_ok: bool, enum: Sequence[Any] | None) -> Check:
    """A string's check (None passes when `none_ok`): encodable, within its lengths, matching its pattern."""
    low, high = schema.get("minLength", 0), schema.get("maxLength", math.inf)
    pattern: re.Pattern[str] | None = schema.get("pattern")
    if low == 0 and high == math.inf and pattern is None and enum is None and not none_ok:
        return _plain_text
    search = pattern.search if pattern is not None else None

    def ok(v: Any) -> bool:
        if not isinstance(v, str):
            return v is None and none_ok
        return (
            (v.isascii() or _encodes(v))
            and low <= len(v) <= high
            and (search is None or search(v) is not None)
            and (enum is None or v in enum)
        )

    return ok


def _number_ok(schema: dict[str, Any], types: tuple[type, ...], none_ok: bool, enum: Sequence[Any] | None) -> Check:
    """A check for values of `types` that are not bools (None passes when `none_ok`): finite, within bounds."""
    low, high = schema.get("minimum"), schema.get("maximum")

    def ok(v: Any) -> bool:
        if not isinstance(v, types) or v.__class__ is bool:
            return v is None and none_ok
        if enum is not None and v not in enum:
            return False
        if isinstance(v, float) and not math.isfinite(v):
            return False
        # Written as the negation of `_validate`'s tests, so that both read the bounds alike.
        return not (low is not None and v < low) and not (high is not None and v > high)

    return ok


def _boolean_ok(none_ok: bool, enum: Sequence[Any] | None) -> Check:
    """A bool's check (None passes when `none_ok`)."""

    def ok(v: Any) -> bool:
        if not isinstance(v, bool):
            return v is None and none_ok
        return enum is None or v in enum

    return ok


def _plain_text(v: Any) -> bool:
    """The check of a plain string field (no bounds, no pattern, no enum, not nullable)."""
    return isinstance(v, str) and (v.isascii() or _encodes(v))


def _json(v: Any) -> bool:
    """The check of a free-form value (`{}`): anything JSON can carry, at any depth."""
    if isinstance(v, str):
        return v.isascii() or _encodes(v)
    if isinstance(v, dict):
        return _json_fields(v)
    if isinstance(v, (list, tuple)):
        for item in v:  # noqa: SIM110 - all() would allocate a generator on every call
            if not _json(item):
                return False
        return True
    if isinstance(v, float):
        return math.isfinite(v)
    return v is None or isinstance(v, int)  # bools included


def _json_fields(v: dict[Any, Any]) -> bool:
    """`_json` of a dict's keys and values; a plain str, int, bool or None value is checked here, not called."""
    for key, item in v.items():
        if not (isinstance(key, str) and (key.isascii() or _encodes(key))):
            return False
        kind = item.__class__
        if kind is str:
            if not (item.isascii() or _encodes(item)):
                return False
        elif kind is not int and kind is not bool and item is not None and not _json(item):
            return False
    return True


def _encodes(text: str) -> bool:
    """Whether `text` encodes as UTF-8 (has no lone surrogate); for text that is not ASCII."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def contract(package: str, operation_id: str) -> Contract:
    """The cached contract of `operation_id` in the generated package `package`."""
    return Contract(package, operation_id)
