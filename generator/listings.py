"""Render stage, listing pages: the archive by date (years, months), categories, and tags of each kind.

Each function here makes a page's view and renders its template (``archive.html``,
``year.html``, ``month.html``, ``categories.html``, ``tags.html``, ``listing.html``,
``listing-year.html``).

Each page's ``<title>`` says what it lists ("Releases of April 2025", "Topic: Hydrogen"),
its description says how many releases from when, and its ``lastmod`` is its newest release.
The words are the site language's (``messages``): texts from the catalogs are trusted; names
from the input are escaped for where they go.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from . import urls
from .blocks import CountedLink, ListedRelease, Pager, PagerStep, feed_links, FeedLink, listed, newest, page_meta
from .catalog import Catalog
from .model import Release
from .pagecache import PageCache, render_made, render_page
from .tagkinds import TagKind
from .writer import Page

LATEST_ON_SPLIT_LISTING = 10  # a listing split by year shows this many of its newest releases first


def span(releases: Sequence[Release], catalog: Catalog) -> str:
    """``from 23 December 2024 to 25 July 2025`` (plain text) for releases newest first."""
    if not releases:
        return ""
    first, last = catalog.dates.day(releases[-1].date), catalog.dates.day(releases[0].date)
    t = catalog.messages
    return t("span_one_day", day=first) if first == last else t("span", first=first, last=last)


@dataclass(frozen=True)
class YearLinks:
    """A year on the archive's index page: a link to it, its number of releases, its months."""

    year: int
    link: str
    count: int
    months: tuple[CountedLink, ...]


@dataclass(frozen=True)
class MonthGroup:
    """A month's releases under its heading; ``link`` (Markdown) leads to the month's page, if the heading is a link."""

    name: str
    link: str
    entries: tuple[ListedRelease, ...]


def month_groups(releases: Sequence[Release], catalog: Catalog, path: str, link_months: bool = False) -> tuple[MonthGroup, ...]:
    """``releases`` (newest first) by month.

    On a year page (``link_months``) each heading links to its month's page; on a category's
    or a tag's page a month's page would list every category, so the headings are plain.
    """
    return tuple(
        MonthGroup(
            catalog.dates.month(year, month),
            urls.link(path, urls.month_path(year, month)) if link_months else "",
            listed(month_releases, catalog, path),
        )
        for (year, month), month_releases in itertools.groupby(releases, key=lambda r: r.month)
    )


def archive_index_page(catalog: Catalog) -> str:
    """The archive by date (``archive.html``): each year with its months and their numbers of releases."""
    path = urls.ARCHIVE_INDEX
    t = catalog.messages
    description = t("archive_description", count=t.plural("releases", len(catalog.releases)), span=span(catalog.releases, catalog))
    meta = page_meta(t("archive"), description, newest(catalog.releases[:1]))
    years = tuple(
        YearLinks(
            year,
            urls.link(path, urls.year_path(year)),
            sum(len(r) for r in months.values()),
            month_links(year, months, catalog, path),
        )
        for year, months in catalog.by_year.items()
    )
    return catalog.templates.render("archive.html", meta=meta, years=years)


def month_links(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog, from_path: str) -> tuple[CountedLink, ...]:
    return tuple(
        CountedLink(catalog.dates.month(year, month), urls.href(from_path, urls.month_path(year, month)), len(r))
        for month, r in months.items()
    )


def year_page(
    year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog, page_size: int, pages: PageCache | None = None
) -> Page:
    """A year's releases under month headings (``year.html``); a year with more than ``page_size`` lists its months instead."""
    path = urls.year_path(year)
    t = catalog.messages
    releases = [release for month_releases in months.values() for release in month_releases]
    count = t.plural("releases", len(releases))
    description = t("year_description", count=count, year=year, span=span(releases, catalog))
    meta = page_meta(t("year_title", year=year), description, newest(releases[:1]))
    small = len(releases) <= page_size
    context = {
        "meta": meta,
        "year": year,
        "count": len(releases),
        "month_count": len(months),
        "pager": year_pager(year, catalog),
        "months": () if small else month_links(year, months, catalog, path),
    }
    return render_made(
        pages, path, catalog.templates, "year.html", key=(context, catalog.listed_keys(releases) if small else ()),
        make=lambda: {**context, "groups": month_groups(releases, catalog, path, link_months=True) if small else ()},
    )


