"""End to end, as a user runs it: seeds → `press-archive build` (generate + mkdocs build --strict) → HTML."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from generator.templates import package_template
from tests.helpers import SEED_FILES, ctrl_c_stops_it, make_project, page, search_fragments
from bench.linkcheck import check_site

pytestmark = pytest.mark.e2e
BASE = "http://archive.test/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("seeds") / "project")
    (project.docs / "about.md").write_text("# About\n\nWritten by a maintainer.\n", encoding="utf-8")
    result = project.cli("build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="module")
def archive(built):
    return json.loads((built.site / "archive.json").read_text(encoding="utf-8"))["releases"]


def release_links(site: Path, url: str) -> list[str]:
    """Site-relative URLs of the release pages an index page links to from its content."""
    content = page(site, url).select_one("article.md-content__inner")
    links = [urlparse(urljoin(BASE + url, a["href"])).path.lstrip("/") for a in content.select("a[href]")]
    return [link for link in links if link.startswith("releases/")]


def test_report_accounts_for_every_record(built):
    report = json.loads(built.report.read_text())
    releases = json.loads((built.docs / "archive.json").read_text())["releases"]
    sources = sum(len(r["sources"]) + sum(len(v["sources"]) for v in r["variants"]) for r in releases)
    assert report["records_read"] == sources + len(report["rejected"]) == 46
    # 2 exact copies and 4 caption/full pairs
    assert (report["releases"], report["merged"], report["near_duplicates"], report["rejected"]) == (40, 6, 4, [])


def test_every_release_has_a_page_at_its_url(built, archive):
    assert len(archive) == 40
    for release in archive:
        assert re.fullmatch(r"releases/\d{4}/\d{2}/[a-z0-9-]+/", release["url"]), release["url"]
        assert release["url"].startswith(f"releases/{release['date'][:4]}/{release['date'][5:7]}/")
        html = page(built.site, release["url"])
        assert html.select_one("h1").get_text() == release["title"]
        shown = " ".join(p.get_text() for p in html.select(".md-content__inner > .pa-release-text p"))
        assert shown == " ".join(release["body"].split("\n"))
        assert {"id", "url", "title", "date", "category", "tags", "body", "sources"} <= set(release)


def test_exact_copies_in_two_dumps_are_one_page(built, archive):
    humanoid = [r for r in archive if r["title"].startswith("K-Humanoid Alliance")]
    assert len(humanoid) == 1
    assert humanoid[0]["sources"] == [
        {"file": "000_ce7fcaf72f72fc76.txt", "line": 18},
        {"file": "001_b0f02343b4eeda64.txt", "line": 2},
    ]
    assert len(list((built.site / "releases" / "2025" / "05").glob("k-humanoid*"))) == 1
    sources = page(built.site, humanoid[0]["url"]).get_text()
    assert "000_ce7fcaf72f72fc76.txt, line 18" in sources and "001_b0f02343b4eeda64.txt, line 2" in sources


TAG_FIELDS = {"topic": "tags", "place": "places", "organization": "organizations"}
INDEX_OF = {"topic": "topics/", "place": "places/", "organization": "organizations/", "category": "categories/"}


def expected_listings(archive) -> dict[str, set[str]]:
    listings: dict[str, set[str]] = defaultdict(set)
    for release in archive:
        year, month = release["date"][:4], release["date"][5:7]
        listings[f"archive/{year}/"].add(release["url"])
        listings[f"archive/{year}/{month}/"].add(release["url"])
        for kind, field in TAG_FIELDS.items():
            for tag in release[field]:
                listings[f"{kind}:{tag}"].add(release["url"])
        listings[f"category:{release['category']}"].add(release["url"])
    return listings


def test_each_index_page_lists_exactly_its_releases(built, archive):
    expected = expected_listings(archive)
    resolved = {}
    for kind, index_url in INDEX_OF.items():
        for a in page(built.site, index_url).select("article a[href]"):
            resolved[f"{kind}:{a.get_text()}"] = urlparse(urljoin(BASE + index_url, a["href"])).path.lstrip("/")
    checked = 0
    for key, urls in expected.items():
        url = resolved.get(key, key)
        links = release_links(built.site, url)
        assert sorted(links) == sorted(urls), key
        assert len(links) == len(set(links)), f"{key} lists a release twice"
        checked += 1
    assert checked == len(expected) > 50
    assert {k for k in resolved if k.startswith("category:")} == {f"category:{c}" for c in ("Industry", "Trade/Investment", "Energy")}


def test_month_pages_list_newest_first(built):
    dates = [t["datetime"] for t in page(built.site, "archive/2025/04/").select("article time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 11  # 12 records, one a caption merged


def test_home_page_shows_latest_releases_and_five_ways_to_browse(built, archive):
    home = page(built.site, "")
    latest = release_links(built.site, "")
    assert latest == [r["url"] for r in archive[:10]]
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert tabs == ["Home", "About", "Archive", "Categories", "Organizations", "Places", "Topics"]
    text = home.select_one("article").get_text()
    for way in ("By date", "By category", "By topic", "By place", "By organization"):
        assert way in text


def test_release_pages_stay_out_of_the_nav(built, archive):
    nav = page(built.site, archive[0]["url"]).select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert hrefs and not any("releases/" in h for h in hrefs)


def test_tag_chips_lead_to_a_listing_with_the_release(built, archive):
    tagged = [r for r in archive if r["tags"]]
    assert len(tagged) >= 36
    for release in archive:
        for kind, field in TAG_FIELDS.items():
            chips = page(built.site, release["url"]).select(f'nav.md-tags[aria-label="{INDEX_OF[kind][:-1].title()}"] a.md-tag')
            assert [c.get_text() for c in chips] == release[field]
            for chip in chips:
                target = urlparse(urljoin(BASE + release["url"], chip["href"])).path.lstrip("/")
                assert target.startswith(INDEX_OF[kind])
                assert release["url"] in release_links(built.site, target)


def test_related_releases_link_to_releases_that_share_tags(built, archive):
    by_url = {r["url"]: r for r in archive}
    with_related = [r for r in archive if r["related"]]
    assert len(with_related) >= 35
    for release in with_related:
        heading = page(built.site, release["url"]).find("h2", string="Related releases")
        links = [urlparse(urljoin(BASE + release["url"], a["href"])).path.lstrip("/") for a in heading.find_next("ul").select("a")]
        assert links == release["related"] and len(links) <= 5 and release["url"] not in links
        own = {*release["tags"], *release["places"], *release["organizations"]}
        shared = [len(own & {*by_url[u]["tags"], *by_url[u]["places"], *by_url[u]["organizations"]}) for u in links]
        assert shared == sorted(shared, reverse=True)


def test_inferred_categories_are_marked_in_front_matter_data_and_page(built, archive):
    inferred = [r for r in archive if r["category_inferred"]]
    assert len(inferred) == 16 and all(not r["category_given"] for r in inferred)
    for release in archive:
        marker = page(built.site, release["url"]).select_one(".pa-meta .pa-inferred")
        assert (marker is not None) == release["category_inferred"]
        source = built.docs / release["url"] / "index.md"
        assert f"category_inferred: {str(release['category_inferred']).lower()}" in source.read_text(encoding="utf-8")


def test_tag_indexes_show_counts_biggest_first(built):
    for index_url in ("topics/", "places/", "organizations/"):
        counts = [int(li.get_text().rsplit("(", 1)[1].rstrip(")")) for li in page(built.site, index_url).select("article li")]
        assert counts and counts == sorted(counts, reverse=True), index_url


def test_mkdocs_publishes_the_search_index_unchanged(built, archive):
    """The index is the generator's output: MkDocs copies it as it is, and it holds each release once."""
    generated = [p for p in (built.docs / "search").rglob("*") if p.is_file() and p.name != "index.md"]
    assert len(generated) > 40 and all((built.site / p.relative_to(built.docs)).read_bytes() == p.read_bytes() for p in generated)
    urls = sorted(f["url"] for f in search_fragments(built.site).values())
    assert urls == sorted(f"/{r['url']}" for r in archive)
    search_page = page(built.site, "search/")
    assert search_page.select_one("#pa-search-data") is not None and search_page.select_one('script[type="module"]')["src"] == "search.js"
    assert not (built.site / "search" / "search_index.json").exists()  # Material's own search is not there


