"""Turning input text into page text that can never become markup.

Input text reaches pages in three ways, each with its own escaping:
- inside Markdown (headings, link texts): ``markdown_text``, a template's ``|md``;
- inside raw HTML blocks (listings, the release text): ``html_text``, which a template
  applies to every value it writes (``templates``);
- in the front-matter ``title``, which Material inserts into pages as HTML: ``html_text``.
"""

from __future__ import annotations

import html
import re

# Python-Markdown's ESCAPED_CHARS: a backslash before any other character stays visible.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_WHITESPACE = re.compile(r"\s+")


def html_text(text: str) -> str:
    """Text for an HTML element or attribute: &, <, > and " become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def markdown_text(text: str) -> str:
    """Text for a Markdown inline context that renders exactly as written, on one line.

    &, < and > become entities (Python-Markdown cannot backslash-escape them); every other
    character with a meaning in Markdown gets a backslash.
    """
    text = _WHITESPACE.sub(" ", text).strip()
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(text, quote=False))


# A sentence ends at . ! or ? (perhaps followed by a closing quote) before a capital letter,
# unless the word before it is an abbreviation ("U.S. Trade", "Mr. Ahn", "No. 3").
_SENTENCE_END = re.compile(r"(?<=[.!?])[’”\"')]?\s+(?=[A-Z“‘\"])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|No|Nos|Co|Inc|Ltd|Corp|Jr|Sr|St|vs|etc|approx|Gov|Rep|Sen|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$")
PARAGRAPH_MIN_LENGTH = 350


def reading_paragraphs(line: str) -> list[str]:
    """One long line of release text cut into paragraphs of whole sentences, for reading.

    The dumps hold each body as one line; cutting after a sentence once a paragraph is
    PARAGRAPH_MIN_LENGTH characters long changes no character of the text.
    """
    pieces, start = [], 0
    for boundary in _SENTENCE_END.finditer(line):
        if boundary.start() - start < PARAGRAPH_MIN_LENGTH or _ABBREVIATION.search(line[start : boundary.start()]):
            continue
        pieces.append(line[start : boundary.start()] + line[boundary.start() : boundary.end()].rstrip())
        start = boundary.end()
    pieces.append(line[start:])
    return [piece for piece in pieces if piece.strip()]


def reading_pieces(text: str) -> list[str]:
    """A body's lines, each cut into reading paragraphs."""
    return [piece for line in text.split("\n") for piece in reading_paragraphs(line)]


def first_sentence(text: str, limit: int) -> str:
    """A text's first sentence (abbreviations such as "U.S." do not end one), cut at a word
    boundary with " …" when longer than ``limit`` characters."""
    text = _WHITESPACE.sub(" ", text[: 8 * limit]).strip()  # the first sentence, or the cut, is near the start
    end = len(text)
    for boundary in _SENTENCE_END.finditer(text):
        # an abbreviation is a few characters long: look at the end of the text before the boundary only
        if not _ABBREVIATION.search(text[max(0, boundary.start() - 24) : boundary.start()]):
            end = boundary.start() + len(boundary.group().rstrip())
            break
    sentence = text[:end]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
