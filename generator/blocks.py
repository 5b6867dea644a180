"""Render stage, shared pieces: front matter, listings of releases, counted links, pagers, the kinds of tag.

Every page kind (``render``, ``listings``, ``home``) is built from these; input text only
ever reaches a page through ``markup``, and every link is ``urls.href`` from the page's
own path, so it resolves the same under MkDocs and Zensical.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import urls
from .catalog import Catalog
from .markup import first_sentence, html_text
from .model import Release

# Material's sidebars are left out on every generated page: their navigation holds only the
# section index pages (releases are kept out of the nav), so at full width the left column
# stood empty, and a table of contents of one or two entries highlighted its last one.
HIDE_SIDEBARS = ("navigation", "toc")


@dataclass(frozen=True)
class TagKind:
    """One kind of tag a release carries, with its pages: topics, places, organisations.

    ``key`` names it in the message catalogs: ``kind_topic`` (the index's title), ``topics``
    (a count), ``by_topic``, ``all_topics``, ``kind_title_topic`` (a tag page's title) …
    """

    key: str
    index_path: str
    path: Callable[[str], str]
    groups: Callable[[Catalog], Mapping[str, tuple[Release, ...]]]  # tag -> releases, biggest first
    of: Callable[[object], tuple[str, ...]]  # a Classification's tags of this kind


TAG_KINDS = (
    TagKind("topic", urls.TOPICS_INDEX, urls.topic_path, lambda c: c.by_topic, lambda c: c.topics),
    TagKind("place", urls.PLACES_INDEX, urls.place_path, lambda c: c.by_place, lambda c: c.places),
    TagKind(
        "organization",
        urls.ORGANIZATIONS_INDEX,
        urls.organization_path,
        lambda c: c.by_organization,
        lambda c: c.organizations,
    ),
)


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


def then(html: str) -> str:
    """`` · html``, kept on one line with its separator: a line may break before a "·", never after it."""
    return f' <span class="pa-then">· {html}</span>'


def time_element(date: dt.date, catalog: Catalog) -> str:
    """A date as readers see it, with the ISO date for machines."""
    return f'<time datetime="{date.isoformat()}">{html_text(catalog.dates.day(date))}</time>'


@functools.lru_cache(maxsize=8)
def inferred_mark(messages) -> str:
    """"(inferred)", explained on hover: the same on every listing item of a site."""
    return f'<span class="pa-inferred-mark" title="{html_text(messages("inferred_note"))}">{html_text(messages("inferred"))}</span>'


def category_label(release: Release, catalog: Catalog) -> str:
    """A release's category as a listing shows it; one the source did not give is marked as inferred."""
    classification = catalog.classified[release.id]
    name = html_text(classification.category)
    if classification.category_inferred:
        return f'<span class="pa-category pa-inferred">{name} {inferred_mark(catalog.messages)}</span>'
    return f'<span class="pa-category">{name}</span>'


def listing_item(release: Release, catalog: Catalog, from_path: str, show_category: bool = True) -> str:
    """One release in a listing: its title as a link, then its date and category on a line below.

    A release with the same title on the same day as another also shows its first words.
    """
    target = urls.href(from_path, catalog.paths[release.id])
    meta = time_element(release.date, catalog)
    if show_category:
        meta += then(category_label(release, catalog))
    item = f'<li><a href="{target}">{html_text(release.title)}</a> <span class="pa-item-meta">{meta}</span>'
    if release.id in catalog.sharing_title_and_day:
        item += f' <span class="pa-item-lead">“{html_text(first_words(release.body))}”</span>'
    return item + "</li>"


def listing(releases: Iterable[Release], catalog: Catalog, from_path: str, show_category: bool = True) -> str:
    """A list of releases as one raw HTML block, which Markdown passes through untouched.

    As Markdown, a listing's links and escaped titles were most of MkDocs' work on an index
    page, making the index pages cost as much as all the release pages together.
    """
    items = "\n".join(listing_item(r, catalog, from_path, show_category) for r in releases)
    return f'\n<ul class="pa-listing">\n{items}\n</ul>\n\n'


@dataclass(frozen=True)
class CountedLink:
    """A link to a listing with its number of releases: a month, a year, a tag."""

    name: str  # plain text
    path: str
    count: int
    gloss: str = ""  # plain text after the name: an organisation's full name


def counted_links(entries: Iterable[CountedLink], from_path: str) -> str:
    """Links with their numbers of releases, as one raw HTML block."""
    items = "\n".join(
        f'<li><a href="{urls.href(from_path, e.path)}">{html_text(e.name)}</a>'
        f'{" — " + html_text(e.gloss) if e.gloss else ""} <span class="pa-count">({e.count:,})</span></li>'
        for e in entries
    )
    return f'\n<ul class="pa-counts">\n{items}\n</ul>\n\n'


@dataclass(frozen=True)
class PagerStep:
    """One side of a pager: the page it leads to, a label, and the page's name (HTML)."""

    path: str
    label: str
    name_html: str


def pager(from_path: str, aria_label: str, older: PagerStep | None, newer: PagerStep | None) -> str:
    """A previous/next navigation: the older page on the left, the newer on the right."""
    sides = []
    for step, rel in ((older, "prev"), (newer, "next")):
        if step is None:
            sides.append(f'<span class="pa-pager-{rel}"></span>')
        else:
            sides.append(
                f'<a class="pa-pager-{rel}" rel="{rel}" href="{urls.href(from_path, step.path)}">'
                f'<span class="pa-pager-label">{step.label}</span><span class="pa-pager-title">{step.name_html}</span></a>'
            )
    return f'\n<nav class="pa-pager" aria-label="{aria_label}">\n{"".join(sides)}\n</nav>\n\n'


FEED_FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def subscribe_links(from_path: str, rss_path: str, what: str, catalog: Catalog) -> str:
    """Visible links to a feed in each format: "Subscribe to new Energy releases: RSS · Atom · JSON Feed"."""
    first, *others = (
        f'<a href="{urls.href(from_path, path)}" type="{urls.FEED_MEDIA_TYPES[feed_format]}">{FEED_FORMAT_NAMES[feed_format]}</a>'
        for feed_format, path in urls.feed_paths(rss_path).items()
    )
    links = f'<span class="pa-then">{first}</span>' + "".join(then(link) for link in others)
    return f'<p class="pa-subscribe">{html_text(catalog.messages("subscribe", what=what))} {links}</p>\n\n'
