"""The link checker under its first name: it lives in ``bench/linkcheck.py`` (bench imports
nothing from tests), and ``python -m tests.linkcheck`` still runs it.

    python -m tests.linkcheck site --base /archive/ --site-url https://example.github.io/archive/
"""

import sys

from bench.linkcheck import BrokenLink, Link, Report, check_site, main, page_url

__all__ = ["BrokenLink", "Link", "Report", "check_site", "main", "page_url"]

if __name__ == "__main__":
    sys.exit(main())
