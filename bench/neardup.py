"""Time near-duplicate detection on a generated corpus, and check what it found.

    python -m bench.neardup 100000      # writes bench/results/neardup-100000.json

Reports the time to read, to fold exact copies and to find near-duplicates, peak memory,
the candidate pairs judged, and how many of the corpus's caption/full pairs were merged
(recall) and how many monthly look-alikes were wrongly merged.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CorpusMaker, write_dumps
from generator.config import load_config
from generator.dedupe import merge_exact_duplicates
from generator.neardup import merge_near_duplicates
from generator.overrides import Overrides
from generator.reader import read_inputs

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def text_key(text) -> tuple:
    """Title, date and body: the same for a synthetic record and the text read from it."""
    return (text.title, text.date, text.body)


def run(count: int) -> dict:
    config = load_config(REPO / "press-archive.yml").config
    records = CorpusMaker(seed=1).records(count)
    with tempfile.TemporaryDirectory() as folder:
        write_dumps(records, Path(folder))
        started = time.perf_counter()
        read = read_inputs([Path(folder)], config.dump, config.categories, config.default_category)
        read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    texts = merge_exact_duplicates(read.records)
    exact_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = merge_near_duplicates(texts, config.near_duplicates, Overrides())
    near_seconds = time.perf_counter() - started

    release_of = {text_key(text): release.id for release in result.releases for text in release.texts}
    groups_of_release: dict[str, set[int]] = {}
    for record in records:
        groups_of_release.setdefault(release_of[text_key(record)], set()).add(record.group)
    full_release = {r.group: release_of[text_key(r)] for r in records if r.kind == "release"}
    wrong = [rid for rid, groups in groups_of_release.items() if len(groups) > 1]
    for release in result.releases:
        if release.id in wrong:
            for variant in release.variants:
                print(f"false merge into {release.title[:60]!r}: {variant.text.title[:60]!r} {variant.reason}", file=sys.stderr)
    captions = [r for r in records if r.kind == "caption"]
    found = sum(release_of[text_key(c)] == full_release[c.group] for c in captions)
    return {
        "records": count,
        "texts": len(texts),
        "releases": len(result.releases),
        "merged_near_duplicates": len(result.merges),
        "near_misses": len(result.near_misses),
        "caption_pairs_in_corpus": len(captions),
        "caption_pairs_merged": found,
        "caption_recall": round(found / len(captions), 4) if captions else None,
        "releases_holding_two_real_releases": sum(len(g) > 1 for g in groups_of_release.values()),
        "monthly_lookalikes_in_corpus": sum(r.kind == "monthly" for r in records),
        "seconds": {"read": round(read_seconds, 2), "exact": round(exact_seconds, 2), "near_duplicates": round(near_seconds, 2)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=100_000)
    args = parser.parse_args()
    result = run(args.count)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"neardup-{args.count}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
