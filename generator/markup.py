"""Turning input text into page text that can never become markup.

Input text reaches pages in three ways, each with its own escaping:
- inside Markdown (link texts, list items): ``markdown_text``;
- inside raw HTML blocks (release title and body): ``html_text``;
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
    return html.escape(text, quote=False).replace('"', "&quot;")


def markdown_text(text: str) -> str:
    """Text for a Markdown inline context that renders exactly as written, on one line.

    &, < and > become entities (Python-Markdown cannot backslash-escape them); every other
    character with a meaning in Markdown gets a backslash.
    """
    text = _WHITESPACE.sub(" ", text).strip()
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(text, quote=False))


def paragraphs(text: str) -> str:
    """A body's lines as HTML paragraphs."""
    return "\n".join(f"<p>{html_text(line)}</p>" for line in text.split("\n") if line.strip())
