"""Search stage: a Pagefind index of the releases, built by the generator into the output folder.

Pagefind (the binary of the ``pagefind-bin`` package) indexes one small HTML document per
release that this module writes: the title, the titles of versions merged into it, the
text, the date, and the category, year and tags as filters.  It never sees the built site,
so only releases are indexed, each once, whichever builder publishes the output folder.

Shards.  Pagefind holds a whole index in memory while it builds it (about 190 kB per
release), and a reader's browser downloads each index's page table before it can show a
result (about 10 bytes per release).  Releases are therefore indexed in shards of at most
``search.shard_size``: runs of whole years, or of whole months for a year that alone holds
more.  Shards are grouped from the oldest year on, so new releases change only the newest
shard.  The search page (``search.js``) searches the newest shard first when results are
newest first, and merges the others (Pagefind's ``mergeIndex``) as the reader asks for
more results, for facet counts or for relevance.

Work done once.  Each shard is indexed into the cache folder under a fingerprint of its
documents, the Pagefind version and ``INDEX_FORMAT``, with a list of its files and their
sizes beside it, and copied from there into the output folder by the writer.  A shard whose
fingerprint is in the cache, whole, is not indexed again, so an unchanged re-run runs no
Pagefind and writes no index file.  (Pagefind's output is not byte-for-byte repeatable:
its filter files follow the order of a hash map, so an index built afresh differs in
bytes, never in what it finds.)
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import memo, pagefind, urls
from .blocks import front_matter, newest, page_meta
from .catalog import Catalog
from .markup import html_text
from .model import Release
from .tagkinds import TAG_KINDS, TagKind
from .writer import Content, FileCopy

INDEX_FORMAT = "1"  # part of every shard's fingerprint: change it when the documents or the layout change
SCRIPT = "search.js"  # the search page's script, shipped in generator/static/
def facets(kinds: Iterable[TagKind] = TAG_KINDS) -> tuple[str, ...]:
    """The Pagefind filter keys, in the order the search page shows them; labels: messages facet_<key>."""
    return ("category", "year", *(kind.facet for kind in kinds))

# The messages search.js shows (from the site language's catalog, in the page's data).
SCRIPT_MESSAGES = (
    "search_none", "search_none_for", "search_found", "search_found_for", "search_showing", "search_status_date",
    "search_status_relevance", "search_empty", "search_searching", "search_counts_failed", "search_index_failed",
    "search_show_all", "search_clear", "search_more_failed", "inferred",
)
@dataclass(frozen=True)
class Shard:
    """A run of consecutive years (or months) whose releases share one Pagefind index."""

    name: str  # "2019", "2006-2010", "2019-01-2019-06": the folder under search/
    releases: tuple[Release, ...]  # newest first


@dataclass(frozen=True)
class FingerprintedShard:
    """A shard and the fingerprint of everything that decides its index (``shard_fingerprint``)."""

    shard: Shard
    fingerprint: str


@dataclass(frozen=True)
class ShardDocuments:
    """A shard's search documents (path in Pagefind's site folder → HTML), for Pagefind to index."""

    shard: Shard
    documents: Mapping[str, str]
    fingerprint: str


@dataclass(frozen=True)
class SearchIndex:
    """The shards' index files for the output folder, and which shards Pagefind had to index."""

    files: Mapping[str, Content]
    shard_count: int
    indexed: tuple[str, ...]  # shards Pagefind indexed in this run; the others came from the cache
    pagefind_seconds: float  # how long Pagefind ran, all shards together (alongside the rendering and writing)
    cache_listings: tuple[Path, ...] = ()  # each shard's listing of its files in the cache


