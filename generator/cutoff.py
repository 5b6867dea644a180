"""Texts cut off by the export that produced the dumps: found by how they end, not by their length.

A complete press release ends a sentence: ``.``, ``!``, ``?`` or ``…``, perhaps followed
by closing quotes or brackets.  A text that does not was cut off.  It was cut *mid-word*
when its last word is no word of the archive but begins one ("billi" of "billion"), and
*mid-sentence* otherwise ("… Growth in the domestic").  Length plays no part: exports cut
at a limit, but a long text that ends a sentence is whole, and a short one that stops
mid-word is not.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import memo
from .model import Release

SENTENCE_ENDS = ".!?…。！？"
CLOSERS = "\"'”’»)]"  # what may follow a sentence's end: closing quotes and brackets
_WORD = re.compile(r"[^\W\d_]+")
VOCABULARY_SAMPLE_CHARS = 20_000_000  # known words come from this much text: enough to hold the common ones
STATE_FILE = "vocabulary.pickle"  # in the cache folder: the known words of the last run
MID_WORD = "mid-word"
MID_SENTENCE = "mid-sentence"


@dataclass(frozen=True)
class CutOff:
    """Where a text stops: ``how`` is MID_WORD or MID_SENTENCE; ``ending`` is its last few words."""

    how: str
    ending: str


def unfinished(body: str) -> bool:
    """True when the text does not end a sentence: after its last whitespace and closing quotes
    or brackets comes no ``.``, ``!``, ``?`` or ``…``.  (Looked at from the end: a regular
    expression anchored at the end is tried at every sentence end of the text.)"""
    text = body.rstrip()
    if not text:
        return False
    last = text.rstrip(CLOSERS)[-1:]
    return not (last and last in SENTENCE_ENDS)


@dataclass(frozen=True)
class LastWord:
    word: str
    start: int  # where it starts in the text


def last_word(body: str) -> LastWord | None:
    """The text's last word of letters and where it starts: the run of letters the text ends
    with, but for closing marks (no letter, digit or ``_``), as ``([^\\W\\d_]+)[^\\w]*$`` finds it.

    Read from the end, a character at a time: the expression, searched for, is tried at
    every word of the text (a third of a warm run's cut-off work at 20,000 releases)."""
    end = len(body)
    while end and not _is_word_character(body[end - 1]):
        end -= 1
    start = end
    while start and _is_letter(body[start - 1]):
        start -= 1
    return LastWord(body[start:end], start) if start < end else None


def _is_word_character(character: str) -> bool:
    """``\\w`` of a regular expression: a letter, a digit or another number, or ``_``."""
    return character.isalnum() or character == "_"


def _is_letter(character: str) -> bool:
    """``[^\\W\\d_]``: a word character that is no decimal digit and no ``_``."""
    return character.isalnum() and not character.isdecimal()


def ending(body: str, words: int = 6) -> str:
    """The last ``words`` words of a text (split from the end: a body is thousands of words)."""
    return " ".join(body.rsplit(None, words)[-words:])


@dataclass(frozen=True)
class Vocabulary:
    """The known words as one run counted them: the texts read (by ``memo.text_key``), and how often each word occurs in them."""

    read: tuple[bytes, ...]
    counts: Mapping[str, int]


def counted_vocabulary(texts: Iterable[str], last: Vocabulary | None = None) -> Vocabulary:
    """The words of ``texts`` read in order until VOCABULARY_SAMPLE_CHARS characters (the text
    that crosses the mark included), counted.  With ``last``, only the texts read now and not then
    (and those read then and not now) are read again: the words of a text read then that is
    no longer among ``texts`` cannot be taken away, so then all are counted afresh."""
    read, by_key = [], {}
    total = 0
    for text in texts:
        if total >= VOCABULARY_SAMPLE_CHARS and last is None:
            break
        key = memo.text_key(text)
        by_key[key] = text
        if total < VOCABULARY_SAMPLE_CHARS:
            read.append(key)
            total += len(text)
    if last is not None and by_key.keys() >= set(last.read):
        counts = Counter(last.counts)
        before, now = Counter(last.read), Counter(read)  # a text read twice (two releases' one title) counts twice
        for key, times in (before - now).items():
            counts.subtract(_WORD.findall(by_key[key]) * times)
        for key, times in (now - before).items():
            counts.update(_WORD.findall(by_key[key]) * times)
        return Vocabulary(tuple(read), {word: n for word, n in counts.items() if n > 0})
    counts = Counter()
    for key in read:
        counts.update(_WORD.findall(by_key[key]))
    return Vocabulary(tuple(read), dict(counts))


def begins_a_longer_word(fragment: str, vocabulary: Sequence[str]) -> bool:
    at = bisect.bisect_right(vocabulary, fragment)
    return at < len(vocabulary) and vocabulary[at].startswith(fragment)


def cut_offs(releases: Sequence[Release], state: Path | None = None) -> Mapping[str, CutOff]:
    """Release id -> how its text was cut off, for the releases whose text was.

    ``state``: where the known words are kept from run to run (``Vocabulary``).
    """
    unfinished_ones = [r for r in releases if unfinished(r.body)]
    if not unfinished_ones:
        return {}
    last_words = {r.id: last_word(r.body) for r in unfinished_ones}

    def without_own_fragment(release: Release) -> str:
        """An unfinished text's own last word is left out: "billi" must not vouch for itself."""
        last = last_words.get(release.id)
        return release.body[: last.start] if last else release.body

    texts = itertools.chain(map(without_own_fragment, releases), (r.title for r in releases))
    last = memo.load(state) if state is not None else None
    counted = counted_vocabulary(texts, last if isinstance(last, Vocabulary) else None)
    if state is not None:
        memo.dump(state, counted)
    known = counted.counts
    vocabulary = sorted(known)
    found = {}
    for release in unfinished_ones:
        last_one = last_words[release.id]
        fragment = last_one.word if last_one else ""
        mid_word = bool(fragment) and fragment not in known and begins_a_longer_word(fragment, vocabulary)
        found[release.id] = CutOff(MID_WORD if mid_word else MID_SENTENCE, ending(release.body))
    return found
