"""Related releases: for each release, the ones sharing most tags, then the most similar text.

Ranking, as readers expect it: more shared tags (topics, places, organisations) first; on
equal tags, higher text similarity (cosine of TF-IDF word vectors); on equal similarity,
the newer release, then the smaller id.  A release with no shared tag is related only if
its text is at least ``MIN_SIMILARITY`` alike.  The comparison runs as blocks of matrix
products, so it stays fast at tens of thousands of releases (no Python loop over pairs).

**A new release changes only the lists it enters.**  Whether one release is related to
another depends on the two alone, given the word weights: so after new releases the lists
of the others are their old lists merged with the new releases that beat them, and only
the new releases (and the lists a gone release leaves short) are compared with every
release (``RelatedState``, kept in the cache folder).  For that, the word weights must not
move with every text: a word's document frequency (and the number of releases) counts by
powers of two in its IDF, so it changes when a frequency doubles, seldom (when it does,
every pair is compared again); and each vector is held as whole numbers up to
``WEIGHT_LEVELS``, so every dot product is exact in any order of summation and a pair
scores the same whether it is compared alone or among all (the merge is exact: the same
lists as a comparison of every pair, which ``tests/test_related.py`` checks).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import memo, parallel
from .model import Release

MIN_SIMILARITY = 0.2
TEXT_DIMENSIONS = 1024  # words are hashed into this many dimensions
WEIGHT_LEVELS = 127  # a vector's weights as whole numbers up to this: 127² × 1,024 dot products stay below 2²⁴, exact in float32
BLOCK_ROWS = 256  # rows compared at once: 256 × 20,000 scores are 20 MB a matrix
FULL_SHARE = 0.2  # past this share of lists to make again, compare every pair at once
STATE_FILE = "related.pickle"
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class WordCounts:
    """A text's words hashed into ``TEXT_DIMENSIONS`` columns: the columns (ascending) and how often each."""

    columns: np.ndarray  # int64
    counts: np.ndarray  # int64


def word_counts(title: str, body: str) -> WordCounts:
    """The words (of three letters or more, case-folded) of a text, by column."""
    words = Counter(_WORD.findall(f"{title} {body}".casefold()))
    hashed = np.fromiter((zlib.crc32(word.encode()) % TEXT_DIMENSIONS for word in words), dtype=np.int64, count=len(words))
    counts = np.fromiter(words.values(), dtype=np.int64, count=len(words))
    columns, at = np.unique(hashed, return_inverse=True)
    return WordCounts(columns, np.bincount(at, weights=counts, minlength=len(columns)).astype(np.int64))


def text_words(
    releases: Sequence[Release], cache: memo.TextCache | None = None, keys: Sequence[bytes] | None = None
) -> list[WordCounts]:
    """Each release's ``word_counts``, from ``cache`` for a text seen before, worked out on every core for the others.

    ``keys``: each text's ``memo.text_key``, when the caller has them."""
    cache = cache or memo.TextCache(None, "words", "")
    keys = keys if keys is not None else [memo.text_key(r.title, r.body) for r in releases]
    found = [cache.get(key, WordCounts) for key in keys]
    missing = [index for index, words in enumerate(found) if words is None]
    made = parallel.map_items(_release_words, [releases[index] for index in missing])
    for index, words in zip(missing, made):
        found[index] = words
        cache.put(keys[index], words)
    return found


def _release_words(release: Release) -> WordCounts:
    return word_counts(release.title, release.body)


def _power_of_two_floor(counts: np.ndarray) -> np.ndarray:
    return 2.0 ** np.floor(np.log2(np.maximum(counts, 1)))


def inverse_frequencies(texts: Sequence[WordCounts]) -> np.ndarray:
    """Each column's IDF, from document frequencies (and the number of texts) rounded down to a power of two."""
    columns = np.concatenate([words.columns for words in texts]) if texts else np.zeros(0, dtype=np.int64)
    document_frequency = np.bincount(columns, minlength=TEXT_DIMENSIONS).astype(np.float64)
    return np.log((1 + _power_of_two_floor(np.array(len(texts)))) / (1 + _power_of_two_floor(document_frequency))) + 1


def text_vectors(texts: Sequence[WordCounts], idf: np.ndarray) -> np.ndarray:
    """Each text's TF-IDF vector (sublinear term frequency), scaled to whole numbers up to ``WEIGHT_LEVELS``."""
    vectors = np.zeros((len(texts), TEXT_DIMENSIONS), dtype=np.float32)
    sizes = np.fromiter((len(words.columns) for words in texts), dtype=np.int64, count=len(texts))
    if not sizes.sum():
        return vectors
    columns = np.concatenate([words.columns for words in texts])
    counts = np.concatenate([words.counts for words in texts])
    rows = np.repeat(np.arange(len(texts)), sizes)
    weights = (1 + np.log(counts)) * idf[columns]
    largest = np.zeros(len(texts))
    with_words = sizes > 0
    largest[with_words] = np.maximum.reduceat(weights, (np.cumsum(sizes) - sizes)[with_words])
    vectors[rows, columns] = np.rint(weights / largest[rows] * WEIGHT_LEVELS)
    return vectors


