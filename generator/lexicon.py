"""Finding configured words and phrases in release text: the matcher behind topics, places and organisations.

A phrase is written as readers see it: ``chip``, ``free trade agreement``, ``U.S.``.  It
matches whole words only, so ``EV`` never matches inside "every" and ``chip`` never inside
"chipset"; a trailing ``*`` asks for a prefix (``chip*`` also matches "chipset"); spaces
and hyphens between words are interchangeable.  Optionally a plural ``s``/``es`` may follow
the last word, and a phrase may be matched case-insensitively unless it is an acronym.

Where phrases overlap the longest wins, so "Latin America" is not also "America" and
"Korea Trade Commission" is not also "Korea"; and "Korea Trade Commission (KTC)" is one
mention, not two.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_ACRONYM_GLOSS = re.compile(r"\s*[(（]\s*")


@dataclass(frozen=True)
class Phrase:
    text: str  # as written in the configuration
    key: str | None  # what it signals (a topic, place or organisation); None for an exclusion
    pattern: re.Pattern[str]
    first_word: str | None  # lower-cased word every match starts with; None: the match may start anywhere


@dataclass(frozen=True)
class Mention:
    key: str
    start: int
    end: int


def is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def holds_word(text: str) -> bool:
    """Whether ``text`` holds a word a phrase can match (not only punctuation)."""
    return any(_WORD.search(w) for w in re.split(r"[\s-]+", text.strip()))


def compile_phrase(text: str, key: str | None, case_sensitive: bool, plurals: bool) -> Phrase:
    """A ``Phrase`` for ``text``; raises ``ValueError`` when it holds no word at all."""
    raw_words = re.split(r"[\s-]+", text.strip())
    if not holds_word(text):
        raise ValueError(f"'{text}' holds no word to match")
    prefix = raw_words[-1].endswith("*")
    if prefix:
        raw_words[-1] = raw_words[-1][:-1]
    body = r"[\s-]+".join(re.escape(w) for w in raw_words)
    ending = r"\w*" if prefix else (r"(?:s|es)?" if plurals else "")
    start = r"(?<!\w)" if _WORD.match(raw_words[0]) else ""
    end = r"(?!\w)" if _WORD.search(raw_words[-1][-1:]) or prefix else ""
    flags = 0 if case_sensitive or is_acronym(text) else re.IGNORECASE
    pattern = re.compile(start + body + ending + end, flags)
    # A match starts at the start of a word when the phrase does; the one-word prefix phrase
    # ("chip*") can start a longer word, so it is searched for everywhere instead.
    one_word_prefix = prefix and len(raw_words) == 1
    first_word = _WORD.match(raw_words[0]) if start and not one_word_prefix else None
    return Phrase(text, key, pattern, fold(first_word.group()) if first_word else None)


def fold(text: str) -> str:
    """Lower case as a case-insensitive regular expression compares letters, keeping every position.

    ``str.lower`` turns "İ" into two characters and a final sigma into "ς"; both would make
    a word miss a phrase that ``re.IGNORECASE`` matches.
    """
    return text.replace("\u0130", "i").lower().replace("ς", "σ")


@functools.lru_cache(maxsize=8)  # the same title and body are looked up once per vocabulary
def word_starts(text: str) -> dict[str, tuple[int, ...]]:
    """Where each lower-cased word of ``text`` starts; a plural word is also listed without its ending.

    A phrase is then tried only where its first word stands, rather than searched for in the
    whole text: with hundreds of place names that is the difference between milliseconds
    and microseconds per release.
    """
    lowered = fold(text)
    starts: dict[str, list[int]] = {}
    for match in _WORD.finditer(lowered):
        starts.setdefault(match.group(), []).append(match.start())
    for ending in ("s", "es"):
        for word in [w for w in starts if w.endswith(ending) and len(w) > len(ending)]:
            starts.setdefault(word[: -len(ending)], []).extend(starts[word])
    return {word: tuple(positions) for word, positions in starts.items()}


class Matcher:
    """Lexicons matched together in one pass over a text: each lexicon is a list of phrases.

    Within a lexicon the longest match wins and an exclusion (a phrase without a key) hides
    what it overlaps; lexicons do not affect each other, so "auto exports" can count for two
    topics.  Looking each text's words up once for all lexicons, rather than once per
    lexicon, keeps tagging under a millisecond per release.
    """

    def __init__(self, lexicons: Iterable[Sequence[Phrase]]) -> None:
        self.lexicons = tuple(tuple(phrases) for phrases in lexicons)
        self._by_first_word: dict[str, list[tuple[int, Phrase]]] = {}
        self._anywhere: list[tuple[int, Phrase]] = []
        for number, phrases in enumerate(self.lexicons):
            for phrase in phrases:
                if phrase.first_word is None:
                    self._anywhere.append((number, phrase))
                else:
                    self._by_first_word.setdefault(phrase.first_word, []).append((number, phrase))

    def mentions(self, text: str) -> list[list[Mention]]:
        """For each lexicon, its non-overlapping mentions in ``text``, left to right."""
        spans: dict[int, list[tuple[int, int, str | None]]] = {}
        for number, phrase in self._anywhere:
            for match in phrase.pattern.finditer(text):
                spans.setdefault(number, []).append((match.start(), match.end(), phrase.key))
        starts = word_starts(text)
        for word in starts.keys() & self._by_first_word.keys():
            for number, phrase in self._by_first_word[word]:
                for position in starts[word]:
                    match = phrase.pattern.match(text, position)
                    if match:
                        spans.setdefault(number, []).append((position, match.end(), phrase.key))
        return [_longest_first(text, spans[n]) if n in spans else [] for n in range(len(self.lexicons))]

    def counts(self, text: str) -> Counter[str]:
        """Mentions per key, over all lexicons."""
        return Counter(m.key for found in self.mentions(text) for m in found)


def _longest_first(text: str, spans: list[tuple[int, int, str | None]]) -> list[Mention]:
    """Mentions chosen left to right from overlapping spans, the longest at each start."""
    spans.sort(key=lambda span: (span[0], span[0] - span[1]))
    found: list[Mention] = []
    reached = 0
    previous: Mention | None = None
    for start, end, key in spans:
        if start < reached:
            continue
        reached = end
        if key is None:
            previous = None
            continue
        if previous and previous.key == key and _ACRONYM_GLOSS.fullmatch(text, previous.end, start):
            previous = Mention(key, previous.start, end)  # "Full Name (ACRONYM)" is one mention
            found[-1] = previous
            continue
        previous = Mention(key, start, end)
        found.append(previous)
    return found
