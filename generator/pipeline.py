"""The whole generator: read → dedupe (exact, then near) → classify (tags, categories, related) → place → search → render → write.

Phase one (``collect``) reads, deduplicates, classifies and places every release; phase
two writes: the search stage starts Pagefind on the releases (``start_search_index``),
and while it runs the pages are rendered (``render_site``) and written (``writer``), then
the index.  Nothing is written before everything has been read.  A run of it, with its lock
and its memory of the last run, is ``generation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import candidates, cutoff, exports, feeds, home, listings, memo, permalinks, related, render, search, urls
from .catalog import Catalog
from .classify import Classified, load_vocabularies, start_classifying, vocabulary_digest
from .config import Config, ConfigError, SiteIdentity, read_site_identity
from .dates import DateFormat, DateFormatError
from .messages import Messages, load_messages
from .dedupe import merge_exact_duplicates
from .neardup import Deduplicated, merge_near_duplicates
from .overrides import load_overrides
from .pagecache import PageCache
from .permalinks import Permalink, WrittenRegistry, place, read_registry
from .model import Notice, Rejection
from .progress import Stages, Track
from .reader import ReadResult, read_inputs
from .tagkinds import TAG_KINDS, TagKind, fallback_messages
from .templates import overrides_folder
from .writer import Content, WriteError


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
class Gathered:
    """Phase one up to the releases: every input record read, and the releases they make."""

    read: ReadResult
    deduplicated: Deduplicated

    @property
    def problems(self) -> tuple[Rejection | Notice, ...]:
        """Rejected records and unreadable files, and warnings about records and merges."""
        return (*self.read.rejections, *self.read.notices, *self.deduplicated.notices)


def gather(
    config: Config, inputs: list[Path], stages: Stages | None = None, today: dt.date | None = None,
    caches: TextCaches | None = None,
) -> Gathered:
    """Read the inputs and deduplicate their records (the ``parse`` and ``dedupe`` stages)."""
    stages = stages or Stages()
    caches = caches or TextCaches.load(config)
    overrides = load_overrides(config.resolve(config.near_duplicates.overrides))  # a bad file stops the run before any reading
    with stages.stage("parse"):
        read = read_inputs(
            inputs, config.dump, config.categories, config.default_category, today,
            track=lambda f: stages.track(f, "file"), cache=caches.parsed,
        )
    with stages.stage("dedupe"):
        texts = merge_exact_duplicates(read.records, caches.identities)
        deduplicated = merge_near_duplicates(
            texts, config.near_duplicates, overrides, caches.shingled, config.resolve(config.cache) / candidates.STATE_FILE
        )
    return Gathered(read, deduplicated)


@dataclass(frozen=True)
class TextCaches:
    """The per-text results of earlier runs (see ``memo``), each under the settings that decide it."""

    parsed: memo.TextCache  # a file's records, by its name and bytes
    identities: memo.TextCache  # a text's id and keys (``dedupe.Identity``)
    shingled: memo.TextCache
    tagged: memo.TextCache
    words: memo.TextCache

    @classmethod
    def load(cls, config: Config, kinds: tuple[TagKind, ...] = TAG_KINDS) -> TextCaches:
        folder = config.resolve(config.cache) / "texts"
        reading = repr((config.dump, config.categories, config.default_category))
        return cls(
            memo.TextCache(folder, "parsed", reading),
            memo.TextCache(folder, "identities", ""),
            memo.TextCache(folder, "shingled", str(config.near_duplicates.shingle_words)),
            memo.TextCache(folder, "tagged", vocabulary_digest(config, kinds)),
            memo.TextCache(folder, "words", ""),
        )

    def save(self) -> None:
        for cache in (self.parsed, self.identities, self.shingled, self.tagged, self.words):
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
    today: dt.date | None = None, kinds: tuple[TagKind, ...] = TAG_KINDS, meanwhile: Callable[[], object] = lambda: None,
) -> Collected:
    """Phase one: read, deduplicate, classify and place every release; nothing is written.

    ``site`` is mkdocs.yml's identity when the caller has read it already; ``today`` decides
    which dates lie too far ahead (default: the clock's); ``kinds`` are the kinds of tag.
    ``meanwhile`` is the caller's work that needs no release, called while the related
    releases are worked out on the other core (e.g. looking at the output folder).
    """
    stages = stages or Stages()
    site = site or read_site_identity(config.resolve(config.mkdocs_config))
    # Every file of settings before the input: a mistake in one stops the run at once.
    dates, messages = page_language(config, site.language, kinds)
    vocabularies = load_vocabularies(config, kinds)
    written = memo.load(config.resolve(config.cache) / REGISTRY_CACHE)
    written = written if isinstance(written, WrittenRegistry) else None
    registry = read_registry(config.resolve(config.permalinks), written)
    today = today or dt.date.today()
    caches = TextCaches.load(config, kinds)
    gathered = gather(config, inputs, stages, today, caches)
    read, deduplicated = gathered.read, gathered.deduplicated
    releases = deduplicated.releases
    with stages.stage("classify"):
        classifying = start_classifying(
            releases, vocabularies, categories=config.categories, default_category=config.default_category,
            infer_categories=config.infer_categories, related_count=config.related_releases,
            track=lambda r: stages.track(r, "release"), tag_cache=caches.tagged, word_cache=caches.words,
            related_state=config.resolve(config.cache) / related.STATE_FILE,
            vocabulary_state=config.resolve(config.cache) / cutoff.STATE_FILE,
        )
    with classifying:  # the related releases are worked out on the other core meanwhile
        with stages.stage("place"):
            placement = place(releases, registry.links, config.slug_max_length)
        meanwhile()
        with stages.stage("classify"):
            classified = classifying.result()
            caches.save()
    with stages.stage("place"):
        catalog = Catalog.build(
            releases,
            classified.by_release,
            placement,
            configured_categories=config.categories,
            descriptions=vocabularies.descriptions,
            dates=dates,
            messages=messages,
            template_overrides=overrides_folder(site.custom_dir),
            kinds=kinds,
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
    with_feeds = bool(site.url)
    files.append((urls.HOME, home.home_page(catalog, site, config.home_latest, config.zone, feeds=with_feeds)))
    files.append((urls.ARCHIVE_INDEX, listings.archive_index_page(catalog)))
    page_size = config.listing_page_size
    for year, months in catalog.by_year.items():
        files.append((urls.year_path(year), listings.year_page(year, months, catalog, page_size, pages)))
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
    files.append((urls.ARCHIVE_DATA, exports.archive_data(catalog, pages)))
    files.append((urls.ARCHIVE_CSV, exports.archive_csv(catalog, pages)))
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
    cache = config.resolve(config.cache)
    return search.PendingIndex(
        catalog,
        cache / "search",
        config.search.language or site.language,
        config.search.shard_size,
        jobs,
        page_with_index,
        memo.TextCache(cache / "texts", "documents", ""),
    )