def test_site_requests_nothing_from_other_hosts(built):
    offenders = []
    for html_file in built.site.rglob("*.html"):
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("script[src], link[href], img[src], iframe[src], source[src], video[src], audio[src]"):
            url = tag.get("src") or tag.get("href")
            if tag.name == "link" and not set(tag.get("rel", [])) & {"stylesheet", "preconnect", "preload", "icon", "manifest", "modulepreload"}:
                continue
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                offenders.append(f"{html_file.relative_to(built.site)}: {url}")
    for css in built.site.rglob("*.css"):
        offenders += [f"{css.name}: {u}" for u in re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]+\)", css.read_text(encoding="utf-8"))]
    assert offenders == []


def test_authored_files_are_untouched_and_published(built):
    assert (built.docs / "about.md").read_text() == "# About\n\nWritten by a maintainer.\n"
    assert "Written by a maintainer." in page(built.site, "about/").get_text()
    shipped_css = Path(__file__).resolve().parent.parent / "generator" / "theme" / "assets" / "stylesheets" / "press-archive.css"
    assert (built.site / "assets" / "stylesheets" / "press-archive.css").read_bytes() == shipped_css.read_bytes()


def project_files(project) -> dict[str, int]:
    """Modification times of every file and folder of a project but MkDocs' output (site/)."""
    paths = [p for p in project.root.rglob("*") if p.relative_to(project.root).parts[0] != "site"]
    return {p.relative_to(project.root).as_posix(): p.stat().st_mtime_ns for p in paths}


