"""Writer stage: put the rendered files in the output folder, owning only what it wrote.

The generator keeps a manifest of its outputs (``.press-archive-manifest.json``, hidden
from MkDocs like every dot-file).  A run:

1. refuses to overwrite a file it does not own (an authored page), before writing any file
   of the batch (the pages; then the search index) it belongs to;
2. records the paths it is about to write in a journal, so that a run killed half-way still
   owns whatever it had written when the next run starts;
3. writes each file atomically (temporary file + rename) and only when its content changed;
   with ``states`` (a file in the cache folder) a file whose size and modification time
   are as the last run left it is known by the digest it had then, without reading it;
4. deletes the outputs of earlier runs that are no longer produced, and folders left empty;
5. writes the new manifest last and drops the journal.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import memo
from .progress import Track

MANIFEST = ".press-archive-manifest.json"
JOURNAL = ".press-archive-journal.json"
TEMP_SUFFIX = ".press-archive-tmp"


class WriteError(Exception):
    """The output folder cannot be written as asked (an authored file in the way, a bad path)."""


@dataclass(frozen=True)
class FileCopy:
    """A generated file whose content is another file's: the search index, built in the cache.

    Its bytes are read only when they are compared and written, one file at a time, so an
    index of tens of thousands of files never has to be held in memory.
    """

    source: str | Path  # text, where tens of thousands are made at once: a Path each costs a tenth of a second
    state: memo.FileState | None = None  # the source's size and modification time, when the caller has looked


@dataclass(frozen=True)
class Kept:
    """A generated file left as it is: the file there holds this content (``OutputWriter.known_digest``)."""

    digest: str


@dataclass(frozen=True)
class Deferred:
    """A generated file made only as it is written (``make()`` gives its text, or its bytes
    in UTF-8): the pages of a whole archive (hundreds of MB of text at 20,000 releases) are
    never held at once."""

    make: Callable[[], str | bytes]


Page = str | Kept | Deferred  # a page's content: its text, the file left as it is, or its text made when written
Content = Page | FileCopy
FileState = tuple[int, int, str]  # size, modification time in nanoseconds, digest of the content


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(out_dir: Path, files: Mapping[str, Content], track: Track = iter) -> WriteResult:
    """Make ``out_dir`` hold exactly ``files`` (path → text, or a file to copy) among the generator's outputs.

    A file whose content is already right is not touched, so a re-run on unchanged input
    writes nothing and leaves every modification time as it was (MkDocs' live reload and
    rsync-style uploads see no change).  ``track`` wraps the loop over files, for a progress bar.
    """
    writer = OutputWriter(out_dir, track)
    writer.write(files)
    return writer.finish()


class OutputWriter:
    """The output folder as one run writes it: in batches, then finished.

    A run writes its pages while Pagefind still indexes, and the index when it is ready.
    Each batch is checked (no authored file overwritten, no symbolic link followed) and
    journaled before any of its files is written.  ``sweep`` deletes the stale files no
    later batch can write; ``finish`` deletes the rest and writes the manifest, once every
    batch is in.
    """

    def __init__(
        self, out_dir: Path, track: Track = iter, adopt: bool = False, states: Path | None = None,
        found: FolderScan | None = None,
    ) -> None:
        """``adopt``: the manifest is lost or damaged; take over any file at a path this run
        generates (it is overwritten, and listed in a new manifest).  ``states``: where the
        size, modification time and digest of each output are kept from one run to the next.
        ``found``: the output folder as the caller has just looked at it (``scan_folder`` of
        the resolved folder, e.g. in another process); by default the writer looks itself."""
        out_dir.mkdir(parents=True, exist_ok=True)
        self.states_file = states
        known = memo.load(states) if states is not None and not adopt else None
        valid = isinstance(known, tuple) and len(known) == 2 and all(isinstance(k, dict) for k in known)
        self.states: dict[str, FileState] = known[0] if valid else {}
        # a copied file's source, as it was when copied: size and modification time
        self.copied_from: dict[str, tuple[str, int, int]] = known[1] if valid else {}
        self.copies: dict[str, tuple[str, int, int]] = {}
        self.out_dir = out_dir
        self.root = out_dir.resolve()
        self._root_text = str(self.root)
        self.track = track
        self.adopt = adopt
        # The folder is looked at once, here: at 40,000 outputs, a stat per file per question
        # (is it there, is it a link, is it as the last run left it) cost seconds.
        self.found = found if found is not None else scan_folder(self.root)
        for path in [p for p in self.found.files if p.rsplit("/", 1)[-1].startswith(".") and p.endswith(TEMP_SUFFIX)]:
            os.unlink(os.path.join(self._root_text, path))  # left by a killed run
            del self.found.files[path]
        self.owned = set() if adopt else _owned_paths(self.root)
        # A run killed between making a folder and renaming a file into it left the folder empty.
        for path in sorted(self.owned - self.found.files.keys()):
            _remove_empty_parents(self.root, _target(self.root, path).parent)
        self.journaled = set(self.owned)  # paths this run or an earlier one owns in writing
        self.digests: dict[str, str] = {}
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self.deleted: list[str] = []

    def write(self, files: Mapping[str, Content]) -> None:
        ordered = dict(sorted(files.items()))  # each text is encoded as it is written: all of them at once are hundreds of MB
        for path in ordered:
            if not _is_plain(path):
                _target(self.root, path)  # refuses a path out of the folder before anything is written
        self._refuse_symbolic_links(ordered)
        conflicts = [
            p for p in ordered if p not in self.journaled and _target(self.root, p).exists() and not self.adopt
        ]
        if conflicts:
            listed = ", ".join(conflicts[:5]) + (" …" if len(conflicts) > 5 else "")
            raise WriteError(
                f"{self.out_dir}: will not overwrite files the generator did not create: {listed}. "
                "Move or rename them (authored pages must not use generated paths), or, if the generator did "
                "create them and its manifest is lost, run again with --adopt."
            )
        if set(ordered) - self.journaled:  # files no run has written yet: own them before writing them
            self.journaled |= set(ordered)
            _atomic_write(self.root / JOURNAL, json.dumps(sorted(self.journaled)).encode("utf-8"))
        for path, text in self.track(ordered.items()):
            content = _encoded(text)
            if isinstance(content, Kept):
                if self.known_digest(path) != content.digest:
                    raise WriteError(f"{_target(self.root, path)}: changed since it was found unchanged; run again")
                self.digests[path] = content.digest
                self.unchanged.append(path)
                continue
            if isinstance(content, FileCopy):
                self.copies[path] = (str(content.source), *(content.state or _file_state(content.source)))
                known = self.known_digest(path)
                if known is not None and self.copied_from.get(path) == self.copies[path]:
                    self.digests[path] = known  # the same source, not touched since it was copied
                    self.unchanged.append(path)
                    continue
            data = Path(content.source).read_bytes() if isinstance(content, FileCopy) else content
            self.digests[path] = digest(data)
            target = _target(self.root, path)
            if self.known_digest(path) == self.digests[path] or _holds(target, data):
                self.unchanged.append(path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, data)
            self.found.files[path] = _file_state(target)
            self.written.append(path)

    def sweep(self, still_to_come: Callable[[str], bool] = lambda path: False) -> None:
        """Delete the outputs of earlier runs that this one has not written, except those a later batch may write.

        A builder that runs between two batches must not see a page this run dropped (a
        release merged into another leaves a redirect at another path, not an overwrite).
        """
        stale = {
            path: _target(self.root, path)
            for path in sorted(self.owned - set(self.digests))
            if not still_to_come(path)
        }
        self._refuse_symbolic_links(stale)
        for path, target in stale.items():
            if target.is_file():
                target.unlink()
                self.found.files.pop(path, None)
                self.deleted.append(path)
                _remove_empty_parents(self.root, target.parent)
        self.owned -= set(stale)

    def known_digest(self, path: str) -> str | None:
        """The digest of the output at ``path`` if it is as the last run left it (same size and
        modification time), without reading it; None when that cannot be told."""
        known = self.states.get(path)
        if known is None:
            return None
        return known[2] if self.found.files.get(path) == known[:2] else None

    def source_states(self) -> dict[str, memo.FileState]:
        """Size and modification time of the source of each file this run's batches copied, as
        looked at when it was copied (sources are never changed by copying them)."""
        return {source: (size, modified) for source, size, modified in self.copies.values()}

    def file_states(self) -> dict[str, memo.FileState]:
        """Size and modification time of each file this run's batches hold, as they were left."""
        return {f"{self._root_text}/{path}": self.found.files[path] for path in self.digests if path in self.found.files}

    def _refuse_symbolic_links(self, paths: Iterable[str]) -> None:
        """A symbolic link inside the output folder could lead a write out of it."""
        if not self.found.links:
            return
        for path in paths:
            parts = path.split("/")
            for end in range(len(parts), 0, -1):
                if "/".join(parts[:end]) in self.found.links:
                    raise WriteError(f"refusing to write through a symbolic link: {self.root.joinpath(*parts[:end])}")

    def finish(self) -> WriteResult:
        """Delete the outputs of earlier runs that this one did not write, then write the manifest."""
        self.sweep()
        manifest = {"generator": "press-archive", "files": self.digests}
        # One line: with an indent, json's pure-Python encoder takes a tenth of a second at 43,000 outputs
        manifest_data = (json.dumps(manifest, sort_keys=True) + "\n").encode("utf-8")
        if not _holds(self.root / MANIFEST, manifest_data):
            _atomic_write(self.root / MANIFEST, manifest_data)
        (self.root / JOURNAL).unlink(missing_ok=True)
        if self.states_file is not None:
            self._keep_states()
        return WriteResult(tuple(self.written), tuple(self.unchanged), tuple(self.deleted))

    def _keep_states(self) -> None:
        states: dict[str, FileState] = {
            path: (*self.found.files[path], content_digest)
            for path, content_digest in self.digests.items()
            if path in self.found.files
        }
        if states != self.states or self.copies != self.copied_from:
            memo.dump(self.states_file, (states, self.copies))


