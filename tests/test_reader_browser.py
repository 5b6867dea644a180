"""In a real browser, on the seeds' site as `press-archive build` makes it: what readers do.

The home page loads cleanly; a tag chip leads to a listing holding the page (search has a
file of its own, ``test_search_browser.py``); previous/next move through months and releases; nothing is wider
than a 375 px phone, and the chart's labels stay readable there; "Skip to content" lands on the
release's title; the footer and the subscribe links are there to see; axe-core finds no
serious or critical accessibility violation.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlparse

import pytest

from bench.search import serving
from tests.browsing import Watched, severe_accessibility_violations
from tests.helpers import make_project

pytestmark = pytest.mark.browser
CUT_RELEASE = "Korea’s annual exports reach new highs in 2024"  # a long title, a cut-off notice, related releases
PHONE = {"viewport": {"width": 375, "height": 812}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("reader-browser") / "project")
    result = project.cli("build")
    assert result.returncode == 0, result.stdout + result.stderr
    releases = json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]
    with serving(project.site) as base:
        yield base, releases


def url_of(title: str, releases) -> str:
    return next(r["url"] for r in releases if r["title"] == title)


def path_of(page) -> str:
    return urlparse(page.url).path.lstrip("/")


def test_home_page_renders_the_dashboard_without_errors(site, browser):
    base, releases = site
    watched = Watched(browser, base)
    watched.page.goto(base, wait_until="networkidle")
    watched.assert_clean("home page")
    page = watched.page
    assert page.locator("h1").first.inner_text() == "MOTIE Press Release Archive"
    assert page.locator(".pa-category-cards li").count() == 3
    chart = page.locator("figure.pa-chart-figure .pa-chart-plot").bounding_box()
    assert chart["width"] > 600 and chart["height"] > 150  # drawn full width, not collapsed
    assert page.locator(".pa-column ul.pa-listing li").count() == 10
    assert page.locator(".pa-topic-bars li").count() == 10


def test_a_tag_chip_leads_to_a_listing_that_contains_the_page(site, browser):
    base, releases = site
    release = next(r for r in releases if r["title"] == CUT_RELEASE)
    page = Watched(browser, base).page
    for index, topic in enumerate(release["tags"]):
        page.goto(base + release["url"], wait_until="load")
        page.locator('nav[aria-label="Topics"] a.md-tag').nth(index).click()
        page.wait_for_load_state("load")
        assert path_of(page).startswith("topics/") and page.locator("article h1").inner_text() == topic
        listed = {urlparse(urljoin(page.url, href)).path.lstrip("/") for href in page.locator("article ul.pa-listing a").evaluate_all("links => links.map(a => a.getAttribute('href'))")}
        assert release["url"] in listed


def test_month_pages_step_to_the_previous_and_next_month(site, browser):
    base, _releases = site
    watched = Watched(browser, base)
    page = watched.page
    page.goto(base + "archive/2025/04/", wait_until="load")
    page.locator("nav.pa-pager").first.get_by_role("link", name="Previous month").click()
    page.wait_for_url("**/archive/2025/03/")
    assert page.locator("article h1").inner_text() == "March 2025"
    page.locator("nav.pa-pager").first.get_by_role("link", name="Previous month").click()
    page.wait_for_url("**/archive/2025/01/")  # February 2025 has no release: skipped
    page.locator("nav.pa-pager").last.get_by_role("link", name="Next month").click()
    page.wait_for_url("**/archive/2025/03/")
    page.locator("nav.pa-pager").first.get_by_role("link", name="Next month").click()
    page.wait_for_url("**/archive/2025/04/")
    assert page.locator("article h1").inner_text() == "April 2025"
    watched.assert_clean("month navigation")


def test_release_pages_step_to_the_previous_and_next_release(site, browser):
    base, releases = site
    index = next(i for i, r in enumerate(releases) if r["title"] == CUT_RELEASE)
    page = Watched(browser, base).page
    page.goto(base + releases[index]["url"], wait_until="load")
    page.get_by_role("link", name="Next release").click()
    page.wait_for_url(f"**/{releases[index - 1]['url']}")
    page.get_by_role("link", name="Previous release").click()
    page.get_by_role("link", name="Previous release").click()
    page.wait_for_url(f"**/{releases[index + 1]['url']}")
    assert page.locator("h1.pa-title").inner_text() == releases[index + 1]["title"]


PAGES = ("", "RELEASE", "archive/", "archive/2025/04/", "categories/", "topics/", "topics/exports-and-imports/", "404.html")


@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_a_375_px_phone(site, browser, path):
    base, releases = site
    path = url_of(CUT_RELEASE, releases) if path == "RELEASE" else path
    page = browser.new_page(**PHONE)
    page.goto(base + path, wait_until="load")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2] == 375, widths
    # Material's html hides horizontal overflow, so look for any visible element past the edge too.
    beyond = page.evaluate(
        """() => [...document.querySelectorAll('.md-main *, .md-header *')].filter(e => {
               const box = e.getBoundingClientRect(), style = getComputedStyle(e);
               return box.width > 0 && box.right > window.innerWidth + 0.5 && style.visibility !== 'hidden'
                      && !e.closest('[hidden], .md-sidebar, .md-search__output, .md-tabs, .md-typeset__scrollwrap');
           }).map(e => e.tagName + '.' + e.className)"""
    )
    assert beyond == [], beyond
    page.close()


@pytest.mark.parametrize("path", ("", "RELEASE", "archive/", "archive/2025/04/", "topics/"))
@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_serious_or_critical_violation(site, browser, path, scheme):
    base, releases = site
    path = url_of(CUT_RELEASE, releases) if path == "RELEASE" else path
    page = browser.new_page(color_scheme=scheme)
    page.goto(base + path, wait_until="load")
    assert severe_accessibility_violations(page) == []
    page.close()


def test_skip_to_content_lands_on_the_release_title(site, browser):
    base, releases = site
    release = next(r for r in releases if r["title"] == CUT_RELEASE)
    page = browser.new_page()
    page.goto(base + release["url"], wait_until="load")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    focused = page.evaluate("({tag: document.activeElement.tagName, text: document.activeElement.innerText})")
    assert focused == {"tag": "H1", "text": CUT_RELEASE}
    page.keyboard.press("Tab")  # and on from the title: the release's date line, not the header again
    assert page.evaluate("document.activeElement.closest('.pa-meta') !== null")
    page.goto(base, wait_until="load")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.innerText") == "H1 MOTIE Press Release Archive"
    page.close()


def test_the_chart_is_readable_on_a_phone_and_its_bars_lead_to_their_months(site, browser):
    base, _releases = site
    page = browser.new_page(**PHONE)
    page.goto(base, wait_until="load")
    labels = page.locator(".pa-chart-label").evaluate_all(
        "labels => labels.map(l => [l.innerText, l.getBoundingClientRect().height, parseFloat(getComputedStyle(l).fontSize)])"
    )
    assert len(labels) == 8 and all(height >= 10 and size >= 10 for _text, height, size in labels), labels
    scroller = page.evaluate("(() => { const c = document.querySelector('.pa-chart'); return [c.scrollWidth, c.clientWidth]; })()")
    assert scroller[0] <= scroller[1], scroller  # eight months fit a phone without scrolling
    page.locator(".pa-chart-bars a").first.click()
    page.wait_for_url("**/archive/2024/12/")
    assert page.locator("article h1").inner_text() == "December 2024"
    page.close()


def test_the_footer_and_the_subscribe_links_are_there_to_see(site, browser):
    base, _releases = site
    page = browser.new_page(**PHONE)
    for path, subscribe in (("", 5), ("categories/energy/", 1), ("archive/2025/04/", 0)):
        page.goto(base + path, wait_until="load")
        footer = page.locator("footer .pa-footer")
        assert footer.is_visible() and "unofficial archive" in footer.inner_text()
        assert footer.get_by_role("link", name="Ministry of Trade, Industry and Energy (MOTIE)").is_visible()
        links = page.locator("p.pa-subscribe")
        assert links.count() == subscribe
        for index in range(subscribe):
            assert links.nth(index).is_visible()
            for name in ("RSS", "Atom", "JSON Feed"):
                href = links.nth(index).get_by_role("link", name=name, exact=True).get_attribute("href")
                response = page.request.get(urljoin(page.url, href))
                assert response.ok and response.body().lstrip().startswith((b"<?xml", b"{")), href
    page.close()
