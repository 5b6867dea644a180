import pytest

from generator.config import Config, ConfigError, load_config, read_site_identity
from tests.helpers import MOTIE, REPO


def test_shipped_config_is_clean():
    """The repository's own settings (whatever archive they are adapted to) load without a warning."""
    loaded = load_config(REPO / "press-archive.yml")
    assert loaded.warnings == ()
    assert loaded.config.resolve(loaded.config.output) == REPO / "site_src"


def test_motie_settings_of_the_tests():
    config = load_config(MOTIE / "press-archive.yml").config
    assert config.categories == ("Industry", "Trade/Investment", "Energy")
    assert config.home_country == "Korea" and config.dump.record_separator == "-"


def test_generator_output_is_mkdocs_docs_dir():
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    docs_dir = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("docs_dir:"))
    assert docs_dir == load_config(REPO / "press-archive.yml").config.output
    assert not any(line.startswith("hooks:") for line in text.splitlines())  # Zensical ignores hooks


def test_site_identity_from_mkdocs_yml_despite_custom_tags():
    site = read_site_identity(MOTIE / "mkdocs.yml")
    assert site.name == "MOTIE Press Release Archive"
    assert "Ministry of Trade, Industry and Energy" in site.description


def test_unknown_keys_warn_and_defaults_fill_in(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("categories: [News]\ncolour: blue\ndump:\n  separator: '='\n")
    loaded = load_config(path)
    assert loaded.config.categories == ("News",)
    assert loaded.config.dump.record_separator == Config().dump.record_separator
    assert loaded.warnings == (  # each at its file:line, with the key it may have meant
        f"{path}:2: colour: unknown key 'colour' is ignored",
        f"{path}:4: dump.separator: unknown key 'separator' is ignored (did you mean 'record_separator'?)",
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("slug_max_length: long\n", "c.yml:1: slug_max_length: expected an integer, got text"),
        ("slug_max_length: true\n", "slug_max_length: expected an integer, got a boolean"),
        ("categories: [1, 2]\n", "categories[0]: expected text, got an integer"),
        ("dump: 3\n", "c.yml:1: dump: expected a mapping"),
        ("- a list\n", "expected a mapping"),
        ("key: [unclosed\n", "not valid YAML"),
        ("listing_page_size: 0\n", "listing_page_size: must be at least 1"),
        ("search: {shard_size: 0}\n", "search.shard_size: must be at least 1"),
        ("search: {jobs: -1}\n", "search.jobs: must be 0"),
        ("search: {language: 'en; rm -rf'}\n", "is not a language code"),
        ("feed_size: 0\n", "feed_size: must be at least 1"),
        ("timezone: Mars/Olympus\n", "timezone: 'Mars/Olympus' is not an IANA time zone"),
        ("timezone: +09:00\n", "is not an IANA time zone"),
    ],
)
def test_wrong_types_are_errors(tmp_path, text, message):
    path = tmp_path / "c.yml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(path)


def schema_settings() -> dict[str, object]:
    """Every setting of press-archive.yml as `name` or `section.name`, with its default."""
    import dataclasses

    from generator.config import Config

    settings = {}
    for field in dataclasses.fields(Config):
        if field.metadata.get("internal"):
            continue
        default = field.default if field.default is not dataclasses.MISSING else field.default_factory()
        if dataclasses.is_dataclass(default):
            settings.update({f"{field.name}.{inner.name}": getattr(default, inner.name) for inner in dataclasses.fields(default)})
        else:
            settings[field.name] = default
    return settings


def test_every_setting_is_in_the_readme_and_the_shipped_configuration():
    import re

    import yaml

    from tests.helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    reference = readme.split("### Every setting", 1)[1].split("\n## ", 1)[0]
    documented = dict(re.findall(r"^\| `([a-z_.]+)` \| `?([^|`]*)`? \|", reference, re.M))
    settings = schema_settings()
    assert set(documented) == set(settings), (sorted(set(settings) - set(documented)), sorted(set(documented) - set(settings)))
    for name, default in settings.items():  # the defaults the table gives are the schema's
        shown = documented[name]
        if isinstance(default, (list, tuple, dict)) or "…" in shown:
            continue
        assert shown.strip('"') == str(default).lower() if isinstance(default, bool) else shown.strip('"') == str(default), name
    # The repository's settings and those `press-archive new` writes both name every setting.
    for shipped_file in (REPO / "press-archive.yml", REPO / "generator" / "skeleton" / "press-archive.yml"):
        shipped = yaml.safe_load(shipped_file.read_text(encoding="utf-8").replace("$", ""))
        written = {key for key, value in shipped.items() if not isinstance(value, dict)}
        written |= {f"{key}.{inner}" for key, value in shipped.items() if isinstance(value, dict) and key != "fields" for inner in value}
        assert set(settings) <= written, (shipped_file, sorted(set(settings) - written))
