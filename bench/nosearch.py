"""`press-archive` without its search stage: what bench.run measures the search index's cost against.

    python -m bench.nosearch build

The same command line as ``press-archive``; only the search stage is replaced by one that
indexes nothing and writes no search page, so the rest of the run does the same work.
"""

from __future__ import annotations

import sys

from generator import cli, pipeline, search


class _NoIndex:
    early_files: dict = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def close(self) -> None:
        pass

    def result(self) -> search.SearchIndex:
        return search.SearchIndex({}, 0, (), 0.0)


def main() -> int:
    pipeline.start_search_index = lambda *args, **kwargs: _NoIndex()
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
