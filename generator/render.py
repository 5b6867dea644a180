"""Render stage, release pages: the view of each release (``ReleaseView``) that ``release.html``
writes, with its merged versions; and the redirect pages (``redirect.html``).

Input text only ever reaches a page through the templates' escaping; links between pages
are relative links made by ``urls.href``, which resolve the same under MkDocs and Zensical.
"""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse
from dataclasses import dataclass

from . import memo, urls
from .blocks import ListedRelease, Pager, PagerStep, description_of, first_words, listed, page_meta
from .catalog import Catalog
from .cutoff import CutOff
from .markup import reading_pieces
from .model import Release, Variant
from .progress import Track
from .pagecache import PageCache
from .writer import Page

CAPTION_LENGTH_RATIO = 2.0  # a merged text this many times shorter than the release is called a caption


@dataclass(frozen=True)
class TagLink:
    name: str
    href: str


@dataclass(frozen=True)
class TagRow:
    """A release's tags of one kind, as chips under a label ("Topics")."""

    label: str
    links: tuple[TagLink, ...]


@dataclass(frozen=True)
class VariantView:
    """A text merged into a release: its title, date and paragraphs; its own source link when it differs."""

    title: str
    date: dt.date
    day: str  # the date as readers see it
    source_url: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class SourceLine:
    """One input record of a release, for the provenance note: ``file``:``line``, and what it was."""

    file: str
    line: int
    role: str


@dataclass(frozen=True)
class ReleaseView:
    """What ``release.html`` writes beyond the release itself: links, tags, texts, neighbours, sources."""

    day: str  # the release's date as readers see it
    category: str
    category_inferred: bool
    category_href: str
    month_name: str
    month_href: str
    year: int
    year_href: str
    source_host: str
    tags: tuple[TagRow, ...]
    cut_off: CutOff | None
    paragraphs: tuple[str, ...]
    versions_summary: str
    variants: tuple[VariantView, ...]
    pager: Pager
    related: tuple[ListedRelease, ...]
    data_href: str
    sources: tuple[SourceLine, ...]


def release_pages(catalog: Catalog, pages: PageCache | None = None, track: Track = iter) -> list[tuple[str, Page]]:
    """Every release's page, by its path; those ``pages`` finds unchanged are ``Kept``."""
    if pages is None:
        return [(catalog.paths[r.id], release_page(r, catalog)) for r in track(catalog.releases)]
    return [
        (catalog.paths[r.id], pages.page(catalog.paths[r.id], release_page_key(r, catalog), functools.partial(release_page, r, catalog)))
        for r in track(catalog.releases)
    ]


def release_page_key(release: Release, catalog: Catalog) -> bytes:
    """A digest of everything of the archive a release's page shows (all ``release_page`` reads
    from the catalog): the release and its classification, its path, and what any page shows
    of each release it links to (``blocks.listed_key``).  Settings and templates are the ``PageCache``'s."""
    classification = catalog.classified[release.id]
    neighbours = catalog.neighbours(release)
    return memo.parts_key(
        catalog.release_key(release),
        catalog.paths[release.id],
        catalog.category_paths[classification.category],
        *(catalog.listed_key(other.id) if other is not None else None for other in (neighbours.older, neighbours.newer)),
        *(catalog.listed_key(i) for i in classification.related),  # the last parts: their number is told by the digest
    )


