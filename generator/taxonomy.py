"""The vocabularies the classify stage tags releases with, one per kind of tag (``tagkinds``).

Each comes from an editable YAML file (documented in the file itself), read in one of three
ways: a scored taxonomy (topics, ``data/taxonomy.yml``: each tag its own keywords), the
pycountry gazetteer plus a file of places (``data/places.yml``), or a plain lexicon of names
with their full names and other spellings (organisations, and any kind added).  Each is
read into a ``Vocabulary``: named tags, the phrases that signal them and the scoring rule
that turns mentions into a tag.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

from .schema import Check, at_least, load, setting
from .yamlfile import ConfigError, line_of, read_yaml
from .lexicon import Matcher, compile_phrase, holds_word
from .model import SourceRef


@dataclass(frozen=True)
class Scoring:
    """A title mention counts ``title_weight`` times, a body mention once; ``min_score`` tags."""

    title_weight: int = setting(3, doc="how many body mentions one mention in a title is worth", check=at_least(0))
    min_score: int = setting(3, doc="the score a release needs to get the tag", check=at_least(1))
    max_share: float = setting(0.5, doc="warn about a tag on more than this share of the releases …",
                               check=Check(lambda v: 0.0 < v <= 1.0, "must be above 0 and at most 1"))
    min_releases: int = setting(20, doc="… once there are at least this many", check=at_least(0))


# --- the files' schemas ------------------------------------------------------------------

_NOT_EMPTY = Check(lambda v: len(v) > 0, "needs at least one keyword")
# A word or phrase of a vocabulary: it must hold a word to match.
Phrase = typing.Annotated[str, Check(holds_word, "'{value}' holds no word to match")]
_COUNTRY = Check(lambda v: not v or pycountry.countries.get(alpha_2=v.upper()) is not None,
                 "unknown ISO 3166 country code '{value}'")


@dataclass(frozen=True)
class TopicSpec:
    keywords: tuple[Phrase, ...] = setting(doc="words and phrases that signal the topic", check=_NOT_EMPTY)
    exclude: tuple[Phrase, ...] = setting((), doc="look-alikes that do not")
    category: str = setting("", doc="the category this topic points to, for inferring missing categories")
    min_score: int = setting(0, doc="0: the file's scoring.min_score", check=at_least(0))


@dataclass(frozen=True)
class TaxonomyFile:
    scoring: Scoring = setting(Scoring(), doc="when mentions make a tag")
    topics: dict[Phrase, TopicSpec] = setting({}, doc="the topics, each with its keywords")


@dataclass(frozen=True)
class PlaceSpec:
    country: str = setting("", doc="ISO 3166 code of a gazetteer country; empty for a region", check=_COUNTRY)
    aliases: tuple[Phrase, ...] = setting((), doc="other names of the place")
    exclude: tuple[Phrase, ...] = setting((), doc='look-alikes that are not this place ("Georgia, U.S.")')


@dataclass(frozen=True)
class PlacesFile:
    scoring: Scoring = setting(Scoring(min_score=2), doc="when mentions make a tag")
    gazetteer: bool = setting(True, doc="every ISO 3166 country, by its English names")
    ignore: tuple[str, ...] = setting((), doc="gazetteer names too ambiguous to match on their own")
    places: dict[Phrase, PlaceSpec] = setting({}, doc="places, regions and the gazetteer's corrections")


@dataclass(frozen=True)
class LexiconSpec:
    """A name of a plain lexicon (an organisation): its full name, other spellings, look-alikes."""

    full_name: str = setting("", doc="the name written out (shown on its page)")
    aliases: tuple[Phrase, ...] = setting((), doc="other spellings")
    exclude: tuple[Phrase, ...] = setting((), doc="look-alikes that are not this name")


def lexicon_file_schema(section: str) -> type:
    """A plain lexicon file's schema: ``scoring`` and the names under ``section`` (``organizations:``)."""
    return dataclasses.make_dataclass(
        "LexiconFile",
        [
            ("scoring", Scoring, setting(Scoring(min_score=2), doc="when mentions make a tag")),
            (section, dict[Phrase, LexiconSpec], setting({}, doc="the names, each with its full name and aliases")),
        ],
        frozen=True,
    )


