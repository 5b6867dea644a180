"""Render stage, listing pages: the archive by date (years, months), categories, and tags of each kind.

Each page's ``<title>`` says what it lists ("Releases of April 2025", "Topic: Hydrogen"),
its description says how many releases from when, and its ``lastmod`` is its newest release.
The words are the site language's (``messages``): texts from the catalogs are trusted; names
from the input are escaped for where they go.
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
    t = catalog.messages
    return t("span_one_day", day=first) if first == last else t("span", first=first, last=last)


def archive_index_page(catalog: Catalog) -> str:
    path = urls.ARCHIVE_INDEX
    t = catalog.messages
    description = t("archive_description", count=t.plural("releases", len(catalog.releases)), span=span(catalog.releases, catalog))
    meta = page_meta(t("archive"), description, newest(catalog.releases[:1]))
    parts = [front_matter(meta), f"# {t('archive_heading')}\n\n"]
    for year, months in catalog.by_year.items():
        total = sum(len(r) for r in months.values())
        parts.append(f"## [{year}]({urls.link(path, urls.year_path(year))})\n\n")
        parts.append(f"{t.plural('releases', total)}\n\n")
        parts.append(counted_links(month_links(year, months, catalog), path))
    return "".join(parts)


def month_links(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog) -> list[CountedLink]:
    return [CountedLink(catalog.dates.month(year, month), urls.month_path(year, month), len(r)) for month, r in months.items()]


def year_page(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog, page_size: int) -> str:
    """A year's releases under month headings; a year with more than ``page_size`` lists its months instead."""
    path = urls.year_path(year)
    t = catalog.messages
    releases = [release for month_releases in months.values() for release in month_releases]
    count = t.plural("releases", len(releases))
    intro = t("year_intro", count=count, months=t.plural("months", len(months)))
    description = t("year_description", count=count, year=year, span=span(releases, catalog))
    meta = page_meta(t("year_title", year=year), description, newest(releases[:1]))
    years = year_pager(year, catalog)
    if len(releases) <= page_size:
        return grouped_listing_page(str(year), meta, releases, catalog, path, True, years + intro, link_months=True) + years
    return front_matter(meta) + f"# {year}\n\n{years}{intro}\n\n" + counted_links(month_links(year, months, catalog), path) + years


def year_pager(year: int, catalog: Catalog) -> str:
    neighbours = catalog.neighbour_years(year)
    t = catalog.messages

    def step(neighbour: int | None, label: str) -> PagerStep | None:
        return PagerStep(urls.year_path(neighbour), html_text(label), str(neighbour)) if neighbour is not None else None

    return pager(
        urls.year_path(year),
        html_text(t("years_around", year=year)),
        step(neighbours.older, t("previous_year")),
        step(neighbours.newer, t("next_year")),
    )


def month_page(year: int, month: int, releases: tuple[Release, ...], catalog: Catalog) -> str:
    path = urls.month_path(year, month)
    t = catalog.messages
    name = catalog.dates.month(year, month)
    count = t.plural("releases", len(releases))
    meta = page_meta(t("month_title", month=name), t("month_description", count=count, month=name), newest(releases[:1]))
    months = month_pager(year, month, catalog)
    year_link = f"[{year}]({urls.link(path, urls.year_path(year))})"
    intro = t("month_intro", count=count, year_link=year_link)
    return front_matter(meta) + f"# {markdown_text(name)}\n\n" + months + f"{intro}\n\n" + listing(releases, catalog, path) + months


def month_pager(year: int, month: int, catalog: Catalog) -> str:
    """Links to the months with releases just before and after this one."""
    neighbours = catalog.neighbour_months(year, month)
    t = catalog.messages

    def step(neighbour: tuple[int, int] | None, label: str) -> PagerStep | None:
        if not neighbour:
            return None
        return PagerStep(urls.month_path(*neighbour), html_text(label), html_text(catalog.dates.month(*neighbour)))

    return pager(
        urls.month_path(year, month),
        html_text(t("months_around", month=catalog.dates.month(year, month))),
        step(neighbours.older, t("previous_month")),
        step(neighbours.newer, t("next_month")),
    )


