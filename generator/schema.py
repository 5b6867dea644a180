"""The machinery behind every YAML file of settings the generator reads: declare, check, report.

A schema is a frozen dataclass whose fields are declared with ``setting(default, doc=...,
check=...)``: type (the annotation), default, validators and a one-line description in one
place.  ``yamlfile.read_yaml`` reads and parses a file (every failure a ``ConfigError`` at its
file:line); ``load`` checks the parsed node tree against a schema and collects *every*
problem, each at the line of its key, before raising one ``ConfigError`` that lists them
all.  ``schemajson`` publishes a schema as JSON Schema, so that editors complete the file.

Types understood: ``str``, ``int``, ``float`` (an int is accepted), ``bool`` (never taken
for a number, nor a number for it), ``X | None`` and other unions, ``Literal[...]``,
``tuple[X, ...]`` (a single X is a one-item tuple), fixed ``tuple[X, Y]``, ``dict[K, V]``,
nested schemas, ``Scalar`` (any scalar, as the text the file writes) and
``Annotated[X, check...]`` (checks on list items or mapping keys).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import yaml

from .yamlfile import Key, Problem, line_of, problems_error

T = typing.TypeVar("T")


# --- declaring settings ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # hashed by identity: types that carry it are cached
class Check:
    """A validator: ``test(value)`` is true for a good value; else ``message`` (``{value}`` filled in)."""

    test: Callable[[typing.Any], bool]
    message: str
    json: dict = field(default_factory=dict)  # what it says in JSON Schema terms, where it can

    def problem(self, value) -> str | None:
        try:
            good = self.test(value)
        except (ValueError, LookupError, TypeError, OSError):  # a validator that fails says no
            good = False
        return None if good else self.message.format(value=value)


def at_least(minimum: float, message: str = "") -> Check:
    return Check(lambda v: v >= minimum, message or f"must be at least {minimum}", {"minimum": minimum})


def between(low: float, high: float, message: str = "") -> Check:
    return Check(lambda v: low <= v <= high, message or f"must be between {low} and {high}", {"minimum": low, "maximum": high})


def matches(pattern: re.Pattern | str, message: str) -> Check:
    compiled = re.compile(pattern)
    return Check(lambda v: compiled.fullmatch(v) is not None, message, {"pattern": f"^(?:{compiled.pattern})$"})


def setting(default=dataclasses.MISSING, *, doc: str, check: Check | Iterable[Check] = (), expected: str = "",
            examples: Iterable = ()) -> typing.Any:
    """A dataclass field for one setting: its default, one-line description and validators.

    ``expected`` words a type error in the file's own terms ("a list of pairs of text ids");
    ``examples`` are offered by editors (JSON Schema). No default: the setting is required.
    """
    checks = (check,) if isinstance(check, Check) else tuple(check)
    metadata = {"doc": doc, "checks": checks, "expected": expected, "examples": tuple(examples)}
    if default is dataclasses.MISSING:
        return field(metadata=metadata)
    if isinstance(default, (dict, list, set)) or dataclasses.is_dataclass(default):
        return field(default_factory=functools.partial(copy.deepcopy, default), metadata=metadata)
    return field(default=default, metadata=metadata)


class Scalar(str):
    """A type for schemas: any scalar (text, number, date …), taken as the text the file writes."""


@functools.cache
def fields_of(schema: type) -> dict[str, tuple[typing.Any, dataclasses.Field]]:
    """A schema's settings: name -> (type, field)."""
    hints = typing.get_type_hints(schema, include_extras=True)
    return {f.name: (hints[f.name], f) for f in dataclasses.fields(schema) if not f.metadata.get("internal")}


@functools.cache
def required_of(schema: type) -> tuple[str, ...]:
    return tuple(name for name, (_hint, f) in fields_of(schema).items() if default_of(f) is dataclasses.MISSING)


@functools.cache
def _shape(hint) -> tuple:
    return typing.get_origin(hint), typing.get_args(hint)


