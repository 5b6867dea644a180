"""Render stage, listing pages: the archive by date (years, months), categories, and tags of each kind.

Each page's ``<title>`` says what it lists ("Releases of April 2025", "Topic: Hydrogen"),
its description says how many releases from when, and its ``lastmod`` is its newest release.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from . import urls
from .blocks import (
    CountedLink,
    PagerStep,
    TagKind,
    counted_links,
    front_matter,
    listing,
    newest,
    page_meta,
    pager,
    plural,
    subscribe_links,
)
from .catalog import Catalog
from .markup import html_text, markdown_text
from .model import Release

LATEST_ON_SPLIT_LISTING = 10  # a listing split by year shows this many of its newest releases first


def span(releases: Sequence[Release], catalog: Catalog) -> str:
    """``from 23 December 2024 to 25 July 2025`` (plain text) for releases newest first."""
    if not releases:
        return ""
    first, last = catalog.dates.day(releases[-1].date), catalog.dates.day(releases[0].date)
    return f"on {first}" if first == last else f"from {first} to {last}"


def archive_index_page(catalog: Catalog) -> str:
    path = urls.ARCHIVE_INDEX
    description = f"All {plural(len(catalog.releases), 'release')} by year and month, {span(catalog.releases, catalog)}."
    parts = [front_matter(page_meta("Archive", description, newest(catalog.releases[:1]))), "# Archive by date\n\n"]
    for year, months in catalog.by_year.items():
        total = sum(len(r) for r in months.values())
        parts.append(f"## [{year}]({urls.link(path, urls.year_path(year))})\n\n")
        parts.append(f"{plural(total, 'release')}\n\n")
        parts.append(counted_links(month_links(year, months, catalog), path))
    return "".join(parts)


def month_links(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog) -> list[CountedLink]:
    return [CountedLink(catalog.dates.month(year, month), urls.month_path(year, month), len(r)) for month, r in months.items()]


def year_page(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog, page_size: int) -> str:
    """A year's releases under month headings; a year with more than ``page_size`` lists its months instead."""
    path = urls.year_path(year)
    releases = [release for month_releases in months.values() for release in month_releases]
    intro = f"{plural(len(releases), 'release')} in {plural(len(months), 'month')}, newest first."
    description = f"{plural(len(releases), 'release')} of {year}, {span(releases, catalog)}."
    meta = page_meta(f"Releases of {year}", description, newest(releases[:1]))
    years = year_pager(year, catalog)
    if len(releases) <= page_size:
        return grouped_listing_page(str(year), meta, releases, catalog, path, True, years + intro, link_months=True) + years
    return front_matter(meta) + f"# {year}\n\n{years}{intro}\n\n" + counted_links(month_links(year, months, catalog), path) + years


def year_pager(year: int, catalog: Catalog) -> str:
    neighbours = catalog.neighbour_years(year)

    def step(neighbour: int | None, label: str) -> PagerStep | None:
        return PagerStep(urls.year_path(neighbour), label, str(neighbour)) if neighbour is not None else None

    return pager(
        urls.year_path(year), f"Previous and next year of {year}", step(neighbours.older, "Previous year"), step(neighbours.newer, "Next year")
    )


def month_page(year: int, month: int, releases: tuple[Release, ...], catalog: Catalog) -> str:
    path = urls.month_path(year, month)
    name = catalog.dates.month(year, month)
    meta = page_meta(f"Releases of {name}", f"{plural(len(releases), 'release')} of {name}, newest first.", newest(releases[:1]))
    months = month_pager(year, month, catalog)
    return (
        front_matter(meta)
        + f"# {markdown_text(name)}\n\n"
        + months
        + f"{plural(len(releases), 'release')}, newest first. More from [{year}]({urls.link(path, urls.year_path(year))}).\n\n"
        + listing(releases, catalog, path)
        + months
    )


def month_pager(year: int, month: int, catalog: Catalog) -> str:
    """Links to the months with releases just before and after this one."""
    neighbours = catalog.neighbour_months(year, month)

    def step(neighbour: tuple[int, int] | None, label: str) -> PagerStep | None:
        return PagerStep(urls.month_path(*neighbour), label, html_text(catalog.dates.month(*neighbour))) if neighbour else None

    return pager(
        urls.month_path(year, month),
        f"Previous and next month of {html_text(catalog.dates.month(year, month))}",
        step(neighbours.older, "Previous month"),
        step(neighbours.newer, "Next month"),
    )


def categories_index_page(catalog: Catalog) -> str:
    path = urls.CATEGORIES_INDEX
    entries = [CountedLink(category, catalog.category_paths[category], len(r)) for category, r in catalog.by_category.items()]
    description = f"The archive's releases by category: {', '.join(catalog.category_names)}."
    meta = page_meta("Categories", description, newest(catalog.releases[:1]))
    return front_matter(meta) + "# Categories\n\n" + counted_links(entries, path)


