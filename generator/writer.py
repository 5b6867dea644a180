"""Writer stage: put the rendered files in the output folder, owning only what it wrote.

The generator keeps a manifest of its outputs (``.press-archive-manifest.json``, hidden
from MkDocs like every dot-file).  A run:

1. refuses to overwrite a file it does not own (an authored page), before writing anything;
2. records the paths it is about to write in a journal, so that a run killed half-way still
   owns whatever it had written when the next run starts;
3. writes each file atomically (temporary file + rename) and only when its content changed;
4. deletes the outputs of earlier runs that are no longer produced, and folders left empty;
5. writes the new manifest last and drops the journal.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .progress import Track

MANIFEST = ".press-archive-manifest.json"
JOURNAL = ".press-archive-journal.json"
TEMP_SUFFIX = ".press-archive-tmp"


class WriteError(Exception):
    """The output folder cannot be written as asked (an authored file in the way, a bad path)."""


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(out_dir: Path, files: Mapping[str, str], track: Track = iter) -> WriteResult:
    """Make ``out_dir`` hold exactly ``files`` (path → text) among the generator's outputs.

    A file whose content is already right is not touched, so a re-run on unchanged input
    writes nothing and leaves every modification time as it was (MkDocs' live reload and
    rsync-style uploads see no change).  ``track`` wraps the loop over files, for a progress bar.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    encoded = {path: text.encode("utf-8") for path, text in sorted(files.items())}
    targets = {path: _target(root, path) for path in encoded}
    _remove_temporaries(root)
    owned = _owned_paths(root)
    stale = {path: _target(root, path) for path in sorted(owned - set(encoded))}
    _refuse_symbolic_links(root, [*targets.values(), *stale.values()])
    conflicts = [p for p, target in targets.items() if p not in owned and target.exists()]
    if conflicts:
        listed = ", ".join(conflicts[:5]) + (" …" if len(conflicts) > 5 else "")
        raise WriteError(
            f"{out_dir}: will not overwrite files the generator did not create: {listed}. "
            "Move or rename them (authored pages must not use generated paths)."
        )
    if set(encoded) - owned:  # files an earlier run did not write: own them before writing them
        _atomic_write(root / JOURNAL, json.dumps(sorted(owned | set(encoded))).encode("utf-8"))
    written, unchanged = [], []
    for path, data in track(encoded.items()):
        target = targets[path]
        if _holds(target, data):
            unchanged.append(path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
        written.append(path)
    deleted = []
    for path, target in stale.items():
        if target.is_file():
            target.unlink()
            deleted.append(path)
            _remove_empty_parents(root, target.parent)
    manifest = {"generator": "press-archive", "files": {p: digest(d) for p, d in encoded.items()}}
    manifest_data = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    if not _holds(root / MANIFEST, manifest_data):
        _atomic_write(root / MANIFEST, manifest_data)
    (root / JOURNAL).unlink(missing_ok=True)
    return WriteResult(tuple(written), tuple(unchanged), tuple(deleted))


def _owned_paths(root: Path) -> set[str]:
    """Paths an earlier run wrote: its manifest, plus the journal of a run that did not finish."""
    owned: set[str] = set()
    manifest = _read_json(root / MANIFEST)
    if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict):
        owned |= {p for p in manifest["files"] if isinstance(p, str)}
    journal = _read_json(root / JOURNAL)
    if isinstance(journal, list):
        owned |= {p for p in journal if isinstance(p, str)}
    return owned


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise WriteError(f"{path}: unreadable ({error}); delete it to start the output folder afresh") from error


def _target(root: Path, path: str) -> Path:
    """The file for a generated path, refusing anything that would land outside ``root``."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return root.joinpath(*pure.parts)


def _refuse_symbolic_links(root: Path, targets) -> None:
    """A symbolic link inside the output folder could lead a write out of it; each folder is looked at once."""
    checked: set[Path] = {root}
    for target in targets:
        if target.is_symlink():
            raise WriteError(f"refusing to write through a symbolic link: {target}")
        folder = target.parent
        while folder not in checked:
            if folder.is_symlink():
                raise WriteError(f"refusing to write through a symbolic link: {folder}")
            checked.add(folder)
            folder = folder.parent


def atomic_write_text(target: Path, text: str) -> bool:
    """Write a file outside the output folder (e.g. the permalink registry) atomically, if its text changed."""
    data = text.encode("utf-8")
    if _holds(target, data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(target, data)
    return True


def _holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` is a file with exactly ``data`` (its size is looked at first)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _atomic_write(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}{TEMP_SUFFIX}")
    # No fsync: the rename protects against a killed run, which is the failure that matters
    # here; syncing each of thousands of pages would cost more than the whole build.
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_temporaries(root: Path) -> None:
    for leftover in root.rglob(f".*{TEMP_SUFFIX}"):
        leftover.unlink()


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
