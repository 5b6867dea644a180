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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Release

SENTENCE_ENDS = ".!?…。！？"
CLOSERS = "\"'”’»)]"  # what may follow a sentence's end: closing quotes and brackets
_WORD = re.compile(r"[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
_ANY_WORD_CHAR = re.compile(r"\w")
TAIL_CHARS = 256  # the end of a text, where its last word is looked for first
VOCABULARY_SAMPLE_CHARS = 20_000_000  # known words come from this much text: enough to hold the common ones
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
    """The text's last word of letters and where it starts, looked for in its last TAIL_CHARS
    characters first: an expression anchored at the end, searched over a whole text, is tried at every word."""
    tail_start = max(0, len(body) - TAIL_CHARS)
    match = _LAST_WORD.search(body, tail_start)
    if tail_start > 0 and (match.start(1) == tail_start if match else not _ANY_WORD_CHAR.search(body, tail_start)):
        # the word may begin before the tail, or the tail holds no word character at all: look at the whole text
        match = _LAST_WORD.search(body)
    return LastWord(match.group(1), match.start(1)) if match else None


def ending(body: str, words: int = 6) -> str:
    """The last ``words`` words of a text."""
    return " ".join(body.split()[-words:])


def known_words(texts: Iterable[str]) -> list[str]:
    """The sorted distinct words of ``texts``, read until VOCABULARY_SAMPLE_CHARS characters."""
    words: set[str] = set()
    read = 0
    for text in texts:
        words.update(_WORD.findall(text))
        read += len(text)
        if read >= VOCABULARY_SAMPLE_CHARS:
            break
    return sorted(words)


def begins_a_longer_word(fragment: str, vocabulary: Sequence[str]) -> bool:
    at = bisect.bisect_right(vocabulary, fragment)
    return at < len(vocabulary) and vocabulary[at].startswith(fragment)


def cut_offs(releases: Sequence[Release]) -> Mapping[str, CutOff]:
    """Release id -> how its text was cut off, for the releases whose text was."""
    unfinished_ones = [r for r in releases if unfinished(r.body)]
    if not unfinished_ones:
        return {}
    last_words = {r.id: last_word(r.body) for r in unfinished_ones}

    def without_own_fragment(release: Release) -> str:
        """An unfinished text's own last word is left out: "billi" must not vouch for itself."""
        last = last_words.get(release.id)
        return release.body[: last.start] if last else release.body

    vocabulary = known_words(itertools.chain(map(without_own_fragment, releases), (r.title for r in releases)))
    known = set(vocabulary)
    found = {}
    for release in unfinished_ones:
        last = last_words[release.id]
        fragment = last.word if last else ""
        mid_word = bool(fragment) and fragment not in known and begins_a_longer_word(fragment, vocabulary)
        found[release.id] = CutOff(MID_WORD if mid_word else MID_SENTENCE, ending(release.body))
    return found
