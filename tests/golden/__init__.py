"""Golden files: rendered pages from the bundled seeds, compared byte for byte by test_golden.

After an intended change to page output, regenerate them with ``make golden``
(``python -m tests.golden``) and review the diff.
"""

from __future__ import annotations

from pathlib import Path

from generator.config import read_site_identity
from generator.pipeline import collect, render_site
from tests.helpers import SEEDS, repo_config

GOLDEN_DIR = Path(__file__).resolve().parent

# golden file name -> generated path: a release page with an exact copy from two dumps, one
# with a caption merged in, the redirect from that caption's URL, and one index page (a month).
GOLDEN_PAGES = {
    "release-k-humanoid.md": "releases/2025/05/k-humanoid-alliance-driving-new-synergies-across-koreas-robotics-industry.md",
    "release-costa-rica.md": "releases/2025/04/korea-and-costa-rica-hold-trade-ministers-meeting.md",
    "redirect-costa-rica-caption.html": "releases/2025/04/trade-minister-meets-costa-ricas-minister-of-foreign-trade/index.html",
    "archive-2025-04.md": "archive/2025/04.md",
}


def render_golden_pages() -> dict[str, str]:
    config = repo_config()
    collected = collect(config, [SEEDS])
    files = render_site(collected.catalog, read_site_identity(config.resolve(config.mkdocs_config)), config)
    return {name: files[path] for name, path in GOLDEN_PAGES.items()}


def regenerate() -> None:
    for name, text in render_golden_pages().items():
        (GOLDEN_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote tests/golden/{name}")
