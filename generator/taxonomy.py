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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from .config import ConfigError, load_schema_file
from .lexicon import Matcher, compile_phrase


@dataclass(frozen=True)
class Scoring:
    """A title mention counts ``title_weight`` times, a body mention once; ``min_score`` tags."""

    title_weight: int = 3
    min_score: int = 3
    max_share: float = 0.5  # warn about a tag on more than this share of the releases …
    min_releases: int = 20  # … once there are at least this many

    def __post_init__(self) -> None:
        if self.title_weight < 0 or self.min_score < 1:
            raise ValueError("scoring needs title_weight >= 0 and min_score >= 1")
        if not 0.0 < self.max_share <= 1.0:
            raise ValueError("max_share must be above 0 and at most 1")


# --- the files' schemas ------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    category: str = ""  # the category this topic points to, for inferring missing categories
    min_score: int = 0  # 0: the file's scoring.min_score


@dataclass(frozen=True)
class TaxonomyFile:
    scoring: Scoring = field(default_factory=Scoring)
    topics: dict[str, TopicSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class PlaceSpec:
    country: str = ""  # ISO 3166 code of a gazetteer country; empty for a region
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # look-alikes that are not this place ("Georgia, U.S.")


@dataclass(frozen=True)
class PlacesFile:
    scoring: Scoring = field(default_factory=lambda: Scoring(min_score=2))
    gazetteer: bool = True  # every ISO 3166 country, by its English names
    ignore: tuple[str, ...] = ()  # gazetteer names too ambiguous to match on their own
    places: dict[str, PlaceSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class LexiconSpec:
    """A name of a plain lexicon (an organisation): its full name, other spellings, look-alikes."""

    full_name: str = ""
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def lexicon_file_schema(section: str) -> type:
    """A plain lexicon file's schema: ``scoring`` and the names under ``section`` (``organizations:``)."""
    return dataclasses.make_dataclass(
        "LexiconFile",
        [
            ("scoring", Scoring, field(default_factory=lambda: Scoring(min_score=2))),
            (section, dict[str, LexiconSpec], field(default_factory=dict)),
        ],
        frozen=True,
    )


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


def _phrases(path: Path, name: str, phrases, key, case_sensitive: bool, plurals: bool):
    try:
        return [compile_phrase(p, key, case_sensitive, plurals) for p in phrases]
    except ValueError as error:
        raise ConfigError(f"{path}: {name}: {error}") from error


def missing_vocabulary(path: Path, kind: str) -> str | None:
    """A warning when a vocabulary file is not there: the kind of tag is then left out, not an error."""
    if path.exists():
        return None
    return f"{path}: not found: releases get no {kind} tags, and the site has no {kind} pages (create it to tag them)"


def empty_vocabulary(kind: str, path: Path) -> Vocabulary:
    return Vocabulary(kind=kind, source=path, names=(), matcher=Matcher([]), scoring=Scoring(), min_scores={})


def load_topics(path: Path) -> tuple[Vocabulary, dict[str, str], tuple[str, ...]]:
    """The topic vocabulary, each topic's category (where given) and warnings."""
    if missing := missing_vocabulary(path, "topic"):
        return empty_vocabulary("topic", path), {}, (missing,)
    spec, warnings = load_schema_file(path, TaxonomyFile, "taxonomy")
    lexicons = []
    for name, topic in spec.topics.items():
        if not topic.keywords:
            raise ConfigError(f"{path}: topic '{name}' needs a non-empty 'keywords' list")
        phrases = _phrases(path, name, topic.keywords, name, case_sensitive=False, plurals=True)
        phrases += _phrases(path, name, topic.exclude, None, case_sensitive=False, plurals=True)
        lexicons.append(phrases)
    vocabulary = Vocabulary(
        kind="topic",
        source=path,
        names=tuple(spec.topics),
        matcher=Matcher(lexicons),
        scoring=spec.scoring,
        min_scores={n: t.min_score for n, t in spec.topics.items() if t.min_score},
        categories={n: t.category for n, t in spec.topics.items() if t.category},
    )
    return vocabulary, dict(vocabulary.categories), warnings


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
    spec, warnings = load_schema_file(path, PlacesFile, "places")
    by_code = {p.country.upper(): name for name, p in spec.places.items() if p.country}
    unknown = [code for code in by_code if pycountry.countries.get(alpha_2=code) is None]
    if unknown:
        raise ConfigError(f"{path}: unknown ISO 3166 country code(s): {', '.join(unknown)}")
    names: list[str] = []
    phrases = []
    ignore = set(spec.ignore)
    if spec.gazetteer:
        for country in pycountry.countries:
            display, gazetteer = gazetteer_names(country)
            name = by_code.get(country.alpha_2, display)
            names.append(name)
            written = [n for n in gazetteer if n not in ignore]
            phrases += _phrases(path, name, written, name, case_sensitive=True, plurals=False)
    for name, place in spec.places.items():
        if name not in names:
            names.append(name)
        written = [*([] if name in ignore else [name]), *place.aliases]
        phrases += _phrases(path, name, written, name, case_sensitive=True, plurals=False)
        phrases += _phrases(path, name, place.exclude, None, case_sensitive=True, plurals=False)
    if home_country and home_country not in names:
        raise ConfigError(f"{path}: the home country '{home_country}' is not a place here; name it under 'places'")
    vocabulary = Vocabulary(
        kind="place",
        source=path,
        names=tuple(names),
        matcher=Matcher([phrases]),
        scoring=spec.scoring,
        min_scores={},
        untagged=frozenset({home_country}) if home_country else frozenset(),
    )
    return vocabulary, warnings


def load_lexicon(path: Path, kind: str, section: str) -> tuple[Vocabulary, tuple[str, ...]]:
    """A plain lexicon of ``kind`` tags: the names under ``section``, found by their name, full name or aliases."""
    if missing := missing_vocabulary(path, kind):
        return empty_vocabulary(kind, path), (missing,)
    spec, warnings = load_schema_file(path, lexicon_file_schema(section), section)
    names: dict[str, LexiconSpec] = getattr(spec, section)
    phrases = []
    for name, entry in names.items():
        written = [name, *([entry.full_name] if entry.full_name else []), *entry.aliases]
        phrases += _phrases(path, name, written, name, case_sensitive=True, plurals=False)
        phrases += _phrases(path, name, entry.exclude, None, case_sensitive=True, plurals=False)
    vocabulary = Vocabulary(
        kind=kind,
        source=path,
        names=tuple(names),
        matcher=Matcher([phrases]),
        scoring=spec.scoring,
        min_scores={},
        descriptions={n: e.full_name for n, e in names.items() if e.full_name},
    )
    return vocabulary, warnings
