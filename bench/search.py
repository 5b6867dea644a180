"""What a reader's browser downloads and waits for before the first search result.

    python -m bench.search SITE_DIR QUERY [--sort relevance]

Serves a built site locally and opens its search page for QUERY (``search/?q=QUERY``, as
the header's search box does) in a fresh Chromium (the Debian package, or the executable
named by PRESS_ARCHIVE_CHROMIUM), so nothing is cached.  Reports the bytes fetched from
opening the page until the first result shows, and until the search is complete (every
shard searched, the facet counts shown), as served and as a gzip-serving host such as
GitHub Pages sends them (text files gzip-compressed; Pagefind's index files are compressed
already), split into the page and theme, Pagefind's runtime and the index; and the seconds
to each point.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlparse

RESULT_TIMEOUT_MS = 120_000
TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", "/")  # what a gzip-serving host compresses


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


def part(path: str) -> str:
    """Which part of the download a file is: the page and theme, Pagefind's runtime, or the index."""
    name = path.rsplit("/", 1)[-1]
    if "/search/" not in path or path.endswith("/search/") or name in ("search.js",):
        return "page"
    if name in ("pagefind.js", "pagefind-worker.js") or name.endswith(".pagefind"):
        return "runtime"
    if "/fragment/" in path:
        return "fragments"
    return "index"


def as_served(site: Path, path: str) -> tuple[int, int]:
    """A file's size, and what a gzip-serving host sends of it."""
    local = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    data = local.read_bytes()
    compressed = len(gzip.compress(data, 6)) if path.endswith(TEXT_TYPES) else len(data)
    return len(data), compressed


def measure(site: Path, query: str, sort: str = "date") -> dict:
    from playwright.sync_api import sync_playwright

    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        page = browser.new_page()
        requests = []
        page.on("requestfinished", lambda request: requests.append(request))
        address = f"{base}search/?q={quote(query)}" + ("&sort=relevance" if sort == "relevance" else "")
        page.goto(address, wait_until="commit")
        page.locator('#pa-search[data-state="complete"]').wait_for(timeout=RESULT_TIMEOUT_MS)
        # Times on the browser's clock (milliseconds since the epoch): when the page was asked for,
        # when search.js showed the first results and finished, when each file had arrived.
        started, first_result, complete = page.evaluate(
            """() => [performance.timeOrigin,
                      ...['pa-search-shown', 'pa-search-complete'].map(
                          name => performance.timeOrigin + performance.getEntriesByName(name)[0].startTime)]"""
        )
        status = page.locator("#pa-status").inner_text()
        shown = page.locator(".pa-hit").count()
        finished = [(r.timing["startTime"] + r.timing["responseEnd"], urlparse(r.url).path) for r in requests]
        browser.close()

    def downloaded(until: float) -> dict:
        paths = sorted({path for when, path in finished if when <= until})
        sizes = {path: as_served(site, path) for path in paths}
        by_part: dict[str, int] = {}
        for path, (_raw, served) in sizes.items():
            by_part[part(path)] = by_part.get(part(path), 0) + served
        return {
            "requests": len(paths),
            "bytes": sum(raw for raw, _ in sizes.values()),
            "gzip_bytes": sum(served for _, served in sizes.values()),
            "gzip_bytes_by_part": by_part,
        }

    return {
        "query": query,
        "sort": sort,
        "status": status,
        "results_shown": shown,
        "first_result": {**downloaded(first_result), "seconds": round((first_result - started) / 1000, 2)},
        "complete": {**downloaded(complete), "seconds": round((complete - started) / 1000, 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("query")
    parser.add_argument("--sort", choices=("date", "relevance"), default="date")
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.query, args.sort), indent=1))


if __name__ == "__main__":
    main()
