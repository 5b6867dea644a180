"""The maintainers' corrections to near-duplicate detection: pairs of texts, by id, never or
always merged (``near_duplicates.overrides``, data/duplicates.yml).  Overrides win over the rules."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Notice, SourceRef
from .schema import Check, load, setting
from .yamlfile import line_of, parse_yaml, read_text


@dataclass(frozen=True)
class Overrides:
    """Maintainers' corrections, by text id: pairs never to merge and pairs always to merge."""

    never: frozenset[frozenset[str]] = frozenset()
    always: tuple[tuple[str, str], ...] = ()
    source: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)  # text id -> line in the file, for messages


_PAIRS = "a list of pairs of two different text ids, like [1a2b3c4d5e6f, 0f9e8d7c6b5a]"
_TextPair = typing.Annotated[
    tuple[str, str], Check(lambda pair: pair[0] != pair[1], "a pair of two different text ids, not {value[0]} twice")
]


@dataclass(frozen=True)
class OverridesFile:
    """The overrides file's schema (``near_duplicates.overrides``, data/duplicates.yml)."""

    never_merge: tuple[_TextPair, ...] | None = setting((), expected=_PAIRS, doc="pairs of text ids never merged")
    always_merge: tuple[_TextPair, ...] | None = setting((), expected=_PAIRS, doc="pairs of text ids always merged")


def load_overrides(path: Path) -> Overrides:
    """Read the overrides file; a missing file means no overrides. Every problem is reported at once, at its line."""
    content = read_text(path, "duplicate overrides", missing_ok=True)
    if content is None:
        return Overrides(source=path.name)
    node = parse_yaml(content, str(path))
    spec, _none = load(node, OverridesFile, str(path), unknown="error")
    lines: dict[str, int] = {}
    for _key, pairs in node.value if isinstance(node, yaml.MappingNode) else ():
        for pair in pairs.value if isinstance(pairs, yaml.SequenceNode) else ():
            for text_id in pair.value if isinstance(pair, yaml.SequenceNode) else ():
                lines.setdefault(str(text_id.value), line_of(text_id))
    return Overrides(
        never=frozenset(frozenset(p) for p in spec.never_merge or ()),
        always=tuple(spec.always_merge or ()),
        source=path.name,
        lines=lines,
    )


def check_overrides(overrides: Overrides, position: Mapping[str, int]) -> list[Notice]:
    notices = []
    for pair in [*map(tuple, overrides.never), *overrides.always]:
        for text_id in pair:
            if text_id not in position:
                notices.append(override_notice(overrides, text_id, f"override names text {text_id}, which no input record has"))
    return sorted(notices, key=lambda n: (n.source, n.message))


def override_notice(overrides: Overrides, text_id: str, message: str) -> Notice:
    line = overrides.lines.get(text_id, 1)
    return Notice(SourceRef(overrides.source, line), message)
