"""The whole generator: read → dedupe → classify → place → render → write.

Phase one (``collect``) reads, deduplicates, classifies and places every release; phase
two (``render_site`` and ``write_outputs``) writes.  Nothing is written before everything
has been read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import render, urls
from .catalog import Catalog
from .classify import assign_topics, load_taxonomy
from .config import Config, SiteIdentity, read_site_identity
from .dedupe import merge_exact_duplicates
from .model import Notice, Rejection
from .reader import ReadResult, read_inputs
from .writer import WriteResult, write_outputs


@dataclass(frozen=True)
class Collected:
    read: ReadResult
    catalog: Catalog


@dataclass(frozen=True)
class Report:
    """What a run did with every input record; ``records_read == sources + rejected``."""

    records_read: int
    releases: int
    merged: int
    rejected: tuple[Rejection, ...]
    unreadable_files: tuple[Rejection, ...]
    warnings: tuple[Notice, ...]
    files_read: int
    written: WriteResult

    def as_dict(self) -> dict:
        return {
            "records_read": self.records_read,
            "releases": self.releases,
            "merged": self.merged,
            "rejected": [{"file": r.source.file, "line": r.source.line, "reason": r.reason} for r in self.rejected],
            "unreadable_files": [{"file": r.source.file, "reason": r.reason} for r in self.unreadable_files],
            "warnings": [{"file": n.source.file, "line": n.source.line, "message": n.message} for n in self.warnings],
            "files_read": self.files_read,
            "pages": {
                "written": len(self.written.written),
                "unchanged": len(self.written.unchanged),
                "deleted": len(self.written.deleted),
            },
        }

    @property
    def problems(self) -> int:
        return len(self.rejected) + len(self.unreadable_files) + len(self.warnings)


def collect(config: Config, inputs: list[Path]) -> Collected:
    read = read_inputs(inputs, config.dump, config.categories, config.default_category)
    releases = merge_exact_duplicates(read.records)
    taxonomy = load_taxonomy(config.resolve(config.taxonomy))
    topics = assign_topics(releases, taxonomy)
    paths = urls.assign_release_paths(releases, config.slug_max_length)
    catalog = Catalog.build(releases, topics, paths, [t.name for t in taxonomy.topics], config.categories)
    return Collected(read, catalog)


def render_site(catalog: Catalog, site: SiteIdentity, config: Config) -> dict[str, str]:
    """Every generated file: path under the output folder → text."""
    files = {catalog.paths[r.id]: render.release_page(r, catalog) for r in catalog.releases}
    files[urls.HOME] = render.home_page(catalog, site, config.home_latest)
    files[urls.ARCHIVE_INDEX] = render.archive_index_page(catalog)
    for year, months in catalog.by_year.items():
        files[urls.year_path(year)] = render.year_page(year, months, catalog)
        for month, releases in months.items():
            files[urls.month_path(year, month)] = render.month_page(year, month, releases, catalog)
    files[urls.CATEGORIES_INDEX] = render.categories_index_page(catalog)
    for category, releases in catalog.by_category.items():
        files[urls.category_path(category)] = render.category_page(category, releases, catalog)
    files[urls.TOPICS_INDEX] = render.topics_index_page(catalog)
    for topic, releases in catalog.by_topic.items():
        files[urls.topic_path(topic)] = render.topic_page(topic, releases, catalog)
    files[urls.ARCHIVE_DATA] = render.archive_data(catalog)
    return files


def make_report(collected: Collected, written: WriteResult) -> Report:
    read, catalog = collected.read, collected.catalog
    sources = sum(len(r.sources) for r in catalog.releases)
    return Report(
        records_read=read.records_read,
        releases=len(catalog.releases),
        merged=sources - len(catalog.releases),
        rejected=tuple(r for r in read.rejections if r.source.line > 0),
        unreadable_files=tuple(r for r in read.rejections if r.source.line == 0),
        warnings=read.notices,
        files_read=len(read.files),
        written=written,
    )


def generate(config: Config, inputs: list[Path], out_dir: Path, report_path: Path | None) -> Report:
    """Run the whole pipeline and write the site sources; returns the report (also written to ``report_path``)."""
    site = read_site_identity(config.resolve(config.mkdocs_config))
    collected = collect(config, inputs)
    files = render_site(collected.catalog, site, config)
    written = write_outputs(out_dir, files)
    report = make_report(collected, written)
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(report.as_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return report
