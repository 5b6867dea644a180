"""Where every page lives: one path function per page kind, and release slugs.

Paths are POSIX paths of Markdown files under the output folder (MkDocs' docs_dir).  Every
page is the ``index.md`` of the folder it is served as: ``releases/2025/05/some-title/index.md``
is served at ``releases/2025/05/some-title/``.  So a relative link means the same thing
whether a builder resolves it from the page's URL (MkDocs leaves links in raw HTML as they
are) or from its source file (Zensical rewrites them as it does Markdown links), at a
domain's root or under a sub-path.  Release URLs are handed out once and remembered by
``permalinks``; a published URL keeps working for good.
"""

from __future__ import annotations

import functools

from slugify import slugify

HOME = "index.md"
ARCHIVE_INDEX = "archive/index.md"
CATEGORIES_INDEX = "categories/index.md"
SEARCH = "search/index.md"  # the search page; the index's shards are folders beside it
ARCHIVE_DATA = "archive.json"
ARCHIVE_CSV = "archive.csv"
# The feeds share a folder with a sitemap of them: Material takes every <link rel="alternate">
# for another language's site and fetches "sitemap.xml" beside it, which next to a feed at
# the root would be the whole site's sitemap (megabytes) on every page view.
FEED = "feeds/index.xml"  # the latest releases, all categories ("index": no category slug is)
FEED_SITEMAP = "feeds/sitemap.xml"
# Each feed is written in three formats, named after its RSS file: feeds/energy.xml (RSS 2.0),
# feeds/energy.atom.xml (Atom) and feeds/energy.json (JSON Feed 1.1).
FEED_FORMATS = ("rss", "atom", "json")
FEED_MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


def feed_format_path(rss_path: str, feed_format: str) -> str:
    """The path of one format of the feed whose RSS file is ``rss_path``."""
    base = rss_path[: -len(".xml")]
    return {"rss": rss_path, "atom": f"{base}.atom.xml", "json": f"{base}.json"}[feed_format]


def feed_paths(rss_path: str) -> dict[str, str]:
    """Format → path, for every format of the feed whose RSS file is ``rss_path``."""
    return {feed_format: feed_format_path(rss_path, feed_format) for feed_format in FEED_FORMATS}


def feed_rss_path(path: str) -> str:
    """The RSS file of the feed that ``path`` is one format of."""
    for suffix in (".atom.xml", ".json"):
        if path.endswith(suffix):
            return path[: -len(suffix)] + ".xml"
    return path


def is_feed(path: str) -> bool:
    return path.startswith("feeds/") and path.endswith((".xml", ".json")) and path != FEED_SITEMAP

