"""The search page in a real browser (Chromium driven by Playwright; see ``tests/browsing.py``).

On the seeds' site as `press-archive build` makes it (with MkDocs, and with Zensical), on the same releases indexed in many
small shards, on the adversarial site, on a Korean archive, and under `press-archive serve`:
a query finds the right release, dated; facets narrow the hits with counts that match
archive.json; newest first is in date order across shards; a search lives in the URL;
hostile text stays text; nothing is requested from another host; axe is satisfied.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import parse_qs, quote, urlparse

import pytest

from bench.search import serving
from generator.dates import DateFormat
from tests.adversarial import make
from tests.browsing import Watched, severe_accessibility_violations
from tests.helpers import ctrl_c_stops_it, make_project

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 812}}
COMPLETE = '#pa-search[data-state="complete"]'


def build(project, *options: str) -> None:
    result = project.cli("build", *options)
    assert result.returncode == 0, result.stdout + result.stderr


def archive_of(project) -> list[dict]:
    return json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("search-browser") / "project")
    build(project)
    with serving(project.site) as base:
        yield base, archive_of(project)


@pytest.fixture(scope="module")
def seeds_zensical(tmp_path_factory):
    """The seeds' site as Zensical builds it (`press-archive build --builder zensical`)."""
    project = make_project(tmp_path_factory.mktemp("search-zensical") / "project")
    build(project, "--builder", "zensical")
    with serving(project.site) as base:
        yield base, archive_of(project)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The seeds indexed in shards of at most 8 releases: 2024, and 2025 cut into runs of months."""
    project = make_project(tmp_path_factory.mktemp("search-sharded") / "project")
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("shard_size: 4000 ", "shard_size: 8 "), encoding="utf-8")
    build(project)
    shards = [p.name for p in (project.site / "search").iterdir() if p.is_dir()]
    assert len(shards) >= 5, shards
    with serving(project.site) as base:
        yield base, archive_of(project)


def open_search(browser, base: str, query: str = "", **context) -> Watched:
    watched = Watched(browser, base, **context)
    watched.page.goto(f"{base}search/{query}", wait_until="load")
    watched.page.locator(COMPLETE).wait_for(timeout=20_000)
    return watched


def show_all(page) -> None:
    while page.locator("#pa-more").is_visible():
        before = page.locator(".pa-hit").count()
        page.locator("#pa-more").click()
        page.wait_for_function(f"document.querySelectorAll('.pa-hit').length > {before}")


def hits(page) -> list[dict]:
    return page.locator(".pa-hit").evaluate_all(
        """items => items.map(item => ({
               url: new URL(item.querySelector('a').href).pathname,
               title: item.querySelector('a').textContent,
               date: item.querySelector('time').getAttribute('datetime'),
               shown_date: item.querySelector('time').textContent,
               category: item.querySelector('.pa-hit-category').textContent,
               excerpt: item.querySelector('.pa-hit-excerpt').textContent,
               marks: [...item.querySelectorAll('.pa-hit-excerpt mark')].map(m => m.textContent),
           }))"""
    )


def status_count(page) -> int:
    return int(page.locator("#pa-status").inner_text().split()[0])


def facet_counts(page, key: str) -> dict[str, int]:
    labels = page.locator(f'fieldset[data-facet="{key}"] label').all_inner_texts()
    return {label.rsplit(" ", 1)[0]: int(label.rsplit(" ", 1)[1]) for label in labels}


@pytest.mark.parametrize("site", ("seeds", "seeds_zensical"))
def test_the_header_box_leads_to_dated_results_and_a_result_to_its_release(site, request, browser):
    base, archive = request.getfixturevalue(site)
    (cambodia,) = [r for r in archive if "Cambodia" in r["title"]]
    watched = Watched(browser, base)
    page = watched.page
    page.goto(base, wait_until="load")
    page.locator("#pa-header-q").fill("Cambodia")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Cambodia")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    found = hits(page)
    first = next(h for h in found if h["title"] == cambodia["title"])
    assert first["url"] == f"/{cambodia['url']}"
    assert (first["date"], first["shown_date"]) == (cambodia["date"], DateFormat("en", "d MMMM y").day(dt.date.fromisoformat(cambodia["date"])))
    assert first["category"].startswith(cambodia["category"])
    assert "Cambodia" in first["marks"] or "Cambodian" in " ".join(first["marks"])
    page.get_by_role("link", name=cambodia["title"]).click()
    page.wait_for_url(f"**/{cambodia['url']}")
    assert page.locator("h1.pa-title").inner_text() == cambodia["title"]
    tops = page.locator("nav.pa-tags").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().top)")
    chip = page.locator("nav.pa-tags .md-tag").first.bounding_box()["height"]
    assert len(tops) >= 2 and page.locator("nav.md-tags:visible:not(.pa-tags)").count() == 0  # one set of chips
    assert all(b - a < 2 * chip for a, b in zip(tops, tops[1:])), (tops, chip)  # the rows of chips kept together
    watched.assert_clean("search from the header")


@pytest.mark.parametrize("site", ("seeds", "sharded"))
def test_a_merged_captions_title_finds_its_release_first(site, request, browser):
    """Best match first, in one index and across many: a caption's own title ranks its release first."""
    base, archive = request.getfixturevalue(site)
    merged = next(r for r in archive for v in r["variants"] if v["title"] != r["title"])
    caption = next(v["title"] for v in merged["variants"] if v["title"] != merged["title"])
    watched = open_search(browser, base, f"?q={quote(caption)}&sort=relevance")
    assert hits(watched.page)[0]["url"] == f"/{merged['url']}"
    assert watched.page.locator("#pa-sort").input_value() == "relevance"
    watched.assert_clean("caption title")


