"""Reader stage: input files in, ``Record`` objects, rejections and notices out.

Three formats, chosen by a file's extension, go through the same checks:

- a plain-text dump (any extension but the two below): records separated by a line
  holding only the separator (``-``); a record is an optional category line, a title line
  and a body whose last line ends in ``dateYYYY-MM-DD``, with perhaps a line ``url <address>``
  anywhere before that (the publisher's page of the release).  A record also ends at its date
  line, so two records whose separator went missing are still read as two;
- JSON Lines (``.jsonl``, ``.ndjson``): one object per line with title, date, category, body
  and, if given, url;
- CSV (``.csv``): a header row naming those columns, then one record per row.

Files are decoded and streamed a line at a time by ``decoding``.  Every record ends up as
a ``Record`` or a ``Rejection`` with ``file:line`` and a reason; a file that cannot be read
at all is a ``Rejection`` at line 0.  Nothing in the input can make the reader raise.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import fnmatch
import hashlib
import json
import os
import re
import stat
import unicodedata
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import decoding, memo
from .config import DumpFormat
from .decoding import Line, Unreadable
from .model import Notice, Record, Rejection, SourceRef
from .progress import Track

# Runs of white space and control characters (C0, DEL, C1, the Unicode line and paragraph
# separators) become one space: controls are invisible in a page and YAML reads some as line breaks.
_SPACES_AND_CONTROLS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# A category line is a short label; anything longer on the first of three lines is a title.
MAX_UNKNOWN_CATEGORY_LENGTH = 40
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?")

Outcome = Record | Rejection | Notice
RECORD_FIELDS = ("title", "date", "category", "body", "url")
SOURCE_URL_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class InputFile:
    path: Path
    name: str  # as found under its input root, POSIX separators

    @property
    def format(self) -> str:
        suffix = self.path.suffix.lower()
        if suffix in JSON_LINES_SUFFIXES:
            return "JSON Lines"
        if suffix in CSV_SUFFIXES:
            return "CSV"
        return "dump"


@dataclass(frozen=True)
class FileRead:
    """What became of one input file."""

    file: str  # as named under its input root
    format: str
    encoding: str  # how it was decoded; empty when it could not be
    records: int
    rejected: int
    unreadable: str = ""  # why the whole file could not be read

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v != "" or k == "encoding"}


@dataclass(frozen=True)
class ReadResult:
    records: tuple[Record, ...]
    rejections: tuple[Rejection, ...]
    notices: tuple[Notice, ...]
    files: tuple[FileRead, ...]

    @property
    def records_read(self) -> int:
        """Records found in the input: used ones plus rejected ones (whole-file rejections excluded)."""
        return len(self.records) + sum(1 for r in self.rejections if r.source.line > 0)


class InputError(Exception):
    """An input path given by the user does not exist."""


@dataclass(frozen=True)
class FoundInputs:
    files: tuple[InputFile, ...]
    unreadable: tuple[Rejection, ...]  # folders that could not be listed, names that are not text: at line 0


def find_input_files(inputs: Iterable[Path], dump: DumpFormat) -> FoundInputs:
    """Files named directly, plus the input files below named folders, in a sorted, stable order.

    A file is named by its path under its input folder; where two inputs hold the same path,
    by as many of their parent folders as tell them apart.  A folder that cannot be listed
    and a file whose name is not valid UTF-8 are reported, never skipped in silence.
    """
    found: dict[Path, int] = {}  # each file, and how many of its path's parts name it under its input
    unreadable: list[Rejection] = []
    for root in inputs:
        if root.is_file():
            found[root.absolute()] = 1
        elif root.is_dir():
            matches = sorted(
                folder / name
                for folder, names in _walk(root, unreadable)
                for name in names
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in dump.file_patterns) and (folder / name).is_file()
            )
            found.update((path.absolute(), len(path.relative_to(root).parts)) for path in matches)
        else:
            raise InputError(f"{root}: {_what_is_not_input(root)}")
    named: list[InputFile] = []
    for path, name in _unique_names(found).items():
        if _not_text(name):
            shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            unreadable.append(Rejection(SourceRef(shown, 0), "the file name is not valid UTF-8: rename the file"))
            continue
        named.append(InputFile(path, name))
    return FoundInputs(tuple(named), tuple(unreadable))


def _walk(root: Path, unreadable: list[Rejection]) -> Iterator[tuple[Path, list[str]]]:
    """Each folder below ``root`` with its file names; folders that cannot be listed go to ``unreadable``.

    Symbolic links to folders are not followed (a loop of them would never end).
    """

    def report(error: OSError) -> None:
        where = Path(error.filename or root)
        shown = where.relative_to(root).as_posix() if where.is_relative_to(root) and where != root else str(root)
        unreadable.append(Rejection(SourceRef(shown + "/", 0), f"cannot read folder: {error.strerror}"))

    for folder, _folders, files in os.walk(root, onerror=report):
        yield Path(folder), files


def _unique_names(found: dict[Path, int]) -> dict[Path, str]:
    """Each file's name: the last ``found[path]`` parts of its path, and as many more as it
    takes to tell apart files whose names would be the same."""
    lengths = dict(found)
    while True:
        names = {path: "/".join(path.parts[-length:]) for path, length in lengths.items()}
        alike = Counter(names.values())
        longer = [p for p, name in names.items() if alike[name] > 1 and lengths[p] < len(p.parts)]
        if not longer:
            return names
        for path in longer:
            lengths[path] += 1


def _not_text(name: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in name)


def _what_is_not_input(path: Path) -> str:
    """Why a path named as input is neither a file nor a folder, in words."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else "no such file or folder"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a loop of symbolic links"
        return f"cannot be read ({error.strerror})"
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{kind}, not a file or folder of input"


