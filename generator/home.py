"""Render stage, the home page: a dashboard of the archive.

Counts and shares by category, a chart of releases per month (``chart``) with its numbers
as a table in the same order, the latest releases, the biggest topics, ways to browse, and
the feeds and data files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import chart, urls
from .blocks import TAG_KINDS, front_matter, listing, newest, page_meta, plural, subscribe_links, time_element
from .catalog import Catalog
from .config import SiteIdentity
from .markup import html_text, markdown_text

HOME_TOPICS = 10  # topics on the home page


def home_page(catalog: Catalog, site: SiteIdentity, latest: int, zone: str, feeds: bool = True) -> str:
    """The dashboard: counts by category, a chart of releases per month, the latest releases, the biggest topics.

    ``zone`` states the time zone of the dates; ``feeds`` is False when there are no feeds (no site_url).
    """
    path = urls.HOME
    meta = page_meta("Home", site.description or site.name, newest(catalog.releases[:1]))
    meta["hide"] = ["navigation", "toc"]
    parts = [front_matter(meta)]
    # The site's name is the page's Markdown heading, where the theme's "Skip to content" leads.
    parts.append(f"# {markdown_text(site.name)} {{: #title .pa-title tabindex=\"-1\" }}\n\n")
    parts.append('<div class="pa-dashboard" markdown>\n\n')
    if site.description:
        parts.append(f'<p class="pa-lead">{html_text(site.description)}</p>\n\n')
    if not catalog.releases:
        parts.append("The archive is empty: no release has been generated yet.\n\n</div>\n")
        return "".join(parts)
    first, last = catalog.releases[-1].date, catalog.releases[0].date
    parts.append(
        f'<p class="pa-summary">{plural(len(catalog.releases), "release")} from '
        f"{time_element(first, catalog)} to {time_element(last, catalog)}. "
        f"Dates are as published, in {html_text(zone)}.</p>\n\n"
    )
    if feeds:
        parts.append(subscribe_links(path, urls.FEED, "new releases"))
    parts.append(category_cards(catalog))
    parts.append("## Releases per month\n\n")
    parts.append(month_chart(catalog))
    parts.append('<div class="pa-columns" markdown>\n<div class="pa-column" markdown>\n\n## Latest releases\n\n')
    parts.append(listing(catalog.releases[:latest], catalog, path))
    parts.append(f"[All releases by date]({urls.link(path, urls.ARCHIVE_INDEX)})\n\n</div>\n")
    if catalog.by_topic:
        parts.append('<div class="pa-column" markdown>\n\n## Biggest topics\n\n')
        parts.append(topic_bars(catalog))
        parts.append(f"[All topics]({urls.link(path, urls.TOPICS_INDEX)})\n\n</div>\n")
    parts.append("</div>\n\n")
    parts.append(browse_cards(catalog))
    parts.append(feeds_and_data(catalog, feeds))
    parts.append("</div>\n")
    return "".join(parts)


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


def category_cards(catalog: Catalog) -> str:
    """Each category with its number and share of releases, in the chart's colour."""
    items = []
    groups = list(catalog.by_category.items())
    percentages = shares([len(releases) for _, releases in groups])
    for index, ((category, releases), share) in enumerate(zip(groups, percentages)):
        items.append(
            f'<li><span class="pa-swatch" style="background:{chart.colour(index)}"></span>'
            f'<a href="{urls.href(urls.HOME, catalog.category_paths[category])}">{html_text(category)}</a>'
            f'<span class="pa-count">{len(releases):,}</span>'
            f'<span class="pa-share">{"release" if len(releases) == 1 else "releases"} · '
            f"{share}% of the archive</span></li>"
        )
    return '<div class="grid cards pa-category-cards">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>\n\n"


