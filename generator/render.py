"""Render stage: one function per page kind, each returning a page's Markdown text.

Input text only ever reaches a page through ``markup``; links between pages are relative
links to the Markdown sources, which MkDocs checks in ``--strict`` builds.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import chart, urls
from .catalog import Catalog
from .config import SiteIdentity
from .cutoff import CutOff
from .markup import html_text, markdown_text, paragraphs, paragraphs_html, reading_pieces
from .model import Release, Text

LATEST_ON_SPLIT_LISTING = 10  # a listing split by year shows this many of its newest releases first


@dataclass(frozen=True)
class TagKind:
    """One kind of tag a release carries, with its pages: topics, places, organisations."""

    title: str  # the index page's title
    noun: str
    index_path: str
    path: Callable[[str], str]
    groups: Callable[[Catalog], Mapping[str, tuple[Release, ...]]]  # tag -> releases, biggest first
    of: Callable[[object], tuple[str, ...]]  # a Classification's tags of this kind


TAG_KINDS = (
    TagKind("Topics", "topic", urls.TOPICS_INDEX, urls.topic_path, lambda c: c.by_topic, lambda c: c.topics),
    TagKind("Places", "place", urls.PLACES_INDEX, urls.place_path, lambda c: c.by_place, lambda c: c.places),
    TagKind(
        "Organizations",
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


def long_date(date: dt.date) -> str:
    return f"{date.day} {calendar.month_name[date.month]} {date.year}"


def month_name(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def listing_item(release: Release, catalog: Catalog, from_path: str, show_category: bool = True) -> str:
    target = urls.href(from_path, catalog.paths[release.id])
    item = (
        f'<li><time datetime="{release.date.isoformat()}">{release.date.isoformat()}</time> '
        f'<a href="{target}">{html_text(release.title)}</a>'
    )
    if show_category:
        item += f' <span class="pa-category">{html_text(catalog.category_of(release))}</span>'
    return item + "</li>"


def listing(releases: Iterable[Release], catalog: Catalog, from_path: str, show_category: bool = True) -> str:
    """A list of releases as one raw HTML block, which Markdown passes through untouched.

    As Markdown, a listing's links and escaped titles were most of MkDocs' work on an index
    page, making the index pages cost as much as all the release pages together.
    """
    items = "\n".join(listing_item(r, catalog, from_path, show_category) for r in releases)
    return f'\n<ul class="pa-listing">\n{items}\n</ul>\n\n'


def counted_links(entries: Iterable[tuple[str, str, int]], from_path: str) -> str:
    """A list of (name, path, count) links as one raw HTML block: months, years, tags."""
    items = "\n".join(
        f'<li><a href="{urls.href(from_path, path)}">{html_text(name)}</a> ({count})</li>' for name, path, count in entries
    )
    return f'\n<ul class="pa-counts">\n{items}\n</ul>\n\n'


def release_page(release: Release, catalog: Catalog) -> str:
    """A release's page: title, date, links to its listings, tags, text, merged versions, neighbours and sources."""
    path = catalog.paths[release.id]
    classification = catalog.classified[release.id]
    category = classification.category
    meta = {
        "title": html_text(release.title),
        "date": release.date,
        "category": category,
        "category_inferred": classification.category_inferred,
        "tags": list(classification.topics),
        "places": list(classification.places),
        "organizations": list(classification.organizations),
        "id": release.id,
        "sources": [s.as_dict() for s in release.sources],
        # Zensical draws `tags` as a second row of chips, unlinked; the page shows its own, linked.
        "hide": ["tags"],
    }
    if classification.cut_off:
        meta["cut_off"] = classification.cut_off.how
    year, month = release.month
    parts = [
        front_matter(meta),
        f'<h1 class="pa-title">{html_text(release.title)}</h1>\n\n',
        '<p class="pa-meta">',
        f'<time datetime="{release.date.isoformat()}">{long_date(release.date)}</time>',
        f' · <a href="{urls.href(path, catalog.category_paths[category])}">{html_text(category)}</a>',
    ]
    if classification.category_inferred:
        parts.append(
            ' <span class="pa-inferred" title="The source gave no category; this one was inferred from the '
            'release&#39;s topics">(category inferred)</span>'
        )
    parts += [
        f' · <a href="{urls.href(path, urls.month_path(year, month))}">{month_name(year, month)}</a>',
        f' · <a href="{urls.href(path, urls.year_path(year))}">{year}</a>',
        "</p>\n\n",
    ]
    for kind in TAG_KINDS:
        tags = kind.of(classification)
        if tags:
            chips = " ".join(f'<a class="md-tag" href="{urls.href(path, kind.path(t))}">{html_text(t)}</a>' for t in tags)
            parts.append(
                f'<nav class="md-tags pa-tags" aria-label="{kind.title}">'
                f'<span class="pa-tags-label">{kind.title}</span> {chips}</nav>\n\n'
            )
    if classification.cut_off:
        parts.append(cut_off_notice(classification.cut_off))
    parts.append(release_text(release.body, cut_off=classification.cut_off is not None))
    if release.variants:
        parts.append(variants_block(release, catalog))
    parts.append(release_pager(release, catalog))
    if classification.related:
        parts.append('<div class="pa-related" markdown>\n\n## Related releases\n\n')
        parts.append(listing((catalog.release_by_id[i] for i in classification.related), catalog, path))
        parts.append("\n</div>\n\n")
    parts.append("## Source records\n\n")
    if release.record_count > 1:
        parts.append(f"This release was read from {release.record_count} input records:\n\n")
    for text in release.texts:
        note = "" if text.id == release.id else f" (the version of {long_date(text.date)} above)"
        parts.extend(f"- {markdown_text(s.file)}, line {s.line}{note}\n" for s in text.sources)
    return "".join(parts)


