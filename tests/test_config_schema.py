"""The configuration schema (generator/schema.py): every problem of a file at once, at its
file:line, for press-archive.yml, the overrides file and the permalink registry; the JSON
Schema editors complete press-archive.yml with."""

from __future__ import annotations

import json
import re
import textwrap
import typing
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import schema
from generator.config import SCHEMA_FILE, ConfigError, json_schema_text, load_config
from generator.overrides import load_overrides
from generator.permalinks import read_registry
from generator.project import NewProject, create_project
from tests.helpers import REPO, make_project


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(error: pytest.ExceptionInfo) -> list[str]:
    return str(error.value).splitlines()


def test_every_bad_setting_is_reported_at_once_at_its_line(tmp_path):
    path = write(tmp_path / "press-archive.yml", """
        categories: [Industry]
        feed_size: 0
        dump:
          record_separator: "-"
          encoding: klingon
        near_duplicates:
          enabled: true
          same_text_containment: 1.5
        search:
          jobs: "two"
        colour: blue
    """)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert problems(error) == [
        f"{path}:2: feed_size: must be at least 1",
        f"{path}:5: dump.encoding: unknown encoding 'klingon'",
        f"{path}:8: near_duplicates.same_text_containment: must be between 0 and 1",
        f"{path}:10: search.jobs: expected an integer, got text ('two')",
        f"{path}:11: colour: unknown key 'colour' is ignored",  # a warning, told with the errors
    ]


@dataclass(frozen=True)
class Inner:
    size: int = schema.setting(1, doc="a size", check=schema.at_least(1))


@dataclass(frozen=True)
class Sample:
    needed: str = schema.setting(doc="required")
    limit: int | None = schema.setting(None, doc="an int or null")
    either: int | str = schema.setting(0, doc="an int or a text")
    ratio: float = schema.setting(0.5, doc="a number")
    flag: bool = schema.setting(False, doc="a flag")
    mode: typing.Literal["fast", "slow"] = schema.setting("fast", doc="a choice")
    pair: tuple[str, int] = schema.setting(("a", 1), doc="a fixed pair")
    names: tuple[str, ...] = schema.setting((), doc="texts")
    table: dict[str, int] = schema.setting({}, doc="a mapping")
    inner: Inner = schema.setting(Inner(), doc="a section")


def sample(text: str):
    return schema.check(yaml.compose(textwrap.dedent(text).lstrip("\n")), Sample)


def test_coercion_of_unions_tuples_mappings_sections_and_bool_against_int():
    good = sample("""
        limit: 3
        either: text
        ratio: 2
        flag: true
        mode: slow
        pair: [x, 2]
        names: one
        table: {a: 1}
        inner: {size: 4}
        needed: here
    """)
    assert good.errors == [] and good.value == Sample("here", 3, "text", 2.0, True, "slow", ("x", 2), ("one",), {"a": 1}, Inner(4))
    assert sample("needed: x\nlimit: null\n").value.limit is None
    bad = sample("""
        limit: many
        either: [1]
        ratio: true
        flag: 1
        mode: medium
        pair: [x, y, z]
        names: [a, {b: 1}]
        table: {a: yes}
        inner: {size: 0, colour: red}
    """)
    assert [(p.line, p.dotted, p.message) for p in bad.errors] == [
        (1, "limit", "expected an integer or null, got text ('many')"),
        (2, "either", "expected an integer or text, got a list of 1"),
        (3, "ratio", "expected a number, got a boolean ('true')"),
        (4, "flag", "expected true or false, got an integer ('1')"),
        (5, "mode", "expected one of 'fast', 'slow', got text ('medium')"),
        (6, "pair", "expected a list of 2 (text, an integer), got a list of 3"),
        (7, "names[1]", "expected text, got a mapping"),
        (8, "table.a", "expected an integer, got a boolean ('yes')"),
        (9, "inner.size", "must be at least 1"),
        (1, "needed", "required, but not given"),
    ]
    assert [(p.line, p.dotted) for p in bad.warnings] == [(9, "inner.colour")]
    assert sample("needed: x\nneeded: y\n").errors[0].message == "given twice (first at line 1)"