def read_inputs(
    inputs: Iterable[Path],
    dump: DumpFormat,
    categories: tuple[str, ...],
    default_category: str,
    today: dt.date | None = None,
    track: Track = iter,
    cache: memo.TextCache | None = None,
) -> ReadResult:
    """Read every input file below ``inputs``; never raises for bad content, only reports it.

    ``track`` wraps the loop over files, for a progress bar.  ``cache`` holds what files read
    before with the same settings gave (``ParsedFile``), by their name and bytes.
    """
    checker = RecordChecker(
        categories, default_category, today or dt.date.today(), dump.future_days, dt.date.fromisoformat(dump.earliest_date)
    )
    records: list[Record] = []
    rejections: list[Rejection] = []
    notices: list[Notice] = []
    files: list[FileRead] = []
    found = find_input_files(inputs, dump)
    rejections += found.unreadable
    for input_file in track(found.files):
        outcomes, encoding = read_file_once(input_file, dump, checker, cache)
        file_records = [o for o in outcomes if isinstance(o, Record)]
        file_rejections = [o for o in outcomes if isinstance(o, Rejection)]
        file_notices = [o for o in outcomes if isinstance(o, Notice)]
        unreadable = next((r.reason for r in file_rejections if r.source.line == 0), "")
        rejected = sum(1 for r in file_rejections if r.source.line > 0)
        if not file_records and not rejected and not unreadable:
            file_notices.append(Notice(SourceRef(input_file.name, 0), "no records in this file"))
        records += file_records
        rejections += file_rejections
        notices += file_notices
        files.append(FileRead(input_file.name, input_file.format, encoding, len(file_records), rejected, unreadable))
    return ReadResult(tuple(records), tuple(rejections), tuple(notices), tuple(files))


@dataclass(frozen=True)
class ParsedFile:
    """What reading a file gave, for the next run that finds the same bytes under the same name."""

    outcomes: tuple[Outcome, ...]
    encoding: str
    newest_date: dt.date | None  # the newest date in the file: it decides which dates lie too far ahead


