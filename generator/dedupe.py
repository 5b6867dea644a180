"""Dedupe stage: records with the same content become one ``Release``.

Two records are exact duplicates when title, date and body are equal after normalising
Unicode form (NFKC), quote style and whitespace.  The first record in input order is the
canonical one; every record stays listed in the release's ``sources``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from .model import Record, Release

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"'})
_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text with Unicode form, quote style and runs of white space made uniform."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WHITESPACE.sub(" ", text).strip()


def content_key(record: Record) -> str:
    return "\x1f".join((normalise_text(record.title), record.date.isoformat(), normalise_text(record.body)))


def release_id(key: str) -> str:
    """A release's id: the first 12 hex digits of SHA-256 over its normalised content.

    It depends only on the content, never on file names or input order, so the same
    release gets the same id from any run.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def merge_exact_duplicates(records: Iterable[Record]) -> tuple[Release, ...]:
    """One release per distinct content, in the order each content first appears."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(content_key(record), []).append(record)
    releases = []
    for key, members in groups.items():
        canonical = _canonical(members)
        releases.append(
            Release(
                id=release_id(key),
                title=canonical.title,
                date=canonical.date,
                category=canonical.category,
                category_given=canonical.category_given,
                body=canonical.body,
                sources=tuple([canonical.source] + sorted(m.source for m in members if m is not canonical)),
            )
        )
    return tuple(releases)


def _canonical(members: list[Record]) -> Record:
    """The first record that names a category, else the first record, by source position."""
    ordered = sorted(members, key=lambda m: m.source)
    return next((m for m in ordered if m.category_given), ordered[0])
