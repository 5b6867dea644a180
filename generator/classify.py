"""Classify stage: each release's tags (of every kind, ``tagkinds``), category, related releases and cut-off text.

The result is a mapping from release id to a ``Classification``, held beside the releases
rather than stored on them (as Material's tags plugin keeps its taxonomy).  A category the
dump gives is never changed; a missing one is inferred (see ``categorize``).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import categorize, memo, parallel, related
from .config import Config, ConfigError
from .cutoff import CutOff, cut_offs
from .model import Notice, Release, SourceRef
from .progress import Track
from .tagkinds import TAG_KINDS, TagKind, main_kind
from .taxonomy import Vocabulary


@dataclass(frozen=True)
class Classification:
    """What the classify stage says about one release; ``tags``: kind key -> its tags of that kind."""

    category: str
    category_inferred: bool
    tags: Mapping[str, tuple[str, ...]]
    related: tuple[str, ...] = ()  # ids of related releases, most related first
    cut_off: CutOff | None = None  # how the source text was cut off, when it was

    def of(self, kind: TagKind) -> tuple[str, ...]:
        """Its tags of one kind (none of a kind it was not classified with)."""
        return self.tags.get(kind.key, ())


@dataclass(frozen=True)
class Vocabularies:
    """Each kind's vocabulary (``vocabularies[kind.key]``), in the kinds' order."""

    kinds: tuple[TagKind, ...]
    by_kind: Mapping[str, Vocabulary]
    warnings: tuple[str, ...]

    def __getitem__(self, key: str) -> Vocabulary:
        return self.by_kind[key]

    def items(self) -> Iterator[tuple[TagKind, Vocabulary]]:
        """Each kind with its vocabulary."""
        return ((kind, self.by_kind[kind.key]) for kind in self.kinds)

    @property
    def main(self) -> Vocabulary | None:
        """The vocabulary of the kind that infers categories (topics), if there is one."""
        kind = main_kind(self.kinds)
        return self.by_kind[kind.key] if kind else None

    @property
    def descriptions(self) -> dict[str, Mapping[str, str]]:
        """Kind key -> tag name -> a longer name (an organisation's full name)."""
        return {kind.key: vocabulary.descriptions for kind, vocabulary in self.items() if vocabulary.descriptions}


@dataclass(frozen=True)
class Classified:
    by_release: Mapping[str, Classification]
    notices: tuple[Notice, ...]  # tags too generic to help readers


def load_vocabularies(config: Config, kinds: Sequence[TagKind] = TAG_KINDS) -> Vocabularies:
    """Every kind's vocabulary; the problems of every file at once, in one ``ConfigError``."""
    by_kind, warnings, problems = {}, [], []
    for kind in kinds:
        try:
            by_kind[kind.key], kind_warnings = kind.load(config)
        except ConfigError as error:
            problems += error.problems
            continue
        warnings += kind_warnings
    if problems:
        raise ConfigError("\n".join(problems), problems)
    return Vocabularies(tuple(kinds), by_kind, tuple(warnings))


@dataclass(frozen=True)
class Tagged:
    """A text's tags: kind key -> names; the main kind's (topics') with their strengths, for inferring categories."""

    tags: Mapping[str, tuple[str, ...]]
    strengths: Mapping[str, float]  # main-kind tag -> score ÷ the score needed


def tag(release: Release, vocabularies: Vocabularies) -> Tagged:
    title, body = release.title, release.body
    main = main_kind(vocabularies.kinds)
    tags, strengths = {}, {}
    for kind, vocabulary in vocabularies.items():
        if kind is main:
            strengths = vocabulary.strengths(title, body)
            tags[kind.key] = tuple(strengths)
        else:
            tags[kind.key] = vocabulary.tags(title, body)
    return Tagged(tags, strengths)


def vocabulary_digest(config: Config, kinds: Sequence[TagKind] = TAG_KINDS) -> str:
    """What decides a text's tags besides the text: the vocabulary files and the home country."""
    fingerprint = memo.Fingerprint().text("kinds", "\n".join(kind.identity for kind in kinds))
    for kind in kinds:
        fingerprint.file(kind.fingerprint_name, kind.vocabulary_file(config))
    return fingerprint.text("home country", config.home_country).hexdigest()


def cache_keys(releases: Sequence[Release]) -> dict[str, bytes]:
    """Each release's ``memo.text_key`` of its title and body: what its tags and words are kept by
    in the per-text caches (not ``dedupe.text_keys``, which identify a text in the permalink registry)."""
    return {r.id: memo.text_key(r.title, r.body) for r in releases}


def tag_all(
    releases: Sequence[Release], vocabularies: Vocabularies, cache: memo.TextCache | None = None, track: Track = iter,
    keys: Mapping[str, bytes] | None = None,
) -> dict[str, Tagged]:
    """Each release's tags: from ``cache`` for a text tagged before, worked out (on every core) for the others.

    ``keys``: each release's ``cache_keys``, when the caller has them."""
    cache = cache or memo.TextCache(None, "tagged", "")
    keys = keys if keys is not None else cache_keys(releases)
    tagged = {r.id: known for r in releases if (known := cache.get(keys[r.id], Tagged)) is not None}
    missing = [r for r in releases if r.id not in tagged]
    for release, result in zip(missing, track(parallel.map_items(functools.partial(tag, vocabularies=vocabularies), missing))):
        tagged[release.id] = result
        cache.put(keys[release.id], result)
    return {r.id: tagged[r.id] for r in releases}


@dataclass(frozen=True)
class PendingClassification:
    """Tags, categories and cut-offs decided; the related releases being worked out on the other core.

    ``result()`` waits for them.  The caller has this core meanwhile, for work that needs no
    classification (placing the releases, looking at the output folder).  A caller that fails
    before ``result()`` leaves no process behind (use it as a context manager).
    """

    releases: Sequence[Release]
    vocabularies: Vocabularies
    tagged: Mapping[str, Tagged]
    decided: Mapping[str, categorize.CategoryChoice]
    cut: Mapping[str, CutOff]
    related_ids: parallel.Beside[dict[str, tuple[str, ...]]]

    def __enter__(self) -> PendingClassification:
        return self

    def __exit__(self, *exc_info) -> None:
        self.related_ids.close()

    def result(self) -> Classified:
        related_ids = self.related_ids.result()
        decided, tagged, cut = self.decided, self.tagged, self.cut
        by_release = {
            r.id: Classification(
                category=decided[r.id].category,
                category_inferred=decided[r.id].inferred,
                tags=tagged[r.id].tags,
                related=related_ids[r.id],
                cut_off=cut.get(r.id),
            )
            for r in self.releases
        }
        vocabularies = self.vocabularies
        return Classified(by_release, (*idle_vocabulary_notices(by_release, vocabularies), *generic_tag_notices(by_release, vocabularies)))


def start_classifying(
    releases: Sequence[Release],
    vocabularies: Vocabularies,
    *,
    categories: tuple[str, ...],
    default_category: str,
    infer_categories: bool,
    related_count: int,
    track: Track = iter,
    tag_cache: memo.TextCache | None = None,
    word_cache: memo.TextCache | None = None,
    related_state: Path | None = None,
    vocabulary_state: Path | None = None,
) -> PendingClassification:
    """Tags, category and related releases of each release: the tags, categories and cut-offs
    decided here, the related releases started on the other core (``PendingClassification``);
    ``track`` wraps the loop over releases (progress).

    The settings are press-archive.yml's: the ``categories`` (a given one outside them is
    ``default_category``), whether to ``infer_categories`` the source left out, and how many
    related releases a release lists (``related_count``: ``related_releases``).
    ``tag_cache`` holds the tags of texts tagged before with the same vocabularies
    (``vocabulary_digest``), ``word_cache`` their words for the related releases, and
    ``related_state`` the last run's related releases (``related.RelatedState``) and
    ``vocabulary_state`` the known words the cut-off texts were judged by (``cutoff.Vocabulary``).
    """
    keys = cache_keys(releases)
    tagged = tag_all(releases, vocabularies, tag_cache, track, keys)
    # Related releases (the longest part) are worked out on the other core while this one
    # decides categories and cut-offs; their words first, here, where the cache keeps them.
    release_keys = [keys[r.id] for r in releases]
    pending_related = parallel.Beside(
        functools.partial(
            related.related_releases,
            releases,
            {release_id: tuple(name for names in t.tags.values() for name in names) for release_id, t in tagged.items()},
            related_count,
            state_file=related_state,
            keys=release_keys,
            words=related.text_words(releases, word_cache, release_keys) if related_count > 0 else None,
        ),
        worth=len(releases) >= parallel.MIN_ITEMS,
    )
    try:
        main = vocabularies.main
        decided = categorize.categories(
            releases,
            {release_id: t.strengths for release_id, t in tagged.items()},
            main.names if main else (),
            main.categories if main else {},
            categories,
            default_category,
            infer_categories,
        )
        cut = cut_offs(releases, vocabulary_state)
    except BaseException:
        pending_related.close()  # no process left behind
        raise
    return PendingClassification(releases, vocabularies, tagged, decided, cut, pending_related)


def idle_vocabulary_notices(by_release: Mapping[str, Classification], vocabularies: Vocabularies) -> tuple[Notice, ...]:
    """A warning for each vocabulary with words that tags none of the releases (once there are
    ``min_releases`` of them): written for another organisation or another language, most
    likely; its pages are left out."""
    notices = []
    for kind, vocabulary in vocabularies.items():
        enough = len(by_release) >= vocabulary.scoring.min_releases  # a handful of releases may well name no place
        if vocabulary.names and enough and not any(c.of(kind) for c in by_release.values()):
            notices.append(
                Notice(
                    SourceRef.whole_file(vocabulary.source.name),
                    f"the {vocabulary.kind} vocabulary tags none of the {len(by_release)} releases: are its words "
                    f"those of these releases (their organisation, their language)? The site has no {vocabulary.kind} pages",
                )
            )
    return tuple(notices)


def generic_tag_notices(by_release: Mapping[str, Classification], vocabularies: Vocabularies) -> tuple[Notice, ...]:
    """A warning for each tag on more than its vocabulary's ``max_share`` of the releases."""
    notices = []
    total = len(by_release)
    for kind, vocabulary in vocabularies.items():
        if total < vocabulary.scoring.min_releases:
            continue
        counts = Counter(name for c in by_release.values() for name in c.of(kind))
        for name, count in counts.most_common():
            if count / total <= vocabulary.scoring.max_share:
                break
            notices.append(
                Notice(
                    vocabulary.where(name),
                    f"{vocabulary.kind} '{name}' is on {count} of {total} releases ({count / total:.0%}, above "
                    f"max_share {vocabulary.scoring.max_share:.0%}): too generic to help readers; narrow its words",
                )
            )
    return tuple(notices)
