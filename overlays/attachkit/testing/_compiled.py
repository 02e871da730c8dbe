"""Request and response validation compiled once per operation: a fast verdict on conforming traffic.

openapi-core, which the mock's answers to a non-conforming request come from (``_contract``), walks and resolves
the spec on every call: about 7 ms of CPU per ``send_message`` with responses checked. This module reads each
operation once, at start-up, into plain Python and `jsonschema-rs <https://pypi.org/project/jsonschema-rs/>`_
validators, and answers one question per request or response: does it conform? Only a "no", or any case it was
not built to decide, goes on to openapi-core, which then finds the errors exactly as before. So the mock accepts
and refuses exactly what it did, with the same messages, and conforming traffic costs microseconds.

A "yes" here must imply that openapi-core finds nothing, so every rule below follows openapi-core 0.23 and
openapi-schema-validator's OAS 3.0 validators, or declines (``None``: decided by openapi-core):

- Schemas are inlined (no ``$ref`` left; a ``$ref`` with siblings keeps them, as openapi-core does) and reduced to
  the keywords OAS 3.0's validators implement: others (``x-known-values``, ``example``...) are ignored by both.
  ``nullable: true`` adds ``null`` to ``type``; a ``readOnly`` schema refuses every value in a request and a
  ``writeOnly`` one in a response, and neither is required there. ``format`` and ``pattern`` call the very checks
  openapi-core uses (its format checker, Python's ``re``). What this does not model (discriminators,
  ``patternProperties``, ``multipleOf``, numeric formats, recursive schemas...) makes the schema undecided.
- Paths are found with openapi-core's own algorithm (a path that ends like a literal one wins, then templates with
  the fewest variables, then a server must match), so a request reaches the operation openapi-core would pick.
- Parameters: path, query and header ones with a ``string`` or ``integer`` schema and the default style; an
  integer only when it is plain ASCII digits. Bodies and answers: ``application/json`` exactly, parsed by
  ``json.loads`` as openapi-core does; integers past 15 digits and non-finite numbers are left to openapi-core.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urljoin

import jsonschema_rs
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator

try:  # openapi-schema-validator uses ECMA regexes when `regress` is installed; this module models Python's `re`
    from openapi_schema_validator._regex import has_ecma_regex
except ImportError:  # pragma: no cover - an older or newer layout: do not guess

    def has_ecma_regex() -> bool:
        return True


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA = "application/json"
_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object"})
# Keywords openapi-schema-validator's OAS 3.0 validators ignore (annotations, or not implemented there).
_IGNORED = frozenset(
    {
        "title",
        "description",
        "default",
        "example",
        "deprecated",
        "externalDocs",
        "xml",
        "nullable",
        "definitions",
        "const",
        "contains",
        "dependencies",
        "if",
        "then",
        "else",
        "propertyNames",
        "additionalItems",
        "examples",
        "$comment",
    }
)
_KEPT = frozenset(
    {
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "enum",
    }
)
# Formats whose OAS 3.0 check passes every JSON value (bytes aside): nothing to compile.
_NO_OP_FORMATS = frozenset({"float", "double", "binary", "password"})
_NON_STRINGS: tuple[Any, ...] = (0, -1, 2**40, 1.5, True, False, None, [], {}, [1], {"a": 1})
_DIGITS = re.compile(r"-?[0-9]+", re.ASCII)
# A path that urljoin would copy as it is: one leading slash, no query, fragment, parameters, dot segments,
# whitespace or control characters.
_PLAIN_PATH = re.compile(r"(?!//)(?!.*/\.\.?(?:/|$))/[A-Za-z0-9\-._~!$&'()*+,=:@/%]*", re.ASCII)
_MAX_NODES = 20_000
_SEEN_PATHS = 4096
_REFUSE_ALL: dict[str, Any] = {"not": {}}


class Undecided(Exception):
    """Something this module does not model: the case goes to openapi-core."""


class _Unsafe(ValueError):
    """A number whose handling openapi-core and jsonschema-rs might not share."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 15:
        raise _Unsafe(text)
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) >= 2**53:
        raise _Unsafe(text)
    return value


def _parse_constant(text: str) -> Any:
    raise _Unsafe(text)


