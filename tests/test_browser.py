"""In a real browser: pages built from hostile input run none of it and show it as text (see ``tests/browsing.py``)."""

from __future__ import annotations

import json

import pytest

from bench.search import serving
from tests.adversarial import make
from tests.browsing import Watched

pytestmark = pytest.mark.browser
HOSTILE_SOURCES = ("hostile.txt", "records.jsonl", "records.csv")


@pytest.fixture(scope="module")
def server(adversarial):
    project, _result = adversarial
    with serving(project.site) as base:
        yield base, project


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
