"""The two builders side by side on one corpus, and what the page layout costs a build.

    python -m bench.builders                          # 1,000 and 5,000 releases
    python -m bench.builders --sizes 5000 --before af7ab71

For each size, a corpus from ``bench.corpus`` is generated once; then ``mkdocs build
--strict`` and ``zensical build --strict`` each build it from nothing (no site, no
Zensical cache), alternating ``--repeats`` times (medians): seconds, peak memory of the
process tree, site size, and every link of every page checked (``bench/linkcheck``).
With ``--before COMMIT``, that commit's generator (checked out in a temporary worktree)
also generates the same corpus with its own mkdocs.yml, and its builds alternate with
this one's: what changing the layout costs or saves, as ratios from the same run.

Results: ``bench/results/builders-N.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from bench.run import ENV, REPO, RESULTS, dir_size_mb, make_project, run_measured
from bench.linkcheck import check_site

BUILDERS = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
    "zensical": [sys.executable, "-m", "zensical", "build", "--strict"],
}


def generate(root: Path, repo: Path) -> float:
    env_repo = {**ENV, "PYTHONPATH": str(repo)}
    command = [sys.executable, "-m", "generator", "generate"]
    process = subprocess.run(command, cwd=root, env=env_repo, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        raise SystemExit(f"generate failed in {root}:\n{process.stderr[-3000:]}")
    return len(list((root / "site_src").rglob("*.md")))


def build(root: Path, builder: str) -> dict:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    measured = run_measured(BUILDERS[builder], root)
    return {"seconds": measured.seconds, "tree_peak_mb": measured.tree_peak_mb}


def links(site: Path) -> dict:
    report = check_site(site, "/", "http://127.0.0.1:8000/")
    return {"pages": report.pages, "links": report.links, "broken": len(report.broken)}


def measure(releases: int, repeats: int, before: str | None) -> dict:
    result: dict = {"releases_asked": releases}
    with tempfile.TemporaryDirectory(prefix=f"press-archive-builders-{releases}-") as folder:
        root = Path(folder)
        layouts = {"now": root / "now"}
        result["corpus"] = make_project(layouts["now"], releases)
        result["pages"] = generate(layouts["now"], REPO)
        worktree = root / "before-repo"
        if before:
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(worktree), before], check=True, capture_output=True)
            try:
                layouts["before"] = then = root / "before"
                shutil.copytree(layouts["now"], then, ignore=shutil.ignore_patterns("site", "site_src", "build", ".cache"))
                shutil.copytree(REPO / "site_src" / "assets", then / "site_src" / "assets")
                shutil.copy(worktree / "mkdocs.yml", then / "mkdocs.yml")
                generate(then, worktree)
            finally:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=True)
        # Every build alternates with the others, so that a slower minute of the machine
        # falls on all of them alike.
        runs: dict[tuple[str, str], list[dict]] = {(layout, name): [] for layout in layouts for name in BUILDERS}
        checked: dict[tuple[str, str], dict] = {}
        for repeat in range(repeats):
            for layout, project in layouts.items():
                for name in BUILDERS:
                    runs[layout, name].append(build(project, name))
                    if repeat == 0:
                        checked[layout, name] = {**links(project / "site"), "site_mb": dir_size_mb(project / "site")}
        for layout in layouts:
            result[layout] = {
                name: {
                    "seconds": median(r["seconds"] for r in runs[layout, name]),
                    "all_seconds": [r["seconds"] for r in runs[layout, name]],
                    "tree_peak_mb": max(r["tree_peak_mb"] for r in runs[layout, name]),
                    **checked[layout, name],
                }
                for name in BUILDERS
            }
        if before:
            result["before"]["commit"] = before
            result["now_vs_before"] = {
                name: round(result["now"][name]["seconds"] / result["before"][name]["seconds"], 3) for name in BUILDERS
            }
    result["zensical_vs_mkdocs"] = round(result["now"]["zensical"]["seconds"] / result["now"]["mkdocs"]["seconds"], 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", metavar="COMMIT", help="also build the layout this commit generated")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        print(f"bench.builders: {size:,} releases …", file=sys.stderr)
        result = measure(size, args.repeats, args.before)
        (RESULTS / f"builders-{size}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
