"""The whole generator: read → dedupe (exact, then near) → classify (tags, categories, related) → place → search → render → write.

Phase one (``collect``) reads, deduplicates, classifies and places every release; phase
two writes: the search stage starts Pagefind on the releases (``search.PendingIndex``),
and while it runs the pages are rendered (``render_site``) and written (``OutputWriter``),
then the index.  Nothing is written before everything has been read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import exports, feeds, home, listings, permalinks, render, search, urls
from .blocks import TAG_KINDS
from .catalog import Catalog
from .classify import Classified, classify, load_vocabularies
from .config import Config, ConfigError, SiteIdentity, read_site_identity
from .dates import DateFormat, DateFormatError
from .messages import Messages, load_messages
from .dedupe import merge_exact_duplicates
from .model import Notice, Rejection
from .neardup import Deduplicated, load_overrides, merge_near_duplicates
from .permalinks import Permalink, place, read_registry
from .progress import Stages, Track
from .reader import FileRead, ReadResult, read_inputs
from .lock import LOCK_FILE, ProjectLock
from .templates import overrides_folder
from .writer import OutputWriter, WriteError, WriteResult, atomic_write_text


@dataclass(frozen=True)
class Collected:
    read: ReadResult
    deduplicated: Deduplicated
    classified: Classified
    vocabulary_warnings: tuple[str, ...]  # unknown keys in the taxonomy, places or organisations file
    catalog: Catalog
    registry: tuple[Permalink, ...]  # the permalink registry, updated with this run's URLs
    new_urls: int
    listings: tuple[str, ...] = ()  # listing pages and feeds published by earlier runs


@dataclass(frozen=True)
class Report:
    """What a run did with every input record; ``records_read == sources + rejected``."""

    records_read: int
    releases: int
    merged: int  # records folded into another record's page: exact copies and near-duplicates
    near_duplicates: int  # texts merged into a fuller text of the same release
    new_urls: int  # URLs added to the permalink registry
    search_shards: int
    search_shards_indexed: tuple[str, ...]  # shards Pagefind indexed in this run; the rest came from the cache
    search_pagefind_seconds: float
    redirects: int
    categories_inferred: int
    rejected: tuple[Rejection, ...]
    unreadable_files: tuple[Rejection, ...]
    warnings: tuple[Notice, ...]
    config_warnings: tuple[str, ...]
    files: tuple[FileRead, ...]
    written: WriteResult

    def as_dict(self) -> dict:
        return {
            "records_read": self.records_read,
            "releases": self.releases,
            "merged": self.merged,
            "near_duplicates": self.near_duplicates,
            "search_shards": self.search_shards,
            "redirects": self.redirects,
            "categories_inferred": self.categories_inferred,
            "rejected": [{**r.source.as_dict(), "reason": r.reason} for r in self.rejected],
            "unreadable_files": [{"file": r.source.file, "reason": r.reason} for r in self.unreadable_files],
            "warnings": [{**n.source.as_dict(), "message": n.message} for n in self.warnings],
            "config_warnings": list(self.config_warnings),
            "files_read": len(self.files),
            "files": [f.as_dict() for f in self.files],
            # What this run changed is printed, not kept here: on unchanged input the report
            # stays byte-identical and is not rewritten.
            "generated_files": len(self.written.written) + len(self.written.unchanged),
        }

    @property
    def problems(self) -> int:
        return len(self.rejected) + len(self.unreadable_files) + len(self.warnings) + len(self.config_warnings)


def deduplicate(config: Config, read: ReadResult) -> Deduplicated:
    texts = merge_exact_duplicates(read.records)
    overrides = load_overrides(config.resolve(config.near_duplicates.overrides))
    return merge_near_duplicates(texts, config.near_duplicates, overrides)


def page_language(config: Config, language: str) -> tuple[DateFormat, Messages]:
    """How pages write dates (``date_format``) and words, in the site's language (mkdocs.yml's theme.language)."""
    try:
        dates = DateFormat(language, config.date_format)
    except DateFormatError as error:
        raise ConfigError(f"date_format: {error}") from None
    return dates, load_messages(language, config.resolve(config.messages) if config.messages else None)


def collect(config: Config, inputs: list[Path], stages: Stages | None = None, site: SiteIdentity | None = None) -> Collected:
    """Phase one: read, deduplicate, classify and place every release; nothing is written.

    ``site`` is mkdocs.yml's identity when the caller has read it already.
    """
    stages = stages or Stages()
    site = site or read_site_identity(config.resolve(config.mkdocs_config))
    language = page_language(config, site.language)  # before the reading: a wrong date_format fails at once
    with stages.stage("parse"):
        read = read_inputs(
            inputs, config.dump, config.categories, config.default_category, track=lambda f: stages.track(f, "file")
        )
    with stages.stage("dedupe"):
        deduplicated = deduplicate(config, read)
    releases = deduplicated.releases
    with stages.stage("classify"):
        vocabularies = load_vocabularies(config)
        classified = classify(releases, vocabularies, config, track=lambda r: stages.track(r, "release"))
    with stages.stage("place"):
        registry = read_registry(config.resolve(config.permalinks))
        placement = place(releases, registry.links, config.slug_max_length)
        catalog = Catalog.build(
            releases,
            classified.by_release,
            placement,
            config.categories,
            vocabularies.organizations.descriptions,
            *language,
            overrides_folder(site.custom_dir),
        )
    return Collected(
        read, deduplicated, classified, vocabularies.warnings, catalog, placement.registry, placement.added, registry.listings
    )


def render_site(
    catalog: Catalog, site: SiteIdentity, config: Config, track: Track = iter
) -> dict[str, str]:
    """Every generated file: path under the output folder → text; no two at one path."""
    files: list[tuple[str, str]] = [(catalog.paths[r.id], render.release_page(r, catalog)) for r in track(catalog.releases)]
    zone = feeds.zone_in_words(config.zone, catalog.releases[0].date if catalog.releases else dt.date(1970, 1, 1), catalog.dates.locale)
    with_feeds = bool(site.url)
    files.append((urls.HOME, home.home_page(catalog, site, config.home_latest, zone, feeds=with_feeds)))
    files.append((urls.ARCHIVE_INDEX, listings.archive_index_page(catalog)))
    page_size = config.listing_page_size
    for year, months in catalog.by_year.items():
        files.append((urls.year_path(year), listings.year_page(year, months, catalog, page_size)))
        files += [(urls.month_path(year, m), listings.month_page(year, m, releases, catalog)) for m, releases in months.items()]
    files.append((urls.CATEGORIES_INDEX, listings.categories_index_page(catalog)))
    for category, releases in catalog.by_category.items():
        files += listings.category_pages(category, releases, catalog, page_size, feeds=with_feeds).items()
    for kind in TAG_KINDS:
        groups = kind.groups(catalog)
        if not groups:  # a kind of tag no release has: no empty index page, no tab, no card on the home page
            continue
        files.append((kind.index_path, listings.tag_index_page(kind, groups, catalog)))
        for name, releases in groups.items():
            files += listings.tag_pages(kind, name, releases, catalog, page_size).items()
    files.append((urls.ARCHIVE_DATA, exports.archive_data(catalog)))
    files.append((urls.ARCHIVE_CSV, exports.archive_csv(catalog)))
    if with_feeds:
        files += feeds.feeds(catalog, site, config.zone, config.feed_size).items()
    files += [(permalinks.redirect_file(url), render.redirect_page(url, target, catalog)) for url, target in catalog.redirects.items()]
    return unique_files(files)


def retired_listings(
    retired: set[str], current: set[str], catalog: Catalog, site: SiteIdentity, config: Config
) -> dict[str, str]:
    """Listing URLs an earlier run published and this one has no page for (the last release of
    a month or a topic went): a redirect to the nearest listing above, or a feed with no items."""
    files = {}
    for url in sorted(retired):
        if urls.is_feed(url):
            if site.url:  # without site_url no feed is written at all
                files[url] = feeds.empty_feed(url, catalog, site, config.zone)
        else:
            files[permalinks.redirect_file(url)] = render.redirect_page(url, permalinks.nearest_listing(url, current), catalog)
    return files


def unique_files(files: list[tuple[str, str]]) -> dict[str, str]:
    """The files as a mapping, refusing two at one path (one would silently replace the other)."""
    mapping: dict[str, str] = {}
    for path, text in files:
        if path in mapping:
            raise WriteError(f"{path}: two generated files at one path (names that slug alike?); rename one of them")
        mapping[path] = text
    return mapping


def start_search_index(
    catalog: Catalog, config: Config, site: SiteIdentity, jobs: int, page_with_index: bool = True
) -> search.PendingIndex:
    """Start indexing the releases for search (see ``generator/search.py``); the language is the site's unless set."""
    return search.PendingIndex(
        catalog,
        config.resolve(config.cache) / "search",
        config.search.language or site.language,
        config.search.shard_size,
        jobs,
        page_with_index,
    )