def cut_off_notice(cut: CutOff) -> str:
    """A visible warning that the source text stops short, quoting where."""
    return (
        '<div class="admonition warning pa-cut-off" role="note">\n'
        '<p class="admonition-title">Cut off in the source</p>\n'
        f"<p>The text below stops {cut.how} (“…{html_text(cut.ending)}”): the dump it was read from "
        "cut it off there, so the rest of this release is not in the archive.</p>\n</div>\n\n"
    )


def release_pager(release: Release, catalog: Catalog) -> str:
    """Links to the releases just before and after this one by date."""
    neighbours = catalog.neighbours(release)

    def step(neighbour: Release | None, label: str) -> PagerStep | None:
        if neighbour is None:
            return None
        return PagerStep(catalog.paths[neighbour.id], f"{label} · {long_date(neighbour.date)}", html_text(neighbour.title))

    return pager(
        catalog.paths[release.id],
        "Previous and next release",
        step(neighbours.older, "Previous release"),
        step(neighbours.newer, "Next release"),
    ) + "\n"


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
    return f'\n<nav class="pa-pager" aria-label="{aria_label}">\n{"".join(sides)}\n</nav>\n'


def release_text(body: str, cut_off: bool = False) -> str:
    """The body in reading paragraphs; a text ``cut_off`` in the source ends with a marker saying so, where it stops."""
    end = '<p class="pa-cut-end">[The source text ends here.]</p>\n\n' if cut_off else ""
    return f'<div class="pa-release-text">\n{paragraphs_html(reading_pieces(body))}\n</div>\n\n{end}'


def variants_block(release: Release, catalog: Catalog) -> str:
    """The merged near-duplicates, collapsed: each one's title, date, text, records and why it was merged."""
    count = len(release.variants)
    only = release.variants[0].text
    if count > 1:
        summary = f"Also published as {count} other versions"
    elif only.title != release.title:
        summary = f"Also published as “{html_text(only.title)}”, {long_date(only.date)}"
    else:
        summary = f"Also published as a shorter version, {long_date(only.date)}"
    parts = [f'<details class="note pa-variants" markdown="1">\n<summary>{summary}</summary>\n\n']
    for variant in release.variants:
        text = variant.text
        sources = ", ".join(f"{markdown_text(s.file)} line {s.line}" for s in text.sources)
        parts.append(f'<p class="pa-variant-title" markdown="span">**{markdown_text(text.title)}**</p>\n\n')
        parts.append(
            f'<p class="pa-meta" markdown="span"><time datetime="{text.date.isoformat()}">{long_date(text.date)}</time>'
            f" · {sources} · merged as {markdown_text(variant.reason.split(':')[0])}</p>\n\n"
        )
        parts.append(f'<div class="pa-release-text">\n{paragraphs(text.body)}\n</div>\n\n')
    parts.append("</details>\n\n")
    return "".join(parts)


