"""Dedupe stage, near part: which pairs of texts are worth judging, kept from run to run.

The rule (``neardup``'s docstring): each text's ``sample_size`` rarest shingles among those
that occur in at least one other text (rarity: how many texts hold the shingle, ties broken
by hash) are looked up in every other text dated at most ``max_days`` away; two texts
sharing two sampled shingles (one, for a text with a single such shingle) are candidates.

The index holds every shingle of every text, sorted by hash, so a shingle's frequency is
the length of its run; built from scratch, each run is sorted by day, so a look-up inside
the date window is a range search.  ``CandidateState`` keeps the index, each text's sample (its size and last,
rarest-order entry) and each text's finds in ``build/cache/candidates.pickle``.  After a
change, only what it can move is worked out again: the shingles of new and gone texts
change frequency; a text holding one of them has another sample only if that shingle was in
its sample or now ranks before the sample's last entry, and finds other texts only through
its sample.  Those texts and the new ones are looked up again; every other text's sample
and finds are as they were, so the pairs equal a cold computation's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import memo

STATE_FILE = "candidates.pickle"
FULL_SHARE = 0.2  # past this share of texts new or gone, everything is looked up again
_DAY_BITS = 24  # a look-up key: the rank of the shingle's hash in its high bits, the day in these
_DAY_MASK = (1 << _DAY_BITS) - 1
_OWNER = np.int32  # a text's row in the index: half the memory of int64, room for two billion texts


@dataclass(frozen=True)
class Samples:
    """Each text's sample, as much of it as tells whether a frequency change can move it."""

    sizes: np.ndarray  # int64: sampled shingles (at most sample_size)
    last_counts: np.ndarray  # int64: frequency of the last sampled shingle, in rarity order (0: none)
    last_hashes: np.ndarray  # uint64: its hash


@dataclass(frozen=True)
class CandidateState:
    """The candidates of one run, and what the next run needs to bring them up to date."""

    settings: tuple[int, int, int]  # sample_size, max_days, shingle_words
    ids: tuple[str, ...]  # the texts, in the run's order (by id)
    days: np.ndarray  # int64: each text's date as an ordinal
    hashes: np.ndarray  # uint64: every text's shingles, sorted by hash (and, as built from scratch, by day)
    owners: np.ndarray  # int32: the text each shingle belongs to
    samples: Samples
    queries: np.ndarray  # int64, with founds: text ``queries[i]`` found text ``founds[i]`` with its sample
    founds: np.ndarray

    def pairs(self) -> set[tuple[int, int]]:
        """The candidates as index pairs (i < j) into the run's texts."""
        low, high = np.minimum(self.queries, self.founds), np.maximum(self.queries, self.founds)
        return {(int(a), int(b)) for a, b in zip(low, high)}


def candidate_state(
    ids: Sequence[str], days: np.ndarray, sets: Sequence[np.ndarray], settings: tuple[int, int, int],
    last: CandidateState | None = None,
) -> CandidateState:
    """The candidates of texts ``ids`` (dates ``days`` as ordinals, shingles ``sets``): the last
    run's state brought up to date when there is one for these settings, else worked out whole."""
    if last is not None and last.settings == settings and len(set(last.ids)) == len(last.ids):
        updated = _updated(last, ids, days, sets)
        if updated is not None:
            return updated
    return _built(ids, days, sets, settings)


def load_state(path: Path | None) -> CandidateState | None:
    last = memo.load(path) if path is not None else None
    return last if isinstance(last, CandidateState) else None


