"""A link checker for a built site: every ``href`` and ``src`` of every page, as a browser resolves them.

The site is taken as published at ``base`` (``/`` at a domain's root, ``/archive/`` for a
GitHub project site): each page's URL is ``base`` plus its path (``x/index.html`` is
served as ``x/``), and each link is resolved against it the way a browser does.  A link
is broken when it leaves ``base``, names no file of the site (a folder counts when it
holds ``index.html``), names a fragment that is not an ``id`` of the page it leads to, or
leads from a page to a redirect (the generator links pages, not retired URLs).  Absolute
links to the site's own address (canonical links, feeds) are checked too.  Another host
may only be linked to (``<a href>``, which the reader chooses to follow); anything else
aimed at one (a script, a stylesheet, a canonical link) is broken.

    python -m bench.linkcheck site --base /archive/ --site-url https://example.github.io/archive/
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that make a browser navigate or fetch (srcset is not written by this site).
LINK_ATTRIBUTES = {"href", "src", "action", "poster"}
SCHEMES_NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True)
class Link:
    page: str  # the page's path in the site, e.g. releases/2024/12/x/index.html
    line: int
    url: str
    tag: str  # the element that holds it: a, link, script, img, form, meta (a refresh)


@dataclass(frozen=True)
class BrokenLink:
    link: Link
    reason: str

    def __str__(self) -> str:
        return f"{self.link.page}:{self.link.line}: {self.link.url}: {self.reason}"


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    other_hosts: list[Link] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []
        self.ids: set[str] = set()
        self.redirects = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name) and (name == "id" or tag == "a"):
                self.ids.add(values[name])
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append((line, value, tag))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.redirects = True
            _, _, target = (values.get("content") or "").partition("url=")
            if target:
                self.links.append((line, target.strip(), tag))


def page_url(base: str, page: str) -> str:
    """The URL path a page of the site is served at: ``base`` + ``x/index.html`` → ``base`` + ``x/``."""
    return base + (page[: -len("index.html")] if page == "index.html" or page.endswith("/index.html") else page)


def check_site(site: Path, base: str = "/", site_url: str | None = None) -> Report:
    """Check every link of every HTML page under ``site``, published at the URL path ``base``."""
    assert base.startswith("/") and base.endswith("/"), base
    origin = None
    if site_url:
        parts = urlsplit(site_url)
        origin = f"{parts.scheme}://{parts.netloc}"
    report = Report()
    ids: dict[str, set[str]] = {}
    redirects: set[str] = set()
    links: list[Link] = []
    for file in sorted(site.rglob("*.html")):
        page = file.relative_to(site).as_posix()
        parser = _PageParser()
        parser.feed(file.read_text(encoding="utf-8"))
        parser.close()
        ids[page] = parser.ids
        if parser.redirects:
            redirects.add(page)
        links += [Link(page, line, url, tag) for line, url, tag in parser.links]
    report.pages = len(ids)
    report.links = len(links)
    for link in links:
        url = link.url.strip()
        if not url or url.lower().startswith(SCHEMES_NOT_FETCHED):
            continue
        resolved = urlsplit(urljoin("http://site.invalid" + page_url(base, link.page), url))
        if f"{resolved.scheme}://{resolved.netloc}" not in ("http://site.invalid", origin):
            report.other_hosts.append(link)
            if link.tag != "a":
                report.broken.append(BrokenLink(link, "another host, in a page's own requests or metadata"))
            continue
        path = unquote(resolved.path)
        normal = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
        if not (path.startswith(base) and normal.startswith(base)):
            report.broken.append(BrokenLink(link, f"leaves the site ({path} is not under {base})"))
            continue
        target = _target(site, normal[len(base) :])
        if target is None:
            report.broken.append(BrokenLink(link, f"no such file: {path}"))
        elif target in redirects and link.page not in redirects and link.tag != "meta":
            report.broken.append(BrokenLink(link, f"leads to a redirect ({target}), not to the page it stands for"))
        elif resolved.fragment and target.endswith(".html") and unquote(resolved.fragment) not in ids.get(target, set()):
            report.broken.append(BrokenLink(link, f"no id {resolved.fragment!r} in {target}"))
    return report


def _target(site: Path, relative: str) -> str | None:
    """The file a site-relative path is served from (a folder, written with its final ``/``, by its index.html), or None."""
    candidate = relative + "index.html" if relative.endswith("/") or not relative else relative
    return candidate if (site / candidate).is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.linkcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--base", default="/", help="the URL path the site is published at (default /)")
    parser.add_argument("--site-url", help="the site's address, for absolute links to it")
    args = parser.parse_args(argv)
    report = check_site(args.site, args.base, args.site_url)
    for broken in report.broken:
        print(broken)
    for link in report.other_hosts:
        print(f"{link.page}:{link.line}: {link.url}: another host (a link the reader may follow)")
    print(f"{report.pages} pages, {report.links} links, {len(report.broken)} broken, {len(report.other_hosts)} to other hosts", file=sys.stderr)
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main())
