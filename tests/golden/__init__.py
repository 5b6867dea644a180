"""Golden files: rendered pages from the bundled seeds, compared byte for byte by test_golden.

After an intended change to page output, regenerate them with ``make golden``
(``python -m tests.golden``) and review the diff.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator import pagefind, search
from generator.config import read_site_identity
from generator.pipeline import collect, render_site
from tests.helpers import SEEDS, motie_config

GOLDEN_DIR = Path(__file__).resolve().parent

# golden file name -> generated path: a release page with an exact copy from two dumps, one
# with a caption merged in, one cut off in the source, the redirect from that caption's URL,
# listing pages (a month, a year, a category, a topic), the home page (with its chart), a
# category's feed in its three formats, the search page, and the document Pagefind indexes
# for the release with the merged caption.
GOLDEN_PAGES = {
    "release-k-humanoid.md": "releases/2025/05/k-humanoid-alliance-driving-new-synergies-across-koreas-robotics-industry/index.md",
    "release-costa-rica.md": "releases/2025/04/korea-and-costa-rica-hold-trade-ministers-meeting/index.md",
    "redirect-costa-rica-caption.html": "releases/2025/04/trade-minister-meets-costa-ricas-minister-of-foreign-trade/index.html",
    "release-annual-exports-cut-off.md": "releases/2025/01/koreas-annual-exports-reach-new-highs-in-2024/index.md",
    "archive-2025-04.md": "archive/2025/04/index.md",
    "home.md": "index.md",
    "feed-energy.xml": "feeds/energy.xml",
    "feed-energy.atom.xml": "feeds/energy.atom.xml",
    "feed-energy.json": "feeds/energy.json",
    "category-energy.md": "categories/energy/index.md",
    "topic-energy-policy.md": "topics/energy-policy/index.md",
    "archive-2025.md": "archive/2025/index.md",
    "search-page.md": "search/index.md",
    "search-document-costa-rica.html": "search document of releases/2025/04/korea-and-costa-rica-hold-trade-ministers-meeting/index.md",
}
# Fixed, so that the golden feed does not depend on SITE_URL in the environment.
GOLDEN_SITE_URL = "https://press.example.org/"


def render_golden_pages() -> dict[str, str]:
    config = motie_config()
    collected = collect(config, [SEEDS])
    site = dataclasses.replace(read_site_identity(config.resolve(config.mkdocs_config)), url=GOLDEN_SITE_URL)
    catalog = collected.catalog
    files = render_site(catalog, site, config)
    shards = tuple(
        search.shard_fingerprint(shard, catalog, site.language, pagefind.pagefind_version())
        for shard in search.plan_shards(catalog.releases, config.search.shard_size)
    )
    files["search/index.md"] = search.search_page(shards, catalog)
    for release in catalog.releases:
        files[f"search document of {catalog.paths[release.id]}"] = search.search_document(release, catalog, site.language)
    return {name: files[path] for name, path in GOLDEN_PAGES.items()}


def regenerate() -> None:
    for name, text in render_golden_pages().items():
        (GOLDEN_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote tests/golden/{name}")
