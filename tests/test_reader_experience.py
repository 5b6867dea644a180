"""What readers get besides the release pages, on the seeds built as a user would with SITE_URL set:
the dashboard, previous/next navigation, cut-off notices, RSS feeds, data files, sitemap and 404 page."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urljoin, urlparse

import feedparser
import pytest

from generator import feeds, urls
from generator.config import SiteIdentity, load_config
from tests.helpers import make_project, page

pytestmark = pytest.mark.e2e
SITE_URL = "https://press.example.org/motie/"
SEOUL = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("reader") / "project")
    result = project.cli("build", env={"SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="module")
def archive(built):
    return json.loads((built.site / "archive.json").read_text(encoding="utf-8"))["releases"]


def site_path(from_url: str, href: str) -> str:
    """The site-relative URL a link on the page at ``from_url`` leads to."""
    return urlparse(urljoin("http://site.test/" + from_url, href)).path.lstrip("/")


def rss(built, path: str):
    text = (built.site / path).read_text(encoding="utf-8")
    ET.fromstring(text)  # well-formed XML
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    return parsed


def test_latest_feed_is_rss_with_absolute_urls_and_its_time_zone_stated(built, archive):
    feed = rss(built, "feeds/index.xml")
    assert feed.feed.link == SITE_URL
    assert "Asia/Seoul (UTC+09:00)" in feed.feed.description
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [SITE_URL + "feeds/index.xml"]
    assert [e.link for e in feed.entries] == [SITE_URL + r["url"] for r in archive[:50]]  # all 40: fewer than 50
    for entry, release in zip(feed.entries, archive):
        assert entry.title == release["title"] and entry.id == entry.link
        published = dt.datetime.fromisoformat(release["date"]).replace(tzinfo=SEOUL)
        assert entry.published.endswith("00:00:00 +0900")
        assert dt.datetime(*entry.published_parsed[:6], tzinfo=dt.timezone.utc) == published
        assert release["category"] in [t.term for t in entry.tags]
        assert html.escape(release["body"][:100], quote=False) in entry.summary


def test_each_category_has_a_feed_of_its_own_releases_linked_from_its_page(built, archive):
    by_category = Counter(r["category"] for r in archive)
    categories = page(built.site, "categories/").select("article a[href]")
    assert len(categories) == len(by_category) == 3
    for link in categories:
        category_url = site_path("categories/", link["href"])
        alternates = page(built.site, category_url).select('head link[rel="alternate"][type="application/rss+xml"]')
        hrefs = [site_path(category_url, a["href"]) for a in alternates]
        assert hrefs[0] == "feeds/index.xml" and len(hrefs) == 2
        feed = rss(built, hrefs[1])
        assert feed.feed.link == SITE_URL + category_url
        expected = [SITE_URL + r["url"] for r in archive if r["category"] == link.get_text()]
        assert [e.link for e in feed.entries] == expected
    home = page(built.site, "")
    assert [site_path("", a["href"]) for a in home.select('head link[rel="alternate"]')] == [
        "feeds/index.xml", "feeds/index.atom.xml", "feeds/index.json"
    ]
    # Material fetches sitemap.xml beside every alternate link: the feeds' folder has a small one.
    locs = [e.text for e in ET.parse(built.site / "feeds" / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")]
    assert sorted(locs) == sorted(SITE_URL + p.relative_to(built.site).as_posix() for p in (built.site / "feeds").iterdir() if p.name != "sitemap.xml")


def test_feeds_hold_feed_size_releases_and_hostile_text_stays_text(seeds_collected, config):
    catalog = seeds_collected.catalog
    site = SiteIdentity("<b>Site</b> & co", "About <script>", "https://x.test/")
    files = feeds.feeds(catalog, site, config.zone, 5)
    parsed = feedparser.parse(files[urls.FEED])
    assert not parsed.bozo and len(parsed.entries) == 5
    assert parsed.feed.title == "<b>Site</b> & co: latest releases"
    assert "<script>" not in files[urls.FEED] and "&lt;script&gt;" in files[urls.FEED]
    release = catalog.releases[0]
    hostile_text = dataclasses.replace(
        release.canonical, title="<img src=x onerror=alert(1)> \x0b", body="<script>alert(1)</script> &amp;"
    )
    hostile = dataclasses.replace(release, canonical=hostile_text)
    item = feeds.rss_feed(feeds.Channel("t", "d", urls.HOME, urls.FEED), [hostile], catalog, site, config.zone)
    entry = feedparser.parse(item).entries[0]
    assert entry.title == "<img src=x onerror=alert(1)> \ufffd"  # an XML-illegal control character is replaced
    assert "&lt;script&gt;" in entry.summary and "&amp;amp;" in entry.summary  # shown as text, not run


def test_sitemap_and_canonical_links_are_absolute(built, archive):
    locs = [e.text for e in ET.parse(built.site / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")]
    assert all(loc.startswith(SITE_URL) for loc in locs)
    assert {SITE_URL + r["url"] for r in archive} <= set(locs)
    assert page(built.site, archive[0]["url"]).select_one('link[rel="canonical"]')["href"] == SITE_URL + archive[0]["url"]


def test_the_404_page_offers_search_and_the_indexes_from_any_depth(built):
    html = (built.site / "404.html").read_text(encoding="utf-8")
    soup = page(built.site, "").__class__(html, "html.parser")
    assert soup.select_one("article h1").get_text() == "Page not found"
    # served for any missing address, so its links are absolute paths under site_url
    assert [urlparse(urljoin("https://press.example.org/no/such/page/", a["href"])).path for a in soup.select("article li a")] == [
        "/motie/", "/motie/archive/", "/motie/categories/"
    ]
    assert soup.select_one('link[rel="stylesheet"]')["href"].startswith("/motie/assets/")
    form = soup.select_one("form.pa-header-search")
    assert form.select_one("input[name=q]") is not None
    assert urlparse(urljoin("https://press.example.org/no/such/page/", form["action"])).path == "/motie/search/"


def test_release_pages_link_the_previous_and_next_release_by_date(built, archive):
    for index, release in enumerate(archive):  # archive.json lists newest first
        pager = page(built.site, release["url"]).select_one('nav.pa-pager[aria-label="Previous and next release"]')
        older = pager.select_one('a[rel="prev"]')
        newer = pager.select_one('a[rel="next"]')
        if index + 1 < len(archive):
            assert site_path(release["url"], older["href"]) == archive[index + 1]["url"]
            assert archive[index + 1]["title"] in older.get_text()
        else:
            assert older is None
        if index > 0:
            assert site_path(release["url"], newer["href"]) == archive[index - 1]["url"]
        else:
            assert newer is None


def test_release_pages_link_their_month_year_category_and_topics(built, archive):
    categories = {a.get_text(): site_path("categories/", a["href"]) for a in page(built.site, "categories/").select("article a")}
    for release in archive:
        html = page(built.site, release["url"])
        year, month = release["date"][:4], release["date"][5:7]
        meta = {site_path(release["url"], a["href"]) for a in html.select("p.pa-meta a")}
        assert {f"archive/{year}/{month}/", f"archive/{year}/", categories[release["category"]]} <= meta
        chips = [a.get_text() for a in html.select('nav[aria-label="Topics"] a.md-tag')]
        assert chips == release["tags"]


def test_a_notice_shows_where_the_source_text_was_cut_off(built, archive):
    cut = [r for r in archive if r["cut_off"]]
    assert {(r["title"][:30], r["cut_off"]) for r in cut} == {
        ("Korea’s annual exports reach n", "mid-word"),
        ("Trade Minister chairs 58th Ind", "mid-word"),
        ("Eco-Friendly Vehicle Exports S", "mid-sentence"),
    }
    for release in archive:
        html = page(built.site, release["url"])
        notice = html.select_one(".pa-cut-off")
        if release["cut_off"]:
            last_words = " ".join(release["body"].split()[-4:])
            assert f"stops {release['cut_off']}" in notice.get_text() and last_words in notice.get_text()
            assert html.select_one(".pa-cut-end").find_previous_sibling("div")["class"] == ["pa-release-text"]
        else:
            assert notice is None and html.select_one(".pa-cut-end") is None


def test_month_pages_link_the_previous_and_next_month(built, archive):
    months = sorted({r["date"][:7] for r in archive})
    for index, month in enumerate(months):
        url = f"archive/{month[:4]}/{month[5:]}/"
        html = page(built.site, url)
        pagers = html.select("nav.pa-pager")
        assert len(pagers) == 2  # above and below the list
        for pager in pagers:
            older, newer = pager.select_one('a[rel="prev"]'), pager.select_one('a[rel="next"]')
            expect_older = months[index - 1] if index > 0 else None
            expect_newer = months[index + 1] if index + 1 < len(months) else None
            assert (site_path(url, older["href"]) if older else None) == (
                f"archive/{expect_older[:4]}/{expect_older[5:]}/" if expect_older else None
            )
            assert (site_path(url, newer["href"]) if newer else None) == (
                f"archive/{expect_newer[:4]}/{expect_newer[5:]}/" if expect_newer else None
            )


def test_archive_index_shows_years_and_months_with_counts(built, archive):
    html = page(built.site, "archive/")
    per_month = Counter(r["date"][:7] for r in archive)
    shown = {}
    for item in html.select("ul.pa-counts li"):
        target = site_path("archive/", item.a["href"])
        shown[target] = int(item.get_text().rsplit("(", 1)[1].rstrip(")"))
    assert shown == {f"archive/{m[:4]}/{m[5:]}/": count for m, count in per_month.items()}
    years = {h.a.get_text(): h.find_next_sibling("p").get_text() for h in html.select("article h2")}
    assert years == {year: f"{n} release{'s' * (n != 1)}" for year, n in Counter(r["date"][:4] for r in archive).items()}


def test_home_dashboard_counts_charts_and_links_the_archive(built, archive):
    html = page(built.site, "")
    cards = {li.a.get_text(): int(li.select_one(".pa-count").get_text()) for li in html.select(".pa-category-cards li")}
    assert cards == dict(Counter(r["category"] for r in archive))
    columns = [(bar.a or bar.select_one(".pa-chart-column"))["title"] for bar in html.select("ol.pa-chart-bars > li")]
    assert [title.split(":")[0] for title in columns] == [
        "December 2024", "January 2025", "February 2025", "March 2025", "April 2025", "May 2025", "June 2025", "July 2025"
    ]
    per_month = Counter(r["date"][:7] for r in archive)
    assert [int(title.split(": ")[1].split(" ")[0]) for title in columns] == [
        per_month.get(f"{y}-{m:02d}", 0) for y, m in [(2024, 12)] + [(2025, m) for m in range(1, 8)]
    ]
    rows = html.select(".pa-chart-table tbody tr")
    assert sum(int(row.select("td")[-1].get_text()) for row in rows) == len(archive)
    topics = [(li.a.get_text(), int(li.select_one(".pa-count").get_text())) for li in html.select(".pa-topic-bars li")]
    counts = Counter(tag for r in archive for tag in r["tags"])
    assert topics == sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:10]
    latest = [site_path("", a["href"]) for a in html.select(".pa-column ul.pa-listing a")]
    assert latest == [r["url"] for r in archive[:10]]
    data = {a.get_text(): site_path("", a["href"]) for a in html.select("a[download]")}
    assert data == {"archive.json": "archive.json", "archive.csv": "archive.csv"}
    assert (built.site / "archive.csv").is_file()


def test_archive_csv_has_one_row_per_release_readable_by_spreadsheets(built, archive):
    raw = (built.site / "archive.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["url"] for row in rows] == [r["url"] for r in archive]
    for row, release in zip(rows, archive):
        assert row["title"] == release["title"] and row["body"] == release["body"]
        assert row["topics"].split("; ") == release["tags"] or (row["topics"] == "" and release["tags"] == [])
        assert row["cut_off"] == (release["cut_off"] or "")
        assert int(row["records"]) == len(release["sources"]) + sum(len(v["sources"]) for v in release["variants"])


def test_csv_cells_that_spreadsheets_would_run_are_kept_text(adversarial):
    project, _result = adversarial
    rows = list(csv.DictReader(io.StringIO((project.site / "archive.csv").read_text(encoding="utf-8-sig"), newline="")))
    formulas = [row["body"] for row in rows if row["body"].lstrip("'").startswith(("=", "+", "-", "@"))]
    assert formulas and all(cell.startswith("'") for cell in formulas)
    releases = json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]
    assert any(r["body"].startswith(("=", "+", "-", "@")) for r in releases)  # archive.json keeps them exact


def test_without_site_url_there_are_no_feeds_and_a_warning(tmp_path):
    project = make_project(tmp_path / "project")
    mkdocs_yml = project.root / "mkdocs.yml"
    mkdocs_yml.write_text(
        "\n".join(line for line in mkdocs_yml.read_text().splitlines() if not line.startswith("site_url:")) + "\n"
    )
    result = project.cli("generate")
    assert result.returncode == 0, result.stderr
    assert "site_url is not set: no RSS feeds are written" in result.stderr
    assert not (project.docs / "feeds").exists()
    assert "RSS" not in (project.docs / "index.md").read_text(encoding="utf-8")
    assert project.cli("generate", "--strict").returncode == 1


def test_site_url_comes_from_the_environment_as_mkdocs_reads_it(tmp_path, monkeypatch):
    from generator.config import read_site_identity

    project = make_project(tmp_path / "project")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert read_site_identity(project.root / "mkdocs.yml").url == "http://127.0.0.1:8000/"
    monkeypatch.setenv("SITE_URL", "https://example.org/archive")
    assert read_site_identity(project.root / "mkdocs.yml").url == "https://example.org/archive/"
    assert load_config(project.config_file).config.timezone == "Asia/Seoul"