def redirect_page(url: str, target: str, catalog: Catalog) -> str:
    """A static page that sends readers (and search engines) from a retired URL to its content's new home."""
    href = html_text(urls.relative_url(url, urls.url_of(target)))
    release = catalog.release_at.get(target)
    what = f"“{html_text(release.title)}”" if release else "the listing it was in"
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Moved</title>\n<link rel=\"canonical\" href=\"{href}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n<link rel=\"icon\" href=\"data:,\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n"
        f"<body>\n<p>This page has moved to <a href=\"{href}\">{what}</a>.</p>\n</body>\n</html>\n"
    )


HOME_TOPICS = 10  # topics on the home page


def home_page(catalog: Catalog, site: SiteIdentity, latest: int, zone: str, feeds: bool = True) -> str:
    """The dashboard: counts by category, a chart of releases per month, the latest releases, the biggest topics.

    ``zone`` states the time zone of the dates; ``feeds`` is False when there are no RSS feeds (no site_url).
    """
    path = urls.HOME
    parts = [front_matter({"title": "Home", "hide": ["navigation", "toc"]})]
    parts.append(f'<h1 class="pa-title">{html_text(site.name)}</h1>\n\n')
    if site.description:
        parts.append(f'<p class="pa-lead">{html_text(site.description)}</p>\n\n')
    if not catalog.releases:
        parts.append("The archive is empty: no release has been generated yet.\n\n")
        return "".join(parts)
    first, last = catalog.releases[-1].date, catalog.releases[0].date
    parts.append(
        f'<p class="pa-summary">{plural(len(catalog.releases), "release")} from '
        f'<time datetime="{first.isoformat()}">{long_date(first)}</time> to '
        f'<time datetime="{last.isoformat()}">{long_date(last)}</time>. '
        f"Dates are days in {html_text(zone)}.</p>\n\n"
    )
    parts.append(category_cards(catalog))
    parts.append("## Releases per month\n\n")
    parts.append(month_chart(catalog))
    parts.append('<div class="pa-columns" markdown>\n<div class="pa-column" markdown>\n\n## Latest releases\n\n')
    parts.append(listing(catalog.releases[:latest], catalog, path))
    parts.append(f"[All releases by date]({urls.link(path, urls.ARCHIVE_INDEX)})\n\n</div>\n")
    parts.append('<div class="pa-column" markdown>\n\n## Biggest topics\n\n')
    parts.append(topic_bars(catalog))
    parts.append(f"[All topics]({urls.link(path, urls.TOPICS_INDEX)})\n\n</div>\n</div>\n\n")
    parts.append(browse_cards(catalog))
    parts.append(feeds_and_data(catalog, feeds))
    return "".join(parts)


def category_cards(catalog: Catalog) -> str:
    """Each category with its number and share of releases, in the chart's colour."""
    total = len(catalog.releases)
    items = []
    for index, (category, releases) in enumerate(catalog.by_category.items()):
        items.append(
            f'<li><span class="pa-swatch" style="background:{chart.colour(index)}"></span>'
            f'<a href="{urls.href(urls.HOME, catalog.category_paths[category])}">{html_text(category)}</a>'
            f'<span class="pa-count">{len(releases)}</span>'
            f'<span class="pa-share">{"release" if len(releases) == 1 else "releases"} · '
            f"{len(releases) / total:.0%} of the archive</span></li>"
        )
    return '<div class="grid cards pa-category-cards">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>\n\n"


def month_chart(catalog: Catalog) -> str:
    """The chart of releases per month by category, its legend, and its numbers as a table."""
    categories = list(catalog.by_category)
    months = chart.every_month(catalog.category_months)
    busiest = max(months, key=lambda m: (m.total, m.year, m.month))
    shown = sum(m.total for m in months)
    earlier = len(catalog.releases) - shown
    description = (
        f"Stacked bars, one per month from {months[0].name} to {months[-1].name}, coloured by category "
        f"({', '.join(categories)}). The busiest month is {busiest.name}, with {plural(busiest.total, 'release')}."
        + (f" {plural(earlier, 'older release')} {'is' if earlier == 1 else 'are'} before its {chart.MAX_MONTHS} months." if earlier else "")
    )
    svg = chart.monthly_chart(months, categories, "Releases per month by category", description)
    legend = "".join(
        f'<li><span class="pa-swatch" style="background:{chart.colour(i)}"></span>{html_text(c)}</li>'
        for i, c in enumerate(categories)
    )
    header = "".join(f'<th scope="col">{html_text(c)}</th>' for c in categories)
    rows = []
    for (year, month), counts in catalog.category_months.items():
        cells = "".join(f"<td>{counts.get(c, 0)}</td>" for c in categories)
        link = urls.href(urls.HOME, urls.month_path(year, month))
        rows.append(f'<tr><th scope="row"><a href="{link}">{month_name(year, month)}</a></th>{cells}<td>{sum(counts.values())}</td></tr>')
    return (
        f'<figure class="pa-chart-figure">\n{svg}\n<figcaption><ul class="pa-legend">{legend}</ul></figcaption>\n</figure>\n\n'
        '<details class="pa-chart-table">\n<summary>The numbers as a table</summary>\n'
        f'<table>\n<thead><tr><th scope="col">Month</th>{header}<th scope="col">All</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</details>\n\n"
    )


