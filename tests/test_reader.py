import datetime as dt
import json
import os
import re
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
    assert [f.file for f in result.files] == [p.name for p in SEED_FILES]


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


def test_binary_empty_and_undetectable_files_rejected_whole(tmp_path):
    write(tmp_path, "a.txt", b"-\nTitle\nBody \x00\x01\x02 date2025-01-01\n")
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", bytes(range(0x80, 0x100)) * 4)
    result = read(tmp_path)
    assert [(r.source.file, r.source.line) for r in result.rejections] == [("a.txt", 0), ("b.txt", 0), ("c.txt", 0)]
    reasons = [r.reason for r in result.rejections]
    assert "NUL byte on line 3" in reasons[0] and reasons[1] == "empty file"
    assert reasons[2].startswith("not UTF-8 (lines 1) nor cp1252, cp949")
    assert result.records_read == 0 and [f.unreadable for f in result.files] == reasons


KOREAN = "산업통상자원부는 수출이 늘었다고 밝혔다"


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with byte-order mark"), ("utf-16", "UTF-16 with byte-order mark"),
     ("cp1252", "cp1252 (detected)"), ("latin-1", "cp1252 (detected)"), ("cp949", "cp949 (detected)")],
)
def test_encodings_decoded_without_mojibake(tmp_path, encoding, label):
    korean = encoding in ("utf-8", "utf-8-sig", "utf-16", "cp949")
    curly = encoding != "latin-1"  # Latin-1 has no curly quotes; its é and ü are what it can say
    title = "Korea’s “record” exports" if curly else "Café société in Zürich"
    body = (f"{KOREAN}: " if korean else "") + ("Korea’s exports: a “record”." if curly else "Naïve façade, Malmö.")
    write(tmp_path, "e.txt", f"-\nIndustry\n{title}\n{body} date2025-05-01\n".encode(encoding))
    result = read(tmp_path)
    assert [(r.title, r.body) for r in result.records] == [(title, body)]
    assert result.files[0].encoding == label and not result.rejections and not result.notices


def test_utf8_file_with_a_pasted_windows_1252_line_keeps_both(tmp_path):
    data = "-\nIndustry\nKorea’s exports\nUTF-8 text — fine. date2025-05-01\n".encode()
    data += b"-\nEnergy\nPasted title\nKorea\x92s grid \x96 pasted. date2025-05-02\n"
    result = read(write(tmp_path, "m.txt", data))
    assert [r.body for r in result.records] == ["UTF-8 text — fine.", "Korea’s grid – pasted."]
    assert [str(n) for n in result.notices] == [
        "m.txt:8: warning: bytes that are not UTF-8 on lines 8 were read as Windows-1252; the rest of the file is UTF-8"
    ]


def test_file_cut_off_mid_character_keeps_its_records(tmp_path):
    data = "-\nIndustry\nA title\nA body. date2025-05-01\n-\nEnergy\nCut\nThe text stops ’".encode()[:-2]
    result = read(write(tmp_path, "t.txt", data))
    assert [r.title for r in result.records] == ["A title"]
    assert [str(r) for r in result.rejections] == ["t.txt:6: no date: the record does not end in 'dateYYYY-MM-DD'"]
    assert [str(n) for n in result.notices] == ["t.txt:8: warning: the file ends in the middle of a character: it was cut off"]


def test_configured_encoding_is_used_and_checked(tmp_path):
    write(tmp_path, "k.txt", f"-\n{KOREAN}\n{KOREAN}. date2025-05-01\n".encode("cp949"))
    result = read_inputs([tmp_path], DumpFormat(encoding="cp949"), CATEGORIES, "Uncategorized")
    assert [r.title for r in result.records] == [KOREAN] and result.files[0].encoding == "cp949"
    result = read_inputs([tmp_path], DumpFormat(encoding="utf-8"), CATEGORIES, "Uncategorized")
    assert [r.reason for r in result.rejections] == ["not utf-8 text (line 2: byte 0xbb)"]


def test_over_long_lines_rejected_without_being_held(tmp_path):
    long_body = "word " * 300
    data = f"-\nIndustry\nShort\nFine. date2025-05-01\n-\nIndustry\nLong\n{long_body}date2025-05-02\n-\nEnergy\nAfter\nFine too. date2025-05-03\n"
    result = read_inputs([write(tmp_path, "l.txt", data)], DumpFormat(max_line_length=1000), CATEGORIES, "Uncategorized")
    assert [r.title for r in result.records] == ["Short", "After"]
    assert [str(r) for r in result.rejections] == ["l.txt:6: line 8 is longer than 1,000 characters (dump.max_line_length)"]