def read_file_once(
    input_file: InputFile, dump: DumpFormat, checker: RecordChecker, cache: memo.TextCache | None
) -> tuple[list[Outcome], str]:
    """``read_file``, or its outcome from ``cache`` for the same name and bytes.

    Dates ahead of ``checker.latest_date`` are warned about, and that moves with the day: a
    file is taken from the cache only when none of its dates is ahead, then or now.
    """
    if cache is None:
        return read_file(input_file, dump, checker)
    key = (input_file.name, input_file.format, _file_digest(input_file.path))
    known = cache.get(key, ParsedFile)
    if known is not None and (known.newest_date is None or known.newest_date <= checker.latest_date):
        return list(known.outcomes), known.encoding
    checker.newest_seen = None
    outcomes, encoding = read_file(input_file, dump, checker)
    newest = checker.newest_seen
    if (newest is None or newest <= checker.latest_date) and key[2] and _file_digest(input_file.path) == key[2]:
        cache.put(key, ParsedFile(tuple(outcomes), encoding, newest))
    return outcomes, encoding


def _file_digest(path: Path) -> str:
    """The file's digest; "" if it cannot be read (``read_file`` says why)."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "blake2b").hexdigest()
    except OSError:
        return ""


def read_file(input_file: InputFile, dump: DumpFormat, checker: RecordChecker) -> tuple[list[Outcome], str]:
    """One file's outcomes, and the encoding it was read in ("" and a rejection at line 0 if it could not be)."""
    try:
        sniffed = decoding.sniff(
            input_file.path, input_file.name, dump.encoding, dump.fallback_encodings, dump.max_line_length
        )
        if isinstance(sniffed, Unreadable):
            return [Rejection(SourceRef(input_file.name, 0), sniffed.reason)], ""
        lines = decoding.lines(input_file.path, sniffed.encoding, dump.max_line_length)
        parser = {"JSON Lines": JsonLinesParser, "CSV": CsvParser}.get(input_file.format, DumpParser)
        outcomes: list[Outcome] = [*sniffed.notices, *parser(dump, checker).parse(lines, input_file.name)]
    except OSError as error:
        return [Rejection(SourceRef(input_file.name, 0), f"cannot read file: {error.strerror}")], ""
    except UnicodeDecodeError:
        return [Rejection(SourceRef(input_file.name, 0), "the file changed while it was being read")], ""
    return outcomes, sniffed.encoding.label


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


