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
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_ACRONYM_GLOSS = re.compile(r"\s*[(（]\s*")


@dataclass(frozen=True)
class Phrase:
    text: str  # as written in the configuration
    key: str | None  # what it signals (a topic, place or organisation); None for an exclusion
    pattern: re.Pattern[str]
    anchor: str | None  # a word every match contains, to skip texts without it; None: always try


@dataclass(frozen=True)
class Mention:
    key: str
    start: int
    end: int


def is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def compile_phrase(text: str, key: str | None, case_sensitive: bool, plurals: bool) -> Phrase:
    """A ``Phrase`` for ``text``; raises ``ValueError`` when it holds no word at all."""
    raw_words = re.split(r"[\s-]+", text.strip())
    if not any(_WORD.search(w) for w in raw_words):
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
    literal = raw_words if not prefix else raw_words[:-1]
    tokens = [t for w in literal for t in _WORD.findall(w.casefold())]
    anchor = max(tokens, key=len) if tokens else None
    return Phrase(text, key, pattern, anchor)


@functools.lru_cache(maxsize=8)  # the same title and body are looked up once per vocabulary
def word_set(text: str) -> frozenset[str]:
    """The casefolded words of ``text``, with plural endings also stripped, for ``Lexicon`` look-ups."""
    words = set(_WORD.findall(text.casefold()))
    words |= {w[:-1] for w in words if w.endswith("s")} | {w[:-2] for w in words if w.endswith("es")}
    return frozenset(words)


class Lexicon:
    """A set of phrases, each signalling a key, matched together with the longest match winning."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = tuple(phrases)
        self._by_anchor: dict[str, list[Phrase]] = {}
        self._always: list[Phrase] = []
        for phrase in self.phrases:
            if phrase.anchor is None:
                self._always.append(phrase)
            else:
                self._by_anchor.setdefault(phrase.anchor, []).append(phrase)

    def mentions(self, text: str, words: frozenset[str] | None = None) -> list[Mention]:
        """Non-overlapping mentions in ``text``, left to right; ``words`` is ``word_set(text)`` if known."""
        words = word_set(text) if words is None else words
        candidates = list(self._always)
        for word in words & self._by_anchor.keys():
            candidates.extend(self._by_anchor[word])
        spans = sorted(
            ((m.start(), m.end(), phrase.key) for phrase in candidates for m in phrase.pattern.finditer(text)),
            key=lambda span: (span[0], span[0] - span[1]),
        )
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

    def counts(self, text: str, words: frozenset[str] | None = None) -> Counter[str]:
        return Counter(m.key for m in self.mentions(text, words))