def site_warnings(site: SiteIdentity, mkdocs_config: Path) -> tuple[str, ...]:
    if site.url:
        return ()
    return (f"{mkdocs_config}: site_url is not set: no RSS feeds are written (they need absolute URLs)",)


def make_report(
    collected: Collected, written: WriteResult, index: search.SearchIndex, site_problems: tuple[str, ...] = ()
) -> Report:
    read, catalog = collected.read, collected.catalog
    sources = sum(r.record_count for r in catalog.releases)
    return Report(
        records_read=read.records_read,
        releases=len(catalog.releases),
        merged=sources - len(catalog.releases),
        near_duplicates=len(collected.deduplicated.merges),
        new_urls=collected.new_urls,
        search_shards=index.shard_count,
        search_shards_indexed=index.indexed,
        search_pagefind_seconds=index.pagefind_seconds,
        redirects=len(catalog.redirects),
        categories_inferred=sum(c.category_inferred for c in catalog.classified.values()),
        rejected=tuple(r for r in read.rejections if r.source.line > 0),
        unreadable_files=tuple(r for r in read.rejections if r.source.line == 0),
        warnings=(*read.notices, *collected.deduplicated.notices, *collected.classified.notices),
        config_warnings=(*collected.vocabulary_warnings, *site_problems),
        files=read.files,
        written=written,
    )


