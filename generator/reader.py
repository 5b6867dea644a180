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

Files are found and decoded here (streamed a line at a time by ``decoding``), parsed by
``parsers`` and checked by ``recordcheck``.  Every record ends up as
a ``Record`` or a ``Rejection`` with ``file:line`` and a reason; a file that cannot be read
at all is a ``Rejection`` at line 0.  Nothing in the input can make the reader raise.
"""

from __future__ import annotations

import datetime as dt
import errno
import fnmatch
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import decoding, memo
from .config import DumpFormat
from .decoding import Unreadable
from .model import Notice, Record, Rejection, SourceRef
from .parsers import CsvParser, DumpParser, JsonLinesParser
from .progress import Track
from .recordcheck import Outcome, RecordChecker

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)


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
        return len(self.records) + sum(1 for r in self.rejections if not r.source.is_whole_file)


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
            unreadable.append(Rejection(SourceRef.whole_file(shown), "the file name is not valid UTF-8: rename the file"))
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
        unreadable.append(Rejection(SourceRef.whole_file(shown + "/"), f"cannot read folder: {error.strerror}"))

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
        unreadable = next((r.reason for r in file_rejections if r.source.is_whole_file), "")
        rejected = sum(1 for r in file_rejections if not r.source.is_whole_file)
        if not file_records and not rejected and not unreadable:
            file_notices.append(Notice(SourceRef.whole_file(input_file.name), "no records in this file"))
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
            return [Rejection(SourceRef.whole_file(input_file.name), sniffed.reason)], ""
        lines = decoding.lines(input_file.path, sniffed.encoding, dump.max_line_length)
        parser = {"JSON Lines": JsonLinesParser, "CSV": CsvParser}.get(input_file.format, DumpParser)
        outcomes: list[Outcome] = [*sniffed.notices, *parser(dump, checker).parse(lines, input_file.name)]
    except OSError as error:
        return [Rejection(SourceRef.whole_file(input_file.name), f"cannot read file: {error.strerror}")], ""
    except UnicodeDecodeError:
        return [Rejection(SourceRef.whole_file(input_file.name), "the file changed while it was being read")], ""
    return outcomes, sniffed.encoding.label
