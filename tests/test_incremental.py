"""Work done once (generator/memo.py): a re-run recomputes only what changed, and its outputs
are byte-identical to a cold run's on the same inputs.

Each case runs a project once (cold), changes something (a record, a vocabulary, a setting, a
template, an output), runs it again (warm: caches from the first run), and compares the output
folder, the report and the permalink registry with those of a copy of the changed project that
runs with no cache and no earlier output.  Only Pagefind's own index files are left out of the
byte comparison: Pagefind writes them in hash-map order (see generator/search.py); each
release's search fragment is compared.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from bench.corpus import CorpusMaker, write_dumps
from generator.pipeline import TextCaches
from generator.report import Report
from generator.writer import MANIFEST
from tests.helpers import Project, make_project

pytestmark = pytest.mark.slow  # every test runs generate (Pagefind), the corpus one MkDocs on 600 releases

PAGEFIND_INTERNALS = (".pf_filter", ".pf_index", ".pf_meta", "pagefind-entry.json")
# Its body is not ASCII: the exports it enters are assembled by byte offsets, which its characters move
NEW_RECORD = """-
Industry
Korea and Norway Open a Hydrogen Shipping Corridor
The Ministry of Trade, Industry and Energy signed a memorandum with Norway on hydrogen shipping, \
covering ports, tankers and safety rules for liquefied hydrogen carriers between Ulsan (울산) and Ålesund. date2025-03-14
"""


def outputs(project: Project) -> dict[str, bytes]:
    """Every file of the output folder but Pagefind's internals, with the report and the registry."""
    files = {
        path.relative_to(project.docs).as_posix(): path.read_bytes()
        for path in sorted(project.docs.rglob("*"))
        if path.is_file() and not path.name.endswith(PAGEFIND_INTERNALS)
    }
    manifest = json.loads(files.pop(MANIFEST))
    files[MANIFEST] = repr({k: v for k, v in manifest["files"].items() if not k.endswith(PAGEFIND_INTERNALS)}).encode()
    files["<report>"] = project.report.read_bytes()
    files["<registry>"] = (project.root / "data" / "permalinks.yml").read_bytes()
    return files


def cold_copy(project: Project, root: Path) -> Project:
    """The project as it stands, without its outputs and caches."""
    shutil.copytree(project.root, root, ignore=shutil.ignore_patterns("site_src", "build", "site"))
    return Project(root)


def assert_warm_equals_cold(project: Project, scratch: Path) -> Report:
    cold = cold_copy(project, scratch)
    warm_report = project.generate()
    cold_report = cold.generate()
    assert warm_report.rejected == () and warm_report.warnings == cold_report.warnings
    warm, fresh = outputs(project), outputs(cold)
    assert sorted(warm) == sorted(fresh)
    differing = [path for path in warm if warm[path] != fresh[path]]
    assert differing == [], f"warm and cold outputs differ: {differing[:5]}"
    assert warm_report.releases == cold_report.releases
    return warm_report


def add_record(project: Project) -> None:
    (project.root / "data" / "releases" / "zz-new.txt").write_text(NEW_RECORD, encoding="utf-8")


