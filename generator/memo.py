"""Work done once: results kept in the cache folder, trusted only for exactly the inputs that made them.

Kept in the cache folder (``cache:``, ``build/cache``), all safe to delete:

- **The last run** (``last-run.pickle``): a ``generate`` whose every input is as the last
  run left it does nothing.  The run's *fingerprint* covers the generator's own files and
  its dependencies' versions, the settings, every file they name (mkdocs.yml, vocabularies,
  duplicate overrides, message catalog, page templates, permalink registry), every input
  file's bytes and today's date (dates too far ahead are warned about).  It is kept with
  what the run reported and the size and modification time of every file it left (the
  output folder, the report, the search index's cache).  A run that computes the same
  fingerprint and finds those files as they were left returns that report, every file
  unchanged; anything else runs in full.
- **Per-text results** (``texts/<kind>-<digest>-<part>.pickle``, ``TextCache``): what a stage
  works out from one text or file alone (a file's records, a text's id and keys, its
  shingles, tags and word counts, the digest of its search document), keyed by a digest
  of the text and kept under a digest of the settings that decide them.  A run after one new release works these out for the new text only.
- Beside them, kept by their stages with ``dump``/``load``: the pages and what each was
  made from, with where each release's line lies in the data exports (``pagecache``),
  each output's size, time and digest (``writer``), the permalink registry as written
  (``permalinks``), the near-duplicate candidates' index (``candidates``), the known words
  of the cut-off rule (``cutoff``), the related releases' lists (``related``) and the
  last MkDocs build (``sitebuild``).

Never trusted across versions: every file names the ``code_identity()`` that wrote it, a
digest of the generator's own files and of the versions of Python and of the packages it
depends on, and carries a checksum; a file of another version, damaged or unreadable, is
the same as none.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import importlib.metadata
import io
import operator
import os
import pickle
import re
import sys
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
LAST_RUN = "last-run.pickle"
_PACKAGE = Path(__file__).parent
# Not pickle's own errors only: a file from another version may name classes that moved.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError)


@functools.cache
def code_identity() -> str:
    """A digest of the generator's files, the Python version and the versions of the installed dependencies."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sys.version.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _dependencies():
        try:
            hasher.update(f"{name}=={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            hasher.update(f"{name} missing\0".encode())
    return hasher.hexdigest()


def _dependencies() -> list[str]:
    try:
        requirements = importlib.metadata.requires("press-archive") or []
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that is not installed
        requirements = []
    names = {re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0] for requirement in requirements}
    return sorted(names | {"pagefind-bin", "pycountry", "numpy", "jinja2", "markupsafe", "babel"})


class Fingerprint:
    """A digest of labelled parts: texts, and files by their bytes (or their absence)."""

    def __init__(self) -> None:
        self._hasher = hashlib.blake2b(digest_size=20)

    def text(self, label: str, value: str) -> Fingerprint:
        data = value.encode("utf-8", "surrogatepass")
        self._hasher.update(f"{label}\0{len(data)}\0".encode() + data)
        return self

    def file(self, label: str, path: Path) -> Fingerprint:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return self.text(label, f"{path}: none")
        except IsADirectoryError:
            return self.folder(label, path)
        self._hasher.update(f"{label}\0{path}\0{len(data)}\0".encode("utf-8", "surrogatepass") + data)
        return self

    def folder(self, label: str, path: Path) -> Fingerprint:
        """Every file below ``path``, by name and bytes, in a sorted walk."""
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        self.text(label, f"{path}: {len(files)} files")
        for file in files:
            self.file(f"{label}/{file.relative_to(path).as_posix()}", file)
        return self

    def copy(self) -> Fingerprint:
        other = Fingerprint()
        other._hasher = self._hasher.copy()
        return other

    def hexdigest(self) -> str:
        return self._hasher.hexdigest()


FileState = tuple[int, int]  # size, modification time in nanoseconds


