"""The report of a run: what became of every input record, file and setting (``build/report.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import search
from .config import SiteIdentity
from .model import Notice, Rejection
from .pipeline import Collected
from .reader import FileRead
from .writer import WriteResult


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

    def summary(self, out_dir: Path, report_path: Path) -> list[str]:
        """What a run prints: every rejection and warning, then one line on the whole run."""
        lines = [f"{problem}" for problem in (*self.unreadable_files, *self.rejected)]
        lines += [f"{notice}" for notice in self.warnings]
        lines += [f"press-archive: warning: {warning}" for warning in self.config_warnings]
        pages = self.written
        lines.append(
            f"press-archive: {self.records_read} records from {len(self.files)} files → "
            f"{self.releases} releases ({self.merged} merged, {len(self.rejected)} rejected"
            + (f", {len(self.unreadable_files)} files unreadable" if self.unreadable_files else "")
            + f"); {self.near_duplicates} near-duplicates merged (see 'press-archive duplicates'); "
            f"{len(pages.written)} files written, {len(pages.unchanged)} unchanged, "
            f"{len(pages.deleted)} deleted in {out_dir}; search index: {self.search_shards} "
            f"shard{'' if self.search_shards == 1 else 's'}, {len(self.search_shards_indexed)} indexed by Pagefind"
            + (f" ({self.search_pagefind_seconds:.1f} s, beside the pages)" if self.search_shards_indexed else "")
            + f"; report: {report_path}"
            + ("; nothing changed since the last run (inputs, settings and outputs as it left them)"
               if self.unchanged_since_last_run else "")
        )
        if self.new_urls:
            lines.append(
                f"press-archive: {self.new_urls} new release URLs added to the permalink registry; commit it "
                "so that later builds keep them"
            )
        return lines


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
        rejected=tuple(r for r in read.rejections if not r.source.is_whole_file),
        unreadable_files=tuple(r for r in read.rejections if r.source.is_whole_file),
        warnings=(*read.notices, *collected.deduplicated.notices, *collected.classified.notices),
        config_warnings=(*collected.vocabulary_warnings, *site_problems),
        files=read.files,
        written=written,
    )
