"""The floor the generator is measured against: read the dumps, write one file per record.

    python -m bench.floor DUMPS_DIR OUT_DIR

No parsing beyond splitting on separator lines, no checks, no deduplication, no
classification, no index pages: the least any tool turning N records into N pages must do.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def write_one_file_per_record(dumps: Path, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for dump in sorted(dumps.glob("*.txt")):
        for record in dump.read_text(encoding="utf-8").split("\n-\n"):
            if record.strip("-\n "):
                (out_dir / f"{count}.md").write_text(record, encoding="utf-8")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dumps", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    count = write_one_file_per_record(args.dumps, args.out_dir)
    print(f"{count} records written in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
