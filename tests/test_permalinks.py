"""Permanent URLs: every URL a build published still resolves, as a page or a redirect, in every later build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.config import ConfigError
from generator.lock import LOCK_FILE, ProjectLock
from generator.permalinks import load_registry
from tests.helpers import REPO, SEED_FILES, Project, make_project

REFRESH = re.compile(r"0; url=(\S+)")


def published_urls(site: Path) -> set[str]:
    """Every release URL a built site answers, page or redirect."""
    return {str(p.parent.relative_to(site)) + "/" for p in (site / "releases").rglob("index.html")}


def resolve(site: Path, url: str, hops: int = 0) -> str:
    """Follow redirects in a built site; the URL of the real page ``url`` leads to (or raise)."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    if refresh is None:
        assert soup.select_one("article.md-content__inner"), f"{url} is neither a page nor a redirect"
        return url
    assert hops < 2, f"{url}: redirect chain"
    target = REFRESH.match(refresh["content"]).group(1)
    resolved = str((Path("/") / url / target).resolve()).lstrip("/") + "/"
    assert (site / resolved / "index.html").is_file(), f"{url} redirects to missing {resolved}"
    return resolve(site, resolved, hops + 1)


def build(project: Project, *extra: str) -> set[str]:
    result = project.cli("build", "--strict", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return published_urls(project.site)


@pytest.mark.slow
def test_every_url_survives_more_dumps_and_a_title_correction(tmp_path):
    project = make_project(tmp_path / "project", inputs=SEED_FILES[:3])
    first = build(project)
    assert len(first) >= 25

    for seed in SEED_FILES[3:]:
        shutil.copy(seed, project.root / "data" / "releases" / seed.name)
    second = build(project)
    assert first <= second
    for url in first:
        assert resolve(project.site, url)

    dump = project.root / "data" / "releases" / SEED_FILES[3].name
    text = dump.read_text(encoding="utf-8")
    wrong = "Korea’s ICT exports rebound in February"
    assert wrong in text
    dump.write_text(text.replace(wrong, "Korea’s ICT exports rebound 2.8% in February"), encoding="utf-8")
    third = build(project)
    assert second <= third
    for url in second:
        assert resolve(project.site, url)
    page = resolve(project.site, "releases/2025/03/koreas-ict-exports-rebound-in-february/")
    assert page == "releases/2025/03/koreas-ict-exports-rebound-in-february/", "the corrected release kept its URL"
    h1 = BeautifulSoup((project.site / page / "index.html").read_text(), "html.parser").select_one("h1").get_text()
    assert h1 == "Korea’s ICT exports rebound 2.8% in February"


def split_seed_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The SK hynix caption (002…:6) and its full release (002…:14) as two separate dumps."""
    lines = SEED_FILES[2].read_text(encoding="utf-8").splitlines()
    caption, full = tmp_path / "caption.txt", tmp_path / "full.txt"
    caption.write_text("-\n" + "\n".join(lines[5:8]) + "\n-\n", encoding="utf-8")
    full.write_text("-\n" + "\n".join(lines[13:16]) + "\n-\n", encoding="utf-8")
    assert "Minister Ahn visits SK hynix" in caption.read_text() and "last spurt" in full.read_text()
    return caption, full


@pytest.mark.slow
def test_a_page_merged_later_redirects_to_its_release(tmp_path):
    caption, full = split_seed_pair(tmp_path)
    project = make_project(tmp_path / "project", inputs=[caption])
    (caption_url,) = build(project)
    assert caption_url == "releases/2024/12/minister-ahn-visits-sk-hynix-cheongju-campus/"
    shutil.copy(full, project.root / "data" / "releases" / full.name)
    urls = build(project)
    page = resolve(project.site, caption_url)
    assert page != caption_url and urls == {caption_url, page}
    assert "last-spurt" in page
    details = BeautifulSoup((project.site / page / "index.html").read_text(), "html.parser").select_one("details.pa-variants")
    assert "Minister Ahn visits SK hynix Cheongju Campus" in details.get_text()


@pytest.mark.slow
def test_a_newer_release_never_takes_a_published_slug(tmp_path):
    later = tmp_path / "later.txt"
    later.write_text("-\nEnergy\nGrid plan announced\nThe grid plan was announced for the southern region. date2025-05-20\n-\n")
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("-\nEnergy\nGrid plan announced\nA different grid plan for the northern region was set out. date2025-05-02\n-\n")
    project = make_project(tmp_path / "project", inputs=[later])
    assert build(project) == {"releases/2025/05/grid-plan-announced/"}
    shutil.copy(earlier, project.root / "data" / "releases" / earlier.name)
    assert build(project) == {"releases/2025/05/grid-plan-announced/", "releases/2025/05/grid-plan-announced-2/"}
    soup = BeautifulSoup((project.site / "releases/2025/05/grid-plan-announced/index.html").read_text(), "html.parser")
    assert "southern region" in soup.select_one(".pa-release-text").get_text()


@pytest.mark.slow
def test_a_withdrawn_release_redirects_to_its_month(tmp_path):
    caption, full = split_seed_pair(tmp_path)
    project = make_project(tmp_path / "project", inputs=[caption, SEED_FILES[0]])
    build(project)
    (project.root / "data" / "releases" / caption.name).unlink()
    build(project)
    assert resolve(project.site, "releases/2024/12/minister-ahn-visits-sk-hynix-cheongju-campus/") == "archive/"
    registry = load_registry(project.root / "data" / "permalinks.yml")
    assert "releases/2024/12/minister-ahn-visits-sk-hynix-cheongju-campus/" in {link.url for link in registry}


def test_bundled_registry_covers_the_seed_site(seeds_collected):
    """A registry committed after a build of the seeds (the MOTIE settings' data/permalinks.yml):
    a fresh build of the same seeds adds nothing to it."""
    from tests.helpers import MOTIE

    registry = load_registry(MOTIE / "data" / "permalinks.yml")
    assert seeds_collected.new_urls == 0
    assert {link.url for link in registry} == set(seeds_collected.catalog.text_urls.values())


@pytest.mark.parametrize(
    "content",
    ["urls: [1, 2]\n", "urls:\n  releases/2025/05/x/: {id: a}\n", "urls:\n  ../../etc/: {id: a, body_key: b, title_key: c}\n", "[: x\n"],
)
def test_a_broken_registry_is_a_clear_error(tmp_path, content):
    path = tmp_path / "permalinks.yml"
    path.write_text(content)
    with pytest.raises(ConfigError, match="permalinks.yml"):
        load_registry(path)


@pytest.mark.slow
def test_two_runs_at_once_take_turns_and_keep_both_new_urls(tmp_path):
    project = make_project(tmp_path / "project")
    build(project)
    extra = {}
    for name, day in (("a", 3), ("b", 4)):
        extra[name] = tmp_path / f"extra-{name}.txt"
        extra[name].write_text(f"-\nEnergy\nRun {name} opens a wind farm\nA body about run {name}. date2025-06-0{day}\n-\n", encoding="utf-8")
    held = ProjectLock(project.root / "build" / "cache" / LOCK_FILE)
    held.acquire(on_wait=lambda message: pytest.fail(message))
    command = [sys.executable, "-m", "generator", "--config", str(project.config_file), "generate"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project.root), "PYTHONPATH": str(REPO)}
    runs = {
        name: subprocess.Popen([*command, str(project.root / "data" / "releases"), str(path)], cwd=project.root, env=env,
                               stderr=subprocess.PIPE, text=True)
        for name, path in extra.items()
    }
    waiting = {name: run.stderr.readline() for name, run in runs.items()}  # each says it waits, before it reads anything
    assert all("another press-archive run is working on this project; waiting" in line for line in waiting.values()), waiting
    held.release()
    for run in runs.values():
        assert run.wait(timeout=120) == 0, run.stderr.read()
    registered = {link.url for link in load_registry(project.root / "data" / "permalinks.yml")}
    assert {"releases/2025/06/run-a-opens-a-wind-farm/", "releases/2025/06/run-b-opens-a-wind-farm/"} <= registered


@pytest.mark.slow
def test_a_hand_edited_registry_is_checked_entry_by_entry(tmp_path):
    project = make_project(tmp_path / "project")
    build(project)
    registry = project.root / "data" / "permalinks.yml"
    text = registry.read_text(encoding="utf-8")
    first = text.index("  releases/")
    entry = 'id: "a"\n    title: "x"\n    body_key: "b"\n    title_key: "c"\n'
    hostile = (
        f'  "releases/2025/04/x\\" onmouseover=\\"alert(1)/":\n    {entry}'  # markup in a listing's href
        f"  releases/2025/04/.hidden/:\n    {entry}"  # a dot-file MkDocs skips
        f"  releases/2025/13/thirteenth-month/:\n    {entry}"
        f"  releases/2025/04/twice/:\n    {entry}"
        f"  releases/2025/04/twice/:\n    {entry}"
        f"  releases/2025/04/no-keys/:\n    title: only a title\n"
    )
    registry.write_text(text[:first] + hostile + text[first:], encoding="utf-8")
    line = text[:first].count("\n") + 1
    result = project.cli("generate")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"press-archive: error: {registry}:{line}: 'releases/2025/04/x\" onmouseover=\"alert(1)/' is not a release URL"
        " (releases/YYYY/MM/slug/, the slug in a-z, 0-9 and -)",
        f"press-archive: error: {registry}:{line + 5}: 'releases/2025/04/.hidden/' is not a release URL"
        " (releases/YYYY/MM/slug/, the slug in a-z, 0-9 and -)",
        f"press-archive: error: {registry}:{line + 10}: 'releases/2025/13/thirteenth-month/' is not a release URL"
        " (releases/YYYY/MM/slug/, the slug in a-z, 0-9 and -)",
        f"press-archive: error: {registry}:{line + 20}: releases/2025/04/twice/ is listed twice (first at line {line + 15}):"
        " a URL belongs to one release",
        f"press-archive: error: {registry}:{line + 25}: the entry of releases/2025/04/no-keys/ needs id, body_key and"
        " title_key as text (and former_ids as a list)",
    ]


@pytest.mark.slow
def test_a_corrected_date_keeps_the_release_at_its_url(tmp_path):
    project = make_project(tmp_path / "project")
    build(project)
    url = "releases/2025/03/koreas-ict-exports-rebound-in-february/"
    dump = project.root / "data" / "releases" / SEED_FILES[3].name
    text = dump.read_text(encoding="utf-8")
    (old_date,) = re.findall(r"date(2025-03-\d\d)", text.split("Korea’s ICT exports rebound in February", 1)[1])[:1]
    corrected = f"2025-03-{int(old_date[-2:]) + 1:02d}"
    dump.write_text(text.replace(f"date{old_date}", f"date{corrected}", 1), encoding="utf-8")
    urls = build(project)
    assert resolve(project.site, url) == url, "the release kept its URL"
    assert f'datetime="{corrected}"' in (project.site / url / "index.html").read_text(encoding="utf-8")
    assert not any(u.startswith("releases/2025/03/koreas-ict-exports-rebound-in-february-") for u in urls)


def published_listings(site: Path) -> set[str]:
    """Every listing URL and feed a built site answers (pages, redirects and feeds alike)."""
    found = {str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")}
    found = {u for u in found if not u.startswith(("releases/", "search/", "assets/")) and u != "./"}
    return found | {p.relative_to(site).as_posix() for p in (site / "feeds").glob("*.xml") if p.name != "sitemap.xml"}


@pytest.mark.slow
def test_listings_and_feeds_keep_answering_when_their_last_release_goes(tmp_path):
    project = make_project(tmp_path / "project")
    site_url = {"SITE_URL": "https://press.example.org/"}
    result = project.cli("build", "--strict", env=site_url)
    assert result.returncode == 0, result.stderr
    first = published_listings(project.site)
    assert {"archive/2024/12/", "archive/2024/", "feeds/energy.xml"} <= first
    # Only the 2025 releases of two dumps remain: December 2024, its year, whole topics and the Energy feed's releases go.
    for dump in SEED_FILES[2:]:
        (project.root / "data" / "releases" / dump.name).unlink()
    result = project.cli("build", "--strict", env=site_url)
    assert result.returncode == 0, result.stderr
    second = published_listings(project.site)
    assert first <= second, sorted(first - second)
    assert resolve(project.site, "archive/2024/12/") == "archive/"  # the month and its year are gone: the archive index
    for url in sorted(u for u in first if not u.endswith(".xml")):
        assert resolve(project.site, url)
    for feed in (u for u in first if u.endswith(".xml")):
        ET.parse(project.site / feed)  # still a well-formed feed


def test_the_registry_written_entry_by_entry_is_the_registry_dumped_whole_and_reads_back():
    """write_registry joins each entry's YAML (kept from the last run): the text is the one
    dump of the whole registry would give, and reading it gives the same entries."""
    import yaml

    from generator.permalinks import _YAML_DUMPER, REGISTRY_HEADER, Permalink, read_registry, write_registry

    titles = ["Plain", "Colon: in it", "'quoted' \"twice\"", "- leading dash", "yes", "Ünïcode — 한국어", "#hash", "", "a\u2028b"]
    links = [
        Permalink(f"releases/2025/0{1 + n % 9}/t-{n}/", f"{n:012x}", title, f"b{n}", f"t{n}", (f"{n + 1:012x}",) if n % 2 else (), f"u{n}" if n % 3 else "")
        for n, title in enumerate(titles)
    ]
    first, written = write_registry(links[:5], ["archive/2025/"])
    text, _ = write_registry(links, ["archive/2025/", "feeds/index.xml"], written)
    whole = {
        "urls": {
            link.url: {"id": link.id, "title": link.title, "body_key": link.body_key, "title_key": link.title_key}
            | ({"undated_key": link.undated_key} if link.undated_key else {})
            | ({"former_ids": list(link.former_ids)} if link.former_ids else {})
            for link in links
        },
        "listings": ["archive/2025/", "feeds/index.xml"],
    }
    assert text == REGISTRY_HEADER + yaml.dump(whole, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)
    assert first != text
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "permalinks.yml"
        path.write_text(text, encoding="utf-8")
        assert read_registry(path).links == tuple(links)
        path.write_text(text.replace("Plain", "Edited by hand"), encoding="utf-8")
        edited = read_registry(path, written)  # the file is not what was written: it is read
        assert edited.links[0].title == "Edited by hand"
