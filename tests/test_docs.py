"""Everything a user can type is documented (as sqlite-utils' documentation tests do):
every ``press-archive`` command in the README and with an example in its help, every option
in the README, and every setting of ``press-archive.yml`` in the README's table and in both
shipped configuration files (the repository's and the one ``press-archive new`` writes),
as a key or as a commented line ``# key: default``.  And the README's "How the code is
organised" names every module of ``generator/``, and no module that is not there.

Commands are read from the argparse parser and settings from the configuration's
dataclasses (``dataclasses.fields``), so a new command, option or setting fails here until
it is documented.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import typing

import pytest

from generator.cli import build_parser
from generator.config import Config
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SHIPPED_CONFIGS = [REPO / "press-archive.yml", REPO / "generator" / "skeleton" / "press-archive.yml"]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def long_options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


def settings(schema: type = Config, prefix: str = "") -> list[str]:
    """Every setting by dotted name (``dump.encoding``), nested dataclasses included; internal fields left out."""
    hints = typing.get_type_hints(schema)
    names = []
    for field in dataclasses.fields(schema):
        if field.metadata.get("internal"):
            continue
        name = prefix + field.name
        hint = hints.get(field.name, field.type)
        if dataclasses.is_dataclass(hint):
            names += settings(hint, name + ".")
        else:
            names.append(name)
    return names


_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:#\s?(?P<commented>\s*))?(?P<key>[a-z_][a-z0-9_]*):(?:\s|$)")


def keys_in_yaml_text(text: str) -> set[str]:
    """The dotted keys a YAML file sets, or names in a commented line ``# key: value``
    (nested under the section above it by indentation)."""
    found, stack = set(), []  # stack: (indentation, key) of the sections the line is in
    for line in text.splitlines():
        match = _KEY_LINE.match(line)
        if not match:
            continue
        indent = len(match["indent"]) + len(match["commented"] or "")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([k for _, k in stack] + [match["key"]])
        found.add(dotted)
        stack.append((indent, match["key"]))
    return found


def test_the_commands_are_the_ones_the_cli_dispatches():
    from generator.commands import COMMANDS, PROJECT_COMMANDS

    assert set(subcommands()) == set(COMMANDS) | set(PROJECT_COMMANDS)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_is_in_the_readme(name):
    assert f"press-archive {name}" in README


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_help_has_an_example(name):
    help_text = subcommands()[name].format_help()
    assert "Example:" in help_text
    example = help_text.split("Example:", 1)[1]
    assert f"press-archive {name}" in example


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_of_every_command_is_in_the_readme(name):
    assert sorted(o for o in long_options(subcommands()[name]) if f"{o}" not in README) == []


def test_every_top_level_option_is_in_the_readme():
    assert sorted(o for o in long_options(build_parser()) if o not in README) == []


def test_settings_are_found_nested_and_internal_ones_left_out():
    names = settings()
    assert {"inputs", "dump.encoding", "near_duplicates.max_days", "search.shard_size"} <= set(names)
    assert "base_dir" not in names and "dump" not in names
    assert len(names) == len(set(names)) > 40


@pytest.mark.parametrize("name", settings())
def test_every_setting_is_in_the_readme(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize("path", SHIPPED_CONFIGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_setting_is_in_the_shipped_configurations(path):
    keys = keys_in_yaml_text(path.read_text(encoding="utf-8"))
    assert [name for name in settings() if name not in keys] == []


def test_the_key_reader_sees_keys_and_commented_keys_in_their_sections():
    text = (
        "# A comment: not a key\n"
        "inputs: [a]   # dump files\n"
        "# output: site_src\n"
        "dump:\n"
        "  encoding: auto\n"
        "  # future_days: 1   # days\n"
        "# search:\n"
        "#   jobs: 0\n"
        "near_duplicates:\n"
        "  enabled: true\n"
    )
    assert keys_in_yaml_text(text) == {
        "inputs", "output", "dump", "dump.encoding", "dump.future_days", "search", "search.jobs",
        "near_duplicates", "near_duplicates.enabled",
    }


def organisation_table() -> set[str]:
    """The modules the README's "How the code is organised" names."""
    section = README[README.index("## How the code is organised"):]
    section = section[: section.index("\n## ", 1)]
    return set(re.findall(r"^\| `([a-z_]+\.py)`", section, flags=re.MULTILINE)) | set(
        re.findall(r"^\| `[a-z_]+\.py`, `([a-z_]+\.py)`", section, flags=re.MULTILINE)
    )


def test_the_readme_names_every_module_of_the_generator_and_only_those():
    modules = {p.name for p in (REPO / "generator").glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    listed = organisation_table()
    assert sorted(modules - listed) == [], "modules missing from the README's How the code is organised"
    assert sorted(listed - modules) == [], "the README's How the code is organised names modules that are gone"