# Apostrophes vanish rather than split words: "Korea’s" -> "koreas", not "korea-s".
_SLUG_REPLACEMENTS = [["’", ""], ["'", ""], ["‘", ""], ["`", ""]]
# "index" once named a month folder's own page (slugs keep their rule: URLs are for good); the rest
# Windows refuses as file names.
_RESERVED_NAMES = {"index", "con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}


@functools.lru_cache(maxsize=65536)  # tag and category names are slugged on every page that links them
def slug(text: str, max_length: int = 80) -> str:
    """A URL-safe slug of ``text``, cut at a word boundary; may be empty."""
    value = slugify(
        text, max_length=max_length, word_boundary=True, save_order=True, replacements=_SLUG_REPLACEMENTS
    )
    if value in _RESERVED_NAMES:
        value = f"{value}-page"
    return value


def page(folder: str) -> str:
    """The Markdown file of the page served at ``folder``/ (``topics/ict`` → ``topics/ict/index.md``)."""
    return f"{folder}/index.md"


def folder_of(path: str) -> str:
    """The folder a page is served as: ``topics/ict/index.md`` → ``topics/ict``."""
    return path[: -len("/index.md")]


def year_path(year: int) -> str:
    return page(f"archive/{year:04d}")


def month_path(year: int, month: int) -> str:
    return page(f"archive/{year:04d}/{month:02d}")


def listing_year_path(listing_path: str, year: int) -> str:
    """One year of a category or tag listing too long for one page: ``topics/ict/`` → ``topics/ict/2024/``."""
    return page(f"{folder_of(listing_path)}/{year:04d}")


def category_path(category: str) -> str:
    return page(f"categories/{slug(category) or 'category'}")


def unique_paths(names, path_of, taken=(), numbered=lambda base, number: page(f"{folder_of(base)}-{number}")) -> dict[str, str]:
    """Each name's path by ``path_of``; a name whose path is taken (by ``taken`` or an earlier
    name) gets ``-2``, ``-3`` … by ``numbered``.

    For names that come from the input (categories a dump invents), where two of them may
    slug alike ("Trade/Investment", "Trade Investment").
    """
    paths: dict[str, str] = {}
    taken = set(taken)
    for name in names:
        path = base = path_of(name)
        number = 1
        while path in taken:
            number += 1
            path = numbered(base, number)
        taken.add(path)
        paths[name] = path
    return paths


def category_feed_paths(category_pages: dict[str, str]) -> dict[str, str]:
    """Each category's RSS feed, named as its page (``categories/industry/index.md`` → ``feeds/industry.xml``).

    A name the feeds folder uses itself (``index``, ``sitemap``) gets ``-category``; a feed
    name already taken (``Sitemap`` and ``Sitemap Category``) gets ``-2``, ``-3`` …
    """

    def feed_of(category: str) -> str:
        name = folder_of(category_pages[category])[len("categories/") :]
        path = f"feeds/{name}.xml"
        return f"feeds/{name}-category.xml" if path in (FEED, FEED_SITEMAP) else path

    return unique_paths(
        category_pages, feed_of, taken=(FEED, FEED_SITEMAP), numbered=lambda base, n: f"{base[: -len('.xml')]}-{n}.xml"
    )


def search_file(name: str) -> str:
    """A file of the search page's: its script, or a shard's Pagefind file (``2019-2023/pagefind.js``)."""
    return f"search/{name}"


def is_search_file(path: str) -> bool:
    """Whether an output path is the search page, its script or a file of its index."""
    return path.startswith(search_file(""))


def url_of(path: str) -> str:
    """The site-relative URL MkDocs serves a Markdown file at (directory URLs)."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relative(from_folder: list[str], to_parts: list[str]) -> str:
    """The relative path from a folder to a path, both given as parts below the site's root."""
    common = 0
    while common < len(from_folder) and common < len(to_parts) and from_folder[common] == to_parts[common]:
        common += 1
    return "/".join([".."] * (len(from_folder) - common) + to_parts[common:])


def relative_url(from_url: str, to_url: str) -> str:
    """The relative URL from a page served at ``from_url`` (a folder) to ``to_url``, both site-relative."""
    relative = _relative([p for p in from_url.split("/") if p], [p for p in to_url.split("/") if p])
    if to_url.endswith("/") or not to_url:
        return relative + "/" if relative else "./"
    return relative


def href(from_path: str, to_path: str) -> str:
    """The relative URL from one page to another, as served with directory URLs: for links in raw HTML.

    MkDocs rewrites and checks Markdown links only; a listing is raw HTML (much faster to
    build), so its links are written as the URLs MkDocs would have made of them.  Between
    two ``index.md`` pages this is also the link between their folders, which is how
    Zensical reads a link in raw HTML: both builders publish it unchanged.
    """
    return relative_url(url_of(from_path), url_of(to_path))


def link(from_path: str, to_path: str) -> str:
    """A relative link between two source files, as MkDocs validates and rewrites them.

    Both are normalised paths below the docs folder, so this is ``posixpath.relpath`` without
    its calls to the file system, which made it a tenth of the generator's time.
    """
    *to_folder, name = to_path.split("/")
    folder = _relative(from_path.split("/")[:-1], to_folder)
    return f"{folder}/{name}" if folder else name