def default_of(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


# --- checking a file against a schema -------------------------------------------------------


@dataclass
class Checked(typing.Generic[T]):
    value: T | None  # None when there are errors
    errors: list[Problem]
    warnings: list[Problem]


_INVALID = object()
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_NAMES = {str: "text", int: "an integer", float: "a number", bool: "true or false", type(None): "null"}
_GOT = {**_NAMES, bool: "a boolean"}


class _Reader:
    def __init__(self, unknown: str, loader: type):
        self.unknown = unknown  # "warn" or "error": what an unknown key is
        self.constructor = loader("")
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, node, key: Key, message: str, kind: str = "invalid", first: int = 0) -> object:
        self.errors.append(Problem(line_of(node), key, message, kind, first))
        return _INVALID

    def scalar(self, node: yaml.Node, key: Key = ()):
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        return self.construct(node, key)

    def construct(self, node: yaml.Node, key: Key = ()):
        """The node's value as the loader makes it; a tag it does not know is a problem at its line."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            return self.error(node, key, f"not a value a settings file may hold: {problem}", "type")

    def coerce(self, hint, node: yaml.Node, key: Key, line_node: yaml.Node, expected: str = ""):
        """``node`` as a value of type ``hint``, or _INVALID (the problem recorded at ``line_node``)."""
        origin, args = _shape(hint)
        if origin is typing.Annotated:
            value = self.coerce(args[0], node, key, line_node, expected)
            if value is not _INVALID:
                for check in hint.__metadata__:
                    if (message := check.problem(value)) is not None:
                        return self.error(line_node, key, message)
            return value
        if dataclasses.is_dataclass(hint):
            if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
                node = None  # an empty section: its defaults
            return self.build(hint, node, key, line_node)
        if origin in (typing.Union, types.UnionType):
            if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG and type(None) in args:
                return None
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:  # X | None: X's own problems, item by item
                whole = _shape(options[0])[0] in (tuple, list, dict) or dataclasses.is_dataclass(options[0])
                return self.coerce(options[0], node, key, line_node, expected or ("" if whole else describe(hint)))
            for option in options:
                attempt = _Reader(self.unknown, type(self.constructor))
                value = attempt.coerce(option, node, key, line_node)
                if value is not _INVALID:
                    self.warnings += attempt.warnings
                    return value
            return self.mismatch(hint, node, key, line_node, expected)
        if origin is typing.Literal:
            errors_before = len(self.errors)
            value = self.scalar(node, key) if isinstance(node, yaml.ScalarNode) else _INVALID
            if value in args and type(value) in {type(a) for a in args}:
                return value
            if len(self.errors) > errors_before:  # not a value at all: already said
                return _INVALID
            return self.mismatch(hint, node, key, line_node, expected)
        if origin in (tuple, list):
            fixed = origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)
            if not isinstance(node, yaml.SequenceNode):
                if origin is tuple and not fixed and isinstance(node, yaml.ScalarNode) and node.tag != _NULL_TAG:
                    single = self.coerce(args[0], node, key, line_node, expected)  # one item for a list of one
                    return single if single is _INVALID else (single,)
                return self.mismatch(hint, node, key, line_node, expected)
            if fixed and len(node.value) != len(args):
                return self.mismatch(hint, node, key, line_node, expected)
            items = [self.coerce(args[i] if fixed else args[0], item, (*key, i), item, expected)
                     for i, item in enumerate(node.value)]
            if any(item is _INVALID for item in items):
                return _INVALID
            return tuple(items) if origin is tuple else items
        if origin is dict:
            key_type, value_type = args
            if not isinstance(node, yaml.MappingNode):
                return self.mismatch(hint, node, key, line_node, expected)
            result, bad, first = {}, False, {}
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if name in first:
                    bad = True
                    self.error(key_node, (*key, name), f"given twice (first at line {first[name]})", "twice", first[name])
                    continue
                first[name] = line_of(key_node)
                entry_key = self.coerce(key_type, key_node, (*key, name), key_node, expected)
                value = self.coerce(value_type, value_node, (*key, name), key_node, expected)
                if entry_key is _INVALID or value is _INVALID:
                    bad = True
                else:
                    result[entry_key] = value
            return _INVALID if bad else result
        if hint is Scalar:
            if isinstance(node, yaml.ScalarNode):
                return node.value
            return self.mismatch(hint, node, key, line_node, expected)
        if hint is typing.Any:
            return self.construct(node, key)
        if not isinstance(node, yaml.ScalarNode):
            return self.mismatch(hint, node, key, line_node, expected)
        value = self.scalar(node, key)
        if value is _INVALID:
            return value
        if hint is float and type(value) is int:
            return float(value)
        if type(value) is bool and hint is not bool or not isinstance(value, hint):
            return self.mismatch(hint, node, key, line_node, expected)
        return value

    def mismatch(self, hint, node, key: Key, line_node, expected: str):
        return self.error(line_node, key, f"expected {expected or describe(hint)}, got {self.got(node)}", "type")

    def got(self, node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return f"a list of {len(node.value)}"
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            return f"a value tagged {node.tag}"
        return _GOT.get(type(value), type(value).__name__) + ("" if value is None else f" ({node.value!r})")

    def build(self, schema: type, node: yaml.Node | None, key: Key, line_node: yaml.Node | None):
        if node is not None and not isinstance(node, yaml.MappingNode):
            return self.error(line_node, key, f"expected a mapping, got {self.got(node)}", "type")
        errors_before = len(self.errors)
        fields = fields_of(schema)
        values, first = {}, {}
        for key_node, value_node in node.value if node is not None else ():
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name in first:
                self.error(key_node, (*key, name), f"given twice (first at line {first[name]})", "twice", first[name])
                continue
            first[name] = line_of(key_node)
            if name not in fields:
                close = difflib.get_close_matches(str(name), list(fields), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problem = Problem(line_of(key_node), (*key, str(name)), f"unknown key{hint}", "unknown")
                if self.unknown == "error":
                    self.errors.append(problem)
                else:
                    self.warnings.append(dataclasses.replace(problem, message=f"unknown key '{name}' is ignored{hint}"))
                continue
            hint, f = fields[name]
            value = self.coerce(hint, value_node, (*key, name), key_node, f.metadata.get("expected", ""))
            if value is _INVALID:
                continue
            for check in f.metadata.get("checks", ()) if value is not None else ():  # null, where allowed: nothing to check
                if (message := check.problem(value)) is not None:
                    self.error(key_node, (*key, name), message)
                    break
            else:
                values[name] = value
        for name in required_of(schema):
            if name not in first:
                self.error(line_node, (*key, name), "required, but not given", "required")
        if len(self.errors) > errors_before:
            return _INVALID
        return schema(**values)


def check(node: yaml.Node | None, schema: type[T], unknown: str = "warn", loader: type = yaml.SafeLoader) -> Checked[T]:
    """``node`` (a parsed document; None: empty) checked against ``schema``, every problem collected."""
    reader = _Reader(unknown, loader)
    try:
        if node is not None and isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            node = None
        value = reader.build(schema, node, (), node)
    finally:
        reader.constructor.dispose()
    return Checked(None if value is _INVALID else value, reader.errors, reader.warnings)


def load(node: yaml.Node | None, schema: type[T], name: str, unknown: str = "warn",
         loader: type = yaml.SafeLoader) -> tuple[T, tuple[str, ...]]:
    """``node`` as ``schema``, and warnings (``file:line: key: …``); every error at once in one ``ConfigError``."""
    checked = check(node, schema, unknown, loader)
    if checked.errors:  # the warnings too: a misspelt key is often why a setting seems missing
        raise problems_error(name, [*checked.errors, *checked.warnings])
    return checked.value, tuple(p.text(name) for p in checked.warnings)


def describe(hint) -> str:
    """A type as a message names it: "an integer", "a list of text", "an integer or null"."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return describe(args[0])
    if dataclasses.is_dataclass(hint):
        return "a mapping"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return f"a list of {len(args)} ({', '.join(describe(a) for a in args)})"
        return f"a list of {describe(args[0]).removeprefix('an ').removeprefix('a ')}"
    if origin is dict:
        return f"a mapping of {describe(args[0])} to {describe(args[1])}"
    if hint is Scalar:
        return "text or a number"
    return _NAMES.get(hint, getattr(hint, "__name__", str(hint)))
