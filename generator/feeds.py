"""Render stage, feeds: the latest releases, and one feed per category, each as RSS 2.0,
Atom (RFC 4287) and JSON Feed 1.1: one view of a feed (``FeedView``), written by the
templates ``rss.html``, ``atom.html`` and ``json-feed.html``.

Generated here, not by a MkDocs plugin, so that the feeds are written with the pages
(whatever builds the site) and carry the dates the dumps give.  A release is dated by day
only; it is dated at midnight of that day in the configured time zone, which each feed's
description states.  Every URL is absolute (feeds require it), made from ``site_url``.
Titles are plain text and summaries HTML, as feed readers take them: a summary's text is
HTML-escaped before XML (or JSON) escapes it again, so no input becomes markup.  A release
with an address at its publisher links to it: ``via`` in Atom, ``external_url`` in JSON Feed,
a link at the end of the RSS description.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Sequence

from dataclasses import dataclass

from . import urls
from .catalog import Catalog
from .config import SiteIdentity
from .dates import zone_statement
from .markup import html_text, reading_pieces
from .model import Release

GENERATOR = "Press Archive"
SUMMARY_CHARS = 600  # a description holds the text's first paragraphs up to about this length
# Characters XML 1.0 does not allow in a document.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def rss_date(date: dt.date, zone: zoneinfo.ZoneInfo) -> str:
    """RFC 822 date-time (as RSS 2.0 asks) of midnight on ``date`` in ``zone``: ``Tue, 01 Apr 2025 00:00:00 +0900``."""
    return email.utils.format_datetime(dt.datetime.combine(date, dt.time(0), tzinfo=zone))


def iso_datetime(date: dt.date, zone: zoneinfo.ZoneInfo) -> str:
    """RFC 3339 date-time (Atom, JSON Feed) of midnight on ``date`` in ``zone``: ``2025-04-01T00:00:00+09:00``."""
    return dt.datetime.combine(date, dt.time(0), tzinfo=zone).isoformat()


def summary(release: Release, original_label: str) -> str:
    """The first reading paragraphs of a release, about SUMMARY_CHARS long, as HTML; then
    a link to the publisher's page of it, when known."""
    chosen: list[str] = []
    length = 0
    for piece in reading_pieces(release.body):
        chosen.append(piece)
        length += len(piece)
        if length >= SUMMARY_CHARS:
            break
    html = "".join(f"<p>{html_text(piece)}</p>" for piece in chosen)
    if release.source_url:
        html += f'<p><a href="{html_text(release.source_url)}">{html_text(original_label)}</a></p>'
    return html


@dataclass(frozen=True)
class Channel:
    """One feed, whatever its format: what it is called and which page it follows."""

    title: str
    description: str
    page: str  # Markdown path of the page the feed follows (home, a category)
    rss_path: str  # its RSS file; the other formats are named after it (urls.feed_paths)


def channel_description(channel: Channel, releases: Sequence[Release], zone: zoneinfo.ZoneInfo, catalog: Catalog) -> str:
    newest = releases[0].date if releases else dt.date(1970, 1, 1)
    return f"{channel.description} {catalog.messages('feed_dates', zone=zone_statement(zone, newest))}"


@dataclass(frozen=True)
class FeedItem:
    """A release in a feed: absolute URLs, dates in each format's form, its category and topics, a summary in HTML."""

    title: str
    url: str
    source_url: str
    rss_date: str
    published: str
    updated: str
    categories: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class FeedView:
    """What ``rss.html``, ``atom.html`` and ``json-feed.html`` write: one feed, in any format."""

    title: str
    description: str
    language: str
    page_url: str
    rss_url: str
    atom_url: str
    json_url: str
    updated: str
    author: str
    author_url: str
    generator: str
    items: tuple[FeedItem, ...]


