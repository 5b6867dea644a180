"""What a reader's browser downloads and waits for before the first search result.

    python -m bench.search SITE_DIR QUERY

Serves a built site locally, opens its home page in Chromium (the Debian package, or the
executable named by PRESS_ARCHIVE_CHROMIUM), types QUERY into Material's search box and
waits for the first result.  Reports every byte fetched from opening the page to that
result, as served (uncompressed) and as a gzip-serving host such as GitHub Pages sends it,
with the search index on its own line, and the seconds to the first result.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

SEARCH_INDEX = "search/search_index.json"
RESULT_TIMEOUT_MS = 600_000  # a 20,000-release index takes a while to build in the browser's worker


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free local port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def find_chromium() -> str | None:
    """The Chromium to drive: PRESS_ARCHIVE_CHROMIUM, else the Debian package's."""
    return os.environ.get("PRESS_ARCHIVE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    found = find_chromium()
    if not found:
        raise SystemExit("bench.search needs Chromium: apt-get install chromium")
    return found


def measure(site: Path, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        page = browser.new_page()
        fetched: dict[str, int] = {}
        page.on("requestfinished", lambda request: fetched.setdefault(urlparse(request.url).path, 0))
        started = time.perf_counter()
        page.goto(base, wait_until="load")
        loaded = time.perf_counter()
        page.locator(".md-search__input").click()
        page.keyboard.type(query)
        page.locator(".md-search-result__item").first.wait_for(timeout=RESULT_TIMEOUT_MS)
        first_result = time.perf_counter()
        results = page.locator(".md-search-result__item").count()
        browser.close()
    files = {path.lstrip("/") or "index.html" for path in fetched}
    raw = {name: _size(site, name) for name in files}
    zipped = {name: len(gzip.compress((site / _file(name)).read_bytes(), 6)) for name in files}
    return {
        "query": query,
        "results_shown": results,
        "requests": len(files),
        "bytes": sum(raw.values()),
        "gzip_bytes": sum(zipped.values()),
        "search_index_bytes": raw.get(SEARCH_INDEX, 0),
        "search_index_gzip_bytes": zipped.get(SEARCH_INDEX, 0),
        "seconds_page_load": round(loaded - started, 2),
        "seconds_to_first_result": round(first_result - started, 2),
    }


def _file(name: str) -> str:
    return name + "index.html" if name.endswith("/") or not name else name


def _size(site: Path, name: str) -> int:
    return (site / _file(name)).stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("query")
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.query), indent=1))


if __name__ == "__main__":
    main()