def _built(ids: Sequence[str], days: np.ndarray, sets: Sequence[np.ndarray], settings: tuple[int, int, int]) -> CandidateState:
    # Arrays the size of the index (millions of entries) are dropped as soon as they are
    # used: the peak memory of a cold run is this function's.
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    hashes = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    owners = np.repeat(np.arange(len(sets), dtype=_OWNER), sizes)
    order = np.argsort(hashes)
    hashes = hashes[order]  # one at a time: each old array goes as its sorted copy comes
    owners = owners[order]
    del order
    keys = _look_up_keys(hashes, owners, days)
    order = np.argsort(keys)  # by hash, then day (np.lexsort on the two is three times slower)
    hashes = hashes[order]
    owners = owners[order]
    keys = keys[order]
    del order
    everyone = np.arange(len(sets), dtype=np.int64)
    queries, founds, samples = _look_up(everyone, sets, days, hashes, owners, settings, keys=keys)
    return CandidateState(settings, tuple(ids), days, hashes, owners, samples, queries, founds)


def _updated(last: CandidateState, ids: Sequence[str], days: np.ndarray, sets: Sequence[np.ndarray]) -> CandidateState | None:
    """``last`` brought up to date, or None when too much changed for that to pay."""
    position = {text_id: row for row, text_id in enumerate(ids)}
    if len(position) != len(ids):
        return None
    mapping = np.fromiter((position.get(text_id, -1) for text_id in last.ids), dtype=np.int64, count=len(last.ids))
    known = set(last.ids)
    added = np.array([row for row, text_id in enumerate(ids) if text_id not in known], dtype=np.int64)
    gone = int((mapping < 0).sum())
    if added.size + gone > FULL_SHARE * max(len(ids), 1):
        return None
    settings = last.settings
    sample_size = settings[0]

    rows = mapping.astype(_OWNER)[last.owners]  # each entry's text's row now (-1: gone)
    if gone:
        kept = rows >= 0
        gone_hashes, hashes, owners = last.hashes[~kept], last.hashes[kept], rows[kept]
    else:  # texts only added (the daily case): the index as it was, no mask over its millions of entries
        gone_hashes, hashes, owners = last.hashes[:0], last.hashes, rows
    new_hashes = np.concatenate([sets[row] for row in added]) if added.size else np.zeros(0, dtype=np.uint64)
    new_owners = np.repeat(added, [len(sets[row]) for row in added]).astype(_OWNER)
    if new_hashes.size:
        # into the runs by hash; inside a run, the order matters only to a look-up by day
        # window, which a run from scratch makes (this one expands the few runs it samples)
        order = np.argsort(new_hashes, kind="stable")
        new_hashes, new_owners = new_hashes[order], new_owners[order]
        at = np.searchsorted(hashes, new_hashes, side="right")
        hashes, owners = np.insert(hashes, at, new_hashes), np.insert(owners, at, new_owners)

    # Which kept texts a change of frequency can move: those holding a changed shingle that
    # was in their sample, or that now ranks before their sample's last entry.
    changed = np.unique(np.concatenate((new_hashes, gone_hashes)))
    starts = np.searchsorted(hashes, changed, side="left")
    stops = np.searchsorted(hashes, changed, side="right")
    new_counts = stops - starts
    added_counts = _counts_of(changed, new_hashes)
    gone_counts = _counts_of(changed, gone_hashes)
    old_counts = new_counts - added_counts + gone_counts
    lengths = new_counts
    entry = np.repeat(starts, lengths) + _offsets(lengths)
    holder = owners[entry]
    which = np.repeat(np.arange(changed.size), lengths)
    is_new = np.zeros(len(ids), dtype=bool)
    is_new[added] = True
    old_row = np.full(len(ids), -1, dtype=np.int64)
    old_row[mapping[mapping >= 0]] = np.nonzero(mapping >= 0)[0]
    holder_kept = ~is_new[holder]
    holder, which = holder[holder_kept], which[holder_kept]
    previous = old_row[holder]
    size = last.samples.sizes[previous]
    last_count, last_hash = last.samples.last_counts[previous], last.samples.last_hashes[previous]
    shingle, before, after = changed[which], old_counts[which], new_counts[which]
    was_sampled = (before >= 2) & (size > 0) & ((before < last_count) | ((before == last_count) & (shingle <= last_hash)))
    # a shingle not sampled can enter only by becoming shared or rarer (a full sample's ranks are the rarest)
    may_enter = (
        (after >= 2) & ((before < 2) | (after < before))
        & ((size < sample_size) | (after < last_count) | ((after == last_count) & (shingle < last_hash)))
    )
    moved = np.unique(holder[was_sampled | may_enter])
    again = np.union1d(moved, added).astype(np.int64)

    queries, founds, fresh = _look_up(again, sets, days, hashes, owners, settings)
    old_queries, old_founds = mapping[last.queries], mapping[last.founds]
    looked_up_again = np.zeros(len(ids), dtype=bool)
    looked_up_again[again] = True
    still = (old_queries >= 0) & (old_founds >= 0)
    still[still] = ~looked_up_again[old_queries[still]]
    queries = np.concatenate((old_queries[still], queries))
    founds = np.concatenate((old_founds[still], founds))
    order = np.lexsort((founds, queries))

    kept_rows = np.nonzero(mapping >= 0)[0]
    merged = []
    for name in ("sizes", "last_counts", "last_hashes"):
        values = getattr(fresh, name).copy()  # the texts looked up again
        values[mapping[kept_rows]] = np.where(looked_up_again[mapping[kept_rows]], values[mapping[kept_rows]],
                                              getattr(last.samples, name)[kept_rows])
        merged.append(values)
    return CandidateState(settings, tuple(ids), days, hashes, owners, Samples(*merged), queries[order], founds[order])