class DumpParser:
    """Splits one plain-text dump into records, rejections and notices."""

    def __init__(self, dump: DumpFormat, checker: RecordChecker):
        self.separator = dump.record_separator
        self.date_marker = dump.date_marker
        self.dump = dump
        self.checker = checker

    def parse(self, lines: Iterable[Line], file_name: str) -> Iterator[Outcome]:
        for block in self._blocks(lines):
            previous: list[Line] = []
            for record_lines in self._split_at_dates(block):
                if previous:  # a date line ended a record with no separator after it: say so
                    yield Notice(
                        SourceRef(file_name, record_lines[0].number),
                        f"no '{self.separator}' line before this record: line {previous[-1].number} ends in a date, "
                        "so it ended the record before (if that date is part of a text, the record was cut there)",
                    )
                yield from self._record(record_lines, file_name)
                previous = record_lines

    def _blocks(self, lines: Iterable[Line]) -> Iterator[list[Line]]:
        block: list[Line] = []
        for line in lines:
            text = None if line.text is None else clean(line.text)
            if text == self.separator:
                if block:
                    yield block
                block = []
            elif text is None or text:
                block.append(Line(line.number, text))
        if block:
            yield block

    def _split_at_dates(self, block: list[Line]) -> Iterator[list[Line]]:
        current: list[Line] = []
        for line in block:
            current.append(line)
            if line.text is not None and self._dated(line.text):
                yield current
                current = []
        if current:
            yield current

    def _record(self, lines: list[Line], file_name: str) -> Iterator[Outcome]:
        source = SourceRef(file_name, lines[0].number, lines[-1].number)
        long_lines = [line.number for line in lines if line.text is None]
        if long_lines:
            yield too_long(source, long_lines[0], self.dump)
            return
        dated = self._dated(lines[-1].text)
        if dated is None:
            yield Rejection(source, f"no date: the record does not end in '{self.date_marker}YYYY-MM-DD'")
            return
        last_text, date = dated
        content = [line.text for line in lines[:-1]] + ([last_text] if last_text else [])
        addresses = [(text, address) for text in content if (address := self._url_line(text)) is not None]
        if len(addresses) > 1:
            yield Rejection(source, f"{len(addresses)} '{self.dump.url_marker}' lines: a record has one original address at most")
            return
        url = addresses[0][1] if addresses else ""
        content = [text for text in content if not addresses or text != addresses[0][0]]
        category = ""
        if len(content) == 1 and not last_text and self._is_category(content[0]):
            category, content = content[0], []  # a category and a date, nothing else
        elif self._has_category_line(content):
            category, content = content[0], content[1:]
        if len(content) == 1:  # one line: a title with no body, or a body with no title
            title, body = ("", content[0]) if last_text else (content[0], "")
        else:
            title, body = (content[0], "\n".join(content[1:])) if content else ("", "")
        yield from self.checker.record(title, date, category, body, source, url)

    def _url_line(self, text: str) -> str | None:
        """The address on a line ``url <address>`` (the marker, a space, then one word with a
        scheme, ``https:`` or another, which the checker judges); None for any other line."""
        marker = self.dump.url_marker
        if not marker or not text.startswith(marker + " "):
            return None
        rest = text[len(marker) + 1 :].strip()
        return rest if _URL_LIKE.fullmatch(rest) else None

    def _dated(self, text: str) -> tuple[str, str] | None:
        """(text before, date) when a line ends in the date marker and a date, after a space or alone.

        Looked at from the end: a body line is thousands of characters long.
        """
        text = text.rstrip()
        date, before = text[-10:], text[:-10]
        if not before.endswith(self.date_marker) or not _DATE.fullmatch(date):
            return None
        before = before[: len(before) - len(self.date_marker)]
        if before and not before[-1].isspace():
            return None
        return before.strip(), date

    def _is_category(self, text: str) -> bool:
        return text.casefold() in self.checker.categories

    def _has_category_line(self, content: list[str]) -> bool:
        """Category line, title line, body: the first of three or more lines may be a category.

        It is one if it is a configured category; or, in a record of exactly three lines, if
        it is a short label (no sentence's end) over a line that reads as a title (no
        sentence's end either): not a short title over a body of two paragraphs.
        """
        if len(content) >= 2 and self._is_category(content[0]):
            return True
        return (
            len(content) == 3
            and len(content[0]) <= MAX_UNKNOWN_CATEGORY_LENGTH
            and not content[0].endswith(_SENTENCE_ENDS)
            and not content[1].endswith(_SENTENCE_ENDS)
        )


# One word that starts with a scheme (``https:``, ``javascript:``): what a url line holds.
_URL_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")

# A paragraph of a body ends as a sentence does; a title or a category label does not.
_SENTENCE_ENDS = (".", "!", "?", ".”", ".\"", "?”", "!”", ":", ";")