def test_impossible_future_and_missing_dates(tmp_path):
    data = "-\nA\nBody. date2025-02-30\n-\nB\nBody. date2099-01-01\n-\nC\nBody with no date\n-\nD\nBody. date2025-13-01\n"
    result = read_inputs([write(tmp_path, "d.txt", data)], DumpFormat(), CATEGORIES, "Uncategorized", dt.date(2026, 1, 1))
    assert [r.title for r in result.records] == ["B"]
    assert [str(r) for r in result.rejections] == [
        "d.txt:2: impossible date 2025-02-30",
        "d.txt:8: no date: the record does not end in 'dateYYYY-MM-DD'",
        "d.txt:11: impossible date 2025-13-01",
    ]
    assert [str(n) for n in result.notices] == ["d.txt:5: warning: date 2099-01-01 is in the future"]


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


def test_json_lines_read_like_a_dump(tmp_path):
    lines = [
        {"title": "Korea’s exports", "date": "2025-05-01", "category": "trade/investment", "body": "Line one.\n\nLine two."},
        {"title": "No category", "date": "2025-05-02T09:00:00+09:00", "body": "Body.", "url": "https://example.org/x", "lede": ""},
        {"title": "", "date": "2025-05-03", "body": "Body."},
        {"title": "Numbered", "date": 20250504, "body": "Body."},
        {"title": "Bad date", "date": "2025-02-30", "body": "Body."},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + '\n\n{"title": "cut off", "da\n[1, 2]\n'
    result = read(write(tmp_path, "r.jsonl", text))
    assert [(r.title, r.date, r.category, r.category_given, r.body, r.source_url) for r in result.records] == [
        ("Korea’s exports", dt.date(2025, 5, 1), "Trade/Investment", True, "Line one.\nLine two.", ""),
        ("No category", dt.date(2025, 5, 2), "Uncategorized", False, "Body.", "https://example.org/x"),
    ]
    assert [str(r) for r in result.rejections] == [
        "r.jsonl:3: no title",
        "r.jsonl:4: 'date' is a number, not text",
        "r.jsonl:5: impossible date 2025-02-30",
        "r.jsonl:7: not JSON: Unterminated string starting at: line 1 column 22 (char 21)",
        "r.jsonl:8: not a JSON object but a list",
    ]
    assert [str(n) for n in result.notices] == ["r.jsonl:1: warning: keys ignored: lede"]
    assert result.files[0].format == "JSON Lines" and result.records_read == 7


def test_csv_read_like_a_dump_with_multi_line_fields(tmp_path):
    text = (
        'id,date,title,category,body\r\n'
        '1,2025-05-01,"Korea’s ""record"" exports",Industry,"First paragraph.\r\nSecond, with a comma."\r\n'
        '2,2025-05-02,No body,Energy,\r\n'
        '\r\n'
        '3,2025-05-03,Too few fields\r\n'
        '4,2025-05-04,"Quote "" inside",,Fine.\r\n'
        '5,2025-05-05,"Open quote,Energy,never closed\r\n'
    )
    result = read(write(tmp_path, "r.csv", text))
    assert [(r.title, r.category, r.body, r.source.line, r.source.last_line) for r in result.records] == [
        ("Korea’s \"record\" exports", "Industry", "First paragraph.\nSecond, with a comma.", 2, 3),
        ("Quote \" inside", "Uncategorized", "Fine.", 7, 7),
    ]
    assert [str(r) for r in result.rejections] == [
        "r.csv:4: no body: the record has a title but no text",
        "r.csv:6: 3 fields where the header has 5",
        "r.csv:8: not valid CSV: unexpected end of data",
    ]
    assert [str(n) for n in result.notices] == ["r.csv:1: warning: columns ignored: id"]


def test_csv_without_the_needed_columns_is_rejected_with_its_header(tmp_path):
    result = read(write(tmp_path, "h.csv", "headline,when,text\nA,2025-01-01,B\n"))
    assert [str(r) for r in result.rejections] == [
        "h.csv:0: the CSV header (line 1) has no column title, date, body (found: headline, when, text)"
    ]
    assert result.records_read == 0 and result.files[0].unreadable.startswith("the CSV header")
    renamed = DumpFormat(fields={"title": "headline", "date": "when", "body": "text"})
    records = read_inputs([tmp_path / "h.csv"], renamed, CATEGORIES, "Uncategorized").records
    assert [(r.title, r.body) for r in records] == [("A", "B")]


def test_configured_encoding_files_are_checked_for_nul_and_fit(tmp_path):
    write(tmp_path, "b.txt", "-\nTitle\nBody here. date2025-01-01\n".encode("utf-16-le"))
    write(tmp_path, "c.txt", "-\nTitle\nBody ü. date2025-01-01\n".encode("utf-16-le")[:-1])
    result = read_inputs([tmp_path], DumpFormat(encoding="utf-16-le"), CATEGORIES, "Uncategorized")
    assert [r.title for r in result.records] == ["Title"] and result.files[0].encoding == "utf-16-le"
    assert [str(r) for r in result.rejections] == ["c.txt:0: not utf-16-le text"]
    write(tmp_path, "a.txt", b"-\nTitle\nBody \x00 here. date2025-01-01\n")
    result = read_inputs([tmp_path / "a.txt"], DumpFormat(encoding="cp949"), CATEGORIES, "Uncategorized")
    assert [str(r) for r in result.rejections] == ["a.txt:0: binary file (NUL byte on line 3), not text"]


def test_json_that_python_cannot_hold_is_rejected_and_the_rest_read(tmp_path):
    lone = '{"title": "Lone \\ud800 half", "date": "2025-01-02", "body": "Body."}'
    deep = "[" * 5000 + "]" * 5000
    good = '{"title": "Fine", "date": "2025-01-03", "body": "Another body."}'
    result = read(write(tmp_path, "x.jsonl", "\n".join([lone, deep, good]) + "\n"))
    assert [str(r) for r in result.rejections] == [
        "x.jsonl:1: 'title' holds \\ud800, half of a character pair: not text",
        "x.jsonl:2: JSON nested too deeply to read",
    ]
    assert [r.title for r in result.records] == ["Fine"]


def test_a_file_name_that_is_not_utf8_is_rejected_by_a_readable_name(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text("-\nA title\nA body. date2025-01-05\n-\n", encoding="utf-8")
    name = b"bad\xffname.txt"
    with open(bytes(tmp_path / "in") + b"/" + name, "wb") as dump:
        dump.write(b"-\nAnother title\nA body. date2025-01-06\n-\n")
    result = read(tmp_path / "in")
    assert [str(r) for r in result.rejections] == ["bad\\xffname.txt:0: the file name is not valid UTF-8: rename the file"]
    assert [r.title for r in result.records] == ["A title"]
    json.dumps([str(r) for r in result.rejections]).encode("utf-8")  # the report can hold it


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "open.txt").write_text("-\nA title\nA body. date2025-01-05\n-\n", encoding="utf-8")
    (tmp_path / "in" / "locked" / "y.txt").write_text("-\nHidden\nA body. date2025-01-06\n-\n", encoding="utf-8")
    scandir = os.scandir

    def refuse(path):  # what a folder without read permission does (root reads it anyway, so the fault is injected)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = read(tmp_path / "in")
    assert [str(r) for r in result.rejections] == ["locked/:0: cannot read folder: Permission denied"]
    assert [r.title for r in result.records] == ["A title"]


def test_the_same_name_under_two_inputs_is_told_apart_by_its_folders(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"-\nFrom {folder}\nA body. date2025-01-05\n-\n", encoding="utf-8")
    result = read(tmp_path / "a", tmp_path / "b")
    assert [(r.source.file, r.title) for r in result.records] == [("a/x.txt", "From a"), ("b/x.txt", "From b")]
    assert [r.source.file for r in read(tmp_path / "a").records] == ["x.txt"]  # alone, no folder is needed


def test_inputs_that_are_neither_file_nor_folder_say_what_they_are(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for name, expected in (("pipe", "a named pipe (FIFO), not a file or folder of input"), ("loop1", "a loop of symbolic links"),
                           ("dangling", "a symbolic link to nothing"), ("missing", "no such file or folder")):
        with pytest.raises(InputError, match=rf": {re.escape(expected)}$"):
            read(tmp_path / name)


def test_an_invisible_title_is_no_title_and_a_direction_override_ends_with_its_text(tmp_path):
    dump = "-\n\u200d \u200b\u2060\nA body under an invisible title. date2025-01-05\n"
    dump += "-\nAbc \u202eevil \u2067open isolate\nA body with \u202bembedded text. date2025-01-06\n-\n"
    result = read(write(tmp_path, "x.txt", dump))
    assert [str(r) for r in result.rejections] == ["x.txt:3: no title"]  # the invisible line reads as blank
    (record,) = result.records
    assert record.title == "Abc \u202eevil \u2067open isolate\u2069\u202c"  # closed innermost first
    assert record.body == "A body with \u202bembedded text.\u202c"


def test_a_short_title_over_two_paragraphs_is_a_title_and_a_date_mid_record_is_told(tmp_path):
    dump = "-\nShort title\nThe first paragraph of the body.\nThe second paragraph. date2025-03-01\n"
    dump += "-\nA title\nA body that quotes a line ending in date2025-03-02\nand goes on. date2025-03-03\n-\n"
    result = read(write(tmp_path, "grammar.txt", dump))
    first = result.records[0]
    assert (first.title, first.category, first.category_given) == ("Short title", "Uncategorized", False)
    assert first.body == "The first paragraph of the body.\nThe second paragraph."
    assert [str(n) for n in result.notices] == [
        "grammar.txt:8: warning: no '-' line before this record: line 7 ends in a date, so it ended the record before"
        " (if that date is part of a text, the record was cut there)"
    ]
