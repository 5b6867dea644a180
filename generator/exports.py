"""Render stage, data exports: every release as JSON (archive.json) and as CSV (archive.csv).

archive.json keeps what the pages leave to a secondary place: each text's input records by
file and line, and why each merged text was merged.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from collections.abc import Iterable

from . import memo, urls
from .catalog import Catalog
from .model import Release, Text
from .pagecache import PageCache, Part, assemble
from .tagkinds import TAG_KINDS, TagKind
from .writer import Page


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
        "source_url": text.source_url or None,
        "sources": [s.as_dict() for s in text.sources],
    }


def release_data(release: Release, catalog: Catalog) -> dict:
    """A release as published in archive.json: its canonical text, tags of each kind and merged variants."""
    classification = catalog.classified[release.id]
    return {
        **text_data(release.canonical, catalog),
        "source_url": release.source_url or None,
        "category": classification.category,
        "category_given": release.category_given,
        "category_inferred": classification.category_inferred,
        **{kind.field: list(classification.of(kind)) for kind in catalog.kinds},
        "related": [catalog.text_urls[i] for i in classification.related],
        "cut_off": classification.cut_off.how if classification.cut_off else None,
        "variants": [
            {**text_data(v.text, catalog), "match": dataclasses.asdict(v.match), "reason": v.reason}
            for v in release.variants
        ],
    }


def archive_data(catalog: Catalog, pages: PageCache | None = None) -> Page:
    """``{"releases": [...], "redirects": [...]}``, one release or redirect per line.

    One line each keeps the file diffable and lets json's C encoder do the work (an indented
    dump goes through its pure-Python encoder, five times slower at scale).  With ``pages``,
    a release's line is made again only when the release, its classification or a URL it
    names changed.
    """
    releases = [
        Part(
            memo.parts_key(catalog.release_key(r), str(len(r.texts)), *(catalog.text_urls[t.id] for t in r.texts),
                           *(catalog.text_urls[i] for i in catalog.classified[r.id].related)),
            functools.partial(_release_line, r, catalog),
        )
        for r in catalog.releases
    ]
    redirects = [
        json.dumps({"from": url, "to": urls.url_of(target)}, ensure_ascii=False) for url, target in catalog.redirects.items()
    ]
    tail = '\n],\n"redirects": [\n' + ",\n".join(redirects) + "\n]}\n"
    return assemble(pages, urls.ARCHIVE_DATA, '{"releases": [\n', releases, ",\n", tail)


def _release_line(release: Release, catalog: Catalog) -> str:
    return json.dumps(release_data(release, catalog), ensure_ascii=False)


def csv_columns(kinds: Iterable[TagKind] = TAG_KINDS) -> tuple[str, ...]:
    """archive.csv's columns: a release's id, URL, date, title and category, a column per kind of tag, then the rest."""
    return ("id", "url", "date", "title", "category", *(kind.column for kind in kinds), "cut_off", "records", "source_url", "body")


# A cell starting with one of these is a formula to spreadsheet programs; a leading
# apostrophe keeps it text (OWASP's advice for CSV injection). archive.json is left exact.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def archive_csv(catalog: Catalog, pages: PageCache | None = None) -> Page:
    """Every release as one CSV row (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read it as UTF-8).

    Tags are joined by "; "; ``records`` counts the input records merged into the release.
    With ``pages``, a row is made again only when its release or classification changed.
    """
    rows = [
        Part(memo.parts_key(catalog.release_key(r), catalog.text_urls[r.id]), functools.partial(_csv_row, r, catalog))
        for r in catalog.releases
    ]
    return assemble(pages, urls.ARCHIVE_CSV, "\ufeff" + _csv_line(csv_columns(catalog.kinds)), rows, "", "")


def _csv_row(release: Release, catalog: Catalog) -> str:
    classification = catalog.classified[release.id]
    return _csv_line(spreadsheet_text(cell) for cell in (
        release.id,
        catalog.text_urls[release.id],
        release.date.isoformat(),
        release.title,
        classification.category,
        *("; ".join(classification.of(kind)) for kind in catalog.kinds),
        classification.cut_off.how if classification.cut_off else "",
        str(release.record_count),
        release.source_url,
        release.body,
    ))


def _csv_line(cells: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(list(cells))
    return out.getvalue()
