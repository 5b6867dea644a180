"""Shared helpers for the tests: the repository's paths and throw-away projects.

The tests do not read the repository's own settings (press-archive.yml, mkdocs.yml, the
vocabularies), which a site owner edits: they use a frozen copy of the MOTIE settings in
``tests/fixtures/motie/``, laid over projects made by ``press-archive new``.
The project maker lives in ``bench/project.py`` (the benchmarks make projects the same
way; bench imports nothing from tests) and is re-exported here.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import shutil
import signal
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from bench.project import MOTIE, MOTIE_FILES, REPO, SEED_FILES, SEEDS, Project, make_project, search_fragments
from generator.config import Config, load_config

__all__ = [
    "MOTIE", "MOTIE_FILES", "REPO", "SEED_FILES", "SEEDS", "Project", "make_project", "search_fragments",
    "motie_config", "ctrl_c_stops_it", "page",
]


def motie_config() -> Config:
    """The frozen MOTIE settings (paths in them resolve inside ``tests/fixtures/motie/``), with
    the cache in a temporary folder: a test never writes into the repository."""
    return dataclasses.replace(load_config(MOTIE / "press-archive.yml").config, cache=str(_scratch_cache()))


@functools.cache
def _scratch_cache() -> Path:
    folder = tempfile.mkdtemp(prefix="press-archive-test-cache-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def ctrl_c_stops_it() -> None:
    """For a child process the tests stop with SIGINT, as Ctrl-C does: a shell that runs the
    tests in the background (``make test &``) starts them with SIGINT ignored, and Python
    then never turns SIGINT into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML a built site serves at ``url`` (directory URLs)."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