def year_pager(year: int, catalog: Catalog) -> Pager:
    neighbours = catalog.neighbour_years(year)
    t = catalog.messages
    path = urls.year_path(year)

    def step(neighbour: int | None, label: str) -> PagerStep | None:
        return PagerStep(urls.href(path, urls.year_path(neighbour)), label, str(neighbour)) if neighbour is not None else None

    return Pager(t("years_around", year=year), step(neighbours.older, t("previous_year")), step(neighbours.newer, t("next_year")))


def month_page(
    year: int, month: int, releases: tuple[Release, ...], catalog: Catalog, pages: PageCache | None = None
) -> Page:
    """A month's releases (``month.html``), between links to the months before and after."""
    path = urls.month_path(year, month)
    t = catalog.messages
    name = catalog.dates.month(year, month)
    count = t.plural("releases", len(releases))
    meta = page_meta(t("month_title", month=name), t("month_description", count=count, month=name), newest(releases[:1]))
    context = {"meta": meta, "name": name, "year": year, "year_link": urls.link(path, urls.year_path(year)),
               "pager": month_pager(year, month, catalog)}
    return render_made(
        pages, path, catalog.templates, "month.html", key=(context, catalog.listed_keys(releases)),
        make=lambda: {**context, "entries": listed(releases, catalog, path)},
    )


def month_pager(year: int, month: int, catalog: Catalog) -> Pager:
    """Links to the months with releases just before and after this one."""
    neighbours = catalog.neighbour_months(year, month)
    t = catalog.messages
    path = urls.month_path(year, month)

    def step(neighbour: tuple[int, int] | None, label: str) -> PagerStep | None:
        if not neighbour:
            return None
        return PagerStep(urls.href(path, urls.month_path(*neighbour)), label, catalog.dates.month(*neighbour))

    return Pager(
        t("months_around", month=catalog.dates.month(year, month)),
        step(neighbours.older, t("previous_month")),
        step(neighbours.newer, t("next_month")),
    )


def categories_index_page(catalog: Catalog) -> str:
    path = urls.CATEGORIES_INDEX
    t = catalog.messages
    entries = tuple(
        CountedLink(category, urls.href(path, catalog.category_paths[category]), len(r))
        for category, r in catalog.by_category.items()
    )
    description = t("categories_description", names=", ".join(catalog.category_names))
    meta = page_meta(t("categories"), description, newest(catalog.releases[:1]))
    return catalog.templates.render("categories.html", meta=meta, entries=entries)


@dataclass(frozen=True)
class ListingView:
    """A category's or a tag's listing page (``listing.html``).

    ``kind`` is ``category`` or a tag kind's key.  Up to the listing page size it has
    ``groups`` (months); past it, ``latest`` releases and ``years``, each a page of its own.
    """

    kind: str
    name: str
    count: int
    show_category: bool
    description: str = ""  # a tag's longer name (an organisation's full name)
    all_link: str = ""  # a tag page's link to every tag of its kind
    plural: str = ""  # a tag kind's plural (``TagKind.plural``), which names its ``all_…`` message
    feeds: tuple[FeedLink, ...] = ()  # a category's feeds
    groups: tuple[MonthGroup, ...] = ()
    latest: tuple[ListedRelease, ...] = ()
    years: tuple[CountedLink, ...] = ()


@dataclass(frozen=True)
class ListingYearView:
    """One year of a listing split by year (``listing-year.html``)."""

    name: str
    year: int
    count: int
    show_category: bool
    all_link: str
    groups: tuple[MonthGroup, ...]


def category_pages(
    category: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int, feeds: bool = True,
    pages: PageCache | None = None,
) -> dict[str, Page]:
    """A category's listing, with links to its feeds (which the theme also names in the page's head)."""
    path = catalog.category_paths[category]
    t = catalog.messages
    title = t("category_title", name=category)

    def describe(some: Sequence[Release]) -> str:
        return t("category_description", count=t.plural("releases", len(some)), name=category, span=span(some, catalog))

    feed_meta = {}
    links: tuple[FeedLink, ...] = ()
    if feeds:
        feed_meta = {"feeds": urls.feed_paths(catalog.category_feeds[category]), "feed_title": category}
        links = feed_links(path, catalog.category_feeds[category])
    view = ListingView("category", category, len(releases), False, feeds=links)
    return listing_pages(view, title, describe, releases, catalog, path, page_size, feed_meta, pages)


