"""A run killed at any moment leaves every page whole (the old or the new version), and the
next run repairs the output folder to exactly what an uninterrupted run writes.

The sweep stops the writer at each of its filesystem changes in turn, in-process (no
cleanup code runs when ``Killed`` is raised: the writer has no ``finally`` that writes);
the last test kills a real ``press-archive generate`` process with SIGKILL.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import CorpusMaker, write_dumps
from generator import writer
from generator.config import read_site_identity
from generator.pipeline import collect, render_site
from generator.writer import JOURNAL, MANIFEST, TEMP_SUFFIX, FileCopy, write_outputs
from tests.helpers import SEED_FILES, make_project, motie_config

pytestmark = pytest.mark.slow  # real processes generating a corpus, killed and run again

AUTHORED = {"about.md": b"# About\n\nWritten by hand.\n", "assets/extra.css": b"body { color: black; }\n"}


class Killed(BaseException):
    """The process dies here."""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def visible(files: dict[str, bytes]) -> dict[str, bytes]:
    """What MkDocs reads: it skips dot-files (the manifest, the journal, temporaries)."""
    return {p: d for p, d in files.items() if not any(part.startswith(".") for part in p.split("/"))}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """The seeds' pages from three dumps (the site before) and from all five (the site after)."""
    config = motie_config()
    before = render_site(*_catalog_and_identity(config, SEED_FILES[:3]), config)
    after = render_site(*_catalog_and_identity(config, SEED_FILES), config)
    index = tmp_path_factory.mktemp("index")  # files copied in as the search index's are
    for number in range(3):
        (index / f"{number}.bin").write_bytes(bytes(range(256)) * (number + 1))
        after[f"search/shard/fragment/{number}.bin"] = FileCopy(index / f"{number}.bin")
    start = tmp_path_factory.mktemp("before")
    for path, data in AUTHORED.items():
        (start / path).parent.mkdir(parents=True, exist_ok=True)
        (start / path).write_bytes(data)
    write_outputs(start, before)
    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(start, clean, dirs_exist_ok=True)
    write_outputs(clean, after)
    return start, after, snapshot(start), snapshot(clean)


def _catalog_and_identity(config, inputs):
    return collect(config, list(inputs)).catalog, read_site_identity(config.resolve(config.mkdocs_config))


def kill_at(monkeypatch, point: int | None) -> itertools.count:
    """Count every filesystem change the writer makes, raising ``Killed`` at change number ``point``.

    A write killed mid-way leaves half of its bytes behind.
    """
    changes = itertools.count(1)
    write_bytes, replace, unlink, rmdir, mkdir = Path.write_bytes, os.replace, Path.unlink, Path.rmdir, Path.mkdir

    def dying_write(self, data):
        if next(changes) == point:
            write_bytes(self, data[: len(data) // 2])
            raise Killed
        return write_bytes(self, data)

    def dying(function):
        def change(*args, **kwargs):
            if next(changes) == point:
                raise Killed
            return function(*args, **kwargs)

        return change

    monkeypatch.setattr(Path, "write_bytes", dying_write)
    monkeypatch.setattr(writer.os, "replace", dying(replace))
    monkeypatch.setattr(Path, "unlink", dying(unlink))
    monkeypatch.setattr(Path, "rmdir", dying(rmdir))
    monkeypatch.setattr(Path, "mkdir", dying(mkdir))
    return changes


def test_killed_at_every_kind_of_moment_leaves_whole_pages_and_the_next_run_repairs(two_sites, tmp_path, monkeypatch):
    start, after, before_files, clean_files = two_sites
    with monkeypatch.context() as counting:
        changes = kill_at(counting, None)
        probe = tmp_path / "probe"
        shutil.copytree(start, probe)
        write_outputs(probe, after)
        total = next(changes) - 1
    assert total > 100  # journal, temporaries, renames, folders, deletions, manifest
    points = sorted({*range(1, 12), *range(12, total - 10, 7), *range(total - 10, total + 1)})
    for point in points:
        out = tmp_path / f"run-{point}"
        shutil.copytree(start, out)
        with monkeypatch.context() as dying:
            kill_at(dying, point)
            with pytest.raises(Killed):
                write_outputs(out, after)
        left = visible(snapshot(out))
        for path, data in left.items():
            assert data in (before_files.get(path), clean_files.get(path)), f"killed at change {point}: {path} is neither version"
        assert {p: left[p] for p in AUTHORED} == AUTHORED
        write_outputs(out, after)  # the next run
        assert snapshot(out) == clean_files, f"killed at change {point}: the next run did not repair the folder"
    assert not list(start.rglob(f"*{TEMP_SUFFIX}"))


def test_a_real_process_killed_while_writing_is_repaired_by_the_next_run(tmp_path):
    corpus = write_dumps(CorpusMaker(seed=5).records(500), tmp_path / "corpus")
    project = make_project(tmp_path / "project", inputs=corpus)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project.root)}
    command = [sys.executable, "-m", "generator", "--config", str(project.config_file), "generate"]
    process = subprocess.Popen(command, cwd=project.root, env=env, stderr=subprocess.DEVNULL)
    journal = project.docs / JOURNAL
    deadline = time.monotonic() + 120
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.02)  # into the writing of the pages
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert journal.exists() and not (project.docs / MANIFEST).exists()
    half_done = visible(snapshot(project.docs))
    assert subprocess.run(command, cwd=project.root, env=env, capture_output=True).returncode == 0
    repaired = snapshot(project.docs)
    assert all(half_done[p] == repaired[p] for p in half_done if p in repaired), "a page was left half-written"
    assert set(half_done) <= set(repaired)

    # An uninterrupted run, from the same search index: Pagefind's files are not byte-for-byte
    # repeatable (its filter files follow a hash map's order), so the fresh run reads the cache.
    fresh = make_project(tmp_path / "fresh", inputs=corpus)
    config = fresh.config_file.read_text(encoding="utf-8")
    fresh.config_file.write_text(config.replace("cache: build/cache", f"cache: {project.root / 'build' / 'cache'}"), encoding="utf-8")
    assert subprocess.run([*command[:4], str(fresh.config_file), "generate"], cwd=fresh.root, env=env,
                          capture_output=True).returncode == 0
    assert repaired == snapshot(fresh.docs)
