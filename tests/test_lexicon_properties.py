"""The matcher tries a phrase only where its first word stands; it must find what searching everywhere finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.lexicon import Matcher, _longest_first, compile_phrase

# Phrases none of which can overlap itself (a phrase that can, "chip chip", is the one case
# where trying every start finds a match that a left-to-right search skips).
LEXICONS = [
    [("United States", "US"), ("U.S.", "US"), ("United Kingdom", "UK"), ("States", None), ("İstanbul", "TR")],
    [("free trade agreement", "FTA"), ("FTA", "FTA"), ("trade", "Trade"), ("chip*", "Chips")],
    [("Korea Trade Commission", "KTC"), ("KTC", "KTC"), ("EV", "EV"), ("e-mobility", "EV"), ("ΟΔΟΣ", "GR")],
]
WORDS = [
    "United", "united", "UNITED", "States", "states", "state", "U.S.", "U.S", "Kingdom", "İstanbul", "ISTANBUL",
    "free", "Free", "trade", "trades", "Trade-", "agreement", "agreements", "FTA", "FTAs", "chip", "chips", "chipset",
    "Korea", "Trade", "Commission", "(KTC)", "KTC", "EV", "EVs", "ev", "every", "e-mobility", "e", "mobility",
    "οδος", "ΟΔΟΣ", "-", "(", ")", ".", ",", "the", "of", "1", "_x",
]
SEPARATORS = [" ", " ", " ", "-", "  ", "\n", "", ", ", " ("]


def reference(matcher: Matcher, text: str) -> list:
    """The matcher before its first-word index: every phrase searched for in the whole text."""
    result = []
    for phrases in matcher.lexicons:
        spans = [(m.start(), m.end(), p.key) for p in phrases for m in p.pattern.finditer(text)]
        result.append(_longest_first(text, spans))
    return result


def matcher(case_sensitive: bool, plurals: bool) -> Matcher:
    return Matcher([[compile_phrase(text, key, case_sensitive, plurals) for text, key in lexicon] for lexicon in LEXICONS])


MATCHERS = {(c, p): matcher(c, p) for c in (False, True) for p in (False, True)}
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans(), st.booleans())
def test_matching_at_first_words_finds_what_searching_everywhere_finds(text, case_sensitive, plurals):
    found = MATCHERS[case_sensitive, plurals]
    assert found.mentions(text) == reference(found, text)


def test_the_property_sees_matches():
    text = "The United States and İstanbul signed a free trade agreement on chipsets and EVs (KTC)."
    found = MATCHERS[False, True].mentions(text)
    assert [[m.key for m in lexicon] for lexicon in found] == [["US", "TR"], ["FTA", "Chips"], ["EV", "KTC"]]