def file_states(paths: Iterable[Path]) -> dict[str, FileState] | None:
    """Each file's size and modification time; None if one of them is not there."""
    states = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        states[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return states


@dataclass(frozen=True)
class LastRun:
    fingerprint: str
    files: Mapping[str, FileState]  # every file the run left, as it left it
    outcome: bytes  # pickled: what the pipeline needs to answer as the run did, unpickled only when it will


def recall_run(cache: Path, fingerprint: str) -> object | None:
    """The last run's outcome, if its fingerprint is ``fingerprint`` and its files are as it left them."""
    last = load(cache / LAST_RUN)
    if not isinstance(last, LastRun) or last.fingerprint != fingerprint:
        return None
    if file_states(Path(p) for p in last.files) != last.files:
        return None
    try:
        return pickle.loads(last.outcome)
    except _UNREADABLE:
        return None


def remember_run(
    cache: Path, fingerprint: str, files: Iterable[Path], outcome: object, known: Mapping[str, FileState] | None = None
) -> None:
    """Keep ``outcome`` for a run with this fingerprint that finds ``files`` as they are now.

    ``known``: more files (path → state), whose states the caller has just taken.
    """
    states = file_states(files)
    if states is None:  # a file went while the run finished: nothing to vouch for
        forget_run(cache)
        return
    pickled = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    dump(cache / LAST_RUN, LastRun(fingerprint, {**(known or {}), **states}, pickled))


def forget_run(cache: Path) -> None:
    (cache / LAST_RUN).unlink(missing_ok=True)


def text_key(*texts: str) -> bytes:
    """A short key for a text (its parts, e.g. title and body): a digest, so the cache holds no copy of the text.

    Made of each part's own digest (``_text_digest``), which a run makes once per text: one
    body is part of the keys of four stages (identity, shingles, tags and words, known words).
    """
    return hashlib.blake2b(b"".join([_text_digest(text) for text in texts]), digest_size=16).digest()


@functools.lru_cache(maxsize=1 << 18)
def _text_digest(text: str) -> bytes:
    # Kept by the text itself: a text read once is one object from record to release, whose
    # hash Python keeps, so a stage after the first finds its digest for the cost of a look-up.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def forget_texts() -> None:
    """Drop the digests of the run's texts (and the texts they hold on to): for a process that runs again, e.g. ``serve``."""
    _text_digest.cache_clear()


def parts_key(*parts: str | bytes | None) -> bytes:
    """A digest of a run of texts and digests (``None`` among them): ``value_key`` of the
    same parts, for a fraction of its cost where a key is made per release."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        if part is None:
            hasher.update(_NONE)
            continue
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little") + data)
    return hasher.digest()


_NONE = b"\xff" * 8  # no part's length: None is told apart from every text


def value_key(value: object) -> bytes:
    """A digest of a value made of frozen records and plain values (no sets): what a page is made from.

    Pickled, which is exact and fast, without pickle's memo: with it, two equal values
    whose parts are shared differently (one string object twice, or two equal ones, as a
    run that parses and one that reads its cache make them) would pickle differently.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: nothing here refers to itself
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


class _Reducers(dict):
    """How ``value_key`` pickles each type: a dataclass as its class and its fields' values in
    order (half the cost of pickle's own way, through ``__reduce_ex__`` and the instance's
    dict: a key is made per release and per page); any other type as pickle would."""

    def __missing__(self, cls: type) -> Callable[[object], tuple]:
        if dataclasses.is_dataclass(cls):
            reducer = _dataclass_reducer(cls)
        else:
            reducer = operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)
        self[cls] = reducer
        return reducer


def _dataclass_reducer(cls: type) -> Callable[[object], tuple]:
    names = tuple(field.name for field in dataclasses.fields(cls))
    if len(names) > 1:
        values = operator.attrgetter(*names)  # a tuple of them, in C
        return lambda value: (cls, values(value))
    return lambda value: (cls, tuple(getattr(value, name) for name in names))


_REDUCERS = _Reducers(copyreg.dispatch_table)