@pytest.mark.parametrize("value", ["null", "[]", "{}", "[[1]]", "{a: {b: c}}", "text", "-1", "1.5", "true", "2025-01-01", "'0'"])
def test_any_wrong_value_of_any_setting_is_a_config_error_and_nothing_else(tmp_path, value):
    """Every setting, nested ones too, given values of every YAML type: it loads or it is a ConfigError."""
    from tests.test_config import schema_settings

    path = tmp_path / "c.yml"
    for name in schema_settings():
        section, _, inner = name.rpartition(".")
        path.write_text(f"{section}:\n  {inner}: {value}\n" if section else f"{inner}: {value}\n", encoding="utf-8")
        try:
            load_config(path)
        except ConfigError as error:
            assert str(error).startswith(f"{path}:"), str(error)


def test_unknown_keys_are_warned_about_at_their_lines(tmp_path):
    path = write(tmp_path / "c.yml", """
        search:
          shard_sise: 10
        near_duplicates:
          max_day: 3
    """)
    assert load_config(path).warnings == (
        f"{path}:2: search.shard_sise: unknown key 'shard_sise' is ignored (did you mean 'shard_size'?)",
        f"{path}:4: near_duplicates.max_day: unknown key 'max_day' is ignored (did you mean 'max_days'?)",
    )


def test_the_overrides_file_reports_every_problem_at_its_line(tmp_path):
    path = write(tmp_path / "duplicates.yml", """
        never_merge:
          - [aaaaaaaaaaaa, bbbbbbbbbbbb]
          - [aaaaaaaaaaaa, bbbbbbbbbbbb, cccccccccccc]
          - [cccccccccccc, cccccccccccc]
        always_merge: nope
        alway_merge: []
    """)
    with pytest.raises(ConfigError) as error:
        load_overrides(path)
    pairs = "a list of pairs of two different text ids, like [1a2b3c4d5e6f, 0f9e8d7c6b5a]"
    assert problems(error) == [
        f"{path}:3: never_merge[1]: expected {pairs}, got a list of 3",
        f"{path}:4: never_merge[2]: a pair of two different text ids, not cccccccccccc twice",
        f"{path}:5: always_merge: expected {pairs}, got text ('nope')",
        f"{path}:6: alway_merge: unknown key (did you mean 'always_merge'?)",
    ]
    empty = write(tmp_path / "empty.yml", "never_merge:\nalways_merge: [[aaaaaaaaaaaa, bbbbbbbbbbbb]]\n")
    assert load_overrides(empty).always == (("aaaaaaaaaaaa", "bbbbbbbbbbbb"),)


def test_the_permalink_registry_reports_every_problem_at_its_line(tmp_path):
    path = write(tmp_path / "permalinks.yml", """
        urls:
          releases/2025/04/good/: {id: a, body_key: b, title_key: c, former_ids: [d]}
          releases/2025/04/Bad/: {id: a, body_key: b, title_key: c}
          releases/2025/04/extra/: {id: a, body_key: b, title_key: c, colour: red}
          releases/2025/04/former/: {id: a, body_key: b, title_key: c, former_ids: {x: 1}}
        listings: [archive/2025/, ../etc/]
        notes: hello
    """)
    with pytest.raises(ConfigError) as error:
        read_registry(path)
    assert problems(error) == [
        f"{path}:3: 'releases/2025/04/Bad/' is not a release URL (releases/YYYY/MM/slug/, the slug in a-z, 0-9 and -)",
        f"{path}:4: the entry of releases/2025/04/extra/ has unknown keys: colour",
        f"{path}:5: the entry of releases/2025/04/former/ needs id, body_key and title_key as text (and former_ids as a list)",
        f"{path}:6: '../etc/' is not a listing URL (folders of a-z, 0-9 and -, or a feed)",
        f"{path}:7: notes: unknown key",
    ]


