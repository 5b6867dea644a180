"""Render stage, shared pieces: front matter, the views of listed releases, counted links, pagers
and feed links (written by ``templates/macros.html``).

Every page kind (``render``, ``listings``, ``home``) builds its view from these; input text
only ever reaches a page through a template's escaping or ``markup``, and every link is
``urls.href`` (raw HTML) or ``urls.link`` (Markdown) from the page's own path, so it
resolves the same under MkDocs and Zensical.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import memo, urls
from .markup import first_sentence, html_text
from .model import Release

if TYPE_CHECKING:  # the catalog's own module renders nothing; only the types are needed here
    from .catalog import Catalog

# Material's sidebars are left out on every generated page: their navigation holds only the
# section index pages (releases are kept out of the nav), so at full width the left column
# stood empty, and a table of contents of one or two entries highlighted its last one.
HIDE_SIDEBARS = ("navigation", "toc")


# Characters a YAML double-quoted scalar must not hold as they are: those YAML does not
# allow in a document, and those it reads as line breaks (NEL, LS, PS) or a byte-order mark.
_YAML_UNSAFE = re.compile(r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_value(value) -> str:
    """A value as YAML, in flow style: JSON (which YAML reads) with a date left bare so YAML reads a date.

    JSON's encoder is many times faster than a YAML emitter, which made front matter a
    third of the render time; a test checks MkDocs reads back any text exactly.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def front_matter(meta: Mapping) -> str:
    return "---\n" + "".join(f"{key}: {yaml_value(value)}\n" for key, value in meta.items()) + "---\n\n"


def page_meta(title: str, description: str, lastmod: dt.date | None, **more) -> dict:
    """The front matter every generated page has.

    ``title`` and ``description`` are plain text, made safe here: the theme writes them into
    ``<title>`` and ``<meta content="…">`` as they are.  ``lastmod`` is the newest release
    date on the page, which the sitemap gives search engines (not the build's date).
    """
    meta: dict = {"title": html_text(title), "description": html_text(description)}
    if lastmod is not None:
        meta["lastmod"] = lastmod
    meta["hide"] = list(HIDE_SIDEBARS)
    return meta | more


def newest(releases: Iterable[Release]) -> dt.date | None:
    return max((r.newest_date for r in releases), default=None)


DESCRIPTION_CHARS = 200  # a page description (search results, link previews) is cut at a word near this


def description_of(body: str) -> str:
    """A release's description for search results and link previews: its first sentence."""
    return first_sentence(body, DESCRIPTION_CHARS)


def first_words(body: str, count: int = 12) -> str:
    words = body.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass(frozen=True)
class ListedRelease:
    """One release in a listing (``macros.html``'s ``listing``): its title as a link, its date and category.

    ``lead`` (its first words) is set when another release has the same title on the same day.
    """

    href: str
    title: str
    date: dt.date
    day: str  # the date as readers see it
    category: str
    category_inferred: bool
    lead: str


def listed(releases: Iterable[Release], catalog: Catalog, from_path: str) -> tuple[ListedRelease, ...]:
    """Releases as a listing on the page at ``from_path`` shows them."""
    entries = []
    for release in releases:
        classification = catalog.classified[release.id]
        entries.append(
            ListedRelease(
                urls.href(from_path, catalog.paths[release.id]),
                release.title,
                release.date,
                catalog.dates.day(release.date),
                classification.category,
                classification.category_inferred,
                first_words(release.body) if release.id in catalog.sharing_title_and_day else "",
            )
        )
    return tuple(entries)


def listed_key(release: Release, catalog: Catalog) -> bytes:
    """A digest of what ``listed`` shows of a release on any page (the link's target, not its
    relative form): a listing page is made from these, so when they are as before, so is the page."""
    classification = catalog.classified[release.id]
    lead = first_words(release.body) if release.id in catalog.sharing_title_and_day else ""
    return memo.parts_key(  # short parts, made once per release: one digest, not one per part (``text_key``)
        catalog.paths[release.id], release.title, release.date.isoformat(), classification.category,
        str(classification.category_inferred), lead,
    )


@dataclass(frozen=True)
class CountedLink:
    """A link to a listing with its number of releases: a month, a year, a tag (``macros.html``'s ``counted_links``)."""

    name: str  # plain text
    href: str
    count: int
    gloss: str = ""  # plain text after the name: a tag's longer name (an organisation's full name)


@dataclass(frozen=True)
class PagerStep:
    """One side of a pager: the page it leads to, a label, the page's name, and its date if it has one."""

    href: str
    label: str
    name: str
    when: str = ""


@dataclass(frozen=True)
class Pager:
    """A previous/next navigation (``macros.html``'s ``pager``); ``label`` names it for screen readers."""

    label: str
    older: PagerStep | None
    newer: PagerStep | None


FEED_FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedLink:
    """A feed in one format, linked from a page (``macros.html``'s ``subscribe``)."""

    name: str
    href: str
    media_type: str


def feed_links(from_path: str, rss_path: str) -> tuple[FeedLink, ...]:
    """Links to a feed in each of its formats: RSS, Atom, JSON Feed."""
    return tuple(
        FeedLink(FEED_FORMAT_NAMES[feed_format], urls.href(from_path, path), urls.FEED_MEDIA_TYPES[feed_format])
        for feed_format, path in urls.feed_paths(rss_path).items()
    )
