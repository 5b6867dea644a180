"""Render stage, chart: releases per month by category, as a static SVG drawn here (no JavaScript).

Every month from the first release to the last has a bar, empty ones too, so gaps in the
archive show as gaps.  Each bar is a stack of its categories in the site's category order,
each category in one colour of the Okabe–Ito palette (told apart with colour blindness,
legible on light and dark backgrounds).  Text uses ``currentColor``, so the chart follows
the page's colour scheme.  A hover title on each month gives its numbers; the home page
repeats them as a table for screen readers and for copying.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .markup import html_text

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 38  # margins around the plot: axis labels go there
MIN_LABEL_SPACING = 34  # pixels between two x-axis labels


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

    @property
    def name(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"


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


def _label_every(months: int, plot_width: float) -> int:
    """Label every month, or every so many years, so that labels do not collide."""
    per_month = plot_width / months
    if per_month >= MIN_LABEL_SPACING:
        return 1
    return 12 * max(1, math.ceil(MIN_LABEL_SPACING / (per_month * 12)))


def monthly_chart(months: Sequence[MonthCounts], categories: Sequence[str], title: str, description: str) -> str:
    """The chart as an inline SVG element; ``title`` and ``description`` are what screen readers announce."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    largest = max((m.total for m in months), default=0) or 1
    step = tick_step(largest)
    top_value = step * math.ceil(largest / step)
    scale = plot_height / top_value
    slot = plot_width / max(len(months), 1)
    bar = max(slot * 0.8, 1.0) if slot >= 3 else slot
    parts = [
        f'<svg class="pa-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="pa-chart-title pa-chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="inherit">',
        f'<title id="pa-chart-title">{html_text(title)}</title>',
        f'<desc id="pa-chart-desc">{html_text(description)}</desc>',
    ]
    for value in range(0, top_value + 1, step):
        y = TOP + plot_height - value * scale
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">{value}</text>'
        )
    label_every = _label_every(len(months), plot_width)
    for index, month in enumerate(months):
        x = LEFT + index * slot + (slot - bar) / 2
        bottom = TOP + plot_height
        breakdown = ", ".join(f"{html_text(c)} {month.counts[c]}" for c in categories if month.counts.get(c))
        parts.append(f"<g><title>{month.name}: {month.total}{' (' + breakdown + ')' if breakdown else ''}</title>")
        # An invisible full-height rectangle, so the whole column shows the title on hover.
        parts.append(f'<rect x="{x:.1f}" y="{TOP}" width="{bar:.1f}" height="{plot_height}" fill="transparent"/>')
        for category_index, category in enumerate(categories):
            count = month.counts.get(category, 0)
            if not count:
                continue
            height = count * scale
            bottom -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour(category_index)}"/>'
            )
        parts.append("</g>")
        first = index == 0
        if label_every == 1:
            centre = LEFT + (index + 0.5) * slot
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" fill="currentColor">'
                f"{calendar.month_abbr[month.month]}</text>"
            )
            if first or month.month == 1:
                parts.append(
                    f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" fill="currentColor">{month.year}</text>'
                )
        elif month.month == 1 and month.year % (label_every // 12) == 0:
            tick = LEFT + index * slot
            parts.append(
                f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{TOP + plot_height}" y2="{TOP + plot_height + 4}" stroke="currentColor"/>'
                f'<text x="{tick:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="currentColor">{month.year}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_height}" y2="{TOP + plot_height}" stroke="currentColor"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
