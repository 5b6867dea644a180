"""The link checker finds what it must: the builder tests rest on it."""

from pathlib import Path

from bench.linkcheck import check_site

PAGE = '<html><head>{head}</head><body><h2 id="top">x</h2>{body}</body></html>'


def site(tmp_path: Path, pages: dict[str, tuple[str, str]]) -> Path:
    for path, (head, body) in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(PAGE.format(head=head, body=body), encoding="utf-8")
    return tmp_path


def reasons(tmp_path: Path, body: str, head: str = "", base: str = "/archive/") -> list[str]:
    pages = {
        "index.html": (head, body),
        "a/index.html": ("", '<a href="../">home</a>'),
        "old/index.html": ('<meta http-equiv="refresh" content="0; url=../a/">', ""),
    }
    report = check_site(site(tmp_path, pages), base, "https://example.github.io/archive/")
    return [b.reason for b in report.broken]


def test_good_links_pass(tmp_path):
    body = '<a href="a/">a</a> <a href="a/#top">a</a> <a href="./">me</a> <a href="https://example.github.io/archive/a/">abs</a>'
    body += '<a href="https://elsewhere.example/">another site, followed only by choice</a> <a href="mailto:x@example.org">m</a>'
    assert reasons(tmp_path, body) == []


def test_each_kind_of_broken_link_is_found(tmp_path):
    cases = {
        '<a href="b/">': "no such file: /archive/b/",
        '<a href="../">': "leaves the site",
        '<a href="a/%2e%2e/%2e%2e/">': "leaves the site",
        '<a href="a/#nowhere">': "no id 'nowhere'",
        '<a href="old/">': "leads to a redirect",
        '<a href="a">': "no such file",  # a folder without its final slash
        '<img src="https://cdn.example/x.png">': "another host",
        '<a href="https://example.github.io/elsewhere/">': "leaves the site",
    }
    for markup, reason in cases.items():
        found = reasons(tmp_path, markup)
        assert len(found) == 1 and reason in found[0], (markup, found)
    assert "another host" in reasons(tmp_path, "", head='<link rel="canonical" href="http://127.0.0.1:8000/">')[0]
