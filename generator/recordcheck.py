"""The checks every input record goes through, whatever its file's format.

Text is cleaned (control characters, white space, unclosed bidirectional controls), the date
must be a real day between ``dump.earliest_date`` and a little after the run, the category
one of the configured ones, the publisher's address an http(s) URL.  A record that fails
becomes a ``Rejection`` with ``file:line`` and a reason; one that is questionable but used
brings a ``Notice``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator

from .config import DumpFormat
from .model import Notice, Record, Rejection, SourceRef

Outcome = Record | Rejection | Notice

# Runs of white space and control characters (C0, DEL, C1, the Unicode line and paragraph
# separators) become one space: controls are invisible in a page and YAML reads some as line breaks.
_SPACES_AND_CONTROLS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?")
SOURCE_URL_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2000


def too_long(source: SourceRef, line: int, dump: DumpFormat) -> Rejection:
    return Rejection(source, f"line {line} is longer than {dump.max_line_length:,} characters (dump.max_line_length)")


def clean(text: str) -> str:
    """One line of text: control characters and runs of white space become one space; text
    that shows nothing (spaces, zero-width joiners) becomes no text."""
    text = _SPACES_AND_CONTROLS.sub(" ", text).strip()
    return text if any(unicodedata.category(c) not in _INVISIBLE for c in text) else ""


def closed(text: str) -> str:
    """Text with every bidirectional embedding, override or isolate it opens closed at its
    end, so that it cannot turn the text after it around (a right-to-left override in a
    title would reverse the rest of a listing's line)."""
    return "\n".join(line + _bidi_closers(line) for line in text.split("\n"))


# Format characters (zero-width joiners, bidi controls), spaces and lone combining marks show nothing.
_INVISIBLE = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}
_EMBEDDINGS = {"\u202a", "\u202b", "\u202d", "\u202e"}  # LRE, RLE, LRO, RLO: closed by PDF (U+202C)
_ISOLATES = {"\u2066", "\u2067", "\u2068"}  # LRI, RLI, FSI: closed by PDI (U+2069)


def _bidi_closers(text: str) -> str:
    """The PDFs and PDIs that close what ``text`` leaves open, innermost first (as UAX #9 pairs them)."""
    if not any(c in text for c in (*_EMBEDDINGS, *_ISOLATES)):
        return ""
    stack: list[str] = []
    for c in text:
        if c in _EMBEDDINGS:
            stack.append("\u202c")
        elif c in _ISOLATES:
            stack.append("\u2069")
        elif c == "\u202c" and stack and stack[-1] == "\u202c":
            stack.pop()
        elif c == "\u2069" and "\u2069" in stack:
            while stack.pop() != "\u2069":  # a PDI also closes the embeddings opened inside its isolate
                pass
    return "".join(reversed(stack))


def clean_body(text: str) -> str:
    """Text lines, each cleaned, blank ones dropped."""
    return "\n".join(line for line in (clean(piece) for piece in text.splitlines()) if line)


class RecordChecker:
    """The checks every record goes through, whatever its file's format."""

    def __init__(
        self, categories: tuple[str, ...], default_category: str, today: dt.date, future_days: int, earliest_date: dt.date
    ):
        self.categories = {c.casefold(): c for c in categories}
        self.default_category = default_category
        self.latest_date = today + dt.timedelta(days=future_days)
        self.earliest_date = earliest_date
        self.newest_seen: dt.date | None = None  # the newest date checked, since the last ``newest_seen = None``

    def category(self, text: str, source: SourceRef) -> tuple[str, Notice | None]:
        """A category as given, in its configured spelling; an unknown one is kept with a warning."""
        known = self.categories.get(text.casefold())
        if known:
            return known, None
        return text, Notice(source, f"category '{text}' is not one of the configured categories")

    def record(
        self, title: str, date_text: str, category: str, body: str, source: SourceRef, url: str = ""
    ) -> Iterator[Record | Rejection | Notice]:
        title, body, category = closed(clean(title)), closed(clean_body(body)), closed(clean(category))
        url = url.strip()
        if url and (problem := source_url_problem(url)):
            yield Rejection(source, problem)
            return
        if not title and not body:
            yield Rejection(source, "no title and no body")
            return
        if not title:
            yield Rejection(source, "no title")
            return
        if not body:
            yield Rejection(source, "no body: the record has a title but no text")
            return
        match = _ISO_DATE.fullmatch(date_text.strip())
        if match is None:
            shown = f"'{clean(date_text)[:40]}'" if date_text.strip() else "none"
            yield Rejection(source, f"no date: expected YYYY-MM-DD, found {shown}")
            return
        try:
            date = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            yield Rejection(source, f"impossible date {match.group(0)[:10]}")
            return
        if self.newest_seen is None or date > self.newest_seen:
            self.newest_seen = date
        if date < self.earliest_date:
            yield Rejection(source, f"date {date.isoformat()} is before earliest_date ({self.earliest_date.isoformat()})")
            return
        if date > self.latest_date:
            yield Notice(source, f"date {date.isoformat()} is in the future")
        if category:
            category, notice = self.category(category, source)
            if notice:
                yield notice
            yield Record(title, date, category, True, body, source, url)
        else:
            yield Record(title, date, self.default_category, False, body, source, url)


def source_url_problem(url: str) -> str:
    """Why ``url`` cannot be a release's link to its original, or "" when it can: only an
    absolute http(s) address, with a host, nothing a browser would run or read as local."""
    shown = clean(url)[:80]
    if len(url) > MAX_URL_LENGTH:
        return f"url is longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as error:
        return f"url '{shown}' is not a valid address: {error}"
    if parts.scheme.lower() not in SOURCE_URL_SCHEMES:
        return f"url '{shown}' is not an http or https address"
    if not parts.hostname or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        return f"url '{shown}' is not a valid address (no host, or spaces or control characters in it)"
    return ""
