"""A small declarative schema layer: one definition validates requests and renders OpenAPI.

Every parameter, body and response of the API is declared once as a tree of
the nodes below (``api/contract.py``). The same node objects answer two
questions: :meth:`Node.render` gives its JSON Schema 2020-12 (what OpenAPI
3.1 uses, served at ``/openapi.json``), :meth:`Node.check` validates a value
and collects field errors. There is no second copy of a regex or a limit that
could drift.

Why not pydantic 1 (installed and allowed):

- Its schema output is draft-07 / OpenAPI 3.0 flavoured (``definitions``,
  ``Optional`` without ``null``), while this API publishes OpenAPI 3.1.
- It coerces unless every field is strict (``"1"`` for an int, ``1`` for a
  str, ``True`` for an int), so it accepts more than it documents. A schema
  fuzzer's negative phase finds exactly that gap.
- ``constr(regex=...)`` matches with Python semantics (``$`` also matches
  before a final newline, ``\\d`` matches any Unicode digit), JSON Schema with
  ECMA 262 semantics.
- Its error locations are its own; this API names each wrong field as a query
  parameter, header or JSON pointer in problem+json (``errors.FieldError``).

So patterns here are stored unanchored, matched with ``re.fullmatch`` in ASCII
mode and rendered as ``^(?:...)$``; they may use only the part of regex syntax
both dialects read alike (explicit character ranges, quantifiers,
alternation), which :class:`Str` checks when it is built. A ``format`` comes
with the function that checks it (``Str.check_format``); formats JSON Schema
does not define (``phone``, ``person-name``) are annotations to a JSON Schema
validator, and their description says what they mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from amtslotse.scheduling.errors import FieldError, InvalidRequest

JsonSchema = dict[str, Any]

#: A format's check: why a text is wrong, or None.
FormatCheck = Callable[[str], "str | None"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Regex syntax that means something else in Python than in ECMA 262 (JSON Schema).
_NOT_PORTABLE = re.compile(r"\\[dDwWsSbBAZ]|(?<!\\)\$|(?<![\\\[])\^|\(\?[^:]")


def date_problem(text: str) -> str | None:
    """The check of ``format: date`` (RFC 3339 full-date)."""
    if not _DATE.fullmatch(text):
        return "a date as YYYY-MM-DD"
    try:
        date.fromisoformat(text)
    except ValueError:
        return "not a calendar date"
    return None


class Issues:
    """Collects field errors; each error remembers the problem class of its part of the tree."""

    def __init__(self) -> None:
        self.found: list[tuple[FieldError, type[InvalidRequest]]] = []
        self._problem: list[type[InvalidRequest]] = [InvalidRequest]

    def add(self, at: str, message: str) -> None:
        self.found.append((FieldError(at or "/", message), self._problem[-1]))

    def within(self, problem: type[InvalidRequest] | None) -> _Within:
        return _Within(self, problem)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self, detail: str) -> None:
        """One problem for all errors: the part's own class if they share one."""
        if not self.found:
            return
        classes = {cls for _, cls in self.found}
        cls = classes.pop() if len(classes) == 1 else InvalidRequest
        raise cls(detail, errors=[error for error, _ in self.found])


@dataclass
class _Within:
    issues: Issues
    problem: type[InvalidRequest] | None

    def __enter__(self) -> None:
        self.issues._problem.append(self.problem or self.issues._problem[-1])

    def __exit__(self, *exc: object) -> None:
        self.issues._problem.pop()


@dataclass
class Context:
    """What rendering and checking may look up.

    ``values`` holds the members of dynamic enums (``Str(enum_from=...)``),
    read from the catalogue; where a name is missing the enum is not checked
    here (the domain checks it against the same catalogue).
    """

    values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    components: dict[str, JsonSchema] = field(default_factory=dict)


