"""The classify stage's parts: phrase matching, the three vocabularies, categories and related releases."""

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from generator import categorize, related
from generator.classify import load_vocabularies
from generator.config import ConfigError
from generator.lexicon import Matcher, compile_phrase
from generator.dedupe import text_keys
from generator.model import Release, SourceRef, Text
from generator.taxonomy import load_lexicon, load_places, load_topics
from tests.helpers import MOTIE, make_project


def matches(phrase: str, text: str) -> bool:
    return bool(Matcher([[compile_phrase(phrase, "x", case_sensitive=False, plurals=True)]]).mentions(text)[0])


@pytest.mark.parametrize(
    "phrase, text, expected",
    [
        ("EV", "demand for EVs grew", True),
        ("EV", "every car", False),
        ("EV", "ev charging", False),  # acronyms match in capitals only
        ("chip", "chips and HBMs", True),
        ("chip", "chipset makers", False),
        ("chip*", "chipset makers", True),  # a prefix only when asked for
        ("HBM", "high value-added HBMs", True),
        ("anti-dumping", "anti dumping duty", True),
        ("free trade agreement", "Free Trade Agreements signed", True),
        ("R&D", "joint R&D projects", True),
        ("U.S.", "non-U.S. markets and U.S.-bound exports", True),
        ("U.S.", "us and US", False),
        ("nuclear", "the Nuclear Safety Day", True),
    ],
)
def test_whole_word_phrase_matching(phrase, text, expected):
    assert matches(phrase, text) is expected


def test_longest_phrase_wins_and_a_glossed_acronym_is_one_mention():
    phrases = [
        compile_phrase(p, key, case_sensitive=True, plurals=False)
        for p, key in [("America", "US"), ("Latin America", "LatAm"), ("Korea", "KR"), ("Korea Trade Commission", "KTC"), ("KTC", "KTC")]
    ]
    counts = Matcher([phrases]).counts("Exports to Latin America rose. The Korea Trade Commission (KTC) met; the KTC ruled.")
    assert counts == {"LatAm": 1, "KTC": 2}


def test_lexicons_matched_together_keep_their_own_longest_match_and_exclusions():
    exports = [compile_phrase("export*", "Exports", case_sensitive=False, plurals=True)]
    autos = [
        compile_phrase("auto exports", "Automobiles", case_sensitive=False, plurals=True),
        compile_phrase("auto exports fair", None, case_sensitive=False, plurals=True),
    ]
    matcher = Matcher([exports, autos])
    assert matcher.counts("Auto exports rose; exporters cheered.") == {"Exports": 2, "Automobiles": 1}
    assert matcher.counts("The auto exports fair opened.") == {"Exports": 1}


@pytest.fixture(scope="module")
def vocabularies(config):
    return load_vocabularies(config)


def test_one_passing_body_mention_is_not_a_topic_but_a_title_mention_is(vocabularies):
    topics = vocabularies["topic"]
    assert "Hydrogen" not in topics.tags("Energy talks", "They also mentioned hydrogen once.")
    assert "Hydrogen" in topics.tags("Hydrogen talks", "Nothing else.")
    assert "Hydrogen" in topics.tags("Talks", "Hydrogen, fuel cells and more hydrogen.")


def test_excluded_phrases_do_not_count(vocabularies):
    body = "nuclear weapons and nuclear weapons and more nuclear weapons"
    assert "Nuclear power" not in vocabularies["topic"].tags("Nuclear weapons talks", body)
    assert "Free trade agreements" not in vocabularies["topic"].tags("Korea and Australia sign Green EPA", "The Green EPA.")


@pytest.mark.parametrize(
    "title, body, places",
    [
        ("Korea-U.S. trade consultation", "Minister met the USTR in Washington D.C.", {"United States"}),
        ("Exports", "Exports to Latin America rose. Latin American demand grew.", {"Latin America"}),
        ("Auto plant", "A new plant in Georgia, U.S. opened. Another plant in Georgia, U.S. too.", {"United States"}),
        ("Talks in Tbilisi", "The Georgian government hosted them.", {"Georgia"}),  # the country, by its aliases
        ("Duties on Vietnamese steel", "Imports from Vietnam rose.", {"Vietnam"}),
        ("Korean firms in Korea", "The Republic of Korea and South Korea.", set()),  # home: never a tag
        ("Jordan Smith visits Korea", "Mr. Jordan said so. Jordan agreed.", set()),  # ambiguous names ignored
        ("Talks with the EU", "The European Union (EU) and the EU agreed.", {"European Union"}),
        ("ICT exports", "By region: the U.S., Vietnam, Japan and China.", set()),  # one list entry each
    ],
)
def test_places_from_the_gazetteer_and_aliases(vocabularies, title, body, places):
    assert set(vocabularies["place"].tags(title, body)) == places


