"""The three input formats, each read a line at a time into ``Record``, ``Rejection`` and ``Notice`` outcomes.

``DumpParser`` reads plain-text dumps, ``JsonLinesParser`` JSON Lines and ``CsvParser`` CSV;
all three hand their fields to the same ``RecordChecker`` (``recordcheck``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator

from .config import DumpFormat
from .decoding import Line
from .model import Notice, Rejection, SourceRef
from .recordcheck import Outcome, RecordChecker, clean, too_long

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# A category line is a short label; anything longer on the first of three lines is a title.
MAX_UNKNOWN_CATEGORY_LENGTH = 40
RECORD_FIELDS = ("title", "date", "category", "body", "url")


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
                SourceRef.whole_file(source.file),
                f"the CSV header (line {source.line}) has no column {', '.join(missing)} (found: {found})",
            )
            return
        used = {self.dump.column(name) for name in RECORD_FIELDS}
        extra = [name for name in header if name not in used]
        if extra:
            yield Notice(source, f"columns ignored: {', '.join(extra[:10])}")