def test_rerun_with_unchanged_input_writes_nothing_and_stale_pages_go(built, tmp_path):
    before = project_files(built)
    report = built.generate()
    assert report.written.written == () and report.written.deleted == ()
    assert project_files(built) == before  # pages, manifest, report, permalink registry: nothing written
    # drop one dump: its releases' pages go, their URLs redirect to the month listings, the authored page stays
    report = built.generate([p for p in (built.root / "data" / "releases").iterdir() if not p.name.startswith("004_")])
    gone = [p for p in report.written.deleted if p.startswith("releases/")]
    assert len(gone) >= 8 and (built.docs / "about.md").exists()
    assert {p for p in report.written.written if p.endswith("/index.html")} >= {p[: -len(".md")] + ".html" for p in gone}
    report = built.generate()  # back to all five: the same pages return (others' related lists change), the redirects go
    assert set(gone) <= {p for p in report.written.written if p.startswith("releases/")}
    again = built.generate().written  # a further run changes nothing
    assert again.written == () and again.deleted == ()


def test_seed_dumps_are_bundled():
    assert [p.name for p in SEED_FILES] == [f"00{n}_{h}.txt" for n, h in enumerate(
        ["ce7fcaf72f72fc76", "b0f02343b4eeda64", "5d92cec32963d3c7", "e0d90db096248179", "ab2af2a023e3fd9b"])]


def test_one_new_release_rewrites_only_the_pages_it_changes(tmp_path):
    project = make_project(tmp_path / "project")
    project.generate()
    before = {p.relative_to(project.docs).as_posix(): p.read_bytes() for p in project.docs.rglob("*") if p.is_file()}
    (project.root / "data" / "releases" / "new.txt").write_text(
        "-\nEnergy\nMinister opens the Ulsan floating offshore wind farm\n"
        "The minister opened the floating offshore wind farm off Ulsan today. date2025-04-30\n",
        encoding="utf-8",
    )
    written = set(project.generate().written.written)
    new_page = next(p for p in written if p.startswith("releases/2025/04/minister-opens"))
    assert all(before.get(path) != (project.docs / path).read_bytes() for path in written)  # each one really changed
    expected = {new_page, "index.md", "archive.json", "archive.csv", "archive/index.md", "archive/2025/index.md",
                "archive/2025/04/index.md", "categories/index.md", "categories/energy/index.md", "feeds/index.xml",
                "feeds/energy.xml", "feeds/index.atom.xml", "feeds/energy.atom.xml", "feeds/index.json", "feeds/energy.json"}
    assert expected <= written
    # its neighbours by date now link to it as their next and previous release
    new_text = (project.docs / new_page).read_text(encoding="utf-8")
    older, newer = (re.search(rf'class="pa-pager-{rel}" rel="{rel}" href="([^"]+)"', new_text)[1] for rel in ("prev", "next"))
    for neighbour in (older, newer):
        path = urlparse(urljoin("http://archive.test/" + new_page.removesuffix("index.md"), neighbour)).path.strip("/") + "/index.md"
        assert path in written, path
    others = written - expected
    assert all(p.startswith(("releases/", "topics/", "places/", "organizations/", "search/")) for p in others), others
    assert "search/index.md" in written and any(p.endswith(".pf_fragment") for p in written)  # the search index has it
    assert len(written) < len(before) / 4
    untouched_month = project.docs / "archive" / "2024" / "12" / "index.md"
    assert untouched_month.read_bytes() == before["archive/2024/12/index.md"] and "archive/2024/12/index.md" not in written


