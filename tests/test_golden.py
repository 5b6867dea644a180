import pytest

from tests.golden import GOLDEN_DIR, GOLDEN_PAGES, render_golden_pages


@pytest.fixture(scope="module")
def rendered():
    return render_golden_pages()


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_page_matches_golden_file(rendered, name):
    expected = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    assert rendered[name] == expected, f"{name} changed: if intended, run `make golden` and review the diff"
