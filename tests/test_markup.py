"""Input text must render as exactly that text: never as markup, never as broken front matter."""

import datetime as dt
import html
import re

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import DateFormat
from generator.markup import html_text, markdown_text, reading_paragraphs
from generator.messages import load_messages
from generator.templates import Templates
from generator.blocks import front_matter
from tests.helpers import MOTIE

# The Markdown extensions the site is built with, as configured in mkdocs.yml.
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in yaml.safe_load(
    re.sub(r"!ENV \[.*?\]", '""', (MOTIE / "mkdocs.yml").read_text(encoding="utf-8"))
)["markdown_extensions"]]

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)>",
    "# Heading *emphasis* _under_ `code`",
    "[link](javascript:alert(1)) ![img](x.png)",
    "{{ config.site_name }} {% if x %}",
    "| a | b |\n|---|---|",
    "1. not a list",
    "- not a list either",
    "AT&T &amp; &lt;b&gt; &#60;",
    "a\\*b\\\\c",
    "{ .md-tag } {: #id }",
    "---",
    "Korea’s “quoted” title",
]


def rendered_text(markdown_source: str) -> str:
    output = markdown.markdown(f"- {markdown_source}", extensions=EXTENSIONS)
    assert "<script" not in output and "<img" not in output and "<iframe" not in output and " href=" not in output
    inner = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>", output, re.DOTALL)
    assert inner, output
    assert "<" not in inner.group(1), output  # no element at all: only text
    return html.unescape(inner.group(1))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_hostile_strings_render_literally_in_markdown():
    for text in HOSTILE:
        assert rendered_text(markdown_text(text)) == collapse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_any_text_renders_literally_in_markdown(text):
    if collapse(text):
        assert rendered_text(markdown_text(text)) == collapse(text)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_text_survives_html_escaping(text):
    escaped = html_text(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == text


TEMPLATES = Templates(load_messages("en"), DateFormat())
PROBE = TEMPLATES.environment.from_string('<p>{{ value }}</p><a title="{{ value }}">{{ t("original_on", host=value) }}</a>')


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_a_template_writes_any_text_as_text(text):
    """``{{ value }}`` in an element and an attribute, and a value filled into a catalog text, read back as written."""
    soup = BeautifulSoup(PROBE.render(value=text), "html.parser")
    assert soup.p.get_text() == text and len(soup.p.contents) <= 1
    assert soup.a["title"] == text
    assert soup.a.get_text() == f"on {text}" and not soup.a.find(True)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
    st.sampled_from(["", "\x85", "\u2028", "\ufeff", "\x00", "\t", '"', "\\", "\n---\n", ": #", "\U0001f600"]),
)
def test_front_matter_round_trips_any_text(title, awkward):
    """Any text at all, control characters and YAML's line breaks included (the reader removes most of them)."""
    title += awkward
    meta = {"title": title, "date": dt.date(2025, 5, 1), "tags": [title], "search": {"exclude": True}, "n": 3, "sources": [{"file": title, "line": 2}]}
    body, read = get_data(front_matter(meta) + "Body text.\n")  # MkDocs' own front-matter reader
    assert read == meta
    assert body == "Body text.\n"


def test_reading_paragraphs_keep_every_character_of_the_seed_bodies(seeds_collected):
    total = 0
    for release in seeds_collected.catalog.releases:
        pieces = reading_paragraphs(release.body)
        assert " ".join(pieces) == release.body
        assert all(not re.search(r"\b(U\.S\.|D\.C\.|Mr\.|No\.)$", p) for p in pieces[:-1])
        total += len(pieces)
    assert total > 2 * len(seeds_collected.catalog.releases)  # long bodies are actually cut


def test_reading_paragraphs_do_not_split_after_abbreviations():
    first = "Talks " + "x" * 400 + " in Washington D.C. The talks went on."
    second = "Then " + "y" * 400 + " with the U.S. Trade Representative."
    assert reading_paragraphs(f"{first} {second} Mr. Kim spoke.") == [first, second, "Mr. Kim spoke."]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .!?”U.S\"Z", max_size=2000))
def test_reading_paragraphs_lose_nothing(text):
    assert re.sub(r"\s+", "", "".join(reading_paragraphs(text))) == re.sub(r"\s+", "", text)


def test_a_first_sentence_ends_at_a_sentence_not_at_an_abbreviation():
    from generator.markup import first_sentence

    text = "Korea’s minister met the U.S. Trade Representative on Monday. They agreed to meet again."
    assert first_sentence(text, 200) == "Korea’s minister met the U.S. Trade Representative on Monday."
    assert first_sentence("Mr. Ahn said “we agree.” Talks go on.", 200) == "Mr. Ahn said “we agree.”"
    assert first_sentence("A text with no full stop", 200) == "A text with no full stop"
    assert first_sentence("one two three four five six", 12) == "one two …"