def tag_index_page(kind: TagKind, groups: Mapping[str, tuple[Release, ...]], catalog: Catalog) -> str:
    """Every tag of one kind with its number of releases, the biggest first (``tags.html``)."""
    path = kind.index_path
    t = catalog.messages
    description = t(f"kind_index_description_{kind.key}", count=t.plural(kind.plural, len(groups)))
    meta = page_meta(t(f"kind_{kind.key}"), description, newest(catalog.releases[:1]))
    entries = tuple(
        CountedLink(name, urls.href(path, kind.path(name)), len(r), catalog.description(kind, name))
        for name, r in groups.items()
    )
    return catalog.templates.render("tags.html", meta=meta, kind=kind.key, plural=kind.plural, entries=entries)


def tag_pages(
    kind: TagKind, name: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int, pages: PageCache | None = None
) -> dict[str, Page]:
    t = catalog.messages
    path = kind.path(name)
    title = t(f"kind_title_{kind.key}", name=name)

    def describe(some: Sequence[Release]) -> str:
        return t(f"tag_description_{kind.key}", count=t.plural("releases", len(some)), name=name, span=span(some, catalog))

    view = ListingView(
        kind.key,
        name,
        len(releases),
        True,
        description=catalog.description(kind, name),
        all_link=urls.link(path, kind.index_path),
        plural=kind.plural,
    )
    return listing_pages(view, title, describe, releases, catalog, path, page_size, pages=pages)


def listing_pages(
    view: ListingView,
    title: str,
    describe: Callable[[Sequence[Release]], str],
    releases: tuple[Release, ...],
    catalog: Catalog,
    path: str,
    page_size: int,
    extra_meta: Mapping = MappingProxyType({}),
    pages: PageCache | None = None,
) -> dict[str, Page]:
    """The page listing a category's or tag's releases; past ``page_size`` releases, one page per year.

    The listing page then shows the latest releases and the years with their counts: no
    page grows with the whole archive, so neither a reader's download nor MkDocs' work does.
    ``describe`` gives a page's description from the releases it lists: a year's page
    speaks of its year alone, so that a release of one year leaves the pages of the others
    as they were (the daily loop rewrites, and rebuilds, only the listings a release enters).
    """
    t = catalog.messages
    meta = page_meta(title, describe(releases), newest(releases[:1]), **extra_meta)
    templates = catalog.templates
    if len(releases) <= page_size:
        return {
            path: render_made(
                pages, path, templates, "listing.html", key=(meta, view, catalog.listed_keys(releases)),
                make=lambda: {"meta": meta, "page": dataclasses.replace(view, groups=month_groups(releases, catalog, path))},
            )
        }
    by_year: dict[int, list[Release]] = {}
    for release in releases:
        by_year.setdefault(release.date.year, []).append(release)
    view = dataclasses.replace(
        view,
        latest=listed(releases[:LATEST_ON_SPLIT_LISTING], catalog, path),
        years=tuple(CountedLink(str(y), urls.href(path, urls.listing_year_path(path, y)), len(r)) for y, r in by_year.items()),
    )
    made = {path: render_page(pages, path, templates, "listing.html", meta=meta, page=view)}
    for year, year_releases in by_year.items():
        year_path = urls.listing_year_path(path, year)
        year_meta = page_meta(t("listing_year_title", title=title, year=year), describe(year_releases), newest(year_releases[:1]))
        year_view = ListingYearView(view.name, year, len(year_releases), view.show_category, urls.link(year_path, path), ())
        made[year_path] = render_made(
            pages, year_path, templates, "listing-year.html", key=(year_meta, year_view, catalog.listed_keys(year_releases)),
            # a partial, not a closure: the loop's variables move on before a cache miss makes the page
            make=functools.partial(_year_context, year_meta, year_view, year_releases, catalog, year_path),
        )
    return made


def _year_context(meta: dict, view: ListingYearView, releases: list[Release], catalog: Catalog, path: str) -> dict:
    return {"meta": meta, "page": dataclasses.replace(view, groups=month_groups(releases, catalog, path))}
