"""Generate realistic press-release dumps of any size, in the seeds' format.

Bodies are made of sentences from the bundled seed dumps, each with its numbers replaced
and about a fifth of its words swapped for others from the seeds' vocabulary, so releases
share phrasing the way one ministry's releases do without being copies.  The corpus has a
known share of exact copies (the same record in two dumps), caption/full pairs (the
caption's sentences are the full release's opening, lightly reworded, dated up to four
days apart) and monthly look-alikes (one statistics release re-issued every month with
new figures), over twenty years and every category.

    python -m bench.corpus 20000 /tmp/corpus             # 20,000 records in /tmp/corpus/dump-NNN.txt
    python -m bench.corpus 20000 /tmp/corpus --releases  # the records of 20,000 real releases
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "releases"
CATEGORIES = ("Industry", "Trade/Investment", "Energy")
EXACT_COPY_SHARE = 0.02
CAPTION_SHARE = 0.05
MONTHLY_SHARE = 0.05
RECORDS_PER_DUMP = 2000
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class SyntheticRecord:
    category: str | None
    title: str
    body: str
    date: dt.date
    kind: str  # "release", "copy", "caption", "monthly"
    group: int  # records of one real release share a group


def _seed_material() -> tuple[list[str], list[str], list[str]]:
    sentences, titles, vocabulary = [], [], set()
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for index, line in enumerate(lines):
            match = re.search(r"date\d{4}-\d{2}-\d{2}$", line)
            if match and index > 0:
                body = line[: match.start()].strip()
                sentences += [s for s in _SENTENCE.split(body) if len(s.split()) >= 6]
                titles.append(lines[index - 1])
                vocabulary.update(w for w in re.findall(r"[A-Za-z]{4,}", body))
    return sentences, titles, sorted(vocabulary)


class CorpusMaker:
    def __init__(self, seed: int = 1):
        self.random = random.Random(seed)
        self.sentences, self.titles, self.vocabulary = _seed_material()
        self.start = dt.date(2006, 1, 1)

    def sentence(self) -> str:
        words = _NUMBER.sub(lambda _m: str(self.random.randint(1, 999)), self.random.choice(self.sentences)).split()
        for i in range(len(words)):
            if self.random.random() < 0.2:
                words[i] = self.random.choice(self.vocabulary)
        return " ".join(words)

    def title(self) -> str:
        words = self.random.choice(self.titles).split()
        words[self.random.randrange(len(words))] = self.random.choice(self.vocabulary)
        return " ".join(words) + f" {self.random.randint(1, 99999)}"

    def body(self) -> str:
        text = " ".join(self.sentence() for _ in range(self.random.choice((3, 6, 12, 20, 30))))
        return text[:3900].rsplit(" ", 1)[0] if len(text) > 3900 else text  # cut like the seeds

    def date(self) -> dt.date:
        return self.start + dt.timedelta(days=self.random.randrange(20 * 365))

    def records(self, count: int) -> list[SyntheticRecord]:
        """``count`` records, shuffled."""
        return self._records(lambda records, _releases: records >= count)[:count]

    def records_for_releases(self, count: int) -> list[SyntheticRecord]:
        """The records of ``count`` real releases (with their exact copies and captions), shuffled."""
        return self._records(lambda _records, releases: releases >= count)

    def _records(self, done: Callable[[int, int], bool]) -> list[SyntheticRecord]:
        """Records until ``done(records, real releases)``; a caption or a copy is no release of its own."""
        records: list[SyntheticRecord] = []
        releases = 0
        while not done(len(records), releases):
            roll = self.random.random()
            category = self.random.choice(CATEGORIES) if self.random.random() < 0.7 else None
            group = len(records)
            base = SyntheticRecord(category, self.title(), self.body(), self.date(), "release", group)
            records.append(base)
            releases += 1
            if roll < EXACT_COPY_SHARE:
                records.append(SyntheticRecord(base.category, base.title, base.body, base.date, "copy", group))
            elif roll < EXACT_COPY_SHARE + CAPTION_SHARE:
                opening = " ".join(_SENTENCE.split(base.body)[:2]).replace(" today", f" on {base.date:%B} {base.date.day}")
                title = base.title if self.random.random() < 0.5 else self.title()
                shift = dt.timedelta(days=self.random.randint(-4, 4))
                records.append(SyntheticRecord(base.category, title, opening, base.date + shift, "caption", group))
            elif roll < EXACT_COPY_SHARE + CAPTION_SHARE + MONTHLY_SHARE:
                for month in range(1, 4):
                    if done(len(records), releases):
                        break
                    figures = _NUMBER.sub(lambda _m: str(self.random.randint(1, 999)), base.body)
                    records.append(SyntheticRecord(base.category, base.title, figures, base.date + dt.timedelta(days=30 * month), "monthly", group + month))
                    releases += 1
        self.random.shuffle(records)
        return records


def write_dumps(records: list[SyntheticRecord], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, start in enumerate(range(0, len(records), RECORDS_PER_DUMP)):
        lines = []
        for record in records[start : start + RECORDS_PER_DUMP]:
            lines.append("-")
            if record.category:
                lines.append(record.category)
            lines += [record.title, f"{record.body} date{record.date.isoformat()}"]
        path = out_dir / f"dump-{number:03d}.txt"
        path.write_text("\n".join(lines) + "\n-\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--releases", action="store_true", help="COUNT is real releases rather than records")
    args = parser.parse_args()
    maker = CorpusMaker(args.seed)
    records = maker.records_for_releases(args.count) if args.releases else maker.records(args.count)
    paths = write_dumps(records, args.out_dir)
    print(f"{len(records)} records in {len(paths)} dumps in {args.out_dir}")


if __name__ == "__main__":
    main()