@dataclass(frozen=True)
class VocabularyFile:
    """A vocabulary file as read: its content, warnings, and the line of each name under ``section``."""

    path: Path
    spec: typing.Any  # an instance of the file's schema
    warnings: tuple[str, ...]
    lines: Mapping[str, int]

    @classmethod
    def read(cls, path: Path, schema: type, section: str) -> VocabularyFile:
        node = read_yaml(path, section if section != "topics" else "taxonomy")
        spec, warnings = load(node, schema, str(path))
        return cls(path, spec, warnings, _entry_lines(node, section))


def _phrases(written, key, case_sensitive: bool, plurals: bool) -> list:
    """The compiled phrases (each holds a word: the schema's ``Phrase`` checked that)."""
    return [compile_phrase(phrase, key, case_sensitive, plurals) for phrase in written]


def _entry_lines(node, section: str) -> dict[str, int]:
    """The line of each key of the top-level mapping ``section`` (where each name is defined)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == section and isinstance(value, yaml.MappingNode):
            return {str(k.value): line_of(k) for k, _ in value.value}
    return {}


# --- the loaded vocabularies -------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """One kind of tag: its names (in the file's order), how they are found and when they apply.

    ``matcher`` finds the tag names through lexicons: tags that compete for the same words
    (places, organisations) share one lexicon, topics each have their own so that
    "auto exports" can count for both Automobiles and Exports.  ``untagged`` names are
    matched (so that "Korea" is not read as part of another name) but never become tags.
    """

    kind: str  # the kind of tag's key (``TagKind.key``): "topic", "place" …
    source: Path
    names: tuple[str, ...]
    matcher: Matcher
    scoring: Scoring
    min_scores: Mapping[str, int]
    descriptions: Mapping[str, str] = field(default_factory=dict)  # e.g. an organisation's full name
    categories: Mapping[str, str] = field(default_factory=dict)  # tag -> the category it points to (topics)
    untagged: frozenset[str] = frozenset()
    lines: Mapping[str, int] = field(default_factory=dict)  # name -> the line of its file where it is defined

    def where(self, name: str) -> SourceRef:
        """Where the tag ``name`` is defined: its line in the file, or the whole file (a gazetteer country)."""
        line = self.lines.get(name)
        return SourceRef(self.source.name, line) if line else SourceRef.whole_file(self.source.name)

    def scores(self, title: str, body: str) -> dict[str, int]:
        """Tag name -> ``title_weight`` per mention in the title + 1 per mention in the body."""
        totals: dict[str, int] = {}
        for key, count in self.matcher.counts(title).items():
            totals[key] = totals.get(key, 0) + self.scoring.title_weight * count
        for key, count in self.matcher.counts(body).items():
            totals[key] = totals.get(key, 0) + count
        return totals

    def strengths(self, title: str, body: str) -> dict[str, float]:
        """The tags a text earns, in the vocabulary's order, each with its strength: √(score ÷ score needed) >= 1.

        The square root damps long statistical releases where one topic is named twenty
        times; category inference weighs topics by it (see ``categorize``).
        """
        scores = self.scores(title, body)
        earned = {}
        for name in self.names:
            needed = self.min_scores.get(name, self.scoring.min_score)
            if name not in self.untagged and scores.get(name, 0) >= needed:
                earned[name] = math.sqrt(scores[name] / needed)
        return earned

    def tags(self, title: str, body: str) -> tuple[str, ...]:
        return tuple(self.strengths(title, body))


def missing_vocabulary(path: Path, kind: str) -> str | None:
    """A warning when a vocabulary file is not there: the kind of tag is then left out, not an error."""
    if path.exists():
        return None
    return f"{path}: not found: releases get no {kind} tags, and the site has no {kind} pages (create it to tag them)"


def empty_vocabulary(kind: str, path: Path) -> Vocabulary:
    return Vocabulary(kind=kind, source=path, names=(), matcher=Matcher([]), scoring=Scoring(), min_scores={})


def load_topics(path: Path) -> tuple[Vocabulary, tuple[str, ...]]:
    """The topic vocabulary (with each topic's category, where given) and warnings."""
    if missing := missing_vocabulary(path, "topic"):
        return empty_vocabulary("topic", path), (missing,)
    file = VocabularyFile.read(path, TaxonomyFile, "topics")
    spec = file.spec
    lexicons = []
    for name, topic in spec.topics.items():
        phrases = _phrases(topic.keywords, name, case_sensitive=False, plurals=True)
        phrases += _phrases(topic.exclude, None, case_sensitive=False, plurals=True)
        lexicons.append(phrases)
    vocabulary = Vocabulary(
        kind="topic",
        source=path,
        names=tuple(spec.topics),
        matcher=Matcher(lexicons),
        scoring=spec.scoring,
        min_scores={n: t.min_score for n, t in spec.topics.items() if t.min_score},
        categories={n: t.category for n, t in spec.topics.items() if t.category},
        lines=file.lines,
    )
    return vocabulary, file.warnings


def gazetteer_names(country) -> tuple[str, list[str]]:
    """A pycountry country's display name and the names releases may write it by."""
    names = [n for n in (getattr(country, "common_name", None), country.name, getattr(country, "official_name", None)) if n]
    plain = [n for n in names if "," not in n]  # "Korea, Republic of" is how lists sort, not how text writes
    if not plain:
        head, _, tail = country.name.partition(",")
        plain = [f"{tail.strip()} {head.strip()}"]
    return plain[0], plain


def load_places(path: Path, home_country: str) -> tuple[Vocabulary, tuple[str, ...]]:
    """Countries from the gazetteer plus the file's aliases and regions; the home country is never a tag."""
    if missing := missing_vocabulary(path, "place"):
        return empty_vocabulary("place", path), (missing,)
    file = VocabularyFile.read(path, PlacesFile, "places")
    spec = file.spec
    by_code = {p.country.upper(): name for name, p in spec.places.items() if p.country}
    names: list[str] = []
    phrases = []
    ignore = set(spec.ignore)
    if spec.gazetteer:
        for country in pycountry.countries:
            display, gazetteer = gazetteer_names(country)
            name = by_code.get(country.alpha_2, display)
            names.append(name)
            written = [n for n in gazetteer if n not in ignore]
            phrases += _phrases(written, name, case_sensitive=True, plurals=False)
    for name, place in spec.places.items():
        if name not in names:
            names.append(name)
        written = [*([] if name in ignore else [name]), *place.aliases]
        phrases += _phrases(written, name, case_sensitive=True, plurals=False)
        phrases += _phrases(place.exclude, None, case_sensitive=True, plurals=False)
    if home_country and home_country not in names:
        raise ConfigError(f"{path}:1: the home country '{home_country}' is not a place here; name it under 'places'")
    vocabulary = Vocabulary(
        kind="place",
        source=path,
        names=tuple(names),
        matcher=Matcher([phrases]),
        scoring=spec.scoring,
        min_scores={},
        untagged=frozenset({home_country}) if home_country else frozenset(),
        lines=file.lines,
    )
    return vocabulary, file.warnings


def load_lexicon(path: Path, kind: str, section: str) -> tuple[Vocabulary, tuple[str, ...]]:
    """A plain lexicon of ``kind`` tags: the names under ``section``, found by their name, full name or aliases."""
    if missing := missing_vocabulary(path, kind):
        return empty_vocabulary(kind, path), (missing,)
    file = VocabularyFile.read(path, lexicon_file_schema(section), section)
    names: dict[str, LexiconSpec] = getattr(file.spec, section)
    phrases = []
    for name, entry in names.items():
        written = [name, *([entry.full_name] if entry.full_name else []), *entry.aliases]
        phrases += _phrases(written, name, case_sensitive=True, plurals=False)
        phrases += _phrases(entry.exclude, None, case_sensitive=True, plurals=False)
    vocabulary = Vocabulary(
        kind=kind,
        source=path,
        names=tuple(names),
        matcher=Matcher([phrases]),
        scoring=file.spec.scoring,
        min_scores={},
        descriptions={n: e.full_name for n, e in names.items() if e.full_name},
        lines=file.lines,
    )
    return vocabulary, file.warnings
