from pathlib import Path

import pytest

from generator.classify import _phrase_pattern, load_taxonomy, topic_score
from generator.config import ConfigError
from tests.helpers import REPO


def matches(phrase: str, text: str) -> bool:
    return bool(_phrase_pattern(phrase).search(text))


@pytest.mark.parametrize(
    "phrase, text, expected",
    [
        ("EV", "demand for EVs grew", True),
        ("EV", "every car", False),
        ("EV", "ev charging", False),  # acronyms match in capitals only
        ("chip", "chips and HBMs", True),
        ("chip", "chipset makers", False),
        ("HBM", "high value-added HBMs", True),
        ("anti-dumping", "anti dumping duty", True),
        ("free trade agreement", "Free Trade Agreements signed", True),
        ("R&D", "joint R&D projects", True),
        ("nuclear", "the Nuclear Safety Day", True),
    ],
)
def test_whole_word_phrase_matching(phrase, text, expected):
    assert matches(phrase, text) is expected


def test_one_passing_body_mention_is_not_a_topic(config):
    taxonomy = load_taxonomy(config.resolve(config.taxonomy))
    hydrogen = next(t for t in taxonomy.topics if t.name == "Hydrogen")
    assert topic_score(hydrogen, "Energy talks", "They also mentioned hydrogen once.", taxonomy.title_weight) < taxonomy.min_score
    assert topic_score(hydrogen, "Hydrogen talks", "Nothing else.", taxonomy.title_weight) >= taxonomy.min_score
    assert topic_score(hydrogen, "Talks", "Hydrogen and fuel cells.", taxonomy.title_weight) >= taxonomy.min_score


def test_excluded_phrases_do_not_count(config):
    taxonomy = load_taxonomy(config.resolve(config.taxonomy))
    nuclear = next(t for t in taxonomy.topics if t.name == "Nuclear power")
    assert topic_score(nuclear, "Talks", "nuclear weapons and nuclear weapons", taxonomy.title_weight) == 0


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Korea’s automobile exports record $6.5 billion in April", {"Automobiles"}),
        ("Korea’s ICT exports grow 10.8% in April", {"ICT", "Semiconductors"}),
        ("K-Humanoid Alliance driving new synergies across Korea’s robotics industry", {"Robotics"}),
        ("KTC Recommends Provisional Anti-Dumping Duties on Hot-Rolled Products from Japan and China", {"Anti-dumping and trade remedies", "Steel and materials"}),
        ("Korea and Cambodia Launch First Article 6.2 Climate Project", {"Climate and carbon"}),
        ("Korea and Mongolia bolster full life cycle cooperation for rare metals", {"Critical minerals and supply chains"}),
        ("Minister attends 14th Nuclear Safety and Promotion Day", {"Nuclear power"}),
        ("Korea and the U.S. establish framework for tariff discussions", {"Trade talks and tariffs"}),
        ("Korea and EU launch 12th FTA Trade Committee meeting", {"Free trade agreements"}),
        ("FDI Arrivals to Korea Rise 2.7% in H1 2025", {"Foreign investment"}),
        ("Korea’s retail industry grows 9.2% in March", {"Retail and distribution"}),
    ],
)
def test_seed_releases_get_the_topics_a_reader_expects(seeds_collected, title, expected):
    catalog = seeds_collected.catalog
    release = next(r for r in catalog.releases if r.title == title)
    assert expected <= set(catalog.topics[release.id])


def test_nearly_every_seed_release_has_a_topic_and_no_topic_is_on_most(seeds_collected):
    catalog = seeds_collected.catalog
    untagged = [r.title for r in catalog.releases if not catalog.topics[r.id]]
    assert len(untagged) <= 2, untagged
    for topic, releases in catalog.by_topic.items():
        assert len(releases) <= len(catalog.releases) / 2, topic


def test_taxonomy_errors_are_clear(tmp_path: Path):
    bad = tmp_path / "t.yml"
    bad.write_text("topics:\n  Steel: {}\n")
    with pytest.raises(ConfigError, match="topic 'Steel' needs a non-empty 'keywords' list"):
        load_taxonomy(bad)
    with pytest.raises(ConfigError, match="cannot read taxonomy"):
        load_taxonomy(tmp_path / "missing.yml")


def test_shipped_taxonomy_covers_the_issue_topics():
    names = {t.name for t in load_taxonomy(REPO / "data" / "taxonomy.yml").topics}
    for word in ["Semiconductors", "Automobiles", "ICT", "tariffs", "Free trade", "Anti-dumping", "Energy", "Nuclear",
                 "Hydrogen", "Batteries", "Robotics", "Foreign investment", "Retail", "Climate", "Critical minerals",
                 "Shipbuilding", "Bio-health", "Steel"]:
        assert any(word in n for n in names), word
