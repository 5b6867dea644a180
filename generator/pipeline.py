"""The whole generator: read → dedupe (exact, then near) → classify (tags, categories, related) → place → search → render → write.

Phase one (``collect``) reads, deduplicates, classifies and places every release; phase
two writes: the search stage starts Pagefind on the releases (``search.PendingIndex``),
and while it runs the pages are rendered (``render_site``) and written (``OutputWriter``),
then the index.  Nothing is written before everything has been read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import exports, feeds, home, listings, memo, permalinks, render, search, urls
from .catalog import Catalog
from .classify import Classified, classify, load_vocabularies, vocabulary_digest
from .config import Config, ConfigError, SiteIdentity, read_site_identity
from .dates import DateFormat, DateFormatError
from .messages import Messages, load_messages
from .dedupe import merge_exact_duplicates
from .model import Notice, Rejection
from .neardup import Deduplicated, load_overrides, merge_near_duplicates
from .pagecache import PageCache
from .permalinks import Permalink, WrittenRegistry, place, read_registry
from .progress import Stages, Track
from .reader import FileRead, ReadResult, find_input_files, read_inputs
from .tagkinds import TAG_KINDS, TagKind, fallback_messages
from .lock import LOCK_FILE, ProjectLock
from .templates import overrides_folder
from .writer import MANIFEST, Content, FileCopy, OutputWriter, WriteError, WriteResult, atomic_write_text


OUTPUT_STATES = "outputs.pickle"  # in the cache folder: each output's size, modification time and digest
PAGE_CACHE = "pages.pickle"  # in the cache folder: what each release page was rendered from
REGISTRY_CACHE = "registry.pickle"  # in the cache folder: the permalink registry as the last run wrote it


@dataclass(frozen=True)
class Collected:
    read: ReadResult
    deduplicated: Deduplicated
    classified: Classified
    vocabulary_warnings: tuple[str, ...]  # unknown keys in the vocabulary files, missing files
    catalog: Catalog
    registry: tuple[Permalink, ...]  # the permalink registry, updated with this run's URLs
    new_urls: int
    listings: tuple[str, ...] = ()  # listing pages and feeds published by earlier runs
    written_registry: WrittenRegistry | None = None  # the registry as the last run wrote it


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
    unchanged_since_last_run: bool = False  # inputs and settings as the last run left them: nothing was done

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


def deduplicate(config: Config, read: ReadResult, cache: memo.TextCache | None = None) -> Deduplicated:
    texts = merge_exact_duplicates(read.records)
    overrides = load_overrides(config.resolve(config.near_duplicates.overrides))
    return merge_near_duplicates(texts, config.near_duplicates, overrides, cache)


@dataclass(frozen=True)
class TextCaches:
    """The per-text results of earlier runs (see ``memo``), each under the settings that decide it."""

    parsed: memo.TextCache  # a file's records, by its name and bytes
    shingled: memo.TextCache
    tagged: memo.TextCache
    words: memo.TextCache

    @classmethod
    def load(cls, config: Config, kinds: tuple[TagKind, ...] = TAG_KINDS) -> TextCaches:
        folder = config.resolve(config.cache) / "texts"
        reading = repr((config.dump, config.categories, config.default_category))
        return cls(
            memo.TextCache(folder, "parsed", reading),
            memo.TextCache(folder, "shingled", str(config.near_duplicates.shingle_words)),
            memo.TextCache(folder, "tagged", vocabulary_digest(config, kinds)),
            memo.TextCache(folder, "words", ""),
        )

    def save(self) -> None:
        for cache in (self.parsed, self.shingled, self.tagged, self.words):
            cache.save()


def page_language(config: Config, language: str, kinds: tuple[TagKind, ...] = TAG_KINDS) -> tuple[DateFormat, Messages]:
    """How pages write dates (``date_format``) and words, in the site's language (mkdocs.yml's theme.language);
    the words of a kind of tag the catalogs lack are its English fallbacks."""
    try:
        dates = DateFormat(language, config.date_format)
    except DateFormatError as error:
        raise ConfigError(f"date_format: {error}") from None
    project_file = config.resolve(config.messages) if config.messages else None
    return dates, load_messages(language, project_file, fallback_messages(kinds))


def collect(
    config: Config, inputs: list[Path], stages: Stages | None = None, site: SiteIdentity | None = None,
    today: dt.date | None = None, kinds: tuple[TagKind, ...] = TAG_KINDS,
) -> Collected:
    """Phase one: read, deduplicate, classify and place every release; nothing is written.

    ``site`` is mkdocs.yml's identity when the caller has read it already; ``today`` decides
    which dates lie too far ahead (default: the clock's); ``kinds`` are the kinds of tag.
    """
    stages = stages or Stages()
    site = site or read_site_identity(config.resolve(config.mkdocs_config))
    language = page_language(config, site.language, kinds)  # before the reading: a wrong date_format fails at once
    today = today or dt.date.today()
    caches = TextCaches.load(config, kinds)
    with stages.stage("parse"):
        read = read_inputs(
            inputs, config.dump, config.categories, config.default_category, today,
            track=lambda f: stages.track(f, "file"), cache=caches.parsed,
        )
    with stages.stage("dedupe"):
        deduplicated = deduplicate(config, read, caches.shingled)
    releases = deduplicated.releases
    with stages.stage("classify"):
        vocabularies = load_vocabularies(config, kinds)
        classified = classify(
            releases, vocabularies, config, lambda r: stages.track(r, "release"), caches.tagged, caches.words
        )
        caches.save()
    with stages.stage("place"):
        written = memo.load(config.resolve(config.cache) / REGISTRY_CACHE)
        written = written if isinstance(written, WrittenRegistry) else None
        registry = read_registry(config.resolve(config.permalinks), written)
        placement = place(releases, registry.links, config.slug_max_length)
        catalog = Catalog.build(
            releases,
            classified.by_release,
            placement,
            config.categories,
            vocabularies.descriptions,
            *language,
            overrides_folder(site.custom_dir),
            kinds,
        )
    return Collected(
        read, deduplicated, classified, vocabularies.warnings, catalog, placement.registry, placement.added,
        registry.listings, written,
    )


def render_site(
    catalog: Catalog, site: SiteIdentity, config: Config, track: Track = iter, pages: PageCache | None = None
) -> dict[str, Content]:
    """Every generated file: path under the output folder → text (or ``Kept``, for a release
    page ``pages`` finds unchanged); no two at one path."""
    files: list[tuple[str, Content]] = [*render.release_pages(catalog, pages, track)]
    zone = feeds.zone_in_words(config.zone, catalog.releases[0].date if catalog.releases else dt.date(1970, 1, 1), catalog.dates.locale)
    with_feeds = bool(site.url)
    files.append((urls.HOME, home.home_page(catalog, site, config.home_latest, zone, feeds=with_feeds)))
    files.append((urls.ARCHIVE_INDEX, listings.archive_index_page(catalog)))
    page_size = config.listing_page_size
    for year, months in catalog.by_year.items():
        files.append((urls.year_path(year), listings.year_page(year, months, catalog, page_size)))
        files += [
            (urls.month_path(year, m), listings.month_page(year, m, releases, catalog, pages)) for m, releases in months.items()
        ]
    files.append((urls.CATEGORIES_INDEX, listings.categories_index_page(catalog)))
    for category, releases in catalog.by_category.items():
        files += listings.category_pages(category, releases, catalog, page_size, with_feeds, pages).items()
    for kind in catalog.kinds:
        groups = catalog.by_tag(kind)
        if not groups:  # a kind of tag no release has: no empty index page, no tab, no card on the home page
            continue
        files.append((kind.index_path, listings.tag_index_page(kind, groups, catalog)))
        for name, releases in groups.items():
            files += listings.tag_pages(kind, name, releases, catalog, page_size, pages).items()
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


def unique_files(files: list[tuple[str, Content]]) -> dict[str, Content]:
    """The files as a mapping, refusing two at one path (one would silently replace the other)."""
    mapping: dict[str, Content] = {}
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


def settings_fingerprint(config: Config, site: SiteIdentity, kinds: tuple[TagKind, ...] = TAG_KINDS) -> memo.Fingerprint:
    """The code, the settings and every file of settings: what pages depend on beside the input."""
    fingerprint = (
        memo.Fingerprint()
        .text("code", memo.code_identity())
        .text("settings", repr(config))
        .text("site", repr(site))
        .file("mkdocs.yml", config.resolve(config.mkdocs_config))
    )
    fingerprint.text("kinds", "\n".join(kind.identity for kind in kinds))
    for kind in kinds:
        fingerprint.file(kind.fingerprint_name, kind.vocabulary_file(config))
    fingerprint.file("overrides", config.resolve(config.near_duplicates.overrides))
    fingerprint.text("messages", str(config.resolve(config.messages)) if config.messages else "")
    if config.messages:
        fingerprint.file("messages", config.resolve(config.messages))
    templates = overrides_folder(site.custom_dir)
    return fingerprint.folder("templates", templates) if templates is not None else fingerprint


def run_fingerprint(
    settings: memo.Fingerprint, config: Config, inputs: list[Path], out_dir: Path, report_path: Path | None,
    today: dt.date,
) -> memo.Fingerprint:
    """Everything a run's outcome depends on (``settings``: ``settings_fingerprint``) but the
    permalink registry, which the run itself rewrites: the caller adds it
    (``.file("registry", …)``) as it is before or after a run."""
    fingerprint = (
        settings.copy()
        .text("today", today.isoformat())
        .text("output", str(out_dir.resolve()))
        .text("report", str(report_path.resolve()) if report_path else "")
    )
    found = find_input_files(inputs, config.dump)
    fingerprint.text("unreadable", repr(found.unreadable))
    for input_file in found.files:
        fingerprint.file(f"input {input_file.name}", input_file.path)
    return fingerprint


@dataclass(frozen=True)
class RunOutcome:
    """What a run that finds everything as the last run left it answers with (see ``memo``)."""

    report: Report
    index: search.SearchIndex


class Generation:
    """A generate run in two halves, so that a builder can work while Pagefind still indexes.

    ``start_generation`` reads, deduplicates, classifies and places everything, starts the
    search index and writes the pages; ``finish`` waits for the index, writes it and
    finishes the output folder (stale files, manifest), then the permalink registry and the
    report.  ``press-archive build`` runs MkDocs between the two.
    """

    def __init__(self, config: Config, site: SiteIdentity, collected: Collected, pending: search.PendingIndex,
                 writer: OutputWriter, report_path: Path | None, stages: Stages, lock: ProjectLock,
                 listings: tuple[str, ...] = (), fingerprint: memo.Fingerprint | None = None,
                 page_cache: PageCache | None = None) -> None:
        self.config = config
        self.site = site
        self.collected = collected
        self.pending = pending
        self.writer = writer
        self.report_path = report_path
        self.stages = stages
        self.lock = lock
        self.listings = listings  # every listing URL published, this run's and earlier ones'
        self.fingerprint = fingerprint  # None: the run is not to be remembered (--adopt)
        self.page_cache = page_cache
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
            end_run(self.lock)

    def _finish(self) -> Report:
        index = self.index()
        with self.stages.stage("write"):
            self.writer.write(index.files)
            written = self.writer.finish()
            if self.page_cache is not None:
                self.page_cache.save(self.writer.digests)
            config = self.config
            text, written_registry = permalinks.write_registry(
                self.collected.registry, self.listings, self.collected.written_registry
            )
            atomic_write_text(config.resolve(config.permalinks), text)
            memo.dump(config.resolve(config.cache) / REGISTRY_CACHE, written_registry)
            report = make_report(self.collected, written, index, self.site_problems)
            if self.report_path is not None:
                atomic_write_text(self.report_path, json.dumps(report.as_dict(), indent=1, ensure_ascii=False) + "\n")
            if self.fingerprint is not None:
                self._remember(report, index)
        return report

    def _remember(self, report: Report, index: search.SearchIndex) -> None:
        """Keep the outcome for a next run that finds everything as this one leaves it.

        That run would write nothing, add no URL and index no shard: the outcome says so.
        """
        config = self.config
        written = report.written
        unchanged = WriteResult((), tuple(sorted((*written.written, *written.unchanged))), ())
        outcome = RunOutcome(
            dataclasses.replace(
                report, new_urls=0, search_shards_indexed=(), search_pagefind_seconds=0.0, written=unchanged,
                unchanged_since_last_run=True,
            ),
            dataclasses.replace(index, indexed=(), pagefind_seconds=0.0),
        )
        files = [self.writer.root / path for path in unchanged.unchanged]
        files += [self.writer.root / MANIFEST, *([self.report_path] if self.report_path else [])]
        files += [content.source for content in index.files.values() if isinstance(content, FileCopy)]
        files += index.cache_listings
        fingerprint = self.fingerprint.copy().file("registry", config.resolve(config.permalinks)).hexdigest()
        memo.remember_run(config.resolve(config.cache), fingerprint, files, outcome)


class Unchanged:
    """A run that found its inputs, settings and outputs as the last run left them: it answers as that run did."""

    def __init__(self, site: SiteIdentity, outcome: RunOutcome, stages: Stages, lock: ProjectLock) -> None:
        self.site = site
        self.outcome = outcome
        self.stages = stages
        self.lock = lock

    @property
    def problems(self) -> int:
        return self.outcome.report.problems

    def index(self) -> search.SearchIndex:
        return self.outcome.index

    def finish(self) -> Report:
        end_run(self.lock)
        return self.outcome.report


def end_run(lock: ProjectLock) -> None:
    """The end of a run, finished or failed: the project is free, the cycle collector on again."""
    lock.release()
    gc.enable()


def start_generation(
    config: Config,
    inputs: list[Path],
    out_dir: Path,
    report_path: Path | None,
    stages: Stages | None = None,
    search_beside_builder: bool = False,
    on_wait: Callable[[str], None] = lambda message: None,
    adopt: bool = False,
    kinds: tuple[TagKind, ...] = TAG_KINDS,
) -> Generation | Unchanged:
    """Phase one, and phase two up to the pages (see ``Generation``).

    Runs on one project take turns (``lock``): if another run holds the project, this one
    tells ``on_wait`` and waits for it.

    With ``search_beside_builder`` the search page goes out with the pages, for the builder
    that runs before ``finish``, and Pagefind runs one process at a time (unless
    ``search.jobs`` says otherwise), leaving a core to the builder.

    ``kinds`` are the kinds of tag the releases get (``tagkinds``).
    """
    stages = stages or Stages()
    site = read_site_identity(config.resolve(config.mkdocs_config))
    cache = config.resolve(config.cache)
    lock = ProjectLock(cache / LOCK_FILE)
    lock.acquire(on_wait)
    # The run builds millions of objects that live until it ends: Python's cycle collector
    # would walk them again and again (a fifth of a run at 20,000 releases) and free nothing.
    gc.disable()
    try:
        today = dt.date.today()
        fingerprint = None
        with stages.stage("check"):
            settings = settings_fingerprint(config, site, kinds)  # the run's and every page's
        if not adopt:
            with stages.stage("check"):
                fingerprint = run_fingerprint(settings, config, inputs, out_dir, report_path, today)
                before = fingerprint.copy().file("registry", config.resolve(config.permalinks)).hexdigest()
                outcome = memo.recall_run(cache, before)
            if isinstance(outcome, RunOutcome):
                return Unchanged(site, outcome, stages, lock)
        memo.forget_run(cache)  # this run changes what the last one left
        collected = collect(config, inputs, stages, site, today, kinds)
        with stages.stage("search"):
            jobs = config.search.jobs or (1 if search_beside_builder else 0)
            pending = start_search_index(collected.catalog, config, site, jobs, page_with_index=not search_beside_builder)
    except BaseException:
        end_run(lock)
        raise
    try:  # Pagefind indexes the shards in other processes while this one renders and writes the pages
        with stages.stage("render"):
            # The writer first: it knows which outputs are as the last run left them, pages that need no making
            writer = OutputWriter(out_dir, lambda f: stages.track(f, "file"), adopt, states=cache / OUTPUT_STATES)
            page_settings = settings.copy().text("output", str(writer.root)).hexdigest()
            page_cache = PageCache(cache / PAGE_CACHE, page_settings, writer.known_digest)
            pages = render_site(collected.catalog, site, config, lambda r: stages.track(r, "page"), page_cache)
            listings = permalinks.listing_urls(pages, set(collected.catalog.paths.values()))
            retired = retired_listings(set(collected.listings) - listings, listings, collected.catalog, site, config)
            pages = unique_files([*pages.items(), *retired.items()])
            listings |= set(collected.listings)
        with stages.stage("write"):
            writer.write({**pages, **pending.early_files})
            writer.sweep(still_to_come=urls.is_search_file)
    except BaseException:
        pending.close()
        end_run(lock)
        raise
    return Generation(
        config, site, collected, pending, writer, report_path, stages, lock, tuple(sorted(listings)), fingerprint,
        page_cache,
    )


def generate(
    config: Config, inputs: list[Path], out_dir: Path, report_path: Path | None, stages: Stages | None = None,
    kinds: tuple[TagKind, ...] = TAG_KINDS,
) -> Report:
    """Run the whole pipeline and write the site sources; returns the report (also written to ``report_path``).

    ``stages`` times each stage (and shows progress bars if asked to); ``kinds`` are the kinds of tag.
    """
    return start_generation(config, inputs, out_dir, report_path, stages, kinds=kinds).finish()
