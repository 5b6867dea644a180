"""The classified archive: releases plus the mappings every page is rendered from.

This is the hand-over point of the two-phase build: everything is read, deduplicated,
classified and given a path before a single file is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from . import blocks, memo, tagkinds, urls
from .classify import Classification
from .dates import DateFormat
from .messages import Messages
from .model import Release
from .permalinks import Placement
from .tagkinds import TAG_KINDS, TagKind
from .templates import Templates

T = TypeVar("T")


def newest_first(releases) -> tuple[Release, ...]:
    return tuple(sorted(releases, key=lambda r: (r.date, r.title.casefold(), r.id), reverse=True))


@dataclass(frozen=True)
class Neighbours(Generic[T]):
    """What comes before (older) and after (newer) something in date order; None at either end."""

    older: T | None
    newer: T | None


@dataclass(frozen=True)
class Catalog:
    """The groupings (``by_month`` …) are computed once, on first use; treat them as read-only."""

    releases: tuple[Release, ...]  # newest first
    classified: Mapping[str, Classification]  # release id -> its category, tags and related releases
    paths: Mapping[str, str]  # release id -> Markdown path of its page
    text_urls: Mapping[str, str]  # text id (canonical or variant) -> its permanent URL
    redirects: Mapping[str, str]  # URL no longer a page -> Markdown path it leads to
    category_names: tuple[str, ...]  # configured order, then any others found
    category_paths: Mapping[str, str]  # category -> Markdown path of its page
    category_feeds: Mapping[str, str]  # category -> path of its RSS feed
    descriptions: Mapping[str, Mapping[str, str]]  # kind key -> tag name -> a longer name (an organisation's full name)
    dates: DateFormat = DateFormat()  # how every page writes a date
    messages: Messages = Messages()  # the words every page is written in (the site's language)
    template_overrides: Path | None = None  # the project's own templates (see ``templates``)
    kinds: tuple[TagKind, ...] = TAG_KINDS  # the kinds of tag the releases were classified with

    @cached_property
    def templates(self) -> Templates:
        """The templates every page and feed is written with: the project's overrides, then the package's."""
        return Templates(self.messages, self.dates, self.template_overrides)

    @classmethod
    def build(
        cls,
        releases,
        classified: Mapping[str, Classification],
        placement: Placement,
        configured_categories,
        descriptions,
        dates: DateFormat = DateFormat(),
        messages: Messages = Messages(),
        template_overrides: Path | None = None,
        kinds: tuple[TagKind, ...] = TAG_KINDS,
    ) -> Catalog:
        ordered = newest_first(releases)
        found = {classified[r.id].category for r in ordered}
        categories = [c for c in configured_categories if c in found]
        categories += sorted(found - set(categories), key=str.casefold)
        return cls(
            ordered,
            classified,
            placement.paths,
            placement.text_urls,
            placement.redirects,
            tuple(categories),
            category_paths := urls.unique_paths(categories, urls.category_path),
            urls.category_feed_paths(category_paths),
            dict(descriptions),
            dates,
            messages,
            template_overrides,
            tuple(kinds),
        )

    def category_of(self, release: Release) -> str:
        return self.classified[release.id].category

    @cached_property
    def release_at(self) -> dict[str, Release]:
        """Markdown path -> the release whose page it is."""
        return {self.paths[r.id]: r for r in self.releases}

    @cached_property
    def by_category(self) -> dict[str, tuple[Release, ...]]:
        groups: dict[str, list[Release]] = defaultdict(list)
        for release in self.releases:
            groups[self.category_of(release)].append(release)
        return {name: tuple(groups[name]) for name in self.category_names}

    @cached_property
    def _tag_groups(self) -> dict[str, dict[str, tuple[Release, ...]]]:
        return {}  # kind key -> ``by_tag(kind)``, filled on first use

    def by_tag(self, kind: TagKind) -> dict[str, tuple[Release, ...]]:
        """Every tag of ``kind`` with at least one release -> its releases (newest first); the
        biggest first, then by name."""
        known = self._tag_groups.get(kind.key)
        if known is not None:
            return known
        groups: dict[str, list[Release]] = defaultdict(list)
        for release in self.releases:
            for tag in self.classified[release.id].of(kind):
                groups[tag].append(release)
        order = sorted(groups, key=lambda tag: (-len(groups[tag]), tag.casefold()))
        made = self._tag_groups[kind.key] = {tag: tuple(groups[tag]) for tag in order}
        return made

    def description(self, kind: TagKind, name: str) -> str:
        """A tag's longer name (an organisation's full name), or ""."""
        return self.descriptions.get(kind.key, {}).get(name, "")

    @cached_property
    def main_kind(self) -> TagKind | None:
        """The kind that infers categories and that the home page charts (topics), if the catalog has one."""
        return tagkinds.main_kind(self.kinds)

    @cached_property
    def release_by_id(self) -> dict[str, Release]:
        return {r.id: r for r in self.releases}

    @cached_property
    def _position(self) -> dict[str, int]:
        return {r.id: index for index, r in enumerate(self.releases)}

    def neighbours(self, release: Release) -> Neighbours:
        """The releases just before and after ``release`` in date order (ties by title, as listed)."""
        index = self._position[release.id]
        older = self.releases[index + 1] if index + 1 < len(self.releases) else None
        newer = self.releases[index - 1] if index > 0 else None
        return Neighbours(older, newer)

    @cached_property
    def _months(self) -> tuple[tuple[int, int], ...]:
        return tuple(self.by_month)  # newest first

    @cached_property
    def _month_position(self) -> dict[tuple[int, int], int]:
        return {month: index for index, month in enumerate(self._months)}

    def neighbour_months(self, year: int, month: int) -> Neighbours:
        """The months with releases just before and after a month with releases, as (year, month)."""
        months = self._months
        index = self._month_position[(year, month)]
        return Neighbours(
            months[index + 1] if index + 1 < len(months) else None, months[index - 1] if index > 0 else None
        )

    def neighbour_years(self, year: int) -> Neighbours:
        """The years with releases just before and after a year with releases."""
        years = list(self.by_year)  # newest first
        index = years.index(year)
        return Neighbours(years[index + 1] if index + 1 < len(years) else None, years[index - 1] if index > 0 else None)

    @cached_property
    def sharing_title_and_day(self) -> frozenset[str]:
        """Ids of releases with the same title on the same day as another: listings tell them apart by their first words."""
        counts = Counter((r.date, r.title.casefold()) for r in self.releases)
        return frozenset(r.id for r in self.releases if counts[(r.date, r.title.casefold())] > 1)

    @cached_property
    def _listed_keys(self) -> dict[str, bytes]:
        return {r.id: blocks.listed_key(r, self) for r in self.releases}

    def listed_keys(self, releases: Iterable[Release]) -> tuple[bytes, ...]:
        """What listings show of each of ``releases`` (``blocks.listed_key``): a listing of them is made from these."""
        return tuple(self._listed_keys[r.id] for r in releases)

    def listed_key(self, release_id: str) -> bytes:
        """What any page shows of the release ``release_id`` where it links to it (``blocks.listed_key``)."""
        return self._listed_keys[release_id]

    @cached_property
    def _release_keys(self) -> dict[str, bytes]:
        return {r.id: memo.value_key((r, self.classified[r.id])) for r in self.releases}

    def release_key(self, release: Release) -> bytes:
        """A digest of a release and its classification: all the archive holds of it alone.
        Its page, its lines in the data exports and its search document are made from this and a few links."""
        return self._release_keys[release.id]

    @cached_property
    def category_months(self) -> dict[tuple[int, int], dict[str, int]]:
        """(year, month) → category → number of releases, newest month first: the chart and its table."""
        return {month: dict(Counter(self.category_of(r) for r in releases)) for month, releases in self.by_month.items()}

    @cached_property
    def by_month(self) -> dict[tuple[int, int], tuple[Release, ...]]:
        """(year, month) → releases, newest month first."""
        groups: dict[tuple[int, int], list[Release]] = defaultdict(list)
        for release in self.releases:
            groups[release.month].append(release)
        return {month: tuple(groups[month]) for month in sorted(groups, reverse=True)}

    @cached_property
    def by_year(self) -> dict[int, dict[int, tuple[Release, ...]]]:
        """year → month → releases, newest first at both levels."""
        years: dict[int, dict[int, tuple[Release, ...]]] = {}
        for (year, month), releases in self.by_month.items():
            years.setdefault(year, {})[month] = releases
        return years