class Generation:
    """A generate run in two halves, so that a builder can work while Pagefind still indexes.

    ``start_generation`` reads, deduplicates, classifies and places everything, starts the
    search index and writes the pages; ``finish`` waits for the index, writes it and
    finishes the output folder (stale files, manifest), then the permalink registry and the
    report.  ``press-archive build`` runs MkDocs between the two.
    """

    def __init__(self, config: Config, site: SiteIdentity, collected: Collected, pending: search.PendingIndex,
                 writer: OutputWriter, report_path: Path | None, stages: Stages, lock: ProjectLock,
                 listings: tuple[str, ...] = ()) -> None:
        self.config = config
        self.site = site
        self.collected = collected
        self.pending = pending
        self.writer = writer
        self.report_path = report_path
        self.stages = stages
        self.lock = lock
        self.listings = listings  # every listing URL published, this run's and earlier ones'
        self._index: search.SearchIndex | None = None

    @property
    def problems(self) -> int:
        """Rejected records, unreadable files and warnings: known before the index is done."""
        read = self.collected.read
        notices = (*read.notices, *self.collected.deduplicated.notices, *self.collected.classified.notices)
        config_warnings = (*self.collected.vocabulary_warnings, *self.site_problems)
        return len(read.rejections) + len(notices) + len(config_warnings)

    @property
    def site_problems(self) -> tuple[str, ...]:
        return site_warnings(self.site, self.config.resolve(self.config.mkdocs_config))

    def index(self) -> search.SearchIndex:
        """The search index, once Pagefind has finished."""
        if self._index is None:
            with self.pending, self.stages.stage("search"):
                self._index = self.pending.result()
        return self._index

    def finish(self) -> Report:
        try:
            return self._finish()
        finally:
            self.lock.release()

    def _finish(self) -> Report:
        index = self.index()
        with self.stages.stage("write"):
            self.writer.write(index.files)
            written = self.writer.finish()
            config = self.config
            atomic_write_text(config.resolve(config.permalinks), permalinks.registry_text(self.collected.registry, self.listings))
            report = make_report(self.collected, written, index, self.site_problems)
            if self.report_path is not None:
                atomic_write_text(self.report_path, json.dumps(report.as_dict(), indent=1, ensure_ascii=False) + "\n")
        return report


def start_generation(
    config: Config,
    inputs: list[Path],
    out_dir: Path,
    report_path: Path | None,
    stages: Stages | None = None,
    search_beside_builder: bool = False,
    on_wait: Callable[[str], None] = lambda message: None,
    adopt: bool = False,
) -> Generation:
    """Phase one, and phase two up to the pages (see ``Generation``).

    Runs on one project take turns (``lock``): if another run holds the project, this one
    tells ``on_wait`` and waits for it.

    With ``search_beside_builder`` the search page goes out with the pages, for the builder
    that runs before ``finish``, and Pagefind runs one process at a time (unless
    ``search.jobs`` says otherwise), leaving a core to the builder.
    """
    stages = stages or Stages()
    site = read_site_identity(config.resolve(config.mkdocs_config))
    lock = ProjectLock(config.resolve(config.cache) / LOCK_FILE)
    lock.acquire(on_wait)
    try:
        collected = collect(config, inputs, stages, site)
        with stages.stage("search"):
            jobs = config.search.jobs or (1 if search_beside_builder else 0)
            pending = start_search_index(collected.catalog, config, site, jobs, page_with_index=not search_beside_builder)
    except BaseException:
        lock.release()
        raise
    try:  # Pagefind indexes the shards in other processes while this one renders and writes the pages
        with stages.stage("render"):
            pages = render_site(collected.catalog, site, config, track=lambda r: stages.track(r, "page"))
            listings = permalinks.listing_urls(pages, set(collected.catalog.paths.values()))
            retired = retired_listings(set(collected.listings) - listings, listings, collected.catalog, site, config)
            pages = unique_files([*pages.items(), *retired.items()])
            listings |= set(collected.listings)
        with stages.stage("write"):
            writer = OutputWriter(out_dir, track=lambda f: stages.track(f, "file"), adopt=adopt)
            writer.write({**pages, **pending.early_files})
            writer.sweep(still_to_come=urls.is_search_file)
    except BaseException:
        pending.close()
        lock.release()
        raise
    return Generation(config, site, collected, pending, writer, report_path, stages, lock, tuple(sorted(listings)))


def generate(
    config: Config, inputs: list[Path], out_dir: Path, report_path: Path | None, stages: Stages | None = None
) -> Report:
    """Run the whole pipeline and write the site sources; returns the report (also written to ``report_path``).

    ``stages`` times each stage (and shows progress bars if asked to).
    """
    return start_generation(config, inputs, out_dir, report_path, stages).finish()
