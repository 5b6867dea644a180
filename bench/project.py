"""Throw-away projects, made as the tests and the benchmarks both make them.

A project is made by ``press-archive new`` in a folder, with a frozen copy of the MOTIE
settings laid over it (``tests/fixtures/motie/``: data the tests were written against,
read here as files; bench imports nothing from tests), reading the bundled seeds or any
other input.  ``tests/helpers.py`` re-exports all of this.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config, load_config
from generator.generation import generate
from generator.report import Report
from generator.project import NewProject, create_project

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "releases"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
MOTIE = REPO / "tests" / "fixtures" / "motie"  # the MOTIE settings the tests were written against
MOTIE_FILES = (
    "press-archive.yml",
    "mkdocs.yml",
    "data/taxonomy.yml",
    "data/places.yml",
    "data/organizations.yml",
    "data/duplicates.yml",
)


@dataclass(frozen=True)
class Project:
    """A copy of the project's configuration in a temporary folder, reading ``inputs``."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "site_src"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def report(self) -> Path:
        return self.root / "build" / "report.json"

    @property
    def config_file(self) -> Path:
        return self.root / "press-archive.yml"

    def config(self) -> Config:
        return load_config(self.config_file).config

    def generate(self, inputs: list[Path] | None = None) -> Report:
        config = self.config()
        paths = inputs if inputs is not None else [config.resolve(p) for p in config.inputs]
        return generate(config, paths, self.docs, self.report)

    def cli(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Run ``python -m generator --config <copy> ARGS`` as a user would, with ``env`` added to a bare environment."""
        command = [sys.executable, "-m", "generator", "--config", str(self.config_file), *args]
        env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(self.root), **(env or {})}
        return subprocess.run(command, capture_output=True, text=True, cwd=self.root, env=env, check=False)


def make_project(root: Path, inputs: list[Path] | None = None) -> Project:
    """A project made by ``press-archive new`` in ``root``, with the frozen MOTIE settings laid over it.

    It reads ``inputs`` (copied to ``root/data/releases``), by default the bundled seeds.
    """
    create_project(NewProject(root, language="en", timezone="Asia/Seoul"))
    for name in MOTIE_FILES:
        shutil.copy(MOTIE / name, root / name)
    (root / "site_src").mkdir(exist_ok=True)  # MkDocs' docs_dir, for pages of one's own
    releases = root / "data" / "releases"
    shutil.rmtree(releases)  # the new project's sample
    releases.mkdir()
    for source in inputs if inputs is not None else SEED_FILES:
        shutil.copy(source, releases / source.name)
    return Project(root)


def search_fragments(folder: Path) -> dict[str, dict]:
    """Every release in the Pagefind index under ``folder`` (site_src or site): its fragment file → its data.

    A fragment is gzip-compressed JSON behind a ``pagefind_dcd`` signature: the release's URL
    (site-relative, from "/"), text, metadata (title, date …) and filters (category, tags …).
    """
    fragments = {}
    for path in sorted((folder / "search").glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragments[path.relative_to(folder).as_posix()] = json.loads(data[len(b"pagefind_dcd") :])
    return fragments
