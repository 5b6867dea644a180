"""Render stage, release pages: one per release, with its merged versions; and the redirect pages.

Input text only ever reaches a page through ``markup``; links between pages are relative
links made by ``urls.href``, which resolve the same under MkDocs and Zensical.
"""

from __future__ import annotations

import urllib.parse

from . import urls
from .blocks import (
    INFERRED_NOTE,
    TAG_KINDS,
    PagerStep,
    description_of,
    front_matter,
    listing,
    page_meta,
    pager,
    then,
    time_element,
)
from .catalog import Catalog
from .cutoff import CutOff
from .markup import html_text, markdown_text, paragraphs, paragraphs_html, reading_pieces
from .model import Release, Variant

CAPTION_LENGTH_RATIO = 2.0  # a merged text this many times shorter than the release is called a caption


def release_page(release: Release, catalog: Catalog) -> str:
    """A release's page: title, date, category and tags, text, merged versions, neighbours, related releases, provenance.

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
        tags=list(classification.topics),
        places=list(classification.places),
        organizations=list(classification.organizations),
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
    parts = [
        front_matter(meta),
        f'# {markdown_text(release.title)} {{: #title .pa-title tabindex="-1" }}\n\n',
        '<p class="pa-meta">',
        time_element(release.date, catalog),
    ]
    category_link = f'<a href="{urls.href(path, catalog.category_paths[category])}">{html_text(category)}</a>'
    if classification.category_inferred:
        category_link += f' <span class="pa-inferred" title="{html_text(INFERRED_NOTE)}">(category inferred)</span>'
    parts += [
        then(category_link),
        then(f'<a href="{urls.href(path, urls.month_path(year, month))}">{html_text(catalog.dates.month(year, month))}</a>'),
        then(f'<a href="{urls.href(path, urls.year_path(year))}">{year}</a>'),
        "</p>\n\n",
    ]
    if release.source_url:
        parts.append(original_link(release.source_url))
    for kind in TAG_KINDS:
        tags = kind.of(classification)
        if tags:
            chips = " ".join(f'<a class="md-tag" href="{urls.href(path, kind.path(t))}">{html_text(t)}</a>' for t in tags)
            parts.append(
                f'<nav class="md-tags pa-tags" aria-label="{kind.title}">'
                f'<span class="pa-tags-label">{kind.title}</span> <span class="pa-tags-chips">{chips}</span></nav>\n\n'
            )
    if classification.cut_off:
        parts.append(cut_off_notice(classification.cut_off))
    parts.append(release_text(release.body, cut_off=classification.cut_off is not None))
    if release.variants:
        parts.append(variants_block(release, catalog))
    parts.append(release_pager(release, catalog))
    if classification.related:
        parts.append("## Related releases\n\n")
        parts.append(listing((catalog.release_by_id[i] for i in classification.related), catalog, path))
    parts.append(provenance(release, catalog))
    return "".join(parts)


def original_link(url: str) -> str:
    """The link to the publisher's own page of a release, naming its site."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return (
        f'<p class="pa-original"><a href="{html_text(url)}" rel="external noopener">Original release</a>'
        f'{" on " + html_text(host) if host else ""}</p>\n\n'
    )


def cut_off_notice(cut: CutOff) -> str:
    """A visible warning that the source text stops short, quoting where."""
    return (
        '<div class="admonition warning pa-cut-off" role="note">\n'
        '<p class="admonition-title">Cut off in the source</p>\n'
        f"<p>The text below stops {cut.how} (“…{html_text(cut.ending)}”): the copy the archive was made from "
        "ends there, so the rest of this release is not in the archive.</p>\n</div>\n\n"
    )


def release_pager(release: Release, catalog: Catalog) -> str:
    """Links to the releases just before and after this one by date."""
    neighbours = catalog.neighbours(release)

    def step(neighbour: Release | None, label: str) -> PagerStep | None:
        if neighbour is None:
            return None
        when = html_text(catalog.dates.day(neighbour.date))
        return PagerStep(catalog.paths[neighbour.id], f"{label}{then(when)}", html_text(neighbour.title))

    return pager(
        catalog.paths[release.id],
        "Previous and next release",
        step(neighbours.older, "Previous release"),
        step(neighbours.newer, "Next release"),
    )


def release_text(body: str, cut_off: bool = False) -> str:
    """The body in reading paragraphs; a text ``cut_off`` in the source ends with a marker saying so, where it stops."""
    end = '<p class="pa-cut-end">[The source text ends here.]</p>\n\n' if cut_off else ""
    return f'<div class="pa-release-text">\n{paragraphs_html(reading_pieces(body))}\n</div>\n\n{end}'


def version_kind(release: Release, variant: Variant) -> str:
    """What a merged text is, in plain words: a caption (much shorter), a shorter version, or another version."""
    if variant.match.length_ratio >= CAPTION_LENGTH_RATIO:
        return "short caption"
    if len(variant.text.body) < len(release.body):
        return "shorter version"
    return "another version"


def version_phrase(release: Release, variant: Variant, catalog: Catalog) -> str:
    """``a short caption, “Title”, on 28 April 2025`` (HTML): the title only when it differs."""
    kind = version_kind(release, variant)
    article = "" if kind.startswith("another") else "a "
    title = f", “{html_text(variant.text.title)}”," if variant.text.title != release.title else ""
    return f"{article}{kind}{title} on {html_text(catalog.dates.day(variant.text.date))}"


def variants_block(release: Release, catalog: Catalog) -> str:
    """The texts merged into this release, collapsed: each one's title, date and text."""
    phrases = [version_phrase(release, v, catalog) for v in release.variants]
    summary = "Also published as " + (phrases[0] if len(phrases) == 1 else ", as ".join(phrases[:-1]) + " and as " + phrases[-1])
    parts = [f'<details class="info pa-variants">\n<summary>{summary}</summary>\n']
    for variant in release.variants:
        text = variant.text
        parts.append(f'<p class="pa-variant-title"><strong>{html_text(text.title)}</strong></p>\n')
        meta = time_element(text.date, catalog)
        if text.source_url and text.source_url != release.source_url:
            meta += then(f'<a href="{html_text(text.source_url)}" rel="external noopener">Original</a>')
        parts.append(f'<p class="pa-meta">{meta}</p>\n')
        parts.append(f'<div class="pa-release-text">\n{paragraphs(text.body)}\n</div>\n')
    parts.append("</details>\n\n")
    return "".join(parts)


def provenance(release: Release, catalog: Catalog) -> str:
    """Where the page comes from, for those who check: the input records, by file and line, collapsed at the end."""
    items = []
    for text in release.texts:
        if text.id == release.id:
            role = "this text"
        else:
            variant = next(v for v in release.variants if v.text.id == text.id)
            role = f"the {version_kind(release, variant)} of {html_text(catalog.dates.day(text.date))}"
        items.extend(f"<li><code>{html_text(s.file)}</code>, line {s.line}: {role}</li>" for s in text.sources)
    count = release.record_count
    return (
        '<details class="pa-provenance">\n<summary>About this page’s sources</summary>\n'
        f"<p>Made from {'one input record' if count == 1 else f'{count} input records'} of the archive "
        f'(identifier <code>{release.id}</code>; every release’s records are also in '
        f'<a href="{urls.href(catalog.paths[release.id], urls.ARCHIVE_DATA)}">archive.json</a>):</p>\n'
        f'<ul>\n{chr(10).join(items)}\n</ul>\n</details>\n'
    )


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