def test_the_cli_lists_every_problem_and_exits_2_without_a_traceback(tmp_path):
    project = make_project(tmp_path / "project")
    text = project.config_file.read_text(encoding="utf-8")
    text = re.sub(r"\nfeed_size: \d+ ", "\nfeed_size: -5 ", text)
    text = re.sub(r"\n  shard_size: 4000 ", "\n  shard_size: none ", text)
    project.config_file.write_text(text + "search:\n  jobs: 1\n", encoding="utf-8")  # a second search section
    result = project.cli("generate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(re.match(rf"press-archive: error: {re.escape(str(project.config_file))}:\d+: ", line) for line in lines)
    search = text.splitlines().index("search:") + 1
    assert "\nfeed_size: -5 " in text and "shard_size: none" in text
    assert [line.split(": ", 3)[2:] for line in lines] == [
        [f"{project.config_file}:{next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith('feed_size: -5'))}", "feed_size: must be at least 1"],
        [f"{project.config_file}:{search + 2}", "search.shard_size: expected an integer, got text ('none')"],
        [f"{project.config_file}:{len(text.splitlines()) + 1}", f"search: given twice (first at line {search})"],
    ]


# --- the JSON Schema ----------------------------------------------------------------------


def test_the_committed_json_schema_is_the_generated_one():
    regenerate = "run: press-archive schema --output generator/press-archive.schema.json"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), regenerate


def test_the_json_schema_describes_every_setting():
    published = json.loads(json_schema_text())
    jsonschema.Draft7Validator.check_schema(published)
    assert published["additionalProperties"] is False and published["properties"]["dump"]["additionalProperties"] is False
    assert published["properties"]["feed_size"] == {
        "description": "releases in each feed (RSS, Atom and JSON Feed)", "type": "integer", "minimum": 1, "default": 50,
    }
    assert published["properties"]["dump"]["properties"]["fields"]["propertyNames"]["enum"] == ["title", "date", "category", "body", "url"]
    assert all(p.get("description") for p in published["properties"].values())


def modeline_schema(config_file: Path) -> Path:
    first = config_file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    return config_file.parent / first.split("$schema=", 1)[1]


def test_the_shipped_configuration_names_the_schema_and_fits_it():
    schema_file = modeline_schema(REPO / "press-archive.yml")
    assert schema_file == SCHEMA_FILE
    validator = jsonschema.Draft7Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    validator.validate(yaml.safe_load((REPO / "press-archive.yml").read_text(encoding="utf-8")))
    assert list(validator.iter_errors({"feed_size": 0, "colour": "blue"}))  # and the schema is not empty


def test_a_new_projects_configuration_names_a_schema_it_holds_and_fits_it(tmp_path, capsys):
    from generator.cli import main

    create_project(NewProject(tmp_path / "p", language="ko", timezone="Asia/Seoul"))
    config_file = tmp_path / "p" / "press-archive.yml"
    schema_file = modeline_schema(config_file)
    assert schema_file.read_text(encoding="utf-8") == json_schema_text()
    jsonschema.validate(yaml.safe_load(config_file.read_text(encoding="utf-8")), json.loads(schema_file.read_text(encoding="utf-8")))
    assert load_config(config_file).warnings == ()
    assert main(["schema"]) == 0 and capsys.readouterr().out == json_schema_text()


def test_a_null_where_allowed_is_not_checked_and_an_unknown_tag_is_a_problem_at_its_line():
    @dataclass(frozen=True)
    class Nullable:
        limit: int | None = schema.setting(5, doc="an int or null", check=schema.at_least(1))
        other: int = schema.setting(1, doc="an int")

    assert schema.check(yaml.compose("limit: ~\n"), Nullable).value == Nullable(limit=None)
    checked = schema.check(yaml.compose("limit: 0\nother: !!python/object:os.system x\n"), Nullable)
    assert [p.text("f.yml") for p in checked.errors] == [
        "f.yml:1: limit: must be at least 1",
        "f.yml:2: other: not a value a settings file may hold: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object:os.system'",
    ]