def test_facets_narrow_the_hits_and_their_counts_match_the_archive(seeds, browser):
    """Browse with no query: Energy releases of 2025, then their topics, all against archive.json."""
    base, archive = seeds
    watched = open_search(browser, base)
    page = watched.page
    assert status_count(page) == len(archive) == 40
    assert facet_counts(page, "category") == Counter(r["category"] for r in archive)
    page.locator('fieldset[data-facet="category"]').get_by_label("Energy").check()
    page.wait_for_url("**/search/?category=Energy")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    energy = [r for r in archive if r["category"] == "Energy"]
    assert status_count(page) == len(energy)
    assert facet_counts(page, "year") == Counter(r["date"][:4] for r in energy)
    page.locator('fieldset[data-facet="year"]').get_by_label("2025").check()
    page.locator(COMPLETE).wait_for(timeout=20_000)
    chosen = [r for r in energy if r["date"].startswith("2025")]
    assert parse_qs(urlparse(page.url).query) == {"category": ["Energy"], "year": ["2025"]}
    assert sorted(h["url"] for h in hits(page)) == sorted(f"/{r['url']}" for r in chosen)
    assert facet_counts(page, "topic") == Counter(t for r in chosen for t in r["tags"])
    # A category's count is what choosing it instead would give: the other categories of 2025.
    assert facet_counts(page, "category") == Counter(r["category"] for r in archive if r["date"].startswith("2025"))
    watched.assert_clean("facets")


def test_facets_combine_with_a_query(seeds, browser):
    base, archive = seeds
    watched = open_search(browser, base, "?q=hydrogen")
    page = watched.page
    total = status_count(page)
    by_category = facet_counts(page, "category")
    assert sum(by_category.values()) == total > 0
    category, count = max(by_category.items(), key=lambda item: item[1])
    page.locator('fieldset[data-facet="category"]').get_by_label(category).check()
    page.locator(COMPLETE).wait_for(timeout=20_000)
    assert status_count(page) == count == len(hits(page))
    assert {h["category"].removesuffix(" (inferred)") for h in hits(page)} == {category}
    watched.assert_clean("facets with a query")


def test_newest_first_is_in_date_order_across_many_shards(sharded, browser):
    base, archive = sharded
    watched = open_search(browser, base)
    page = watched.page
    show_all(page)
    found = hits(page)
    assert sorted(h["url"] for h in found) == sorted(f"/{r['url']}" for r in archive)
    assert [h["date"] for h in found] == sorted((r["date"] for r in archive), reverse=True)
    watched.page.goto(f"{base}search/?q=Korea", wait_until="load")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    show_all(page)
    dates = [h["date"] for h in hits(page)]
    assert len(dates) == status_count(page) > 20 and dates == sorted(dates, reverse=True)
    assert facet_counts(page, "year") == Counter(h["date"][:4] for h in hits(page))
    watched.assert_clean("sharded search")


