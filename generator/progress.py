"""How long each stage of a run takes, and progress bars while it runs.

Bars go to standard error only when it is a terminal, and only for a stage that lasts
more than a second: a run in CI, in a pipe or on the bundled seeds prints none.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

STAGES = ("check", "parse", "dedupe", "classify", "place", "search", "render", "write")
Item = TypeVar("Item")
# What a stage's loop is passed through: ``iter`` by default, a progress bar on a terminal.
Track = Callable[[Iterable], Iterable]


class Stages:
    """Times the pipeline's stages; ``track`` shows a bar over a stage's items when ``show`` is true."""

    def __init__(self, show: bool = False, delay: float = 1.0) -> None:
        self.show = show
        self.delay = delay  # seconds a stage runs before its bar appears
        self.seconds: dict[str, float] = {}
        self._current = ""

    @classmethod
    def for_terminal(cls) -> Stages:
        return cls(show=sys.stderr.isatty())

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._current = name
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def in_order(self) -> dict[str, float]:
        """Seconds per stage, in the pipeline's order (``STAGES``): stages take turns (this core
        places the releases while the other works out related ones), so the order they first
        ran in is not it."""
        known = {name: self.seconds[name] for name in STAGES if name in self.seconds}
        return {**known, **{name: seconds for name, seconds in self.seconds.items() if name not in known}}

    def track(self, items: Iterable[Item], unit: str = "item") -> Iterable[Item]:
        if not self.show:
            return items
        return tqdm(items, desc=self._current, unit=f" {unit}", delay=self.delay, leave=False, file=sys.stderr, dynamic_ncols=True)