class TextCache:
    """Per-text results of one stage: ``key`` (a text, or what of it matters) → result.

    Kept in ``cache/<name>-<digest>-<part>.pickle``, where the digest covers the code and the
    settings that decide the results, in ``PARTS`` parts by key, so that a run that adds a
    text writes one part again, not all of them; ``save`` keeps only the entries this run
    used, so texts gone from the input leave the cache with them.
    """

    PARTS = 16

    def __init__(self, cache: Path | None, name: str, settings: str) -> None:
        digest = hashlib.blake2b(f"{code_identity()}\0{settings}".encode(), digest_size=10).hexdigest()
        self._folder = cache
        self._name = name
        self._stem = f"{name}-{digest}"
        self._known: list[dict[Hashable, object]] = [self._load(part) for part in range(self.PARTS)]
        self._used: list[dict[Hashable, object]] = [{} for _ in range(self.PARTS)]

    def _part_path(self, part: int) -> Path | None:
        return self._folder / f"{self._stem}-{part:02d}.pickle" if self._folder is not None else None

    def _load(self, part: int) -> dict[Hashable, object]:
        path = self._part_path(part)
        loaded = load(path) if path is not None else None
        return loaded if isinstance(loaded, dict) else {}

    def _part(self, key: Hashable) -> int:
        """Which part holds ``key``: the same in every run (Python's ``hash`` of a text is not)."""
        data = key if isinstance(key, bytes) else value_key(key)
        return data[0] % self.PARTS if data else 0

    def get(self, key: Hashable, kind: type[T]) -> T | None:
        """The result kept for ``key``, if there is one of ``kind``."""
        part = self._part(key)
        value = self._known[part].get(key)
        if not isinstance(value, kind):
            return None
        self._used[part][key] = value
        return value

    def put(self, key: Hashable, value: object) -> None:
        self._used[self._part(key)][key] = value

    def get_or_make(self, key: Hashable, kind: type[T], make: Callable[[], T]) -> T:
        """The result kept for ``key``, or ``make()``'s, kept for the next run."""
        part = self._part(key)
        value = self._known[part].get(key)
        if not isinstance(value, kind):
            value = make()
        self._used[part][key] = value
        return value

    def save(self) -> None:
        """Keep this run's entries, and only those, as the stage's cache (other settings' caches go)."""
        if self._folder is None:
            return
        for part, (used, known) in enumerate(zip(self._used, self._known)):
            if used.keys() != known.keys():
                dump(self._part_path(part), used)
        keep = {self._part_path(part) for part in range(self.PARTS)}
        for other in self._folder.glob(f"{self._name}-*.pickle"):
            if other not in keep:
                other.unlink(missing_ok=True)


_MAGIC = b"press-archive cache 3\n"


def load(path: Path) -> object | None:
    """What ``dump`` kept at ``path``; None if there is nothing, if this version of the
    generator did not write it, or if it is not whole.

    A file is unpickled only when its checksum holds: a damaged file is never read as data.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    version = _MAGIC + code_identity().encode()
    header = len(version) + _CHECKSUM_SIZE
    body = memoryview(data)[header:]  # not a copy: cache files are up to hundreds of MB
    if not data.startswith(version) or data[len(version) : header] != _checksum(body):
        return None
    try:
        return pickle.loads(body)
    except _UNREADABLE:  # whole, but not what this version reads: work it out again
        return None


@contextlib.contextmanager
def dumping_beside() -> Iterator[Callable[[Path, object], None]]:
    """A ``dump`` that writes on a thread of its own while the block goes on: writing a file's
    bytes leaves the interpreter to the block (a tenth of a second for the candidates' index,
    90 MB at 20,000 releases).  A value given to it must not change after.  The block ends
    when every file is written, and raises the first that could not be."""
    written: list[Future] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="press-archive-dump") as thread:
        yield lambda path, value: written.append(thread.submit(dump, path, value))
    for future in written:
        future.result()


def dump(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as file:
        file.write(_MAGIC + code_identity().encode() + _checksum(data))
        file.write(data)
    os.replace(temporary, path)


_CHECKSUM_SIZE = 4


def _checksum(data: bytes | memoryview) -> bytes:
    """A CRC-32 of a cache file's body: it tells a damaged or cut-off file (what it guards
    against; no one forges a cache) five times faster than a cryptographic digest, which
    cost a tenth of a run that reads hundreds of MB of cache."""
    return zlib.crc32(data).to_bytes(_CHECKSUM_SIZE, "little")
