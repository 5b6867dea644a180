"""``neardup.candidate_pairs`` against a brute-force comparison of every pair of texts.

What candidate_pairs promises (its module's docstring): each text's ``sample_size`` rarest
shingles among those that occur in at least one other text (rarity: the number of texts
holding the shingle over the whole input, ties broken by hash) are looked up in every
other text inside the ``max_days`` window; two texts sharing two sampled shingles (one,
for a text with a single such shingle) are candidates.  That rule is computed here pair by
pair over all pairs, without the index, and must give the same pairs.

What the rule guarantees for merging follows from it: when one text's shingles that occur
elsewhere lie in the other text all but at most ``sample_size - 2`` of them (and at least two
do, or its only one), two of its sample are there, so the pair is a candidate.  A caption
made of its release's own sentences (containment 1) is therefore always found; past the
bound nothing is promised, and the strict xfail below is a pair the rules would merge (85 %
contained) that is not a candidate.  On the generated corpus (``bench.corpus``, seed 1)
every pair the rules merge is a candidate: recall 1.0 against all pairs, near-misses of the
audit included.  The brute force here shares no code with the index; breaking the index
(no date window, a window a day short, one hit enough, a sample one short, rarity ignored)
fails these tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
import pytest

from bench.corpus import CorpusMaker
from generator import neardup
from generator.config import NearDuplicates
from generator.dedupe import merge_exact_duplicates
from generator.model import Record, SourceRef, Text

DEFAULTS = NearDuplicates()
# the defaults, and small samples, a narrow window and short shingles, where the edges are closer
SETTINGS = [DEFAULTS, NearDuplicates(max_days=2, sample_size=3, shingle_words=2)]
CORPUS_SIZE = 1000  # records of bench.corpus, seed 1: about 50 caption/full pairs


def corpus_texts(count: int, seed: int = 1) -> list[Text]:
    records = CorpusMaker(seed=seed).records(count)
    return texts_of(
        Record(r.title, r.date, r.category or "Uncategorized", r.category is not None, r.body, SourceRef("corpus.txt", n))
        for n, r in enumerate(records, start=1)
    )


def texts_of(records) -> list[Text]:
    return sorted(merge_exact_duplicates(records), key=lambda t: t.id)  # as merge_near_duplicates orders them


@dataclasses.dataclass
class AllPairs:
    """The texts, their shingles, and per text what the brute force needs: its sample and the
    shingles it shares with any other text (rarity counted over the whole input)."""

    texts: list[Text]
    settings: NearDuplicates
    sets: list[np.ndarray]
    word_counts: list[int]
    shared: list[np.ndarray]  # sorted
    sampled: list[np.ndarray]

    @classmethod
    def of(cls, texts: list[Text], settings: NearDuplicates) -> AllPairs:
        shingled = neardup.shingle_all(texts, settings.shingle_words)
        sets = [s.shingles for s in shingled]
        every, counts = np.unique(np.concatenate(sets), return_counts=True)
        shared, sampled = [], []
        for own in sets:
            frequency = counts[np.searchsorted(every, own)]
            own, frequency = own[frequency >= 2], frequency[frequency >= 2]
            shared.append(own)
            sampled.append(own[np.lexsort((own, frequency))][: settings.sample_size])  # rarest first, then by hash
        return cls(texts, settings, sets, [s.word_count for s in shingled], shared, sampled)

    def in_window(self) -> list[tuple[int, int]]:
        """Every pair (i < j) dated at most max_days apart: all pairs, filtered by date alone."""
        days = np.array([t.date.toordinal() for t in self.texts])
        close = np.triu(np.abs(days[:, None] - days[None, :]) <= self.settings.max_days, k=1)
        return [(int(i), int(j)) for i, j in zip(*np.nonzero(close))]

    def documented_candidates(self) -> set[tuple[int, int]]:
        """The pairs candidate_pairs' rule selects, by brute force over all pairs inside the window."""
        found = set()
        for i, j in self.in_window():
            for a, b in ((i, j), (j, i)):
                sample = self.sampled[a]
                if sample.size and np.isin(sample, self.sets[b]).sum() >= min(2, sample.size):
                    found.add((i, j))
                    break
        return found

    def within_the_bound(self) -> set[tuple[int, int]]:
        """Pairs the guarantee covers: in the window, and one text's shingles that occur in any other
        text lie all but at most ``sample_size - 2`` in the other one, at least two of them (or its only one)."""
        covered = set()
        for i, j in self.in_window():
            for a, b in ((i, j), (j, i)):
                inside = int(np.isin(self.shared[a], self.sets[b]).sum())
                outside = self.shared[a].size - inside
                if self.shared[a].size and inside >= min(2, self.shared[a].size) and outside <= self.settings.sample_size - 2:
                    covered.add((i, j))
                    break
        return covered

    def merge_worthy(self) -> tuple[set, set]:
        """By brute force: the pairs the rules merge (``judge``), and the audit's near-misses."""
        texts, sets, settings = self.texts, self.sets, self.settings
        merged, near = set(), set()
        for i, j in self.in_window():
            shorter, longer = sorted((i, j), key=lambda k: (len(sets[k]), len(texts[k].body), texts[k].id))
            match = neardup.measure(texts[shorter], texts[longer], sets[shorter], sets[longer])
            if neardup.judge(match, self.word_counts[shorter], settings)[0]:
                merged.add((i, j))
            elif neardup.is_near_miss(match, settings) and self.word_counts[shorter] >= settings.min_words:
                near.add((i, j))
        return merged, near

    def candidates(self) -> set[tuple[int, int]]:
        return neardup.candidate_pairs(self.texts, self.sets, self.settings)