@dataclass(frozen=True)
class Related:
    """One entry of a list: the other release, and what ranks it."""

    id: str
    shared: int  # tags in common
    similarity: float
    day: int  # its date's ordinal: newer first on a tie

    def rank(self) -> tuple:
        return (-self.shared, -self.similarity, -self.day, self.id)


@dataclass(frozen=True)
class RelatedState:
    """What the last run compared: each release's identity (text, tags, date), its list and its
    text's vector (``vectors``: a row per release, in ``identity``'s order, as int8)."""

    limit: int
    idf: bytes
    identity: Mapping[str, tuple]
    lists: Mapping[str, tuple[Related, ...]]
    vectors: np.ndarray


class Comparison:
    """Every release's vector, tags and date, to compare any of them with all."""

    def __init__(
        self,
        releases: Sequence[Release],
        tags: Mapping[str, Sequence[str]],
        words: Sequence[WordCounts],
        idf: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        """``idf``: the word weights, when not those of ``words`` (``inverse_frequencies``);
        ``vectors``: the texts' ``text_vectors`` under them, when the caller has them."""
        self.ids = [r.id for r in releases]
        self.idf = inverse_frequencies(words) if idf is None else idf
        self.vectors = text_vectors(words, self.idf) if vectors is None else vectors
        # The sums of squares are exact (whole numbers below 2²⁴), so each norm is the float32
        # nearest the true one; a text without words has an infinite norm: similarity 0 to any.
        norms = np.sqrt((self.vectors * self.vectors).sum(axis=1))
        self.norms = np.where(norms > 0, norms, np.float32(np.inf))
        self.tags = _tag_matrix(releases, tags)
        self.days = np.array([r.date.toordinal() for r in releases], dtype=np.int64)

    def scores(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Tags shared and text similarity of the releases at ``rows`` with every release (itself excluded: -1 shared).

        The same for a pair in any block, in either order: the dot products are exact and
        the product of two norms is commutative.
        """
        shared = self.tags[rows] @ self.tags.T
        similarity = self.vectors[rows] @ self.vectors.T
        similarity /= self.norms[rows][:, None] * self.norms[None, :]
        shared[np.arange(len(rows)), rows] = -1
        similarity[np.arange(len(rows)), rows] = 0
        return shared, similarity

    def entry(self, column: int, shared: float, similarity: float) -> Related:
        return Related(self.ids[column], int(shared), float(similarity), int(self.days[column]))

    def lists(self, rows: np.ndarray, limit: int) -> dict[str, tuple[Related, ...]]:
        """The list of each release at ``rows``, compared with every release."""
        result = {}
        for start in range(0, len(rows), BLOCK_ROWS):
            block = rows[start : start + BLOCK_ROWS]
            shared, similarity = self.scores(block)
            # A score that orders as (shared, similarity) does, and is at least MIN_SIMILARITY
            # exactly for an eligible release (a shared tag scores 2 or more; none, the
            # similarity itself): the limit-th best is the bar, and only the releases at or
            # above it (ties included) are ranked in full.
            score = shared * 2 + similarity
            kth = min(limit, score.shape[1])
            bar = np.partition(score, score.shape[1] - kth, axis=1)[:, score.shape[1] - kth]
            chosen_rows, chosen_columns = np.nonzero(score >= np.maximum(bar, MIN_SIMILARITY)[:, None])
            entries: dict[int, list[Related]] = {}
            for row, column, tags, alike in zip(
                chosen_rows.tolist(), chosen_columns.tolist(),
                shared[chosen_rows, chosen_columns].tolist(), similarity[chosen_rows, chosen_columns].tolist(),
            ):
                entries.setdefault(row, []).append(self.entry(column, tags, alike))
            for row, release_row in enumerate(block.tolist()):
                result[self.ids[release_row]] = best(entries.get(row, ()), limit)
        return result


def best(entries, limit: int) -> tuple[Related, ...]:
    return tuple(sorted(entries, key=Related.rank)[:limit])


def _tag_matrix(releases: Sequence[Release], tags: Mapping[str, Sequence[str]]) -> np.ndarray:
    index: dict[str, int] = {}
    for release in releases:
        for tag in tags[release.id]:
            index.setdefault(tag, len(index))
    matrix = np.zeros((len(releases), max(len(index), 1)), dtype=np.float32)
    for row, release in enumerate(releases):
        matrix[row, [index[t] for t in tags[release.id]]] = 1
    return matrix


def related_releases(
    releases: Sequence[Release],
    tags: Mapping[str, Sequence[str]],
    limit: int,
    cache: memo.TextCache | None = None,
    state_file: Path | None = None,
    keys: Sequence[bytes] | None = None,
    words: Sequence[WordCounts] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Release id -> ids of up to ``limit`` related releases, most related first.

    ``cache`` holds the words of texts seen before (``word_counts``); ``state_file``
    the last run's lists (``RelatedState``), which new releases are merged into; ``keys``
    each text's ``memo.text_key`` of title and body, and ``words`` their ``text_words``, when
    the caller has them.
    """
    if limit <= 0 or len(releases) < 2:
        return {r.id: () for r in releases}
    keys = keys if keys is not None else [memo.text_key(r.title, r.body) for r in releases]
    words = words if words is not None else text_words(releases, cache, keys)
    weights = inverse_frequencies(words)
    idf = weights.tobytes()
    last = memo.load(state_file) if state_file is not None else None
    last = last if isinstance(last, RelatedState) and last.idf == idf and len(last.vectors) == len(last.identity) else None
    comparison = Comparison(releases, tags, words, weights, kept_vectors(words, weights, keys, last) if last else None)
    identity = identities(releases, tags, keys)
    if last is not None and last.limit == limit:
        lists = _merged(comparison, identity, last, limit)
    else:
        lists = comparison.lists(np.arange(len(releases)), limit)
    if state_file is not None:
        memo.dump(state_file, RelatedState(limit, idf, identity, lists, comparison.vectors.astype(np.int8)))
    return {release_id: tuple(entry.id for entry in lists[release_id]) for release_id in comparison.ids}


def kept_vectors(words: Sequence[WordCounts], idf: np.ndarray, keys: Sequence[bytes], last: RelatedState) -> np.ndarray:
    """The texts' ``text_vectors`` under ``idf``, the last run's weights: a text it vectorised
    (the same key) takes its row from ``last``; only the others are worked out."""
    rows = {identity[0]: row for row, identity in enumerate(last.identity.values())}
    previous = np.fromiter((rows.get(key, -1) for key in keys), dtype=np.int64, count=len(keys))
    vectors = np.empty((len(keys), TEXT_DIMENSIONS), dtype=np.float32)
    known = previous >= 0
    vectors[known] = last.vectors[previous[known]]
    new = np.flatnonzero(~known)
    vectors[new] = text_vectors([words[row] for row in new.tolist()], idf)
    return vectors


def identities(releases: Sequence[Release], tags: Mapping[str, Sequence[str]], keys: Sequence[bytes]) -> dict[str, tuple]:
    """What decides a release's place in every list: its text (``keys``: each ``memo.text_key``), tags and date."""
    return {r.id: (key, tuple(sorted(tags[r.id])), r.date.toordinal()) for r, key in zip(releases, keys)}


def _merged(comparison: Comparison, identity: Mapping[str, tuple], last: RelatedState, limit: int) -> dict[str, tuple[Related, ...]]:
    """The last run's lists brought up to date: new (or changed) releases compared with all and
    merged into the lists they beat; lists that named a gone release made again."""
    ids = comparison.ids
    new = [row for row, release_id in enumerate(ids) if last.identity.get(release_id) != identity[release_id]]
    gone = {release_id for release_id in last.identity if identity.get(release_id) != last.identity[release_id]}
    remake = sorted({*new, *(row for row, release_id in enumerate(ids) if any(e.id in gone for e in last.lists.get(release_id, ())))})
    if len(remake) > FULL_SHARE * len(ids):
        return comparison.lists(np.arange(len(ids)), limit)
    lists = {release_id: last.lists[release_id] for release_id in ids if release_id in last.lists}
    lists.update(comparison.lists(np.array(remake, dtype=np.int64), limit))
    if new:
        # The bar each list sets: its last entry's score (any score if the list is short); a
        # new release at or above it is ranked against the list in full.
        bar = np.zeros(len(ids), dtype=np.float32)
        for row, release_id in enumerate(ids):
            bar[row] = _bar(lists[release_id], limit)
        bar[remake] = np.inf  # made again above, against every release
        for start in range(0, len(new), BLOCK_ROWS):
            block = new[start : start + BLOCK_ROWS]
            shared, similarity = comparison.scores(np.array(block, dtype=np.int64))  # symmetric: each new release against every row
            for index, new_row in enumerate(block):
                score = shared[index] * 2 + similarity[index]  # as ``Comparison.lists`` scores
                for row in np.flatnonzero((score >= MIN_SIMILARITY) & (score >= bar)).tolist():
                    entry = comparison.entry(new_row, shared[index, row], similarity[index, row])
                    current = lists[ids[row]]
                    if len(current) < limit or entry.rank() < current[-1].rank():
                        lists[ids[row]] = best((*current, entry), limit)
                        bar[row] = _bar(lists[ids[row]], limit)
    return lists


def _bar(entries: tuple[Related, ...], limit: int) -> np.float32:
    """The score a release must reach to enter a list: its last entry's, computed as ``Comparison.lists`` does."""
    if len(entries) < limit:
        return np.float32(-np.inf)
    return np.float32(entries[-1].shared) * 2 + np.float32(entries[-1].similarity)
