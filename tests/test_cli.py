import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands import COMMANDS as READING_COMMANDS
from generator.cli import build_parser, main
from generator.commands import PROJECT_COMMANDS

COMMANDS = {**READING_COMMANDS, **PROJECT_COMMANDS}
from generator.progress import STAGES, Stages
from generator.writer import TEMP_SUFFIX
from tests.helpers import REPO, make_project


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented_with_an_example(name):
    doc = COMMANDS[name].__doc__
    assert doc and "Example:" in doc and f"press-archive {name}" in doc


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_docstring(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([name, "--help"])
    assert exit_info.value.code == 0
    output = capsys.readouterr().out
    assert COMMANDS[name].__doc__.splitlines()[0] in output and "Example:" in output


@pytest.mark.slow
def test_module_entry_point_lists_commands():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert all(name in result.stdout for name in COMMANDS)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(f"| `press-archive {name}" in readme for name in COMMANDS)  # and the README's table has each


@pytest.fixture
def project_with_bad_dump(tmp_path):
    bad = tmp_path / "input" / "broken.txt"
    bad.parent.mkdir()
    bad.write_text("-\nA title\nNo date at the end\n-\nGood\nBody text. date2025-01-01\n-\nBad\nBody. date2025-13-01\n")
    return make_project(tmp_path / "project", inputs=[bad])


@pytest.mark.slow
def test_rejections_reported_run_goes_on(project_with_bad_dump):
    result = project_with_bad_dump.cli("generate")
    assert result.returncode == 0, result.stderr
    assert "broken.txt:2: no date" in result.stderr and "broken.txt:8: impossible date 2025-13-01" in result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(project_with_bad_dump.report.read_text())
    assert report["records_read"] == 3 and report["releases"] == 1
    assert [(r["file"], r["line"]) for r in report["rejected"]] == [("broken.txt", 2), ("broken.txt", 8)]


@pytest.mark.slow
def test_strict_fails_on_rejections(project_with_bad_dump):
    result = project_with_bad_dump.cli("generate", "--strict")
    assert result.returncode == 1 and "--strict" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["generate", "no/such/folder"], "no/such/folder: no such file or folder"),
        (["--config", "missing.yml", "generate"], "missing.yml: cannot read configuration"),
    ],
)
def test_user_errors_are_one_clear_line(tmp_path, args, message):
    project = make_project(tmp_path / "p")
    command = [sys.executable, "-m", "generator", *args]
    result = subprocess.run(command, capture_output=True, text=True, cwd=project.root)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_authored_page_in_the_way_is_an_error_not_an_overwrite(tmp_path):
    project = make_project(tmp_path / "p")
    (project.docs / "index.md").write_text("# My own home\n")
    result = project.cli("generate")
    assert result.returncode == 2 and "will not overwrite" in result.stderr
    assert (project.docs / "index.md").read_text() == "# My own home\n"


@pytest.mark.slow
def test_unwritable_output_is_a_clear_error(tmp_path):
    project = make_project(tmp_path / "p")
    blocker = tmp_path / "p" / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = project.cli("generate", "--out", str(blocker / "site_src"))
    assert result.returncode == 2 and "press-archive: error:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_duplicates_audit_lists_each_merge_and_near_miss(tmp_path):
    project = make_project(tmp_path / "project")
    text = project.cli("duplicates")
    assert text.returncode == 0, text.stderr
    assert "4 near-duplicate merges, 2 near-misses" in text.stdout
    assert "002_5d92cec32963d3c7.txt:10" in text.stdout and "caption of a fuller release" in text.stdout
    assert not (project.docs / "index.md").exists(), "the audit writes nothing"
    data = json.loads(project.cli("duplicates", "--json").stdout)
    pairs = {(m["shorter"]["sources"][0]["line"], m["longer"]["sources"][0]["line"]) for m in data["merges"]}
    assert pairs == {(14, 18), (6, 14), (10, 18), (26, 30)}
    assert all(set(m["scores"]) == {"containment", "length_ratio", "title_similarity", "days_apart"} for m in data["merges"])
    (project.root / "data" / "duplicates.yml").write_text("never_merge: [[0123456789ab, a8fa7faa047f]]\n")
    strict = project.cli("duplicates", "--strict")
    assert strict.returncode == 1 and "duplicates.yml:1: warning: override names text 0123456789ab" in strict.stderr


@pytest.mark.slow
def test_timings_name_every_stage_and_no_progress_bar_goes_to_a_pipe(tmp_path):
    project = make_project(tmp_path / "project")
    result = project.cli("generate", "--timings")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "seconds per stage:" in line)
    timings = json.loads(line.split("seconds per stage:", 1)[1])
    assert list(timings) == list(STAGES) and all(seconds >= 0 for seconds in timings.values())
    assert "\r" not in result.stderr and "it/s" not in result.stderr


def test_progress_bars_show_only_when_asked(capsys):
    items = [1, 2, 3]
    quiet = Stages(show=False)
    with quiet.stage("render"):
        assert quiet.track(items) is items
    assert capsys.readouterr().err == ""
    shown = Stages(show=True, delay=0)
    with shown.stage("render"):
        assert list(shown.track(items, "page")) == items
    err = capsys.readouterr().err
    assert "render:" in err and "/3 " in err  # the stage, items done of 3
    assert set(quiet.seconds) == set(shown.seconds) == {"render"}


def test_progress_follows_whether_standard_error_is_a_terminal(monkeypatch):
    class Terminal:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.setattr(sys, "stderr", Terminal(True))
    assert Stages.for_terminal().show
    monkeypatch.setattr(sys, "stderr", Terminal(False))
    assert not Stages.for_terminal().show


