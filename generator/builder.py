"""Running the site builder (MkDocs or Zensical) beside a generation, as ``press-archive build`` does.

The builder starts once the pages are written, while Pagefind still indexes the releases;
when both are done the index is copied into the built site (``pagefind.publish``), as the
builder would have copied it.  A build by MkDocs after an earlier one is a dirty build
where that is safe (``sitebuild``).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import sitebuild
from .config import SiteIdentity
from .pagefind import publish
from .search import SearchIndex

BUILDERS = ("mkdocs", "zensical")
PUBLISHED = "published.pickle"  # in the cache folder: the search index's files as copied into the site


class BuilderError(Exception):
    """The builder asked for cannot run."""


def builder_command(builder: str, action: str, mkdocs_config: Path) -> list[str]:
    """The command that builds or serves the site with ``builder``, both reading mkdocs.yml."""
    if importlib.util.find_spec(builder) is None:
        extra = "" if builder == "mkdocs" else f" (pip install 'press-archive[{builder}]')"
        raise BuilderError(f"--builder {builder}: {builder} is not installed{extra}")
    command = [sys.executable, "-m", builder, action, "-f", str(mkdocs_config)]
    if action == "build":
        command.append("--strict")
    return command


@dataclass(frozen=True)
class SiteBuild:
    """A builder building the site from the output folder, in a process of its own."""

    process: subprocess.Popen
    builder: str
    plan: sitebuild.BuildPlan
    dirty: bool  # MkDocs' dirty build: only the pages whose source changed
    previous_sitemap: str  # the last build's sitemap, for the entries of pages not built again
    started_ns: int
    cache: Path
    docs_dir: Path
    site: SiteIdentity

    @classmethod
    def start(cls, command: list[str], builder: str, mkdocs_config: Path, site: SiteIdentity, docs_dir: Path,
              cache: Path, full_rebuild: bool) -> SiteBuild:
        """Start ``command`` (``builder_command``), or MkDocs' dirty build when it is safe and not ``full_rebuild``.

        ``cache`` is the cache folder, where the last build is remembered."""
        plan = sitebuild.plan(mkdocs_config, site, cache, docs_dir)
        dirty = builder == "mkdocs" and plan.dirty and not full_rebuild
        sitebuild.forget_build(cache)  # until this build has succeeded
        previous_sitemap = sitebuild.prepare_dirty(plan, site.site_dir) if dirty else ""
        if dirty:
            command = sitebuild.dirty_command(mkdocs_config)
            print("press-archive: building only the pages that changed (mkdocs build --dirty); "
                  "--full-rebuild builds every page", file=sys.stderr)
        started = time.time_ns()
        return cls(subprocess.Popen(command), builder, plan, dirty, previous_sitemap, started, cache, docs_dir, site)

    def wait(self) -> int:
        """The builder's exit status, once it has finished."""
        return self.process.wait()

    def finish(self, index: SearchIndex) -> None:
        """After a build that succeeded: the search index into the site, the sitemap completed, the build remembered."""
        publish(index, self.site.site_dir, self.cache / PUBLISHED)
        if self.dirty:
            sitebuild.complete_sitemap(self.site, self.previous_sitemap, self.started_ns)
        if self.builder == "mkdocs":
            sitebuild.remember_build(self.plan, self.cache, self.docs_dir, self.site.site_dir)
