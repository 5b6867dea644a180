"""The chart of releases per month: every month drawn, bars as tall as their counts and linked to their months."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator import chart
from generator.config import read_site_identity
from generator.dates import DateFormat
from generator.messages import load_messages
from generator.pipeline import collect, render_site
from generator.templates import Templates
from tests.helpers import motie_config

def test_every_month_fills_gaps_across_years():
    months = chart.every_month({(2024, 11): {"A": 1}, (2025, 2): {"B": 2}})
    assert [(m.year, m.month, m.total) for m in months] == [(2024, 11, 1), (2024, 12, 0), (2025, 1, 0), (2025, 2, 2)]


def test_tick_steps_are_round_and_few():
    for largest in (1, 4, 5, 6, 12, 37, 99, 250, 1234, 98765):
        step = chart.tick_step(largest)
        assert re.fullmatch(r"[125]0*", str(step)), step
        assert largest / step <= 5


def bars(html: str):
    return BeautifulSoup(html, "html.parser").select("ol.pa-chart-bars > li")


def stack_height(bar) -> float:
    return float(re.search(r"height:([0-9.]+)%", bar.select_one(".pa-chart-stack")["style"]).group(1))


def test_bars_are_as_tall_as_their_counts_link_to_their_months_and_name_their_numbers():
    by_month = {(2025, 1): {"Industry": 3, "Energy": 1}, (2025, 3): {"Energy": 4}, (2024, 12): {"Trade <b>": 2}}
    html = chart.monthly_chart(chart.every_month(by_month), ["Industry", "Trade <b>", "Energy"], Templates(load_messages("en"), DateFormat("en")), "index.md")
    found = bars(html)
    names = [(bar.a or bar.select_one(".pa-chart-column"))["title"] for bar in found]
    assert names == [
        "December 2024: 2 releases (Trade <b> 2)",  # text, not markup: the parser read "<b>" back as text
        "January 2025: 4 releases (Industry 3, Energy 1)",
        "February 2025: 0 releases",
        "March 2025: 4 releases (Energy 4)",
    ]
    assert [bar.a["href"] if bar.a else None for bar in found] == ["archive/2024/12/", "archive/2025/01/", None, "archive/2025/03/"]
    heights = [stack_height(bar) for bar in found]
    unit = heights[0] / 2
    assert [round(h / unit, 6) for h in heights] == [2, 4, 0, 4]
    segments = found[1].select(".pa-chart-stack > span")
    assert [s["style"] for s in segments] == [f"flex-grow:3;background:{chart.colour(0)}", f"flex-grow:1;background:{chart.colour(2)}"]
    labels = [bar.select_one(".pa-chart-label").get_text(" ") for bar in found]
    assert labels == ["Dec 2024", "Jan 2025", "Feb", "Mar"]  # the year under the first month and under each January


def test_month_labels_are_in_the_site_language():
    html = chart.monthly_chart(chart.every_month({(2025, 3): {"A": 1}}), ["A"], Templates(load_messages("ko"), DateFormat("ko")), "index.md")
    (bar,) = bars(html)
    assert bar.a["title"] == "2025년 3월: 보도자료 1건 (A 1)" and bar.select_one(".pa-chart-label").get_text(" ") == "3월 2025"


def test_long_spans_label_years_not_months():
    by_month = {(year, 6): {"A": 1} for year in range(2005, 2026)}
    found = bars(chart.monthly_chart(chart.every_month(by_month), ["A"], Templates(load_messages("en"), DateFormat("en")), "index.md"))
    labels = [bar.select_one(".pa-chart-label").get_text() for bar in found]
    assert [label for label in labels if label] == [str(year) for year in range(2006, 2026)]
    assert len(found) == len(chart.every_month(by_month))


def test_dates_far_apart_keep_the_home_page_bounded_and_a_year_1_is_rejected(tmp_path):

    dump = tmp_path / "dates.txt"
    dump.write_text(
        "-\nEnergy\nA release of year one\nA body. date0001-01-01\n"
        "-\nEnergy\nA release of our time\nA body of our time. date2025-03-01\n"
        "-\nEnergy\nA release of year 9999\nA body from far ahead. date9999-12-01\n-\n",
        encoding="utf-8",
    )
    collected = collect(motie_config(), [dump])
    assert [str(r) for r in collected.read.rejections] == ["dates.txt:2: date 0001-01-01 is before earliest_date (1900-01-01)"]
    assert [str(n) for n in collected.read.notices] == ["dates.txt:10: warning: date 9999-12-01 is in the future"]
    months = chart.every_month(collected.catalog.category_months)
    assert len(months) == chart.MAX_MONTHS and (months[-1].year, months[-1].month) == (9999, 12)
    config = motie_config()
    home = render_site(collected.catalog, read_site_identity(config.resolve(config.mkdocs_config)), config)["index.md"]
    assert len(home) < 200_000 and "1 older release is before its 240 months." in home
