"""Property-based: no text or bytes make the reader raise, and every record is accounted for.

"Accounted for" for a dump: every line that is neither blank nor a separator lies in exactly
one outcome, a record or a rejection, whose span (``line`` to ``last_line``) covers it; the
spans never overlap; a record's title is one of its lines.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import DumpFormat
from generator.parsers import DumpParser
from generator.reader import read_inputs
from generator.recordcheck import RecordChecker, clean

CATEGORIES = ("Industry", "Trade/Investment", "Energy")
TODAY = dt.date(2026, 1, 1)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LINE_END = re.compile(r"\r\n|\r|\n")

# Lines a dump is made of, damaged ones among them.
dump_lines = st.one_of(
    st.just("-"),
    st.just(" - "),
    st.just(""),
    st.sampled_from(CATEGORIES + ("energy", "Unknown cat", "<b>x</b>")),
    st.text(min_size=1, max_size=40),
    st.builds(
        lambda text, date: f"{text} date{date}",
        st.text(max_size=60),
        st.one_of(st.dates().map(dt.date.isoformat), st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True)),
    ),
    st.from_regex(r"date\d{4}-\d\d-\d\d", fullmatch=True),
)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


def read_bytes(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return read_inputs([path], DumpFormat(), CATEGORIES, "Uncategorized", TODAY)


def assert_consistent(result) -> None:
    assert result.records_read == len(result.records) + sum(1 for r in result.rejections if r.source.line > 0)
    (file,) = result.files
    assert file.records == len(result.records)
    assert file.rejected == sum(1 for r in result.rejections if r.source.line > 0)
    assert bool(file.unreadable) == any(r.source.line == 0 for r in result.rejections)
    for record in result.records:
        assert record.title and record.body and record.title == clean(record.title)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".jsonl", ".csv"]))
def test_any_bytes_never_crash_the_reader(data, suffix):
    assert_consistent(read_bytes(data, suffix))


@PROPERTY_SETTINGS
@given(st.text(max_size=2000), st.sampled_from([".txt", ".jsonl", ".csv"]), st.sampled_from(["utf-8", "utf-16", "cp949"]))
def test_any_text_in_any_encoding_never_crashes_the_reader(text, suffix, encoding):
    assert_consistent(read_bytes(text.encode(encoding, errors="replace"), suffix))


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(dump_lines, line_ends), max_size=60))
def test_every_dump_line_belongs_to_exactly_one_record_or_rejection(pieces):
    text = "".join(line + end for line, end in pieces)
    result = read_bytes(text.encode("utf-8"), ".txt")
    assert_consistent(result)
    if result.files[0].unreadable:  # a NUL byte: the whole file is rejected, with its reason
        assert ("\x00" in text or not text) and not result.records and result.records_read == 0
        return
    lines = _LINE_END.split(text)
    content = {n for n, line in enumerate(lines, start=1) if clean(line) not in ("", "-")}
    spans = sorted(
        (outcome.source.line, outcome.source.last_line) for outcome in (*result.records, *result.rejections)
    )
    covered = [n for first, last in spans for n in range(first, last + 1) if n in content]
    assert sorted(covered) == sorted(content), "a line is in no outcome, or in two"
    assert all(first <= last for first, last in spans)
    assert all(a_last < b_first for (_a, a_last), (b_first, _b) in zip(spans, spans[1:]))
    for record in result.records:
        span = [clean(lines[n - 1]) for n in range(record.source.line, record.source.last_line + 1)]
        assert record.title in span


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(st.text(max_size=80), st.dictionaries(st.sampled_from(["title", "date", "category", "body", "x"]),
                                                                  st.one_of(st.text(max_size=30), st.integers(), st.none()))),
                max_size=30))
def test_every_json_line_is_a_record_or_a_rejection(items):
    import json

    lines = [item if isinstance(item, str) else json.dumps(item) for item in items]
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    result = read_bytes(("\n".join(lines) + "\n").encode("utf-8"), ".jsonl")
    assert_consistent(result)
    if result.files[0].unreadable:
        assert any("\x00" in line for line in lines) and result.records_read == 0
        return
    non_blank = [n for n, line in enumerate(lines, start=1) if line.strip()]
    outcomes = sorted(o.source.line for o in (*result.records, *result.rejections) if o.source.line > 0)
    assert outcomes == non_blank


# The dated-line test as a regular expression, as it was written before it looked from the
# end of the line (a line is thousands of characters long; the expression scanned all of them).
_DATED_LINE = re.compile(r"^(?P<body>.*?)(?:^|\s)date(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.DOTALL)


@PROPERTY_SETTINGS
@given(
    st.text(alphabet=st.sampled_from("ab date-0123456789\u00a0\t٣"), max_size=40),
    st.sampled_from(["", " ", "\u2003", "x"]),
    st.one_of(st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True), st.just("2025-1-01"), st.just("")),
    st.sampled_from(["", " ", "  "]),
)
def test_a_dated_line_is_found_from_its_end_as_the_expression_finds_it(before, gap, date, after):
    line = clean(f"{before}{gap}date{date}{after}")
    match = _DATED_LINE.match(line)
    expected = None if match is None else (match["body"].strip(), match["date"])
    parser = DumpParser(DumpFormat(), RecordChecker(CATEGORIES, "Uncategorized", TODAY, 1, dt.date(1900, 1, 1)))
    assert parser._dated(line) == expected
