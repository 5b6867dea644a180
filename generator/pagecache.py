"""Pages made from the same inputs as in the last run are not made again (see ``PageCache``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import memo
from .templates import Templates
from .writer import Deferred, Kept, Page


def render_page(pages: PageCache | None, path: str, templates: Templates, template: str, /, **context: object) -> Page:
    """The page at ``path``, through ``pages`` when there is a cache."""
    if pages is None:
        return templates.render(template, **context)
    return pages.render(path, templates, template, **context)


def render_made(
    pages: PageCache | None, path: str, templates: Templates, template: str, /, key: object, make: Callable[[], dict]
) -> Page:
    """The page at ``path``: ``template`` with the context ``make()`` returns.  With a cache,
    ``key`` (what the context is made from, cheaper to tell than the context itself) decides
    whether it is made at all."""
    if pages is None:
        return templates.render(template, **make())
    return pages.page(path, memo.value_key((template, key)), lambda: templates.render(template, **make()))


@dataclass(frozen=True)
class Part:
    """One part of a file assembled from many (``assemble``): a release's line in archive.json."""

    key: bytes  # a digest of what the part is made from
    make: Callable[[], str]


def assemble(pages: PageCache | None, path: str, head: str, parts: Sequence[Part], separator: str, tail: str) -> Page:
    """``head``, the parts joined by ``separator``, then ``tail``; through ``pages`` when there is a cache."""
    if pages is None:
        return head + separator.join(part.make() for part in parts) + tail
    return pages.assemble(path, head, parts, separator, tail)


class PageCache:
    """Pages made from the same inputs as in the last run are not made again.

    The cache (in the cache folder) holds, for each page, a digest of what it was made from
    (``release_page_key``) and of the text it gave.  A page whose key is the same, and whose
    file the writer finds as the last run left it (``OutputWriter.known_digest``), is
    ``Kept``.  ``settings`` is a digest of everything else a page depends on (code,
    templates, settings, catalogs, vocabularies): when it differs, every page is made.

    A file assembled from parts (``assemble``) keeps where each part lies in it: when some
    parts change, the others are taken from the file as the last run left it (in ``folder``).
    """

    def __init__(
        self, path: Path | None, settings: str, known_digest: Callable[[str], str | None], folder: Path | None = None
    ) -> None:
        self._path = path
        self._settings = settings
        self._known_digest = known_digest
        self._folder = folder
        loaded = memo.load(path) if path is not None else None
        valid = (
            isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == settings
            and isinstance(loaded[1], dict) and isinstance(loaded[2], dict)
        )
        self._previous: dict[str, tuple[bytes, str]] = loaded[1] if valid else {}
        self._previous_parts: dict[str, dict[bytes, tuple[int, int]]] = loaded[2] if valid else {}
        self._keys: dict[str, bytes] = {}
        self._parts: dict[str, dict[bytes, tuple[int, int]]] = {}

    def page(self, path: str, key: bytes, make: Callable[[], str | bytes]) -> Page:
        """The page at ``path``: ``Kept`` if made from ``key`` before and its file is as left,
        else ``make()`` as the writer writes it (``Deferred``)."""
        self._keys[path] = key
        previous = self._previous.get(path)
        if previous is not None and previous[0] == key and self._known_digest(path) == previous[1]:
            return Kept(previous[1])
        return Deferred(make)

    def render(self, path: str, templates: Templates, template: str, /, **context: object) -> Page:
        """``Templates.render(template, **context)`` unless the page was made from the same context before."""
        key = memo.value_key((template, context))
        return self.page(path, key, functools.partial(templates.render, template, **context))

    def assemble(self, path: str, head: str, parts: Sequence[Part], separator: str, tail: str) -> Page:
        """The file at ``path``: ``head``, the parts joined by ``separator``, then ``tail``;
        each part whose key is as in the last run is taken from the file that run wrote.

        Made as bytes, where parts lie by their byte offsets: the file the last run wrote is
        sliced as it is (at 20,000 releases, archive.json and archive.csv are 120 MB, which
        decoding and encoding again would cost a tenth of a daily run)."""
        key = memo.parts_key(head, separator, tail, *(part.key for part in parts))
        # key → where the part starts and ends in the file: filled as the writer makes the file
        # (``Deferred``), kept by ``save``, which runs after the writer
        placed: dict[bytes, tuple[int, int]] = {}

        def make() -> bytes:
            before = self._previous_file(path)
            kept = self._previous_parts.get(path, {}) if before is not None else {}
            between = separator.encode("utf-8")
            pieces = [head.encode("utf-8")]
            at = len(pieces[0])
            for number, part in enumerate(parts):
                if number:
                    pieces.append(between)
                    at += len(between)
                where = kept.get(part.key)
                piece = before[where[0] : where[1]] if before is not None and where is not None else part.make().encode("utf-8")
                pieces.append(piece)
                placed[part.key] = (at, at + len(piece))
                at += len(piece)
            pieces.append(tail.encode("utf-8"))
            return b"".join(pieces)

        made = self.page(path, key, make)
        self._parts[path] = placed if not isinstance(made, Kept) else self._previous_parts.get(path, {})
        return made

    def _previous_file(self, path: str) -> memoryview | None:
        """The file at ``path`` as the last run wrote it; None if it is not (or there is no telling)."""
        previous = self._previous.get(path)
        if self._folder is None or previous is None or self._known_digest(path) != previous[1]:
            return None
        try:
            return memoryview((self._folder / path).read_bytes())  # sliced without a copy until joined
        except OSError:  # gone since: every part is made
            return None

    def save(self, digests: Mapping[str, str]) -> None:
        """Keep the pages of this run (``digests``: the writer's, path → digest of the text written)."""
        if self._path is None:
            return
        entries = {path: (key, digests[path]) for path, key in self._keys.items() if path in digests}
        parts = {path: placed for path, placed in self._parts.items() if path in entries}
        if entries != self._previous or parts != self._previous_parts:
            memo.dump(self._path, (self._settings, entries, parts))
