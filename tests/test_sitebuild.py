"""Publishing only what changed (generator/sitebuild.py): after a first build, `press-archive build`
runs `mkdocs build --dirty`, and the site it leaves is the site a clean build makes of the same
pages, byte for byte (a gzip file's header stamps the build time: its content is compared)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Project, make_project
from tests.test_incremental import add_record, drop_a_record, edit_vocabulary

pytestmark = pytest.mark.e2e

DIRTY = "building only the pages that changed"


def correct_an_old_text(project: Project) -> None:
    """A typo fixed in a release from December 2024: its page changes, and no page of the navigation."""
    path = project.root / "data" / "releases" / "002_5d92cec32963d3c7.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines) if text.endswith("date2024-12-23"))
    lines[line] = lines[line].replace("announced today", "announced on the day", 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


def clean_build(project: Project, site: Path) -> dict[str, bytes]:
    """MkDocs' own clean build of the pages as they are, into ``site``."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project.root / "mkdocs.yml"), "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(command, check=True, cwd=project.root, env=env, capture_output=True)
    return site_files(site)


def build(project: Project, *args: str) -> subprocess.CompletedProcess:
    result = project.cli("build", *args)
    assert result.returncode == 0, result.stderr
    return result


def assert_same_site(project: Project, scratch: Path) -> None:
    dirty = site_files(project.root / "site")
    clean = clean_build(project, scratch)
    assert sorted(dirty) == sorted(clean), (set(dirty) ^ set(clean))
    differing = [path for path in clean if dirty[path] != clean[path]]
    assert differing == [], f"a dirty build differs from a clean one: {differing[:5]}"


@pytest.fixture
def built(tmp_path) -> Project:
    project = make_project(tmp_path / "project")
    first = build(project)
    assert DIRTY not in first.stderr, "a first build builds every page"
    return project


CHANGES = {"added": add_record, "dropped": drop_a_record, "vocabulary": edit_vocabulary, "corrected": correct_an_old_text}


@pytest.mark.parametrize("change", CHANGES)
def test_a_dirty_build_after_a_change_is_the_clean_build(built, tmp_path, change):
    before = (built.root / "site" / "index.html").stat().st_mtime_ns
    CHANGES[change](built)
    result = build(built)
    assert DIRTY in result.stderr
    assert "Aborted" not in result.stderr
    assert_same_site(built, tmp_path / "clean")
    assert (built.root / "site" / "index.html").stat().st_mtime_ns > before, "the navigation's pages are built again"


def test_an_unchanged_build_rebuilds_no_release_page(built, tmp_path):
    page = next((built.root / "site" / "releases").rglob("index.html"))
    before = page.stat().st_mtime_ns
    result = build(built)
    assert DIRTY in result.stderr and "nothing changed since the last run" in result.stderr
    assert page.stat().st_mtime_ns == before
    assert_same_site(built, tmp_path / "clean")


def test_a_build_by_another_builder_or_a_theme_change_makes_the_next_build_full(built, tmp_path):
    css = built.root / "overrides" / "main.html"
    css.write_text(css.read_text(encoding="utf-8") + "\n{# a change to the theme #}\n", encoding="utf-8")
    assert DIRTY not in build(built).stderr
    assert DIRTY in build(built).stderr
    assert DIRTY not in build(built, "--full-rebuild").stderr
    assert_same_site(built, tmp_path / "clean")


def test_a_site_another_builder_wrote_since_is_built_in_full(built, tmp_path):
    assert built.cli("build", "--builder", "zensical").returncode == 0
    result = build(built)
    assert DIRTY not in result.stderr, "Zensical's site is not MkDocs' to update"
    assert_same_site(built, tmp_path / "clean")


def test_a_strict_dirty_build_still_fails_on_a_warning(built):
    """The dirty build drops MkDocs' one warning about dirty builds, and only it."""
    authored = built.docs / "notes.md"
    authored.write_text("# Notes\n\nSee [a page that is not there](missing.md).\n", encoding="utf-8")
    result = built.cli("build")
    assert result.returncode != 0
    assert DIRTY not in result.stderr, "a new page changes the navigation: a full build"
    authored.write_text("# Notes\n\nSee [the home page](index.md).\n", encoding="utf-8")
    assert build(built).returncode == 0
    authored.write_text("# Notes\n\nSee [a page that is not there](missing.md).\n", encoding="utf-8")
    again = built.cli("build")
    assert DIRTY in again.stderr and again.returncode != 0 and "missing.md" in again.stderr
