"""One definition of a kind of tag (generator/tagkinds.py): a fourth kind is one ``TagKind`` plus its vocabulary file.

A throw-away kind, programmes, is run through the whole pipeline (``generate``, Pagefind
included) on the bundled seeds beside the three shipped kinds: it gets its index and tag
pages, its front matter field, its archive.json key and archive.csv column, and its search
filter and facet; and the shipped kinds' output is byte for byte what a run without it
writes, once the programme parts are taken out.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from generator import config as config_module
from generator import tagkinds
from generator.classify import vocabulary_digest
from generator.config import read_site_identity
from generator.messages import load_messages
from generator.generation import generate, settings_fingerprint
from generator.tagkinds import TAG_KINDS, TagKind
from generator.watch import watched_paths
from generator.writer import MANIFEST
from tests.helpers import Project, make_project, search_fragments

# The whole definition of the fourth kind: a plain lexicon in data/programmes.yml, pages under
# programmes/, "programmes" in front matter, archive.json and archive.csv, search filter "programme".
pytestmark = pytest.mark.slow  # generates the seeds twice, Pagefind included

PROGRAMME = TagKind.of("programme")
PROGRAMMES = """\
# Programmes the releases name (a plain lexicon, as data/organizations.yml).
programmes:
  K-Humanoid Alliance:
    aliases: [K-Humanoid]
  Industrial Technology Protection:
    full_name: Industrial Technology Protection Committee
  Moon Landing Programme: {}   # named by no release: no page
