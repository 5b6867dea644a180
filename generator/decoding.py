"""Bytes to lines of text, for the reader: which encoding a file is in, and its lines, streamed.

A file is read twice, a line at a time, so memory stays bounded by the longest line
(``max_line_length``) whatever the file's size:

1. ``sniff`` decides how to decode it: a byte-order mark wins; NUL bytes mean a binary file;
   otherwise UTF-8 if every line is UTF-8; otherwise the encoding that charset-normalizer
   finds among ``fallback_encodings`` for the lines that are not, checked against the whole
   file.  A file that is UTF-8 but for a few lines (text pasted from elsewhere) stays UTF-8,
   with those lines' stray bytes read as Windows-1252 and reported.
2. ``lines`` yields the decoded lines with their 1-based numbers (CR, LF and CRLF all end a
   line); a line longer than ``max_line_length`` is yielded as ``Line(number, None)``.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .model import Notice, SourceRef

READ_SIZE = 1 << 16
DETECTION_SAMPLE_BYTES = 1 << 20  # of the lines that are not UTF-8: enough for charset-normalizer
STRAY_BYTE_ENCODING = "cp1252"
STRAY_BYTE_ERRORS = "press-archive-stray-cp1252"
MAX_LISTED_LINES = 10
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CP1252_UNUSED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as Windows-1252 (its five unused bytes as Latin-1)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(b) if b in _CP1252_UNUSED else bytes([b]).decode(STRAY_BYTE_ENCODING) for b in bad), error.end


codecs.register_error(STRAY_BYTE_ERRORS, _stray_bytes_as_cp1252)


@dataclass(frozen=True)
class Encoding:
    """How to decode one file."""

    codec: str  # a Python codec name
    label: str  # for people: "UTF-8", "cp949 (detected)"
    errors: str = "strict"


@dataclass(frozen=True)
class Unreadable:
    """Why a file cannot be read as text."""

    reason: str


@dataclass(frozen=True)
class Sniffed:
    encoding: Encoding
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class Line:
    number: int
    text: str | None  # None: longer than max_line_length, not read


def _raw_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered byte lines without their line ends; None for a line over ``max_bytes``."""
    number = 0
    with path.open("rb") as stream:
        while True:
            raw = stream.readline(max_bytes + 1)
            if not raw:
                return
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a piece at a time
                    raw = stream.readline(max_bytes + 1)
                number += 1
                yield number, None
                continue
            raw = raw.rstrip(b"\n")
            # CR alone ends a line too, as universal newlines count lines in ``lines``.
            for piece in raw.replace(b"\r\n", b"\n").split(b"\r") if b"\r" in raw else (raw,):
                number += 1
                yield number, piece