def test_every_gazetteer_country_is_a_place_and_the_home_country_is_untagged(vocabularies):
    names = set(vocabularies["place"].names)
    assert {"Costa Rica", "Kazakhstan", "Vietnam", "Taiwan", "Czechia", "Mongolia"} <= names
    assert len(names) >= 249  # every ISO 3166 country, plus the regions
    assert "Korea" in names and "Korea" not in vocabularies["place"].tags("Korea", "Korea and Korea")


def test_organizations_need_more_than_a_passing_mention(vocabularies):
    organizations = vocabularies["organization"]
    assert organizations.tags("Growth", "According to World Trade Organization (WTO) statistics, exports rose.") == ()
    assert organizations.tags("KTC proposes duties", "") == ("KTC",)
    assert organizations.tags("Meeting", "The Korea Trade Commission (KTC) met. The KTC ruled.") == ("KTC",)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_vocabulary_files_are_checked(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"t.yml:2: topics.Steel.keywords: required"):
        load_topics(write(tmp_path / "t.yml", "topics:\n  Steel: {}\n"))
    vocabulary, warnings = load_topics(tmp_path / "missing.yml")  # no topics: a warning, not an error
    assert vocabulary.names == () and vocabulary.categories == {} and "missing.yml: not found: releases get no topic tags" in warnings[0]
    (tmp_path / "folder.yml").mkdir()
    with pytest.raises(ConfigError, match="cannot read taxonomy"):
        load_topics(tmp_path / "folder.yml")
    with pytest.raises(ConfigError, match="holds no word"):
        load_topics(write(tmp_path / "t.yml", "topics:\n  Odd: {keywords: ['!!!']}\n"))
    with pytest.raises(ConfigError, match="min_score"):
        load_topics(write(tmp_path / "t.yml", "scoring: {min_score: 0}\ntopics:\n  Steel: {keywords: [steel]}\n"))
    with pytest.raises(ConfigError, match="unknown ISO 3166 country code"):
        load_places(write(tmp_path / "p.yml", "places:\n  Korea: {country: XX}\n"), "Korea")
    with pytest.raises(ConfigError, match="home country 'Atlantis' is not a place"):
        load_places(write(tmp_path / "p.yml", "gazetteer: false\nplaces:\n  Korea: {}\n"), "Atlantis")
    _vocabulary, warnings = load_lexicon(
        write(tmp_path / "o.yml", "organisations: {}\norganizations:\n  WTO: {}\n"), "organization", "organizations"
    )
    assert any("unknown key 'organisations'" in w for w in warnings)


def test_every_problem_of_a_vocabulary_file_is_reported_at_once_at_its_line(tmp_path: Path):
    taxonomy = write(tmp_path / "t.yml", """\
        scoring: {min_score: 0}
        topics:
          Steel: {}
          Odd: {keywords: [steel, '!!!']}
          Chips:
            keywords: [chips]
            min_score: -1
        """)
    with pytest.raises(ConfigError) as raised:
        load_topics(taxonomy)
    assert raised.value.problems == (
        f"{taxonomy}:1: scoring.min_score: must be at least 1",
        f"{taxonomy}:3: topics.Steel.keywords: required, but not given",
        f"{taxonomy}:4: topics.Odd.keywords[1]: '!!!' holds no word to match",
        f"{taxonomy}:7: topics.Chips.min_score: must be at least 0",
    )
    places = write(tmp_path / "p.yml", "places:\n  Korea: {country: XX}\n  Mars: {country: YY, aliases: ['--']}\n")
    with pytest.raises(ConfigError) as raised:
        load_places(places, "Korea")
    assert raised.value.problems == (
        f"{places}:2: places.Korea.country: unknown ISO 3166 country code 'XX'",
        f"{places}:3: places.Mars.country: unknown ISO 3166 country code 'YY'",
        f"{places}:3: places.Mars.aliases[0]: '--' holds no word to match",
    )


