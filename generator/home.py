"""Render stage, the home page: a dashboard of the archive (the view ``HomeView``; template ``home.html``).

Counts and shares by category, a chart of releases per month (``chart``) with its numbers
as a table in the same order, the latest releases, the biggest topics, ways to browse, and
the feeds and data files.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from . import chart, urls
from .blocks import FeedLink, ListedRelease, feed_links, listed, newest, page_meta
from .catalog import Catalog
from .config import SiteIdentity
from .dates import zone_in_words

HOME_TOPICS = 10  # topics on the home page


@dataclass(frozen=True)
class CategoryCard:
    """A category on the home page: its number and share of releases, in its colour in the chart."""

    name: str
    href: str
    count: int
    share: int  # whole percent; the shares add up to 100
    colour: str


@dataclass(frozen=True)
class TopicBar:
    name: str
    href: str
    count: int
    width: str  # percent of the biggest topic's bar


@dataclass(frozen=True)
class BrowseCard:
    """A way to browse: its title as a (Markdown) link, then a text and/or some names, ``more`` when not all."""

    title: str
    link: str
    text: str = ""
    names: tuple[str, ...] = ()
    more: bool = False


@dataclass(frozen=True)
class CategoryFeeds:
    name: str
    feeds: tuple[FeedLink, ...]


@dataclass(frozen=True)
class HomeView:
    """What ``home.html`` shows of a non-empty archive."""

    count: int
    first: dt.date
    last: dt.date
    zone: str  # the time zone of the dates, in words
    feeds: tuple[FeedLink, ...]  # the feed of all releases (none without site_url)
    category_feeds: tuple[CategoryFeeds, ...]
    categories: tuple[CategoryCard, ...]
    chart: chart.ChartView
    chart_caption: str
    latest: tuple[ListedRelease, ...]
    archive_link: str
    topics: tuple[TopicBar, ...]
    topics_link: str
    browse: tuple[BrowseCard, ...]
    json_href: str
    csv_href: str


def home_page(catalog: Catalog, site: SiteIdentity, latest: int, zone: zoneinfo.ZoneInfo, feeds: bool = True) -> str:
    """The dashboard (``home.html``): counts by category, a chart of releases per month, the latest releases, the biggest topics.

    ``zone`` is the time zone of the dates (the page names it); ``feeds`` is False when there are no feeds (no site_url).
    """
    path = urls.HOME
    meta = page_meta(catalog.messages("home"), site.description or site.name, newest(catalog.releases[:1]))
    if not catalog.releases:
        return catalog.templates.render("home.html", meta=meta, site=site, home=None, chart=None)
    months = chart.every_month(catalog.category_months)
    view = HomeView(
        count=len(catalog.releases),
        first=catalog.releases[-1].date,
        last=catalog.releases[0].date,
        zone=zone_in_words(zone, catalog.releases[0].date, catalog.dates.locale),
        feeds=feed_links(path, urls.FEED) if feeds else (),
        category_feeds=tuple(CategoryFeeds(c, feed_links(path, catalog.category_feeds[c])) for c in catalog.category_names)
        if feeds
        else (),
        categories=category_cards(catalog),
        chart=chart.chart_view(months, list(catalog.by_category), catalog.dates, catalog.messages, path),
        chart_caption=chart_caption(months, catalog),
        latest=listed(catalog.releases[:latest], catalog, path),
        archive_link=urls.link(path, urls.ARCHIVE_INDEX),
        topics=topic_bars(catalog),
        topics_link=urls.link(path, catalog.main_kind.index_path) if catalog.main_kind else "",
        browse=browse_cards(catalog),
        json_href=urls.href(path, urls.ARCHIVE_DATA),
        csv_href=urls.href(path, urls.ARCHIVE_CSV),
    )
    return catalog.templates.render("home.html", meta=meta, site=site, home=view, chart=view.chart)


def shares(counts: Sequence[int]) -> list[int]:
    """Whole percentages of ``counts`` that add up to 100 (largest remainders get the rounding)."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * count / total for count in counts]
    whole = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - whole[i]), i))
    for index in by_remainder[: 100 - sum(whole)]:
        whole[index] += 1
    return whole


def category_cards(catalog: Catalog) -> tuple[CategoryCard, ...]:
    """Each category with its number and share of releases, in the chart's colour."""
    groups = list(catalog.by_category.items())
    percentages = shares([len(releases) for _, releases in groups])
    return tuple(
        CategoryCard(category, urls.href(urls.HOME, catalog.category_paths[category]), len(releases), share, chart.colour(index))
        for index, ((category, releases), share) in enumerate(zip(groups, percentages))
    )


def chart_caption(months: Sequence[chart.MonthCounts], catalog: Catalog) -> str:
    """What the chart shows, its busiest month, and how many releases are older than its months."""
    dates = catalog.dates
    t = catalog.messages
    busiest = max(months, key=lambda m: (m.total, m.year, m.month))
    earlier = len(catalog.releases) - sum(m.total for m in months)
    first, last = dates.month(months[0].year, months[0].month), dates.month(months[-1].year, months[-1].month)
    caption = t(
        "chart_caption",
        first=first,
        last=last,
        busiest=dates.month(busiest.year, busiest.month),
        count=t.plural("releases", busiest.total),
    )
    return caption + (" " + t("older_releases", count=earlier, months=chart.MAX_MONTHS) if earlier else "")


def topic_bars(catalog: Catalog) -> tuple[TopicBar, ...]:
    """The topics (tags of the main kind) with most releases, each with a bar as long as its share of the biggest."""
    kind = catalog.main_kind
    biggest = list(catalog.by_tag(kind).items())[:HOME_TOPICS] if kind else []
    if not biggest:
        return ()
    most = len(biggest[0][1])
    return tuple(
        TopicBar(name, urls.href(urls.HOME, kind.path(name)), len(releases), f"{100 * len(releases) / most:.0f}")
        for name, releases in biggest
    )


def browse_cards(catalog: Catalog) -> tuple[BrowseCard, ...]:
    path = urls.HOME
    t = catalog.messages
    by_date = t("by_date_text", months=t.plural("months", len(catalog.by_month)), years=t.plural("years", len(catalog.by_year)))
    cards = [
        BrowseCard(t("by_date"), urls.link(path, urls.ARCHIVE_INDEX), text=by_date),
        BrowseCard(t("by_category"), urls.link(path, urls.CATEGORIES_INDEX), names=catalog.category_names),
    ]
    for kind in catalog.kinds:
        groups = catalog.by_tag(kind)
        if groups:
            cards.append(
                BrowseCard(
                    t(f"by_{kind.key}"),
                    urls.link(path, kind.index_path),
                    text=t.plural(kind.plural, len(groups)),
                    names=tuple(list(groups)[:3]),
                    more=True,
                )
            )
    return tuple(cards)
