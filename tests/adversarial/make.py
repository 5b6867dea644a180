"""Write the adversarial corpus: input files broken in every way scrapers break them.

The files are committed (``.gitattributes`` keeps git from touching their bytes); this
script is how they were made and how to remake them after a deliberate change:

    python -m tests.adversarial.make

``tests/test_adversarial.py`` checks that the committed files are what this writes, then
what the generator makes of each one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

# Titles that must show exactly as written, at a safe URL under releases/YYYY/MM/.
HOSTILE_TITLES = [
    "<script>window.__pwned = 'title'; alert('title')</script>",
    '<img src=x onerror="window.__pwned=\'img\'"> & <b onmouseover=alert(1)>friends</b>',
    '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
    "# Not a heading *nor emphasis* __nor bold__ [a link](javascript:window.__pwned='md')",
    "![an image](https://tracker.example/pixel.png) | a | table | <https://autolink.example>",
    "{{ config.site_name }} {% include 'secrets' %} {# comment #}",
    "key: value # not a comment",
    "- a leading dash",
    "---",
    "\"double\" and 'single' quotes",
    "& anchor * alias ! tag [brackets] {braces} | pipe > fold % at @ `tick`",
    "&lt;already escaped&gt; &amp; &#x3C;script&#x3E;",
    "!!!",
    "—",
    "🎉🎉🎉",
    "한국 보도자료",
    "../../etc/passwd",
    "CON",
    "index",
    "C:\\Windows\\System32\\drivers",
    "Trade " * 166 + "ends",  # 1,000 characters
]

HOSTILE_BODY = [
    "<script>window.__pwned = 'body'; alert('body')</script> <style>body { display: none }</style>",
    '<a href="javascript:window.__pwned=\'a\'" onclick="window.__pwned=\'click\'">click me</a> <iframe src=x></iframe>',
    "## Not a heading either",
    "| a | b |",
    "|---|---|",
    "| 1 | 2 |",
    "> not a quote, **not bold**, `not code`, [not a link](https://example.org \"t\") <!-- not a comment -->",
    "```",
    "not a fence",
    "{{ page.title }} {% if true %}jinja{% endif %} :material-alert: [^1] *[abbr]: not an abbreviation",
]


def hostile_dump() -> str:
    records = []
    for number, title in enumerate(HOSTILE_TITLES, start=1):
        own = " ".join(f"h{number}w{i}" for i in range(200))  # mostly its own words: no near-duplicates
        body = "\n".join(HOSTILE_BODY) + f"\nRecord {number}: {own}. date2025-06-{number:02d}"
        records.append(f"-\nEnergy\n{title}\n{body}\n")
    records.append("-\n<b>Bold</b> cat\nA category that is markup\nIts body, with words of its own. date2025-07-01\n")
    records.append("-\nTrade Investment\nA category that slugs like another\nIts body, also its own. date2025-07-02\n")
    records.append("-\nTrade/Investment\nThe configured category it slugs like\nA body of yet other words. date2025-07-03\n")
    return "".join(records)


def damaged_dump() -> bytes:
    """CRLF, a byte-order mark, blank lines, trailing spaces, separators missing and doubled, bad dates, a cut-off end."""
    text = (
        "-  \r\n"
        "Industry   \r\n"
        "\r\n"
        "A record after blank lines and trailing spaces  \r\n"
        "Its body is fine. date2025-03-01   \r\n"
        "-\r\n-\r\n\r\n-\r\n"
        "Energy\r\n"
        "Separator missing after this one\r\n"
        "First body. date2025-03-02\r\n"
        "Energy\r\n"
        "So this one starts straight after\r\n"
        "Second body. date2025-03-03\r\n"
        "-\r\n"
        "Industry\r\n"
        "An impossible date\r\n"
        "February has no 30th. date2025-02-30\r\n"
        "-\r\n"
        "Industry\r\n"
        "A date far in the future\r\n"
        "Dated by a typo. date2205-03-01\r\n"
        "-\r\n"
        "Industry\r\n"
        "No date at all\r\n"
        "The body ends without one.\r\n"
        "-\r\n"
        "Only a body line, no title. date2025-03-05\r\n"
        "-\r\n"
        "Industry\r\n"
        "A title with no body\r\n"
        "date2025-03-06\r\n"
        "-\r\n"
        "Industry\r\n"
        "date2025-03-07\r\n"
        "-\r\n"
        "Energy\r\n"
        "The file is cut off here\r\n"
        "Korea’s grid operator said the new line would carry 8 GW from the coast, reaching"
    )
    return codecs.BOM_UTF8 + text.encode("utf-8")


ENCODED_TITLE = "Korea’s “record” exports"
ENCODED_BODY = "Korea’s exports rose: a “record”, said the minister."
LATIN1_TITLE = "Café société in Zürich"
LATIN1_BODY = "Naïve façade, Malmö and Ærø; 5 °C; ½ price."
KOREAN = "산업통상자원부는 수출이 늘었다고 밝혔다"


def encoded_dumps() -> dict[str, bytes]:
    record = "-\nIndustry\n{title}\n{body} Words of file {day}: " + " ".join(f"e{{day}}w{i}" for i in range(30)) + ". date2025-04-{day:02d}\n"
    return {
        "cp1252.txt": record.format(title=ENCODED_TITLE, body=ENCODED_BODY, day=1).encode("cp1252"),
        "latin1.txt": record.format(title=LATIN1_TITLE, body=LATIN1_BODY, day=2).encode("latin-1"),
        "cp949.txt": record.format(title=f"{KOREAN} — no", body=f"{KOREAN}. {ENCODED_BODY}", day=3)
        .replace("—", "-")
        .encode("cp949"),
        "utf16.txt": record.format(title=f"UTF-16 {ENCODED_TITLE}", body=f"{KOREAN}. {ENCODED_BODY}", day=4).encode("utf-16"),
        "mixed.txt": record.format(title="UTF-8 — Korea’s", body="A UTF-8 body — fine.", day=5).encode("utf-8")
        + b"-\nEnergy\nA pasted Windows-1252 line\nKorea\x92s grid \x96 pasted. date2025-04-06\n",
    }


def not_dumps() -> dict[str, bytes]:
    return {
        "empty.txt": b"",
        "only-separators.txt": b"-\n\n-\n  \n-\n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        "nul.txt": b"-\nIndustry\nA title\nA body with a \x00 NUL byte. date2025-05-01\n",
        "random.txt": bytes((i * 131 + 7) % 128 + 128 for i in range(4096)),
    }


TABULAR = [
    {"title": "<script>window.__pwned='jsonl'</script> From JSON Lines", "date": "2025-08-01", "category": "Industry",
     "body": "First paragraph with <b>markup</b>.\nSecond: {{ x }} [l](javascript:x)"},
    {"title": "No category, a time in the date", "date": "2025-08-02T09:30:00+09:00", "body": "A body of its own words."},
    {"title": "Bad date", "date": "2025-02-30", "category": "Energy", "body": "Never a page."},
    {"title": "", "date": "2025-08-03", "category": "Energy", "body": "A body with no title."},
]


def json_lines() -> str:
    lines = [json.dumps(record, ensure_ascii=False) for record in TABULAR]
    lines.insert(2, '{"title": "truncated object", "date": "2025-')
    lines.insert(3, '["not", "an", "object"]')
    lines.insert(4, '{"title": 42, "date": "2025-08-04", "body": "A number for a title."}')
    lines.append('{"title": "Half a pair \\ud800", "date": "2025-08-05", "body": "A lone surrogate escape."}')
    lines.append("[" * 5000 + "]" * 5000)  # deeper than Python's JSON reader goes
    return "\n".join(lines) + "\n"


def grammar_dump() -> str:
    """Text that reads as something else: an invisible title, a direction override, a year 1,
    a short title over two paragraphs, a date line in the middle of a body."""
    return (
        "-\nIndustry\n\u200d\u200b \u2060\nA body under a title of zero-width characters. date2025-09-01\n"
        "-\nIndustry\nAbc \u202eevil title reversed\nA body after a right-to-left override. date2025-09-02\n"
        "-\nIndustry\nA release of year one\nA typing slip in the year. date0001-09-03\n"
        "-\nShort title\nThe first paragraph of a body.\nThe second paragraph. date2025-09-04\n"
        "-\nA body that quotes a dated line\nIt reads: see the notice of date2025-09-05\nand goes on. date2025-09-06\n-\n"
    )


def csv_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["date", "category", "title", "body", "source_url"])
    writer.writerow(["2025-09-01", "Energy", '<img src=x onerror="window.__pwned=\'csv\'"> From CSV',
                     'Line one, with "quotes".\nLine two | a | b |', "https://example.org/1"])
    writer.writerow(["2025-09-02", "", "= formula-looking title", "+cmd|' /C calc'!A0 is text", ""])
    writer.writerow(["2025-09-03", "Energy", "Too few fields"])
    writer.writerow(["not a date", "Energy", "A bad date", "Body.", ""])
    return out.getvalue()


def corpus() -> dict[str, bytes]:
    files = {
        "hostile.txt": hostile_dump().encode("utf-8"),
        "damaged.txt": damaged_dump(),
        "records.jsonl": json_lines().encode("utf-8"),
        "grammar.txt": grammar_dump().encode("utf-8"),
        "records.csv": csv_text().encode("utf-8"),
    }
    files.update(encoded_dumps())
    files.update(not_dumps())
    return dict(sorted(files.items()))


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, data in corpus().items():
        (FILES / name).write_bytes(data)
    print(f"wrote {len(corpus())} files to {FILES}")


if __name__ == "__main__":
    main()