def plan_shards(releases: Iterable[Release], shard_size: int) -> tuple[Shard, ...]:
    """Releases grouped into shards of at most ``shard_size``, newest shard first.

    Units are whole years, or whole months of a year with more than ``shard_size`` releases;
    consecutive units are grouped from the oldest on while they fit, and a year cut into
    months starts a group of its own.  So releases added at the newest end change the newest
    shard only, except when its newest year outgrows the size: then that year leaves its
    group, and the group it leaves is indexed again too.  A single month over the size stays
    one shard.  In an archive of more than a quarter of ``shard_size`` releases the newest
    year is a shard of its own: a new release, which is most often of the newest year, then
    has a small shard indexed again, not one of ``shard_size`` releases (and the layout does
    not change as the year grows).
    """
    by_year: dict[int, list[Release]] = {}
    for release in releases:
        by_year.setdefault(release.date.year, []).append(release)
    groups: list[list[tuple[str, list[Release]]]] = []
    newest = max(by_year, default=0)
    big = sum(len(r) for r in by_year.values()) > shard_size // 4
    for year in sorted(by_year):
        if len(by_year[year]) <= shard_size:
            units, fresh = [(f"{year:04d}", by_year[year])], False
        else:
            by_month: dict[int, list[Release]] = {}
            for release in by_year[year]:
                by_month.setdefault(release.date.month, []).append(release)
            units, fresh = [(f"{year:04d}-{month:02d}", by_month[month]) for month in sorted(by_month)], True
        room = 0 if year == newest and big and not fresh else shard_size  # a year cut into months groups its months
        for unit in units:
            if groups and not fresh and sum(len(r) for _, r in groups[-1]) + len(unit[1]) <= room:
                groups[-1].append(unit)
            else:
                groups.append([unit])
            fresh = False
    shards = []
    for group in reversed(groups):
        first, last = group[0][0], group[-1][0]
        members = [release for _, unit_releases in group for release in unit_releases]
        ordered = tuple(sorted(members, key=lambda r: (r.date, r.title.casefold(), r.id), reverse=True))
        shards.append(Shard(first if first == last else f"{first}-{last}", ordered))
    return tuple(shards)


