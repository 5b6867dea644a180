"""The content objects passed between the pipeline's stages.  All are frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where an input record starts: a file as named under its input root, and a 1-based line.

    ``last_line`` is where the record ends (0 when not known); it takes no part in comparisons.
    What is about a whole file (it cannot be read, it holds no records) is at line 0
    (``SourceRef.whole_file``), shown as ``file:0``.
    """

    file: str
    line: int
    last_line: int = field(default=0, compare=False)

    @classmethod
    def whole_file(cls, file: str) -> SourceRef:
        return cls(file, 0)

    @property
    def is_whole_file(self) -> bool:
        return self.line == 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line}


@dataclass(frozen=True)
class Record:
    """One usable record as read from a dump, before deduplication."""

    title: str
    date: dt.date
    category: str
    category_given: bool
    body: str
    source: SourceRef
    source_url: str = ""  # the publisher's own page of the release (http or https), when the input gives one


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
class TextKeys:
    """What still identifies a text when one of its parts is corrected: the keys by which the
    permalink registry finds a release again (digests of normalised text, see ``dedupe.text_keys``)."""

    body: str  # date and body: the same when a title is corrected
    title: str  # date and title: the same when the body is corrected or completed
    undated: str  # title and body: the same when the date is corrected


@dataclass(frozen=True)
class Text:
    """One distinct text: input records with equal normalised title, date and body, folded together.

    ``id`` is derived from the content (see ``dedupe.text_id``); ``sources`` lists every
    record with this text, the one whose category is used first.
    """

    id: str
    title: str
    date: dt.date
    category: str
    category_given: bool
    body: str
    sources: tuple[SourceRef, ...]
    keys: TextKeys
    source_url: str = ""  # the first given among its records, in source order


@dataclass(frozen=True)
class Match:
    """How strongly two texts look like one release (see ``neardup``)."""

    containment: float  # share of the shorter text's word shingles found in the longer one
    length_ratio: float  # longer text's shingles ÷ shorter text's
    title_similarity: float  # word-set Jaccard of the two titles
    days_apart: int


@dataclass(frozen=True)
class Variant:
    """A text merged into a release as a near-duplicate of its canonical text."""

    text: Text
    match: Match  # against the canonical text
    reason: str  # the rule or override that merged it


@dataclass(frozen=True)
class Release:
    """One press release: its canonical (fullest) text, and the other texts of it.

    The release takes its id, title, date, body and sources from the canonical text; its
    category is the first one given among its texts.  ``variants`` are the near-duplicate
    texts merged in, each with its own records.
    """

    canonical: Text
    category: str
    category_given: bool
    variants: tuple[Variant, ...] = ()

    @property
    def id(self) -> str:
        return self.canonical.id

    @property
    def title(self) -> str:
        return self.canonical.title

    @property
    def date(self) -> dt.date:
        return self.canonical.date

    @property
    def body(self) -> str:
        return self.canonical.body

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        return self.canonical.sources

    @property
    def source_url(self) -> str:
        """The publisher's page of the release: the canonical text's, else the first variant's that has one."""
        return next((text.source_url for text in self.texts if text.source_url), "")

    @property
    def newest_date(self) -> dt.date:
        """The latest date among its texts: when the release last changed."""
        return max(text.date for text in self.texts)

    @property
    def month(self) -> tuple[int, int]:
        return (self.date.year, self.date.month)

    @property
    def texts(self) -> tuple[Text, ...]:
        """The canonical text first, then the variants."""
        return (self.canonical, *(v.text for v in self.variants))

    @property
    def record_count(self) -> int:
        return sum(len(t.sources) for t in self.texts)
