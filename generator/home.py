"""Render stage, the home page: a dashboard of the archive.

Counts and shares by category, a chart of releases per month (``chart``) with its numbers
as a table in the same order, the latest releases, the biggest topics, ways to browse, and
the feeds and data files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import chart, urls
from .blocks import TAG_KINDS, front_matter, listing, newest, page_meta, subscribe_links, time_element
from .catalog import Catalog
from .config import SiteIdentity
from .markup import html_text, markdown_text

HOME_TOPICS = 10  # topics on the home page


def home_page(catalog: Catalog, site: SiteIdentity, latest: int, zone: str, feeds: bool = True) -> str:
    """The dashboard: counts by category, a chart of releases per month, the latest releases, the biggest topics.

    ``zone`` states the time zone of the dates; ``feeds`` is False when there are no feeds (no site_url).
    """
    path = urls.HOME
    t = catalog.messages
    meta = page_meta(t("home"), site.description or site.name, newest(catalog.releases[:1]))
    parts = [front_matter(meta)]
    # The site's name is the page's Markdown heading, where the theme's "Skip to content" leads.
    parts.append(f"# {markdown_text(site.name)} {{: #title .pa-title tabindex=\"-1\" }}\n\n")
    parts.append('<div class="pa-dashboard" markdown>\n\n')
    if site.description:
        parts.append(f'<p class="pa-lead">{html_text(site.description)}</p>\n\n')
    if not catalog.releases:
        parts.append(f"{t('empty_archive')}\n\n</div>\n")
        return "".join(parts)
    first, last = catalog.releases[-1].date, catalog.releases[0].date
    summary = t(
        "summary",
        count=html_text(t.plural("releases", len(catalog.releases))),
        first=time_element(first, catalog),
        last=time_element(last, catalog),
        zone=html_text(zone),
    )
    parts.append(f'<p class="pa-summary">{summary}</p>\n\n')
    if feeds:
        parts.append(subscribe_links(path, urls.FEED, t("new_releases"), catalog))
    parts.append(category_cards(catalog))
    parts.append(f"## {t('releases_per_month')}\n\n")
    parts.append(month_chart(catalog))
    parts.append(f'<div class="pa-columns" markdown>\n<div class="pa-column" markdown>\n\n## {t("latest_releases")}\n\n')
    parts.append(listing(catalog.releases[:latest], catalog, path))
    parts.append(f"[{t('all_releases_by_date')}]({urls.link(path, urls.ARCHIVE_INDEX)})\n\n</div>\n")
    if catalog.by_topic:
        parts.append(f'<div class="pa-column" markdown>\n\n## {t("biggest_topics")}\n\n')
        parts.append(topic_bars(catalog))
        parts.append(f"[{t('all_topics')}]({urls.link(path, urls.TOPICS_INDEX)})\n\n</div>\n")
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
    t = catalog.messages
    items = []
    groups = list(catalog.by_category.items())
    percentages = shares([len(releases) for _, releases in groups])
    for index, ((category, releases), share) in enumerate(zip(groups, percentages)):
        items.append(
            f'<li><span class="pa-swatch" style="background:{chart.colour(index)}"></span>'
            f'<a href="{urls.href(urls.HOME, catalog.category_paths[category])}">{html_text(category)}</a>'
            f'<span class="pa-count">{len(releases):,}</span>'
            f'<span class="pa-share">{html_text(t("share", noun=t("share_noun", count=len(releases)), percent=share))}</span></li>'
        )
    return '<div class="grid cards pa-category-cards">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>\n\n"


def month_chart(catalog: Catalog) -> str:
    """The chart of releases per month by category, its legend, and its numbers as a table."""
    categories = list(catalog.by_category)
    months = chart.every_month(catalog.category_months)
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
    ) + (" " + t("older_releases", count=earlier, months=chart.MAX_MONTHS) if earlier else "")
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
        f'<figure class="pa-chart-figure">\n{chart.monthly_chart(months, categories, dates, t, urls.HOME)}\n'
        f'<figcaption><ul class="pa-legend">{legend}</ul><p>{html_text(caption)}</p></figcaption>\n</figure>\n\n'
        f'<details class="pa-chart-table">\n<summary>{html_text(t("table_summary"))}</summary>\n'
        f'<table>\n<thead><tr><th scope="col">{html_text(t("month"))}</th>{header}<th scope="col">{html_text(t("all"))}</th></tr></thead>\n'
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
    t = catalog.messages
    parts = [f"## {t('browse')}\n\n", '<div class="grid cards" markdown>\n\n']
    by_date = t("by_date_text", months=t.plural("months", len(catalog.by_month)), years=t.plural("years", len(catalog.by_year)))
    parts.append(f"- **[{t('by_date')}]({urls.link(path, urls.ARCHIVE_INDEX)})**\n\n    {by_date}\n\n")
    parts.append(
        f"- **[{t('by_category')}]({urls.link(path, urls.CATEGORIES_INDEX)})**\n\n"
        f"    {', '.join(markdown_text(c) for c in catalog.category_names)}\n\n"
    )
    for kind in TAG_KINDS:
        groups = kind.groups(catalog)
        if not groups:
            continue
        biggest = ", ".join(markdown_text(name) for name in list(groups)[:3])
        parts.append(
            f"- **[{t(f'by_{kind.key}')}]({urls.link(path, kind.index_path)})**\n\n"
            f"    {t.plural(f'{kind.key}s', len(groups))}{': ' + biggest + '&nbsp;…' if biggest else ''}\n\n"
        )
    parts.append("</div>\n\n")
    return "".join(parts)


def feeds_and_data(catalog: Catalog, feeds: bool) -> str:
    path = urls.HOME
    t = catalog.messages
    parts = [f"## {t('subscribe_and_download') if feeds else t('download')}\n\n"]
    if feeds:
        parts.append(subscribe_links(path, urls.FEED, t("all_new_releases"), catalog))
        parts.extend(
            subscribe_links(path, catalog.category_feeds[c], t("new_category_releases", category=c), catalog)
            for c in catalog.category_names
        )
    json_link = f'<a href="{urls.href(path, urls.ARCHIVE_DATA)}" download>archive.json</a>'
    csv_link = f'<a href="{urls.href(path, urls.ARCHIVE_CSV)}" download>archive.csv</a>'
    parts.append(f"<p>{t('data_files', json=json_link, csv=csv_link)}</p>\n\n")
    return "".join(parts)