def feed_view(
    channel: Channel,
    releases: Sequence[Release],
    catalog: Catalog,
    site: SiteIdentity,
    zone: zoneinfo.ZoneInfo,
) -> FeedView:
    """A feed of ``releases`` (newest first), the same for every format.

    Its dates come from the releases only (none from the clock), so an unchanged archive
    gives a byte-identical feed.
    """
    original = catalog.messages("original_release")
    items = []
    for release in releases:
        url = site.absolute(urls.url_of(catalog.paths[release.id]))
        items.append(
            FeedItem(
                title=release.title,
                url=url,
                source_url=release.source_url,
                rss_date=rss_date(release.date, zone),
                published=iso_datetime(release.date, zone),
                updated=iso_datetime(release.newest_date, zone),
                categories=_categories(release, catalog),
                summary=summary(release, original),
            )
        )
    paths = urls.feed_paths(channel.rss_path)
    return FeedView(
        title=channel.title,
        description=channel_description(channel, releases, zone, catalog),
        language=site.language,
        page_url=site.absolute(urls.url_of(channel.page)),
        rss_url=site.absolute(paths["rss"]),
        atom_url=site.absolute(paths["atom"]),
        json_url=site.absolute(paths["json"]),
        updated=iso_datetime(releases[0].date if releases else dt.date(1970, 1, 1), zone),
        author=site.publisher or site.name,
        author_url=site.publisher_url,
        generator=GENERATOR,
        items=tuple(items),
    )


FEED_TEMPLATES = {"rss": "rss.html", "atom": "atom.html", "json": "json-feed.html"}


def rss_feed(
    channel: Channel, releases: Sequence[Release], catalog: Catalog, site: SiteIdentity, zone: zoneinfo.ZoneInfo
) -> str:
    """An RSS 2.0 document of ``releases`` (newest first)."""
    return xml_safe(catalog.templates.render("rss.html", feed=feed_view(channel, releases, catalog, site, zone)))


def channel_files(
    channel: Channel, releases: Sequence[Release], catalog: Catalog, site: SiteIdentity, zone: zoneinfo.ZoneInfo
) -> dict[str, str]:
    """The feed in every format: path → text."""
    view = feed_view(channel, releases, catalog, site, zone)
    files = {}
    for feed_format, path in urls.feed_paths(channel.rss_path).items():
        text = catalog.templates.render(FEED_TEMPLATES[feed_format], feed=view)
        # A character XML 1.0 does not allow can only come from the input; JSON escapes every character itself.
        files[path] = text if feed_format == "json" else xml_safe(text)
    return files


def _categories(release: Release, catalog: Catalog) -> tuple[str, ...]:
    classification = catalog.classified[release.id]
    kind = catalog.main_kind
    return (classification.category, *(classification.of(kind) if kind else ()))


def feeds(catalog: Catalog, site: SiteIdentity, zone: zoneinfo.ZoneInfo, size: int) -> dict[str, str]:
    """The latest ``size`` releases, each category's, and a sitemap of the feeds: path → text."""
    description = site.description or site.name
    t = catalog.messages
    latest = Channel(t("feed_latest", site=site.name), description, urls.HOME, urls.FEED)
    files = channel_files(latest, catalog.releases[:size], catalog, site, zone)
    for category, releases in catalog.by_category.items():
        channel = Channel(
            t("feed_category", site=site.name, category=category),
            t("feed_category_description", category=category, description=description),
            catalog.category_paths[category],
            catalog.category_feeds[category],
        )
        files |= channel_files(channel, releases[:size], catalog, site, zone)
    files[urls.FEED_SITEMAP] = feeds_sitemap(files, site)
    return files


def empty_feed(path: str, catalog: Catalog, site: SiteIdentity, zone: zoneinfo.ZoneInfo) -> str:
    """A feed an earlier run published whose category is gone: valid, with no items, in its format."""
    title = catalog.messages("feed_retired", site=site.name)
    files = channel_files(Channel(title, title, urls.CATEGORIES_INDEX, urls.feed_rss_path(path)), [], catalog, site, zone)
    return files[path]


def feeds_sitemap(feed_files, site: SiteIdentity) -> str:
    """A sitemap of the feeds, in their folder (see ``urls.FEED_SITEMAP`` for why it must be there)."""
    urlset = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for path in feed_files:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = site.absolute(path)
    ET.indent(urlset, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"
