"""Render stage, release pages: one per release, with its merged versions; and the redirect pages.

Input text only ever reaches a page through ``markup``; links between pages are relative
links made by ``urls.href``, which resolve the same under MkDocs and Zensical.
"""

from __future__ import annotations

import urllib.parse

from . import urls
from .blocks import (
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
    t = catalog.messages
    category_link = f'<a href="{urls.href(path, catalog.category_paths[category])}">{html_text(category)}</a>'
    if classification.category_inferred:
        category_link += f' <span class="pa-inferred" title="{html_text(t("inferred_note"))}">{html_text(t("category_inferred"))}</span>'
    parts += [
        then(category_link),
        then(f'<a href="{urls.href(path, urls.month_path(year, month))}">{html_text(catalog.dates.month(year, month))}</a>'),
        then(f'<a href="{urls.href(path, urls.year_path(year))}">{year}</a>'),
        "</p>\n\n",
    ]
    if release.source_url:
        parts.append(original_link(release.source_url, catalog))
    for kind in TAG_KINDS:
        tags = kind.of(classification)
        if tags:
            chips = " ".join(f'<a class="md-tag" href="{urls.href(path, kind.path(t))}">{html_text(t)}</a>' for t in tags)
            label = html_text(t(f"kind_{kind.key}"))
            parts.append(
                f'<nav class="md-tags pa-tags" aria-label="{label}">'
                f'<span class="pa-tags-label">{label}</span> <span class="pa-tags-chips">{chips}</span></nav>\n\n'
            )
    if classification.cut_off:
        parts.append(cut_off_notice(classification.cut_off, catalog))
    parts.append(release_text(release.body, catalog, cut_off=classification.cut_off is not None))
    if release.variants:
        parts.append(variants_block(release, catalog))
    parts.append(release_pager(release, catalog))
    if classification.related:
        parts.append(f"## {t('related_releases')}\n\n")
        parts.append(listing((catalog.release_by_id[i] for i in classification.related), catalog, path))
    parts.append(provenance(release, catalog))
    return "".join(parts)


def original_link(url: str, catalog: Catalog) -> str:
    """The link to the publisher's own page of a release, naming its site."""
    t = catalog.messages
    host = urllib.parse.urlsplit(url).hostname or ""
    return (
        f'<p class="pa-original"><a href="{html_text(url)}" rel="external noopener">{html_text(t("original_release"))}</a>'
        f'{" " + html_text(t("original_on", host=host)) if host else ""}</p>\n\n'
    )


def cut_off_notice(cut: CutOff, catalog: Catalog) -> str:
    """A visible warning that the source text stops short, quoting where."""
    t = catalog.messages
    return (
        '<div class="admonition warning pa-cut-off" role="note">\n'
        f'<p class="admonition-title">{html_text(t("cut_off_title"))}</p>\n'
        f"<p>{html_text(t(f'cut_off_{cut.how}', ending=cut.ending))}</p>\n</div>\n\n"
    )


def release_pager(release: Release, catalog: Catalog) -> str:
    """Links to the releases just before and after this one by date."""
    neighbours = catalog.neighbours(release)

    def step(neighbour: Release | None, label: str) -> PagerStep | None:
        if neighbour is None:
            return None
        when = html_text(catalog.dates.day(neighbour.date))
        return PagerStep(catalog.paths[neighbour.id], f"{html_text(label)}{then(when)}", html_text(neighbour.title))

    t = catalog.messages
    return pager(
        catalog.paths[release.id],
        html_text(t("releases_around")),
        step(neighbours.older, t("previous_release")),
        step(neighbours.newer, t("next_release")),
    )


def release_text(body: str, catalog: Catalog, cut_off: bool = False) -> str:
    """The body in reading paragraphs; a text ``cut_off`` in the source ends with a marker saying so, where it stops."""
    end = f'<p class="pa-cut-end">{html_text(catalog.messages("cut_end"))}</p>\n\n' if cut_off else ""
    return f'<div class="pa-release-text">\n{paragraphs_html(reading_pieces(body))}\n</div>\n\n{end}'


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


def variants_block(release: Release, catalog: Catalog) -> str:
    """The texts merged into this release, collapsed: each one's title, date and text."""
    t = catalog.messages
    phrases = [version_phrase(release, v, catalog) for v in release.variants]
    versions = phrases[0] if len(phrases) == 1 else t("versions_joiner").join(phrases[:-1]) + t("versions_last_joiner") + phrases[-1]
    summary = html_text(t("also_published_as", versions=versions))
    parts = [f'<details class="info pa-variants">\n<summary>{summary}</summary>\n']
    for variant in release.variants:
        text = variant.text
        parts.append(f'<p class="pa-variant-title"><strong>{html_text(text.title)}</strong></p>\n')
        meta = time_element(text.date, catalog)
        if text.source_url and text.source_url != release.source_url:
            meta += then(f'<a href="{html_text(text.source_url)}" rel="external noopener">{html_text(t("original"))}</a>')
        parts.append(f'<p class="pa-meta">{meta}</p>\n')
        parts.append(f'<div class="pa-release-text">\n{paragraphs(text.body)}\n</div>\n')
    parts.append("</details>\n\n")
    return "".join(parts)


def provenance(release: Release, catalog: Catalog) -> str:
    """Where the page comes from, for those who check: the input records, by file and line, collapsed at the end."""
    t = catalog.messages
    items = []
    for text in release.texts:
        if text.id == release.id:
            role = t("role_this_text")
        else:
            variant = next(v for v in release.variants if v.text.id == text.id)
            role = t(f"role_{version_kind(release, variant)}", day=catalog.dates.day(text.date))
        items.extend(
            f"<li>{t('source_line', file=f'<code>{html_text(s.file)}</code>', line=s.line, role=html_text(role))}</li>"
            for s in text.sources
        )
    data = f'<a href="{urls.href(catalog.paths[release.id], urls.ARCHIVE_DATA)}">archive.json</a>'
    intro = t("sources_intro", count=release.record_count, id=f"<code>{release.id}</code>", data=data)
    return (
        f'<details class="pa-provenance">\n<summary>{html_text(t("sources_summary"))}</summary>\n'
        f"<p>{intro}</p>\n<ul>\n{chr(10).join(items)}\n</ul>\n</details>\n"
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
