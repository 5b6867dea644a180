"""`press-archive new`: a complete archive project that builds at once, outside this repository,
from what the installed package carries, with nothing of MOTIE's in it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.e2e


def press_archive(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it, from ``cwd`` (outside the repository); the package from ``pythonpath`` if given."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def wheel_package(tmp_path_factory) -> Path:
    """The package as `pip install` gets it: the wheel built from this repository, unpacked."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(REPO)],
        capture_output=True, text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = folder.glob("press_archive-*.whl")
    unpacked = folder / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def test_the_wheel_carries_every_default_a_project_needs(wheel_package):
    package = wheel_package / "generator"
    for needed in ("py.typed", "static/search.js", "theme/main.html", "theme/partials/header.html",
                   "theme/assets/stylesheets/press-archive.css", "skeleton/mkdocs.yml", "skeleton/press-archive.yml",
                   "skeleton/gitignore", "skeleton/github/pages.yml", "skeleton/data/releases/sample.ko.txt"):
        assert (package / needed).is_file(), needed


def test_a_new_project_builds_outside_the_repository_from_the_installed_package(tmp_path, wheel_package):
    made = press_archive("new", "council", "--name", "Springfield City Council", "--timezone", "America/Chicago",
                         cwd=tmp_path, pythonpath=wheel_package)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "council"
    check = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=project,
                           env={**os.environ, "PYTHONPATH": str(wheel_package)}, capture_output=True, text=True)
    assert check.stdout.startswith(str(wheel_package))  # the installed package, not this repository's source
    (project / "data" / "releases" / "more.jsonl").write_text(
        '{"title": "Library hours extended", "date": "2026-03-09", "body": "The central library now opens until nine.",'
        ' "url": "https://www.example.org/news/library"}\n',
        encoding="utf-8",
    )
    built = press_archive("build", "--strict", cwd=project, pythonpath=wheel_package)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "3 records from 2 files → 3 releases" in built.stderr
    site = project / "site"
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert len(pages) > 10 and not any(word in page for page in pages for word in ("MOTIE", "Ministry", "Korea"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Home - Springfield City Council</title>" in home and "Central Time" in home
    assert not (site / "topics").exists() and not (site / "organizations").exists()  # empty vocabularies: no such pages
    assert "releases/2026/03/library-hours-extended/" in (project / "data" / "permalinks.yml").read_text(encoding="utf-8")


def test_new_refuses_a_folder_in_use_and_unknown_settings(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", encoding="utf-8")
    for args, message in (
        (["new", "used"], "used: not empty; a new archive needs an empty or new folder"),
        (["new", "x", "--language", "xx-nowhere"], "--language: language 'xx-nowhere' is not one Babel knows"),
        (["new", "y", "--timezone", "Mars/Olympus"], "--timezone: 'Mars/Olympus' is not an IANA time zone"),
    ):
        result = press_archive(*args, cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "mine" and not (tmp_path / "x").exists()


def test_the_new_projects_workflow_is_valid_github_actions(tmp_path):
    import shutil

    assert press_archive("new", "site", cwd=tmp_path).returncode == 0
    actionlint = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    result = subprocess.run([actionlint, str(tmp_path / "site" / ".github" / "workflows" / "pages.yml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
