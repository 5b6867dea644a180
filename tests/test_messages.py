"""Message catalogs: every language fills the same placeholders as English, plural forms are
the language's, and a project's own texts add to them."""

from __future__ import annotations

import string
from pathlib import Path

import babel
import pytest
import yaml

from generator.config import ConfigError
from generator.messages import load_messages

LOCALES = Path(__file__).resolve().parent.parent / "generator" / "locales"


def placeholders(text) -> set[str]:
    texts = text.values() if isinstance(text, dict) else [text]
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


@pytest.mark.parametrize("catalog", sorted(p.name for p in LOCALES.glob("*.yml")))
def test_each_catalog_translates_with_the_same_placeholders_and_its_own_plural_forms(catalog):
    english = yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8"))
    translated = yaml.safe_load((LOCALES / catalog).read_text(encoding="utf-8"))
    assert set(translated) <= set(english), sorted(set(translated) - set(english))
    locale = babel.Locale.parse(catalog.removesuffix(".yml"))
    categories = {locale.plural_form(n) for n in range(0, 200)}
    for key, text in translated.items():
        assert placeholders(text) <= placeholders(english[key]) | {"count"}, key
        if isinstance(text, dict):
            assert "other" in text and set(text) <= categories | {"other"}, (key, set(text))
    assert set(translated) == set(english) or catalog != "ko.yml"  # Korean is complete


def test_counts_choose_the_languages_plural_form_and_write_its_numbers():
    english, korean = load_messages("en"), load_messages("ko-KR")
    assert [english.plural("releases", n) for n in (0, 1, 2, 12345)] == ["0 releases", "1 release", "2 releases", "12,345 releases"]
    assert [korean.plural("releases", n) for n in (1, 12345)] == ["보도자료 1건", "보도자료 12,345건"]
    assert load_messages("fr")("latest_releases") == "Latest releases"  # no French catalog: English


def test_a_projects_own_texts_add_to_the_catalog_and_unknown_keys_are_refused(tmp_path):
    own = tmp_path / "words.yml"
    own.write_text("latest_releases: Newest statements\n", encoding="utf-8")
    assert load_messages("en", own)("latest_releases") == "Newest statements"
    own.write_text("latest_releases: Newest\nlatest_release: typo\nhome: [a, list]\nlatest_relases: typo\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_messages("en", own)
    assert raised.value.problems == (  # every problem at once, each at its line
        f"{own}:2: latest_release: unknown message key (did you mean latest_releases?)",
        f"{own}:3: home: expected a text (or plural forms: one, other …)",
        f"{own}:4: latest_relases: unknown message key (did you mean latest_releases?)",
    )
    own.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping of message keys"):
        load_messages("en", own)


def test_every_message_the_code_names_is_in_the_english_catalog():
    import re

    english = yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8"))
    code = "\n".join(p.read_text(encoding="utf-8") for p in (LOCALES.parent).glob("*.py"))
    named = set(re.findall(r"""\b(?:t|messages|words|say)(?:\.plural)?\(\s*["']([a-z_-]+)["']""", code))
    script = (LOCALES.parent / "static" / "search.js").read_text(encoding="utf-8")
    named |= set(re.findall(r"""say\(\s*(?:[^"')]*\?\s*)?["']([a-z_-]+)["']""", script))
    assert len(named) > 60
    assert named <= set(english), sorted(named - set(english))
    kinds = ("topic", "place", "organization")
    dynamic = {f"{prefix}{kind}" for kind in kinds for prefix in (
        "kind_", "kind_title_", "by_", "kind_index_description_", "tag_intro_", "tag_description_", "facet_")}
    dynamic |= {f"all_{kind}s" for kind in kinds} | {f"{kind}s" for kind in kinds}
    dynamic |= {"cut_off_mid-word", "cut_off_mid-sentence", "facet_category", "facet_year"}
    dynamic |= {f"{prefix}{kind}" for prefix in ("version_", "role_") for kind in ("short_caption", "shorter_version", "another_version")}
    assert dynamic <= set(english), sorted(dynamic - set(english))
