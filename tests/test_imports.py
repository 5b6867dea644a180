"""The tests may use bench's tooling (the corpus maker, the project maker, serving, Chromium,
the link checker); bench imports nothing from tests, so the dependency runs one way."""

from __future__ import annotations

import ast

import pytest

from tests.helpers import REPO


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a file of ``package`` imports, at any depth (inside functions too), by absolute name."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: against the file's package
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def from_tests(names: set[str]) -> list[str]:
    return sorted(n for n in names if n == "tests" or n.startswith("tests."))


def test_bench_imports_nothing_from_tests():
    files = sorted((REPO / "bench").rglob("*.py"))
    assert len(files) > 5
    offending = {}
    for path in files:
        package = ".".join(path.relative_to(REPO).parent.parts)
        names = from_tests(imported_modules(path.read_text(encoding="utf-8"), package))
        if names:
            offending[path.relative_to(REPO).as_posix()] = names
    assert offending == {}


@pytest.mark.parametrize(
    "source",
    [
        "import tests.helpers",
        "import tests",
        "from tests import helpers",
        "from tests.linkcheck import check_site",
        "def f():\n    from tests.helpers import page\n",
    ],
)
def test_the_import_check_sees_every_form_of_import(source):
    assert from_tests(imported_modules(source, "bench.sub")), source


def test_the_import_check_lets_bench_import_itself():
    assert not from_tests(imported_modules("from bench.corpus import CorpusMaker\nfrom . import search\n", "bench"))
