"""Pages made from the same inputs as in the last run are not made again (see ``PageCache``)."""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path

from . import memo
from .templates import Templates
from .writer import Kept


def render_page(pages: PageCache | None, path: str, templates: Templates, template: str, /, **context: object) -> str | Kept:
    """The page at ``path``, through ``pages`` when there is a cache."""
    if pages is None:
        return templates.render(template, **context)
    return pages.render(path, templates, template, **context)


def render_made(
    pages: PageCache | None, path: str, templates: Templates, template: str, /, key: object, make: Callable[[], dict]
) -> str | Kept:
    """The page at ``path``: ``template`` with the context ``make()`` returns.  With a cache,
    ``key`` (what the context is made from, cheaper to tell than the context itself) decides
    whether it is made at all."""
    if pages is None:
        return templates.render(template, **make())
    return pages.page(path, key_of((template, key)), lambda: templates.render(template, **make()))


def key_of(inputs: object) -> bytes:
    """A digest of what a page is made from (frozen records of plain values, no sets).

    Pickled, which is exact and fast, without pickle's memo: with it, two equal inputs
    whose parts are shared differently (one string object twice, or two equal ones, as a
    run that parses and one that reads its cache make them) would pickle differently.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: nothing here refers to itself
    pickler.dump(inputs)
    return _digest(buffer.getvalue())


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class PageCache:
    """Pages made from the same inputs as in the last run are not made again.

    The cache (in the cache folder) holds, for each page, a digest of what it was made from
    (``release_page_key``) and of the text it gave.  A page whose key is the same, and whose
    file the writer finds as the last run left it (``OutputWriter.known_digest``), is
    ``Kept``.  ``settings`` is a digest of everything else a page depends on (code,
    templates, settings, catalogs, vocabularies): when it differs, every page is made.
    """

    def __init__(self, path: Path | None, settings: str, known_digest: Callable[[str], str | None]) -> None:
        self._path = path
        self._settings = settings
        self._known_digest = known_digest
        loaded = memo.load(path) if path is not None else None
        valid = isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == settings and isinstance(loaded[1], dict)
        self._previous: dict[str, tuple[bytes, str]] = loaded[1] if valid else {}
        self._keys: dict[str, bytes] = {}

    def page(self, path: str, key: bytes, make: Callable[[], str]) -> str | Kept:
        """The page at ``path``: ``Kept`` if made from ``key`` before and its file is as left, else ``make()``."""
        self._keys[path] = key
        previous = self._previous.get(path)
        if previous is not None and previous[0] == key and self._known_digest(path) == previous[1]:
            return Kept(previous[1])
        return make()

    def render(self, path: str, templates: Templates, template: str, /, **context: object) -> str | Kept:
        """``Templates.render(template, **context)`` unless the page was made from the same context before."""
        key = key_of((template, context))
        return self.page(path, key, functools.partial(templates.render, template, **context))

    def save(self, digests: Mapping[str, str]) -> None:
        """Keep the pages of this run (``digests``: the writer's, path → digest of the text written)."""
        if self._path is None:
            return
        entries = {path: (key, digests[path]) for path, key in self._keys.items() if path in digests}
        if entries != self._previous:
            memo.dump(self._path, (self._settings, entries))
