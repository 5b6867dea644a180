"""Classify stage: each release's tags (topics, places, organisations), category, related releases and cut-off text.

The result is a mapping from release id to a ``Classification``, held beside the releases
rather than stored on them (as Material's tags plugin keeps its taxonomy).  A category the
dump gives is never changed; a missing one is inferred (see ``categorize``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import categorize, memo, parallel, related
from .config import Config
from .cutoff import CutOff, cut_offs
from .model import Notice, Release, SourceRef
from .progress import Track
from .taxonomy import Vocabulary, load_organizations, load_places, load_topics


@dataclass(frozen=True)
class Classification:
    """What the classify stage says about one release."""

    category: str
    category_inferred: bool
    topics: tuple[str, ...]
    places: tuple[str, ...]
    organizations: tuple[str, ...]
    related: tuple[str, ...] = ()  # ids of related releases, most related first
    cut_off: CutOff | None = None  # how the source text was cut off, when it was


@dataclass(frozen=True)
class Vocabularies:
    topics: Vocabulary
    places: Vocabulary
    organizations: Vocabulary
    topic_categories: Mapping[str, str]  # topic -> the category it points to
    warnings: tuple[str, ...]

    def with_tags_of(self) -> tuple[tuple[Vocabulary, Callable[[Classification], tuple[str, ...]]], ...]:
        """Each vocabulary with the function that reads its tags from a ``Classification``."""
        return (
            (self.topics, lambda c: c.topics),
            (self.places, lambda c: c.places),
            (self.organizations, lambda c: c.organizations),
        )


@dataclass(frozen=True)
class Classified:
    by_release: Mapping[str, Classification]
    notices: tuple[Notice, ...]  # tags too generic to help readers


def load_vocabularies(config: Config) -> Vocabularies:
    topics, topic_categories, topic_warnings = load_topics(config.resolve(config.taxonomy))
    places, place_warnings = load_places(config.resolve(config.places), config.home_country)
    organizations, organization_warnings = load_organizations(config.resolve(config.organizations))
    return Vocabularies(
        topics, places, organizations, topic_categories, (*topic_warnings, *place_warnings, *organization_warnings)
    )


@dataclass(frozen=True)
class Tagged:
    topic_strengths: Mapping[str, float]  # topic -> score ÷ the score needed
    places: tuple[str, ...]
    organizations: tuple[str, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(self.topic_strengths)


def tag(release: Release, vocabularies: Vocabularies) -> Tagged:
    title, body = release.title, release.body
    return Tagged(
        vocabularies.topics.strengths(title, body),
        vocabularies.places.tags(title, body),
        vocabularies.organizations.tags(title, body),
    )


def vocabulary_digest(config: Config) -> str:
    """What decides a text's tags besides the text: the vocabulary files and the home country."""
    return (
        memo.Fingerprint()
        .file("taxonomy", config.resolve(config.taxonomy))
        .file("places", config.resolve(config.places))
        .file("organizations", config.resolve(config.organizations))
        .text("home country", config.home_country)
        .hexdigest()
    )


def tag_all(
    releases: Sequence[Release], vocabularies: Vocabularies, cache: memo.TextCache | None = None, track: Track = iter
) -> dict[str, Tagged]:
    """Each release's tags: from ``cache`` for a text tagged before, worked out (on every core) for the others."""
    cache = cache or memo.TextCache(None, "tagged", "")
    keys = {r.id: memo.text_key(r.title, r.body) for r in releases}
    tagged = {r.id: known for r in releases if (known := cache.get(keys[r.id], Tagged)) is not None}
    missing = [r for r in releases if r.id not in tagged]
    for release, result in zip(missing, track(parallel.map_items(functools.partial(tag, vocabularies=vocabularies), missing))):
        tagged[release.id] = result
        cache.put(keys[release.id], result)
    return {r.id: tagged[r.id] for r in releases}


def classify(
    releases: Sequence[Release],
    vocabularies: Vocabularies,
    config: Config,
    track: Track = iter,
    tag_cache: memo.TextCache | None = None,
    word_cache: memo.TextCache | None = None,
) -> Classified:
    """Tags, category and related releases of each release; ``track`` wraps the loop over releases (progress).

    ``tag_cache`` holds the tags of texts tagged before with the same vocabularies
    (``vocabulary_digest``), ``word_cache`` their words for the related releases.
    """
    tagged = tag_all(releases, vocabularies, tag_cache, track)
    categories = categorize.categories(
        releases,
        {release_id: t.topic_strengths for release_id, t in tagged.items()},
        vocabularies.topics.names,
        vocabularies.topic_categories,
        config.categories,
        config.default_category,
        config.infer_categories,
    )
    related_ids = related.related_releases(
        releases,
        {release_id: (*t.topics, *t.places, *t.organizations) for release_id, t in tagged.items()},
        config.related_releases,
        word_cache,
    )
    cut = cut_offs(releases)
    by_release = {
        r.id: Classification(
            category=categories[r.id].category,
            category_inferred=categories[r.id].inferred,
            topics=tagged[r.id].topics,
            places=tagged[r.id].places,
            organizations=tagged[r.id].organizations,
            related=related_ids[r.id],
            cut_off=cut.get(r.id),
        )
        for r in releases
    }
    return Classified(by_release, (*idle_vocabulary_notices(by_release, vocabularies), *generic_tag_notices(by_release, vocabularies)))


def idle_vocabulary_notices(by_release: Mapping[str, Classification], vocabularies: Vocabularies) -> tuple[Notice, ...]:
    """A warning for each vocabulary with words that tags none of the releases (once there are
    ``min_releases`` of them): written for another organisation or another language, most
    likely; its pages are left out."""
    notices = []
    for vocabulary, tags_of in vocabularies.with_tags_of():
        enough = len(by_release) >= vocabulary.scoring.min_releases  # a handful of releases may well name no place
        if vocabulary.names and enough and not any(tags_of(c) for c in by_release.values()):
            notices.append(
                Notice(
                    SourceRef(vocabulary.source.name, 0),
                    f"the {vocabulary.kind} vocabulary tags none of the {len(by_release)} releases: are its words "
                    f"those of these releases (their organisation, their language)? The site has no {vocabulary.kind} pages",
                )
            )
    return tuple(notices)


def generic_tag_notices(by_release: Mapping[str, Classification], vocabularies: Vocabularies) -> tuple[Notice, ...]:
    """A warning for each tag on more than its vocabulary's ``max_share`` of the releases."""
    notices = []
    total = len(by_release)
    for vocabulary, tags_of in vocabularies.with_tags_of():
        if total < vocabulary.scoring.min_releases:
            continue
        counts = Counter(name for c in by_release.values() for name in tags_of(c))
        for name, count in counts.most_common():
            if count / total <= vocabulary.scoring.max_share:
                break
            notices.append(
                Notice(
                    SourceRef(vocabulary.source.name, _line_of(vocabulary.source, name)),
                    f"{vocabulary.kind} '{name}' is on {count} of {total} releases ({count / total:.0%}, above "
                    f"max_share {vocabulary.scoring.max_share:.0%}): too generic to help readers; narrow its words",
                )
            )
    return tuple(notices)


def _line_of(path: Path, name: str) -> int:
    """The line where ``name`` is defined in a vocabulary file, for a file:line message (0 if not found)."""
    pattern = re.compile(r"^\s+" + re.escape(name) + r"\s*:")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), 0)
