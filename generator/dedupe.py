"""Dedupe stage, exact part: records with the same content become one ``Text``.

Two records are exact duplicates when title, date and body are equal after normalising
Unicode form (NFKC), quote style and whitespace.  Every record stays listed in the
text's ``sources``.  Near-duplicates (a caption and its full release) are ``neardup``'s job.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import memo
from .model import Record, Text, TextKeys

_QUOTES = {"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"'}


def normalise_text(text: str) -> str:
    """Text with Unicode form, quote style and runs of white space made uniform."""
    text = unicodedata.normalize("NFKC", text)
    for quote, plain in _QUOTES.items():  # str.replace is many times faster than str.translate here
        text = text.replace(quote, plain)
    return " ".join(text.split())


def _content_key(title: str, date: dt.date, body: str) -> str:
    return "\x1f".join((title, date.isoformat(), body))


def text_keys(title: str, date: dt.date, body: str) -> TextKeys:
    """The keys of a text with this title, date and body (see ``model.TextKeys``)."""
    return _keys(normalise_text(title), date, normalise_text(body))


def _keys(title: str, date: dt.date, body: str) -> TextKeys:
    """``text_keys`` of a title and body already normalised."""
    return TextKeys(
        body=_digest("\x1f".join((date.isoformat(), body))),
        title=_digest("\x1f".join((date.isoformat(), title.casefold()))),
        undated=_digest("\x1f".join((title.casefold(), body))),
    )


def text_id(key: str) -> str:
    """A text's id: the first 12 hex digits of SHA-256 over its normalised title, date and body.

    It depends only on the content, never on file names or input order, so the same text
    gets the same id from any run.  A release's id is the id of its canonical text.
    """
    return _digest(key)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Identity:
    """What exact deduplication makes of a record's text: the id of its normalised content and its keys."""

    id: str
    keys: TextKeys


def identify(title: str, date: dt.date, body: str) -> Identity:
    title, body = normalise_text(title), normalise_text(body)
    return Identity(text_id(_content_key(title, date, body)), _keys(title, date, body))


def merge_exact_duplicates(records: Iterable[Record], cache: memo.TextCache | None = None) -> tuple[Text, ...]:
    """One text per distinct content, ordered by id (so input order never matters).

    ``cache`` holds the ``Identity`` of texts seen before, so only new texts are normalised.
    """
    cache = cache or memo.TextCache(None, "identities", "")
    groups: dict[str, list[Record]] = {}
    identities: dict[str, Identity] = {}
    for record in records:
        identity = cache.get_or_make(
            memo.text_key(record.title, record.date.isoformat(), record.body), Identity,
            functools.partial(identify, record.title, record.date, record.body),
        )
        groups.setdefault(identity.id, []).append(record)
        identities.setdefault(identity.id, identity)
    texts = []
    for text_id_, members in groups.items():
        chosen = _category_source(members)
        texts.append(
            Text(
                id=text_id_,
                title=chosen.title,
                date=chosen.date,
                category=chosen.category,
                category_given=chosen.category_given,
                body=chosen.body,
                sources=tuple([chosen.source] + sorted(m.source for m in members if m is not chosen)),
                keys=identities[text_id_].keys,
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
