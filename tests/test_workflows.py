import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))
    assert Path(found).exists(), "actionlint is a test dependency (pip install -e '.[test]')"
    return found


def test_workflows_pass_actionlint():
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "pages.yml"]
    result = subprocess.run([actionlint(), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = subprocess.run([actionlint(), str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and "nope" in result.stdout


def test_pages_workflow_builds_strict_and_deploys_with_least_privilege():
    pages = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    assert pages["permissions"] == {"contents": "read"}
    build_steps = pages["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build_steps]
    assert "actions/upload-pages-artifact" in uses
    assert any(s.get("run") == "make site" for s in build_steps)
    # make site -> press-archive build -> mkdocs build --strict: that a warning fails `press-archive build`
    # is tested by running it (tests/test_sitebuild.py, test_a_strict_dirty_build_still_fails_on_a_warning)
    deploy = pages["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_ci_script_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make site" in readme
    assert "\nmake test" in ci


def _build_steps(workflow: Path) -> list[dict]:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]


def test_pages_workflows_keep_what_the_last_build_left_and_the_commit_wins(tmp_path):
    """Both Pages workflows (this repository's and the one `press-archive new` writes) restore the
    caches, the generated pages and the site, then take the committed pages of site_src back from
    the commit: run here in a Git repository as the runner would."""
    from generator.project import NewProject, create_project

    create_project(NewProject(tmp_path / "new"))
    for workflow in (REPO / ".github" / "workflows" / "pages.yml", tmp_path / "new" / ".github" / "workflows" / "pages.yml"):
        steps = _build_steps(workflow)
        cache = next(n for n, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
        assert set(steps[cache]["with"]["path"].split()) == {"build/cache", "site_src", "site"}
        restore = next(n for n, s in enumerate(steps) if s.get("name") == "Keep the committed pages as committed")
        build = next(n for n, s in enumerate(steps) if "build" in s.get("run", "") or s.get("run") == "make site")
        assert cache < restore < build

        repo = tmp_path / f"runner-{workflow.parent.parent.parent.name}"
        shutil.rmtree(repo, ignore_errors=True)
        (repo / "site_src" / "assets").mkdir(parents=True)
        shutil.copy(tmp_path / "new" / ".gitignore", repo / ".gitignore")
        (repo / "site_src" / "assets" / "style.css").write_text("committed\n")
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
        subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "x"], cwd=repo, check=True)
        # what the cache brings back: an older stylesheet, a page the commit deleted, generated pages
        (repo / "site_src" / "assets" / "style.css").write_text("from an older build\n")
        (repo / "site_src" / "deleted.md").write_text("gone from the repository\n")
        (repo / "site_src" / "releases" / "2025" / "01" / "x").mkdir(parents=True)
        (repo / "site_src" / "releases" / "2025" / "01" / "x" / "index.md").write_text("generated\n")
        (repo / "site_src" / ".press-archive-manifest.json").write_text("{}\n")
        subprocess.run(["bash", "-e", "-c", steps[restore]["run"]], cwd=repo, check=True)
        assert (repo / "site_src" / "assets" / "style.css").read_text() == "committed\n"
        assert not (repo / "site_src" / "deleted.md").exists()
        assert (repo / "site_src" / "releases" / "2025" / "01" / "x" / "index.md").read_text() == "generated\n"
        assert (repo / "site_src" / ".press-archive-manifest.json").exists()