def topic_bars(catalog: Catalog) -> str:
    """The topics with most releases, each with a bar as long as its share of the biggest."""
    biggest = list(catalog.by_topic.items())[:HOME_TOPICS]
    if not biggest:
        return "No release has a topic yet.\n\n"
    most = len(biggest[0][1])
    items = "\n".join(
        f'<li><a href="{urls.href(urls.HOME, urls.topic_path(name))}">{html_text(name)}</a> '
        f'<span class="pa-count">{len(releases)}</span>'
        f'<span class="pa-bar" style="width:{100 * len(releases) / most:.0f}%"></span></li>'
        for name, releases in biggest
    )
    return f'\n<ul class="pa-topic-bars">\n{items}\n</ul>\n\n'


def browse_cards(catalog: Catalog) -> str:
    path = urls.HOME
    parts = ["## Browse\n\n", '<div class="grid cards" markdown>\n\n']
    parts.append(
        f"- **[By date]({urls.link(path, urls.ARCHIVE_INDEX)})**\n\n"
        f"    {plural(len(catalog.by_year), 'year')}, {plural(len(catalog.by_month), 'month')}, newest first\n\n"
    )
    parts.append(
        f"- **[By category]({urls.link(path, urls.CATEGORIES_INDEX)})**\n\n"
        f"    {', '.join(markdown_text(c) for c in catalog.category_names)}\n\n"
    )
    for kind in TAG_KINDS:
        groups = kind.groups(catalog)
        biggest = ", ".join(markdown_text(name) for name in list(groups)[:3])
        parts.append(
            f"- **[By {kind.noun}]({urls.link(path, kind.index_path)})**\n\n"
            f"    {plural(len(groups), kind.noun)}{': ' + biggest + ' …' if biggest else ''}\n\n"
        )
    parts.append("</div>\n\n")
    return "".join(parts)


def feeds_and_data(catalog: Catalog, feeds: bool) -> str:
    path = urls.HOME
    parts = ["## Feeds and data\n\n"]
    if feeds:
        per_category = ", ".join(
            f'<a href="{urls.href(path, catalog.category_feeds[c])}">{html_text(c)}</a>'
            for c in catalog.category_names
        )
        parts.append(
            f'<p>RSS feeds: <a href="{urls.href(path, urls.FEED)}">latest releases</a>; by category: {per_category}.</p>\n\n'
        )
    parts.append(
        f'<p>Every release, with its text, tags and permanent address: '
        f'<a href="{urls.href(path, urls.ARCHIVE_DATA)}" download>archive.json</a> · '
        f'<a href="{urls.href(path, urls.ARCHIVE_CSV)}" download>archive.csv</a> '
        "(UTF-8; one row per release).</p>\n\n"
    )
    return "".join(parts)


def archive_index_page(catalog: Catalog) -> str:
    path = urls.ARCHIVE_INDEX
    parts = [front_matter({"title": "Archive"}), "# Archive by date\n\n"]
    for year, months in catalog.by_year.items():
        total = sum(len(r) for r in months.values())
        parts.append(f"## [{year}]({urls.link(path, urls.year_path(year))})\n\n")
        parts.append(f"{plural(total, 'release')}\n\n")
        entries = [(month_name(year, month), urls.month_path(year, month), len(r)) for month, r in months.items()]
        parts.append(counted_links(entries, path))
    return "".join(parts)


def year_page(year: int, months: Mapping[int, tuple[Release, ...]], catalog: Catalog, page_size: int) -> str:
    """A year's releases under month headings; a year with more than ``page_size`` lists its months instead."""
    path = urls.year_path(year)
    releases = [release for month_releases in months.values() for release in month_releases]
    intro = f"{plural(len(releases), 'release')} in {plural(len(months), 'month')}, newest first."
    if len(releases) <= page_size:
        return _grouped_listing_page(str(year), releases, catalog, path, True, intro)
    entries = [(month_name(year, month), urls.month_path(year, month), len(r)) for month, r in months.items()]
    return front_matter({"title": str(year)}) + f"# {year}\n\n{intro}\n\n" + counted_links(entries, path)