def edit_vocabulary(project: Project) -> None:
    """A topic gains a keyword: releases naming it change their tags, pages and listings."""
    path = project.root / "data" / "taxonomy.yml"
    taxonomy = yaml.safe_load(path.read_text(encoding="utf-8"))
    name, topic = next(iter(taxonomy["topics"].items()))
    topic["keywords"] = [*topic["keywords"], "memorandum"]
    path.write_text(yaml.safe_dump(taxonomy, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_settings(project: Project) -> None:
    """Fewer related releases and a shorter listing page."""
    text = project.config_file.read_text(encoding="utf-8")
    settings = yaml.safe_load(text)
    settings["related_releases"] = 3
    settings["listing_page_size"] = 7
    project.config_file.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


def override_template(project: Project) -> None:
    folder = project.root / "overrides" / "press-archive"
    folder.mkdir(parents=True, exist_ok=True)
    from generator.templates import package_template

    (folder / "release.html").write_text(package_template("release.html") + "\n<!-- our own -->\n", encoding="utf-8")


def drop_a_record(project: Project) -> None:
    """The first record of the first dump goes: its release goes, or loses a version."""
    path = sorted((project.root / "data" / "releases").glob("*.txt"))[0]
    lines = path.read_text(encoding="utf-8").split("\n-\n", 1)
    path.write_text(lines[1], encoding="utf-8")


CHANGES = {
    "one record added": add_record,
    "a record dropped": drop_a_record,
    "a vocabulary edited": edit_vocabulary,
    "settings edited": edit_settings,
    "a page template overridden": override_template,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_warm_run_after_a_change_equals_a_cold_run_on_the_seeds(tmp_path, change):
    project = make_project(tmp_path / "project")
    project.generate()
    CHANGES[change](project)
    report = assert_warm_equals_cold(project, tmp_path / "cold")
    assert not report.unchanged_since_last_run


def test_warm_runs_equal_cold_runs_on_a_generated_corpus_through_a_series_of_changes(tmp_path):
    """600 releases: enough to tag on both cores; each change then the next, warm against cold."""
    project = make_project(tmp_path / "project", inputs=[])
    write_dumps(CorpusMaker(seed=3).records_for_releases(600), project.root / "data" / "releases")
    first = project.generate()
    assert first.releases == 600
    for number, change in enumerate(CHANGES.values()):
        change(project)
        report = assert_warm_equals_cold(project, tmp_path / f"cold-{number}")
        assert not report.unchanged_since_last_run
        written = set(report.written.written)
        if change is add_record:  # a new release rewrites its own page and the pages it enters, not the archive
            pages = {path for path in written if not path.startswith("search/")}  # Pagefind rewrites the shard it enters
            assert len(pages) < 40, sorted(pages)


def test_a_new_release_leaves_the_year_pages_of_other_years_as_they_were(tmp_path):
    """A category's or tag's listing split by year: a release of 2025 rewrites the listing and its
    2025 page, not the page of every other year (each of which MkDocs would build again)."""
    project = make_project(tmp_path / "project", inputs=[])
    write_dumps(CorpusMaker(seed=5).records_for_releases(400), project.root / "data" / "releases")
    settings = yaml.safe_load(project.config_file.read_text(encoding="utf-8"))
    project.config_file.write_text(yaml.safe_dump({**settings, "listing_page_size": 20}), encoding="utf-8")
    project.generate()
    year_pages = {
        path.relative_to(project.docs).as_posix()
        for path in project.docs.glob("*/*/[12][0-9][0-9][0-9]/index.md")
        if not path.is_relative_to(project.docs / "archive")
    }
    assert len({path.split("/")[-2] for path in year_pages}) > 10, "listings split into many years"
    add_record(project)  # a release of 2025 in the category Industry
    written = set(project.generate().written.written)
    rewritten_years = {path.split("/")[-2] for path in written & year_pages}
    assert rewritten_years == {"2025"}, sorted(written & year_pages)
    assert "categories/industry/2025/index.md" in written


def test_a_new_release_assembles_only_the_listings_it_enters(tmp_path, monkeypatch):
    """A listing is keyed by a digest of what it shows of each release: the others are not assembled at all."""
    from generator import listings

    project = make_project(tmp_path / "project")
    project.generate()
    add_record(project)
    assembled = []
    original = listings.listed
    monkeypatch.setattr(listings, "listed", lambda releases, catalog, path: assembled.append(path) or original(releases, catalog, path))
    project.generate()
    title = NEW_RECORD.splitlines()[2]
    assert assembled and len(set(assembled)) < 12
    for path in set(assembled):
        assert title in (project.docs / path).read_text(encoding="utf-8"), path


def test_a_new_release_makes_only_its_own_export_lines_and_search_documents(tmp_path, monkeypatch):
    """archive.json and archive.csv take the lines of unchanged releases from the files as
    the last run wrote them, and a shard's fingerprint the digests of unchanged documents:
    only the new release and those whose classification it changed (their related lists)
    are written out again."""
    from generator import exports, search

    project = make_project(tmp_path / "project")
    first = project.generate()
    add_record(project)
    made: dict[str, list[str]] = {"json": [], "csv": [], "search": []}
    for name, module, function in (("json", exports, "_release_line"), ("csv", exports, "_csv_row"), ("search", search, "document_digest")):
        original = getattr(module, function)
        monkeypatch.setattr(module, function, lambda release, *rest, _o=original, _n=name: made[_n].append(release.title) or _o(release, *rest))
    project.generate()
    title = NEW_RECORD.splitlines()[2]
    for kind, titles in made.items():
        assert title in titles, kind
        assert len(titles) < first.releases // 2, (kind, titles)


def test_an_unchanged_rerun_does_nothing_and_says_so(tmp_path):
    project = make_project(tmp_path / "project")
    first = project.generate()
    before = outputs(project)
    times = {path: path.stat().st_mtime_ns for path in project.docs.rglob("*")}
    again = project.generate()
    assert again.unchanged_since_last_run and again.written.written == () and again.written.deleted == ()
    assert len(again.written.unchanged) == len(first.written.written) + len(first.written.unchanged)
    assert again.as_dict() == first.as_dict()
    assert outputs(project) == before
    assert {path: path.stat().st_mtime_ns for path in project.docs.rglob("*")} == times
    result = project.cli("generate", "--timings")
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last run" in result.stderr
    timings = json.loads(result.stderr.split("seconds per stage:", 1)[1])
    assert list(timings) == ["check"], "nothing but the check ran"


def _touch_input(project: Project) -> None:
    """The same bytes written again: a new modification time is no change."""
    path = sorted((project.root / "data" / "releases").glob("*.txt"))[0]
    path.write_bytes(path.read_bytes())


def _edit_page(project: Project) -> None:
    page = next(project.docs.glob("releases/*/*/*/index.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")


def _delete_page(project: Project) -> None:
    next(project.docs.glob("releases/*/*/*/index.md")).unlink()


def _edit_registry(project: Project) -> None:
    path = project.root / "data" / "permalinks.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _edit_site_name(project: Project) -> None:
    path = project.root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("site_name:", "site_name: Renamed —", 1), encoding="utf-8")


RERUNS = {
    "an input rewritten with the same bytes": (_touch_input, False),
    "a generated page edited by hand": (_edit_page, True),
    "a generated page deleted": (_delete_page, True),
    "the permalink registry edited": (_edit_registry, True),
    "the site renamed in mkdocs.yml": (_edit_site_name, True),
    "a vocabulary edited": (edit_vocabulary, True),
    "a template overridden": (override_template, True),
}


@pytest.mark.parametrize("rerun", RERUNS)
def test_a_rerun_is_skipped_only_when_nothing_it_depends_on_changed(tmp_path, rerun):
    change, runs = RERUNS[rerun]
    project = make_project(tmp_path / "project")
    project.generate()
    change(project)
    report = project.generate()
    assert report.unchanged_since_last_run is not runs
    if runs:
        assert project.generate().unchanged_since_last_run, "and once run, the next run has nothing to do"


def test_an_environment_variable_mkdocs_reads_is_part_of_what_a_run_depends_on(tmp_path):
    """The fixture's mkdocs.yml reads site_url from SITE_URL (``!ENV``), as a deployment does."""
    project = make_project(tmp_path / "project")
    env = {"SITE_URL": "https://example.org/archive/"}
    assert project.cli("generate", env=env).returncode == 0
    same = project.cli("generate", env=env)
    assert "nothing changed since the last run" in same.stderr
    other = project.cli("generate", env={"SITE_URL": "https://example.net/"})
    assert other.returncode == 0 and "nothing changed" not in other.stderr
    assert "https://example.net/" in (project.docs / "feeds" / "index.xml").read_text(encoding="utf-8")


def _flipped(data: bytes) -> bytes:
    """One byte of the body changed (a bad sector): the checksum, not pickle, must tell it."""
    at = len(data) * 3 // 4
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "flipped"])
def test_a_damaged_cache_is_no_cache(tmp_path, damage):
    project = make_project(tmp_path / "project")
    project.generate()
    before = outputs(project)
    cache = project.root / "build" / "cache"
    for path in [*cache.glob("*.pickle"), *cache.glob("texts/*.pickle")]:
        data = path.read_bytes()
        damaged = {"empty": b"", "garbage": os.urandom(64), "truncated": data[: len(data) // 2], "flipped": _flipped(data)}
        path.write_bytes(damaged[damage])
    report = project.generate()
    assert not report.unchanged_since_last_run and report.written.written == ()
    assert outputs(project) == before


def test_the_cache_is_not_trusted_across_versions(tmp_path, monkeypatch):
    """Another version of the generator (its code digest) finds the cache and does the work again."""
    from generator import memo

    project = make_project(tmp_path / "project")
    project.generate()
    folder = project.root / "build" / "cache" / "texts"
    before = {p.name for p in folder.glob("*.pickle")}
    monkeypatch.setattr(memo, "code_identity", lambda: "another version")
    report = project.generate()
    assert not report.unchanged_since_last_run
    texts = {p.name for p in folder.glob("*.pickle")}
    stages = {field.name for field in dataclasses.fields(TextCaches)} | {"documents"}
    assert {name.split("-")[0] for name in texts} == stages, texts
    assert not texts & before, texts & before  # the old version's are gone, not kept beside


def test_pages_are_kept_whether_their_inputs_were_parsed_or_read_from_the_cache(tmp_path):
    """The first warm run after a cold one keeps the pages a new release does not touch: a
    page's key does not depend on how its inputs' objects are shared (parsed afresh or
    unpickled), only on their values."""
    from generator import pagecache
    from generator.writer import Kept

    project = make_project(tmp_path / "project", inputs=[])
    write_dumps(CorpusMaker(seed=5).records_for_releases(300), project.root / "data" / "releases")
    project.generate()
    add_record(project)
    made: list[str] = []
    original = pagecache.PageCache.page

    def page(self, path, key, make):
        result = original(self, path, key, make)
        if not isinstance(result, Kept):
            made.append(path)
        return result

    pagecache.PageCache.page = page
    try:
        report = project.generate()
    finally:
        pagecache.PageCache.page = original
    assert len(made) <= len(report.written.written), "every page made again is a page that changed"


def test_a_key_of_parts_tells_every_run_of_parts_apart():
    """``memo.parts_key``: the pages' keys are made of texts and digests, some absent (a
    release with no newer neighbour); no two runs of parts that differ share a key (a text
    and a digest never stand at one place of a key: only their bytes count)."""
    from generator import memo

    runs = [(), ("",), (None,), ("", ""), ("ab", "c"), ("a", "bc"), ("abc",), (None, "abc"), ("abc", None),
            (b"\xff" * 8,), ("\ud800",), ("\u00e9",), ("e\u0301",)]
    keys = [memo.parts_key(*parts) for parts in runs]
    assert len(set(keys)) == len(runs), [r for r, k in zip(runs, keys) if keys.count(k) > 1]
    assert memo.parts_key("a", None, b"b") == memo.parts_key("a", None, b"b")


def test_a_run_leaves_the_collector_nothing_to_walk_and_the_next_run_collects_its_cycles(tmp_path, monkeypatch):
    """A run's millions of objects are left out of later collections (a collection over them
    after a run cost a third of a second at 20,000 releases); the cycles it left are collected
    when the next run in the same process (serve, the tests) starts, so nothing piles up."""
    import gc
    import weakref

    from generator import classify

    project = make_project(tmp_path / "project")
    left: list[weakref.ref] = []
    original = classify.cut_offs

    class Cycle:
        pass

    def cut_offs_leaving_a_cycle(*args, **kwargs):
        cycle = Cycle()
        cycle.itself = cycle  # garbage only the collector can free
        left.append(weakref.ref(cycle))
        return original(*args, **kwargs)

    monkeypatch.setattr(classify, "cut_offs", cut_offs_leaving_a_cycle)
    project.generate()
    assert gc.isenabled()
    assert gc.get_count()[0] < 1000, "the run's objects are not waiting for the collector"
    assert left[0]() is not None, "left out of collections until the next run"
    add_record(project)
    project.generate()
    assert left[0]() is None, "collected when the next run started"


def test_a_value_key_tells_apart_values_that_differ_in_any_field_and_only_those():
    """``memo.value_key`` (what a page or a release is keyed by) pickles a dataclass as its
    class and its fields: any field that differs, nested or not compared by ``==`` (a source's
    last line), makes another key; equal values shared differently make the same one."""
    import datetime as dt

    from generator import memo
    from generator.dedupe import text_keys
    from generator.model import Release, SourceRef, Text, TextKeys

    def release(title="Title", body="Body text.", last_line=3, category="Industry", keys=None) -> Release:
        date = dt.date(2025, 5, 1)
        text = Text("id1", title, date, category, True, body, (SourceRef("a.txt", 1, last_line),), keys or text_keys(title, date, body))
        return Release(text, category, True)

    base = release()
    variants = [release(title="Title!"), release(body="Body text"), release(last_line=4), release(category="Energy"),
                release(keys=TextKeys("x", "y", "z")), dataclasses.replace(base, category_given=False), (base,), [base]]
    keys = [memo.value_key(v) for v in [base, *variants]]
    assert len(set(keys)) == len(keys)
    title, body = "".join(["Ti", "tle"]), "".join(["Body ", "text."])  # equal strings, other objects
    assert memo.value_key(release(title=title, body=body)) == memo.value_key(base)
    assert memo.value_key((dt.date(2025, 5, 1), {"a": 1})) != memo.value_key((dt.date(2025, 5, 2), {"a": 1}))
