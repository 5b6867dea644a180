import pytest

from generator.pipeline import collect
from tests.adversarial.make import FILES as ADVERSARIAL_FILES
from tests.helpers import SEEDS, make_project, motie_config


def pytest_collection_modifyitems(items):
    """End-to-end and browser tests are slow too: `make check` (pytest -m "not slow") leaves them out."""
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def config():
    return motie_config()


@pytest.fixture(scope="session")
def seeds_collected(config):
    """The bundled seed dumps, read, deduplicated and classified (nothing written)."""
    return collect(config, [SEEDS])


@pytest.fixture(scope="session")
def adversarial(tmp_path_factory):
    """The adversarial corpus built as a user would: `press-archive build` (generate, then mkdocs build --strict).

    Returns the project and the finished process (its stderr lists every rejection and warning).
    """
    project = make_project(tmp_path_factory.mktemp("adversarial") / "project", inputs=sorted(ADVERSARIAL_FILES.iterdir()))
    result = project.cli("build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, result


@pytest.fixture(scope="session")
def browser():
    """The system's Chromium, driven by Playwright (skipped, or failed in CI, when missing)."""
    from tests.browsing import chromium_executable

    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()