def month_page(year: int, month: int, releases: tuple[Release, ...], catalog: Catalog) -> str:
    path = urls.month_path(year, month)
    parts = [front_matter({"title": month_name(year, month)})]
    parts.append(f"# {month_name(year, month)}\n\n")
    parts.append(month_pager(year, month, catalog, "Previous and next month"))
    parts.append(f"{plural(len(releases), 'release')}, newest first. ")
    parts.append(f"More from [{year}]({urls.link(path, urls.year_path(year))}).\n\n")
    parts.append(listing(releases, catalog, path))
    parts.append(month_pager(year, month, catalog, "Previous and next month, after the list"))
    return "".join(parts)


def month_pager(year: int, month: int, catalog: Catalog, aria_label: str) -> str:
    """Links to the months with releases just before and after this one."""
    neighbours = catalog.neighbour_months(year, month)

    def step(neighbour: tuple[int, int] | None, label: str) -> PagerStep | None:
        return PagerStep(urls.month_path(*neighbour), label, month_name(*neighbour)) if neighbour else None

    return pager(
        urls.month_path(year, month),
        aria_label,
        step(neighbours.older, "Previous month"),
        step(neighbours.newer, "Next month"),
    ) + "\n"


def categories_index_page(catalog: Catalog) -> str:
    path = urls.CATEGORIES_INDEX
    entries = [(category, catalog.category_paths[category], len(r)) for category, r in catalog.by_category.items()]
    return front_matter({"title": "Categories"}) + "# Categories\n\n" + counted_links(entries, path)


def category_pages(category: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int) -> dict[str, str]:
    """A category's listing; its front matter names its RSS feed, which the theme links in the page's head."""
    path = catalog.category_paths[category]
    feed = {"feed": catalog.category_feeds[category], "feed_title": category}
    return listing_pages(category, releases, catalog, path, False, None, page_size, feed)


def tag_index_page(kind: TagKind, groups: Mapping[str, tuple[Release, ...]], catalog: Catalog) -> str:
    """Every tag of one kind with its number of releases, the biggest first."""
    path = kind.index_path
    parts = [front_matter({"title": kind.title}), f"# {kind.title}\n\n"]
    if not groups:
        parts.append(f"No release has a {kind.noun} yet.\n")
    else:
        parts.append(f"{plural(len(groups), kind.noun)}, by number of releases.\n\n")
    items = []
    for name, releases in groups.items():
        description = catalog.descriptions.get(name)
        gloss = f" — {html_text(description)}" if description else ""
        items.append(f'<li><a href="{urls.href(path, kind.path(name))}">{html_text(name)}</a>{gloss} ({len(releases)})</li>')
    if items:
        parts.append('\n<ul class="pa-counts">\n' + "\n".join(items) + "\n</ul>\n\n")
    return "".join(parts)


def tag_pages(kind: TagKind, name: str, releases: tuple[Release, ...], catalog: Catalog, page_size: int) -> dict[str, str]:
    description = catalog.descriptions.get(name)
    intro = (f"{markdown_text(description)}. " if description else "") + (
        f"{plural(len(releases), 'release')} with this {kind.noun}, newest first. "
        f"[All {kind.title.lower()}]({urls.link(kind.path(name), kind.index_path)})"
    )
    return listing_pages(name, releases, catalog, kind.path(name), True, intro, page_size)


def listing_pages(
    name: str,
    releases: tuple[Release, ...],
    catalog: Catalog,
    path: str,
    show_category: bool,
    intro: str | None,
    page_size: int,
    meta: Mapping = MappingProxyType({}),
) -> dict[str, str]:
    """The page listing a category's or tag's releases; past ``page_size`` releases, one page per year.

    The listing page then shows the latest releases and the years with their counts: no
    page grows with the whole archive, so neither a reader's download nor MkDocs' work does.
    """
    if len(releases) <= page_size:
        return {path: _grouped_listing_page(name, releases, catalog, path, show_category, intro, meta)}
    by_year: dict[int, list[Release]] = {}
    for release in releases:
        by_year.setdefault(release.date.year, []).append(release)
    parts = [front_matter({"title": html_text(name), **meta})]
    parts.append(f"# {markdown_text(name)}\n\n{intro or plural(len(releases), 'release') + ', newest first.'}\n\n")
    parts.append("## Latest\n\n" + listing(releases[:LATEST_ON_SPLIT_LISTING], catalog, path, show_category) + "\n")
    parts.append("## By year\n\n")
    parts.append(counted_links([(str(y), urls.listing_year_path(path, y), len(r)) for y, r in by_year.items()], path))
    pages = {}
    for year, year_releases in by_year.items():
        year_path = urls.listing_year_path(path, year)
        year_intro = (
            f"{plural(len(year_releases), 'release')} in {year}, newest first. "
            f"[All years of {markdown_text(name)}]({urls.link(year_path, path)})"
        )
        pages[year_path] = _grouped_listing_page(f"{name}, {year}", year_releases, catalog, year_path, show_category, year_intro)
    return {path: "".join(parts), **pages}