def category_pages(
    category: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int, feeds: bool = True
) -> dict[str, str]:
    """A category's listing, with links to its feeds (which the theme also names in the page's head)."""
    path = catalog.category_paths[category]
    title = f"Category: {category}"
    description = f"{plural(len(releases), 'release')} in the category {category}, {span(releases, catalog)}."
    intro = f"{plural(len(releases), 'release')}, newest first."
    feed_meta = {}
    if feeds:
        feed_meta = {"feeds": urls.feed_paths(catalog.category_feeds[category]), "feed_title": category}
        intro += "\n\n" + subscribe_links(path, catalog.category_feeds[category], f"new {category} releases")
    return listing_pages(category, title, description, releases, catalog, path, False, intro, page_size, feed_meta)


def tag_index_page(kind: TagKind, groups: Mapping[str, tuple[Release, ...]], catalog: Catalog) -> str:
    """Every tag of one kind with its number of releases, the biggest first."""
    path = kind.index_path
    description = f"The archive's releases by {kind.noun}: {plural(len(groups), kind.noun)}, the biggest first."
    parts = [front_matter(page_meta(kind.title, description, newest(catalog.releases[:1]))), f"# {kind.title}\n\n"]
    if not groups:
        parts.append(f"No release has a {kind.noun} yet.\n")
        return "".join(parts)
    parts.append(f"{plural(len(groups), kind.noun)}, by number of releases.\n\n")
    entries = [CountedLink(name, kind.path(name), len(r), catalog.descriptions.get(name, "")) for name, r in groups.items()]
    parts.append(counted_links(entries, path))
    return "".join(parts)


def tag_pages(kind: TagKind, name: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int) -> dict[str, str]:
    description = catalog.descriptions.get(name)
    intro = (f"{markdown_text(description)}. " if description else "") + (
        f"{plural(len(releases), 'release')} with this {kind.noun}, newest first. "
        f"[All {kind.title.lower()}]({urls.link(kind.path(name), kind.index_path)})"
    )
    title = f"{kind.noun.capitalize()}: {name}"
    summary = f"{plural(len(releases), 'release')} with the {kind.noun} {name}, {span(releases, catalog)}."
    return listing_pages(name, title, summary, releases, catalog, kind.path(name), True, intro, page_size)


def listing_pages(
    name: str,
    title: str,
    description: str,
    releases: tuple[Release, ...],
    catalog: Catalog,
    path: str,
    show_category: bool,
    intro: str,
    page_size: int,
    extra_meta: Mapping = MappingProxyType({}),
) -> dict[str, str]:
    """The page listing a category's or tag's releases; past ``page_size`` releases, one page per year.

    The listing page then shows the latest releases and the years with their counts: no
    page grows with the whole archive, so neither a reader's download nor MkDocs' work does.
    """
    meta = page_meta(title, description, newest(releases[:1]), **extra_meta)
    if len(releases) <= page_size:
        return {path: grouped_listing_page(name, meta, releases, catalog, path, show_category, intro)}
    by_year: dict[int, list[Release]] = {}
    for release in releases:
        by_year.setdefault(release.date.year, []).append(release)
    parts = [front_matter(meta), f"# {markdown_text(name)}\n\n{intro}\n\n"]
    parts.append("## Latest\n\n" + listing(releases[:LATEST_ON_SPLIT_LISTING], catalog, path, show_category) + "\n")
    parts.append("## By year\n\n")
    parts.append(counted_links([CountedLink(str(y), urls.listing_year_path(path, y), len(r)) for y, r in by_year.items()], path))
    pages = {path: "".join(parts)}
    for year, year_releases in by_year.items():
        year_path = urls.listing_year_path(path, year)
        year_intro = (
            f"{plural(len(year_releases), 'release')} in {year}, newest first. "
            f"[All years of {markdown_text(name)}]({urls.link(year_path, path)})"
        )
        year_meta = page_meta(
            f"{title}, {year}", f"{plural(len(year_releases), 'release')} of {year}. {description}", newest(year_releases[:1])
        )
        pages[year_path] = grouped_listing_page(f"{name}, {year}", year_meta, year_releases, catalog, year_path, show_category, year_intro)
    return pages


def grouped_listing_page(
    name: str,
    meta: Mapping,
    releases: Sequence[Release],
    catalog: Catalog,
    path: str,
    show_category: bool,
    intro: str,
    link_months: bool = False,
) -> str:
    """A listing of ``releases`` (newest first) under month headings.

    On a year page (``link_months``) each heading links to its month's page; on a category's
    or a tag's page a month's page would list every category, so the headings are plain.
    """
    parts = [front_matter(meta), f"# {markdown_text(name)}\n\n{intro}\n\n"]
    for (year, month), month_releases in itertools.groupby(releases, key=lambda r: r.month):
        heading = markdown_text(catalog.dates.month(year, month))
        if link_months:
            heading = f"[{heading}]({urls.link(path, urls.month_path(year, month))})"
        parts.append(f"## {heading}\n")
        parts.append(listing(month_releases, catalog, path, show_category))
    return "".join(parts)
