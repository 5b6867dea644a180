"""Page templates: a project's own template replaces the package's, input stays text, a broken template is reported."""

from __future__ import annotations

import html
import json

import pytest
from bs4 import BeautifulSoup

from generator.templates import package_template, template_names
from tests.helpers import SEED_FILES, make_project

def test_every_page_kind_has_a_template_and_every_template_names_what_it_writes():
    names = template_names()
    for kind in ("release", "listing", "listing-year", "month", "year", "archive", "categories", "tags", "home", "chart"):
        assert f"{kind}.html" in names
    for feed in ("rss", "atom", "json-feed"):
        assert f"{feed}.html" in names
    for name in names:
        assert package_template(name).startswith("{#"), f"{name} opens with a comment saying what it writes"


@pytest.mark.slow
def test_an_override_changes_the_release_page_and_nothing_else(tmp_path):
    project = make_project(tmp_path / "p", SEED_FILES[:2])
    assert project.cli("generate").returncode == 0
    before = {p.relative_to(project.docs): p.read_bytes() for p in project.docs.rglob("*.md")}
    template = package_template("release.html").replace(
        "<div class=\"pa-release-text\">\n{% for paragraph in view.paragraphs %}",
        "<p class=\"council-note\">Read by {{ release.title|length }} councillors.</p>\n\n"
        "<div class=\"pa-release-text\">\n{% for paragraph in view.paragraphs %}",
        1,
    )
    assert "council-note" in template
    own = project.root / "overrides" / "press-archive" / "release.html"
    own.parent.mkdir(parents=True)
    own.write_text(template, encoding="utf-8")
    assert project.cli("generate").returncode == 0
    after = {p.relative_to(project.docs): p.read_bytes() for p in project.docs.rglob("*.md")}
    changed = {path for path in after if after[path] != before.get(path)}
    releases = {path for path in after if path.parts[0] == "releases"}
    assert changed == releases and releases
    for path in releases:
        page = (project.docs / path).read_text(encoding="utf-8")
        title = html.unescape(json.loads(page.split("\ntitle: ", 1)[1].split("\n", 1)[0]))  # front matter holds it escaped
        assert f'<p class="council-note">Read by {len(title)} councillors.</p>' in page, path

    built = project.cli("build")
    assert built.returncode == 0, built.stderr
    shown = BeautifulSoup(next((project.site / "releases").rglob("index.html")).read_text(encoding="utf-8"), "html.parser")
    assert shown.select_one("p.council-note") is not None
    # The templates in the theme folder are not published (MkDocs leaves out a theme's .html files).
    assert not (project.site / "press-archive").exists()


@pytest.mark.slow
def test_templates_command_lists_and_copies(tmp_path):
    project = make_project(tmp_path / "p", SEED_FILES[:1])
    listed = project.cli("templates")
    assert listed.returncode == 0
    assert "release.html\tpackage" in listed.stdout.splitlines()
    copied = project.cli("templates", "month.html")
    assert copied.returncode == 0, copied.stderr
    own = project.root / "overrides" / "press-archive" / "month.html"
    assert own.read_text(encoding="utf-8") == package_template("month.html")
    assert f"month.html\t{own}" in project.cli("templates").stdout.splitlines()
    own.write_text("edited", encoding="utf-8")
    assert project.cli("templates", "month.html").returncode == 0 and own.read_text(encoding="utf-8") == "edited"
    wrong = project.cli("templates", "nonsense.html")
    assert wrong.returncode == 2 and "no template named nonsense.html" in wrong.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("template", "line", "says"),
    [
        ("{# a comment #}\n{{ meta|front_matter }}\n{% if release.title %}\nno end\n", 4, "template syntax"),
        ("{{ meta|front_matter }}\n\n{{ release.no_such_field }}\n", 3, "no_such_field"),
    ],
)
def test_a_broken_template_is_reported_with_its_file_and_line(tmp_path, template, line, says):
    project = make_project(tmp_path / "p", SEED_FILES[:1])
    own = project.root / "overrides" / "press-archive" / "release.html"
    own.parent.mkdir(parents=True)
    own.write_text(template, encoding="utf-8")
    run = project.cli("generate")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{own}:{line}" in run.stderr and says in run.stderr, run.stderr


@pytest.mark.slow
def test_a_template_writes_input_as_text(tmp_path):
    """Whatever a site owner's template writes, a hostile title stays text: values are escaped unless marked as markup."""
    dump = tmp_path / "hostile.txt"
    dump.write_text("-\nIndustry\n<script>alert(1)</script> & \"quotes\"\nA body with <b>tags</b>. date2025-04-01\n-\n", encoding="utf-8")
    project = make_project(tmp_path / "p", [dump])
    own = project.root / "overrides" / "press-archive" / "release.html"
    own.parent.mkdir(parents=True)
    own.write_text("{{ meta|front_matter }}\n<div>{{ release.title }}</div>\n<p>{{ release.body }}</p>\n", encoding="utf-8")
    assert project.cli("generate").returncode == 0
    page = next((project.docs / "releases").rglob("index.md")).read_text(encoding="utf-8")
    assert "<div>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</div>" in page
    assert "<p>A body with &lt;b&gt;tags&lt;/b&gt;.</p>" in page
