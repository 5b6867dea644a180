"""A generate run: the pipeline (``pipeline``) under the project's lock, remembered for the next run.

A run first compares its fingerprint (the code, every setting and file of settings, every
input file, today's date) with the last run's: when nothing changed and every output is as
that run left it, it answers as that run did and writes nothing (``Unchanged``).  Otherwise
it runs in two halves (``Generation``) so that a builder can work while Pagefind indexes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import memo, parallel, permalinks, pipeline, search, urls
from .classify import vocabulary_digest
from .config import Config, SiteIdentity, read_site_identity
from .lock import LOCK_FILE, ProjectLock
from .pagecache import PageCache
from .pipeline import REGISTRY_CACHE, Collected, collect, render_site, retired_listings, unique_files
from .reader import find_input_files
from .tagkinds import TAG_KINDS, TagKind
from .progress import Stages
from .report import Report, make_report, site_warnings
from .templates import overrides_folder
from .writer import MANIFEST, FolderScan, OutputWriter, WriteResult, atomic_write_text, scan_folder

OUTPUT_STATES = "outputs.pickle"  # in the cache folder: each output's size, modification time and digest
PAGE_CACHE = "pages.pickle"  # in the cache folder: what each release page was rendered from


def settings_fingerprint(config: Config, site: SiteIdentity, kinds: tuple[TagKind, ...] = TAG_KINDS) -> memo.Fingerprint:
    """The code, the settings and every file of settings: what pages depend on beside the input."""
    fingerprint = (
        memo.Fingerprint()
        .text("code", memo.code_identity())
        .text("settings", repr(config))
        .text("site", repr(site))
        .file("mkdocs.yml", config.resolve(config.mkdocs_config))
    )
    fingerprint.text("vocabularies", vocabulary_digest(config, kinds))
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
        files = [self.writer.root / MANIFEST, *([self.report_path] if self.report_path else []), *index.cache_listings]
        fingerprint = self.fingerprint.copy().file("registry", config.resolve(config.permalinks)).hexdigest()
        # The search index's sources in the cache were looked at as the writer copied them: not again
        known = {**self.writer.source_states(), **self.writer.file_states()}
        memo.remember_run(config.resolve(config.cache), fingerprint, files, outcome, known)


def many_outputs(states: Path) -> bool:
    """Whether the last run left outputs enough (about 2,000) to look at them in another process:
    told by the size of its record of them (``OUTPUT_STATES``, about 200 bytes an output)."""
    try:
        return states.stat().st_size > 400_000
    except OSError:
        return False


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
    memo.forget_texts()
    # The run's objects are left out of the collections to come (reference counting frees
    # them as they are dropped): switched on again, the collector would first walk every one
    # of them, a third of a second at 20,000 releases, to free nothing.  The next run in
    # this process (serve, tests) collects what they left (``start_run``).
    gc.freeze()
    gc.enable()


def start_run() -> None:
    """The cycle collector off for a run: it builds millions of objects that live until it ends,
    which the collector would walk again and again (a fifth of a run at 20,000 releases) to
    free nothing.  What an earlier run in this process left (``end_run``) is collected first."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.disable()


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
    start_run()
    looking: parallel.Beside[FolderScan] | None = None
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
        # The output folder is looked at on the other core (0.5 s at 43,000 outputs) while this
        # one reads and deduplicates: looking needs nothing of the releases, and this process
        # is still small enough to fork for nothing.  The writer takes the look when the
        # related releases have the other core (``collect``'s ``meanwhile``).
        looking = parallel.Beside(functools.partial(scan_folder, out_dir.resolve()), worth=many_outputs(cache / OUTPUT_STATES))
        open_writer = functools.cache(
            lambda: OutputWriter(
                out_dir, lambda f: stages.track(f, "file"), adopt, states=cache / OUTPUT_STATES, found=looking.result()
            )
        )

        def look_at_output_folder() -> None:
            with stages.stage("write"):
                open_writer()

        collected = collect(config, inputs, stages, site, today, kinds, meanwhile=look_at_output_folder)
        with stages.stage("search"):
            jobs = config.search.jobs or (1 if search_beside_builder else 0)
            pending = pipeline.start_search_index(collected.catalog, config, site, jobs, page_with_index=not search_beside_builder)
    except BaseException:
        if looking is not None:
            looking.close()
        end_run(lock)
        raise
    try:  # Pagefind indexes the shards in other processes while this one renders and writes the pages
        with stages.stage("render"):
            # The writer first: it knows which outputs are as the last run left them, pages that need no making
            writer = open_writer()
            page_settings = settings.copy().text("output", str(writer.root)).hexdigest()
            page_cache = PageCache(cache / PAGE_CACHE, page_settings, writer.known_digest, writer.root)
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