def test_long_listings_are_split_by_year_and_the_site_still_builds_strictly(tmp_path):
    project = make_project(tmp_path / "project")
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("listing_page_size: 200", "listing_page_size: 4"), encoding="utf-8")
    result = project.cli("build")
    assert result.returncode == 0, result.stderr
    archive = json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]
    industry = {r["url"] for r in archive if r["category"] == "Industry"}
    years = sorted({r["date"][:4] for r in archive if r["category"] == "Industry"}, reverse=True)
    assert len(industry) > 4 and len(years) >= 2
    listing = page(project.site, "categories/industry/")
    latest = release_links(project.site, "categories/industry/")
    assert len(latest) == 10 or len(latest) == len(industry)  # the newest only, then the years
    by_year = {a.get_text(): a["href"] for a in listing.select("article li a[href]") if re.fullmatch(r"\d{4}", a.get_text())}
    assert sorted(by_year, reverse=True) == years
    found = set()
    for year, href in by_year.items():
        year_url = urlparse(urljoin(BASE + "categories/industry/", href)).path.lstrip("/")
        assert year_url == f"categories/industry/{year}/"
        links = set(release_links(project.site, year_url))
        assert links == {r["url"] for r in archive if r["category"] == "Industry" and r["date"][:4] == year}
        count = listing.find("a", href=href).parent.get_text()
        assert count.endswith(f"({len(links)})")
        found |= links
    assert found == industry
    year_page = page(project.site, "archive/2025/")  # more than 4 releases: its months with counts, no releases
    assert release_links(project.site, "archive/2025/") == []
    month_counts = {a.get_text(): a.parent.get_text() for a in year_page.select("article li a")}
    assert month_counts["April 2025"].endswith(f"({sum(r['date'][:7] == '2025-04' for r in archive)})")
    nav = page(project.site, "").select_one("nav.md-nav--primary").get_text()
    assert "Industry, 2025" not in nav  # the year pages of a listing stay out of the nav
    assert check_site(project.site, "/", "http://127.0.0.1:8000/").broken == []


def test_every_link_in_every_page_leads_to_a_page(built):
    """Listings and chips are raw HTML, which MkDocs does not check: every href and src of every page must resolve."""
    report = check_site(built.site, "/", "http://127.0.0.1:8000/")  # mkdocs.yml's site_url when SITE_URL is unset
    assert report.broken == [] and report.links > 1000


def _fetch(url: str, deadline: float, expect: str = "") -> str:
    """The page at ``url`` once it answers with ``expect`` in it (mkdocs serve holds requests while it rebuilds)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                if expect in text:
                    return text
        except (urllib.error.URLError, ConnectionError):
            pass
        assert time.monotonic() < deadline, f"{url} never showed {expect!r}"
        time.sleep(0.2)


def test_serve_shows_a_new_release_as_soon_as_its_dump_is_saved(tmp_path):
    project = make_project(tmp_path / "project")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "generator", "--config", str(project.config_file), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(project.root)}
    server = subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              preexec_fn=ctrl_c_stops_it)
    try:
        deadline = time.monotonic() + 120
        _fetch(base, deadline, "Latest releases")
        time.sleep(1)
        title = "Minister opens the Ulsan floating offshore wind farm"
        (project.root / "data" / "releases" / "new.txt").write_text(
            f"-\nEnergy\n{title}\nThe minister opened the floating offshore wind farm off Ulsan today. date2025-04-30\n",
            encoding="utf-8",
        )
        # serve watches the inputs: no second terminal, no `generate` by hand
        _fetch(base + "releases/2025/04/minister-opens-the-ulsan-floating-offshore-wind-farm/", deadline, f">{title}</h1>")
        assert title in _fetch(base + "archive/2025/04/", deadline)  # the listing was rebuilt too
        # and its search fragment: the index is written after the pages, so maybe from MkDocs' next rebuild
        fragment = next(path for path, data in search_fragments(project.docs).items() if data["meta"]["title"] == title)
        _fetch(base + fragment, deadline)
        with urllib.request.urlopen(base + fragment, timeout=60) as response:
            assert response.read() == (project.docs / fragment).read_bytes()
        # a broken setting is reported; the preview goes on with the pages it has
        settings = project.config_file.read_text(encoding="utf-8")
        project.config_file.write_text(settings + "\ntimezone: [unclosed\n", encoding="utf-8")
        time.sleep(4)
        assert title in _fetch(base + "archive/2025/04/", deadline)
        project.config_file.write_text(settings, encoding="utf-8")
        # a page template of the project's own, saved while serving, changes the pages it writes
        own = project.root / "overrides" / "press-archive" / "month.html"
        own.parent.mkdir(parents=True)
        own.write_text(package_template("month.html").replace("# {{ name|md }}", "# {{ name|md }} (served)", 1), encoding="utf-8")
        assert "April 2025 (served)" in _fetch(base + "archive/2025/04/", deadline, "April 2025 (served)")
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert "A 'dirty' build is being performed" in output  # MkDocs rebuilt only the changed pages
    assert "press-archive: changed: " in output and "new.txt; generating the pages again" in output
    assert "not valid YAML" in output and "(the preview keeps the pages it has)" in output
    assert re.search(r"changed: [^\n]*overrides/press-archive/month\.html[^\n]*; generating the pages again", output)