def _encoded(content: Content) -> bytes | FileCopy | Kept:
    if isinstance(content, Deferred):
        made = content.make()
        return made if isinstance(made, bytes) else made.encode("utf-8")
    return content if isinstance(content, (FileCopy, Kept)) else content.encode("utf-8")


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
        raise WriteError(
            f"{path}: unreadable ({error}); run again with --adopt to take over the files this run generates "
            "(they are overwritten; files only an earlier run generated stay until you delete them)"
        ) from error


def _is_plain(path: str) -> bool:
    """A relative path of named parts, with no way out of the folder it is relative to."""
    return bool(path) and "\\" not in path and all(part not in ("", ".", "..") for part in path.split("/"))


def _target(root: Path, path: str) -> Path:
    """The file for a generated path, refusing anything that would land outside ``root``."""
    if _is_plain(path):
        return Path(f"{root}/{path}")  # one Path made, not two (tens of thousands of files)
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return root.joinpath(*pure.parts)


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
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as error:  # a full disk names no file; the next run removes the temporary
        raise WriteError(f"{target}: cannot write: {error.strerror}") from error


@dataclass(frozen=True)
class FolderScan:
    """A folder as a run finds it (the writer then keeps ``files`` as it leaves the output folder)."""

    files: dict[str, memo.FileState | None]  # relative path → size and modification time (None: not asked), of each regular file
    links: frozenset[str]  # relative paths of the symbolic links in it, to files or folders (not followed)


def scan_folder(root: Path, states: bool = True) -> FolderScan:
    """Every file and symbolic link under ``root`` (none if it is not there), in one walk:
    ``os.walk`` and ``Path.rglob`` cost a second at 40,000 files in 20,000 folders."""
    files: dict[str, memo.FileState | None] = {}
    links: set[str] = set()
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            if prefix:  # a folder that went during the walk: a run that owns it is running
                raise
            break
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                links.add(relative)
            elif entry.is_dir():
                folders.append((relative + "/", entry.path))
            elif entry.is_file():
                stat = entry.stat() if states else None
                files[relative] = (stat.st_size, stat.st_mtime_ns) if stat else None
    return FolderScan(files, frozenset(links))


def _file_state(path: str | Path) -> memo.FileState:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns)


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
