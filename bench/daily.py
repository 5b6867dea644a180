"""The daily loop: cold, no-op and one-new-release runs of `generate` and of `build`, as ratios in one run.

    python -m bench.daily                        # 1,000, 5,000 and 20,000 releases
    python -m bench.daily --sizes 1000 5000

For each size, in a project made as the tests make it (``bench.run.make_project``) reading a
generated corpus, each a separate process as a user runs it:

- ``press-archive generate``: cold (a new project: no output, no cache, no registry), then
  again on unchanged input (no-op), then after one new release in a dump of its own;
- ``press-archive build`` (generate, search index, ``mkdocs build --strict``): the same three,
  in a second new project;
- the floor (``bench.floor``: read the dumps, write one file per record) on the same input.

Each with its wall time and peak memory (the largest process, and the process tree with
Pagefind and MkDocs); the ratios no-op / cold and one release / cold, and cold generate /
floor.  Results in ``bench/results/daily-N.json``; the README's *Scale* section quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench.run import RESULTS, add_release, make_project, run_measured

SIZES = (1000, 5000, 20000)
LOOPS = ("cold", "no-op", "one release")


def daily_loop(root: Path, command: str, date: str) -> dict:
    """The three runs of ``command`` (generate or build) in the project at ``root``; the new
    release is dated ``date``, the day after the corpus' newest, as a new release is."""
    runs = {}
    for loop in LOOPS:
        if loop == "one release":
            add_release(root, "Ulsan", date)
        measured = run_measured([sys.executable, "-m", "generator", command], root)
        runs[loop] = {"seconds": measured.seconds, "peak_mb": measured.peak_mb, "tree_peak_mb": measured.tree_peak_mb}
    cold = runs["cold"]["seconds"]
    return {
        "runs": runs,
        "no-op / cold": round(runs["no-op"]["seconds"] / cold, 3),
        "one release / cold": round(runs["one release"]["seconds"] / cold, 3),
    }


def measure(releases: int, scratch: Path) -> dict:
    result: dict = {"releases": releases}
    for command in ("generate", "build"):
        root = scratch / command
        shutil.rmtree(root, ignore_errors=True)
        result |= make_project(root, releases)
        new_date = (dt.date.fromisoformat(result["newest_date"]) + dt.timedelta(days=1)).isoformat()
        result[command] = daily_loop(root, command, new_date)
    floor = run_measured([sys.executable, "-m", "bench.floor", str(scratch / "generate" / "data" / "releases"),
                          str(scratch / "floor")], Path.cwd())
    result["floor_seconds"] = floor.seconds
    result["cold generate / floor"] = round(result["generate"]["runs"]["cold"]["seconds"] / floor.seconds, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="releases in the corpus")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for releases in args.sizes:
        with tempfile.TemporaryDirectory(prefix="press-archive-daily-") as folder:
            result = measure(releases, Path(folder))
        (RESULTS / f"daily-{releases}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        for command in ("generate", "build"):
            runs = result[command]["runs"]
            print(
                f"{releases:>6} {command:<8} cold {runs['cold']['seconds']:7.1f} s ({runs['cold']['peak_mb']} MB, "
                f"tree {runs['cold']['tree_peak_mb']} MB); no-op {runs['no-op']['seconds']:.1f} s "
                f"({result[command]['no-op / cold']}×); one release {runs['one release']['seconds']:.1f} s "
                f"({result[command]['one release / cold']}×)",
                flush=True,
            )
        print(f"{releases:>6} cold generate / floor: {result['cold generate / floor']}× (floor {result['floor_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