def _look_up(
    texts: np.ndarray, sets: Sequence[np.ndarray], days: np.ndarray, hashes: np.ndarray, owners: np.ndarray,
    settings: tuple[int, int, int], keys: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, Samples]:
    """What ``texts`` find with their samples in the index (``hashes``, ``owners``), as
    (queries, founds) sorted, and their samples (``Samples`` over all texts, set for ``texts`` only).

    ``keys``: ``texts`` are all the texts, each run of the index is sorted by day (as built
    from scratch) and these are its look-up keys, so look-ups are range searches."""
    sample_size, max_days, _words = settings
    if keys is not None:  # every text: its shingles are the index's, already grouped by hash
        sample = _sample(texts, len(sets), *_shared_entries(hashes, owners), sample_size)
        query, found = _finds_in_window(sample, keys, owners, days, max_days)
    else:
        sizes = np.fromiter((len(sets[t]) for t in texts), dtype=np.int64, count=texts.size)
        own = np.concatenate([sets[t] for t in texts]) if texts.size else np.zeros(0, dtype=np.uint64)
        starts = np.searchsorted(hashes, own, side="left")
        frequency = np.searchsorted(hashes, own, side="right") - starts
        sample = _sample(texts, len(sets), own, np.repeat(texts, sizes), frequency, starts, sample_size)
        query, found = _finds_in_runs(sample, owners, days, max_days)
    query, found = query.astype(np.int64), found.astype(np.int64)
    other = query != found
    query, found = query[other], found[other]
    codes, hits = np.unique(query * len(sets) + found, return_counts=True)
    query, found = np.divmod(codes, len(sets))
    enough = hits >= np.minimum(2, sample.summary.sizes[query])
    return query[enough], found[enough], sample.summary