class Node:
    """A schema node. ``problem``: the error class for mistakes inside this node."""

    description: str = ""
    problem: type[InvalidRequest] | None = None

    def render(self, ctx: Context) -> JsonSchema:
        raise NotImplementedError

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        raise NotImplementedError

    def from_text(self, raw: str, at: str, issues: Issues, ctx: Context) -> Any:
        """A query, header or path value (always text) checked against this node."""
        return self.check(raw, at, issues, ctx)

    def _described(self, schema: JsonSchema) -> JsonSchema:
        if self.description:
            schema["description"] = self.description
        return schema

    def validate(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        with issues.within(self.problem):
            return self.check(value, at, issues, ctx)


@dataclass
class Str(Node):
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    enum_from: str | None = None  # a dynamic enum: Context.values[enum_from]
    format: str | None = None
    # The format's check; formats JSON Schema leaves open (phone) say what they mean here.
    check_format: FormatCheck | None = None
    description: str = ""
    message: str = ""  # what to say when the value does not fit
    example: str | None = None
    problem: type[InvalidRequest] | None = None

    def __post_init__(self) -> None:
        self._regex = None
        if self.pattern is not None:
            if _NOT_PORTABLE.search(self.pattern):
                raise ValueError(f"pattern {self.pattern!r} is not portable to ECMA 262")
            self._regex = re.compile(self.pattern, re.ASCII)

    def render(self, ctx: Context) -> JsonSchema:
        schema: JsonSchema = {"type": "string"}
        if self.pattern is not None:
            schema["pattern"] = f"^(?:{self.pattern})$"
        if self.min_length is not None:
            schema["minLength"] = self.min_length
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.enum is not None:
            schema["enum"] = list(self.enum)
        if self.enum_from is not None and self.enum_from in ctx.values:
            schema["enum"] = list(ctx.values[self.enum_from])
        if self.format is not None:
            schema["format"] = self.format
        if self.example is not None:
            schema["examples"] = [self.example]
        return self._described(schema)

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        if not isinstance(value, str):
            issues.add(at, self.message or "a text")
            return None
        problems = []
        if self.min_length is not None and len(value) < self.min_length:
            problems.append(f"at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            problems.append(f"at most {self.max_length} characters")
        if not problems and self._regex is not None and not self._regex.fullmatch(value):
            problems.append(self.message or "not in the expected form")
        if not problems and self.enum is not None and value not in self.enum:
            problems.append(self.message or f"one of: {', '.join(self.enum)}")
        members = ctx.values.get(self.enum_from) if self.enum_from else None
        if not problems and members is not None and value not in members:
            problems.append(self.message or "not a known value")
        if not problems and self.check_format is not None:
            why = self.check_format(value)
            if why:
                problems.append(why)
        for problem in problems[:1]:
            issues.add(at, problem)
        return None if problems else value


@dataclass
class Int(Node):
    minimum: int | None = None
    maximum: int | None = None
    default: int | None = None
    description: str = ""
    problem: type[InvalidRequest] | None = None

    # A whole number as text: ASCII digits only ("²" and "٣" are digits to isdigit()).
    _TEXT = re.compile(r"-?[0-9]{1,18}", re.ASCII)

    def render(self, ctx: Context) -> JsonSchema:
        schema: JsonSchema = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.default is not None:
            schema["default"] = self.default
        return self._described(schema)

    def _message(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"a whole number from {self.minimum} to {self.maximum}"
        return "a whole number"

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        # JSON Schema: 2.0 is an integer too; bool is not a number at all.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            issues.add(at, self._message())
            return None
        too_small = self.minimum is not None and value < self.minimum
        if too_small or (self.maximum is not None and value > self.maximum):
            issues.add(at, self._message())
            return None
        return value

    def from_text(self, raw: str, at: str, issues: Issues, ctx: Context) -> Any:
        if not self._TEXT.fullmatch(raw):
            issues.add(at, self._message())
            return None
        return self.check(int(raw), at, issues, ctx)


@dataclass
class Bool(Node):
    description: str = ""

    def render(self, ctx: Context) -> JsonSchema:
        return self._described({"type": "boolean"})

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        if not isinstance(value, bool):
            issues.add(at, "true or false")
            return None
        return value


@dataclass
class Arr(Node):
    items: Node
    min_items: int | None = None
    max_items: int | None = None
    unique: bool = False
    description: str = ""
    message: str = ""
    problem: type[InvalidRequest] | None = None

    def render(self, ctx: Context) -> JsonSchema:
        schema: JsonSchema = {"type": "array", "items": self.items.render(ctx)}
        if self.min_items is not None:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        if self.unique:
            schema["uniqueItems"] = True
        return self._described(schema)

    def _count_ok(self, values: Sequence[Any], at: str, issues: Issues) -> bool:
        low = self.min_items is not None and len(values) < self.min_items
        if low or (self.max_items is not None and len(values) > self.max_items):
            issues.add(at, self.message or f"{self.min_items} to {self.max_items} items")
            return False
        if self.unique and len({repr(v) for v in values}) != len(values):
            issues.add(at, "each value at most once")
            return False
        return True

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        if not isinstance(value, list):
            issues.add(at, "a list")
            return None
        if not self._count_ok(value, at, issues):
            return None
        return [self.items.validate(v, f"{at}/{i}", issues, ctx) for i, v in enumerate(value)]

    def from_texts(self, raws: Sequence[str], at: str, issues: Issues, ctx: Context) -> Any:
        """A repeated query parameter (``style: form, explode: true``)."""
        if not self._count_ok(raws, at, issues):
            return None
        before = len(issues.found)
        values = [self.items.from_text(raw, at, issues, ctx) for raw in raws]
        del issues.found[before + 1 :]  # one message per parameter is enough
        return values


@dataclass
class Nullable(Node):
    inner: Node
    description: str = ""

    def render(self, ctx: Context) -> JsonSchema:
        return self._described({"anyOf": [self.inner.render(ctx), {"type": "null"}]})

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        return None if value is None else self.inner.validate(value, at, issues, ctx)


@dataclass
class Map(Node):
    """An object with free keys, all values of one kind (``additionalProperties``)."""

    values: Node
    description: str = ""

    def render(self, ctx: Context) -> JsonSchema:
        return self._described({"type": "object", "additionalProperties": self.values.render(ctx)})

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        if not isinstance(value, dict):
            issues.add(at, "an object")
            return None
        return {k: self.values.validate(v, f"{at}/{k}", issues, ctx) for k, v in value.items()}


@dataclass
class Obj(Node):
    """A JSON object with known members; unknown members are an error, never dropped."""

    required: Mapping[str, Node] = field(default_factory=dict)
    optional: Mapping[str, Node] = field(default_factory=dict)
    # Groups of which exactly one member must be present (``oneOf`` of ``required``).
    exactly_one_of: tuple[str, ...] = ()
    description: str = ""
    message: str = ""  # for a value that is not an object
    unknown_message: str = "unknown field"
    problem: type[InvalidRequest] | None = None

    def render(self, ctx: Context) -> JsonSchema:
        schema: JsonSchema = {
            "type": "object",
            "properties": {
                name: node.render(ctx) for name, node in {**self.required, **self.optional}.items()
            },
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = sorted(self.required)
        if self.exactly_one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.exactly_one_of]
        return self._described(schema)

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        if not isinstance(value, dict):
            issues.add(at, self.message or "an object")
            return None
        known = {**self.required, **self.optional}
        for name in sorted(set(value) - set(known)):
            issues.add(f"{at}/{_escape(name)}", self.unknown_message)
        out: dict[str, Any] = {}
        for name, node in known.items():
            if name in value:
                out[name] = node.validate(value[name], f"{at}/{name}", issues, ctx)
            elif name in self.required:
                issues.add(f"{at}/{name}", "required")
        if self.exactly_one_of:
            present = [name for name in self.exactly_one_of if name in value]
            if len(present) != 1:
                issues.add(at, f"give exactly one of {' or '.join(self.exactly_one_of)}")
        return out


def _escape(name: str) -> str:
    """A member name as one JSON pointer segment (RFC 6901)."""
    return name.replace("~", "~0").replace("/", "~1")


@dataclass
class Named(Node):
    """A node published once under ``components/schemas`` and referenced by ``$ref``."""

    name: str
    inner: Node

    @property
    def problem(self) -> type[InvalidRequest] | None:  # type: ignore[override]
        return self.inner.problem

    def render(self, ctx: Context) -> JsonSchema:
        if self.name not in ctx.components:
            ctx.components[self.name] = {}  # placeholder: stops recursion
            ctx.components[self.name] = self.inner.render(ctx)
        return {"$ref": f"#/components/schemas/{self.name}"}

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        return self.inner.validate(value, at, issues, ctx)


@dataclass
class Raw(Node):
    """A schema given as JSON Schema directly; for responses only (never checked here)."""

    schema: JsonSchema

    def render(self, ctx: Context) -> JsonSchema:
        return dict(self.schema)

    def check(self, value: Any, at: str, issues: Issues, ctx: Context) -> Any:
        raise TypeError("Raw schemas describe responses; requests use checked nodes")
