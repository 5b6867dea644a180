"""Reading the YAML files of settings: every failure a ``ConfigError`` at its file:line.

Files are parsed into node trees (``yaml.compose``), not values, so that ``schema`` can name
the line of every key it has a problem with; a ``Problem`` is one, and ``problems_error``
tells them all at once, in the order of their lines.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml


class ConfigError(Exception):
    """A configuration file is missing, unreadable or does not fit the schema.

    ``problems`` holds every problem found, one line each (``file:line: key: message``).
    """

    def __init__(self, message: str, problems: Iterable[str] = ()):
        super().__init__(message)
        self.problems = tuple(problems) or (message,)


def yaml_error(path: Path | str, error: yaml.YAMLError) -> ConfigError:
    """A YAML syntax error as one line, at the file and line where the parser gave up."""
    mark = getattr(error, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return ConfigError(f"{where}: not valid YAML: {problem}")


def read_text(path, what: str, name: str | None = None, missing_ok: bool = False) -> str | None:
    """A file's text; a file that cannot be read is a ``ConfigError`` naming ``what`` it is.

    With ``missing_ok``, a file that is not there is None (for files whose absence means "none").
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        if missing_ok:
            return None
        raise ConfigError(f"{name or path}: cannot read {what}: {error.strerror}") from error
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"{name or path}: cannot read {what}: {reason}") from error


def parse_yaml(text: str, name: str, loader: type = yaml.SafeLoader) -> yaml.Node | None:
    """The YAML node tree of ``text`` (every node knows its line); None for an empty document."""
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError as error:
        raise yaml_error(name, error) from error


def read_yaml(path, what: str, name: str | None = None, loader: type = yaml.SafeLoader) -> yaml.Node | None:
    """Read and parse a YAML file (``path`` may be a package resource; ``name`` is how messages call it)."""
    return parse_yaml(read_text(path, what, name), name or str(path), loader)


def python_value(node: yaml.Node | None, loader: type = yaml.SafeLoader):
    """The Python value of a node tree, as ``yaml.load`` with ``loader`` would give it."""
    if node is None:
        return None
    constructor = loader("")
    try:
        return constructor.construct_document(node)
    finally:
        constructor.dispose()


def line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


Key = tuple[typing.Union[str, int], ...]


@dataclass(frozen=True)
class Problem:
    line: int
    key: Key  # where in the file: ("dump", "encoding"), ("inputs", 2)
    message: str
    kind: str = "invalid"  # or "type", "unknown", "required", "twice" (then ``first`` is the line it was first given at)
    first: int = 0

    @property
    def dotted(self) -> str:
        text = ""
        for part in self.key:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text

    def text(self, name: str) -> str:
        return f"{name}:{self.line}: {self.dotted}: {self.message}" if self.key else f"{name}:{self.line}: {self.message}"


def problems_error(name: str, problems: Iterable[Problem]) -> ConfigError:
    lines = [p.text(name) for p in sorted(problems, key=lambda p: p.line)]
    return ConfigError("\n".join(lines), lines)