def _shared_entries(hashes: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The index's entries whose shingle another entry holds too (most shingles are in one
    text only, and can link nothing): their hashes, texts, frequencies and where their runs start."""
    alike = hashes[1:] == hashes[:-1]
    shared = np.zeros(hashes.size, dtype=bool)
    shared[1:] |= alike
    shared[:-1] |= alike
    del alike
    at = np.flatnonzero(shared)
    del shared
    own = hashes[at]
    if not own.size:
        return own, owners[at], at, at
    first = np.flatnonzero(np.append(True, own[1:] != own[:-1]))
    lengths = np.diff(np.append(first, own.size))
    return own, owners[at], np.repeat(lengths, lengths), np.repeat(at[first], lengths)


@dataclass(frozen=True)
class _Sample:
    """The sampled shingles of the texts looked up: hash, text, frequency, where its run starts in the index."""

    hashes: np.ndarray
    owners: np.ndarray
    frequencies: np.ndarray
    starts: np.ndarray
    summary: Samples


def _sample(
    texts: np.ndarray, count: int, own: np.ndarray, owner: np.ndarray, frequency: np.ndarray, starts: np.ndarray,
    sample_size: int,
) -> _Sample:
    """Each text's ``sample_size`` rarest shared shingles, of its shingles ``own`` (ascending by
    hash within each text) with their frequencies and where their runs start."""
    shared = frequency >= 2  # a shingle in one text only can link nothing
    if not shared.all():
        shared = np.flatnonzero(shared)
        own, owner, frequency, starts = own[shared], owner[shared], frequency[shared], starts[shared]
    # each text's shingles, rarest first: a stable sort keeps hash order within equal frequencies
    ranking = owner.astype(np.int64)
    ranking *= int(frequency.max(initial=0)) + 1
    ranking += frequency
    order = np.argsort(ranking, kind="stable")
    del ranking
    grouped = owner[order]
    counts = np.bincount(grouped, minlength=count)
    within = np.arange(order.size)  # each entry's place among its text's, in rarity order
    within -= (np.cumsum(counts) - counts)[grouped]
    keep = order[within < sample_size]
    del order, grouped, within
    own, owner, frequency, starts = own[keep], owner[keep], frequency[keep], starts[keep]
    summary = Samples(np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.uint64))
    summary.sizes[texts] = np.bincount(owner, minlength=count)[texts]
    last = np.nonzero(np.append(owner[1:] != owner[:-1], True))[0] if owner.size else np.zeros(0, dtype=np.int64)
    summary.last_counts[owner[last]] = frequency[last]
    summary.last_hashes[owner[last]] = own[last]
    return _Sample(own, owner, frequency, starts, summary)


def _finds_in_window(
    sample: _Sample, keys: np.ndarray, owners: np.ndarray, days: np.ndarray, max_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """(text, text found) for each index entry holding a sampled shingle inside the date window:
    a range search in the look-up keys (every text's sample: most runs are not looked at)."""
    run = (keys[sample.starts] >> _DAY_BITS) << _DAY_BITS
    day = days[sample.owners]
    low = run | np.maximum(day - max_days, 0)
    ascending = np.argsort(low)  # searchsorted goes faster through keys in order
    low, owner = low[ascending], sample.owners[ascending]
    high = run[ascending] | np.minimum(day[ascending] + max_days, _DAY_MASK)
    first = np.searchsorted(keys, low, side="left")
    lengths = np.searchsorted(keys, high, side="right") - first
    return np.repeat(owner, lengths), owners[np.repeat(first, lengths) + _offsets(lengths)]


def _finds_in_runs(sample: _Sample, owners: np.ndarray, days: np.ndarray, max_days: int) -> tuple[np.ndarray, np.ndarray]:
    """The same as ``_finds_in_window``, each sampled shingle's run read whole and filtered by
    date: for a few texts, without the look-up keys of the whole index."""
    entries = np.repeat(sample.starts, sample.frequencies) + _offsets(sample.frequencies)
    query, found = np.repeat(sample.owners, sample.frequencies), owners[entries]
    close = np.abs(days[found] - days[query]) <= max_days
    return query[close], found[close]


def _look_up_keys(hashes: np.ndarray, owners: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Each index entry's look-up key (the rank of its hash among the index's distinct hashes, then its day), for an index sorted by hash."""
    if not hashes.size:
        return np.zeros(0, dtype=np.int64)
    keys = np.zeros(hashes.size, dtype=np.int64)
    np.cumsum(hashes[1:] != hashes[:-1], out=keys[1:])
    keys <<= _DAY_BITS
    keys |= days[owners]
    return keys


def _counts_of(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """How many times each of the sorted, unique ``values`` occurs in ``among``."""
    ordered = np.sort(among)
    return np.searchsorted(ordered, values, side="right") - np.searchsorted(ordered, values, side="left")


def _offsets(lengths: np.ndarray) -> np.ndarray:
    """0, 1, … within each of consecutive runs of ``lengths``."""
    return np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
