"""Pagefind, run by the search stage: the binary, one shard indexed into the cache, the cache
checked and pruned, and an index copied into a site a builder has built.

What is indexed, in which shards, is ``search``'s business; this module only runs Pagefind
on a shard's documents and keeps what the search page uses of its bundle.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import memo, urls
from .writer import FileCopy, scan_folder

if TYPE_CHECKING:
    from .search import SearchIndex, ShardDocuments

# Files of Pagefind's bundle the search page uses; its own UIs (pagefind-ui.js …) are left out.
_RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
_INDEX_FOLDERS = ("index", "filter", "fragment")



class SearchError(Exception):
    """The search index could not be built (Pagefind missing or failing)."""



def pagefind_executable() -> Path:
    try:
        import pagefind_bin
    except ImportError:
        raise SearchError("the Pagefind binary is missing: pip install 'pagefind[bin]'") from None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError as error:
        raise SearchError(f"the Pagefind binary is missing ({error}): pip install 'pagefind[bin]'") from None


def pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        raise SearchError("the Pagefind binary is missing: pip install 'pagefind[bin]'") from None


@dataclass(frozen=True)
class IndexedShard:
    files: tuple[str, ...]  # the bundle's files, as the cache holds them
    seconds: float  # how long Pagefind took


def publish(index: SearchIndex, site_dir: Path, state: Path | None = None) -> None:
    """Make a built site's shard folders (``site/search/<shard>/``) hold exactly the index's files.

    For a builder that ran while Pagefind indexed: it published the search page, and the
    shards the output folder held then (an earlier run's, or none).  Only files whose bytes
    differ are copied; shard folders the index no longer has are removed.  ``state`` keeps,
    for each file copied, its source (a shard in the cache, never changed once indexed) and
    the size and time the copy was left with: a file still so is not read again.
    """
    target_root = site_dir / urls.search_file("")
    shards: dict[str, dict[str, Path]] = {}
    for path, content in index.files.items():
        if isinstance(content, FileCopy):
            shard, name = path.removeprefix(urls.search_file("")).split("/", 1)
            shards.setdefault(shard, {})[name] = Path(content.source)
    if target_root.is_dir():
        for folder in target_root.iterdir():
            if folder.is_dir() and folder.name not in shards:
                shutil.rmtree(folder)
    loaded = memo.load(state) if state is not None else None
    copied: dict[str, tuple[str, int, int]] = loaded if isinstance(loaded, dict) else {}
    found = scan_folder(target_root).files
    kept: dict[str, tuple[str, int, int]] = {}
    for shard, files in shards.items():
        folder = target_root / shard
        for old in sorted(path for path in found if path.startswith(f"{shard}/") and path.removeprefix(f"{shard}/") not in files):
            (target_root / old).unlink()
        for name, source in files.items():
            relative, target = f"{shard}/{name}", folder / name
            if relative in found and copied.get(relative) == (str(source), *found[relative]):
                kept[relative] = copied[relative]
                continue
            data = source.read_bytes()
            if not (found.get(relative, (-1,))[0] == len(data) and target.read_bytes() == data):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            stat = target.stat()
            kept[relative] = (str(source), stat.st_size, stat.st_mtime_ns)
    if state is not None and kept != copied:
        memo.dump(state, kept)


def index_shard(executable: Path, shard: ShardDocuments, cache: Path) -> IndexedShard:
    """Index one shard with Pagefind into ``cache/<fingerprint>``, keeping only the files the search page uses.

    The bundle is built in a temporary folder beside its final place and renamed into it:
    a run killed half-way leaves no half-built shard under a fingerprint.
    """
    started = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{shard.fingerprint}-", dir=cache) as work:
        site, bundle = Path(work) / "site", Path(work) / "bundle"
        for path, document in shard.documents.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=_pagefind_environment())
        if done.returncode != 0:
            message = " ".join((done.stderr or done.stdout).split())[:500]
            raise SearchError(f"Pagefind failed on search shard {shard.shard.name} (exit {done.returncode}): {message}")
        _keep_used_files(bundle)
        listing = {p.relative_to(bundle).as_posix(): p.stat().st_size for p in sorted(bundle.rglob("*")) if p.is_file()}
        final = cache / shard.fingerprint
        shutil.rmtree(final, ignore_errors=True)  # a damaged earlier copy
        os.replace(bundle, final)
        # The listing is written last: a shard is used only with its listing, and all of the files it lists.
        (Path(work) / "listing.json").write_text(json.dumps(listing, indent=0), encoding="utf-8")
        os.replace(Path(work) / "listing.json", cache / f"{shard.fingerprint}.json")
    return IndexedShard(tuple(sorted(listing)), time.perf_counter() - started)


def cached_files(cache: Path, fingerprint: str) -> dict[str, memo.FileState] | None:
    """The files of a shard in the cache, with their sizes and modification times, if it is
    there whole (every file its listing names, at its size); else None.

    A shard that is not whole (a cache folder partly deleted) is indexed again: the cache is
    only ever a shortcut.
    """
    try:
        listing = json.loads((cache / f"{fingerprint}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no listing, or a damaged one: not in the cache
        return None
    if not isinstance(listing, dict) or not listing:
        return None
    found = scan_folder(cache / fingerprint).files  # one walk: a shard is thousands of files
    if not all(isinstance(name, str) and (found.get(name) or (None,))[0] == size for name, size in listing.items()):
        return None
    return {name: found[name] for name in sorted(listing)}


def _pagefind_environment() -> dict[str, str]:
    """Pagefind reads PAGEFIND_* variables as options: none of the caller's may change the index."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}


def _keep_used_files(bundle: Path) -> None:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = list(entry["languages"].values())
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise SearchError(f"{bundle}: Pagefind wrote no usable pagefind-entry.json ({error})") from error
    # A language Pagefind has no stemmer for uses its "unknown" WebAssembly (as pagefind.js does).
    wasm = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind" for language in languages}
    for path in bundle.iterdir():
        keep = path.name in _RUNTIME or path.name in wasm or path.suffix == ".pf_meta" or path.name in _INDEX_FOLDERS
        if not keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def prune_cache(cache: Path, keep: set[str]) -> None:
    """Drop cached shards this run does not use, and work folders of runs that were killed."""
    if not cache.is_dir():
        return
    for path in cache.iterdir():
        if path.name.removesuffix(".json") in keep:
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
