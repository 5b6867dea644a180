"""Dedupe stage, exact part: records with the same content become one ``Text``.

Two records are exact duplicates when title, date and body are equal after normalising
Unicode form (NFKC), quote style and whitespace.  Every record stays listed in the
text's ``sources``.  Near-duplicates (a caption and its full release) are ``neardup``'s job.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .model import Record, Text

_QUOTES = {"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"'}


def normalise_text(text: str) -> str:
    """Text with Unicode form, quote style and runs of white space made uniform."""
    text = unicodedata.normalize("NFKC", text)
    for quote, plain in _QUOTES.items():  # str.replace is many times faster than str.translate here
        text = text.replace(quote, plain)
    return " ".join(text.split())


def content_key(record: Record | Text) -> str:
    return "\x1f".join((normalise_text(record.title), record.date.isoformat(), normalise_text(record.body)))


def body_key(record: Record | Text) -> str:
    """Date and body only: stays the same when a title is corrected."""
    return _digest("\x1f".join((record.date.isoformat(), normalise_text(record.body))))


def title_key(record: Record | Text) -> str:
    """Date and title only: stays the same when a body is corrected or completed."""
    return _digest("\x1f".join((record.date.isoformat(), normalise_text(record.title).casefold())))


def undated_key(record: Record | Text) -> str:
    """Title and body only: stays the same when a date is corrected."""
    return _digest("\x1f".join((normalise_text(record.title).casefold(), normalise_text(record.body))))


def text_id(key: str) -> str:
    """A text's id: the first 12 hex digits of SHA-256 over its normalised title, date and body.

    It depends only on the content, never on file names or input order, so the same text
    gets the same id from any run.  A release's id is the id of its canonical text.
    """
    return _digest(key)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def merge_exact_duplicates(records: Iterable[Record]) -> tuple[Text, ...]:
    """One text per distinct content, ordered by id (so input order never matters)."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(content_key(record), []).append(record)
    texts = []
    for key, members in groups.items():
        chosen = _category_source(members)
        texts.append(
            Text(
                id=text_id(key),
                title=chosen.title,
                date=chosen.date,
                category=chosen.category,
                category_given=chosen.category_given,
                body=chosen.body,
                sources=tuple([chosen.source] + sorted(m.source for m in members if m is not chosen)),
                source_url=next((m.source_url for m in sorted(members, key=lambda m: m.source) if m.source_url), ""),
            )
        )
    return tuple(sorted(texts, key=lambda t: t.id))


def _category_source(members: list[Record]) -> Record:
    """The record whose category the text takes: of the categories given, the most common
    (ties by name), else none given; the first such record by source position."""
    ordered = sorted(members, key=lambda m: m.source)
    given = Counter(m.category for m in ordered if m.category_given)
    if not given:
        return ordered[0]
    category = min(given, key=lambda c: (-given[c], c))
    return next(m for m in ordered if m.category_given and m.category == category)
