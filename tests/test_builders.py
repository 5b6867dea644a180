"""One site, two builders: the generated pages build under MkDocs and under Zensical into
the same site, with every link resolving at a domain's root and under a sub-path.

Each site is built as a user builds it (`press-archive build --builder …`, SITE_URL set as
the Pages workflow sets it) and checked by ``bench/linkcheck.py``: every ``href`` and
``src`` of every page, resolved as a browser resolves it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from bench.corpus import CorpusMaker, write_dumps
from generator import cli
from tests.helpers import make_project
from bench.linkcheck import check_site, page_url

pytestmark = pytest.mark.e2e
BUILDERS = ("mkdocs", "zensical")
# Where a site is published: (site_url, the URL path it is served under)
BASES = {"root": ("http://127.0.0.1:8000/", "/"), "sub-path": ("https://example.github.io/archive/", "/archive/")}


def build_all(project, into: Path, *options: str) -> dict[tuple[str, str], Path]:
    """The project's site from each builder at each base, each kept in its own folder."""
    sites = {}
    for base_name, (site_url, _) in BASES.items():
        for builder in BUILDERS:
            result = project.cli("build", *options, "--builder", builder, env={"SITE_URL": site_url})
            assert result.returncode == 0, f"{builder}, {base_name}:\n{result.stdout}{result.stderr}"
            sites[builder, base_name] = shutil.copytree(project.site, into / f"{builder}-{base_name}")
    return sites


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("builders-seeds")
    return build_all(make_project(folder / "project"), folder, "--strict")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated archive of about 1,000 releases over twenty years, with listings split into years.

    Not --strict: its made-up texts put one topic on more releases than `max_share` allows.
    """
    folder = tmp_path_factory.mktemp("builders-corpus")
    dumps = write_dumps(CorpusMaker(seed=16).records(1000), folder / "dumps")
    return build_all(make_project(folder / "project", inputs=dumps), folder)


def assert_no_broken_links(site: Path, base_name: str) -> None:
    site_url, base = BASES[base_name]
    report = check_site(site, base, site_url)
    assert report.pages > 0 and report.links > 10 * report.pages
    assert not report.broken, f"{len(report.broken)} of {report.links} links broken, e.g.\n" + "\n".join(
        map(str, report.broken[:10])
    )


@pytest.mark.parametrize("base_name", BASES)
@pytest.mark.parametrize("builder", BUILDERS)
def test_every_link_of_the_seeds_site_resolves(seeds, builder, base_name):
    assert_no_broken_links(seeds[builder, base_name], base_name)


@pytest.mark.parametrize("base_name", BASES)
@pytest.mark.parametrize("builder", BUILDERS)
def test_every_link_of_a_1000_release_site_resolves(corpus, builder, base_name):
    assert_no_broken_links(corpus[builder, base_name], base_name)


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def content(site: Path, page: str, base: str = "/archive/") -> dict:
    """What a reader gets from a page, whichever builder made it: title, text, links (where they lead), feeds, redirect."""
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")

    def resolved(href: str) -> str:
        return urljoin("http://site.invalid" + page_url(base, page), href)

    for hidden in soup.select("[hidden]"):  # Zensical's own row of tag chips, hidden by the page's front matter
        hidden.decompose()
    article = soup.select_one("article") or soup.body
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    return {
        "title": soup.title.get_text() if soup.title else None,
        "h1": [h.get_text(" ", strip=True) for h in article.select("h1")],
        "text": article.get_text(" ", strip=True),
        "links": [resolved(a["href"]) for a in article.select("a[href]")],
        "chips": [a.get_text() for a in article.select(".md-tag")],
        "feeds": [resolved(link["href"]) for link in soup.select('link[rel="alternate"][type="application/rss+xml"]')],
        "search_form": [resolved(form["action"]) for form in soup.select('form[role="search"]')],
        "redirect": refresh["content"] if refresh else None,
    }


def test_both_builders_publish_the_same_pages_with_the_same_content(seeds):
    mkdocs, zensical = seeds["mkdocs", "sub-path"], seeds["zensical", "sub-path"]
    assert pages(mkdocs) == pages(zensical)
    assert {p.relative_to(mkdocs).as_posix() for p in (mkdocs / "search").rglob("*")} == {
        p.relative_to(zensical).as_posix() for p in (zensical / "search").rglob("*")
    }
    differing = [p for p in sorted(pages(mkdocs)) if content(mkdocs, p) != content(zensical, p)]
    assert not differing, f"{differing[0]}: {content(mkdocs, differing[0])} != {content(zensical, differing[0])}"
    release = next(p for p in sorted(pages(zensical)) if p.startswith("releases/") and content(zensical, p)["chips"])
    page = content(zensical, release)
    assert page["feeds"] and page["search_form"] == ["http://site.invalid/archive/search/"]
    assert len(page["chips"]) == len(set(page["chips"])), "one row of chips"
    assert sum(1 for p in pages(zensical) if content(zensical, p)["redirect"]) == 4  # the seeds' merged captions


def test_an_uninstalled_builder_is_a_clear_error(monkeypatch, capsys, tmp_path):
    project = make_project(tmp_path / "project")
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None if name == "zensical" else real(name))
    status = cli.main(["--config", str(project.config_file), "build", "--builder", "zensical"])
    assert status == cli.EXIT_ERROR
    assert "zensical is not installed (pip install 'press-archive[zensical]')" in capsys.readouterr().err
    assert not project.site.exists() and not (project.docs / "index.md").exists(), "nothing generated"


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_failing_builder_fails_the_build_in_one_line_of_its_own(tmp_path, builder):
    project = make_project(tmp_path / "project")
    (project.docs / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    result = project.cli("build", "--builder", builder)
    assert result.returncode == 1, result.stderr
    assert f"press-archive: error: {builder} build failed (exit status 1); see its messages above" in result.stderr
    assert "missing.md" in result.stderr or "page does not exist" in result.stderr  # the builder says what is wrong
    # Zensical 0.0.73 ends a --strict failure with a traceback of its own ("Aborted because
    # --strict flag is set"; README, Builders); MkDocs does not.
    assert ("Traceback" in result.stderr) == (builder == "zensical")
