"""In a real browser: pages built from hostile input run none of it and show it as text.

Drives the system's Chromium (Debian package ``chromium``; PRESS_ARCHIVE_CHROMIUM names
another executable) with Playwright; no browser is downloaded.  Without Chromium these
tests are skipped, unless PRESS_ARCHIVE_BROWSER_TESTS is ``required`` (as in CI), when that
is a failure.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlparse

import pytest

from bench.search import find_chromium, serving
from tests.adversarial import make

pytestmark = pytest.mark.browser
CHROMIUM = find_chromium()
HOSTILE_SOURCES = ("hostile.txt", "records.jsonl", "records.csv")


def _chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("PRESS_ARCHIVE_BROWSER_TESTS") == "required":
        pytest.fail("Chromium is required for the browser tests: apt-get install chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(adversarial):
    project, _result = adversarial
    with serving(project.site) as base:
        yield base, project


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()


class Watched:
    """A page with everything that would show a script ran: dialogs, errors, foreign requests."""

    def __init__(self, browser, base: str):
        self.page = browser.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlparse(base).netloc
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: urlparse(request.url).netloc != host and self.foreign.append(request.url))

    def assert_nothing_ran(self, where: str) -> None:
        assert self.page.evaluate("window.__pwned") is None, f"{where}: input ran as script"
        assert (self.dialogs, self.errors, self.foreign) == ([], [], []), where


def hostile_releases(project) -> list[dict]:
    releases = json.loads((project.site / "archive.json").read_text(encoding="utf-8"))["releases"]
    return [r for r in releases if r["sources"][0]["file"] in HOSTILE_SOURCES]


def test_hostile_pages_run_no_script_and_show_the_input_literally(server, browser):
    base, project = server
    releases = hostile_releases(project)
    assert len(releases) >= len(make.HOSTILE_TITLES)
    watched = Watched(browser, base)
    for release in releases:
        watched.page.goto(base + release["url"], wait_until="load")
        watched.page.wait_for_timeout(50)  # let any injected handler (onerror, onload) fire
        watched.assert_nothing_ran(release["url"])
        assert watched.page.locator("h1.pa-title").inner_text() == release["title"]
        shown = watched.page.locator(".pa-release-text").inner_text()
        assert [line for line in shown.split("\n") if line.strip()] == release["body"].split("\n")
        assert watched.page.title().startswith(release["title"])


def test_search_results_for_hostile_text_are_text(server, browser):
    base, _project = server
    watched = Watched(browser, base)
    watched.page.goto(base, wait_until="load")
    search = watched.page.locator("input.md-search__input")
    search.click(timeout=10_000)
    search.press_sequentially("onerror")
    results = watched.page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    text = watched.page.locator(".md-search-result").inner_text()
    assert "<img src=x onerror=" in text
    watched.page.wait_for_timeout(100)
    watched.assert_nothing_ran("search results")
    assert watched.page.locator(".md-search-result img, .md-search-result iframe, .md-search-result script").count() == 0


def test_category_and_listing_pages_show_hostile_names_as_text(server, browser):
    base, _project = server
    watched = Watched(browser, base)
    for url in ("categories/", "categories/b-bold-b-cat/", "archive/2025/06/"):
        watched.page.goto(base + url, wait_until="load")
        watched.assert_nothing_ran(url)
    watched.page.goto(base + "categories/b-bold-b-cat/", wait_until="load")
    assert watched.page.locator("article h1").inner_text() == "<b>Bold</b> cat"
    watched.page.goto(base + "archive/2025/06/", wait_until="load")
    listed = watched.page.locator("article li a").all_inner_texts()
    assert set(make.HOSTILE_TITLES) <= set(listed)