def _grouped_listing_page(
    name: str,
    releases,
    catalog: Catalog,
    path: str,
    show_category: bool,
    intro: str | None = None,
    meta: Mapping = MappingProxyType({}),
) -> str:
    """A listing of ``releases`` (newest first) under month headings that link to the month pages."""
    parts = [front_matter({"title": html_text(name), **meta})]
    parts.append(f"# {markdown_text(name)}\n\n{intro or plural(len(releases), 'release') + ', newest first.'}\n\n")
    for (year, month), month_releases in itertools.groupby(releases, key=lambda r: r.month):
        target = urls.link(path, urls.month_path(year, month))
        parts.append(f"## [{month_name(year, month)}]({target})\n")
        parts.append(listing(month_releases, catalog, path, show_category))
    return "".join(parts)


def text_data(text: Text, catalog: Catalog) -> dict:
    """One text as published in archive.json, at its permanent URL."""
    return {
        "id": text.id,
        "url": catalog.text_urls[text.id],
        "title": text.title,
        "date": text.date.isoformat(),
        "category": text.category,
        "category_given": text.category_given,
        "body": text.body,
        "sources": [s.as_dict() for s in text.sources],
    }


def release_data(release: Release, catalog: Catalog) -> dict:
    """A release as published in archive.json: its canonical text, topics and merged variants."""
    classification = catalog.classified[release.id]
    return {
        **text_data(release.canonical, catalog),
        "category": classification.category,
        "category_given": release.category_given,
        "category_inferred": classification.category_inferred,
        "tags": list(classification.topics),
        "places": list(classification.places),
        "organizations": list(classification.organizations),
        "related": [catalog.text_urls[i] for i in classification.related],
        "cut_off": classification.cut_off.how if classification.cut_off else None,
        "variants": [
            {**text_data(v.text, catalog), "match": dataclasses.asdict(v.match), "reason": v.reason}
            for v in release.variants
        ],
    }


def archive_data(catalog: Catalog) -> str:
    """``{"releases": [...], "redirects": [...]}``, one release or redirect per line.

    One line each keeps the file diffable and lets json's C encoder do the work (an indented
    dump goes through its pure-Python encoder, five times slower at scale).
    """
    releases = [json.dumps(release_data(r, catalog), ensure_ascii=False) for r in catalog.releases]
    redirects = [
        json.dumps({"from": url, "to": urls.url_of(target)}, ensure_ascii=False) for url, target in catalog.redirects.items()
    ]
    return '{"releases": [\n' + ",\n".join(releases) + '\n],\n"redirects": [\n' + ",\n".join(redirects) + "\n]}\n"


CSV_COLUMNS = ("id", "url", "date", "title", "category", "topics", "places", "organizations", "cut_off", "records", "body")
# A cell starting with one of these is a formula to spreadsheet programs; a leading
# apostrophe keeps it text (OWASP's advice for CSV injection). archive.json is left exact.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def archive_csv(catalog: Catalog) -> str:
    """Every release as one CSV row (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read it as UTF-8).

    Tags are joined by "; "; ``records`` counts the input records merged into the release.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for release in catalog.releases:
        classification = catalog.classified[release.id]
        row = (
            release.id,
            catalog.text_urls[release.id],
            release.date.isoformat(),
            release.title,
            classification.category,
            "; ".join(classification.topics),
            "; ".join(classification.places),
            "; ".join(classification.organizations),
            classification.cut_off.how if classification.cut_off else "",
            str(release.record_count),
            release.body,
        )
        writer.writerow([spreadsheet_text(cell) for cell in row])
    return "\ufeff" + out.getvalue()