"""
HUMANOID_TITLE = "K-Humanoid Alliance driving new synergies across Korea’s robotics industry"


def run(root: Path, kinds: tuple[TagKind, ...]) -> Project:
    project = make_project(root)
    if PROGRAMME in kinds:
        (root / PROGRAMME.file).write_text(PROGRAMMES, encoding="utf-8")
    config = project.config()
    report = generate(config, [config.resolve(p) for p in config.inputs], project.docs, project.report, kinds=kinds)
    assert report.rejected == () and not report.config_warnings
    return project


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Project, Project]:
    """The seeds generated with the shipped kinds and a programme kind, and with the shipped kinds alone."""
    with_programmes = run(tmp_path_factory.mktemp("with"), (*TAG_KINDS, PROGRAMME))
    without = run(tmp_path_factory.mktemp("without"), TAG_KINDS)
    return with_programmes, without


def archive(project: Project) -> list[dict]:
    return json.loads((project.docs / "archive.json").read_text(encoding="utf-8"))["releases"]


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def page_of(project: Project, url: str) -> str:
    return (project.docs / url / "index.md").read_text(encoding="utf-8")


def hrefs_from(page_url: str, text: str) -> set[str]:
    """The site-relative URLs of the release pages a page links to."""
    found = set()
    for href in re.findall(r'href="([^"]+)"', text):
        parts = [p for p in page_url.split("/") if p]
        for part in href.split("/"):
            if part == "..":
                parts.pop()
            elif part and part != ".":
                parts.append(part)
        url = "/".join(parts) + "/"
        if url.startswith("releases/"):
            found.add(url)
    return found


def test_the_shipped_kinds_are_consistent():
    for name in ("key", "plural", "folder", "field", "column", "facet", "file"):
        values = [getattr(kind, name) for kind in TAG_KINDS]
        assert len(set(values)) == len(values), f"two kinds share a {name}: {values}"
    assert [kind.key for kind in TAG_KINDS if kind.main] == ["topic"]  # one kind infers categories
    # The names every output already used (the kinds must not change them).
    assert [kind.field for kind in TAG_KINDS] == ["tags", "places", "organizations"]
    assert [kind.column for kind in TAG_KINDS] == ["topics", "places", "organizations"]
    assert [kind.facet for kind in TAG_KINDS] == ["topic", "place", "organization"]
    assert [kind.index_path for kind in TAG_KINDS] == ["topics/index.md", "places/index.md", "organizations/index.md"]
    taken = {"archive", "categories", "feeds", "releases", "search"}  # folders of the other pages
    defaults = config_module.Config()
    english = load_messages("en")
    for kind in TAG_KINDS:
        assert kind.folder not in taken and "/" not in kind.folder
        assert kind.path("Energy Policy") == f"{kind.folder}/energy-policy/index.md"
        assert kind.path("!!!") == f"{kind.folder}/{kind.key}/index.md"  # a name that slugs to nothing
        assert kind.read in (tagkinds.read_taxonomy, tagkinds.read_gazetteer, tagkinds.read_lexicon)
        # The setting that names its file, whose default is where a new project gets it.
        assert getattr(defaults, kind.setting) == kind.file
        # The catalogs hold its words, and the English fallbacks a new kind gets say the same.
        assert {key: english.texts[key] for key in kind.fallback_messages()} == kind.fallback_messages()


def test_a_new_kind_gets_its_defaults_from_its_key():
    assert dataclasses.astuple(PROGRAMME)[:6] == ("programme", "programmes", "programmes", "programmes", "programmes", "programme")
    assert PROGRAMME.file == "data/programmes.yml" and PROGRAMME.read is tagkinds.read_lexicon and not PROGRAMME.main
    person = TagKind.of("person", plural="people", noun="person", noun_plural="people")
    assert (person.folder, person.field, person.column, person.file) == ("people", "people", "people", "data/people.yml")
    assert person.fallback_messages()["people"] == {"one": "{count} person", "other": "{count} people"}
    assert person.fallback_messages()["all_people"] == "All people"
    # The project's own messages file may word them too; the catalogs' words stay theirs.
    assert load_messages("en", None, PROGRAMME.fallback_messages())("kind_programme") == "Programmes"
    assert load_messages("en", None, {"kind_topic": "Subjects"})("kind_topic") == "Topics"


def test_a_fourth_kind_s_vocabulary_is_watched_and_fingerprinted(tmp_path):
    project = make_project(tmp_path)
    config = project.config()
    site = read_site_identity(config.resolve(config.mkdocs_config))
    kinds = (*TAG_KINDS, PROGRAMME)
    assert config.resolve(PROGRAMME.file) in watched_paths(config, [], None, kinds=kinds)
    assert config.resolve(PROGRAMME.file) not in watched_paths(config, [], None)

    def digests(kinds) -> tuple[str, str]:
        return settings_fingerprint(config, site, kinds).hexdigest(), vocabulary_digest(config, kinds)

    before = digests(kinds)
    assert digests(kinds) == before and digests(TAG_KINDS) != before
    (tmp_path / PROGRAMME.file).write_text(PROGRAMMES, encoding="utf-8")  # a run after this is not "unchanged"
    after = digests(kinds)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_fourth_kind_has_its_pages_front_matter_exports_and_search_facet(runs):
    project, _ = runs
    releases = archive(project)
    by_url = {r["url"]: r for r in releases}
    assert all("programmes" in r for r in releases)
    tagged = {name: {r["url"] for r in releases if name in r["programmes"]} for r in releases for name in r["programmes"]}
    humanoid = [r for r in releases if r["title"] == HUMANOID_TITLE]
    assert humanoid and all(r["programmes"] == ["K-Humanoid Alliance"] for r in humanoid)
    assert set(tagged) == {"K-Humanoid Alliance", "Industrial Technology Protection"}
    assert 0 < len(tagged["Industrial Technology Protection"]) < len(releases)

    # Its index page and a page per programme, at the kind's paths, listing the right releases.
    index = page_of(project, "programmes")
    assert front_matter(index)["title"] == "Programmes" and "# Programmes" in index
    assert "2 programmes, by number of releases." in index
    assert "Industrial Technology Protection Committee" in index  # a full name beside the name
    for name, urls in tagged.items():
        url = PROGRAMME.path(name).removesuffix("index.md")
        assert f'href="{url.removeprefix("programmes/")}"' in index
        page = page_of(project, url)
        assert front_matter(page)["title"] == f"Programme: {name}"
        assert hrefs_from(url, page) == urls
        assert "[All programmes](../index.md)" in page
    assert not (project.docs / "programmes" / "moon-landing-programme").exists()

    # Each release page's front matter carries its programmes, and the page shows them as links.
    for url, release in by_url.items():
        text = page_of(project, url)
        assert front_matter(text)["programmes"] == release["programmes"]
        assert ('aria-label="Programmes"' in text) == bool(release["programmes"])

    # archive.csv: a column of its own after the shipped kinds'.
    rows = list(csv.reader(io.StringIO((project.docs / "archive.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == [
        "id", "url", "date", "title", "category", "topics", "places", "organizations", "programmes", "cut_off", "records",
        "source_url", "body",
    ]
    column = rows[0].index("programmes")
    assert {row[1]: row[column] for row in rows[1:]} == {u: "; ".join(r["programmes"]) for u, r in by_url.items()}

    # Search: each release's filters (Pagefind's index) and the facet on the search page.
    fragments = {f["url"].lstrip("/"): f for f in search_fragments(project.docs).values()}
    assert set(fragments) == set(by_url)
    for url, release in by_url.items():
        assert fragments[url]["filters"].get("programme", []) == release["programmes"]
    facets = search_data(project)["facets"]
    assert [f["key"] for f in facets] == ["category", "year", "topic", "place", "organization", "programme"]
    programme_facet = facets[-1]
    assert programme_facet["label"] == "Programme"
    assert dict(programme_facet["values"]) == {name: len(urls) for name, urls in tagged.items()}

    # The home page's ways to browse has a card for it.
    assert "- **[By programme](programmes/index.md)**" in page_of(project, "")


def search_data(project: Project) -> dict:
    text = page_of(project, "search")
    return json.loads(re.search(r'<script type="application/json" id="pa-search-data">(.*?)</script>', text).group(1))


def without_programmes(path: str, text: str) -> str:
    """A file of the run with programmes as it is without them: its programme parts taken out."""
    if path.endswith(".md") and path.startswith("releases/"):
        text = re.sub(r"^programmes: .*\n", "", text, flags=re.M)
        return re.sub(r'<nav class="md-tags pa-tags" aria-label="Programmes">.*?</nav>\n\n', "", text, flags=re.S)
    if path == "index.md":
        return re.sub(r"- \*\*\[By programme\]\(programmes/index\.md\)\*\*\n\n.*\n\n", "", text)
    if path == "archive.json":
        data = json.loads(text)
        for release in data["releases"]:
            release.pop("programmes", None)
        return json.dumps(data, ensure_ascii=False, indent=1)
    if path == "archive.csv":
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        column = rows[0].index("programmes") if "programmes" in rows[0] else None
        return repr([[cell for i, cell in enumerate(row) if i != column] for row in rows])
    return text


def test_the_shipped_kinds_output_is_unchanged_by_a_fourth(runs):
    with_programmes, without = runs

    def files(project: Project) -> dict[str, str]:
        return {
            path.relative_to(project.docs).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(project.docs.rglob("*"))
            if path.is_file() and not path.name == MANIFEST and not path.relative_to(project.docs).parts[0] == "search"
        }

    made, plain = files(with_programmes), files(without)
    programme_pages = {path for path in made if path.startswith("programmes/")}
    assert programme_pages and set(made) - programme_pages == set(plain)
    changed = []
    for path, text in plain.items():
        assert without_programmes(path, made[path]) == without_programmes(path, text), path
        changed += [path] if made[path] != text else []
    assert "archive.json" in changed and "index.md" in changed  # the comparison did look at the programme parts

    # The search documents, but for their programme filter; and the search page, but for its facet
    # and the shards' fingerprints (of documents that differ).
    def documents(project: Project) -> dict[str, dict]:
        found = {}
        for fragment in search_fragments(project.docs).values():
            fragment["filters"].pop("programme", None)
            found[fragment["url"]] = fragment
        return found

    assert documents(with_programmes) == documents(without)
    data = [search_data(project) for project in runs]
    for one in data:
        one["facets"] = [f for f in one["facets"] if f["key"] != "programme"]
        for shard in one["shards"]:
            del shard["tag"]
    assert data[0] == data[1]
    page = [re.sub(r'<script type="application/json" id="pa-search-data">.*?</script>', "", page_of(p, "search")) for p in runs]
    assert page[0] == page[1]