def test_the_problems_of_every_vocabulary_file_are_reported_at_once(tmp_path: Path):
    project = make_project(tmp_path / "project")
    taxonomy = write(project.root / "data" / "taxonomy.yml", "topics:\n  Steel: {keywords: ['!!!']}\n")
    organizations = write(project.root / "data" / "organizations.yml", "organizations:\n  '...': {}\n  KTC: {aliases: ['--']}\n")
    with pytest.raises(ConfigError) as raised:
        load_vocabularies(project.config())
    assert raised.value.problems == (
        f"{taxonomy}:2: topics.Steel.keywords[0]: '!!!' holds no word to match",
        f"{organizations}:2: organizations....: '...' holds no word to match",
        f"{organizations}:3: organizations.KTC.aliases[0]: '--' holds no word to match",
    )
    result = project.cli("generate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line.removeprefix("press-archive: error: ") for line in result.stderr.splitlines()] == list(raised.value.problems)
    assert not (project.docs / "index.md").exists()


def test_a_vocabulary_knows_the_line_of_each_name_for_its_warnings(tmp_path: Path):
    vocabulary, _warnings = load_topics(
        write(tmp_path / "t.yml", "topics:\n  Steel:\n    keywords: [steel]\n\n  Chips: {keywords: [chips]}\n")
    )
    assert dict(vocabulary.lines) == {"Steel": 2, "Chips": 5}


def test_shipped_taxonomy_covers_the_issue_topics_and_every_topic_points_to_a_category(config):
    topics, warnings = load_topics(MOTIE / "data" / "taxonomy.yml")
    categories = topics.categories
    assert warnings == ()
    for word in ["Semiconductors", "Automobiles", "ICT", "tariffs", "Free trade", "Anti-dumping", "Energy", "Nuclear",
                 "Hydrogen", "Batteries", "Robotics", "Foreign investment", "Retail", "Climate", "Critical minerals",
                 "Shipbuilding", "Bio-health", "Steel"]:
        assert any(word in n for n in topics.names), word
    assert set(categories) == set(topics.names)
    assert set(categories.values()) <= set(config.categories)


def release(number: int, title: str, body: str, category: str = "", date: str = "2025-01-01") -> Release:
    text = Text(
        f"id{number:02d}", title, dt.date.fromisoformat(date), category or "Uncategorized", bool(category), body,
        (SourceRef("dump.txt", number),), text_keys(title, dt.date.fromisoformat(date), body),
    )
    return Release(text, text.category, text.category_given)


def test_a_given_category_is_never_overridden_and_a_missing_one_is_inferred_and_marked():
    releases = [
        release(1, "Chip exports", "", "Industry"),
        release(2, "Chip output", "", "Energy"),  # an odd given category stays as given
        release(3, "New chip plant", ""),
        release(4, "Nothing known", ""),
    ]
    chips = {"Semiconductors": 1.0}
    topics = {"id01": chips, "id02": chips, "id03": chips, "id04": {}}
    hints = {"Semiconductors": "Industry"}
    names = ["Semiconductors", "Nuclear power", "Steel"]
    choices = categorize.categories(releases, topics, names, hints, ["Industry", "Energy"], "Uncategorized", True)
    assert choices["id01"] == categorize.CategoryChoice("Industry", False)
    assert choices["id02"] == categorize.CategoryChoice("Energy", False)
    assert choices["id03"] == categorize.CategoryChoice("Industry", True)
    assert choices["id04"].inferred  # trained on given categories: the more common one
    off = categorize.categories(releases, topics, names, hints, ["Industry", "Energy"], "Uncategorized", False)
    assert off["id03"] == categorize.CategoryChoice("Uncategorized", False)


def test_with_no_given_category_the_taxonomy_hints_decide_and_no_evidence_means_the_default():
    releases = [release(1, "Nuclear plant", ""), release(2, "Nothing known", "")]
    topics = {"id01": {"Nuclear power": 1.0}, "id02": {}}
    names = ["Semiconductors", "Nuclear power", "Steel"]
    hints = {"Nuclear power": "Energy", "Semiconductors": "Industry"}
    choices = categorize.categories(releases, topics, names, hints, ["Industry", "Energy"], "Other", True)
    assert choices == {"id01": categorize.CategoryChoice("Energy", True), "id02": categorize.CategoryChoice("Other", False)}


def test_a_newer_release_never_changes_the_category_inferred_for_an_older_one():
    """An editor's judgement on the day: the releases up to a release's day teach its category,
    so publishing a new one leaves every earlier page as it was."""
    names, hints = ["Chips", "Power"], {}
    both = {"Chips": 1.0, "Power": 1.0}
    releases = [
        release(1, "Chip plant", "", "Industry", date="2025-01-01"),
        release(2, "Power plant", "", "Energy", date="2025-01-02"),
        release(3, "Chips and power", "", date="2025-01-03"),  # a tie: either category
        release(4, "Chips and power again", "", date="2025-01-04"),
    ]
    topics = {"id01": {"Chips": 1.0}, "id02": {"Power": 1.0}, "id03": both, "id04": both, "id05": {"Power": 1.0}}
    before = categorize.categories(releases, topics, names, hints, ["Industry", "Energy"], "Other", True)
    later = [*releases, release(5, "Grid", "", "Energy", date="2025-01-04")]  # tips the balance to Energy
    after = categorize.categories(later, topics, names, hints, ["Industry", "Energy"], "Other", True)
    assert after["id03"] == before["id03"] == categorize.CategoryChoice("Industry", True)  # the older tie breaks by the categories' order
    assert after["id04"] == categorize.CategoryChoice("Energy", True)  # that day's own releases count


def test_related_releases_rank_shared_tags_then_text_then_newer():
    releases = [
        release(1, "Steel duties on Chinese imports", "Steel imports dumping duties", date="2025-01-01"),
        release(2, "Steel duties again", "Steel imports dumping duties review", date="2025-02-01"),
        release(3, "Steel duties old", "Steel imports dumping duties review", date="2024-02-01"),
        release(4, "Retail sales", "Department stores and convenience stores", date="2025-03-01"),
        release(5, "Steel mills", "Mills of steel plates", date="2025-03-01"),
    ]
    tags = {"id01": ("Steel", "China"), "id02": ("Steel", "China"), "id03": ("Steel", "China"), "id04": (), "id05": ("Steel",)}
    result = related.related_releases(releases, tags, limit=5)
    assert result["id01"] == ("id02", "id03", "id05")  # 2 shared tags (same text: newer first), then 1
    assert result["id04"] == ()  # nothing shared, nothing alike
    assert "id01" not in result["id01"]
    assert len(related.related_releases(releases, tags, limit=1)["id01"]) == 1


@pytest.mark.slow
def test_a_generic_topic_is_reported_and_fails_strict(tmp_path: Path):
    project = make_project(tmp_path)
    taxonomy = project.root / "data" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "  Korea news:\n    keywords: [Korea, Korean]\n")
    report = project.generate()
    assert any("topic 'Korea news' is on" in n.message and "too generic" in n.message for n in report.warnings)
    assert project.cli("generate", "--strict").returncode == 1


