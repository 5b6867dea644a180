"""Related releases: for each release, the ones sharing most tags, then the most similar text.

Ranking, as readers expect it: more shared tags (topics, places, organisations) first; on
equal tags, higher text similarity (cosine of TF-IDF word vectors); on equal similarity,
the newer release.  A release with no shared tag is related only if its text is at least
``MIN_SIMILARITY`` alike.  The comparison runs as blocks of matrix products, so it stays
fast at tens of thousands of releases (no Python loop over pairs).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from .model import Release

MIN_SIMILARITY = 0.2
TEXT_DIMENSIONS = 1024  # words are hashed into this many dimensions
BLOCK_ROWS = 1024
_WORD = re.compile(r"[^\W\d_]{3,}")


def text_vectors(releases: Sequence[Release]) -> np.ndarray:
    """Unit-length TF-IDF vectors of each release's title and body (sublinear term frequency)."""
    rows, columns, counts = [], [], []
    document_frequency = np.zeros(TEXT_DIMENSIONS)
    column_of: dict[str, int] = {}  # each distinct word is hashed once
    for row, release in enumerate(releases):
        words: dict[int, int] = {}
        for word, count in Counter(_WORD.findall(f"{release.title} {release.body}".casefold())).items():
            column = column_of.get(word)
            if column is None:
                column = column_of[word] = zlib.crc32(word.encode()) % TEXT_DIMENSIONS
            words[column] = words.get(column, 0) + count
        rows += [row] * len(words)
        columns += list(words)
        counts += list(words.values())
        document_frequency[list(words)] += 1
    vectors = np.zeros((len(releases), TEXT_DIMENSIONS), dtype=np.float32)
    if counts:
        idf = np.log((1 + len(releases)) / (1 + document_frequency)) + 1
        vectors[rows, columns] = (1 + np.log(counts)) * idf[columns]
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
    releases: Sequence[Release], tags: Mapping[str, Sequence[str]], limit: int
) -> dict[str, tuple[str, ...]]:
    """Release id -> ids of up to ``limit`` related releases, most related first."""
    if limit <= 0 or len(releases) < 2:
        return {r.id: () for r in releases}
    shared_tags = tag_matrix(releases, tags)
    texts = text_vectors(releases)
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
