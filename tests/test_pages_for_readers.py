"""Pages written for readers: one date format, plain-word merged versions, the original's link,
listings that tell releases apart, subscribe links, Atom and JSON Feed, and the tags link
previews and search engines read (descriptions, Open Graph, sitemap dates)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator import home, urls
from generator.config import ConfigError, read_site_identity
from generator.dates import DateFormat
from generator.pipeline import collect, render_site
from tests.helpers import SEEDS, make_project, page, motie_config

SITE_URL = "https://press.example.org/motie/"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def rendered(config, inputs: list[Path], site_url: str = SITE_URL) -> tuple[dict[str, str], object]:
    collected = collect(config, inputs)
    site = dataclasses.replace(read_site_identity(config.resolve(config.mkdocs_config)), url=site_url)
    return render_site(collected.catalog, site, config), collected


def visible_text(markdown_page: str) -> str:
    """A generated page's text as readers see it: front matter and tags' attributes left out."""
    body = markdown_page.split("\n---\n", 1)[1]
    return BeautifulSoup(body, "html.parser").get_text(" ")


@pytest.fixture(scope="module")
def seeds_pages():
    return rendered(motie_config(), [SEEDS])


# ---- Source URLs --------------------------------------------------------------------------------


def write_inputs(folder: Path) -> list[Path]:
    dump = folder / "dump.txt"
    dump.write_text(
        "-\nEnergy\nGrid plan announced\nurl https://www.example.go.kr/news/1?id=7&x=<b>\n"
        "The ministry announced a grid plan for the coming decade. date2025-03-03\n"
        "-\nEnergy\nA scripted address\nurl javascript:alert(1)\nIts body. date2025-03-04\n"
        "-\nEnergy\nA local file\nurl file:///etc/passwd\nIts body. date2025-03-05\n"
        "-\nEnergy\nTwo addresses\nurl https://a.example/\nurl https://b.example/\nIts body. date2025-03-06\n"
        "-\nEnergy\nurl shortener rules change\nA title-like first line starting with the marker stays a title. date2025-03-07\n"
        "-\n",
        encoding="utf-8",
    )
    jsonl = folder / "more.jsonl"
    jsonl.write_text(
        json.dumps({"title": "From JSON", "date": "2025-03-08", "body": "A JSON body.", "url": "http://example.org/j"}) + "\n"
        + json.dumps({"title": "Relative", "date": "2025-03-09", "body": "A body.", "url": "/news/2"}) + "\n"
        + json.dumps({"title": "Not text", "date": "2025-03-09", "body": "A body.", "url": 7}) + "\n",
        encoding="utf-8",
    )
    table = folder / "rows.csv"
    table.write_text(
        "title,date,body,url\nFrom CSV,2025-03-10,A CSV body.,https://example.org/c\n"
        "Spaced,2025-03-11,A body.,https://example.org/a b\n",
        encoding="utf-8",
    )
    return [dump, jsonl, table]


def test_a_source_url_is_read_from_each_format_and_anything_but_http_is_rejected_with_its_line(tmp_path):
    collected = collect(motie_config(), write_inputs(tmp_path))
    urls_by_title = {t.title: t.source_url for r in collected.catalog.releases for t in r.texts}
    assert urls_by_title["Grid plan announced"] == "https://www.example.go.kr/news/1?id=7&x=<b>"
    assert urls_by_title["From JSON"] == "http://example.org/j" and urls_by_title["From CSV"] == "https://example.org/c"
    assert urls_by_title["url shortener rules change"] == ""  # not a url line: no scheme after the marker
    assert [str(r) for r in collected.read.rejections] == [
        "dump.txt:7: url 'javascript:alert(1)' is not an http or https address",
        "dump.txt:12: url 'file:///etc/passwd' is not an http or https address",
        "dump.txt:17: 2 'url' lines: a record has one original address at most",
        "more.jsonl:2: url '/news/2' is not an http or https address",
        "more.jsonl:3: 'url' is a number, not text",
        "rows.csv:3: url 'https://example.org/a b' is not a valid address (no host, or spaces or control characters in it)",
    ]


def test_the_original_release_is_linked_from_its_page_feeds_and_data(tmp_path):
    files, collected = rendered(motie_config(), write_inputs(tmp_path))
    release = next(r for r in collected.catalog.releases if r.title == "Grid plan announced")
    path = collected.catalog.paths[release.id]
    soup = BeautifulSoup(files[path].split("\n---\n", 1)[1], "html.parser")
    (link,) = soup.select("p.pa-original a")
    assert link.get_text() == "Original release" and link["href"] == release.source_url  # escaped, read back exactly
    assert "on www.example.go.kr" in link.parent.get_text()
    exported = next(r for r in json.loads(files[urls.ARCHIVE_DATA])["releases"] if r["id"] == release.id)
    assert exported["source_url"] == release.source_url
    rows = list(csv.DictReader(io.StringIO(files[urls.ARCHIVE_CSV].lstrip("\ufeff"))))
    assert next(row for row in rows if row["id"] == release.id)["source_url"] == release.source_url
    feed_paths = urls.feed_paths(urls.FEED)
    atom = feedparser.parse(files[feed_paths["atom"]])
    entry = next(e for e in atom.entries if e.title == release.title)
    assert [link.href for link in entry.links if link.rel == "via"] == [release.source_url]
    item = next(i for i in json.loads(files[feed_paths["json"]])["items"] if i["title"] == release.title)
    assert item["external_url"] == release.source_url
    rss_entry = next(e for e in feedparser.parse(files[feed_paths["rss"]]).entries if e.title == release.title)
    assert "Original release" in rss_entry.summary


# ---- Dates ---------------------------------------------------------------------------------------


def test_pages_write_every_date_one_way_and_keep_iso_dates_for_machines(seeds_pages):
    files, collected = seeds_pages
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    assert len(pages) > 100
    for path, text in pages.items():
        assert not ISO_DATE.search(visible_text(text)), path  # no 2025-04-28 where readers look
    soup = BeautifulSoup(files[urls.HOME], "html.parser")
    times = soup.select("time")
    assert times and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", t.get_text()) for t in times)
    assert all(dt.date.fromisoformat(t["datetime"]) for t in times)


def test_the_date_format_and_language_are_settings(tmp_path):
    config = dataclasses.replace(motie_config(), date_format="medium")
    files, collected = rendered(config, [SEEDS])
    release = next(r for r in collected.catalog.releases if r.title == "Korea and Costa Rica hold trade ministers’ meeting")
    assert '<time datetime="2025-04-28">Apr 28, 2025</time>' in files[collected.catalog.paths[release.id]]
    korean = DateFormat("ko", "long")
    assert (korean.day(dt.date(2025, 4, 28)), korean.month(2025, 4)) == ("2025년 4월 28일", "2025년 4월")
    with pytest.raises(ConfigError, match="date_format"):
        collect(dataclasses.replace(motie_config(), date_format="d MMMM y ''unterminated"), [SEEDS])


# ---- Release pages -----------------------------------------------------------------------------


def test_merged_versions_are_told_in_plain_words_and_provenance_is_secondary(seeds_pages):
    files, collected = seeds_pages
    release = next(r for r in collected.catalog.releases if r.title == "Korea and Costa Rica hold trade ministers’ meeting")
    soup = BeautifulSoup(files[collected.catalog.paths[release.id]].split("\n---\n", 1)[1], "html.parser")
    assert soup.select_one("details.pa-variants summary").get_text() == (
        "Also published as a short caption, “Trade Minister meets Costa Rica's Minister of Foreign Trade”, on 28 April 2025"
    )
    assert ".txt" not in soup.select_one("details.pa-variants").get_text()  # no file names where readers read
    page_text = files[collected.catalog.paths[release.id]]
    assert re.findall(r"^#+ .*", page_text, re.M) == [  # provenance is no heading: the table of contents is the text's
        "# Korea and Costa Rica hold trade ministers’ meeting {: #title .pa-title tabindex=\"-1\" }",
        "## Related releases",
    ]
    provenance = soup.select_one("details.pa-provenance")
    assert soup.find_all(recursive=False)[-1] is provenance  # last on the page
    assert [li.get_text() for li in provenance.select("li")] == [
        "001_b0f02343b4eeda64.txt, line 18: this text",
        "001_b0f02343b4eeda64.txt, line 14: the short caption of 28 April 2025",
    ]
    heading = files[collected.catalog.paths[release.id]].split("\n---\n", 1)[1].lstrip().splitlines()[0]
    assert heading.startswith("# Korea and Costa Rica") and "#title" in heading  # the real first heading


def test_every_page_has_its_own_description_title_and_lastmod(seeds_pages):
    files, collected = seeds_pages
    catalog = collected.catalog
    for release in catalog.releases:
        text = files[catalog.paths[release.id]]
        meta = front_matter_of(text)
        assert meta["description"] and release.body.startswith(meta["description"].rstrip(" …").replace("&quot;", '"')[:60])
        assert meta["lastmod"] == max(t.date for t in release.texts)
    titles = {path: front_matter_of(text)["title"] for path, text in files.items() if path.endswith(".md")}
    assert titles["archive/2025/index.md"] == "Releases of 2025"
    assert titles["archive/2025/04/index.md"] == "Releases of April 2025"
    assert titles["topics/energy-policy/index.md"] == "Topic: Energy policy"
    assert titles["categories/energy/index.md"] == "Category: Energy"
    descriptions = [front_matter_of(text)["description"] for path, text in files.items() if path.endswith(".md")]
    assert len(set(descriptions)) == len(descriptions)  # no two pages describe themselves alike


def front_matter_of(markdown_page: str) -> dict:
    import yaml

    return yaml.safe_load(markdown_page.split("---\n", 2)[1])


# ---- Listings ------------------------------------------------------------------------------------


def test_listings_mark_inferred_categories_and_tell_same_title_same_day_releases_apart(seeds_pages):
    files, collected = seeds_pages
    catalog = collected.catalog
    soup = BeautifulSoup(files["archive/2025/04/index.md"], "html.parser")
    items = soup.select("ul.pa-listing > li")
    consultations = [li for li in items if li.a.get_text() == "Korea-U.S. trade consultation"]
    assert len(consultations) == 2
    leads = [li.select_one(".pa-item-lead").get_text() for li in consultations]
    assert leads[0] != leads[1]  # their first words tell them apart
    assert all(li.select_one(".pa-item-lead") is None for li in items if li not in consultations)
    inferred = {r.title for r in catalog.releases if catalog.classified[r.id].category_inferred}
    for li in items:
        marked = li.select_one(".pa-inferred-mark") is not None
        assert marked == (li.a.get_text() in inferred), li.a.get_text()
        meta = li.select_one(".pa-item-meta").get_text()
        assert not meta.strip().endswith("·") and not meta.strip().startswith("·")


def test_category_pages_head_their_months_without_leading_away_and_years_link_their_neighbours(seeds_pages):
    files, _ = seeds_pages
    headings = re.findall(r"^## (.*)$", files["categories/energy/index.md"], re.M)
    assert headings == ["July 2025", "March 2025", "December 2024"]  # plain: a month's page lists every category
    year = files["archive/2025/index.md"]
    assert "## [April 2025](04/index.md)" in year  # a year page's months lead to the month pages
    pager = BeautifulSoup(year, "html.parser").select_one("nav.pa-pager")
    assert pager.select_one('a[rel="prev"]')["href"] == "../2024/" and pager.select_one('a[rel="next"]') is None


# ---- Home ----------------------------------------------------------------------------------------


def test_category_shares_add_up_to_100():
    assert home.shares([19, 15, 6]) == [48, 37, 15]
    assert home.shares([1, 1, 1]) == [34, 33, 33] and sum(home.shares([1, 1, 1])) == 100
    assert home.shares([2, 1, 1, 1, 1, 1, 1]) == [25, 13, 13, 13, 12, 12, 12]
    assert home.shares([]) == [] and home.shares([0, 0]) == [0, 0]


def test_home_chart_and_table_run_in_one_order_and_bars_lead_to_months(seeds_pages):
    files, collected = seeds_pages
    soup = BeautifulSoup(files[urls.HOME], "html.parser")
    bars = soup.select("ol.pa-chart-bars > li")
    rows = soup.select(".pa-chart-table tbody tr")
    assert len(bars) == len(rows) == 8  # December 2024 to July 2025, the empty months too
    assert [r.th.get_text() for r in rows][:3] == ["December 2024", "January 2025", "February 2025"]
    for bar, row in zip(bars, rows):
        assert (bar.a or bar.select_one(".pa-chart-column"))["title"].startswith(row.th.get_text() + ":")
        assert (bar.a["href"] if bar.a else None) == (row.th.a["href"] if row.th.a else None)
    shares = [int(re.search(r"(\d+)%", s.get_text()).group(1)) for s in soup.select(".pa-category-cards .pa-share")]
    assert sum(shares) == 100


def test_home_and_category_pages_offer_every_feed_to_subscribe_to(seeds_pages):
    files, collected = seeds_pages
    soup = BeautifulSoup(files[urls.HOME], "html.parser")
    subscribe = soup.select("p.pa-subscribe")
    assert len(subscribe) == 1 + 1 + len(collected.catalog.category_names)  # the top, then all and each category
    hrefs = {a["href"] for p in subscribe for a in p.select("a")}
    assert {"feeds/index.xml", "feeds/index.atom.xml", "feeds/index.json", "feeds/energy.atom.xml"} <= hrefs
    assert all(path in files for path in hrefs)
    category = BeautifulSoup(files["categories/energy/index.md"], "html.parser")
    assert [a.get_text() for a in category.select("p.pa-subscribe a")] == ["RSS", "Atom", "JSON Feed"]
    assert [a["href"] for a in category.select("p.pa-subscribe a")] == [
        "../../feeds/energy.xml", "../../feeds/energy.atom.xml", "../../feeds/energy.json"
    ]


# ---- Feeds ----------------------------------------------------------------------------------------


def test_atom_feeds_read_as_feed_readers_read_them(seeds_pages):
    files, collected = seeds_pages
    catalog = collected.catalog
    for rss_path, releases in [(urls.FEED, catalog.releases)] + [
        (catalog.category_feeds[c], r) for c, r in catalog.by_category.items()
    ]:
        parsed = feedparser.parse(files[urls.feed_format_path(rss_path, "atom")])
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert [e.link for e in parsed.entries] == [SITE_URL + urls.url_of(catalog.paths[r.id]) for r in releases[:50]]
        for entry, release in zip(parsed.entries, releases):
            assert entry.title == release.title and entry.id == entry.link
            published = dt.datetime(*entry.published_parsed[:6], tzinfo=dt.timezone.utc)
            assert published == dt.datetime.combine(release.date, dt.time(0), tzinfo=dt.timezone(dt.timedelta(hours=9)))
            assert catalog.classified[release.id].category in [t.term for t in entry.tags]
        assert parsed.feed.title.startswith("MOTIE Press Release Archive: ")
        assert parsed.feed.get("author") == "Ministry of Trade, Industry and Energy (MOTIE)"
        assert [link.href for link in parsed.feed.links if link.rel == "self"] == [SITE_URL + urls.feed_format_path(rss_path, "atom")]


RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def json_feed_problems(document: dict) -> list[str]:
    """What a JSON Feed 1.1 document breaks of the specification (jsonfeed.org/version/1.1).

    feedparser, which checks the RSS and Atom feeds, reads JSON Feed only in its unreleased
    7.0; this checks the specification's requirements and types instead.
    """
    problems = []
    if document.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version")
    if not isinstance(document.get("title"), str) or not document["title"]:
        problems.append("title is required")
    for key in ("home_page_url", "feed_url"):
        if not str(document.get(key, "")).startswith(("https://", "http://")):
            problems.append(f"{key} must be an absolute URL")
    if not all(isinstance(a, dict) and isinstance(a.get("name"), str) for a in document.get("authors", [])):
        problems.append("authors must be objects with a name")
    items = document.get("items")
    if not isinstance(items, list):
        return problems + ["items is required"]
    for index, item in enumerate(items):
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"items[{index}].id is required, a string")
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            problems.append(f"items[{index}] needs content_html or content_text")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC_3339.fullmatch(item[key]):
                problems.append(f"items[{index}].{key} is not RFC 3339")
        if not isinstance(item.get("tags", []), list) or not all(isinstance(t, str) for t in item.get("tags", [])):
            problems.append(f"items[{index}].tags must be strings")
    return problems


def test_json_feeds_follow_the_specification_and_match_the_atom_feeds(seeds_pages):
    files, collected = seeds_pages
    catalog = collected.catalog
    for rss_path in [urls.FEED, *catalog.category_feeds.values()]:
        document = json.loads(files[urls.feed_format_path(rss_path, "json")])
        assert json_feed_problems(document) == []
        assert document["feed_url"] == SITE_URL + urls.feed_format_path(rss_path, "json")
        atom = feedparser.parse(files[urls.feed_format_path(rss_path, "atom")])
        assert [(i["url"], i["title"]) for i in document["items"]] == [(e.link, e.title) for e in atom.entries]
        for item, entry in zip(document["items"], atom.entries):
            assert dt.datetime.fromisoformat(item["date_published"]).astimezone(dt.timezone.utc).timetuple()[:6] == entry.published_parsed[:6]
    hostile = json_feed_problems({"version": "1", "items": [{"id": 3, "date_published": "2025-01-01"}]})
    assert hostile == [
        "version", "title is required", "home_page_url must be an absolute URL", "feed_url must be an absolute URL",
        "items[0].id is required, a string", "items[0] needs content_html or content_text", "items[0].date_published is not RFC 3339",
    ]


# ---- The built site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("readers") / "project")
    result = project.cli("build", env={"SITE_URL": SITE_URL, "ARCHIVE_SOURCE_URL": "https://github.com/example/archive"})
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def html_pages(site: Path) -> list[str]:
    """Every page of the site as a directory URL, redirect pages left out."""
    found = []
    for file in sorted(site.rglob("index.html")):
        url = file.parent.relative_to(site).as_posix() + "/" if file.parent != site else ""
        if url.startswith("search/") and url != "search/":
            continue
        if 'http-equiv="refresh"' not in file.read_text(encoding="utf-8")[:2000]:
            found.append(url)
    return found


@pytest.mark.e2e
def test_every_page_has_a_description_open_graph_and_twitter_tags_with_absolute_urls(built):
    pages = html_pages(built.site)
    assert len(pages) > 100
    site_description = read_site_identity(built.root / "mkdocs.yml").description
    for url in pages:
        soup = page(built.site, url)
        title = soup.select_one("title").get_text()
        assert " - MOTIE Press Release Archive" in title and not title.startswith("MOTIE Press Release Archive"), url
        description = soup.select_one('meta[name="description"]')["content"]
        og = {m["property"]: m["content"] for m in soup.select("meta[property]")}
        twitter = {m["name"]: m["content"] for m in soup.select('meta[name^="twitter:"]')}
        assert og["og:url"] == SITE_URL + url, url
        assert og["og:description"] == twitter["twitter:description"] == description
        assert og["og:title"] == twitter["twitter:title"] and twitter["twitter:card"] == "summary"
        if url.startswith("releases/"):
            assert og["og:type"] == "article" and og["article:published_time"] == soup.select_one("article time")["datetime"]
            first = soup.select_one(".pa-release-text p").get_text()
            assert first.startswith(description.rstrip(" …")[:80]) and description != site_description
        elif url:
            assert description != site_description, url


@pytest.mark.e2e
def test_the_sitemap_dates_each_page_by_its_newest_release(built):
    archive = json.loads((built.site / "archive.json").read_text(encoding="utf-8"))["releases"]
    entries = {
        url.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text: url.find("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod")
        for url in ET.parse(built.site / "sitemap.xml").getroot()
    }
    assert set(entries) == {SITE_URL + url for url in html_pages(built.site) if url != "404.html"}
    for release in archive:
        newest = max([release["date"]] + [v["date"] for v in release["variants"]])
        assert entries[SITE_URL + release["url"]].text == newest
    assert entries[SITE_URL].text == archive[0]["date"]
    assert entries[SITE_URL + "archive/2024/"].text == max(r["date"] for r in archive if r["date"].startswith("2024"))
    assert all(lastmod is not None and dt.date.fromisoformat(lastmod.text) for lastmod in entries.values())


@pytest.mark.e2e
def test_the_footer_says_what_the_archive_is_whose_releases_and_on_which_terms(built):
    for url in ("", "releases/2025/04/korea-and-costa-rica-hold-trade-ministers-meeting/", "search/"):
        footer = page(built.site, url).select_one("footer .pa-footer")
        text = " ".join(footer.get_text().split())
        assert "unofficial archive" in text and "Releases published by Ministry of Trade, Industry and Energy (MOTIE)" in text
        assert "Reproduced as published" in text and "Made with" not in text
        assert [a["href"] for a in footer.select("a")] == ["https://english.motie.go.kr/", "https://github.com/example/archive"]