@pytest.mark.slow
def test_file_urls_instead_of_directory_urls_are_refused_in_one_line(tmp_path):
    project = make_project(tmp_path / "project")
    mkdocs_yml = project.root / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("use_directory_urls: true", "use_directory_urls: false"))
    result = project.cli("generate")
    assert result.returncode == 2
    line = next(n for n, text in enumerate(mkdocs_yml.read_text().splitlines(), 1) if text.startswith("use_directory_urls"))
    assert result.stderr.strip().splitlines() == [
        f"press-archive: error: {mkdocs_yml}:{line}: use_directory_urls: must be true: release URLs are folders "
        "(/releases/YYYY/MM/<slug>/) and the listings link to them as such"
    ]
    assert not (project.docs / "index.md").exists()


def test_every_problem_of_mkdocs_yml_the_generator_reads_is_reported_at_once_at_its_line(tmp_path):
    project = make_project(tmp_path / "project")
    mkdocs_yml = project.root / "mkdocs.yml"
    text = mkdocs_yml.read_text().replace("site_name:", "site_title:").replace("use_directory_urls: true", "use_directory_urls: false")
    text = text.replace("    publisher_url: https://english.motie.go.kr/\n", "    publisher_url: ftp://example.org/\n    colour: red\n")
    mkdocs_yml.write_text(text)
    lines = text.splitlines()
    result = project.cli("generate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert errors[0] == f"press-archive: error: {mkdocs_yml}:1: site_name: required, but not given"
    urls_line = next(n for n, line in enumerate(lines, 1) if line.startswith("use_directory_urls: false"))
    assert errors[1].startswith(f"press-archive: error: {mkdocs_yml}:{urls_line}: use_directory_urls: must be true")
    assert errors[2:] == [
        f"press-archive: error: {mkdocs_yml}:{lines.index('    publisher_url: ftp://example.org/') + 1}: "
        "extra.archive.publisher_url: must be an http or https address (or empty)",
        f"press-archive: error: {mkdocs_yml}:{lines.index('    colour: red') + 1}: "
        "extra.archive.colour: unknown key (known: publisher, publisher_url, about, licence, licence_url, source_url)",
    ]


@pytest.mark.slow
def test_a_full_disk_is_one_line_naming_the_file(tmp_path, monkeypatch, capsys):
    """Every write of a page goes to /dev/full, where the kernel answers ENOSPC as a full disk does."""
    project = make_project(tmp_path / "p")
    real = Path.write_bytes

    def onto_a_full_disk(self, data):
        if self.name.endswith(".md" + TEMP_SUFFIX):
            with open("/dev/full", "wb") as full:
                return full.write(data)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", onto_a_full_disk)
    status = main(["--config", str(project.config_file), "generate"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and err[0].startswith(f"press-archive: error: {project.docs}/") and err[0].endswith(
        ".md: cannot write: No space left on device"
    ), err


@pytest.mark.slow
@pytest.mark.parametrize("name", ("data/permalinks.yml", "data/duplicates.yml", "press-archive.yml", "mkdocs.yml"))
def test_invalid_yaml_is_one_line_with_the_file_and_line(tmp_path, name):
    project = make_project(tmp_path / "p")
    target = project.root / name
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(text + "\nbroken: [unclosed\n  - x: y\n", encoding="utf-8")
    line = text.count("\n") + 2
    result = project.cli("generate")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"press-archive: error: {target}:") and ": not valid YAML: " in lines[0], lines
    assert int(lines[0].split(f"{target}:")[1].split(":")[0]) >= line


@pytest.mark.slow
@pytest.mark.parametrize("damage", ("corrupt", "deleted"))
def test_a_lost_or_damaged_manifest_has_one_way_out_that_works(tmp_path, damage):
    project = make_project(tmp_path / "p")
    (project.docs / "about.md").write_text("# About\n", encoding="utf-8")
    first = project.cli("generate")
    assert first.returncode == 0
    generated = int(re.search(r"(\d+) files written, 0 unchanged", first.stderr).group(1))
    manifest = project.docs / ".press-archive-manifest.json"
    if damage == "corrupt":
        manifest.write_text("{not json", encoding="utf-8")
    else:
        manifest.unlink()
    stuck = project.cli("generate")
    assert stuck.returncode == 2 and "run again with --adopt" in stuck.stderr, stuck.stderr
    adopted = project.cli("generate", "--adopt")
    assert adopted.returncode == 0, adopted.stderr
    assert f"0 files written, {generated} unchanged" in adopted.stderr  # the same pages, taken over as they were
    assert project.cli("generate").returncode == 0  # and from then on, as before
    assert (project.docs / "about.md").read_text(encoding="utf-8") == "# About\n"  # an authored page is left alone


def test_version_is_the_packages_and_config_may_follow_the_command(tmp_path, capsys):
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.strip() == f"press-archive {declared}"
    import generator

    assert generator.__version__ == declared
    for argv in (["--config", str(tmp_path / "nowhere.yml"), "generate"], ["generate", "--config", str(tmp_path / "nowhere.yml")],
                 ["duplicates", "--config", str(tmp_path / "nowhere.yml")]):
        assert main(argv) == 2
        assert f"{tmp_path / 'nowhere.yml'}: cannot read configuration" in capsys.readouterr().err


def test_the_package_ships_its_type_marker_and_the_project_its_licence():
    assert (REPO / "generator" / "py.typed").is_file()
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_stages_that_take_turns_are_reported_in_the_pipelines_order():
    stages = Stages()
    for name in ("check", "classify", "place", "write", "classify", "place", "search", "render", "write"):
        with stages.stage(name):
            pass
    assert list(stages.in_order()) == ["check", "classify", "place", "search", "render", "write"]
