"""`press-archive new`: a complete archive project that builds at once, outside this repository,
from what the installed package carries, with nothing of MOTIE's in it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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
                   "skeleton/gitignore", "skeleton/github/pages.yml", "skeleton/data/releases/sample.ko.txt",
                   "templates/release.html", "templates/macros.html", "templates/rss.html"):
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

    # The site's owner changes the release page without Python: a copy of the template, edited.
    copied = press_archive("templates", "release.html", cwd=project, pythonpath=wheel_package)
    assert copied.returncode == 0, copied.stderr
    own = project / "overrides" / "press-archive" / "release.html"
    own.write_text(own.read_text(encoding="utf-8").replace(
        '<div class="pa-release-text">', '<p class="council-seal">Approved by the council</p>\n\n<div class="pa-release-text">', 1
    ), encoding="utf-8")
    rebuilt = press_archive("build", "--strict", cwd=project, pythonpath=wheel_package)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    library = (site / "releases" / "2026" / "03" / "library-hours-extended" / "index.html").read_text(encoding="utf-8")
    assert '<p class="council-seal">Approved by the council</p>' in library
    assert "council-seal" not in home and "council-seal" not in (site / "index.html").read_text(encoding="utf-8")


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


ENGLISH_WORDS = ("Latest releases", "Subscribe to", "newest first", "Releases per month", "Browse", "Related releases",
                 "Search the archive", "Releases published by", " releases", "Page not found", "Original release")


@pytest.fixture(scope="module")
def korean_site(tmp_path_factory) -> Path:
    """A Korean archive as a user makes it: `press-archive new --language ko`, its sample, `press-archive build`."""
    folder = tmp_path_factory.mktemp("korean")
    made = press_archive("new", "council", "--name", "예시시 보도자료", "--language", "ko", "--timezone", "Asia/Seoul", cwd=folder)
    assert made.returncode == 0, made.stderr
    built = press_archive("build", "--strict", cwd=folder / "council")
    assert built.returncode == 0, built.stdout + built.stderr
    return folder / "council" / "site"


def test_a_korean_archive_is_korean_throughout(korean_site):
    site = korean_site
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert 'lang="ko"' in pages["index.html"]
    for name, html in pages.items():
        if 'http-equiv="refresh"' in html:
            continue
        text = BeautifulSoup(html, "html.parser").get_text(" ")
        assert not [w for w in ENGLISH_WORDS if w in text], (name, [w for w in ENGLISH_WORDS if w in text])
    home = BeautifulSoup(pages["index.html"], "html.parser").get_text(" ")
    assert "보도자료 2건" in home and "2026년 3월 5일" in home and "최신 보도자료" in home and "대한민국 시간" in home
    assert "분류 없음" in home and "날짜별" in home
    release = next(html for name, html in pages.items() if name.startswith("releases/") and "원문 보도자료" in html)
    assert "이전 보도자료" in release or "다음 보도자료" in release
    feed = (site / "feeds" / "index.xml").read_text(encoding="utf-8")
    assert "최신 보도자료" in feed and "0시로 표시" in feed
    search_page = pages["search/index.html"]
    assert "보관소 검색" in search_page and '"search_found": {"other": "보도자료 {count}건, {order}."}' not in search_page
    assert "보도자료 {count}건" in search_page  # search.js's words, in the page's data


@pytest.mark.browser
def test_a_korean_archive_searches_korean_words_and_says_so_in_korean(korean_site, browser):
    from bench.search import serving

    with serving(korean_site) as base:
        page = browser.new_page()
        page.goto(base + "search/?q=" + "공원", wait_until="load")
        page.locator('#pa-search[data-state="complete"]').wait_for(timeout=20_000)
        titles = page.locator(".pa-hit a").all_inner_texts()
        assert titles == ["시, 강변 공원 새로 열어"]
        assert page.locator("#pa-status").inner_text() == "“공원” 보도자료 1건, 최신순."
        assert page.locator(".pa-hit time").inner_text() == "2026년 3월 2일"
        assert page.locator("#pa-facets summary").inner_text() == "결과 좁히기"
        page.close()


def test_a_name_with_yaml_and_html_syntax_stays_text(tmp_path):
    name = 'Council: "North" & <South> # 2'
    assert press_archive("new", "site", "--name", name, "--description", "It's: #1 & <b>", cwd=tmp_path).returncode == 0
    project = tmp_path / "site"
    import yaml

    from generator.config import _TolerantLoader

    settings = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    assert settings["site_name"] == name and settings["site_description"] == "It's: #1 & <b>"
    built = press_archive("build", "--strict", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("h1").get_text() == name and not home.select("article b, article South")
