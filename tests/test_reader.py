import datetime as dt
from pathlib import Path

import pytest

from generator.config import DumpFormat
from generator.reader import InputError, read_inputs
from tests.helpers import SEEDS, SEED_FILES

CATEGORIES = ("Industry", "Trade/Investment", "Energy")


def read(*paths: Path):
    return read_inputs(list(paths), DumpFormat(), CATEGORIES, "Uncategorized")


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_seeds_every_record_read():
    result = read(SEEDS)
    separators = sum(p.read_text(encoding="utf-8").split("\n").count("-") for p in SEED_FILES)
    assert len(result.records) == separators == 46
    assert result.rejections == () and result.notices == ()
    assert [f.name for f in result.files] == [p.name for p in SEED_FILES]


def test_seed_record_with_category_line():
    first = read(SEEDS).records[0]
    assert first.source.file == "000_ce7fcaf72f72fc76.txt" and first.source.line == 2
    assert first.category == "Industry" and first.category_given
    assert first.title == "Korea’s automobile exports record $6.5 billion in April"
    assert first.date == dt.date(2025, 5, 20)
    assert first.body.endswith("solid performance in the EU and non-U.S. markets.")
    assert "date2025" not in first.body


def test_seed_record_without_category_line():
    records = [r for r in read(SEEDS).records if r.source.file.startswith("003_")]
    assert len(records) == 8
    assert {r.category for r in records} == {"Uncategorized"}
    assert not any(r.category_given for r in records)
    assert records[0].title == "Korea’s ICT exports rebound in February" and records[0].source.line == 2


def test_truncated_body_keeps_its_cut_off_text():
    record = next(r for r in read(SEEDS).records if r.title == "Korea’s annual exports reach new highs in 2024")
    assert record.body.endswith("$61.4 billion and $54.9 billi")
    assert record.date == dt.date(2025, 1, 2)


def test_crlf_bom_blank_lines_and_trailing_spaces_read_like_the_original(tmp_path):
    original = SEED_FILES[0].read_text(encoding="utf-8")
    damaged = "\ufeff" + "\r\n".join(line + "  " for line in original.split("\n")).replace("\r\n-  \r\n", "\r\n\r\n-\r\n\r\n")
    clean = read(SEED_FILES[0]).records
    messy = read(write(tmp_path, SEED_FILES[0].name, damaged)).records
    assert [(r.title, r.date, r.category, r.body) for r in messy] == [(r.title, r.date, r.category, r.body) for r in clean]


def test_unusable_records_are_rejected_with_file_line_and_reason(tmp_path):
    dump = write(
        tmp_path,
        "bad.txt",
        "-\nIndustry\nNo date here\nSome body text without a date.\n"
        "-\nImpossible date\nBody text. date2025-02-30\n"
        "-\nIndustry\nBody only. date2025-01-05\n"
        "-\nBody line only. date2025-01-06\n"
        "-\nTitle with a bare date line\ndate2025-01-06\n"
        "-\nGood title\nGood body. date2025-01-07\n",
    )
    result = read(dump)
    reasons = {(r.source.line, r.reason.split(":")[0].split(" 2")[0]) for r in result.rejections}
    assert reasons == {(2, "no date"), (6, "impossible date"), (9, "no title"), (12, "no title"), (14, "no body")}
    assert [r.title for r in result.records] == ["Good title"]
    assert result.records_read == 6


def test_missing_and_doubled_separators(tmp_path):
    dump = write(
        tmp_path,
        "seps.txt",
        "-\n-\nEnergy\nFirst\nFirst body. date2025-03-01\nSecond\nSecond body. date2025-03-02\n-\n\n-\n",
    )
    result = read(dump)
    assert [(r.title, r.category, r.source.line) for r in result.records] == [
        ("First", "Energy", 3),
        ("Second", "Uncategorized", 6),
    ]


def test_unknown_category_kept_with_a_warning(tmp_path):
    result = read(write(tmp_path, "cat.txt", "-\nPress\nA title\nA body. date2025-03-01\n"))
    assert result.records[0].category == "Press"
    assert [str(n) for n in result.notices] == [
        "cat.txt:2: warning: category 'Press' is not one of the configured categories"
    ]


def test_multi_line_body_keeps_paragraphs(tmp_path):
    result = read(write(tmp_path, "p.txt", "-\nTrade/Investment\nA title\nPara one.\nPara two.\ndate2025-03-01\n"))
    record = result.records[0]
    assert (record.category, record.title, record.body) == ("Trade/Investment", "A title", "Para one.\nPara two.")


def test_binary_and_undecodable_files_rejected_whole(tmp_path):
    write(tmp_path, "a.txt", b"\x00\x01\x02binary")
    write(tmp_path, "b.txt", "-\nTitle\nKorea\x92s body date2025-01-01\n".encode("latin-1"))
    result = read(tmp_path)
    assert [(r.source.file, r.source.line) for r in result.rejections] == [("a.txt", 0), ("b.txt", 0)]
    assert "NUL" in result.rejections[0].reason and "0x92" in result.rejections[1].reason
    assert result.records_read == 0


def test_folders_read_recursively_with_paths_under_the_root(tmp_path):
    write(tmp_path, "x.txt", "-\nOne\nBody. date2025-01-01\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "y.txt", "-\nTwo\nBody. date2025-01-02\n")
    write(tmp_path, "notes.md", "-\nIgnored\nBody. date2025-01-03\n")
    assert [r.source.file for r in read(tmp_path).records] == ["sub/y.txt", "x.txt"]


def test_missing_input_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        read(tmp_path / "nope")


def test_control_characters_and_line_separators_become_spaces(tmp_path):
    result = read(write(tmp_path, "c.txt", "-\nA\x85title\u2028here\x07\nBody\x1b[31m text. date2025-01-01\n"))
    assert [(r.title, r.body) for r in result.records] == [("A title here", "Body [31m text.")]
