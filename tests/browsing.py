"""Shared by the browser tests: the system's Chromium, a watched page, and axe-core's verdict.

Drives the system's Chromium (Debian package ``chromium``; PRESS_ARCHIVE_CHROMIUM names
another executable) with Playwright; no browser is downloaded.  Without Chromium (or
axe-core, see ``tests/axe.py``) these tests are skipped, unless PRESS_ARCHIVE_BROWSER_TESTS
is ``required`` (as in CI), when that is a failure.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

from bench.search import find_chromium
from tests import axe

SEVERE = ("serious", "critical")


def _missing(what: str, remedy: str):
    if os.environ.get("PRESS_ARCHIVE_BROWSER_TESTS") == "required":
        pytest.fail(f"{what} is required for the browser tests: {remedy}")
    pytest.skip(f"no {what} on this machine ({remedy})")


def chromium_executable() -> str:
    return find_chromium() or _missing("Chromium", "apt-get install chromium")


def axe_script() -> str:
    try:
        return str(axe.fetch())
    except axe.AxeUnavailable as error:
        return _missing("axe-core", f"python -m tests.axe ({error})")


class Watched:
    """A page with everything that would show a problem: dialogs, errors, failed and foreign requests."""

    def __init__(self, browser, base: str, **context):
        self.page = browser.new_page(**context)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlparse(base).netloc
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # A request cut short by leaving the page (net::ERR_ABORTED) is not a failure of the page.
        self.page.on(
            "requestfailed",
            lambda request: "ERR_ABORTED" not in (request.failure or "")
            and self.errors.append(f"failed: {request.url} {request.failure}"),
        )
        self.page.on("response", lambda response: response.status >= 400 and self.errors.append(f"{response.status} {response.url}"))
        self.page.on("request", lambda request: urlparse(request.url).netloc != host and self.foreign.append(request.url))

    def assert_nothing_ran(self, where: str) -> None:
        assert self.page.evaluate("window.__pwned") is None, f"{where}: input ran as script"
        self.assert_clean(where)

    def assert_clean(self, where: str) -> None:
        assert (self.dialogs, self.errors, self.foreign) == ([], [], []), f"{where}: {self.dialogs} {self.errors} {self.foreign}"


def severe_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, as 'rule: element' lines."""
    page.add_script_tag(path=axe_script())
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {' '.join(node['target'])}"
        for v in violations
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]