def test_a_search_lives_in_the_url_and_the_back_button_restores_it(seeds, browser):
    base, _archive = seeds
    watched = open_search(browser, base)
    page = watched.page
    page.locator("#pa-q").fill("semiconductor")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=semiconductor")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    first = hits(page)
    page.locator("#pa-sort").select_option("relevance")
    page.wait_for_url("**/search/?q=semiconductor&sort=relevance")
    page.locator('fieldset[data-facet="category"] input').first.check()
    page.wait_for_url("**/search/?q=semiconductor&sort=relevance&category=*")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    shared = page.url
    page.go_back()
    page.go_back()
    page.wait_for_url("**/search/?q=semiconductor")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    assert page.locator("#pa-q").input_value() == "semiconductor" and page.locator("#pa-sort").input_value() == "date"
    assert hits(page) == first and page.locator("fieldset input:checked").count() == 0
    other = Watched(browser, base).page  # the shared address shows the same search
    other.goto(shared, wait_until="load")
    other.locator(COMPLETE).wait_for(timeout=20_000)
    assert other.locator("fieldset input:checked").count() == 1 and other.locator("#pa-sort").input_value() == "relevance"
    watched.assert_clean("history")


def test_the_keyboard_reaches_the_results_past_the_facets(seeds, browser):
    base, _archive = seeds
    watched = open_search(browser, base, "?q=hydrogen")
    page = watched.page
    page.locator(".pa-skip").focus()
    assert page.locator(".pa-skip").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=hydrogen#pa-status")
    page.wait_for_function("document.activeElement.id === 'pa-status'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.pa-hit') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/releases/**")
    watched.assert_clean("keyboard")


def test_typing_keeps_spaces_and_a_facet_keeps_the_keyboard_focus(seeds, browser):
    base, _archive = seeds
    watched = open_search(browser, base)
    page = watched.page
    page.locator("#pa-q").press_sequentially("hydrogen ")
    page.wait_for_url("**/search/?q=hydrogen")  # the search ran on the pause …
    page.locator(COMPLETE).wait_for(timeout=20_000)
    page.locator("#pa-q").press_sequentially("economy")
    assert page.locator("#pa-q").input_value() == "hydrogen economy"  # … and the space stayed
    page.wait_for_url("**/search/?q=hydrogen+economy")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    box = page.locator('fieldset[data-facet="year"] input').first
    value = box.get_attribute("value")
    box.focus()
    page.keyboard.press("Space")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    assert page.evaluate("[document.activeElement.name, document.activeElement.value, document.activeElement.checked]") == ["year", value, True]
    watched.assert_clean("typing and facets")


def test_show_more_pressed_twice_shows_each_release_once_in_order(sharded, browser):
    base, archive = sharded
    watched = open_search(browser, base)
    page = watched.page
    page.evaluate("document.getElementById('pa-more').click(); document.getElementById('pa-more').click()")
    page.wait_for_function(f"document.querySelectorAll('.pa-hit').length >= {len(archive)}")
    page.wait_for_timeout(300)
    found = hits(page)
    assert len(found) == len(archive) and len({h["url"] for h in found}) == len(archive)
    assert [h["date"] for h in found] == sorted((r["date"] for r in archive), reverse=True)
    assert page.locator("#pa-more").is_hidden()
    watched.assert_clean("show more twice")


def test_a_choice_from_an_old_link_can_be_unchosen(seeds, browser):
    base, archive = seeds
    watched = open_search(browser, base, "?category=Gone&year=2025")
    page = watched.page
    gone = page.locator('fieldset[data-facet="category"]').get_by_label("Gone")
    assert gone.is_checked() and page.locator("#pa-status").inner_text() == "No release found."
    gone.click()  # unchosen, it leaves the list: the archive does not know it
    page.wait_for_url("**/search/?year=2025")
    page.locator(COMPLETE).wait_for(timeout=20_000)
    assert status_count(page) == sum(r["date"].startswith("2025") for r in archive)
    watched.assert_clean("old link")


def test_hostile_titles_and_texts_in_hits_stay_text(adversarial, browser):
    project, _result = adversarial
    with serving(project.site) as base:
        watched = open_search(browser, base, "?q=onerror")
        page = watched.page
        show_all(page)
        titles = {h["title"] for h in hits(page)}
        assert make.HOSTILE_TITLES[1] in titles  # '<img src=x onerror=…'
        assert page.locator(".pa-hits img, .pa-hits iframe, .pa-hits script, .pa-hits b, .pa-hits style").count() == 0
        page.goto(f"{base}search/?q=already", wait_until="load")
        page.locator(COMPLETE).wait_for(timeout=20_000)
        assert "&lt;already escaped&gt; &amp; &#x3C;script&#x3E;" in {h["title"] for h in hits(page)}
        page.goto(f"{base}search/?q=pwned", wait_until="load")
        page.locator(COMPLETE).wait_for(timeout=20_000)
        assert any("<script>window.__pwned = 'body'" in h["excerpt"] for h in hits(page))
        page.wait_for_timeout(100)
        watched.assert_nothing_ran("hostile search results")