def categories_index_page(catalog: Catalog) -> str:
    path = urls.CATEGORIES_INDEX
    t = catalog.messages
    entries = [CountedLink(category, catalog.category_paths[category], len(r)) for category, r in catalog.by_category.items()]
    description = t("categories_description", names=", ".join(catalog.category_names))
    meta = page_meta(t("categories"), description, newest(catalog.releases[:1]))
    return front_matter(meta) + f"# {t('categories')}\n\n" + counted_links(entries, path)


def category_pages(
    category: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int, feeds: bool = True
) -> dict[str, str]:
    """A category's listing, with links to its feeds (which the theme also names in the page's head)."""
    path = catalog.category_paths[category]
    t = catalog.messages
    count = t.plural("releases", len(releases))
    title = t("category_title", name=category)
    description = t("category_description", count=count, name=category, span=span(releases, catalog))
    intro = t("newest_first", count=count)
    feed_meta = {}
    if feeds:
        feed_meta = {"feeds": urls.feed_paths(catalog.category_feeds[category]), "feed_title": category}
        what = t("new_category_releases", category=category)
        intro += "\n\n" + subscribe_links(path, catalog.category_feeds[category], what, catalog)
    return listing_pages(category, title, description, releases, catalog, path, False, intro, page_size, feed_meta)


def tag_index_page(kind: TagKind, groups: Mapping[str, tuple[Release, ...]], catalog: Catalog) -> str:
    """Every tag of one kind with its number of releases, the biggest first."""
    path = kind.index_path
    t = catalog.messages
    count = t.plural(f"{kind.key}s", len(groups))
    description = t(f"kind_index_description_{kind.key}", count=count)
    title = t(f"kind_{kind.key}")
    parts = [front_matter(page_meta(title, description, newest(catalog.releases[:1]))), f"# {title}\n\n"]
    parts.append(f"{t('kind_index_intro', count=count)}\n\n")
    entries = [CountedLink(name, kind.path(name), len(r), catalog.descriptions.get(name, "")) for name, r in groups.items()]
    parts.append(counted_links(entries, path))
    return "".join(parts)


def tag_pages(kind: TagKind, name: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int) -> dict[str, str]:
    t = catalog.messages
    description = catalog.descriptions.get(name)
    count = t.plural("releases", len(releases))
    all_of_kind = f"[{t(f'all_{kind.key}s')}]({urls.link(kind.path(name), kind.index_path)})"
    intro = (f"{markdown_text(description)}. " if description else "") + f"{t(f'tag_intro_{kind.key}', count=count)} {all_of_kind}"
    title = t(f"kind_title_{kind.key}", name=name)
    summary = t(f"tag_description_{kind.key}", count=count, name=name, span=span(releases, catalog))
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
    t = catalog.messages
    meta = page_meta(title, description, newest(releases[:1]), **extra_meta)
    if len(releases) <= page_size:
        return {path: grouped_listing_page(name, meta, releases, catalog, path, show_category, intro)}
    by_year: dict[int, list[Release]] = {}
    for release in releases:
        by_year.setdefault(release.date.year, []).append(release)
    parts = [front_matter(meta), f"# {markdown_text(name)}\n\n{intro}\n\n"]
    parts.append(f"## {t('latest')}\n\n" + listing(releases[:LATEST_ON_SPLIT_LISTING], catalog, path, show_category) + "\n")
    parts.append(f"## {t('by_year')}\n\n")
    parts.append(counted_links([CountedLink(str(y), urls.listing_year_path(path, y), len(r)) for y, r in by_year.items()], path))
    pages = {path: "".join(parts)}
    for year, year_releases in by_year.items():
        year_path = urls.listing_year_path(path, year)
        count = t.plural("releases", len(year_releases))
        all_years = f"[{t('all_years_of', name=markdown_text(name))}]({urls.link(year_path, path)})"
        year_intro = t("listing_year_intro", count=count, year=year, all_years_link=all_years)
        year_meta = page_meta(
            t("listing_year_title", title=title, year=year),
            t("listing_year_description", count=count, year=year, description=description),
            newest(year_releases[:1]),
        )
        page = grouped_listing_page(f"{name}, {year}", year_meta, year_releases, catalog, year_path, show_category, year_intro)
        pages[year_path] = page
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