@pytest.fixture(scope="module")
def corpus():
    texts = corpus_texts(CORPUS_SIZE)
    assert len(texts) > 0.95 * CORPUS_SIZE
    return {id(settings): AllPairs.of(texts, settings) for settings in SETTINGS}


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "small-sample"])
def test_candidates_are_exactly_the_documented_rule_on_a_generated_corpus(corpus, settings):
    pairs = corpus[id(settings)]
    expected = pairs.documented_candidates()
    assert len(expected) > 20  # the corpus has captions, copies and monthly look-alikes to find
    assert pairs.candidates() == expected


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "small-sample"])
def test_every_pair_within_the_bound_is_a_candidate(corpus, settings):
    pairs = corpus[id(settings)]
    covered = pairs.within_the_bound()
    assert len(covered) > 10 and covered <= pairs.candidates()


def test_every_pair_the_rules_merge_on_the_generated_corpus_is_a_candidate(corpus):
    """Recall against all pairs: 1.0 for merges and for the audit's near-misses (seed 1)."""
    pairs = corpus[id(DEFAULTS)]
    merged, near = pairs.merge_worthy()
    candidates = pairs.candidates()
    assert len(merged) > 20  # near-misses: none in this corpus at this size; any there are must be found too
    assert merged - candidates == set()
    assert near - candidates == set()


# Adversarial texts: made of distinct numbered words, so which shingles two texts share is
# exactly what the test says.
def run_of(name: str, count: int) -> list[str]:
    return [f"{name}{n}" for n in range(count)]


def record(title: str, tokens: list[str], day: int, line: int) -> Record:
    return Record(title, dt.date(2025, 1, 1) + dt.timedelta(days=day), "Industry", True, " ".join(tokens), SourceRef("a.txt", line))


