"""The adversarial corpus (tests/adversarial/files) end to end: every record accounted for,
every file decoded right or rejected with a reason, every hostile text shown literally,
and `mkdocs build --strict` passing on the site made from it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
import yaml

from generator.markup import html_text
from tests.adversarial import make
from tests.helpers import make_project, page

pytestmark = pytest.mark.e2e
CORPUS = sorted(make.FILES.iterdir())
SAFE_RELEASE_URL = re.compile(r"releases/\d{4}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*/")
MOJIBAKE = re.compile("[\u0080-\u009f\ufffd]|Ã|â€|Â|ì‚")

EXPECTED_REJECTIONS = [
    "empty.txt:0: empty file",
    "image.txt:0: binary file (NUL byte on line 4), not text",
    "nul.txt:0: binary file (NUL byte on line 4), not text",
    "random.txt:0: not UTF-8 (lines 1) nor cp1252, cp949: re-save it as UTF-8",
    "damaged.txt:17: impossible date 2025-02-30",
    "damaged.txt:25: no date: the record does not end in 'dateYYYY-MM-DD'",
    "damaged.txt:29: no title",
    "damaged.txt:31: no body: the record has a title but no text",
    "damaged.txt:35: no title and no body",
    "damaged.txt:38: no date: the record does not end in 'dateYYYY-MM-DD'",
    "grammar.txt:2: no title",  # zero-width characters only
    "grammar.txt:10: date 0001-09-03 is before earliest_date (1900-01-01)",
    "grammar.txt:20: no title",  # what follows a date line inside a body (warned about too)
    "records.csv:5: 3 fields where the header has 5",
    "records.csv:6: no date: expected YYYY-MM-DD, found 'not a date'",
    "records.jsonl:3: not JSON: Unterminated string starting at: line 1 column 39 (char 38)",
    "records.jsonl:4: not a JSON object but a list",
    "records.jsonl:5: 'title' is a number, not text",
    "records.jsonl:6: impossible date 2025-02-30",
    "records.jsonl:7: no title",
    "records.jsonl:8: 'title' holds \\ud800, half of a character pair: not text",
    "records.jsonl:9: JSON nested too deeply to read",
]
EXPECTED_WARNINGS = [
    "damaged.txt:13: warning: no '-' line before this record: line 12 ends in a date, so it ended the record before"
    " (if that date is part of a text, the record was cut there)",
    "damaged.txt:21: warning: date 2205-03-01 is in the future",
    "grammar.txt:20: warning: no '-' line before this record: line 19 ends in a date, so it ended the record before"
    " (if that date is part of a text, the record was cut there)",
    "hostile.txt:296: warning: category '<b>Bold</b> cat' is not one of the configured categories",
    "hostile.txt:300: warning: category 'Trade Investment' is not one of the configured categories",
    "mixed.txt:8: warning: bytes that are not UTF-8 on lines 8 were read as Windows-1252; the rest of the file is UTF-8",
    "only-separators.txt:0: warning: no records in this file",
    "records.csv:1: warning: columns ignored: source_url",
    # The corpus names no country or organisation the vocabularies know: nothing to tag by.
    "places.yml:0: warning: the place vocabulary tags none of the 41 releases: are its words those of these releases"
    " (their organisation, their language)? The site has no place pages",
    "organizations.yml:0: warning: the organization vocabulary tags none of the 41 releases: are its words those of"
    " these releases (their organisation, their language)? The site has no organization pages",
]


@pytest.fixture(scope="module")
def archive(adversarial):
    project, _result = adversarial
    return json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]


def test_committed_corpus_is_what_the_maker_writes():
    assert {p.name: p.read_bytes() for p in CORPUS} == make.corpus(), "run: python -m tests.adversarial.make"


def test_every_record_is_a_page_a_merge_or_a_rejection_with_file_line_and_reason(adversarial):
    project, result = adversarial
    report = json.loads(project.report.read_text(encoding="utf-8"))
    problems = [line for line in result.stderr.splitlines() if not line.startswith(("press-archive:", "INFO"))]
    assert problems == EXPECTED_REJECTIONS + EXPECTED_WARNINGS
    assert report["records_read"] == report["releases"] + report["merged"] + len(report["rejected"])
    files = {f["file"]: f for f in report["files"]}
    assert len(files) == len(CORPUS) == report["files_read"]
    assert sum(f["records"] + f["rejected"] for f in files.values()) == report["records_read"]
    assert {f["file"] for f in report["unreadable_files"]} == {n for n, f in files.items() if "unreadable" in f}
    assert report["merged"] == 0 and report["near_duplicates"] == 0


def test_exit_codes(adversarial, tmp_path):
    project, _result = adversarial
    assert project.cli("generate").returncode == 0  # problems reported, site generated
    assert project.cli("generate", "--strict").returncode == 1  # … and fatal under --strict
    assert project.cli("generate", str(tmp_path / "missing")).returncode == 2  # nothing to read


def test_every_encoding_decoded_without_mojibake(adversarial, archive):
    project, _result = adversarial
    files = {f["file"]: f["encoding"] for f in json.loads(project.report.read_text())["files"]}
    assert {name: files[name] for name in ("cp1252.txt", "latin1.txt", "cp949.txt", "utf16.txt", "mixed.txt", "damaged.txt")} == {
        "cp1252.txt": "cp1252 (detected)",
        "latin1.txt": "cp1252 (detected)",
        "cp949.txt": "cp949 (detected)",
        "utf16.txt": "UTF-16 with byte-order mark",
        "mixed.txt": "UTF-8, some lines Windows-1252",
        "damaged.txt": "UTF-8 with byte-order mark",
    }
    titles = {r["title"] for r in archive}
    assert {make.ENCODED_TITLE, make.LATIN1_TITLE, f"{make.KOREAN} - no", f"UTF-16 {make.ENCODED_TITLE}"} <= titles
    bodies = {(r["sources"][0]["file"], r["sources"][0]["line"]): r["body"] for r in archive}
    assert bodies["cp1252.txt", 2].startswith(make.ENCODED_BODY) and bodies["latin1.txt", 2].startswith(make.LATIN1_BODY)
    assert bodies["mixed.txt", 2].startswith("A UTF-8 body — fine.") and bodies["mixed.txt", 6] == "Korea’s grid – pasted."
    for release in archive:
        assert not MOJIBAKE.search(release["title"] + release["body"]), release["title"]


def test_damaged_dump_keeps_every_readable_record(archive):
    damaged = {r["title"]: r for r in archive if r["sources"][0]["file"] == "damaged.txt"}
    assert sorted(damaged) == [
        "A date far in the future",
        "A record after blank lines and trailing spaces",
        "Separator missing after this one",
        "So this one starts straight after",
    ]
    assert damaged["A record after blank lines and trailing spaces"]["body"] == "Its body is fine."
    assert damaged["So this one starts straight after"]["sources"] == [{"file": "damaged.txt", "line": 13}]


def test_hostile_titles_and_bodies_show_exactly_as_written_at_safe_urls(adversarial, archive):
    project, _result = adversarial
    by_title = {r["title"]: r for r in archive}
    assert set(make.HOSTILE_TITLES) <= set(by_title)
    for title in make.HOSTILE_TITLES:
        release = by_title[title]
        assert SAFE_RELEASE_URL.fullmatch(release["url"]) and release["url"].startswith("releases/2025/06/")
        assert len(release["url"]) < 120
        html = page(project.site, release["url"])
        assert html.select_one("h1").get_text() == title
        assert html.select_one("title").get_text().startswith(title)
        paragraphs = [p.get_text() for p in html.select(".pa-release-text p")]
        assert paragraphs[: len(make.HOSTILE_BODY)] == make.HOSTILE_BODY
        content = html.select_one("article")
        assert not content.select("script, style, iframe, img, table, blockquote, pre, code:not(.pa-provenance code), h2:not(#related-releases)")
        assert not [a for a in content.select("a[href]") if a["href"].lower().startswith("javascript")]
        assert not [tag for tag in html.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]


def test_front_matter_of_every_generated_page_is_valid_yaml_holding_the_title(adversarial, archive):
    project, _result = adversarial
    for release in archive:
        text = (project.docs / release["url"] / "index.md").read_text(encoding="utf-8")
        front, _sep, _rest = text[4:].partition("\n---\n")
        meta = yaml.safe_load(front)
        assert meta["title"] == html_text(release["title"]) and meta["date"].isoformat() == release["date"]


def test_categories_from_the_input_get_their_own_pages_even_when_they_slug_alike(adversarial, archive):
    project, _result = adversarial
    categories = {r["category"]: r["title"] for r in archive if r["date"].startswith("2025-07")}
    assert categories == {
        "<b>Bold</b> cat": "A category that is markup",
        "Trade Investment": "A category that slugs like another",
        "Trade/Investment": "The configured category it slugs like",
    }
    listed = {}
    for url in ("categories/trade-investment/", "categories/trade-investment-2/", "categories/b-bold-b-cat/"):
        html = page(project.site, url)
        listed[html.select_one("h1").get_text()] = [a.get_text() for a in html.select("article li a")]
    assert listed == {
        "Trade/Investment": ["The configured category it slugs like"],
        "Trade Investment": ["A category that slugs like another"],
        "<b>Bold</b> cat": ["A category that is markup"],
    }


def test_tabular_records_read_like_dump_records(archive):
    by_file = {}
    for release in archive:
        by_file.setdefault(release["sources"][0]["file"], []).append(release)
    jsonl = sorted(by_file["records.jsonl"], key=lambda r: r["date"])
    assert [(r["title"], r["body"], r["date"]) for r in jsonl] == [
        (make.TABULAR[0]["title"], make.TABULAR[0]["body"], "2025-08-01"),
        (make.TABULAR[1]["title"], make.TABULAR[1]["body"], "2025-08-02"),
    ]
    assert [(r["category"], r["category_inferred"]) for r in jsonl][0] == ("Industry", False)
    assert jsonl[1]["category_inferred"] is True  # no category given: inferred, and marked so
    csv_titles = sorted(r["title"] for r in by_file["records.csv"])
    assert csv_titles == ["<img src=x onerror=\"window.__pwned='csv'\"> From CSV", "= formula-looking title"]


def test_nothing_is_written_outside_the_output_folder_and_authored_files_are_untouched(tmp_path):
    project = make_project(tmp_path / "project", inputs=CORPUS)
    authored = {p: p.read_bytes() for p in project.docs.rglob("*") if p.is_file()}
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.docs / "releases").mkdir()
    (project.docs / "releases" / "2025").symlink_to(outside, target_is_directory=True)
    before = {p for p in tmp_path.rglob("*")}
    result = project.cli("generate")
    assert result.returncode == 2 and "symbolic link" in result.stderr and "Traceback" not in result.stderr
    # Only the cache may have been written: Pagefind indexes the shards while the pages are rendered.
    cache = project.root / "build"
    assert {p for p in tmp_path.rglob("*") if p != cache and cache not in p.parents} == before
    assert not any(outside.iterdir())
    (project.docs / "releases" / "2025").unlink()
    assert project.cli("generate").returncode == 0
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - {p for p in before if p.is_file()}
    allowed = (project.docs, project.report, project.root / "data" / "permalinks.yml", project.root / "build" / "cache")
    assert all(any(p == a or a in p.parents for a in allowed) for p in written)
    assert {p: p.read_bytes() for p in authored} == authored


def test_a_50_mb_dump_is_streamed_in_bounded_memory(tmp_path):
    dump = tmp_path / "big.txt"
    with dump.open("w", encoding="utf-8") as out:
        out.write("-\nIndustry\nOne line of 30 MB\n" + "x" * 30_000_000 + "\n")
        record = "-\nIndustry\nA title without a date\n" + "A body line of a record that never ends in a date. " * 20 + "\n"
        while out.tell() < 50_000_000:
            out.write(record)
        out.write("-\nIndustry\nThe last record\nIts body. date2025-01-01\n")
    script = textwrap.dedent(f"""
        import resource, sys
        from pathlib import Path
        from generator.config import DumpFormat
        from generator.reader import read_inputs
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = read_inputs([Path({str(dump)!r})], DumpFormat(), ("Industry",), "Uncategorized")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(len(result.records), len(result.rejections), result.rejections[0].reason, (after - before) // 1024)
    """)
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    records, rejections, growth_mb = int(output[0]), int(output[1]), int(output[-1])
    assert records == 1 and rejections > 15_000
    assert " ".join(output[2:-1]) == "line 4 is longer than 1,000,000 characters (dump.max_line_length)"
    assert growth_mb < 30, f"reading a 50 MB dump grew the process by {growth_mb} MB"


def test_a_direction_override_in_a_title_ends_with_the_title_in_its_listing(adversarial, archive):
    project, _result = adversarial
    (release,) = [r for r in archive if "evil title reversed" in r["title"]]
    assert release["title"].endswith("\u202c")
    month = (project.site / "archive" / "2025" / "09" / "index.html").read_text(encoding="utf-8")
    assert "evil title reversed\u202c</a>" in month  # closed before the category that follows in the line
    (short,) = [r for r in archive if r["title"] == "Short title"]
    assert short["body"].startswith("The first paragraph of a body.") and short["category"] != "Short title"