def load_json(raw: bytes) -> Any:
    """``json.loads`` as openapi-core calls it, refusing (``Undecided``) what the two validators might read apart."""
    try:
        return json.loads(raw, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except (ValueError, TypeError, RecursionError) as exc:
        raise Undecided(f"body: {type(exc).__name__}") from None


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        if len(node) != 1:
            raise Undecided("$ref with siblings outside a schema")
        node = _resolve(document, node["$ref"])
        seen += 1
        if seen > 32:
            raise Undecided("$ref chain")
    return node


def _resolve(document: Mapping[str, Any], ref: Any) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise Undecided(f"$ref {ref!r}")
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            raise Undecided(f"$ref {ref!r} does not resolve")
        node = node[part]
    return node


class _SchemaCompiler:
    """One OAS 3.0 schema (``write``: in a request; ``read``: in a response) as a jsonschema-rs Draft 4 schema."""

    def __init__(self, document: Mapping[str, Any], mode: str) -> None:
        self.document = document
        self.mode = mode
        self.formats: dict[str, Callable[[str], bool]] = {}
        self.nodes = 0
        checker = (OAS30WriteValidator if mode == "write" else OAS30ReadValidator).FORMAT_CHECKER
        assert checker is not None
        self.checker: Any = checker

    def compile(self, node: Any, refs: tuple[str, ...] = ()) -> dict[str, Any]:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            raise Undecided("schema too large to inline")
        if not isinstance(node, Mapping):
            raise Undecided("a schema that is not an object")
        if "$ref" in node:
            ref = node["$ref"]
            if ref in refs:
                raise Undecided("recursive schema")
            target = self.compile(_resolve(self.document, ref), (*refs, str(ref)))
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            return {"allOf": [target, self.compile(siblings, refs)]}
        return self._compile_node(node, refs)

    def _compile_node(self, node: Mapping[str, Any], refs: tuple[str, ...]) -> dict[str, Any]:
        refused = "readOnly" if self.mode == "write" else "writeOnly"
        if node.get(refused):
            return dict(_REFUSE_ALL)  # openapi-schema-validator: "Tried to write read-only property" on any value
        if "discriminator" in node or "patternProperties" in node or "id" in node or "$schema" in node:
            raise Undecided("a keyword this module does not model")
        out: dict[str, Any] = {}
        extra: list[dict[str, Any]] = []
        for key, value in node.items():
            if key in _KEPT:
                out[key] = value
            elif key == "type":
                if not isinstance(value, str) or value not in _TYPES:
                    raise Undecided(f"type {value!r}")
                out["type"] = [value, "null"] if node.get("nullable") is True else value
            elif key == "required":
                kept = [name for name in value if not self._skip_required(node, name)]
                if kept:
                    out["required"] = kept
            elif key == "properties":
                if not isinstance(value, Mapping):
                    raise Undecided("properties")
                out["properties"] = {name: self.compile(sub, refs) for name, sub in value.items()}
            elif key == "additionalProperties":
                out[key] = value if isinstance(value, bool) else self.compile(value, refs)
            elif key == "items":
                out[key] = self.compile(value, refs)
            elif key in ("allOf", "anyOf", "oneOf"):
                if not isinstance(value, list):
                    raise Undecided(key)
                out[key] = [self.compile(sub, refs) for sub in value]
            elif key == "not":
                out[key] = self.compile(value, refs)
            elif key == "format":
                name = self._format(value)
                if name is not None:
                    extra.append({"format": name})
            elif key == "pattern":
                extra.append({"format": self._pattern(value)})
            elif key in ("readOnly", "writeOnly") or key in _IGNORED or key.startswith("x-"):
                continue
            else:
                raise Undecided(f"keyword {key!r}")
        if extra:
            out["allOf"] = [*out.get("allOf", []), *extra]
        return out

    def _skip_required(self, node: Mapping[str, Any], name: str) -> bool:
        # As openapi-schema-validator reads it: the property's own schema object, not what a $ref there names.
        prop = (node.get("properties") or {}).get(name)
        if not prop or not isinstance(prop, Mapping):
            return False
        return bool(prop.get("readOnly", False) if self.mode == "write" else prop.get("writeOnly", False))

    def _format(self, fmt: Any) -> str | None:
        if not isinstance(fmt, str):
            raise Undecided("format")
        if fmt in _NO_OP_FORMATS or fmt not in self.checker.checkers:
            return None  # passes every value there (an unknown format passes everything)
        if not all(self.checker.conforms(value, fmt) for value in _NON_STRINGS):
            raise Undecided(f"format {fmt!r} checks values that are not strings")
        name = f"attachkit-format:{fmt}"
        checker = self.checker
        self.formats[name] = lambda value: bool(checker.conforms(value, fmt))
        return name

    def _pattern(self, pattern: Any) -> str:
        if not isinstance(pattern, str) or has_ecma_regex():
            raise Undecided("pattern")
        try:
            compiled = re.compile(pattern)
        except re.error:
            raise Undecided("pattern that Python cannot compile") from None
        name = f"attachkit-pattern:{pattern}"
        self.formats[name] = lambda value: compiled.search(value) is not None
        return name


class SchemaCheck:
    """A compiled schema: ``check(value)`` is True when it conforms, False when it may not."""

    def __init__(self, document: Mapping[str, Any], schema: Any, mode: str) -> None:
        compiler = _SchemaCompiler(document, mode)
        compiled = compiler.compile(schema)
        try:
            self._validator = jsonschema_rs.Draft4Validator(
                compiled, validate_formats=True, formats=compiler.formats, ignore_unknown_formats=False
            )
        except Exception as exc:  # a schema jsonschema-rs refuses (its meta-schema is stricter than OAS)
            raise Undecided(f"jsonschema-rs: {exc}") from None

    def check(self, value: Any) -> bool:
        try:
            return bool(self._validator.is_valid(value))
        except Exception:  # a value jsonschema-rs cannot take, or a format check that raised: let openapi-core say
            return False


def compile_schema(document: Mapping[str, Any], schema: Any, mode: str) -> SchemaCheck | None:
    """The schema compiled, or None when this module does not model something in it."""
    try:
        return SchemaCheck(document, schema, mode)
    except Undecided:
        return None


class _Value:
    """How one parameter or response header is read, cast and checked."""

    def __init__(self, document: Mapping[str, Any], spec: Mapping[str, Any], mode: str, location: str) -> None:
        if "content" in spec or "style" in spec or "explode" in spec or "allowEmptyValue" in spec:
            raise Undecided("a serialisation this module does not model")
        if spec.get("deprecated"):
            raise Undecided("deprecated (openapi-core warns)")
        schema = spec.get("schema")
        if not isinstance(schema, Mapping):
            raise Undecided("no schema")
        resolved = _deref(document, schema)
        kind = resolved.get("type") if isinstance(resolved, Mapping) else None
        if kind not in ("string", "integer"):
            raise Undecided(f"a {location} value of type {kind!r}")
        self.kind = kind
        self.location = location
        self.required = bool(spec.get("required", False))
        self.has_default = isinstance(resolved, Mapping) and "default" in resolved
        self.default = resolved.get("default") if self.has_default else None
        check = compile_schema(document, schema, mode)
        if check is None:
            raise Undecided("schema")
        self.check = check

    def conforms(self, raw: str | None) -> bool:
        if raw is None:
            if self.has_default:
                return self.check.check(self.default)
            return not self.required
        if self.location == "query" and raw == "":
            return False  # openapi-core: EmptyQueryParameterValue
        value: Any = raw
        if self.kind == "integer":
            if not _DIGITS.fullmatch(raw):
                return False
            value = int(raw)
        return self.check.check(value)


class PathFinder:
    """openapi-core's APICallPathFinder over a plain document: which path, and whether a server matches."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.paths: list[tuple[str, Mapping[str, Any], re.Pattern[str]]] = []
        for pattern, item in (document.get("paths") or {}).items():
            if not isinstance(pattern, str) or not isinstance(item, Mapping) or "$ref" in item:
                raise Undecided("paths")
            self.paths.append((pattern, item, re.compile(_template_regex(pattern) + "$")))
        for servers in self._all_servers():
            for server in servers:
                url = server.get("url") if isinstance(server, Mapping) else None
                if not isinstance(url, str) or "{" in url or not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
                    raise Undecided("a server URL this module does not model")

    def _all_servers(self) -> Iterable[list[Any]]:
        yield self.document.get("servers") or []
        for _, item, _ in self.paths:
            yield item.get("servers") or []
            for method in HTTP_METHODS:
                if isinstance(item.get(method), Mapping):
                    yield item[method].get("servers") or []

    def find(self, method: str, full_url: str) -> str | None:
        """The path pattern openapi-core would find for ``method`` at ``full_url`` (None: it would find none)."""
        templates: list[tuple[int, int, str, Mapping[str, Any], str]] = []
        for index, (pattern, item, regex) in enumerate(self.paths):
            if full_url.endswith(pattern):
                if self._served(method, item, full_url, pattern):
                    return pattern
                continue
            match = regex.search(full_url)
            if match:
                variables = match.groupdict()
                resolved = _resolve_template(pattern, variables)
                templates.append((len(variables), index, pattern, item, resolved))
        for _, _, pattern, item, resolved in sorted(templates, key=lambda t: (t[0], t[1])):
            if self._served(method, item, full_url, resolved):
                return pattern
        return None

    def _served(self, method: str, item: Mapping[str, Any], full_url: str, resolved: str) -> bool:
        if method not in item:
            return False
        operation = item[method]
        servers = item.get("servers") or operation.get("servers") or self.document.get("servers")
        if not servers:
            raise Undecided("no servers")
        prefix = full_url.rsplit(resolved, 1)[0]
        for server in servers:
            url = server["url"]
            if prefix == (url[:-1] if url.endswith("/") else url) or prefix == url or prefix + "/" == url:
                return True
        return False


def _template_regex(pattern: str) -> str:
    # openapi-core's PathParser: literal text escaped, each {name} as [^/]* (so a name may hold any characters).
    parts: list[str] = []
    index = 0
    group = 0
    while index < len(pattern):
        start = pattern.find("{", index)
        if start == -1:
            parts.append(re.escape(pattern[index:]))
            break
        end = pattern.find("}", start + 1)
        if end == -1:
            raise Undecided("unmatched { in a path")
        parts.append(re.escape(pattern[index:start]))
        parts.append(f"(?P<g{group}>[^/]*)")
        group += 1
        index = end + 1
    return "".join(parts)


def _resolve_template(pattern: str, groups: Mapping[str, str]) -> str:
    # TemplateResult.resolved: the pattern with each variable's matched text (str.format, as openapi-core does).
    names = re.findall(r"\{([^}]*)\}", pattern)
    variables = {name: groups[f"g{i}"] for i, name in enumerate(names)}
    try:
        return pattern.format(**variables) if variables else pattern
    except (KeyError, IndexError, ValueError) as exc:
        raise Undecided("path template") from exc


class _Response:
    def __init__(self, document: Mapping[str, Any], response: Mapping[str, Any]) -> None:
        self.has_content = "content" in response
        self.body: SchemaCheck | None = None
        self.body_media: bool = False
        content = response.get("content") or {}
        if self.has_content and JSON_MEDIA in content:
            media = _deref(document, content[JSON_MEDIA])
            self.body_media = True
            if "schema" in media:
                self.body = compile_schema(document, media["schema"], "read")
                if self.body is None:
                    self.body_media = False
        self.headers: list[tuple[str, _Value]] = []
        for name, header in (response.get("headers") or {}).items():
            if str(name).lower() == "content-type":
                continue
            self.headers.append((str(name), _Value(document, _deref(document, header), "read", "header")))

    def conforms(self, media: str, headers: Mapping[str, str], body: bytes | None) -> bool:
        if self.has_content:
            if not body or not self.body_media or media != JSON_MEDIA:
                return False
            value = load_json(body)
            if self.body is not None and not self.body.check(value):
                return False
        return all(value.conforms(headers.get(name)) for name, value in self.headers)


class CompiledOperation:
    """One operation's parameters, JSON body and responses, compiled: a verdict, or None (openapi-core decides)."""

    def __init__(
        self, document: Mapping[str, Any], finder: PathFinder, server_url: str, path: str, method: str
    ) -> None:
        self.finder = finder
        self.server_url = server_url
        self.path = path
        self.method = method.lower()
        item = document["paths"][path]
        operation = _deref(document, item[self.method])
        self.params: list[tuple[str, _Value]] | None = None
        self.body: SchemaCheck | None = None
        self.body_declared = "requestBody" in operation
        self.body_required = False
        self.body_json = False
        self.responses: dict[int, _Response] = {}
        self._seen: dict[str, bool] = {}  # path -> whether openapi-core finds this operation there (a pure function)
        try:
            self.params = self._parameters(document, item, operation)
        except Undecided:
            self.params = None
        if self.body_declared:
            try:
                body = _deref(document, operation["requestBody"])
                self.body_required = bool(body.get("required", False))
                content = body.get("content") or {}
                if JSON_MEDIA in content:
                    media = _deref(document, content[JSON_MEDIA])
                    self.body_json = True
                    if "schema" in media:
                        self.body = compile_schema(document, media["schema"], "write")
                        self.body_json = self.body is not None
            except Undecided:
                self.body_json = False
        for code, response in (operation.get("responses") or {}).items():
            if isinstance(code, str) and code.isdigit():
                with contextlib.suppress(Undecided):  # that status goes to openapi-core
                    self.responses[int(code)] = _Response(document, _deref(document, response))

    @staticmethod
    def _parameters(
        document: Mapping[str, Any], item: Mapping[str, Any], operation: Mapping[str, Any]
    ) -> list[tuple[str, _Value]]:
        params: list[tuple[str, _Value]] = []
        seen: set[tuple[str, str]] = set()
        for spec in [*(operation.get("parameters") or []), *(item.get("parameters") or [])]:
            spec = _deref(document, spec)
            name, location = spec.get("name"), spec.get("in")
            if not isinstance(name, str) or location not in ("path", "query", "header"):
                raise Undecided(f"a parameter in {location!r}")
            if (name, location) in seen:
                continue  # a path-level parameter the operation overrides
            seen.add((name, location))
            params.append((name, _Value(document, spec, "write", location)))
        return params

    def _found(self, path: str) -> bool:
        found = self._seen.get(path)
        if found is None:
            # The URL openapi-core sees: the spec server's origin, then its path and the request's, joined as text.
            full_url = self.server_url + path if _PLAIN_PATH.fullmatch(path) else urljoin(self.server_url, path)
            try:
                found = self.finder.find(self.method, full_url) == self.path
            except Undecided:
                found = False
            if len(self._seen) >= _SEEN_PATHS:
                self._seen.clear()
            self._seen[path] = found
        return found

    def request_conforms(
        self,
        full_path: str,
        path_params: Mapping[str, str],
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes | None,
        content_type: str,
    ) -> bool:
        """True when openapi-core would find nothing wrong with these parameters and this body."""
        if self.params is None or not self._found(full_path):
            return False
        for name, value in self.params:
            if value.location == "path":
                raw = path_params.get(name) if path_params else None
            elif value.location == "query":
                raw = None
                for key, item in query:  # a plain dict of the pairs keeps the last
                    if key == name:
                        raw = item
            else:
                raw = headers.get(name)
            if not value.conforms(raw):
                return False
        if not self.body_declared:
            return True
        if not body:
            return False  # absent (openapi-core: required or not) or empty: openapi-core says which
        if content_type != JSON_MEDIA or not self.body_json:
            return False
        try:
            parsed = load_json(body)
        except Undecided:
            return False
        return self.body is None or self.body.check(parsed)

    def response_conforms(
        self, full_path: str, status: int, headers: Mapping[str, str], body: bytes | None, media: str
    ) -> bool:
        """True when openapi-core would find nothing wrong with this response."""
        response = self.responses.get(status)
        if response is None or not self._found(full_path):
            return False
        try:
            return response.conforms(media, headers, body)
        except Undecided:
            return False


def compile_document(document: Mapping[str, Any], server_url: str) -> dict[tuple[str, str], CompiledOperation]:
    """Every operation of a spec, compiled, by (path, lower-case method); empty when paths cannot be found here."""
    try:
        finder = PathFinder(document)
    except Undecided:
        return {}
    compiled: dict[tuple[str, str], CompiledOperation] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, Mapping) and method in item:
                try:
                    compiled[(path, method)] = CompiledOperation(document, finder, server_url, path, method)
                except (Undecided, LookupError, TypeError, AttributeError):
                    continue
    return compiled
