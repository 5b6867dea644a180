"""Texts cut off by the export: found by how they end, never by length alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import cutoff
from generator.cutoff import MID_SENTENCE, MID_WORD, cut_offs, last_word, unfinished
from generator.dedupe import text_keys
from generator.model import Release, SourceRef, Text

WHOLE = "Exports rose 5.1 percent to $61.4 billion in December, and imports rose to $54.9 billion. "


def release(body: str, number: int = 0) -> Release:
    title, day = f"Title {number}", dt.date(2025, 1, 1)
    text = Text(f"id{number}", title, day, "Industry", True, body, (SourceRef("a.txt", number),), text_keys(title, day, body))
    return Release(text, "Industry", True)


def test_the_three_cut_seed_releases_are_found_and_no_other(seeds_collected):
    catalog = seeds_collected.catalog
    found = {r.title: catalog.classified[r.id].cut_off for r in catalog.releases if catalog.classified[r.id].cut_off}
    assert {title: (cut.how, cut.ending) for title, cut in found.items()} == {
        "Korea’s annual exports reach new highs in 2024": (MID_WORD, "to $61.4 billion and $54.9 billi"),
        "Trade Minister chairs 58th Industrial Technology Protection Committee meeting": (
            MID_WORD,
            "national core technologies to resolve i",
        ),
        "Eco-Friendly Vehicle Exports Set Monthly Records for Third Consecutive Month in June": (
            MID_SENTENCE,
            "830,000 units. Growth in the domestic",
        ),
    }


def test_length_alone_decides_nothing():
    long_and_whole = (WHOLE * 60).strip()  # over 5,000 characters, ending a sentence
    short_and_cut = "The ministry said exports of semiconductors reached a record $14 billi"
    found = cut_offs([release(long_and_whole, 1), release(short_and_cut, 2), release(WHOLE * 3, 3)])
    assert set(found) == {"id2"}
    assert found["id2"].how == MID_WORD  # "billi" is no word of these texts, but begins "billion"


def test_a_cut_after_a_whole_word_is_mid_sentence():
    found = cut_offs([release(WHOLE + "Growth in the domestic", 1), release(WHOLE, 2)])
    assert found["id1"].how == MID_SENTENCE and found["id1"].ending.endswith("Growth in the domestic")


def test_a_fragment_does_not_vouch_for_itself():
    # Two texts both cut at "billi": each is still a fragment of "billion", not a known word.
    found = cut_offs([release(WHOLE + "to $3 billi", 1), release(WHOLE + "up to $4 billi", 2)])
    assert {cut.how for cut in found.values()} == {MID_WORD}


def test_sentence_endings_with_quotes_and_brackets_are_whole():
    for ending in ("projects.”", "(ODP).", "said: “Go!”", "Why not?", "cooperation…", "as planned.)", "done. "):
        assert not unfinished(f"The minister spoke about {ending}"), ending
    for ending in ("in 2025", "the domestic", "billi", "continue to—", "as follows:"):
        assert unfinished(f"The minister spoke about {ending}"), ending


def test_an_empty_body_is_not_cut():
    assert cut_offs([release("", 1), dataclasses.replace(release(WHOLE, 2))]) == {}


_SENTENCE_END_PATTERN = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")  # the rule as a regular expression, which the code answers from the end


@pytest.mark.slow
@settings(max_examples=800, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab1 .!?…\"'”’»)]\n-_²") + ["가", "é", "\u0301", "٣"]), max_size=40),
    st.integers(min_value=0, max_value=400),
    st.sampled_from(["w", "word ", ". ", "1"]),
    st.sampled_from(["", "Last", "Last word"]),
)
def test_the_end_of_a_text_is_read_as_the_whole_text_would_be(ending, repeat, filler, start):
    """``unfinished`` and ``last_word`` look at a text's end only; they answer as the regular expressions over the
    whole text: a last word longer than the part they look at first, or before a long run of punctuation, included."""
    body = start + filler * repeat + ending
    assert unfinished(body) == (bool(body.strip()) and not _SENTENCE_END_PATTERN.search(body))
    expected = re.search(r"([^\W\d_]+)[^\w]*$", body)
    found = last_word(body)
    assert (found.word, found.start) == (expected.group(1), expected.start(1)) if expected else found is None
    assert cutoff.ending(body) == " ".join(body.split()[-6:])


def known_words(texts) -> list[str]:
    """The reference: the sorted distinct words of ``texts``, read until VOCABULARY_SAMPLE_CHARS characters."""

    words: set[str] = set()
    read = 0
    for text in texts:
        words.update(re.findall(r"[^\W\d_]+", text))
        read += len(text)
        if read >= cutoff.VOCABULARY_SAMPLE_CHARS:
            break
    return sorted(words)


def test_the_known_words_kept_from_run_to_run_are_those_counted_afresh(monkeypatch, tmp_path):
    """The vocabulary brought up to date after texts come and go, inside and past the part of
    the archive it is read from, is the one counted from scratch, and ``known_words``' words."""
    from bench.corpus import CorpusMaker

    texts = [r.body for r in CorpusMaker(seed=4).records(300)]
    monkeypatch.setattr(cutoff, "VOCABULARY_SAMPLE_CHARS", sum(map(len, texts)) // 2)  # half the texts are read
    steps = [
        ("a new text first", lambda t: ["Brand-new words: zyxophone quibbleware."] + t),
        ("a text read goes", lambda t: t[:10] + t[11:]),
        ("a text not read goes", lambda t: t[:-3]),
        ("a text read twice", lambda t: [t[5]] + t),
        ("a long text first pushes others out", lambda t: [" ".join(t[:20])] + t),
        ("the first text goes", lambda t: t[1:]),
    ]
    last = cutoff.counted_vocabulary(texts)
    assert sorted(last.counts) == known_words(texts)
    for name, step in steps:
        texts = step(texts)
        warm = cutoff.counted_vocabulary(texts, last)
        assert warm == cutoff.counted_vocabulary(texts), name
        assert sorted(warm.counts) == known_words(texts), name
        last = warm
    gone = cutoff.counted_vocabulary(texts[40:], last)  # texts read last time are gone: counted afresh
    assert gone == cutoff.counted_vocabulary(texts[40:])
    release_list = [release(WHOLE + "in the domest", 1), release(WHOLE, 2), release("domestic " + WHOLE, 3)]
    state = tmp_path / cutoff.STATE_FILE
    assert cut_offs(release_list, state) == cut_offs(release_list) == cut_offs(release_list, state)
    assert state.is_file()