def adversarial(settings: NearDuplicates) -> tuple[list[Text], dict[str, str]]:
    """Texts that push a caption's sample away from its release; returns the texts and, by
    title, the release each caption belongs to."""
    k = settings.sample_size
    records, belongs = [], {}
    # A caption inside its release, whose text also sits in other texts out of the window (so
    # its shingles are common), with ``outside`` rare shingles shared with an old text; the
    # release's own rarest shingles are shared with another old text, so its sample misses the
    # caption and only the caption's sample can find the pair. At outside = k - 2, on the bound.
    for n, outside in enumerate((k - 2, 0, 1)):
        core = run_of(f"core{n}x", 60)
        rare = run_of(f"rare{n}x", outside + settings.shingle_words - 1) if outside else []
        more = run_of(f"more{n}x", 2 * k + settings.shingle_words)
        records.append(record(f"caption {n}", rare + core, 100, 10 * n + 1))
        records.append(record(f"release {n}", core + more, 101, 10 * n + 2))
        belongs[f"caption {n}"] = f"release {n}"
        if rare:
            records.append(record(f"old {n}", rare + run_of(f"old{n}x", 50), 0, 10 * n + 3))
        records.append(record(f"old release {n}", more + run_of(f"oldrelease{n}x", 20), 1, 10 * n + 4))
        for copy in range(3):  # the common text: elsewhere, out of the window
            records.append(record(f"echo {n}.{copy}", core + run_of(f"echo{n}x{copy}x", 30), 300 + copy * 30, 10 * n + 5 + copy))
    # Texts dated exactly max_days apart that share everything are candidates; a day more apart, not.
    same = run_of("same", 40)
    records.append(record("edge a", same, 200, 100))
    records.append(record("edge b", same + ["tail"], 200 + settings.max_days, 101))
    records.append(record("edge c", same + ["end"], 200 - settings.max_days - 1, 104))
    belongs["edge a"] = "edge b"
    # A text with a single shingle shared with one other: one hit is enough for it.
    records.append(record("single a", ["x", "y", "z"][: settings.shingle_words], 400, 102))
    records.append(record("single b", ["x", "y", "z"][: settings.shingle_words] + run_of("single", 30), 401, 103))
    belongs["single a"] = "single b"
    return texts_of(records), belongs


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "small-sample"])
def test_adversarial_texts_on_the_bound_are_candidates(settings):
    texts, belongs = adversarial(settings)
    pairs = AllPairs.of(texts, settings)
    candidates = pairs.candidates()
    assert candidates == pairs.documented_candidates()
    covered = pairs.within_the_bound()
    index = {t.title: i for i, t in enumerate(texts)}
    for caption, release in belongs.items():
        pair = tuple(sorted((index[caption], index[release])))
        assert pair in covered, caption
        assert pair in candidates, caption
    release_sample = pairs.sampled[index["release 0"]]
    assert not np.isin(release_sample, pairs.sets[index["caption 0"]]).any(), "only the caption's sample finds it"
    assert tuple(sorted((index["edge a"], index["edge c"]))) not in candidates


@pytest.mark.xfail(strict=True, reason="past the bound candidate_pairs promises nothing: a merge-worthy pair can be missed")
def test_a_merge_worthy_pair_past_the_bound():
    """A long text 85 % inside another, whose other shingles (more than sample_size) are shared
    with an old text, while the other text's rarest shingles are shared with a third: neither
    sample reaches the other text, though ``judge`` would merge them."""
    settings = DEFAULTS
    body = run_of("body", 170)
    first = run_of("firstrare", 30) + body
    second = body + run_of("secondrare", 200)
    records = [
        record("first", first, 100, 1),
        record("second", second, 101, 2),
        record("old first", run_of("firstrare", 30) + run_of("x", 20), 0, 3),
        record("old second", run_of("secondrare", 200), 0, 4),
        *(record(f"echo {n}", body + run_of(f"e{n}x", 10), 300 + 30 * n, 5 + n) for n in range(3)),
    ]
    pairs = AllPairs.of(texts_of(records), settings)
    merged, _near = pairs.merge_worthy()
    index = {t.title: i for i, t in enumerate(pairs.texts)}
    pair = tuple(sorted((index["first"], index["second"])))
    assert pair in merged and pair not in pairs.within_the_bound()
    assert pair in pairs.candidates()


def test_the_brute_force_is_all_pairs():
    """The reference itself: on a small corpus, every pair of texts is either in the window or not,
    and the window is computed from the dates alone."""
    texts = corpus_texts(200, seed=2)
    window = set(AllPairs.of(texts, DEFAULTS).in_window())
    for i, j in itertools.combinations(range(len(texts)), 2):
        assert ((i, j) in window) == (abs((texts[i].date - texts[j].date).days) <= DEFAULTS.max_days)


