"""Dedupe stage, near part: a photo caption and the full release of one event become one release.

Every text is cut into word shingles (runs of ``shingle_words`` words, case-folded).  Two
texts are judged on four numbers (``model.Match``): the share of the shorter text's
shingles found in the longer one (containment), how many times longer the longer one is,
how alike the titles are (word-set Jaccard) and how many days apart they are dated.
The rules, with thresholds from the ``near_duplicates`` settings:

* never merged when more than ``max_days`` apart, or when the shorter text has fewer than
  ``min_words`` words;
* **same text** (edited, or a caption made of the release's own sentences): containment ≥ ``same_text_containment``;
* **caption of a fuller release**: containment ≥ ``caption_containment``, the longer text
  ≥ ``caption_length_ratio`` times longer, and title similarity ≥ ``caption_title_similarity``.

Two captions of one meeting are of similar length, so only the first rule can merge them,
and monthly statistics releases that reuse their wording are a month apart.

Comparing every pair is quadratic, so candidates come from blocking first: each text's
``sample_size`` rarest shingles that occur in at least one other text (a bottom-k sketch
in rarity order, as in prefix-filtering similarity joins) are looked up in an inverted index
of every shingle, keyed by shingle and day so a lookup only sees texts inside the date
window.  Texts sharing two sampled shingles are candidates, and candidates are judged on
their exact shingle sets.  See ``bench/`` for how this scales and ``tests/test_neardup.py``
for what it finds in the seeds.

The result is a partition of the texts: each group becomes one release whose canonical
text is the fullest one (most shingles), the others its variants.  Overrides (never/always
merge two texts, by id) win over the rules.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import candidates, memo
from .config import NearDuplicates
from .dedupe import normalise_text
from .model import Match, Notice, Release, Text, Variant
from .overrides import Overrides, check_overrides, override_notice

_WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class PairDecision:
    """A judged pair: ``shorter`` would merge into ``longer``."""

    shorter: Text
    longer: Text
    match: Match
    merge: bool
    reason: str


@dataclass(frozen=True)
class Deduplicated:
    """Releases, plus what the audit shows: every merge made and the near-misses."""

    releases: tuple[Release, ...]
    merges: tuple[PairDecision, ...]  # the decision that brought each variant in
    near_misses: tuple[PairDecision, ...]
    notices: tuple[Notice, ...]


def words(text: str) -> list[str]:
    return _WORD.findall(normalise_text(text).casefold())


def shingles(tokens: Sequence[str], size: int, word_hashes: dict[str, int]) -> np.ndarray:
    """The sorted, unique 64-bit hashes of the runs of ``size`` words in ``tokens``."""
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    for word in set(tokens).difference(word_hashes):
        word_hashes[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    hashed = np.fromiter(map(word_hashes.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    span = min(size, len(hashed))
    count = len(hashed) - span + 1
    combined = hashed[:count].copy()
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash mixing
        for offset in range(1, span):
            combined = combined * _MIX + hashed[offset : offset + count]
    combined.sort()
    return combined[np.concatenate(([True], combined[1:] != combined[:-1]))]  # np.unique, without its overhead


def title_similarity(a: str, b: str) -> float:
    wa, wb = title_words(a), title_words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


@functools.lru_cache(maxsize=1 << 15)
def title_words(title: str) -> frozenset[str]:
    # A text is in many candidate pairs, each measured every run: its title is normalised once
    return frozenset(words(title))


def measure(a: Text, b: Text, shingles_a: np.ndarray, shingles_b: np.ndarray) -> Match:
    small, large = sorted((len(shingles_a), len(shingles_b)))
    shared = np.intersect1d(shingles_a, shingles_b, assume_unique=True).size
    return Match(
        containment=round(shared / small, 3) if small else 0.0,
        length_ratio=round(large / small, 2) if small else 0.0,
        title_similarity=round(title_similarity(a.title, b.title), 3),
        days_apart=abs((a.date - b.date).days),
    )


def judge(match: Match, shorter_words: int, settings: NearDuplicates) -> tuple[bool, str]:
    """Whether two texts are one release, and why (or why not), in words for the audit."""
    s = settings
    c, ratio, title, days = match.containment, match.length_ratio, match.title_similarity, match.days_apart
    if days > s.max_days:
        return False, f"{days} days apart (at most {s.max_days})"
    if shorter_words < s.min_words:
        return False, f"shorter text has {shorter_words} words (at least {s.min_words})"
    if c >= s.same_text_containment:
        return True, f"same text: {c:.2f} of the shorter text is in the longer (≥ {s.same_text_containment:.2f})"
    caption_checks = [
        (c >= s.caption_containment, f"containment {c:.2f} {{}} {s.caption_containment:.2f}"),
        (ratio >= s.caption_length_ratio, f"{ratio:.1f}× longer {{}} {s.caption_length_ratio:.1f}×"),
        (title >= s.caption_title_similarity, f"title similarity {title:.2f} {{}} {s.caption_title_similarity:.2f}"),
    ]
    detail = ", ".join(text.format("≥" if ok else "<") for ok, text in caption_checks)
    if all(ok for ok, _text in caption_checks):
        return True, f"caption of a fuller release: {detail}, {days} days apart"
    return False, f"not one text ({c:.2f} < {s.same_text_containment:.2f}) nor a caption ({detail})"


def is_near_miss(match: Match, settings: NearDuplicates) -> bool:
    return match.days_apart <= settings.max_days and match.containment >= settings.caption_containment - settings.near_miss_margin


def candidate_pairs(
    texts: Sequence[Text], sets: Sequence[np.ndarray], settings: NearDuplicates, state: Path | None = None,
    dump: Callable[[Path, object], None] = memo.dump,
) -> set[tuple[int, int]]:
    """Index pairs (i < j) worth judging: texts inside the date window sharing rare shingles
    (``candidates``).  ``state``: where the last run's index is kept, to be brought up to date
    and kept again by ``dump`` (``memo.dumping_beside``'s: while the caller judges the pairs)."""
    if len(texts) < 2:
        return set()
    days = np.fromiter((t.date.toordinal() for t in texts), dtype=np.int64, count=len(texts))
    key = (settings.sample_size, settings.max_days, settings.shingle_words)
    found = candidates.candidate_state([t.id for t in texts], days, sets, key, candidates.load_state(state))
    if state is not None:
        dump(state, found)
    return found.pairs()


@dataclass(frozen=True)
class Shingled:
    """What near-duplicate detection needs of one text alone."""

    shingles: np.ndarray
    word_count: int


def shingle_all(texts: Sequence[Text], size: int, cache: memo.TextCache | None = None) -> list[Shingled]:
    """Each text's shingles and word count, from ``cache`` for a text seen before with the same ``size``."""
    cache = cache or memo.TextCache(None, "shingled", "")
    word_hashes: dict[str, int] = {}

    def shingled(body: str) -> Shingled:
        tokens = words(body)
        return Shingled(shingles(tokens, size, word_hashes), len(tokens))

    # one text's words at a time: all the word lists together would be gigabytes at scale
    return [cache.get_or_make(memo.text_key(t.body), Shingled, functools.partial(shingled, t.body)) for t in texts]


def merge_near_duplicates(
    texts: Iterable[Text], settings: NearDuplicates, overrides: Overrides, cache: memo.TextCache | None = None,
    state: Path | None = None,
) -> Deduplicated:
    """Group texts into releases; the same texts in any order give the same result.

    ``cache`` holds the shingles of texts seen before (``Shingled``), for this ``shingle_words``;
    ``state`` the last run's candidates (``candidates.STATE_FILE`` in the cache folder).
    """
    with memo.dumping_beside() as dump:  # the candidates' index is written while the pairs are judged
        return _merged_near_duplicates(texts, settings, overrides, cache, state, dump)


def _merged_near_duplicates(
    texts: Iterable[Text], settings: NearDuplicates, overrides: Overrides, cache: memo.TextCache | None,
    state: Path | None, dump: Callable[[Path, object], None],
) -> Deduplicated:
    texts = sorted(texts, key=lambda t: t.id)
    shingled = shingle_all(texts, settings.shingle_words, cache)
    sets = [s.shingles for s in shingled]
    word_counts = [s.word_count for s in shingled]
    position = {t.id: i for i, t in enumerate(texts)}
    notices = check_overrides(overrides, position)

    decisions: list[PairDecision] = []
    if settings.enabled:
        for i, j in sorted(candidate_pairs(texts, sets, settings, state, dump)):
            shorter, longer = sorted((i, j), key=lambda k: _fullness(texts[k], sets[k]))
            match = measure(texts[shorter], texts[longer], sets[shorter], sets[longer])
            merge, reason = judge(match, word_counts[shorter], settings)
            decisions.append(PairDecision(texts[shorter], texts[longer], match, merge, reason))

    groups = _Groups(texts, sets)
    for a, b in overrides.always:
        if a in position and b in position:
            shorter, longer = sorted((position[a], position[b]), key=lambda k: _fullness(texts[k], sets[k]))
            match = measure(texts[shorter], texts[longer], sets[shorter], sets[longer])
            decision = PairDecision(texts[shorter], texts[longer], match, True, f"always_merge in {overrides.source}")
            if groups.union(decision, overrides.never, forced=True) is not None:
                notices.append(override_notice(overrides, a, f"always_merge [{a}, {b}] conflicts with never_merge; not merged"))
    near_misses = []
    strongest_first = sorted(decisions, key=lambda d: (-d.match.containment, -d.match.title_similarity, d.shorter.id, d.longer.id))
    for decision in strongest_first:
        refused = groups.union(decision, overrides.never) if decision.merge else None
        if refused is not None:
            where = f" in {overrides.source}" if "never_merge" in refused else ""
            decision = dataclasses.replace(decision, merge=False, reason=f"{refused}{where}; {decision.reason}")
        if not decision.merge and is_near_miss(decision.match, settings):
            near_misses.append(decision)
    releases, merges = groups.releases()
    return Deduplicated(releases, merges, tuple(near_misses), tuple(notices))


def _fullness(text: Text, text_shingles: np.ndarray) -> tuple:
    """Sort key, fullest last: most shingles, then longest body, then id for a stable choice."""
    return (len(text_shingles), len(text.body), text.id)


class _Groups:
    """Union-find over texts; the root of each group is its fullest text."""

    def __init__(self, texts: Sequence[Text], sets: Sequence[np.ndarray]):
        self._texts = {t.id: t for t in texts}
        self._sets = {t.id: s for t, s in zip(texts, sets)}
        self._parent = {t.id: t.id for t in texts}
        self._members = {t.id: {t.id} for t in texts}
        self._joined_by: dict[str, PairDecision] = {}  # former root -> the decision that merged its group

    def root(self, text_id: str) -> str:
        while self._parent[text_id] != text_id:
            text_id = self._parent[text_id]
        return text_id

    def union(self, decision: PairDecision, never: frozenset[frozenset[str]], forced: bool = False) -> str | None:
        """Join the two texts' groups; else say why not.

        A never-merge pair may not end up in one group, and (unless ``forced``) a text already
        merged into a fuller one is not merged again: a caption found in two full releases
        must not join them into one.
        """
        a, b = self.root(decision.shorter.id), self.root(decision.longer.id)
        if a == b:
            return None
        if not forced and a != decision.shorter.id:
            return f"the shorter text is already part of release {a}"
        if any(frozenset((x, y)) in never for x in self._members[a] for y in self._members[b]):
            return "kept apart by never_merge"
        fuller = lambda k: _fullness(self._texts[k], self._sets[k])  # noqa: E731
        keep, join = (a, b) if fuller(a) > fuller(b) else (b, a)
        self._parent[join] = keep
        self._members[keep] |= self._members.pop(join)
        self._joined_by[join] = decision
        return None

    def releases(self) -> tuple[tuple[Release, ...], tuple[PairDecision, ...]]:
        releases, merges = [], []
        for root_id, member_ids in sorted(self._members.items()):
            canonical = self._texts[root_id]
            others = sorted((self._texts[m] for m in member_ids if m != root_id), key=lambda t: (t.date, t.id))
            variants = []
            for text in others:
                decision = self._joined_by[text.id]
                merges.append(decision)
                reason = decision.reason
                if text.id not in (decision.shorter.id, decision.longer.id):
                    reason += f" (through text {decision.shorter.id})"
                match = measure(text, canonical, self._sets[text.id], self._sets[root_id])
                variants.append(Variant(text, match, reason))
            category_text = next((t for t in (canonical, *others) if t.category_given), canonical)
            releases.append(
                Release(canonical, category_text.category, category_text.category_given, tuple(variants))
            )
        return tuple(releases), tuple(merges)