def month_chart(catalog: Catalog) -> str:
    """The chart of releases per month by category, its legend, and its numbers as a table."""
    categories = list(catalog.by_category)
    months = chart.every_month(catalog.category_months)
    dates = catalog.dates
    busiest = max(months, key=lambda m: (m.total, m.year, m.month))
    earlier = len(catalog.releases) - sum(m.total for m in months)
    first, last = dates.month(months[0].year, months[0].month), dates.month(months[-1].year, months[-1].month)
    caption = (
        f"Releases per month from {first} to {last}, by category; each bar leads to its month. "
        f"The busiest month is {dates.month(busiest.year, busiest.month)}, with {plural(busiest.total, 'release')}."
        + (f" {plural(earlier, 'older release')} {'is' if earlier == 1 else 'are'} before its {chart.MAX_MONTHS} months." if earlier else "")
    )
    legend = "".join(
        f'<li><span class="pa-swatch" style="background:{chart.colour(i)}"></span>{html_text(c)}</li>'
        for i, c in enumerate(categories)
    )
    header = "".join(f'<th scope="col">{html_text(c)}</th>' for c in categories)
    rows = []
    for month in months:  # the chart's months in the chart's order: oldest first, empty months too
        cells = "".join(f"<td>{month.counts.get(c, 0):,}</td>" for c in categories)
        name = html_text(dates.month(month.year, month.month))
        if month.total:
            name = f'<a href="{urls.href(urls.HOME, urls.month_path(month.year, month.month))}">{name}</a>'
        rows.append(f'<tr><th scope="row">{name}</th>{cells}<td>{month.total:,}</td></tr>')
    return (
        f'<figure class="pa-chart-figure">\n{chart.monthly_chart(months, categories, dates, urls.HOME)}\n'
        f'<figcaption><ul class="pa-legend">{legend}</ul><p>{html_text(caption)}</p></figcaption>\n</figure>\n\n'
        '<details class="pa-chart-table">\n<summary>The numbers as a table</summary>\n'
        f'<table>\n<thead><tr><th scope="col">Month</th>{header}<th scope="col">All</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</details>\n\n"
    )


def topic_bars(catalog: Catalog) -> str:
    """The topics with most releases, each with a bar as long as its share of the biggest."""
    biggest = list(catalog.by_topic.items())[:HOME_TOPICS]
    most = len(biggest[0][1])
    items = "\n".join(
        f'<li><a href="{urls.href(urls.HOME, urls.topic_path(name))}">{html_text(name)}</a> '
        f'<span class="pa-count">{len(releases):,}</span>'
        f'<span class="pa-bar" style="width:{100 * len(releases) / most:.0f}%"></span></li>'
        for name, releases in biggest
    )
    return f'\n<ul class="pa-topic-bars">\n{items}\n</ul>\n\n'


def browse_cards(catalog: Catalog) -> str:
    path = urls.HOME
    parts = ["## Browse\n\n", '<div class="grid cards" markdown>\n\n']
    parts.append(
        f"- **[By date]({urls.link(path, urls.ARCHIVE_INDEX)})**\n\n"
        f"    {plural(len(catalog.by_month), 'month')} with releases, in {plural(len(catalog.by_year), 'year')}; newest first\n\n"
    )
    parts.append(
        f"- **[By category]({urls.link(path, urls.CATEGORIES_INDEX)})**\n\n"
        f"    {', '.join(markdown_text(c) for c in catalog.category_names)}\n\n"
    )
    for kind in TAG_KINDS:
        groups = kind.groups(catalog)
        if not groups:
            continue
        biggest = ", ".join(markdown_text(name) for name in list(groups)[:3])
        parts.append(
            f"- **[By {kind.noun}]({urls.link(path, kind.index_path)})**\n\n"
            f"    {plural(len(groups), kind.noun)}{': ' + biggest + '&nbsp;…' if biggest else ''}\n\n"
        )
    parts.append("</div>\n\n")
    return "".join(parts)


def feeds_and_data(catalog: Catalog, feeds: bool) -> str:
    path = urls.HOME
    parts = ["## Subscribe and download\n\n" if feeds else "## Download\n\n"]
    if feeds:
        parts.append(subscribe_links(path, urls.FEED, "all new releases"))
        parts.extend(subscribe_links(path, catalog.category_feeds[c], f"new {c} releases") for c in catalog.category_names)
    parts.append(
        f'<p>Every release, with its text, tags and permanent address: '
        f'<a href="{urls.href(path, urls.ARCHIVE_DATA)}" download>archive.json</a> · '
        f'<a href="{urls.href(path, urls.ARCHIVE_CSV)}" download>archive.csv</a> '
        "(a table for spreadsheets, one row per release).</p>\n\n"
    )
    return "".join(parts)