class JsonLinesParser:
    """One JSON object per line; blank lines are skipped."""

    def __init__(self, dump: DumpFormat, checker: RecordChecker):
        self.dump = dump
        self.checker = checker
        self.keys = {name: dump.column(name) for name in RECORD_FIELDS}  # record field -> JSON key

    def parse(self, lines: Iterable[Line], file_name: str) -> Iterator[Outcome]:
        ignored: set[str] = set()
        first_line = 0
        for line in lines:
            source = SourceRef(file_name, line.number, line.number)
            if line.text is None:
                yield too_long(source, line.number, self.dump)
                continue
            if not line.text.strip():
                continue
            first_line = first_line or line.number
            try:
                value = json.loads(line.text)
            except ValueError as error:
                yield Rejection(source, f"not JSON: {error}")
                continue
            except RecursionError:
                yield Rejection(source, "JSON nested too deeply to read")
                continue
            if not isinstance(value, dict):
                yield Rejection(source, f"not a JSON object but {_json_type(value)}")
                continue
            wrong = next((k for k in self.keys.values() if not isinstance(value.get(k, ""), (str, type(None)))), None)
            if wrong is not None:
                yield Rejection(source, f"'{wrong}' is {_json_type(value[wrong])}, not text")
                continue
            ignored |= set(value) - set(self.keys.values())
            fields = {name: value.get(key) or "" for name, key in self.keys.items()}
            halves = {key: found[0] for key, text in fields.items() if (found := _LONE_SURROGATE.search(text))}
            if halves:
                # JSON can escape half of a UTF-16 pair alone (\ud800): no character, and no UTF-8 for it
                key, half = next(iter(halves.items()))
                yield Rejection(source, f"'{self.keys[key]}' holds \\u{ord(half):04x}, half of a character pair: not text")
                continue
            yield from self.checker.record(
                fields["title"], fields["date"], fields["category"], fields["body"], source, fields["url"]
            )
        if ignored:
            yield Notice(SourceRef(file_name, first_line), f"keys ignored: {', '.join(sorted(ignored)[:10])}")


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


class CsvParser:
    """A header row naming the columns, then one record per row (quoted fields may span lines)."""

    REQUIRED = ("title", "date", "body")

    def __init__(self, dump: DumpFormat, checker: RecordChecker):
        self.dump = dump
        self.checker = checker

    def parse(self, lines: Iterable[Line], file_name: str) -> Iterator[Outcome]:
        long_line_numbers: list[int] = []

        def csv_lines() -> Iterator[str]:
            for line in lines:
                if line.text is None:
                    long_line_numbers.append(line.number)
                yield "\n" if line.text is None else line.text + "\n"

        # The csv module counts physical lines itself; field_size_limit is process-wide, so set it to
        # the same bound every time rather than restoring it.
        csv.field_size_limit(max(self.dump.max_line_length, 131072))
        reader = csv.reader(csv_lines(), strict=True)
        columns: dict[str, int] | None = None  # record field -> column index, once the header is read
        width = 0
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Rejection(SourceRef(file_name, start, reader.line_num), f"not valid CSV: {error}")
                start = reader.line_num + 1
                continue
            source = SourceRef(file_name, start, reader.line_num)
            start = reader.line_num + 1
            if columns is None:
                if row:
                    header = [clean(name) for name in row]
                    columns, width = self._columns(header), len(header)
                    yield from self._header_problems(header, source)
                    if not set(self.REQUIRED) <= set(columns):
                        return
                continue
            long_lines = [n for n in long_line_numbers if source.line <= n <= source.last_line]
            if long_lines:
                yield too_long(source, long_lines[0], self.dump)
            elif not any(cell.strip() for cell in row):
                continue
            elif len(row) != width:
                yield Rejection(source, f"{len(row)} fields where the header has {width}")
            else:
                fields = {name: row[index] for name, index in columns.items()}
                yield from self.checker.record(
                    fields["title"], fields["date"], fields.get("category", ""), fields["body"], source, fields.get("url", "")
                )

    def _columns(self, header: list[str]) -> dict[str, int]:
        return {name: header.index(self.dump.column(name)) for name in RECORD_FIELDS if self.dump.column(name) in header}

    def _header_problems(self, header: list[str], source: SourceRef) -> Iterator[Rejection | Notice]:
        """A header without the needed columns rejects the whole file; other columns are ignored, with a warning."""
        missing = [self.dump.column(name) for name in self.REQUIRED if self.dump.column(name) not in header]
        if missing:
            found = ", ".join(header)[:200]
            yield Rejection(
                SourceRef(source.file, 0),
                f"the CSV header (line {source.line}) has no column {', '.join(missing)} (found: {found})",
            )
            return
        used = {self.dump.column(name) for name in RECORD_FIELDS}
        extra = [name for name in header if name not in used]
        if extra:
            yield Notice(source, f"columns ignored: {', '.join(extra[:10])}")
