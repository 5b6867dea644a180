"""Publishing only what changed: ``press-archive build`` runs ``mkdocs build --dirty`` when it is safe.

MkDocs' ``--dirty`` rebuilds only the pages whose source is newer than their HTML, and the
generator rewrites only pages whose content changed, so a build after one new release
renders a few dozen pages instead of every one.  On its own ``--dirty`` is not safe; this
module makes it so:

- **When.**  A dirty build needs a site built by MkDocs from the same *stamp*: the MkDocs
  and Material versions, mkdocs.yml as read (``!ENV`` values resolved), every file of the
  theme's ``custom_dir``, the docs and site folders, and the pages the navigation may hold
  (every Markdown file ``not_in_nav`` leaves in).  Anything else is a full build.
- **Navigation.**  MkDocs does not read an unchanged page in a dirty build, so it would
  name the navigation's pages after their files: their HTML is removed first, so that
  they are read and built again (a handful of pages).
- **Deleted pages.**  MkDocs never deletes in a dirty build: the output of every file
  that left the docs folder since the last build is removed first.
- **Sitemap.**  The sitemap names each page's ``lastmod`` from its front matter, which an
  unread page does not have: each entry of a page not built again is taken from the last
  build's sitemap, and ``sitemap.xml.gz`` is written again from the result.

``tests/test_sitebuild.py`` compares dirty builds with clean ones, byte for byte but for
the gzip header's build time.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


from . import memo
from .config import ConfigError, SiteIdentity, read_mkdocs_yml
from .writer import scan_folder

STATE = "site-build.pickle"  # in the cache folder
SITEMAP = "sitemap.xml"
_SITEMAP_ENTRY = re.compile(r"<url>.*?</url>", re.DOTALL)
_LOCATION = re.compile(r"<loc>(.*?)</loc>", re.DOTALL)


@dataclass(frozen=True)
class SiteState:
    """What the last build by MkDocs was made from."""

    stamp: str
    docs: frozenset[str]  # every file of the docs folder, POSIX paths
    sitemap: tuple[int, int]  # the site's sitemap.xml as the build left it (size, time): another build rewrites it


@dataclass(frozen=True)
class BuildPlan:
    dirty: bool
    reason: str  # why not, for a full build
    stamp: str
    removed: tuple[str, ...] = ()  # docs files gone since the last build
    navigation: tuple[str, ...] = ()  # Markdown files the navigation may hold


def docs_files(docs_dir: Path) -> frozenset[str]:
    """Every file below the docs folder, as MkDocs would look at it (dot files too: the cost is the same)."""
    scan = scan_folder(docs_dir, states=False)
    # as os.walk lists them: a link to a folder is a folder (not followed), any other link a file
    return frozenset(scan.files).union(link for link in scan.links if not (docs_dir / link).is_dir())


def navigation_pages(mkdocs_yml: dict, docs: frozenset[str]) -> tuple[str, ...]:
    """The Markdown files ``not_in_nav`` leaves in the navigation (all of them if it is not set)."""
    import pathspec  # MkDocs' own matcher for not_in_nav

    pages = sorted(p for p in docs if p.endswith(".md") and not p.rsplit("/", 1)[-1].startswith("."))
    patterns = mkdocs_yml.get("not_in_nav")
    if not isinstance(patterns, str):
        return tuple(pages)
    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(patterns.splitlines())
    return tuple(p for p in pages if not spec.match_file(p))


def plan(mkdocs_config: Path, site: SiteIdentity, cache: Path, docs_dir: Path) -> BuildPlan:
    """Whether the next MkDocs build may be dirty, and what to clear before it."""
    try:
        raw = read_mkdocs_yml(mkdocs_config)
    except ConfigError:
        raw = None
    docs = docs_files(docs_dir)
    navigation = navigation_pages(raw if isinstance(raw, dict) else {}, docs)
    stamp = memo.Fingerprint().text("builder", _versions()).text("mkdocs.yml", repr(raw))
    stamp.text("folders", f"{docs_dir.resolve()}\0{site.site_dir}").text("navigation", "\0".join(navigation))
    if site.custom_dir is not None:
        stamp.folder("theme", site.custom_dir)
    digest = stamp.hexdigest()
    previous = memo.load(cache / STATE)
    if not isinstance(previous, SiteState):
        return BuildPlan(False, "no earlier build on record", digest)
    if previous.stamp != digest:
        return BuildPlan(False, "the theme, mkdocs.yml or the navigation changed", digest)
    try:
        sitemap = os.stat(site.site_dir / SITEMAP)
    except OSError:
        return BuildPlan(False, "no site to update", digest)
    if (sitemap.st_size, sitemap.st_mtime_ns) != previous.sitemap:
        return BuildPlan(False, "the site was built by something else since", digest)
    return BuildPlan(True, "", digest, tuple(sorted(previous.docs - docs)), navigation)


def _versions() -> str:
    return " ".join(f"{name}=={importlib.metadata.version(name)}" for name in ("mkdocs", "mkdocs-material"))


def built_path(source: str) -> str:
    """Where MkDocs (directory URLs) builds a docs file: ``a/b.md`` → ``a/b/index.html``."""
    if not source.endswith(".md"):
        return source
    stem = source[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def prepare_dirty(build: BuildPlan, site_dir: Path) -> str:
    """Before a dirty build: remove what left the docs folder, and the navigation's pages so
    that MkDocs reads them again.  Returns the last build's sitemap."""
    for source in (*build.removed, *build.navigation):
        target = site_dir / PurePosixPath(built_path(source))
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return (site_dir / SITEMAP).read_text(encoding="utf-8")


