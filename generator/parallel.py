"""Both cores for stages that do the same work on each item alone (tagging a text, rendering a page).

The work is forked, not spawned: child processes inherit the stage's data (compiled
vocabularies, the catalog) as they are, and only the items and the results cross between
processes.  Where fork is not available, or the items are few, the work runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 400  # below this, starting processes costs more than it saves
CHUNK = 200
_work: Callable | None = None  # the function the forked processes call: they inherit it


def processes() -> int:
    """Processes to work in: one per core this process may use, two at most (memory: each is a copy)."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(available, 2)


def map_items(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """``[function(item) for item in items]``, on every core when there are enough items."""
    workers = processes()
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _work
    _work = function
    try:
        chunks = [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for chunk in pool.map(_call, chunks) for result in chunk]
    finally:
        _work = None


def _call(chunk: Sequence) -> list:
    assert _work is not None
    return [_work(item) for item in chunk]
