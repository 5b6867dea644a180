"""Reader stage: dump files in, ``Record`` objects and rejections out.

A dump is a text file of records separated by a line holding only the separator (``-``).
A record is an optional category line, a title line and a body whose last line ends in
``dateYYYY-MM-DD``.  A record also ends at its date line, so two records whose separator
went missing are still read as two.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import DumpFormat
from .model import Notice, Record, Rejection, SourceRef

# Control characters (C0 but tab and newline, DEL, C1) and the Unicode line and paragraph
# separators become spaces: they are invisible in a page and YAML reads some as line breaks.
_CONTROL = {c: " " for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]}

# A category line is a short label; anything longer on the first of three lines is a title.
MAX_UNKNOWN_CATEGORY_LENGTH = 40


@dataclass(frozen=True)
class InputFile:
    path: Path
    name: str  # as found under its input root, POSIX separators


@dataclass(frozen=True)
class ReadResult:
    records: tuple[Record, ...]
    rejections: tuple[Rejection, ...]
    notices: tuple[Notice, ...]
    files: tuple[InputFile, ...]

    @property
    def records_read(self) -> int:
        """Records found in the input: used ones plus rejected ones (whole-file rejections excluded)."""
        return len(self.records) + sum(1 for r in self.rejections if r.source.line > 0)


class InputError(Exception):
    """An input path given by the user does not exist."""


def find_input_files(inputs: Iterable[Path], dump: DumpFormat) -> tuple[InputFile, ...]:
    """Files named directly, plus the dump files below named folders, in a sorted, stable order."""
    found: list[InputFile] = []
    for root in inputs:
        if root.is_file():
            found.append(InputFile(root, root.name))
        elif root.is_dir():
            matches = {p for pattern in dump.file_patterns for p in root.rglob(pattern) if p.is_file()}
            found.extend(InputFile(p, p.relative_to(root).as_posix()) for p in sorted(matches))
        else:
            raise InputError(f"{root}: no such file or folder")
    return tuple(found)


def read_inputs(
    inputs: Iterable[Path],
    dump: DumpFormat,
    categories: tuple[str, ...],
    default_category: str,
) -> ReadResult:
    """Read every dump below ``inputs``; never raises for bad content, only reports it."""
    files = find_input_files(inputs, dump)
    parser = DumpParser(dump, categories, default_category)
    records: list[Record] = []
    rejections: list[Rejection] = []
    notices: list[Notice] = []
    for input_file in files:
        text = _decode(input_file, dump.encoding, rejections)
        if text is None:
            continue
        for outcome in parser.parse(text, input_file.name):
            if isinstance(outcome, Record):
                records.append(outcome)
            elif isinstance(outcome, Rejection):
                rejections.append(outcome)
            else:
                notices.append(outcome)
    return ReadResult(tuple(records), tuple(rejections), tuple(notices), files)


def _decode(input_file: InputFile, encoding: str, rejections: list[Rejection]) -> str | None:
    whole_file = SourceRef(input_file.name, 0)
    try:
        data = input_file.path.read_bytes()
    except OSError as error:
        rejections.append(Rejection(whole_file, f"cannot read file: {error.strerror}"))
        return None
    if b"\x00" in data:
        rejections.append(Rejection(whole_file, "binary file (contains NUL bytes), not a dump"))
        return None
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        rejections.append(
            Rejection(whole_file, f"not {encoding} text (byte 0x{data[error.start]:02x} at offset {error.start})")
        )
        return None


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


class DumpParser:
    """Splits one dump's text into records, rejections and notices."""

    def __init__(self, dump: DumpFormat, categories: tuple[str, ...], default_category: str):
        self.separator = dump.record_separator
        self.date_line = re.compile(
            rf"^(?P<body>.*?)(?:^|\s){re.escape(dump.date_marker)}(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s*$",
            re.DOTALL,
        )
        self.date_marker = dump.date_marker
        self.categories = {c.casefold(): c for c in categories}
        self.default_category = default_category

    def parse(self, text: str, file_name: str) -> Iterator[Record | Rejection | Notice]:
        for block in self._blocks(text):
            for lines in self._split_at_dates(block):
                yield from self._record(lines, file_name)

    def _blocks(self, text: str) -> Iterator[list[_Line]]:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).split("\n")
        block: list[_Line] = []
        for number, raw in enumerate(lines, start=1):
            stripped = raw.strip()
            if stripped == self.separator:
                if block:
                    yield block
                block = []
            elif stripped:
                block.append(_Line(number, stripped))
        if block:
            yield block

    def _split_at_dates(self, block: list[_Line]) -> Iterator[list[_Line]]:
        current: list[_Line] = []
        for line in block:
            current.append(line)
            if self.date_line.match(line.text):
                yield current
                current = []
        if current:
            yield current

    def _record(self, lines: list[_Line], file_name: str) -> Iterator[Record | Rejection | Notice]:
        source = SourceRef(file_name, lines[0].number)
        match = self.date_line.match(lines[-1].text)
        if match is None:
            yield Rejection(source, f"no date: the record does not end in '{self.date_marker}YYYY-MM-DD'")
            return
        try:
            date = dt.date.fromisoformat(match["date"])
        except ValueError:
            yield Rejection(source, f"impossible date {match['date']}")
            return
        last_text = match["body"].strip()
        content = [line.text for line in lines[:-1]] + ([last_text] if last_text else [])
        category, category_given, notice = self._category(content, source)
        if notice:
            yield notice
        if category_given:
            content = content[1:]
        if not content:
            yield Rejection(source, "no title and no body: the record has only a category and a date")
            return
        if len(content) == 1:
            if last_text:
                yield Rejection(source, "no title: the record has only a body line")
            else:
                yield Rejection(source, "no body: the record has a title and a date but no text")
            return
        title, body = content[0], "\n".join(content[1:])
        yield Record(title, date, category, category_given, body, source)

    def _category(self, content: list[str], source: SourceRef) -> tuple[str, bool, Notice | None]:
        """Category line, title line, body: the first of three or more lines may be a category."""
        if len(content) >= 2 and content[0].casefold() in self.categories:
            return self.categories[content[0].casefold()], True, None
        if len(content) == 3 and len(content[0]) <= MAX_UNKNOWN_CATEGORY_LENGTH:
            notice = Notice(source, f"category '{content[0]}' is not one of the configured categories")
            return content[0], True, notice
        return self.default_category, False, None
