"""The chart of releases per month: every month drawn, bars as tall as their counts, valid SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator import chart
from generator.config import read_site_identity
from generator.pipeline import collect, render_site
from tests.helpers import repo_config

SVG = "{http://www.w3.org/2000/svg}"


def test_every_month_fills_gaps_across_years():
    months = chart.every_month({(2024, 11): {"A": 1}, (2025, 2): {"B": 2}})
    assert [(m.year, m.month, m.total) for m in months] == [(2024, 11, 1), (2024, 12, 0), (2025, 1, 0), (2025, 2, 2)]


def test_tick_steps_are_round_and_few():
    for largest in (1, 4, 5, 6, 12, 37, 99, 250, 1234, 98765):
        step = chart.tick_step(largest)
        assert re.fullmatch(r"[125]0*", str(step)), step
        assert largest / step <= 5


def test_bars_are_as_tall_as_their_counts_and_titles_give_the_numbers():
    by_month = {(2025, 1): {"Industry": 3, "Energy": 1}, (2025, 3): {"Energy": 4}, (2024, 12): {"Trade": 2}}
    svg = chart.monthly_chart(
        chart.every_month(by_month), ["Industry", "Trade", "Energy"], "Releases <per> month", "A & B"
    )
    root = ET.fromstring(svg)  # well-formed XML, text escaped
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Releases <per> month"
    groups = root.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in groups] == [
        "December 2024: 2 (Trade 2)",
        "January 2025: 4 (Industry 3, Energy 1)",
        "February 2025: 0",
        "March 2025: 4 (Energy 4)",
    ]
    heights = [[float(r.get("height")) for r in g.findall(f"{SVG}rect") if r.get("fill") != "transparent"] for g in groups]
    unit = heights[0][0] / 2
    assert [[round(h / unit, 6) for h in column] for column in heights] == [[2], [3, 1], [], [4]]
    colours = [r.get("fill") for r in groups[1].findall(f"{SVG}rect") if r.get("fill") != "transparent"]
    assert colours == [chart.colour(0), chart.colour(2)]  # stacked in category order, each its colour


def test_long_spans_label_years_not_months():
    by_month = {(year, 6): {"A": 1} for year in range(2005, 2026)}
    svg = chart.monthly_chart(chart.every_month(by_month), ["A"], "t", "d")
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if not t.text.isdigit() or len(t.text) == 4]
    years = [int(label) for label in labels if len(label) == 4]
    assert years and all(year % (years[1] - years[0]) == 0 for year in years)
    assert "Jun" not in labels


def test_dates_far_apart_keep_the_home_page_bounded_and_a_year_1_is_rejected(tmp_path):

    dump = tmp_path / "dates.txt"
    dump.write_text(
        "-\nEnergy\nA release of year one\nA body. date0001-01-01\n"
        "-\nEnergy\nA release of our time\nA body of our time. date2025-03-01\n"
        "-\nEnergy\nA release of year 9999\nA body from far ahead. date9999-12-01\n-\n",
        encoding="utf-8",
    )
    collected = collect(repo_config(), [dump])
    assert [str(r) for r in collected.read.rejections] == ["dates.txt:2: date 0001-01-01 is before earliest_date (1900-01-01)"]
    assert [str(n) for n in collected.read.notices] == ["dates.txt:10: warning: date 9999-12-01 is in the future"]
    months = chart.every_month(collected.catalog.category_months)
    assert len(months) == chart.MAX_MONTHS and months[-1].name == "December 9999"
    config = repo_config()
    home = render_site(collected.catalog, read_site_identity(config.resolve(config.mkdocs_config)), config)["index.md"]
    assert len(home) < 200_000 and "1 older release is before its 240 months." in home