def release_page(release: Release, catalog: Catalog) -> str:
    """A release's page (template ``release.html``): title, date, category and tags, text, merged
    versions, neighbours, related releases, provenance.

    The title is the page's Markdown heading, so it is the first entry of the page's table of
    contents, where the theme's "Skip to content" link leads.
    """
    path = catalog.paths[release.id]
    classification = catalog.classified[release.id]
    category = classification.category
    meta = page_meta(
        release.title,
        description_of(release.body),
        release.newest_date,
        date=release.date,
        category=category,
        category_inferred=classification.category_inferred,
        **{kind.field: list(classification.of(kind)) for kind in catalog.kinds},
        id=release.id,
        page_kind="release",
    )
    if release.source_url:
        meta["source_url"] = release.source_url
    if classification.cut_off:
        meta["cut_off"] = classification.cut_off.how
    # Zensical draws `tags` as a second row of chips, unlinked; the page shows its own, linked.
    meta["hide"] = [*meta["hide"], "tags"]
    year, month = release.month
    t = catalog.messages
    tags = tuple(
        TagRow(t(f"kind_{kind.key}"), tuple(TagLink(name, urls.href(path, kind.path(name))) for name in classification.of(kind)))
        for kind in catalog.kinds
        if classification.of(kind)
    )
    view = ReleaseView(
        day=catalog.dates.day(release.date),
        category=category,
        category_inferred=classification.category_inferred,
        category_href=urls.href(path, catalog.category_paths[category]),
        month_name=catalog.dates.month(year, month),
        month_href=urls.href(path, urls.month_path(year, month)),
        year=year,
        year_href=urls.href(path, urls.year_path(year)),
        source_host=urllib.parse.urlsplit(release.source_url).hostname or "" if release.source_url else "",
        tags=tags,
        cut_off=classification.cut_off,
        paragraphs=tuple(reading_pieces(release.body)),
        versions_summary=versions_summary(release, catalog) if release.variants else "",
        variants=tuple(
            VariantView(
                v.text.title,
                v.text.date,
                catalog.dates.day(v.text.date),
                v.text.source_url if v.text.source_url != release.source_url else "",
                tuple(reading_pieces(v.text.body)),
            )
            for v in release.variants
        ),
        pager=release_pager(release, catalog),
        related=listed((catalog.release_by_id[i] for i in classification.related), catalog, path),
        data_href=urls.href(path, urls.ARCHIVE_DATA),
        sources=sources(release, catalog),
    )
    return catalog.templates.render("release.html", meta=meta, release=release, view=view)


def release_pager(release: Release, catalog: Catalog) -> Pager:
    """Links to the releases just before and after this one by date."""
    neighbours = catalog.neighbours(release)
    path = catalog.paths[release.id]

    def step(neighbour: Release | None, label: str) -> PagerStep | None:
        if neighbour is None:
            return None
        href = urls.href(path, catalog.paths[neighbour.id])
        return PagerStep(href, label, neighbour.title, catalog.dates.day(neighbour.date))

    t = catalog.messages
    return Pager(t("releases_around"), step(neighbours.older, t("previous_release")), step(neighbours.newer, t("next_release")))


def version_kind(release: Release, variant: Variant) -> str:
    """What a merged text is (a message key's end): a caption (much shorter), a shorter version, or another version."""
    if variant.match.length_ratio >= CAPTION_LENGTH_RATIO:
        return "short_caption"
    if len(variant.text.body) < len(release.body):
        return "shorter_version"
    return "another_version"


def version_phrase(release: Release, variant: Variant, catalog: Catalog) -> str:
    """``a short caption, “Title”, on 28 April 2025`` (plain text): the title only when it differs."""
    t = catalog.messages
    title = t("version_title", title=variant.text.title) if variant.text.title != release.title else ""
    return t(f"version_{version_kind(release, variant)}", title=title, day=catalog.dates.day(variant.text.date))


def versions_summary(release: Release, catalog: Catalog) -> str:
    """``Also published as a short caption, “Title”, on 28 April 2025`` (plain text)."""
    t = catalog.messages
    phrases = [version_phrase(release, v, catalog) for v in release.variants]
    versions = phrases[0] if len(phrases) == 1 else t("versions_joiner").join(phrases[:-1]) + t("versions_last_joiner") + phrases[-1]
    return t("also_published_as", versions=versions)


def sources(release: Release, catalog: Catalog) -> tuple[SourceLine, ...]:
    """Where the page comes from, for those who check: the input records, by file and line."""
    t = catalog.messages
    lines = []
    for text in release.texts:
        if text.id == release.id:
            role = t("role_this_text")
        else:
            variant = next(v for v in release.variants if v.text.id == text.id)
            role = t(f"role_{version_kind(release, variant)}", day=catalog.dates.day(text.date))
        lines.extend(SourceLine(s.file, s.line, role) for s in text.sources)
    return tuple(lines)


def redirect_page(url: str, target: str, catalog: Catalog) -> str:
    """A static page (``redirect.html``) that sends readers and search engines from a retired URL to its content's new home."""
    release = catalog.release_at.get(target)
    return catalog.templates.render(
        "redirect.html",
        href=urls.relative_url(url, urls.url_of(target)),
        title=release.title if release else None,
        language=catalog.messages.language,
    )