def complete_sitemap(site: SiteIdentity, previous: str, started_ns: int) -> None:
    """After a dirty build: each sitemap entry of a page not built again is the last build's."""
    path = site.site_dir / SITEMAP
    current = path.read_text(encoding="utf-8")
    earlier = {_location(entry): entry for entry in _SITEMAP_ENTRY.findall(previous)}

    def entry(match: re.Match) -> str:
        location = _location(match.group(0))
        page = _page_file(site, location)
        rebuilt = page is not None and page.is_file() and page.stat().st_mtime_ns >= started_ns
        return match.group(0) if rebuilt or location not in earlier else earlier[location]

    completed = _SITEMAP_ENTRY.sub(entry, current)
    if completed == current:
        return
    path.write_text(completed, encoding="utf-8")
    compressed = path.with_name(SITEMAP + ".gz")
    with compressed.open("rb") as file:
        header = file.read(8)
    stamped = int.from_bytes(header[4:8], "little") if len(header) == 8 else 0  # MkDocs' build time
    with compressed.open("wb") as file, gzip.GzipFile(fileobj=file, filename=str(compressed), mode="wb", mtime=stamped) as gz:
        gz.write(completed.encode("utf-8"))


def _location(entry: str) -> str:
    found = _LOCATION.search(entry)
    return found.group(1).strip() if found else ""


def _page_file(site: SiteIdentity, location: str) -> Path | None:
    if not site.url or not location.startswith(site.url):
        return None
    url = location[len(site.url) :]
    return site.site_dir / PurePosixPath(url) / "index.html" if url else site.site_dir / "index.html"


def remember_build(build: BuildPlan, cache: Path, docs_dir: Path, site_dir: Path) -> None:
    """After a successful MkDocs build: what it was made from, for the next one."""
    try:
        sitemap = os.stat(site_dir / SITEMAP)
    except OSError:  # no sitemap to recognise the site by: the next build is a full one
        return
    memo.dump(cache / STATE, SiteState(build.stamp, docs_files(docs_dir), (sitemap.st_size, sitemap.st_mtime_ns)))


def forget_build(cache: Path) -> None:
    """A build by another builder, or one that failed: the next MkDocs build is a full one."""
    (cache / STATE).unlink(missing_ok=True)



# --- `python -m generator.sitebuild -f mkdocs.yml --strict --dirty` --------------------------------

DIRTY_WARNING = "A 'dirty' build is being performed"  # MkDocs' warning about the caveats handled above
STALE_FILES = "The directory contains stale files"  # its note that a dirty build keeps them: removed above


class _HandledWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith((DIRTY_WARNING, STALE_FILES))


def dirty_command(mkdocs_config: Path) -> list[str]:
    """MkDocs' build command, dirty and strict: run through this module, which drops MkDocs'
    warning about dirty builds (and only it), so that --strict still fails on every other."""
    return [sys.executable, "-m", __name__, "-f", str(mkdocs_config), "--strict", "--dirty"]


def main() -> None:
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.commands.build").addFilter(_HandledWarning())
    cli.main(args=["build", *sys.argv[1:]], prog_name="mkdocs")


if __name__ == "__main__":
    main()
