"""One run at a time per project: two runs at once would each read the permalink registry,
and the one that wrote it last would drop the other's new URLs.

The lock is an advisory lock (``flock``) on a file in the cache folder; the operating system
releases it when its process ends, however it ends, so a killed run never leaves it held.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path


LOCK_FILE = "run.lock"  # in the cache folder


class ProjectLock:
    """Held from before a run reads the registry until after it has written it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def acquire(self, on_wait: Callable[[str], None]) -> None:
        """Take the lock; if another run holds it, say so through ``on_wait`` and wait for it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Opened, never written: an unchanged run leaves every file of the project as it was.
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (held open while locked)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait(f"{self.path}: another press-archive run is working on this project; waiting for it to finish")
            fcntl.flock(self._file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
