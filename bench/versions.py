"""Two versions of the generator side by side: cold `press-archive generate` runs, alternating, on one corpus.

    python -m bench.versions BASE_COMMIT --records 20000 --rounds 3

BASE_COMMIT is checked out into a temporary git worktree; the other version is this
working tree as it is.  Each run starts cold (a fresh project folder, no cache, no output)
with the repository's settings, on a corpus made by ``bench.corpus``.  The runs alternate
(base, current, base, …) so that a busy machine weighs on both alike.  Printed and written
to ``bench/results/versions-<records>.json``: each run's wall time, peak memory (RSS) and
stage timings, the medians, and the ratio current / base.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CorpusMaker, write_dumps

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
SETTINGS = ("press-archive.yml", "mkdocs.yml")


def cold_generate(tree: Path, corpus: Path, scratch: Path) -> dict:
    """One cold run of the generator in ``tree`` over ``corpus``: wall time, peak RSS, stage timings."""
    project = scratch / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "data").mkdir(parents=True)
    for name in SETTINGS:
        shutil.copy(REPO / name, project / name)
    for vocabulary in (REPO / "data").glob("*.yml"):
        if vocabulary.name != "permalinks.yml":  # a cold run starts with no registry
            shutil.copy(vocabulary, project / "data" / vocabulary.name)
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "generate", str(corpus), "--timings"]
    log = scratch / "stderr.txt"
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as stderr:
        child = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)  # this run's own peak memory, not the largest child's so far
    seconds = time.perf_counter() - started
    errors = log.read_text(encoding="utf-8")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: generate failed:\n{errors}")
    stages_line = next(line for line in errors.splitlines() if "seconds per stage" in line)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "stages": json.loads(stages_line.split(": ", 2)[2]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the commit to compare with (e.g. main~3)")
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="press-archive-versions-") as folder:
        scratch = Path(folder)
        base_tree = scratch / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(base_tree), args.base], check=True,
                       capture_output=True)
        try:
            corpus = scratch / "corpus"
            write_dumps(CorpusMaker(1).records(args.records), corpus)
            runs: dict[str, list[dict]] = {"base": [], "current": []}
            for round_number in range(1, args.rounds + 1):
                for name, tree in (("base", base_tree), ("current", REPO)):
                    result = cold_generate(tree, corpus, scratch)
                    runs[name].append(result)
                    print(f"round {round_number} {name}: {result['seconds']} s, {result['peak_mb']} MB, "
                          f"render {result['stages'].get('render')} s",
                          flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_tree)], check=False)
    medians = {name: statistics.median(r["seconds"] for r in results) for name, results in runs.items()}
    render = {name: statistics.median(r["stages"]["render"] for r in results) for name, results in runs.items()}
    summary = {
        "base": args.base,
        "records": args.records,
        "runs": runs,
        "median_seconds": medians,
        "median_render_seconds": render,
        "ratio": round(medians["current"] / medians["base"], 3),
        "render_ratio": round(render["current"] / render["base"], 3),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"versions-{args.records}.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"current / base ({args.base}) at {args.records} records: {summary['ratio']}× "
          f"(median {medians['current']:.1f} s / {medians['base']:.1f} s); render {summary['render_ratio']}×")


if __name__ == "__main__":
    main()
