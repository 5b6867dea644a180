"""Both cores for stages that do the same work on each item alone (tagging a text, rendering a
page), and for work that can go on beside the rest of a stage (``Beside``: related releases).

The work is forked, not spawned: child processes inherit the stage's data (compiled
vocabularies, the catalog) as they are, and only the items and the results cross between
processes.  Where fork is not available, or the items are few, the work runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 400  # below this, starting processes costs more than it saves
CHUNK = 200
_work: Callable | None = None  # the function the forked processes call: they inherit it
_beside: Callable | None = None  # the same, for ``Beside``


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


class Beside(Generic[Result]):
    """``function()`` worked out in a forked process while this one goes on; ``result()`` waits
    for it.  Where fork is not available, there is one core, or ``worth`` is false (too little
    work to pay for a process), it is worked out here, at ``result()``.

    The child inherits everything as it is; only the result crosses back.  Whatever the
    function changes in memory stays in the child: it must be given all it needs and change
    nothing the caller reads later (files it writes are its own).
    """

    def __init__(self, function: Callable[[], Result], worth: bool = True) -> None:
        self._function = function
        self._pool: ProcessPoolExecutor | None = None
        if not worth or processes() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        global _beside
        _beside = function
        try:  # a pool in a fork context starts its process in submit: the global is inherited there
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._future = self._pool.submit(_call_beside)
        finally:
            _beside = None

    def __enter__(self) -> Beside[Result]:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """A caller that fails before ``result()`` leaves no process behind."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def result(self) -> Result:
        if self._pool is None:
            return self._function()
        try:
            return self._future.result()
        finally:
            self._pool.shutdown()


def _call_beside():
    assert _beside is not None
    return _beside()