def edited(text: Text, line: int) -> Text:
    """The same release with a sentence added: another text (another id), dated the same."""
    changed = Record(text.title, text.date, text.category, text.category_given, text.body + " The minister added more.",
                     SourceRef("edit.txt", line))
    return texts_of([changed])[0]


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "small-sample"])
def test_candidates_kept_from_run_to_run_equal_a_computation_from_scratch(settings, monkeypatch):
    """The kept index brought up to date after texts come, go and change gives what a cold
    computation gives, samples and finds alike; after one new text it looks up only the texts
    that text can move again."""
    from generator import candidates

    every = corpus_texts(CORPUS_SIZE, seed=3)
    shingles = {t.id: s.shingles for t, s in zip(every, neardup.shingle_all(every, settings.shingle_words))}
    key = (settings.sample_size, settings.max_days, settings.shingle_words)

    def state_of(texts: list[Text], last=None):
        texts = sorted(texts, key=lambda t: t.id)
        for text in texts:
            shingles.setdefault(text.id, neardup.shingle_all([text], settings.shingle_words)[0].shingles)
        days = np.array([t.date.toordinal() for t in texts], dtype=np.int64)
        return candidates.candidate_state([t.id for t in texts], days, [shingles[t.id] for t in texts], key, last)

    current = every[:900]
    last = state_of(current)
    looked_up: list[int] = []
    original = candidates._look_up
    monkeypatch.setattr(candidates, "_look_up", lambda texts, *rest: (looked_up.append(texts.size), original(texts, *rest))[1])
    steps = [
        ("one new text", lambda texts: texts + every[900:901]),
        ("ten new texts", lambda texts: texts + every[901:911]),
        ("five gone", lambda texts: texts[:100] + texts[105:]),
        ("one edited", lambda texts: texts[:50] + [edited(texts[50], 1)] + texts[51:]),
        ("a copy of a text, a day later", lambda texts: texts + [edited(texts[7], 2)]),
        ("new and gone together", lambda texts: texts[3:] + every[911:930]),
    ]
    for name, step in steps:
        current = step(current)
        looked_up.clear()
        warm = state_of(current, last)
        monkeypatch.setattr(candidates, "_look_up", original)
        cold = state_of(current)
        monkeypatch.setattr(candidates, "_look_up", lambda texts, *rest: (looked_up.append(texts.size), original(texts, *rest))[1])
        assert warm.pairs() == cold.pairs(), name
        assert np.array_equal(warm.queries, cold.queries) and np.array_equal(warm.founds, cold.founds), name
        for field in ("sizes", "last_counts", "last_hashes"):
            assert np.array_equal(getattr(warm.samples, field), getattr(cold.samples, field)), (name, field)
        assert np.array_equal(warm.hashes, cold.hashes), name
        if name == "one new text":  # the texts it can move, not all: 25 of 901 at the defaults
            assert looked_up and looked_up[0] < 0.05 * len(current), looked_up
        last = warm
    brute = AllPairs.of(sorted(current, key=lambda t: t.id), settings)
    assert last.pairs() == brute.documented_candidates()


def test_a_few_copies_all_moved_by_a_new_one_are_looked_up_as_from_scratch():
    """Copies of one text on consecutive days, then one more a day before them all: every copy
    is looked up again, in an index whose runs a new text joined at their end."""
    from generator import candidates

    settings = SETTINGS[1]
    key = (settings.sample_size, settings.max_days, settings.shingle_words)
    words = run_of("copy", 12)
    texts = texts_of([record(f"copy {n}", words + [f"own{n}"], 5 + n, n) for n in range(5)])
    newer = texts_of([record("copy early", words + ["early"], 4, 9)])
    everything = sorted([*texts, *newer], key=lambda t: t.id)

    def arrays(chosen):
        days = np.array([t.date.toordinal() for t in chosen], dtype=np.int64)
        return [t.id for t in chosen], days, [s.shingles for s in neardup.shingle_all(chosen, settings.shingle_words)]

    last = candidates.candidate_state(*arrays(texts), key)
    warm = candidates.candidate_state(*arrays(everything), key, last)
    cold = candidates.candidate_state(*arrays(everything), key)
    assert warm.pairs() == cold.pairs() == AllPairs.of(everything, settings).documented_candidates()
    assert len(cold.pairs()) >= 5


def test_the_candidates_index_is_written_beside_the_judging_and_whole_when_the_stage_returns(tmp_path):
    """The index is written on another thread while the pairs are judged: when the stage
    returns, the file is there and the next run reads it; a file that cannot be written fails
    the stage (no lost error), as it did when the stage wrote it itself."""
    from generator import candidates
    from generator.overrides import Overrides

    texts = corpus_texts(300, seed=4)
    state = tmp_path / "cache" / candidates.STATE_FILE
    result = neardup.merge_near_duplicates(texts, DEFAULTS, Overrides(), state=state)
    kept = candidates.load_state(state)
    assert kept is not None and sorted(kept.ids) == sorted(t.id for t in texts)
    again = neardup.merge_near_duplicates(texts, DEFAULTS, Overrides(), state=state)
    assert [r.id for r in again.releases] == [r.id for r in result.releases]
    (tmp_path / "not-a-folder").write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(OSError):
        neardup.merge_near_duplicates(texts, DEFAULTS, Overrides(), state=tmp_path / "not-a-folder" / candidates.STATE_FILE)
