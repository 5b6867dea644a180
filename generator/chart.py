"""Render stage, chart: releases per month by category, as HTML and CSS (``chart.html``; no JavaScript).

HTML rather than an SVG picture: an SVG scales its text with its width, which left labels
5 px tall on a phone; here labels are text at the page's own size, and the chart scrolls
sideways when its months do not fit.  Every month from the first release to the last has a
bar, empty ones too, so gaps in the archive show as gaps; each bar with releases is a link
to its month's page.  A bar stacks its categories in the site's category order, each in one
colour of the Okabe–Ito palette (told apart with colour blindness, legible on light and dark
backgrounds).  The home page repeats the numbers as a table, in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import urls
from .dates import DateFormat
from .messages import Messages
from .templates import Templates

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
MONTH_LABELS_UP_TO = 24  # months; a longer chart labels only its years


def colour(index: int) -> str:
    """The colour of the ``index``-th category (in site order)."""
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class MonthCounts:
    year: int
    month: int
    counts: Mapping[str, int]  # category -> releases; only categories with some

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# The chart shows at most this many months, the latest: whatever the dates (a year 9999
# among them), the home page stays the same size.
MAX_MONTHS = 240


def every_month(by_month: Mapping[tuple[int, int], Mapping[str, int]], limit: int = MAX_MONTHS) -> list[MonthCounts]:
    """Each month from the earliest to the latest of ``by_month``, oldest first, empty months
    included; only the latest ``limit`` of them."""
    if not by_month:
        return []
    (first_year, first_month), (last_year, last_month) = min(by_month), max(by_month)
    end = last_year * 12 + last_month
    months = []
    for index in range(max(first_year * 12 + first_month - 1, end - limit), end):
        key = divmod(index, 12)
        year, month = key[0], key[1] + 1
        months.append(MonthCounts(year, month, dict(by_month.get((year, month), {}))))
    return months


def tick_step(largest: int) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most five gridlines up to ``largest``."""
    if largest <= 5:
        return 1
    magnitude = 10 ** math.floor(math.log10(largest / 5))
    return next(m * magnitude for m in (1, 2, 5, 10) if largest / (m * magnitude) <= 5)


def month_summary(month: MonthCounts, categories: Sequence[str], dates: DateFormat, messages: Messages) -> str:
    """``April 2025: 12 releases (Industry 5, Energy 7)``, plain text."""
    breakdown = ", ".join(f"{c} {month.counts[c]}" for c in categories if month.counts.get(c))
    count = messages.plural("releases", month.total)
    summary = messages("month_summary", month=dates.month(month.year, month.month), count=count)
    return summary + (f" ({breakdown})" if breakdown else "")


@dataclass(frozen=True)
class Segment:
    """One category's part of a bar: its number of releases (the part's share of the bar) and colour."""

    count: int
    colour: str


@dataclass(frozen=True)
class Bar:
    """One month of the chart; ``href`` leads to its page when it has releases (else empty)."""

    month_name: str
    href: str
    summary: str  # plain text: "April 2025: 12 releases (Industry 5, Energy 7)"
    height: str  # percent of the plot's height
    segments: tuple[Segment, ...]
    label: str  # under the bar: the month's short name (or the year, on a long chart)
    year_label: str  # under the month's name, at January and at the first bar
    counts: tuple[int, ...]  # releases of each category, in the site's order
    total: int


@dataclass(frozen=True)
class Gridline:
    value: int
    bottom: str  # percent of the plot's height


@dataclass(frozen=True)
class ChartView:
    """What ``chart.html`` draws: ``kind`` is ``monthly`` (a label per month) or ``yearly``."""

    kind: str
    grid: tuple[Gridline, ...]
    bars: tuple[Bar, ...]


def chart_view(
    months: Sequence[MonthCounts], categories: Sequence[str], dates: DateFormat, messages: Messages, from_path: str
) -> ChartView:
    """The chart's bars and gridlines for the page at ``from_path``."""
    largest = max((m.total for m in months), default=0) or 1
    step = tick_step(largest)
    top_value = step * math.ceil(largest / step)
    monthly_labels = len(months) <= MONTH_LABELS_UP_TO
    grid = tuple(Gridline(value, f"{100 * value / top_value:.2f}") for value in range(0, top_value + 1, step))
    bars = []
    for index, month in enumerate(months):
        if monthly_labels:
            label = dates.month_abbreviation(month.month)
            year_label = str(month.year) if month.month == 1 or index == 0 else ""
        else:
            label, year_label = (str(month.year) if month.month == 1 else ""), ""
        bars.append(
            Bar(
                month_name=dates.month(month.year, month.month),
                href=urls.href(from_path, urls.month_path(month.year, month.month)) if month.total else "",
                summary=month_summary(month, categories, dates, messages),
                height=f"{100 * month.total / top_value:.2f}",
                segments=tuple(Segment(month.counts[c], colour(i)) for i, c in enumerate(categories) if month.counts.get(c)),
                label=label,
                year_label=year_label,
                counts=tuple(month.counts.get(c, 0) for c in categories),
                total=month.total,
            )
        )
    return ChartView("monthly" if monthly_labels else "yearly", grid, tuple(bars))


def monthly_chart(months: Sequence[MonthCounts], categories: Sequence[str], templates: Templates, from_path: str) -> str:
    """The chart as HTML, as the home page draws it (``chart.html``)."""
    view = chart_view(months, categories, templates.dates, templates.messages, from_path)
    return templates.render("chart.html", chart=view)
