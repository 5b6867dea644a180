"""Render stage, feeds: RSS 2.0 of the latest releases, and one feed per category.

Generated here, not by a MkDocs plugin, so that the feeds are written with the pages
(whatever builds the site) and carry the dates the dumps give.  A release is dated by day
only; its ``pubDate`` is midnight of that day in the configured time zone, which each
channel's description states.  Every URL is absolute (RSS requires it), made from
``site_url``.  Titles are plain text and descriptions HTML, as RSS readers take them:
a description's text is HTML-escaped before XML escapes it again, so no input becomes markup.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Sequence

from . import urls
from .catalog import Catalog
from .config import SiteIdentity
from .markup import html_text, reading_pieces
from .model import Release

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("atom", ATOM)
SUMMARY_CHARS = 600  # a description holds the text's first paragraphs up to about this length
# Characters XML 1.0 does not allow in a document.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def rss_date(date: dt.date, zone: zoneinfo.ZoneInfo) -> str:
    """RFC 822 date-time (as RSS 2.0 asks) of midnight on ``date`` in ``zone``: ``Tue, 01 Apr 2025 00:00:00 +0900``."""
    return email.utils.format_datetime(dt.datetime.combine(date, dt.time(0), tzinfo=zone))


def zone_statement(zone: zoneinfo.ZoneInfo, on: dt.date) -> str:
    """``Asia/Seoul (UTC+09:00)``, at the offset in force on a given day."""
    offset = dt.datetime.combine(on, dt.time(0), tzinfo=zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"


def summary(body: str) -> str:
    """The first reading paragraphs of a text, about SUMMARY_CHARS long, as HTML."""
    chosen: list[str] = []
    length = 0
    for piece in reading_pieces(body):
        chosen.append(piece)
        length += len(piece)
        if length >= SUMMARY_CHARS:
            break
    return "".join(f"<p>{html_text(piece)}</p>" for piece in chosen)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = xml_safe(text)
    return element


def feed(
    title: str,
    description: str,
    page: str,
    feed_file: str,
    releases: Sequence[Release],
    catalog: Catalog,
    site: SiteIdentity,
    zone: zoneinfo.ZoneInfo,
) -> str:
    """An RSS 2.0 document of ``releases`` (newest first) for the page at Markdown path ``page``.

    Its dates come from the releases only (none from the clock), so an unchanged archive
    gives a byte-identical feed.
    """
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _element(rss, "channel")
    _element(channel, "title", title)
    _element(channel, "link", site.absolute(urls.url_of(page)))
    newest = releases[0].date if releases else dt.date(1970, 1, 1)
    _element(
        channel,
        "description",
        f"{description} Release dates are days in {zone_statement(zone, newest)}; each release is dated at midnight.",
    )
    _element(channel, "language", site.language)
    _element(channel, "generator", "Press Archive")
    _element(channel, "docs", "https://www.rssboard.org/rss-specification")
    if releases:
        _element(channel, "lastBuildDate", rss_date(newest, zone))
    _element(channel, f"{{{ATOM}}}link", href=site.absolute(feed_file), rel="self", type="application/rss+xml")
    for release in releases:
        item = _element(channel, "item")
        url = site.absolute(urls.url_of(catalog.paths[release.id]))
        _element(item, "title", release.title)
        _element(item, "link", url)
        _element(item, "guid", url, isPermaLink="true")
        _element(item, "pubDate", rss_date(release.date, zone))
        classification = catalog.classified[release.id]
        for name in (classification.category, *classification.topics):
            _element(item, "category", name)
        _element(item, "description", summary(release.body))
    ET.indent(rss, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def feeds(catalog: Catalog, site: SiteIdentity, zone: zoneinfo.ZoneInfo, size: int) -> dict[str, str]:
    """The latest ``size`` releases, each category's, and a sitemap of the feeds: path → text."""
    description = site.description or site.name
    files = {
        urls.FEED: feed(
            f"{site.name}: latest releases", description, urls.HOME, urls.FEED, catalog.releases[:size], catalog, site, zone
        )
    }
    for category, releases in catalog.by_category.items():
        page, path = catalog.category_paths[category], catalog.category_feeds[category]
        files[path] = feed(
            f"{site.name}: {category}", f"{category} releases. {description}", page, path, releases[:size], catalog, site, zone
        )
    files[urls.FEED_SITEMAP] = feeds_sitemap(files, site)
    return files


def feeds_sitemap(feed_files, site: SiteIdentity) -> str:
    """A sitemap of the feeds, in their folder (see ``urls.FEED_SITEMAP`` for why it must be there)."""
    urlset = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for path in feed_files:
        _element(_element(urlset, "url"), "loc", site.absolute(path))
    ET.indent(urlset, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"
