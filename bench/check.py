"""The inner loop: wall time of `make check` (`pytest -q -m "not slow"`), against its 20 s target.

    python -m bench.check              # three runs, after one that warms the caches
    python -m bench.check --runs 5

Each run is a separate process, as `make check` starts it, collection included.  Runs are
measured as this environment has them, and again without ``PYTHONDONTWRITEBYTECODE`` (when
it is set, pytest rewrites every test module on each run).  Results in
``bench/results/check.json``; the README's *Tests* section quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
TARGET_SECONDS = 20.0
COMMAND = [sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider"]


def timed_run(env: dict[str, str]) -> tuple[float, str]:
    """One run's wall time and pytest's summary line; a failing run stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(COMMAND, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0:
        sys.exit(f"the fast tests failed (exit {done.returncode}): {summary}")
    return round(seconds, 2), summary


def measure(runs: int, env: dict[str, str]) -> dict:
    timed_run(env)  # warms the file system's and Python's caches, as an edit-test loop has them
    results = [timed_run(env) for _ in range(runs)]
    seconds = [s for s, _ in results]
    passed = re.search(r"(\d+) passed", results[-1][1])
    return {
        "runs_seconds": seconds,
        "median_seconds": statistics.median(seconds),
        "tests_passed": int(passed.group(1)) if passed else 0,
        "summary": results[-1][1],
        "median / target": round(statistics.median(seconds) / TARGET_SECONDS, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs in each environment")
    args = parser.parse_args()
    result: dict = {"target_seconds": TARGET_SECONDS, "cpus": os.cpu_count()}
    environments = {"as set": dict(os.environ)}
    if "PYTHONDONTWRITEBYTECODE" in os.environ:
        environments["bytecode written"] = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name, env in environments.items():
        result[name] = measure(args.runs, env)
        print(f"{name:>16}: median {result[name]['median_seconds']:.1f} s of {result[name]['runs_seconds']} "
              f"({result[name]['summary']}); {result[name]['median / target']}× the {TARGET_SECONDS:.0f} s target")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "check.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
