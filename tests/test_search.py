"""The search stage: shards, the documents Pagefind indexes, the index the seeds get, and its cache.

What readers do with it, in Chromium, is in ``test_search_browser.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import cli, pagefind, search
from generator.dedupe import text_keys
from generator.model import Release, SourceRef, Text
from tests.helpers import make_project, search_fragments


def release(day: dt.date, number: int = 0, title: str = "A title", body: str = "Some text.") -> Release:
    text = Text(
        f"{day:%Y%m%d}{number:04d}", title, day, "Energy", True, body, (SourceRef("x.txt", number + 1),),
        text_keys(title, day, body),
    )
    return Release(text, "Energy", True)


def releases_per_year(counts: dict[int, int]) -> list[Release]:
    made = []
    for year, count in counts.items():
        made += [release(dt.date(year, 1 + n % 12, 1 + n % 28), n) for n in range(count)]
    random.Random(1).shuffle(made)
    return made


def test_shards_are_runs_of_whole_years_from_the_oldest_newest_first():
    shards = search.plan_shards(releases_per_year({2019: 2, 2020: 2, 2021: 1, 2022: 3}), shard_size=3)
    assert [(s.name, len(s.releases)) for s in shards] == [("2022", 3), ("2020-2021", 3), ("2019", 2)]
    for shard in shards:
        dates = [(r.date, r.title.casefold(), r.id) for r in shard.releases]
        assert dates == sorted(dates, reverse=True)  # newest first, as the search page shows them


def test_the_newest_year_is_a_small_shard_of_its_own_once_the_archive_is_big():
    """New releases, most often of the newest year, then have a small shard indexed again."""
    small = search.plan_shards(releases_per_year({2019: 1, 2020: 1}), shard_size=8)
    assert [(s.name, len(s.releases)) for s in small] == [("2019-2020", 2)]
    big = search.plan_shards(releases_per_year({2017: 2, 2018: 2, 2019: 3, 2020: 2}), shard_size=8)
    assert [(s.name, len(s.releases)) for s in big] == [("2020", 2), ("2017-2019", 7)]


def test_a_year_bigger_than_a_shard_is_cut_into_runs_of_months():
    shards = search.plan_shards(releases_per_year({2020: 1, 2021: 24}), shard_size=5)
    assert [s.name for s in shards] == [
        "2021-11-2021-12", "2021-09-2021-10", "2021-07-2021-08", "2021-05-2021-06", "2021-03-2021-04", "2021-01-2021-02", "2020"
    ]
    assert all(len(s.releases) <= 5 for s in shards)


@pytest.mark.parametrize("shard_size", (1, 2, 7, 50, 4000))
def test_every_release_is_in_exactly_one_shard_and_new_releases_change_only_the_newest(shard_size):
    old = releases_per_year({2015: 30, 2016: 3, 2017: 12, 2018: 9, 2019: 25})
    shards = search.plan_shards(old, shard_size)
    members = [r.id for s in shards for r in s.releases]
    assert sorted(members) == sorted(r.id for r in old) and len(set(members)) == len(members)
    assert all(len(s.releases) <= shard_size for s in shards if len({r.month for r in s.releases}) > 1)
    grown = search.plan_shards([*old, *(release(dt.date(2019, 12, 31), 9000 + n) for n in range(3))], shard_size)
    older = shards[1:]
    assert grown[len(grown) - len(older) :] == older


def test_a_search_document_holds_input_text_as_data(seeds_collected):
    catalog = seeds_collected.catalog
    hostile = 'Tariffs & "quotes" <script>alert(1)</script> \' onmouseover=x'
    canonical = dataclasses.replace(catalog.releases[0].canonical, title=hostile, body=f"{hostile}\nSecond line")
    bad = dataclasses.replace(catalog.releases[0], canonical=canonical)
    document = BeautifulSoup(search.search_document(bad, catalog, "en"), "html.parser")
    assert document.select("script") == []
    assert document.select_one('meta[data-pagefind-meta="title[content]"]')["content"] == hostile
    assert document.select_one("main").get_text("|", strip=True) == f"{hostile}|Second line"
    assert document.html["lang"] == "en"


def test_a_search_document_carries_date_category_tags_and_merged_titles(seeds_collected):
    catalog = seeds_collected.catalog
    merged = next(r for r in catalog.releases if any(v.text.title != r.title for v in r.variants))
    classification = catalog.classified[merged.id]
    document = BeautifulSoup(search.search_document(merged, catalog, "en"), "html.parser")

    def filters(key: str) -> list[str]:
        return [m["content"] for m in document.select(f'meta[data-pagefind-filter="{key}[content]"]')]

    assert filters("category") == [classification.category] and filters("year") == [str(merged.date.year)]
    assert filters("topic") == list(classification.tags["topic"]) and filters("place") == list(classification.tags["place"])
    assert filters("organization") == list(classification.tags["organization"])
    assert document.select_one('meta[data-pagefind-sort="date[content]"]')["content"] == merged.date.isoformat()
    also = document.select_one('meta[data-pagefind-meta="also[content]"]')["content"]
    assert all(v.text.title in also for v in merged.variants if v.text.title != merged.title)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("search") / "project")
    report = project.generate()
    return project, report


@pytest.mark.slow
def test_the_index_holds_every_release_once_and_nothing_else(seeds):
    """Fails when a release is missing from the index, is in it twice, or a listing page is in it."""
    project, report = seeds
    archive = json.loads((project.docs / "archive.json").read_text(encoding="utf-8"))["releases"]
    fragments = list(search_fragments(project.docs).values())
    indexed = sorted(f["url"] for f in fragments)
    assert indexed == sorted(f"/{r['url']}" for r in archive)
    by_url = {f["url"]: f for f in fragments}
    for entry in archive:
        fragment = by_url[f"/{entry['url']}"]
        assert fragment["meta"]["title"] == entry["title"] and fragment["meta"]["date"] == entry["date"]
        assert fragment["filters"]["category"] == [entry["category"]]
        assert sorted(fragment["filters"].get("topic", [])) == sorted(entry["tags"])
        assert sorted(fragment["filters"].get("place", [])) == sorted(entry["places"])
        assert sorted(fragment["filters"].get("organization", [])) == sorted(entry["organizations"])
        assert fragment["content"].split() == entry["body"].split()
        other_titles = {v["title"] for v in entry["variants"]} - {entry["title"]}
        assert all(title in fragment["meta"].get("also", "") for title in other_titles)
    assert report.search_shards == 1 and len(report.search_shards_indexed) == 1


@pytest.mark.slow
def test_the_search_page_lists_shards_and_facets_with_the_archives_counts(seeds):
    project, _report = seeds
    page = BeautifulSoup((project.docs / "search" / "index.md").read_text(encoding="utf-8"), "html.parser")
    data = json.loads(page.select_one("#pa-search-data").get_text())
    archive = json.loads((project.docs / "archive.json").read_text(encoding="utf-8"))["releases"]
    assert [s["name"] for s in data["shards"]] == ["2024-2025"] and data["releases"] == len(archive) == 40
    assert (project.docs / "search" / "2024-2025" / "pagefind.js").is_file()
    counts = {facet["key"]: dict(facet["values"]) for facet in data["facets"]}
    fields = {"category": "category", "topic": "tags", "place": "places", "organization": "organizations"}
    for key, field in fields.items():
        expected: dict[str, int] = {}
        for entry in archive:
            for value in [entry[field]] if key == "category" else entry[field]:
                expected[value] = expected.get(value, 0) + 1
        assert counts[key] == expected, key
    assert counts["year"] == {"2025": 34, "2024": 6}
    assert (project.docs / "search" / "search.js").read_text(encoding="utf-8").startswith("// Press Archive's search page")


@pytest.mark.slow
def test_an_unchanged_rerun_runs_no_pagefind_and_writes_nothing(seeds):
    project, _report = seeds
    again = project.generate()
    assert again.search_shards_indexed == () and again.written.written == () and again.written.deleted == ()


def _add_release(project, date: str, title: str) -> None:
    (project.root / "data" / "releases" / "new.txt").write_text(
        f"-\nEnergy\n{title}\nThe minister opened the floating offshore wind farm off Ulsan today. date{date}\n",
        encoding="utf-8",
    )


@pytest.mark.slow
def test_a_new_release_reindexes_only_its_shard(tmp_path):
    project = make_project(tmp_path / "project")
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("shard_size: 4000 ", "shard_size: 12 "), encoding="utf-8")
    first = project.generate()
    shards = sorted(p.name for p in (project.docs / "search").iterdir() if p.is_dir())
    assert first.search_shards == len(shards) >= 3
    before = {p: p.read_bytes() for p in (project.docs / "search").rglob("*") if p.is_file()}
    _add_release(project, "2024-12-30", "Minister opens the Ulsan floating offshore wind farm")
    second = project.generate()
    assert len(second.search_shards_indexed) == 1
    (changed,) = second.search_shards_indexed
    assert changed.startswith("2024")  # the oldest shard, whose year the release is from
    for path, data in before.items():
        shard = path.relative_to(project.docs / "search").parts[0]
        if shard not in (changed, "index.md") and path.exists():
            assert path.read_bytes() == data, path  # other shards' files are untouched
    titles = [f["meta"]["title"] for f in search_fragments(project.docs).values()]
    assert "Minister opens the Ulsan floating offshore wind farm" in titles and len(titles) == 41


@pytest.mark.slow
def test_the_cache_is_safe_to_delete(seeds):
    project, _report = seeds
    before = {f["url"]: f for f in search_fragments(project.docs).values()}
    shutil.rmtree(project.root / "build" / "cache")
    again = project.generate()
    assert len(again.search_shards_indexed) == 1  # indexed afresh
    after = {f["url"]: f for f in search_fragments(project.docs).values()}
    assert after == before
    stale = [p for p in (project.docs / "search").rglob("*.pf_*") if p.relative_to(project.docs).as_posix() not in _manifest(project)]
    assert stale == []


@pytest.mark.slow
def test_a_damaged_cache_is_indexed_again(seeds):
    """A cached shard is used only whole: with a file missing (a deletion cut short), it is indexed again."""
    project, _report = seeds
    (listing,) = (project.root / "build" / "cache" / "search").glob("*.json")
    bundle = listing.with_suffix("")
    next(bundle.glob("fragment/*")).unlink()
    again = project.generate()
    assert len(again.search_shards_indexed) == 1 and len(search_fragments(project.docs)) == 40


@pytest.mark.slow
def test_an_empty_cache_listing_is_no_shard(seeds):
    project, _report = seeds
    (listing,) = (project.root / "build" / "cache" / "search").glob("*.json")
    listing.write_text("{}", encoding="utf-8")
    again = project.generate()
    assert len(again.search_shards_indexed) == 1 and len(search_fragments(project.docs)) == 40


def _manifest(project) -> set[str]:
    return set(json.loads((project.docs / ".press-archive-manifest.json").read_text(encoding="utf-8"))["files"])


@pytest.mark.slow
def test_build_publishes_the_index_pagefind_finishes_while_mkdocs_builds(tmp_path):
    """`press-archive build` runs MkDocs while Pagefind indexes, then copies the index into the site."""
    project = make_project(tmp_path / "project")
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("shard_size: 4000 ", "shard_size: 12 "), encoding="utf-8")

    def index_files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "search").glob("*/**/*") if p.is_file()}

    for step in range(2):
        result = project.cli("build")
        assert result.returncode == 0, result.stderr
        assert index_files(project.site) == index_files(project.docs) != {}
        if step == 0:  # a release of a year before all others: shard 2024 becomes 2023-2024, and 2024 must go
            _add_release(project, "2023-06-15", "Minister opens the Ulsan floating offshore wind farm")
    shards = {p.name for p in (project.site / "search").iterdir() if p.is_dir()}
    assert "2023-2024" in shards and "2024" not in shards
    assert shards == {p.name for p in (project.docs / "search").iterdir() if p.is_dir()}
    titles = [f["meta"]["title"] for f in search_fragments(project.site).values()]
    assert "Minister opens the Ulsan floating offshore wind farm" in titles and len(titles) == 41


@pytest.mark.slow
def test_a_failing_pagefind_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "project")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind, "pagefind_executable", lambda: failing)
    status = cli.main(["--config", str(project.config_file), "generate"])
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert status == 2
    assert error.startswith("press-archive: error: Pagefind failed on search shard 2024-2025 (exit 3)")
    assert "something broke" in error and "Traceback" not in error


@pytest.mark.slow
def test_pagefind_options_from_the_environment_do_not_change_the_index(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project")
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "de")
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p")
    project.generate()
    entry = json.loads((project.docs / "search" / "2024-2025" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == 40
    assert all(f["content"] for f in search_fragments(project.docs).values())


@pytest.mark.slow
def test_the_search_language_comes_from_the_configuration(tmp_path):
    project = make_project(tmp_path / "project")
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace('language: ""', 'language: "ko"'), encoding="utf-8")
    project.generate()
    (bundle,) = [p for p in (project.docs / "search").iterdir() if p.is_dir()]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["ko"]
    assert (bundle / f"wasm.{entry['languages']['ko']['wasm'] or 'unknown'}.pagefind").is_file()  # what pagefind.js loads


def test_the_installed_package_carries_the_search_script():
    import importlib.resources

    script = importlib.resources.files("generator").joinpath("static", search.SCRIPT)
    assert script.is_file() and Path(str(script)).suffix == ".js"


def test_publishing_the_index_reads_no_file_it_copied_unchanged_and_repairs_one_changed(tmp_path, monkeypatch):
    """``pagefind.publish`` copies a shard's files into the site, then keeps what it copied:
    the next publish reads none of them; a copy edited or deleted since, or gone from the
    index, is put right."""
    from pathlib import Path

    from generator import pagefind
    from generator.search import SearchIndex
    from generator.writer import FileCopy

    source = tmp_path / "cache" / "fingerprint"
    source.mkdir(parents=True)
    files = {}
    for number in range(5):
        (source / f"{number}.bin").write_bytes(bytes([number]) * (number + 1))
        files[f"search/2025/fragment/{number}.bin"] = FileCopy(source / f"{number}.bin")
    index = SearchIndex(files, 1, (), 0.0)
    site, state = tmp_path / "site", tmp_path / "cache" / "published.pickle"
    pagefind.publish(index, site, state)
    copies = site / "search" / "2025" / "fragment"
    assert sorted(p.name for p in copies.iterdir()) == [f"{n}.bin" for n in range(5)]

    read: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self), original(self))[1])
    pagefind.publish(index, site, state)
    assert [p for p in read if p.suffix == ".bin"] == []

    (copies / "1.bin").write_bytes(b"edited by hand")
    (copies / "2.bin").unlink()
    (copies / "stray.bin").write_bytes(b"not in the index")
    pagefind.publish(index, site, state)
    assert {p.name: p.read_bytes() for p in copies.iterdir()} == {f"{n}.bin": bytes([n]) * (n + 1) for n in range(5)}
