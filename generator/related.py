"""Related releases: for each release, the ones sharing most tags, then the most similar text.

Ranking, as readers expect it: more shared tags (topics, places, organisations) first; on
equal tags, higher text similarity (cosine of TF-IDF word vectors); on equal similarity,
the newer release.  A release with no shared tag is related only if its text is at least
``MIN_SIMILARITY`` alike.  The comparison runs as blocks of matrix products, so it stays
fast at tens of thousands of releases (no Python loop over pairs).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from . import memo
from .model import Release

MIN_SIMILARITY = 0.2
TEXT_DIMENSIONS = 1024  # words are hashed into this many dimensions
BLOCK_ROWS = 256  # rows compared at once: 256 × 20,000 scores are 20 MB a matrix, 1,024 rows were 80 MB
_WORD = re.compile(r"[^\W\d_]{3,}")


def word_columns(title: str, body: str) -> dict[int, int]:
    """A text's words, hashed into ``TEXT_DIMENSIONS`` columns: column → how often."""
    columns: dict[int, int] = {}
    for word, count in Counter(_WORD.findall(f"{title} {body}".casefold())).items():
        column = zlib.crc32(word.encode()) % TEXT_DIMENSIONS
        columns[column] = columns.get(column, 0) + count
    return columns


def text_columns(releases: Sequence[Release], cache: memo.TextCache | None = None) -> list[dict[int, int]]:
    """Each release's ``word_columns``, from ``cache`` for a text seen before."""
    cache = cache or memo.TextCache(None, "words", "")
    return [
        cache.get_or_make(memo.text_key(r.title, r.body), dict, functools.partial(word_columns, r.title, r.body))
        for r in releases
    ]


def text_vectors(columns: Sequence[Mapping[int, int]]) -> np.ndarray:
    """Unit-length TF-IDF vectors of each text's word columns (sublinear term frequency)."""
    rows, indices, counts = [], [], []
    document_frequency = np.zeros(TEXT_DIMENSIONS)
    for row, words in enumerate(columns):
        rows += [row] * len(words)
        indices += list(words)
        counts += list(words.values())
        document_frequency[list(words)] += 1
    vectors = np.zeros((len(columns), TEXT_DIMENSIONS), dtype=np.float32)
    if counts:
        idf = np.log((1 + len(columns)) / (1 + document_frequency)) + 1
        vectors[rows, indices] = (1 + np.log(counts)) * idf[indices]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def tag_matrix(releases: Sequence[Release], tags: Mapping[str, Sequence[str]]) -> np.ndarray:
    index: dict[str, int] = {}
    for release in releases:
        for tag in tags[release.id]:
            index.setdefault(tag, len(index))
    matrix = np.zeros((len(releases), max(len(index), 1)), dtype=np.float32)
    for row, release in enumerate(releases):
        matrix[row, [index[t] for t in tags[release.id]]] = 1
    return matrix


def related_releases(
    releases: Sequence[Release], tags: Mapping[str, Sequence[str]], limit: int, cache: memo.TextCache | None = None
) -> dict[str, tuple[str, ...]]:
    """Release id -> ids of up to ``limit`` related releases, most related first.

    ``cache`` holds the word columns of texts seen before (``word_columns``).
    """
    if limit <= 0 or len(releases) < 2:
        return {r.id: () for r in releases}
    shared_tags = tag_matrix(releases, tags)
    texts = text_vectors(text_columns(releases, cache))
    newness = np.array([r.date.toordinal() for r in releases])
    ids = [r.id for r in releases]
    id_rank = np.argsort(np.argsort(np.array(ids)))  # the last tie-break, as a number
    shortlist = min(len(releases) - 1, limit * 4)
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(releases), BLOCK_ROWS):
        block = slice(start, min(start + BLOCK_ROWS, len(releases)))
        shared = shared_tags[block] @ shared_tags.T
        similarity = texts[block] @ texts.T
        score = shared * 2.0 + similarity  # similarity < 1 <= one tag's weight: tags decide first
        rows = np.arange(block.stop - block.start)
        score[rows, rows + start] = -np.inf
        # The top of each row by raw score: an ineligible release (no shared tag, similarity
        # under the minimum) scores below every eligible one, so it is dropped afterwards;
        # masking first would fill rows with equal values, which makes the partition slow.
        candidates = np.argpartition(score, -shortlist, axis=1)[:, -shortlist:]
        candidate_shared = np.take_along_axis(shared, candidates, axis=1)
        candidate_similarity = np.round(np.take_along_axis(similarity, candidates, axis=1), 6)
        ineligible = (candidate_shared < 1) & (candidate_similarity < MIN_SIMILARITY)
        ineligible |= candidates == (rows + start)[:, None]
        order = np.lexsort(
            (id_rank[candidates], -newness[candidates], -candidate_similarity, -candidate_shared, ineligible), axis=1
        )
        ranked = np.take_along_axis(candidates, order, axis=1)
        kept = np.minimum((~ineligible).sum(axis=1), limit)
        for row, columns, count in zip(rows, ranked, kept):
            result[ids[start + row]] = tuple(ids[c] for c in columns[:count])
    return result
