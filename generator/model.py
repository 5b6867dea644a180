"""The content objects passed between the pipeline's stages.  All are frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where an input record starts: a file as named under its input root, and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Record:
    """One usable record as read from a dump, before deduplication."""

    title: str
    date: dt.date
    category: str
    category_given: bool
    body: str
    source: SourceRef


@dataclass(frozen=True)
class Rejection:
    """An input record (or a whole file) that could not be used, and why."""

    source: SourceRef
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Notice:
    """Something questionable about a record that was still used; fatal under --strict."""

    source: SourceRef
    message: str

    def __str__(self) -> str:
        return f"{self.source}: warning: {self.message}"


@dataclass(frozen=True)
class Release:
    """One press release: one or more input records with the same content.

    ``id`` is derived from the content (see ``dedupe.release_id``); ``sources`` holds every
    input record folded into the release, the canonical one first.
    """

    id: str
    title: str
    date: dt.date
    category: str
    category_given: bool
    body: str
    sources: tuple[SourceRef, ...]

    @property
    def month(self) -> tuple[int, int]:
        return (self.date.year, self.date.month)
