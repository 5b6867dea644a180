import dataclasses
import datetime as dt
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.config import read_site_identity
from generator.dedupe import text_keys
from generator.model import Release, SourceRef, Text
from generator.permalinks import place
from generator.pipeline import collect, render_site, unique_files
from generator.writer import WriteError
from tests.helpers import motie_config


def release(title: str, day: int = 1, rid: str = "a") -> Release:
    date, body = dt.date(2025, 5, day), f"Body of {rid}."
    text = Text(rid, title, date, "Industry", True, body, (SourceRef("f.txt", 1),), text_keys(title, date, body))
    return Release(text, "Industry", True)


def fresh_paths(releases, max_length=80):
    """Paths as a first run, with an empty permalink registry, gives them."""
    return place(releases, (), max_length).paths


def test_slug_drops_apostrophes_and_caps_length_at_a_word_boundary():
    assert urls.slug("Korea’s automobile exports record $6.5 billion in April") == "koreas-automobile-exports-record-6-5-billion-in-april"
    assert urls.slug("Costa Rica's Minister") == "costa-ricas-minister"
    long = urls.slug("word " * 40, max_length=30)
    assert len(long) <= 30 and not long.endswith("-") and long.endswith("word")
    # the cut keeps the leading words in order, never skipping a long word for shorter ones
    assert urls.slug("sent Korean companies an official warning", max_length=24) == "sent-korean-companies-an"


def test_release_paths_and_served_urls():
    paths = fresh_paths([release("Korea’s ICT exports grow")], 80)
    assert paths == {"a": "releases/2025/05/koreas-ict-exports-grow/index.md"}
    assert urls.url_of(paths["a"]) == "releases/2025/05/koreas-ict-exports-grow/"
    assert urls.url_of("index.md") == "" and urls.url_of("categories/index.md") == "categories/"
    assert urls.url_of(urls.month_path(2025, 5)) == "archive/2025/05/" and urls.month_path(2025, 5) == "archive/2025/05/index.md"


def test_slug_collisions_in_a_month_resolve_by_date_then_id_whatever_the_order():
    items = [release("Same title", day=9, rid="b"), release("Same title", day=3, rid="z"), release("Same title", day=9, rid="a")]
    expected = {
        "z": "releases/2025/05/same-title/index.md",
        "a": "releases/2025/05/same-title-2/index.md",
        "b": "releases/2025/05/same-title-3/index.md",
    }
    assert fresh_paths(items, 80) == expected
    assert fresh_paths(list(reversed(items)), 80) == expected


def test_titles_that_slug_to_nothing_or_to_reserved_names_stay_under_their_month():
    paths = fresh_paths(
        [release("!!!", rid="x1"), release("—", rid="x2"), release("CON", rid="x3"), release("Index", rid="x4"),
         release("../../etc/passwd", rid="x5")],
        80,
    )
    assert paths == {
        "x1": "releases/2025/05/release-x1/index.md",
        "x2": "releases/2025/05/release-x2/index.md",
        "x3": "releases/2025/05/con-page/index.md",
        "x4": "releases/2025/05/index-page/index.md",
        "x5": "releases/2025/05/etc-passwd/index.md",
    }


def test_relative_links_between_sources():
    assert urls.link("releases/2025/05/x/index.md", "topics/ict/index.md") == "../../../../topics/ict/index.md"
    assert urls.link("index.md", "archive/index.md") == "archive/index.md"


_FOLDERS = st.lists(st.sampled_from(["a", "b", "releases", "2025", "06", "topics"]), max_size=4)
_FILE = st.sampled_from(["index.md", "x.md", "06.md", "archive.json"])


@given(_FOLDERS, _FILE, _FOLDERS, _FILE)
def test_relative_links_equal_posixpaths_relpath(from_folders, from_file, to_folders, to_file):
    from_path, to_path = "/".join([*from_folders, from_file]), "/".join([*to_folders, to_file])
    assert urls.link(from_path, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def test_category_feeds_never_share_a_file_or_take_the_feeds_folders_own_names():
    pages = urls.unique_paths(["Sitemap", "Sitemap Category", "Index", "Industry"], urls.category_path)
    assert urls.category_feed_paths(pages) == {
        "Sitemap": "feeds/sitemap-category.xml",
        "Sitemap Category": "feeds/sitemap-category-2.xml",
        "Index": "feeds/index-page.xml",  # the slug of "Index" is index-page
        "Industry": "feeds/industry.xml",
    }


def test_every_generated_path_is_unique_across_page_kinds(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "".join(f"-\n{c}\nA release filed under {c}\nIts text, about {c}. date2025-03-0{n}\n" for n, c in
                enumerate(["Sitemap", "Sitemap Category", "Index"], 1)) + "-\n",
        encoding="utf-8",
    )
    config = motie_config()
    collected = collect(config, [dump])
    site = dataclasses.replace(read_site_identity(config.resolve(config.mkdocs_config)), url="https://press.example.org/")
    files = render_site(collected.catalog, site, config)
    feeds = sorted(p for p in files if p.startswith("feeds/") and p.endswith(".xml") and not p.endswith(".atom.xml"))
    assert feeds == ["feeds/index-page.xml", "feeds/index.xml", "feeds/sitemap-category-2.xml",
                     "feeds/sitemap-category.xml", "feeds/sitemap.xml"]
    # each feed also as Atom and JSON Feed, named after its RSS file
    assert {p for p in files if p.startswith("feeds/")} - set(feeds) == {
        f"{p[:-4]}{suffix}" for p in feeds if p != "feeds/sitemap.xml" for suffix in (".atom.xml", ".json")
    }
    with pytest.raises(WriteError, match="feeds/index.xml: two generated files at one path"):
        unique_files([("feeds/index.xml", "a"), ("index.md", "b"), ("feeds/index.xml", "c")])
