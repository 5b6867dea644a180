"""Near-duplicates: captions merge into their full releases; look-alikes and sibling captions never do."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import ConfigError, NearDuplicates
from generator.dedupe import merge_exact_duplicates
from generator.model import Record, SourceRef
from generator.neardup import merge_near_duplicates
from generator.overrides import Overrides, load_overrides
from generator.pipeline import collect
from tests.helpers import make_project

S = "002_5d92cec32963d3c7.txt"
C = "001_b0f02343b4eeda64.txt"
# (caption, full) pairs of one event in the seeds, by file:line
SEED_PAIRS = {
    f"{C}:14": f"{C}:18",  # Costa Rica: different titles, same day
    f"{S}:6": f"{S}:14",  # SK hynix visit: unrelated titles, same day
    f"{S}:10": f"{S}:18",  # Technology Protection Committee: same title, 3 days apart, reworded
    f"{S}:26": f"{S}:30",  # foreign investment consultation: similar titles, a day apart
}


def release_of_record(releases) -> dict[str, str]:
    return {str(s): r.id for r in releases for t in r.texts for s in t.sources}


def seed_texts(seeds_collected):
    return merge_exact_duplicates(seeds_collected.read.records)


def test_seed_captions_merge_into_their_full_releases(seeds_collected):
    releases = seeds_collected.catalog.releases
    where = release_of_record(releases)
    for caption, full in SEED_PAIRS.items():
        assert where[caption] == where[full], caption
        release = next(r for r in releases if r.id == where[full])
        assert str(release.sources[0]) == full, "the fuller text is canonical"
        assert [str(s) for v in release.variants for s in v.text.sources] == [caption]
    assert len(releases) == 40 and sum(len(r.variants) for r in releases) == 4


def test_seed_variants_keep_title_date_text_and_source(seeds_collected):
    release = next(r for r in seeds_collected.catalog.releases if r.title == "Korea and Costa Rica hold trade ministers’ meeting")
    (variant,) = release.variants
    record = next(r for r in seeds_collected.read.records if str(r.source) == f"{C}:14")
    assert (variant.text.title, variant.text.date, variant.text.body) == (record.title, record.date, record.body)
    assert variant.match.containment == 1.0 and variant.reason.startswith("same text")


def test_seed_lookalikes_and_sibling_captions_stay_apart(seeds_collected):
    releases = seeds_collected.catalog.releases
    where = release_of_record(releases)
    monthly = [r for r in releases if any(w in r.title for w in ("ICT exports", "auto exports", "automobile exports", "retail industry"))]
    assert len(monthly) >= 7
    assert all(not r.variants for r in monthly)
    # two different captions of one meeting, under one title, and the meeting's full release
    assert len({where[f"{C}:26"], where[f"{C}:30"], where[f"{C}:22"]}) == 3


def test_audit_lists_sibling_captions_as_a_near_miss(config, seeds_collected):
    result = merge_near_duplicates(seed_texts(seeds_collected), config.near_duplicates, Overrides())
    misses = {(str(d.shorter.sources[0]), str(d.longer.sources[0])): d for d in result.near_misses}
    sibling = misses[(f"{C}:26", f"{C}:30")]
    assert 0.5 < sibling.match.containment < 0.8 and sibling.match.length_ratio < 2
    assert "nor a caption" in sibling.reason and not sibling.merge


def test_thresholds_come_from_the_settings(config, seeds_collected):
    loose = dataclasses.replace(config.near_duplicates, caption_length_ratio=1.2)
    result = merge_near_duplicates(seed_texts(seeds_collected), loose, Overrides())
    assert release_of_record(result.releases)[f"{C}:26"] == release_of_record(result.releases)[f"{C}:30"]
    off = dataclasses.replace(config.near_duplicates, enabled=False)
    assert len(merge_near_duplicates(seed_texts(seeds_collected), off, Overrides()).releases) == 44
    strict_days = dataclasses.replace(config.near_duplicates, max_days=2)  # the committee pair is 3 days apart
    where = release_of_record(merge_near_duplicates(seed_texts(seeds_collected), strict_days, Overrides()).releases)
    assert where[f"{S}:10"] != where[f"{S}:18"] and where[f"{S}:6"] == where[f"{S}:14"]


def test_overrides_win(config, seeds_collected, tmp_path):
    texts = seed_texts(seeds_collected)
    id_of = {str(t.sources[0]): t.id for t in texts}
    path = tmp_path / "duplicates.yml"
    path.write_text(
        f"never_merge:\n  - [{id_of[f'{S}:10']}, {id_of[f'{S}:18']}]\n"
        f"always_merge:\n  - [{id_of[f'{C}:30']}, {id_of[f'{C}:22']}]\n  - [{id_of[f'{C}:26']}, 0123456789ab]\n"
    )
    result = merge_near_duplicates(texts, config.near_duplicates, load_overrides(path))
    where = release_of_record(result.releases)
    assert where[f"{S}:10"] != where[f"{S}:18"]
    assert where[f"{C}:30"] == where[f"{C}:22"] == id_of[f"{C}:22"]
    (notice,) = result.notices
    assert notice.source == SourceRef("duplicates.yml", 5) and "0123456789ab" in notice.message
    blocked = [d for d in result.near_misses if d.shorter.id == id_of[f"{S}:10"]]
    assert blocked and "never_merge" in blocked[0].reason


@pytest.mark.parametrize(
    "content",
    ["never_merge: [[a, b, c]]\n", "never_merge: nope\n", "nothing_like_this: []\n", "never_merge: [[aaaaaaaaaaaa, aaaaaaaaaaaa]]\n", ": :\n"],
)
def test_bad_overrides_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "duplicates.yml"
    path.write_text(content)
    with pytest.raises(ConfigError, match="duplicates.yml"):
        load_overrides(path)


def text_record(title: str, body: str, day: int, line: int) -> Record:
    return Record(title, dt.date(2025, 3, day), "Industry", True, body, SourceRef("t.txt", line))


SENTENCES = [
    "The minister met the delegation of the partner country in Seoul to discuss supply chains for batteries",
    "Both sides agreed to expand joint research on hydrogen fuel cells and to hold a working group in June",
    "The ministry will support small exporters with insurance and logistics help worth two billion won",
    "Officials reviewed progress on the industrial complex and the power grid that will serve the new fabs",
    "A forum on shipbuilding brought together forty companies to share orders and training plans for welders",
]


def test_a_caption_found_in_two_full_releases_does_not_join_them():
    caption = text_record("Minister meets delegation", SENTENCES[0] + ". " + SENTENCES[1] + ".", 10, 1)
    first = text_record("Full release one", ". ".join([SENTENCES[0], SENTENCES[1], SENTENCES[2]]) + ".", 10, 2)
    second = text_record("Full release two", ". ".join([SENTENCES[0], SENTENCES[1], SENTENCES[3], SENTENCES[4]]) + ".", 11, 3)
    result = merge_near_duplicates(merge_exact_duplicates([caption, first, second]), NearDuplicates(), Overrides())
    where = release_of_record(result.releases)
    assert where["t.txt:2"] != where["t.txt:3"] and where["t.txt:1"] in (where["t.txt:2"], where["t.txt:3"])
    (refused,) = [d for d in result.near_misses if "already part of" in d.reason]
    assert refused.shorter.title == "Minister meets delegation" and refused.match.containment == 1.0


def test_texts_further_apart_than_max_days_are_never_candidates():
    body = ". ".join(SENTENCES) + "."
    texts = merge_exact_duplicates([text_record("A", body, 1, 1), text_record("B", body + " Again.", 20, 2)])
    result = merge_near_duplicates(texts, NearDuplicates(max_days=7), Overrides())
    assert len(result.releases) == 2 and result.near_misses == ()
    assert len(merge_near_duplicates(texts, NearDuplicates(max_days=30), Overrides()).releases) == 1


def dump_text(records) -> str:
    lines = []
    for record in records:
        lines.append("-")
        if record.category_given:
            lines.append(record.category)
        lines += [record.title, f"{record.body} date{record.date.isoformat()}"]
    return "\n".join(lines) + "\n"


def outcome(root: Path, records, files: int) -> set:
    """Write ``records`` in turn into ``files`` dumps of a fresh project; its releases, URLs and variants."""
    project = make_project(root, inputs=[])
    folder = project.root / "data" / "releases"
    for n in range(files):
        (folder / f"part-{n}.txt").write_text(dump_text(records[n::files]), encoding="utf-8")
    catalog = collect(project.config(), [folder]).catalog
    return {
        (r.id, catalog.paths[r.id], r.category, tuple(sorted((v.text.id, catalog.text_urls[v.text.id]) for v in r.variants)))
        for r in catalog.releases
    }


@pytest.fixture(scope="module")
def seed_records(seeds_collected):
    return list(seeds_collected.read.records)


@pytest.fixture(scope="module")
def seed_outcome(seed_records, tmp_path_factory):
    return outcome(tmp_path_factory.mktemp("reference") / "project", seed_records, 1)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(46)), files=st.integers(min_value=1, max_value=7))
def test_any_order_and_any_split_gives_the_same_releases_and_urls(seed_records, seed_outcome, tmp_path_factory, order, files):
    assert len(seed_records) == 46
    shuffled = [seed_records[i] for i in order]
    assert outcome(tmp_path_factory.mktemp("order") / "project", shuffled, files) == seed_outcome
    assert len(seed_outcome) == 40


@pytest.mark.slow
def test_generated_corpus_captions_found_and_no_two_releases_merged():
    """bench/corpus.py's realistic corpus: caption/full pairs, exact copies and monthly look-alikes."""
    from bench.neardup import run

    result = run(3000)
    assert result["caption_pairs_in_corpus"] > 100 and result["monthly_lookalikes_in_corpus"] > 300
    assert result["caption_recall"] == 1.0
    assert result["releases_holding_two_real_releases"] == 0


def test_texts_without_a_single_word_are_releases_of_their_own():
    texts = merge_exact_duplicates([text_record("Bang", "!!!", 1, 1), text_record("Query", "???", 1, 2), text_record("Dash", "— …", 2, 3)])
    result = merge_near_duplicates(texts, NearDuplicates(), Overrides())
    assert sorted(r.title for r in result.releases) == ["Bang", "Dash", "Query"] and result.merges == ()
