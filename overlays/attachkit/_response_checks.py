"""Check a successful response body against the operation's schema in the spec: what is broken, what is bent.

Two kinds of problem, because they mean different things to the caller:

- **Breaking** (the caller raises): a value whose JSON type is not the one the spec declares (an `id` that is
  an int, a `name` that is a list, an object where an array is declared, null where the schema is not
  `nullable`), or a `required` property that is missing, at any depth. The SDK returns typed models built
  from the body; with such a body the typed result would lie to the caller about what it holds.
- **Bent** (the caller warns): constraints a real server may bend without the typed result lying:
  `minLength`/`maxLength`, `pattern`, `format`, `enum` and our `x-known-values` (vendors add values),
  `minimum`/`maximum`
  (with `exclusiveMinimum`/`exclusiveMaximum`), `minItems`/`maxItems`, and properties beyond
  `additionalProperties: false`. A string is still a string when it is longer than documented.

`oneOf`/`anyOf` are breaking only when no branch fits the value's types; when the best branch is only bent,
its bent problems are reported. `allOf` parts are merged as the generated models merge them (properties and
`required` combine; a bound stated twice keeps the tighter). Keywords not listed here are ignored: the check
stays open rather than guessing. JSON integers are Python ints (1024.0 is a float, and would reach a field typed
`int` as one), JSON numbers ints or floats; a bool is neither.

The schema is read at run time from the spec each generated package carries (`openapi.json`), and compiled
once per (package, operation, status) into plain-Python checks: a yes/no pass that allocates nothing when
the body fits, and a second walk, run only when it does not, that names every problem and where it is.
A status the operation does not document, and a status documented without a JSON body, have nothing to
check (the caller deals with undocumented statuses on its own).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import ipaddress
import json
import math
import re
import threading
from collections.abc import Callable
from importlib import resources
from typing import Any, Final

import attrs

Check = Callable[[Any], bool]


@attrs.frozen
class Problem:
    """One way a response body differs from its schema."""

    path: str
    """Where, in `_validation`'s style: `id`, `_links.self.href`, `attachments[1].size`; `body` for the root."""
    message: str
    """What, e.g. `is an int, the spec says string`."""
    breaking: bool
    """True when the typed result would lie (wrong type, missing required field); False for a bent constraint."""


NO_PROBLEMS: Final[tuple[tuple[Problem, ...], tuple[Problem, ...]]] = ((), ())
"""What `check_response` returns, always this same object, when the body fits its schema."""


def check_response(
    package: str, operation_id: str, status: int, body: Any
) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """`(breaking, bent)` problems of a successful response's decoded JSON `body` (None for an empty body).

    `package` is a generated package as `contract()` takes it (`attachkit._generated.talkdesk_attachments`,
    or just `talkdesk_attachments`). Raises LookupError for an operation the spec does not have.
    """
    schema = _compiled(package, operation_id, status)
    if schema is None or schema.ok(body):
        return NO_PROBLEMS
    found: list[Problem] = []
    _collect(schema, body, "", found)
    return tuple(p for p in found if p.breaking), tuple(p for p in found if not p.breaking)


def response_problems(package: str, operation_id: str, status: int, body: Any) -> list[Problem]:
    """Every problem of `body`, breaking and bent, in body order (an object's missing fields first); `[]` when it
    fits. See `check_response`."""
    schema = _compiled(package, operation_id, status)
    found: list[Problem] = []
    if schema is not None and not schema.ok(body):
        _collect(schema, body, "", found)
    return found


def schema_problems(package: str, ref: str, body: Any) -> list[Problem]:
    """Every problem of `body` against the component schema `ref` (`#/components/schemas/...`) of `package`'s spec,
    breaking and bent, as `response_problems` reports them; `[]` when it fits.

    For bodies that are not an operation's response, such as a webhook event (a callback's body).
    """
    schema = _component(package, ref)
    found: list[Problem] = []
    if not schema.ok(body):
        _collect(schema, body, "", found)
    return found


# -- types and formats --------------------------------------------------------------------------------------