def sniff(path: Path, name: str, configured: str, fallbacks: tuple[str, ...], max_line_length: int) -> Sniffed | Unreadable:
    """Decide how to decode ``path`` (``name`` in notices): ``configured`` is a codec name or ``auto``."""
    with path.open("rb") as stream:
        head = stream.read(4)
    if not head:
        return Unreadable("empty file")
    max_bytes = max_line_length * 4  # a character is at most 4 bytes in UTF-8
    utf8 = Encoding("utf-8-sig", "UTF-8")  # utf-8-sig: a byte-order mark, if any, is not text
    if head.startswith(codecs.BOM_UTF8):
        utf8 = Encoding("utf-8-sig", "UTF-8 with byte-order mark")
    else:
        for bom, codec in _BOMS:
            if head.startswith(bom):
                return _check_whole(path, Encoding(codec, f"{codec.upper()} with byte-order mark"))
    if configured.lower() != "auto":
        encoding = Encoding(codec_name(configured), configured)
        if not "a\n".encode(encoding.codec).endswith(b"a\n"):  # UTF-16 and the like: no splitting lines as bytes
            return _check_whole(path, encoding)
        return _check_lines(path, encoding, max_bytes)

    bad_lines: list[int] = []
    sample = bytearray()
    utf8_non_ascii_lines = 0
    cut_off_line: int | None = None  # a line ending mid-character: a cut-off file if it is the last
    for number, raw in _raw_lines(path, max_bytes):
        if cut_off_line is not None:
            bad_lines.append(cut_off_line)
            cut_off_line = None
        if raw is None:
            continue
        if b"\x00" in raw:
            return Unreadable(f"binary file (NUL byte on line {number}), not text")
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8_non_ascii_lines += 1
        except UnicodeDecodeError as error:
            if error.end == len(raw) and error.reason == "unexpected end of data":
                cut_off_line = number
            else:
                bad_lines.append(number)
                if len(sample) < DETECTION_SAMPLE_BYTES:
                    sample += raw + b"\n"
    if not bad_lines:
        if cut_off_line is None:
            return Sniffed(utf8, ())
        notice = Notice(SourceRef(name, cut_off_line), "the file ends in the middle of a character: it was cut off")
        return Sniffed(dataclasses.replace(utf8, errors="replace"), (notice,))
    if cut_off_line is not None:
        bad_lines.append(cut_off_line)
    listed = _listed(sorted(bad_lines))
    best = from_bytes(bytes(sample), cp_isolation=list(fallbacks)).best() if fallbacks else None
    if best is None:
        tried = ", ".join(fallbacks) or "no other encoding (dump.fallback_encodings is empty)"
        return Unreadable(f"not UTF-8 (lines {listed}) nor {tried}: re-save it as UTF-8")
    detected = codec_name(best.encoding)
    if utf8_non_ascii_lines and _single_byte(detected):
        # UTF-8 elsewhere in the file: the odd lines were pasted from a Windows-1252 source.
        notice = Notice(
            SourceRef(name, bad_lines[0]),
            f"bytes that are not UTF-8 on lines {listed} were read as Windows-1252; the rest of the file is UTF-8",
        )
        return Sniffed(Encoding(utf8.codec, f"{utf8.label}, some lines Windows-1252", STRAY_BYTE_ERRORS), (notice,))
    return _check_lines(path, Encoding(detected, f"{detected} (detected)"), max_bytes)


def codec_name(name: str) -> str:
    """Python's name for an encoding; UTF-8 files may begin with a byte-order mark."""
    normal = codecs.lookup(name).name
    return "utf-8-sig" if normal == "utf-8" else normal


def _single_byte(codec: str) -> bool:
    return len(bytes(range(0x80, 0x100)).decode(codec, errors="replace")) == 0x80


def _listed(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED_LINES])
    return shown + (f" and {len(numbers) - MAX_LISTED_LINES} more" if len(numbers) > MAX_LISTED_LINES else "")


def _check_lines(path: Path, encoding: Encoding, max_bytes: int) -> Sniffed | Unreadable:
    """``encoding`` must decode every line (it is ASCII-compatible, so lines can be split as bytes)."""
    for number, raw in _raw_lines(path, max_bytes):
        if raw is None:
            continue
        if b"\x00" in raw:
            return Unreadable(f"binary file (NUL byte on line {number}), not text")
        try:
            raw.decode(encoding.codec)
        except UnicodeDecodeError as error:
            return Unreadable(f"not {encoding.label} text (line {number}: byte 0x{raw[error.start]:02x})")
    return Sniffed(encoding, ())


def _check_whole(path: Path, encoding: Encoding) -> Sniffed | Unreadable:
    with path.open("r", encoding=encoding.codec, newline="") as text:
        try:
            while text.read(READ_SIZE):
                pass
        except UnicodeDecodeError:
            return Unreadable(f"not {encoding.label} text")
    return Sniffed(encoding, ())


def lines(path: Path, encoding: Encoding, max_line_length: int) -> Iterator[Line]:
    """The file's lines, decoded, without line ends; universal newlines."""
    with path.open("rb") as binary:
        text = io.TextIOWrapper(binary, encoding=encoding.codec, errors=encoding.errors, newline=None)
        number = 0
        while True:
            line = text.readline(max_line_length + 1)
            if not line:
                return
            number += 1
            if len(line) > max_line_length and not line.endswith("\n"):
                while line and not line.endswith("\n"):
                    line = text.readline(max_line_length + 1)
                yield Line(number, None)
                continue
            yield Line(number, line.rstrip("\n"))