@pytest.mark.parametrize("site", ("seeds", "seeds_zensical"))
def test_search_needs_no_other_host_and_fits_a_phone(site, request, browser):
    base, _archive = request.getfixturevalue(site)
    watched = open_search(browser, base, "?q=semiconductor", **PHONE)
    page = watched.page
    assert page.locator("#pa-facets").get_attribute("open") is None  # folded away on a phone
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2] == 375, widths
    excerpt = page.locator(".pa-hit-excerpt").first.bounding_box()
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.pa-hit-excerpt')).lineHeight)")
    assert excerpt["height"] <= 2 * line + 1  # two lines at most
    page.locator("#pa-facets summary").click()
    page.locator('fieldset[data-facet="year"] input').first.check()
    page.locator(COMPLETE).wait_for(timeout=20_000)
    watched.assert_clean("phone")


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_serious_violation_on_the_search_page(seeds, browser, scheme):
    base, _archive = seeds
    watched = open_search(browser, base, "?q=trade&year=2025", color_scheme=scheme)
    assert watched.page.locator("#pa-more").is_visible() and watched.page.locator(".pa-facet-clear").is_visible()
    assert severe_accessibility_violations(watched.page) == []
    watched.page.goto(base, wait_until="load")  # the header's search box on every page
    assert severe_accessibility_violations(watched.page) == []


KOREAN_DUMP = """-
산업
산업통상자원부, 반도체 수출 역대 최고 기록
산업통상자원부는 오늘 반도체 수출이 지난달 역대 최고치를 기록했다고 밝혔다. 인공지능 수요가 늘면서 메모리 반도체 가격이 올랐다. date2025-03-04
-
에너지
수소 경제 활성화 방안 발표
정부는 수소 충전소를 확대하고 청정 수소 생산을 지원하는 방안을 발표했다. 산업통상자원부 장관이 회의를 주재했다. date2025-03-10
"""


def test_korean_releases_are_searchable_in_korean(tmp_path, browser):
    project = make_project(tmp_path / "project", inputs=[])
    (project.root / "data" / "releases" / "ko.txt").write_text(KOREAN_DUMP, encoding="utf-8")
    config = project.config_file.read_text(encoding="utf-8")
    config = config.replace("categories: [Industry, Trade/Investment, Energy]", "categories: [산업, 에너지]")
    project.config_file.write_text(config.replace('language: ""', 'language: "ko"'), encoding="utf-8")
    build(project)
    with serving(project.site) as base:
        watched = open_search(browser, base, f"?q={quote('산업통상자원부')}")
        assert sorted(h["title"] for h in hits(watched.page)) == ["산업통상자원부, 반도체 수출 역대 최고 기록", "수소 경제 활성화 방안 발표"]
        assert "산업통상자원부는" in hits(watched.page)[-1]["excerpt"] + hits(watched.page)[0]["excerpt"]
        watched.page.goto(f"{base}search/?q={quote('수소')}&category={quote('에너지')}", wait_until="load")
        watched.page.locator(COMPLETE).wait_for(timeout=20_000)
        assert [h["title"] for h in hits(watched.page)] == ["수소 경제 활성화 방안 발표"]
        watched.assert_clean("Korean search")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_search_works_from_mkdocs_serve(tmp_path, browser):
    project = make_project(tmp_path / "project")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "generator", "--config", str(project.config_file), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(project.root)}
    server = subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              preexec_fn=ctrl_c_stops_it)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "search/", timeout=30) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline and server.poll() is None, "mkdocs serve did not start"
            time.sleep(0.3)
        watched = Watched(browser, base)
        watched.page.goto(f"{base}search/?q=Cambodia", wait_until="load")
        watched.page.locator(COMPLETE).wait_for(timeout=30_000)
        assert any("Cambodia" in h["title"] for h in hits(watched.page))
        watched.assert_clean("search under mkdocs serve")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