# A bool is an int to Python but never a JSON number; JSON arrays decode to lists (tuples accepted, as
# `_validation` accepts them).
_IS: Final[dict[str, Check]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and v.__class__ is not bool,
    "number": lambda v: isinstance(v, int | float) and v.__class__ is not bool,
    "boolean": lambda v: v.__class__ is bool,
    "array": lambda v: isinstance(v, list | tuple),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _anything(value: Any) -> bool:
    return True


def _nothing(value: Any) -> bool:
    return False


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


# Text formats: a regular expression the whole string must match, and a parser for what it cannot say (that the
# 13th month does not exist). Compiled when a spec first uses the format, so importing this costs nothing for them.
_TEXT_FORMATS: Final[dict[str, tuple[str, Callable[[str], object] | None]]] = {
    "date-time": (
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})",
        lambda v: datetime.datetime.fromisoformat(v.upper()),  # 3.11 reads "Z", not "z"
    ),
    "date": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", datetime.date.fromisoformat),
    "uuid": (r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", None),
    "email": (r"[^@\s]+@[^@\s]+", None),
    "uri": (r"[A-Za-z][A-Za-z0-9+.-]*:\S*", None),
    "byte": (r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", None),
    "ipv4": (r"[0-9.]+", ipaddress.IPv4Address),  # ASCII first: int() would read other scripts' digits
    "ipv6": (r"[0-9A-Fa-f:.]+", ipaddress.IPv6Address),
}
_INT_FORMATS: Final = {"int32": 32, "int64": 64}


@functools.cache
def _format_check(name: str) -> Check | None:
    """Whether a value fits format `name` (a value of a type the format is not about fits); None: not checked.

    Formats not listed (binary, password, hostname, ...) are annotations to this check.
    """
    if name in _INT_FORMATS:
        low, high = -(2 ** (_INT_FORMATS[name] - 1)), 2 ** (_INT_FORMATS[name] - 1) - 1
        return lambda v: not isinstance(v, int) or low <= v <= high
    if name not in _TEXT_FORMATS:
        return None
    expression, parse = _TEXT_FORMATS[name]
    whole = re.compile(expression).fullmatch
    if parse is None:
        return lambda v: not isinstance(v, str) or whole(v) is not None
    return lambda v: not isinstance(v, str) or (whole(v) is not None and _parses(parse, v))


# -- compiled schemas ---------------------------------------------------------------------------------------


class _Schema:
    """One schema, `$ref`s followed and `allOf` merged; `ok` is its yes/no check, built once its parts are."""

    __slots__ = (
        "alternatives",
        "anything",
        "building",
        "enum",
        "extra",
        "format",
        "high",
        "high_open",
        "items",
        "low",
        "low_open",
        "max_items",
        "max_length",
        "min_items",
        "min_length",
        "nullable",
        "ok",
        "pattern",
        "properties",
        "required",
        "types",
    )

    def __init__(self) -> None:
        self.types: tuple[str, ...] | None = None  # None: any JSON type
        self.nullable = False
        self.enum: tuple[Any, ...] | None = None
        self.min_length = 0
        self.max_length = math.inf
        self.pattern: re.Pattern[str] | None = None
        self.format: tuple[str, Check] | None = None
        self.low: float | None = None
        self.low_open = False
        self.high: float | None = None
        self.high_open = False
        self.min_items = 0
        self.max_items = math.inf
        self.items: _Schema | None = None  # None: any items
        self.properties: dict[str, _Schema] = {}
        self.required: tuple[str, ...] = ()
        self.extra: _Schema | bool = True  # additionalProperties
        self.alternatives: tuple[tuple[_Schema, ...], ...] = ()  # each oneOf/anyOf: one branch must fit
        self.anything = False
        self.building = True  # its parts are still being compiled: a recursive reference reaches it half-done
        # Until the real check is built, go through the attribute, so a recursive schema reaches it later.
        self.ok: Check = lambda v: self.ok(v)


_LOWER: Final = ("minLength", "minimum", "minItems")
_UPPER: Final = ("maxLength", "maximum", "maxItems")
_ALTERNATIVES: Final = " alternatives"  # where merged oneOf/anyOf groups are kept; not a spec keyword


class _Compiler:
    """Compiles the schemas of one spec; components used by several operations are compiled once."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        # Keyed by id(); the raw node is kept alive beside its schema so an id is never reused.
        self.done: dict[int, tuple[object, _Schema]] = {}
        self.lock = threading.Lock()

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response_schema(self, operation_id: str, status: int) -> _Schema | None:
        op = next(
            (
                op
                for item in self.spec["paths"].values()
                for op in item.values()
                if isinstance(op, dict) and op.get("operationId") == operation_id
            ),
            None,
        )
        if op is None:
            raise LookupError(f"{operation_id} is not in the spec")
        responses = op.get("responses", {})
        # The exact status first, then its range ("2XX"), then "default", as OpenAPI reads them.
        key = next(
            (k for k in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default") if k in responses), None
        )
        response = self.resolve(responses[key]) if key else {}
        content = response.get("content") or {}
        media = content.get("application/json") or next(
            (m for t, m in content.items() if t.split(";")[0].strip().endswith("+json")), None
        )
        if not media or "schema" not in media:
            return None  # no JSON body is documented: there is nothing for a body to contradict
        with self.lock:  # two threads compiling at once could see each other's half-built schemas
            return self.compile(media["schema"])

    def flat(self, node: Any, seen: frozenset[int] = frozenset()) -> dict[str, Any]:
        """`node`'s keywords with its `allOf` parts merged in; its own keywords last, so they win."""
        node = self.resolve(node)
        merged: dict[str, Any] = {}
        if not isinstance(node, dict) or id(node) in seen:
            return merged
        for part in node.get("allOf", ()):
            _merge(merged, self.flat(part, seen | {id(node)}))
        _merge(merged, node)
        return merged

    def compile(self, node: Any) -> _Schema:
        node = self.resolve(node)
        found = self.done.get(id(node))
        if found is not None:
            return found[1]
        s = _Schema()
        self.done[id(node)] = (node, s)  # before the parts, so a recursive schema ends
        flat = self.flat(node)
        kind = flat.get("type")
        kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
        known = tuple(k for k in kinds if k in _IS)
        s.types = known or None  # an unknown type name constrains nothing we can check
        s.nullable = flat.get("nullable") is True
        if isinstance(flat.get("enum"), list):
            s.enum = tuple(flat["enum"])
        elif isinstance(flat.get("x-known-values"), list):
            # Our specs' mark for the documented values of a field read as an open string (a vendor may add
            # more): checked like an enum, so an unknown value is a warning, never a refusal.
            s.enum = tuple(flat["x-known-values"])
        s.min_length = flat.get("minLength", 0)
        s.max_length = flat.get("maxLength", math.inf)
        if isinstance(flat.get("pattern"), str):
            # ECMA-262 syntax Python cannot read leaves the pattern out: a pattern is only ever bent.
            with contextlib.suppress(re.error):
                s.pattern = re.compile(flat["pattern"])
        fits = _format_check(flat["format"]) if isinstance(flat.get("format"), str) else None
        if fits is not None:
            s.format = (flat["format"], fits)
        s.low, s.high = flat.get("minimum"), flat.get("maximum")
        for bound, side in (("exclusiveMinimum", "low"), ("exclusiveMaximum", "high")):
            value = flat.get(bound)
            if value is True:  # OpenAPI 3.0: a flag on minimum/maximum
                setattr(s, f"{side}_open", True)
            elif isinstance(value, int | float) and not isinstance(value, bool):  # 3.1: the bound itself
                setattr(s, side, value)
                setattr(s, f"{side}_open", True)
        s.min_items = flat.get("minItems", 0)
        s.max_items = flat.get("maxItems", math.inf)
        if isinstance(flat.get("items"), dict):
            items = self.compile(flat["items"])
            s.items = None if items.anything else items
        s.properties = {name: self.compile(sub) for name, sub in (flat.get("properties") or {}).items()}
        s.required = tuple(flat.get("required", ()))
        extra = flat.get("additionalProperties", True)
        if isinstance(extra, dict):  # `{}` (any value, as free-form metadata says) is the same as true
            extra = self.compile(extra)
            extra = True if extra.anything else extra
        s.extra = extra if isinstance(extra, _Schema) else extra is not False
        s.alternatives = tuple(tuple(self.compile(b) for b in group) for group in flat.get(_ALTERNATIVES, ()))
        s.anything = (
            s.types is None
            and s.enum is None
            and _no_bounds(s)
            and s.items is None
            and not s.properties
            and not s.required
            and s.extra is True
            and not s.alternatives
        )
        s.building = False  # its own parts are all set; what is still building is an ancestor, not it
        s.ok = _build_ok(s)
        return s


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        if key == "allOf":
            continue
        if key == "properties" and isinstance(value, dict):
            properties = dict(into.get(key, {}))
            for name, sub in value.items():
                # A property both parts describe must fit both: merge it as an allOf of its own.
                properties[name] = {"allOf": [properties[name], sub]} if name in properties else sub
            into[key] = properties
        elif key == "required" and isinstance(value, list):
            into[key] = list(dict.fromkeys([*into.get(key, ()), *value]))
        elif key in ("oneOf", "anyOf") and isinstance(value, list):
            into[_ALTERNATIVES] = [*into.get(_ALTERNATIVES, ()), value]
        elif key in _LOWER and key in into:
            into[key] = max(into[key], value)
        elif key in _UPPER and key in into:
            into[key] = min(into[key], value)
        else:
            into[key] = value


def _no_bounds(s: _Schema) -> bool:
    return (
        s.min_length == 0
        and s.max_length == math.inf
        and s.pattern is None
        and s.format is None
        and s.low is None
        and s.high is None
        and s.min_items == 0
        and s.max_items == math.inf
    )


# -- the yes/no pass ------------------------------------------------------------------------------------------
# Closures specialised to what each schema says, so a fitting body allocates nothing and costs little more than
# one isinstance per value: a plain leaf (a string, a bool, an unconstrained object or list) is checked inline by
# its parent, not called. It must agree with `_collect`: ok(v) is True exactly when `_collect` finds nothing.

_NONE: Final = type(None)
# Kinds whose isinstance is the whole type check (integer and number must also exclude bool).
_LEAF_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


def _leaf(s: _Schema) -> tuple[type, ...] | None:
    """The types of `s` when an isinstance of them is its whole check, else None."""
    if s.building or s.types is None or len(s.types) != 1 or s.types[0] not in _LEAF_TYPES or s.enum is not None:
        return None
    if s.alternatives or not _no_bounds(s) or s.items is not None or s.properties or s.required:
        return None
    if s.extra is not True:
        return None
    return (*_LEAF_TYPES[s.types[0]], _NONE) if s.nullable else _LEAF_TYPES[s.types[0]]


def _build_ok(s: _Schema) -> Check:
    if s.anything:
        return _anything
    leaf = _leaf(s)
    if leaf is not None:
        return lambda v: isinstance(v, leaf)
    text, number = _string_ok(s), _number_ok(s)
    if s.types is not None and len(s.types) == 1 and not s.alternatives:
        kind, nullable, enum = s.types[0], s.nullable, s.enum
        if kind == "object" and enum is None:
            return _object_ok(s, typed=True)
        if kind == "array" and enum is None:
            return _array_ok(s, typed=True)
        if kind in ("string", "integer", "number"):
            inner = text if kind == "string" else number
            is_kind = _IS[kind]
            if enum is not None:
                inner = _with_enum(inner, enum)
            if inner is None:  # integer or number, unconstrained
                return (lambda v: v is None or is_kind(v)) if nullable else is_kind
            return lambda v: inner(v) if is_kind(v) else v is None and nullable
    array = _array_ok(s, typed=False) if s.items is not None or s.min_items or s.max_items != math.inf else None
    mapping = _object_ok(s, typed=False) if s.properties or s.required or s.extra is not True else None
    return _generic_ok(s, text, number, array, mapping)


def _with_enum(inner: Check | None, enum: tuple[Any, ...]) -> Check:
    if inner is None:
        return lambda v: v in enum
    return lambda v: v in enum and inner(v)


def _generic_ok(
    s: _Schema, text: Check | None, number: Check | None, array: Check | None, mapping: Check | None
) -> Check:
    kinds, nullable, enum, groups = s.types, s.nullable, s.enum, s.alternatives
    checks = tuple(_IS[k] for k in kinds) if kinds is not None else None

    def ok(v: Any) -> bool:
        if v is None:
            if nullable:
                return True
            if kinds is not None and "null" not in kinds:
                return False
        elif checks is not None:
            for is_kind in checks:  # loops, not any()/all(): a generator would allocate on every call
                if is_kind(v):
                    break
            else:
                return False
        if enum is not None and v not in enum:
            return False
        if isinstance(v, str):
            if text is not None and not text(v):
                return False
        elif isinstance(v, dict):
            if mapping is not None and not mapping(v):
                return False
        elif isinstance(v, (list, tuple)):  # tuples, not `X | Y`: no union built per call
            if array is not None and not array(v):
                return False
        elif isinstance(v, (int, float)) and v.__class__ is not bool and number is not None and not number(v):
            return False
        for group in groups:
            for branch in group:
                if branch.ok(v):
                    break
            else:
                return False
        return True

    return ok


def _string_ok(s: _Schema) -> Check | None:
    """The string's constraints, for a value already known to be a string."""
    low, high, pattern, fmt = s.min_length, s.max_length, s.pattern, s.format
    if low == 0 and high == math.inf and pattern is None and fmt is None:
        return None
    search = pattern.search if pattern is not None else None
    fits = fmt[1] if fmt is not None else None
    return lambda v: low <= len(v) <= high and (search is None or search(v) is not None) and (fits is None or fits(v))


def _number_ok(s: _Schema) -> Check | None:
    """The number's constraints, for a value already known to be an int or a float."""
    low, low_open, high, high_open, fmt = s.low, s.low_open, s.high, s.high_open, s.format
    if low is None and high is None and fmt is None:
        return None
    fits = fmt[1] if fmt is not None else _anything
    # Written as the negation of `_collect_number`'s tests, so that both let NaN through alike.
    return lambda v: (
        not (low is not None and (v < low or (v == low and low_open)))
        and not (high is not None and (v > high or (v == high and high_open)))
        and fits(v)
    )


def _split(schemas: dict[str, _Schema]) -> tuple[dict[str, tuple[type, ...]], dict[str, Check | None]]:
    """Properties checked inline by isinstance, and the others: a check to call, or None when anything fits."""
    leaves = {name: t for name, sub in schemas.items() if (t := _leaf(sub)) is not None}
    calls = {name: None if sub.anything else sub.ok for name, sub in schemas.items() if name not in leaves}
    return leaves, calls


def _array_ok(s: _Schema, *, typed: bool) -> Check:
    """The array's check; `typed` when the check also decides that the value is an array (or an allowed null)."""
    low, high, nullable = s.min_items, s.max_items, s.nullable
    leaf = _leaf(s.items) if s.items is not None else None
    item = s.items.ok if s.items is not None and leaf is None else None

    def ok(v: Any) -> bool:
        if typed and not isinstance(v, (list, tuple)):
            return v is None and nullable
        if not low <= len(v) <= high:
            return False
        if leaf is not None:
            for x in v:
                if not isinstance(x, leaf):
                    return False
        elif item is not None:
            for x in v:
                if not item(x):
                    return False
        return True

    return ok


def _object_ok(s: _Schema, *, typed: bool) -> Check:
    """The object's check; `typed` when the check also decides that the value is an object (or an allowed null)."""
    leaves, calls = _split(s.properties)
    extra = _nothing if s.extra is False else None if s.extra is True else s.extra.ok
    required, nullable = s.required, s.nullable

    def ok(v: Any) -> bool:
        if typed and not isinstance(v, dict):
            return v is None and nullable
        for key in required:  # a loop beats `v.keys() >= set` for the few keys a schema requires
            if key not in v:
                return False
        for key, item in v.items():
            leaf = leaves.get(key)
            if leaf is not None:
                if not isinstance(item, leaf):
                    return False
            else:
                check = calls.get(key, extra)
                if check is not None and not check(item):
                    return False
        return True

    return ok


# -- the naming walk ------------------------------------------------------------------------------------------


def _collect(s: _Schema, v: Any, path: str, out: list[Problem]) -> None:
    """Append every problem of `v` under `s` to `out`; a value of the wrong type is one problem, not entered."""
    if s.anything:
        return
    where = path or "body"
    if v is None:
        if s.nullable:
            return
        if s.types is not None and "null" not in s.types:
            out.append(Problem(where, f"is null, the spec says {_expected(s)}", True))
            return
    elif s.types is not None and not any(_IS[k](v) for k in s.types):
        out.append(Problem(where, f"is {_kind(v)}, the spec says {_expected(s)}", True))
        return
    if s.enum is not None and v not in s.enum:
        values = ", ".join(_short(e) for e in s.enum)
        out.append(Problem(where, f"is {_short(v)}, not one of the spec's values ({values})", False))
    if isinstance(v, str):
        _collect_string(s, v, where, out)
    elif isinstance(v, dict):
        _collect_object(s, v, path, out)
    elif isinstance(v, list | tuple):
        if not s.min_items <= len(v) <= s.max_items:
            out.append(Problem(where, f"has {len(v)} items, the spec says {_range(s.min_items, s.max_items)}", False))
        if s.items is not None:
            for i, item in enumerate(v):
                _collect(s.items, item, f"{path}[{i}]", out)
    elif isinstance(v, int | float) and v.__class__ is not bool:
        _collect_number(s, v, where, out)
    for group in s.alternatives:
        _collect_alternatives(group, v, path, out)


def _collect_string(s: _Schema, v: str, where: str, out: list[Problem]) -> None:
    if not s.min_length <= len(v) <= s.max_length:
        out.append(Problem(where, f"is {len(v)} characters, the spec says {_range(s.min_length, s.max_length)}", False))
    if s.pattern is not None and s.pattern.search(v) is None:
        out.append(Problem(where, f"does not match the spec's pattern {s.pattern.pattern!r}", False))
    if s.format is not None and not s.format[1](v):
        out.append(Problem(where, f"is not a valid {s.format[0]} (the spec's format)", False))


def _collect_number(s: _Schema, v: float, where: str, out: list[Problem]) -> None:
    if s.low is not None and (v < s.low or (v == s.low and s.low_open)):
        out.append(Problem(where, f"is {v}, the spec says {'more than' if s.low_open else 'at least'} {s.low}", False))
    if s.high is not None and (v > s.high or (v == s.high and s.high_open)):
        out.append(Problem(where, f"is {v}, the spec says {'less than' if s.high_open else 'at most'} {s.high}", False))
    if s.format is not None and not s.format[1](v):
        out.append(Problem(where, f"is out of range for {s.format[0]} (the spec's format)", False))


def _collect_object(s: _Schema, v: dict[str, Any], path: str, out: list[Problem]) -> None:
    for key in s.required:
        if key not in v:
            out.append(Problem(_join(path, key), "is required by the spec but missing", True))
    for key, item in v.items():
        sub = s.properties.get(key)
        if sub is not None:
            _collect(sub, item, _join(path, key), out)
        elif s.extra is False:
            out.append(
                Problem(_join(path, key), "is not a field the spec declares (additionalProperties: false)", False)
            )
        elif s.extra is not True:
            _collect(s.extra, item, _join(path, key), out)


def _collect_alternatives(group: tuple[_Schema, ...], v: Any, path: str, out: list[Problem]) -> None:
    """Nothing if a branch fits; the bent problems of the first branch that is only bent; else one breaking."""
    tried: list[list[Problem]] = []
    for branch in group:
        if branch.ok(v):
            return
        found: list[Problem] = []
        _collect(branch, v, path, found)
        if not any(p.breaking for p in found):
            out.extend(found)
            return
        tried.append(found)
    why = " / ".join(next(f"{p.path}: {p.message}" for p in problems if p.breaking) for problems in tried)
    out.append(Problem(path or "body", f"fits none of the spec's {len(group)} alternatives ({why})", True))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _expected(s: _Schema) -> str:
    kinds = list(s.types or ())
    if s.nullable and "null" not in kinds:
        kinds.append("null")
    return " or ".join(kinds)


_KINDS: Final[dict[type, str]] = {
    bool: "a bool",
    int: "an int",
    float: "a float",
    str: "a string",
    list: "a list",
    tuple: "a list",
    dict: "an object",
}


def _kind(v: Any) -> str:
    return _KINDS.get(type(v)) or f"a {type(v).__name__}"


def _range(low: float, high: float) -> str:
    if high == math.inf:
        return f"at least {low}"
    if low == 0:
        return f"at most {high}"
    return f"exactly {low}" if low == high else f"{low} to {high}"


def _short(v: Any) -> str:
    """A value for a message, cut short: bodies can be large, and messages end up in logs."""
    text = repr(v)
    return text if len(text) <= 40 else f"{text[:37]}..."


# -- loading ------------------------------------------------------------------------------------------------


@functools.cache
def _compiler(package: str) -> _Compiler:
    text = resources.files(package).joinpath("openapi.json").read_text(encoding="utf-8")
    return _Compiler(json.loads(text))


@functools.cache
def _component(package: str, ref: str) -> _Schema:
    compiler = _compiler(package)
    with compiler.lock:  # a concurrent compilation of the same spec must not see it half-built
        return compiler.compile({"$ref": ref})


@functools.cache
def _compiled(package: str, operation_id: str, status: int) -> _Schema | None:
    if "." not in package:
        package = f"{__package__}._generated.{package}"
    return _compiler(package).response_schema(operation_id, status)
