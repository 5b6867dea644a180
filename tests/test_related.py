"""Related releases kept from run to run (generator/related.py): the last run's lists merged
with new releases are exactly the lists a comparison of every pair gives.

The releases are a generated corpus tagged by the shipped vocabularies; each case compares
``related._merged`` (or ``related_releases`` with its state file) with a run from nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from bench.corpus import CorpusMaker
from generator import related
from generator.classify import load_vocabularies, tag_all
from generator.dedupe import text_keys
from generator.model import Release, SourceRef, Text
from tests.helpers import motie_config

LIMIT = 5


def make_release(number: int, title: str, body: str, date: dt.date) -> Release:
    text = Text(f"id{number:04d}", title, date, "Industry", True, body, (SourceRef("dump.txt", number),), text_keys(title, date, body))
    return Release(text, text.category, True)


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Release], dict[str, tuple[str, ...]]]:
    """400 generated releases and their tags (topics, places, organisations) from the shipped vocabularies."""
    records = CorpusMaker(seed=7).records(400)
    releases = [make_release(n, r.title, r.body, r.date) for n, r in enumerate(records)]
    tagged = tag_all(releases, load_vocabularies(motie_config()))
    return releases, {r.id: tuple(name for names in tagged[r.id].tags.values() for name in names) for r in releases}


def lists_from_nothing(releases, tags, idf=None) -> dict[str, tuple[related.Related, ...]]:
    comparison = related.Comparison(releases, tags, related.text_words(releases), idf)
    return comparison.lists(np.arange(len(releases)), LIMIT)


def state_of(releases, tags, idf) -> related.RelatedState:
    """What a run on ``releases`` would have kept, had its word weights been ``idf``."""
    vectors = related.text_vectors(related.text_words(releases), idf).astype(np.int8)
    return related.RelatedState(LIMIT, idf.tobytes(), identities(releases, tags), lists_from_nothing(releases, tags, idf), vectors)


def identities(releases, tags) -> dict[str, tuple]:
    return related.identities(releases, tags, [related.memo.text_key(r.title, r.body) for r in releases])


def merged(releases, tags, last: related.RelatedState) -> dict[str, tuple[related.Related, ...]]:
    comparison = related.Comparison(releases, tags, related.text_words(releases), np.frombuffer(last.idf))
    return related._merged(comparison, identities(releases, tags), last, LIMIT)


def test_new_releases_merged_into_the_last_lists_equal_a_comparison_of_every_pair(corpus):
    releases, tags = corpus
    now = lists_from_nothing(releases, tags)
    idf = related.Comparison(releases, tags, related.text_words(releases)).idf
    earlier = releases[:-12]  # twelve releases are new
    result = merged(releases, tags, state_of(earlier, tags, idf))
    assert result == now
    entered = [i for i in now if any(e.id in {r.id for r in releases[-12:]} for e in now[i]) and i in {r.id for r in earlier}]
    assert entered, "the new releases enter some of the earlier lists: the merge is put to work"


def test_gone_and_changed_releases_leave_the_lists_they_were_in(corpus):
    releases, tags = corpus
    now_releases = releases[5:]  # five releases gone
    changed_tags = dict(tags)
    moved = now_releases[10]  # its tags change: it leaves lists and enters others
    changed_tags[moved.id] = (*tags[moved.id], "Hydrogen", "Ulsan")
    edited = now_releases[20]  # its text changes
    now_releases[20] = dataclasses.replace(edited, canonical=dataclasses.replace(edited.canonical, body=edited.body + " Hydrogen tankers in Ulsan."))
    idf = related.Comparison(now_releases, changed_tags, related.text_words(now_releases)).idf
    last = state_of(releases, tags, idf)
    assert any(e.id in {r.id for r in releases[:5]} | {moved.id, edited.id} for lst in last.lists.values() for e in lst)
    assert merged(now_releases, changed_tags, last) == lists_from_nothing(now_releases, changed_tags, idf)


def test_a_pair_scores_the_same_compared_alone_or_among_all(corpus):
    """Whole-number weights: every dot product exact, in any order of summation."""
    releases, tags = corpus
    comparison = related.Comparison(releases, tags, related.text_words(releases))
    shared_all, similarity_all = comparison.scores(np.arange(len(releases)))
    for row in (0, 17, 399):
        shared, similarity = comparison.scores(np.array([row]))
        assert np.array_equal(similarity[0], similarity_all[row]) and np.array_equal(shared[0], shared_all[row])
        assert np.array_equal(similarity_all[:, row], similarity_all[row])  # symmetric, bit for bit


def test_a_run_after_one_new_release_compares_only_it_with_every_release(corpus, tmp_path, monkeypatch):
    releases, tags = corpus
    idf = lambda chosen: related.inverse_frequencies(related.text_words(chosen))
    cold = related.related_releases(releases, tags, LIMIT)
    # A new release that enters other lists and doubles no word's frequency (most do not, at
    # scale; at 400 releases many do)
    new = next(
        r for r in reversed(releases)
        if any(r.id in entries for entries in cold.values())
        and np.array_equal(idf([o for o in releases if o is not r]), idf(releases))
    )
    earlier = [r for r in releases if r is not new]
    state = tmp_path / related.STATE_FILE
    related.related_releases(earlier, tags, LIMIT, state_file=state)
    compared, vectorised = [], []
    original = related.Comparison.lists
    monkeypatch.setattr(related.Comparison, "lists", lambda self, rows, limit: compared.append(len(rows)) or original(self, rows, limit))
    original_vectors = related.text_vectors
    monkeypatch.setattr(related, "text_vectors", lambda texts, weights: vectorised.append(len(texts)) or original_vectors(texts, weights))
    warm = related.related_releases(releases, tags, LIMIT, state_file=state)
    assert compared == [1], "only the new release is compared with every release"
    assert vectorised == [1], "only the new release's text is vectorised: the others' vectors are the last run's"
    assert warm == cold
    kept = related.memo.load(state)
    assert np.array_equal(kept.vectors, original_vectors(related.text_words(releases), idf(releases)).astype(np.int8))


def counted(*texts: dict[int, int]) -> list[related.WordCounts]:
    """Texts given as column -> count."""
    return [related.WordCounts(np.array(sorted(t), dtype=np.int64), np.array([t[c] for c in sorted(t)], dtype=np.int64)) for t in texts]


def test_word_weights_move_only_when_a_frequency_doubles():
    five = counted({1: 1, 2: 1}, {1: 1}, {3: 2}, {4: 1}, {5: 1})
    six = [*five, *counted({1: 3})]  # six texts count as four, as five did; column 1 in 3 texts counts as 2, as before
    assert np.array_equal(related.inverse_frequencies(five), related.inverse_frequencies(six))
    seven = [*six, *counted({1: 1})]  # column 1 in 4 texts: its weight moves, the others' stay
    moved = related.inverse_frequencies(seven) != related.inverse_frequencies(six)
    assert moved.tolist() == [column == 1 for column in range(related.TEXT_DIMENSIONS)]
    eight = [*seven, *counted({9: 1})]  # eight texts: every weight moves
    assert (related.inverse_frequencies(eight) != related.inverse_frequencies(seven)).all()


def test_a_text_is_its_words_by_column():
    words = related.word_counts("Steel steel", "Steel mills and STEEL plates; 42 of them")
    assert dict(zip(words.columns.tolist(), words.counts.tolist())) == {
        related.word_counts("steel", "").columns[0]: 4, **{related.word_counts(w, "").columns[0]: 1 for w in ("mills", "and", "plates", "them")}
    }
    vectors = related.text_vectors([words, *counted({})], np.ones(related.TEXT_DIMENSIONS))
    assert vectors[0].max() == related.WEIGHT_LEVELS and not vectors[1].any()