@pytest.mark.slow
def test_a_vocabulary_that_tags_nothing_is_a_warning_and_a_missing_one_leaves_its_kind_out(tmp_path, seeds_collected):
    import dataclasses

    from generator.config import read_site_identity
    from generator.pipeline import collect, render_site
    from tests.helpers import SEEDS, motie_config

    organizations = tmp_path / "organizations.yml"
    organizations.write_text("organizations:\n  Springfield City Council: {}\n", encoding="utf-8")
    config = dataclasses.replace(motie_config(), organizations=str(organizations), places=str(tmp_path / "no-places.yml"))
    collected = collect(config, [SEEDS])
    assert collected.vocabulary_warnings == (
        f"{tmp_path / 'no-places.yml'}: not found: releases get no place tags, and the site has no place pages "
        "(create it to tag them)",
    )
    assert [str(n) for n in collected.classified.notices if "tags none" in n.message] == [
        "organizations.yml:0: warning: the organization vocabulary tags none of the 40 releases: are its words those of "
        "these releases (their organisation, their language)? The site has no organization pages"
    ]
    site = read_site_identity(config.resolve(config.mkdocs_config))
    files = render_site(collected.catalog, site, config)
    assert not any(path.startswith(("places/", "organizations/")) for path in files)
    assert any(path.startswith("topics/") for path in files)
    home = files["index.md"]
    assert "By topic" in home and "By place" not in home and "By organization" not in home
    assert all(r.tags["place"] == () and r.tags["organization"] == () for r in collected.classified.by_release.values())
