"""What ``press-archive serve`` watches: the inputs and every file of settings the pages are made from.

Polling, not file-system events: it works the same on every system, in containers and on
network drives; a snapshot of 20,000 input files takes a few tens of milliseconds.  The
permalink registry and the output folder are left out: ``generate`` writes them itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Config
from .tagkinds import TAG_KINDS, TagKind

WATCH_INTERVAL = 1.0  # seconds between two looks at the watched files
WATCH_QUIET = 0.5  # seconds a change must rest before it is acted on: an editor's save, a copy of many files

Snapshot = dict[str, tuple[int, int]]  # path -> (modification time in ns, size); what changes when a file does


def watched_paths(
    config: Config, inputs: Iterable[Path], config_file: Path | None, templates: Path | None = None,
    kinds: Iterable[TagKind] = TAG_KINDS,
) -> list[Path]:
    """The input files and folders, the configuration, mkdocs.yml, the vocabularies (of each of
    ``kinds``), the duplicate overrides, the messages and the project's page templates
    (``templates``, if it has a theme folder)."""
    paths = [*inputs, config.resolve(config.mkdocs_config), *(kind.vocabulary_file(config) for kind in kinds)]
    paths.append(config.resolve(config.near_duplicates.overrides))
    if config.messages:
        paths.append(config.resolve(config.messages))
    if config_file is not None:
        paths.append(config_file)
    if templates is not None:
        paths.append(templates)
    return paths


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every file under ``paths`` with its modification time and size; a missing path is simply absent."""
    found: Snapshot = {}
    for path in paths:
        if path.is_dir():
            for folder, folders, files in os.walk(path):
                folders.sort()
                for name in sorted(files):
                    _add(found, os.path.join(folder, name))
        else:
            _add(found, str(path))
    return found


def _add(found: Snapshot, path: str) -> None:
    try:
        status = os.stat(path)
    except OSError:  # gone between the listing and the look, or never there: not a file to watch
        return
    found[path] = (status.st_mtime_ns, status.st_size)


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The files added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def follow_changes(
    running: Callable[[], bool], watched: Callable[[], list[Path]], on_change: Callable[[list[str]], None]
) -> None:
    """While ``running()``: when files under ``watched()`` change and the change has settled,
    ``on_change(the files changed)``; what is watched is asked again after each change."""
    paths = watched()
    before = snapshot(paths)
    while running():
        time.sleep(WATCH_INTERVAL)
        now = snapshot(paths)
        if not changed(before, now):
            continue
        while True:  # let the change settle
            time.sleep(WATCH_QUIET)
            settled = snapshot(paths)
            if not changed(now, settled):
                break
            now = settled
        on_change(changed(before, now))
        paths = watched()
        before = snapshot(paths)
