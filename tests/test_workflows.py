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
    assert "--strict" in (REPO / "generator" / "cli.py").read_text()  # make site -> press-archive build -> mkdocs --strict
    deploy = pages["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_ci_script_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make site" in readme
    assert "\nmake test" in ci
