"""The words the generator writes on pages, in the site's language: message catalogs.

A catalog is a YAML file, ``generator/locales/<language>.yml``, of keys and texts with
``{name}`` placeholders; a text that depends on a number is a mapping of CLDR plural
categories (``one``, ``other`` …) chosen by ``count``.  English (``en.yml``) holds every key;
another language's file translates what it can, and whatever it lacks is written in English.
A project can add or correct texts with a file of its own (``messages`` in press-archive.yml).
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import babel
from babel.numbers import format_decimal

from .config import ConfigError
from .dates import babel_locale
from .yamlfile import line_of, python_value, read_yaml

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one catalog per run, cached against
class Messages:
    """``messages("releases", count=3)`` → ``"3 releases"``; ``messages("month_title", month="April 2025")``."""

    language: str = DEFAULT_LANGUAGE
    texts: Mapping[str, object] = field(default_factory=dict)

    @functools.cached_property
    def _locale(self) -> babel.Locale:
        return babel_locale(self.language)

    @functools.cached_property
    def _fixed(self) -> dict[str, str]:
        """The texts with nothing to fill in: most calls on a page, answered without formatting."""
        return {key: text for key, text in self.texts.items() if isinstance(text, str) and "{" not in text}

    def __call__(self, key: str, count: int | str | None = None, **values: object) -> str:
        """The text of ``key`` with ``values`` filled in. An int ``count`` chooses the plural form
        and is written as the language writes numbers; a str ``count`` is filled in as it is."""
        if count is None and not values and key in self._fixed:
            return self._fixed[key]
        text = self.texts[key]
        if isinstance(text, Mapping):
            number = count if isinstance(count, int) else 0
            text = text.get(self._locale.plural_form(number), text["other"])
        if isinstance(count, int):
            values["count"] = format_decimal(count, locale=self._locale)
        elif count is not None:
            values["count"] = count
        return str(text).format(**values)

    def plural(self, key: str, count: int) -> str:
        """A counted noun: ``plural("releases", 3)`` → ``"3 releases"``."""
        return self(key, count=count)


def catalog_file(language: str) -> str:
    return f"{language}.yml"


def _read(path: Path | importlib.resources.abc.Traversable, name: str, known: Collection[str] | None = None) -> dict:
    """A catalog of message texts; with ``known``, every key must be one of them.  Every problem
    of the file is reported at once, each at its line."""
    node = read_yaml(path, "messages", name)
    raw = python_value(node) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}:{line_of(node)}: expected a mapping of message keys to texts (or to plural forms)")
    lines = {str(key.value): line_of(key) for key, _value in node.value} if node is not None else {}
    problems = []
    for key, text in raw.items():
        where = f"{name}:{lines.get(str(key), 1)}: {key}"
        if not isinstance(key, str) or not isinstance(text, (str, dict)):
            problems.append(f"{where}: expected a text (or plural forms: one, other …)")
        elif known is not None and key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            problems.append(f"{where}: unknown message key" + (f" (did you mean {close[0]}?)" if close else ""))
    if problems:
        raise ConfigError("\n".join(problems), problems)
    return raw


def load_messages(language: str, project_file: Path | None = None, fallbacks: Mapping[str, object] | None = None) -> Messages:
    """English, overlaid by the catalog of ``language``'s language (``ko`` for ``ko-KR``), then the project's file.

    ``fallbacks`` are English texts of keys the catalogs may lack (those of a kind of tag
    added to ``tagkinds``: ``TagKind.fallback_messages``); a project's file may set them too.
    """
    locales = importlib.resources.files("generator") / "locales"
    texts = _read(locales / catalog_file(DEFAULT_LANGUAGE), "generator/locales/en.yml")
    primary = language.replace("_", "-").split("-")[0].lower()
    for candidate in dict.fromkeys((primary, language)):
        if candidate != DEFAULT_LANGUAGE and (locales / catalog_file(candidate)).is_file():
            texts |= _read(locales / catalog_file(candidate), f"generator/locales/{catalog_file(candidate)}")
    texts |= {key: text for key, text in (fallbacks or {}).items() if key not in texts}
    if project_file is not None:
        texts |= _read(project_file, str(project_file), known=texts.keys())
    return Messages(language, texts)