def search_document(release: Release, catalog: Catalog, language: str) -> str:
    """The page Pagefind indexes for a release: its text as content; title, date and tags as metadata and filters.

    Everything but the text is in ``<head>``, so a result's excerpt is always the release's
    own words.  Metadata is searchable: the title (and the other titles it was published
    under, ``also``) rank a release above those that only mention the words.
    """
    classification = catalog.classified[release.id]
    head = [
        f'<meta data-pagefind-meta="title[content]" content="{html_text(release.title)}">',
        f'<meta data-pagefind-meta="date[content]" data-pagefind-sort="date[content]" content="{release.date.isoformat()}">',
        f'<meta data-pagefind-meta="day[content]" content="{html_text(catalog.dates.day(release.date))}">',
        f'<meta data-pagefind-filter="category[content]" content="{html_text(classification.category)}">',
        f'<meta data-pagefind-filter="year[content]" content="{release.date.year}">',
    ]
    for kind in catalog.kinds:
        head += [f'<meta data-pagefind-filter="{kind.facet}[content]" content="{html_text(tag)}">' for tag in classification.of(kind)]
    other_titles = list(dict.fromkeys(t.title for t in release.texts if t.title != release.title))
    if other_titles:
        head.append(f'<meta data-pagefind-meta="also[content]" content="{html_text(" · ".join(other_titles))}">')
    if classification.category_inferred:
        head.append('<meta data-pagefind-meta="category_inferred[content]" content="inferred">')
    # Lines joined by <br> in a <main>: Pagefind ends every paragraph (<p>, <div> …) that
    # lacks one with a full stop, which would put one after a text cut off in the source.
    body = "<br>\n".join(html_text(line) for line in release.body.split("\n"))
    return (
        f'<!doctype html>\n<html lang="{html_text(language)}">\n<head>\n<meta charset="utf-8">\n'
        + "\n".join(head)
        + f"\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def document_path(release: Release, catalog: Catalog) -> str:
    """Where a release's document lies in Pagefind's site folder: its URL, so Pagefind's result URL is the release's."""
    return urls.url_of(catalog.paths[release.id]) + "index.html"


def shard_fingerprint(
    shard: Shard, catalog: Catalog, language: str, pagefind_version: str, digests: memo.TextCache | None = None
) -> FingerprintedShard:
    """A shard with a digest of what decides its index: ``INDEX_FORMAT``, the Pagefind version,
    the language, and each document's path and digest.

    ``digests`` holds the digest of each document made before, by a key of what it is made
    from (the release's key, its path and date as shown, the language and kinds of tag), so
    a run makes only the documents of new or changed releases to tell which shards changed.
    """
    digests = digests or memo.TextCache(None, "documents", "")
    context = memo.value_key((language, tuple(catalog.kinds)))
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{pagefind_version}\0{language}\0".encode())
    for path, release in sorted(((document_path(r, catalog), r) for r in shard.releases), key=lambda pair: pair[0]):
        key = memo.parts_key(context, catalog.release_key(release), path, catalog.dates.day(release.date))
        document = digests.get_or_make(key, bytes, functools.partial(document_digest, release, catalog, language))
        digest.update(path.encode() + b"\0" + document)
    return FingerprintedShard(shard, digest.hexdigest()[:32])


def document_digest(release: Release, catalog: Catalog, language: str) -> bytes:
    return hashlib.sha256(search_document(release, catalog, language).encode()).digest()


def shard_documents(shard: FingerprintedShard, catalog: Catalog, language: str) -> ShardDocuments:
    """A shard's documents, for Pagefind to index."""
    documents = {document_path(r, catalog): search_document(r, catalog, language) for r in shard.shard.releases}
    return ShardDocuments(shard.shard, documents, shard.fingerprint)


class PendingIndex:
    """Shards being indexed by Pagefind in the background while the pages are rendered and written.

    ``result()`` waits for them and returns their files with the search page and its script,
    to be written together: a published search page never names a shard that is not there.
    Unless ``page_with_index`` is false: then the search page and script are ``early_files``,
    to be written with the pages, for a builder that runs before the index is written (and
    has it copied into its site by ``publish`` after).  ``jobs`` Pagefind processes run at
    once (0: one per CPU core, two at most).
    """

    def __init__(
        self, catalog: Catalog, cache: Path, language: str, shard_size: int, jobs: int, page_with_index: bool = True,
        digests: memo.TextCache | None = None,
    ):
        """``digests``: the digests of the search documents made before (``shard_fingerprint``)."""
        self._cache = cache
        version = pagefind.pagefind_version()
        self._shards = tuple(
            shard_fingerprint(shard, catalog, language, version, digests) for shard in plan_shards(catalog.releases, shard_size)
        )
        if digests is not None:
            digests.save()
        script = importlib.resources.files(__package__).joinpath("static", SCRIPT).read_text(encoding="utf-8")
        page_files: dict[str, Content] = {urls.SEARCH: search_page(self._shards, catalog), urls.search_file(SCRIPT): script}
        self._late_files = page_files if page_with_index else {}
        self.early_files = {} if page_with_index else page_files
        self._cached = {s.fingerprint: pagefind.cached_files(cache, s.fingerprint) for s in self._shards}
        missing = [s for s in self._shards if self._cached[s.fingerprint] is None]
        executable = pagefind.pagefind_executable() if missing else None
        # Each Pagefind holds its shard's index in memory (about 200 kB a release): two at most.
        workers = jobs or min(os.cpu_count() or 1, 2)
        self._executor = ThreadPoolExecutor(max_workers=workers) if missing else None
        self._running: dict[str, Future] = {
            s.shard.name: self._executor.submit(pagefind.index_shard, executable, shard_documents(s, catalog, language), cache)
            for s in missing
        }

    def __enter__(self) -> PendingIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Shards not started yet are dropped when the run fails; a Pagefind already running finishes (or dies with Ctrl-C)."""
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def result(self) -> SearchIndex:
        built = {name: future.result() for name, future in self._running.items()}
        pagefind.prune_cache(self._cache, {s.fingerprint for s in self._shards})
        files: dict[str, Content] = {}
        for shard in self._shards:
            cached = self._cached[shard.fingerprint] or {}
            names = cached if shard.shard.name not in built else built[shard.shard.name].files
            for name in names:
                source = f"{self._cache}/{shard.fingerprint}/{name}"
                files[urls.search_file(f"{shard.shard.name}/{name}")] = FileCopy(source, cached.get(name))
        seconds = sum(b.seconds for b in built.values())
        files.update(self._late_files)  # after the shards it names: sorted paths put search/index.md after them
        listings = tuple(self._cache / f"{shard.fingerprint}.json" for shard in self._shards)
        return SearchIndex(files, len(self._shards), tuple(built), round(seconds, 3), listings)


def _script_json(value) -> str:
    """JSON for a ``<script type="application/json">`` element: no ``<`` can end it early."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def facet_values(catalog: Catalog) -> list[dict]:
    """Each facet with its values and their numbers of releases in the whole archive, as the page first shows them."""
    by_year = [(str(year), sum(len(r) for r in months.values())) for year, months in catalog.by_year.items()]
    values = {
        "category": [(name, len(releases)) for name, releases in catalog.by_category.items()],
        "year": by_year,
        **{kind.facet: [(name, len(releases)) for name, releases in catalog.by_tag(kind).items()] for kind in catalog.kinds},
    }
    return [
        {"key": key, "label": catalog.messages(f"facet_{key}"), "values": values[key]}
        for key in facets(catalog.kinds)
        if values[key]
    ]


def search_page(shards: tuple[FingerprintedShard, ...], catalog: Catalog) -> str:
    """The search page: a form, facets and results, filled in by ``search.js`` from the shards' indexes.

    Its links are relative to ``search/``, which both MkDocs and Zensical serve it at.
    """
    data = {
        "shards": [
            {
                "name": s.shard.name,
                "releases": len(s.shard.releases),
                "from": s.shard.releases[-1].date.isoformat(),
                "to": s.shard.releases[0].date.isoformat(),
                "tag": s.fingerprint[:16],
            }
            for s in shards
        ],
        "releases": len(catalog.releases),
        "facets": facet_values(catalog),
        "messages": {key: catalog.messages.texts[key] for key in SCRIPT_MESSAGES},
    }
    t = catalog.messages
    main = catalog.main_kind
    front = front_matter(page_meta(t("search"), t("search_description"), newest(catalog.releases[:1])))

    def say(key: str) -> str:
        return html_text(t(key))

    noscript = t(
        "search_noscript",
        by_date=f'<a href="../archive/">{say("search_noscript_by_date")}</a>',
        by_category=f'<a href="../categories/">{say("search_noscript_by_category")}</a>',
        by_topic=f'<a href="../{main.folder}/">{say("search_noscript_by_topic")}</a>' if main and catalog.by_tag(main) else "",
    )
    # One raw HTML block without blank lines, which Markdown passes through untouched. The
    # facets' checkboxes (search.js) belong to the form through their form attribute.
    return (
        front
        + '<div class="pa-search" id="pa-search">\n'
        f'<h1 class="pa-title">{say("search_heading")}</h1>\n'
        f'<form class="pa-search-form" id="pa-search-form" role="search" aria-label="{say("search_form_label")}" action="./" method="get">\n'
        f'<label class="pa-search-label" for="pa-q">{say("search_label")}</label>\n'
        '<div class="pa-search-row">\n'
        '<input id="pa-q" class="pa-search-input" type="search" name="q" autocomplete="off" spellcheck="false" '
        'enterkeyhint="search">\n'
        f'<button class="md-button md-button--primary pa-search-submit" type="submit">{say("search_button")}</button>\n'
        "</div>\n"
        '<div class="pa-search-options">\n'
        f'<label for="pa-sort">{say("search_order")}</label>\n'
        f'<select id="pa-sort" name="sort"><option value="date">{say("search_order_date")}</option>'
        f'<option value="relevance">{say("search_order_relevance")}</option></select>\n'
        "</div>\n"
        "</form>\n"
        '<div class="pa-search-body">\n'
        f'<details class="pa-facets" id="pa-facets" open>\n<summary>{say("search_narrow")}</summary>\n'
        f'<a class="pa-skip" href="#pa-status">{say("search_skip")}</a>\n'
        '<div class="pa-facet-list" id="pa-facet-list"></div>\n</details>\n'
        f'<section class="pa-search-results" aria-label="{say("search_results")}">\n'
        '<p class="pa-search-status" id="pa-status" role="status" aria-live="polite" tabindex="-1"></p>\n'
        '<ol class="pa-hits" id="pa-hits"></ol>\n'
        f'<button class="md-button pa-more" id="pa-more" type="button" hidden>{say("search_more")}</button>\n'
        "</section>\n"
        "</div>\n"
        f"<noscript><p>{noscript}</p></noscript>\n"
        f'<script type="application/json" id="pa-search-data">{_script_json(data)}</script>\n'
        f'<script type="module" src="{SCRIPT}"></script>\n'
        "</div>\n"
    )
