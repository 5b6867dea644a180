"""Classify stage: topics for each release from an editable taxonomy file.

The taxonomy maps a topic name to the words and phrases that signal it (see the comments
in ``data/taxonomy.yml``).  The result is a mapping from release id to topic names, held
beside the releases rather than stored on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import ConfigError
from .model import Release


@dataclass(frozen=True)
class Topic:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    title_weight: int
    min_score: int


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word match, plural allowed; case-insensitive unless the phrase is an acronym.

    ``chip`` matches "chip" and "chips" but not "chipset"; ``EV`` matches "EVs" but not "every".
    """
    words = [re.escape(w) for w in re.split(r"[\s-]+", phrase.strip())]
    flags = 0 if phrase.isupper() else re.IGNORECASE
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?:s|es)?(?!\w)", flags)


def load_taxonomy(path: Path) -> Taxonomy:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read taxonomy: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), dict):
        raise ConfigError(f"{path}: expected a mapping with a 'topics' mapping")
    scoring = raw.get("scoring") or {}
    topics = []
    for name, spec in raw["topics"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("keywords"), list) or not spec["keywords"]:
            raise ConfigError(f"{path}: topic '{name}' needs a non-empty 'keywords' list")
        phrases = [str(k) for k in spec["keywords"]]
        excluded = [str(k) for k in spec.get("exclude") or []]
        topics.append(
            Topic(
                str(name),
                tuple(_phrase_pattern(p) for p in phrases),
                tuple(_phrase_pattern(p) for p in excluded),
            )
        )
    return Taxonomy(
        tuple(topics),
        title_weight=int(scoring.get("title_weight", 2)),
        min_score=int(scoring.get("min_score", 2)),
    )


def topic_score(topic: Topic, title: str, body: str, title_weight: int) -> int:
    """Title hits count ``title_weight`` times; body hits once; excluded phrases are blanked first."""
    for pattern in topic.exclude:
        title, body = pattern.sub(" ", title), pattern.sub(" ", body)
    title_hits = sum(len(p.findall(title)) for p in topic.patterns)
    body_hits = sum(len(p.findall(body)) for p in topic.patterns)
    return title_weight * title_hits + body_hits


def assign_topics(releases: Iterable[Release], taxonomy: Taxonomy) -> Mapping[str, tuple[str, ...]]:
    """Release id → topic names, in taxonomy order."""
    return {
        release.id: tuple(
            topic.name
            for topic in taxonomy.topics
            if topic_score(topic, release.title, release.body, taxonomy.title_weight) >= taxonomy.min_score
        )
        for release in releases
    }
