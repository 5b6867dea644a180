"""Configuration: a declarative, typed schema with defaults.

Everything specific to one organisation lives in a YAML file (``press-archive.yml`` by
default) and in the taxonomy file it names; the site name and description are read from
MkDocs' own ``mkdocs.yml`` so that they are written down once.  Each setting is declared
once below (type, default, validators, description; the machinery is ``generator/schema.py``).
A file is checked whole: every error is reported at once, each at its file:line; unknown
keys are warnings (failures under ``--strict``).  ``generator/press-archive.schema.json``
is the JSON Schema made from these declarations (``press-archive schema`` writes it).
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import json
import typing
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import yaml
import yaml_env_tag

from .dates import is_date_pattern
from .schema import Check, at_least, between, check, load, matches, setting
from .schemajson import json_schema
from .yamlfile import ConfigError, problems_error, python_value, read_yaml, yaml_error

__all__ = ["ConfigError", "yaml_error"]  # re-exported: the rest of the generator imports them from here

DEFAULT_CONFIG_FILE = "press-archive.yml"
SCHEMA_FILE = Path(__file__).with_name("press-archive.schema.json")  # json_schema_text(), committed

T = typing.TypeVar("T")

# JSON Lines keys and CSV columns: record field -> the name the files use.
DEFAULT_FIELDS = {"title": "title", "date": "date", "category": "category", "body": "body", "url": "url"}

_ENCODING = Check(lambda name: name.lower() == "auto" or codecs.lookup(name), "unknown encoding '{value}'")
_RECORD_FIELD = typing.Annotated[str, Check(
    lambda name: name in DEFAULT_FIELDS, f"unknown record field '{{value}}'; known: {', '.join(DEFAULT_FIELDS)}",
    {"enum": list(DEFAULT_FIELDS)},
)]
_FRACTION = between(0, 1, "must be between 0 and 1")


@dataclass(frozen=True)
class DumpFormat:
    """How the input files are laid out: plain-text dumps, JSON Lines and CSV."""

    record_separator: str = setting("-", doc="a line holding only this separates the records of a dump")
    date_marker: str = setting("date", doc="a dump line starting with this word gives the release's date")
    url_marker: str = setting("url", doc='a dump line "url <address>" gives the publisher\'s page of the release; "": none')
    encoding: str = setting("auto", check=_ENCODING,
                            doc="auto (UTF-8, else detected among fallback_encodings) or a codec name")
    fallback_encodings: tuple[typing.Annotated[str, _ENCODING], ...] = setting(
        ("cp1252", "cp949"), doc="the legacy encodings auto detects among, in this order")
    file_patterns: tuple[str, ...] = setting(("*.txt", "*.jsonl", "*.csv"), doc="the files read in an input folder")
    max_line_length: int = setting(1_000_000, check=at_least(1, "must be positive"),
                                   doc="characters; a longer line is rejected, never held in memory")
    future_days: int = setting(1, doc="a date more than this many days after the run is warned about")
    earliest_date: str = setting("1900-01-01", check=Check(dt.date.fromisoformat, "must be a date, YYYY-MM-DD, not '{value}'"),
                                 doc="an earlier date is a mistake (year 1, a swapped field): rejected")
    fields: dict[_RECORD_FIELD, str] = setting(dict(DEFAULT_FIELDS),
                                               doc="JSON Lines keys and CSV columns: record field -> the name the files use")

    def column(self, record_field: str) -> str:
        """The JSON key or CSV column that holds ``record_field``."""
        return self.fields.get(record_field, record_field)


@dataclass(frozen=True)
class NearDuplicates:
    """When two texts are one release (a caption and its full text); see ``generator/neardup.py``."""

    enabled: bool = setting(True, doc="merge near-duplicate texts into one release")
    max_days: int = setting(7, check=at_least(0), doc="texts further apart in days are never compared")
    same_text_containment: float = setting(0.8, check=_FRACTION, doc="share of shingles contained: the same text")
    caption_containment: float = setting(0.45, check=_FRACTION, doc="share of a caption's shingles in the full text")
    caption_length_ratio: float = setting(2.0, check=at_least(1.0), doc="a full text is at least this many times longer than its caption")
    caption_title_similarity: float = setting(0.5, check=_FRACTION, doc="how alike a caption's and full text's titles are")
    min_words: int = setting(8, check=at_least(1), doc="shorter texts are never merged")
    near_miss_margin: float = setting(0.2, check=_FRACTION, doc="pairs this close to a threshold are reported as near misses")
    shingle_words: int = setting(3, check=at_least(1), doc="words per shingle")
    sample_size: int = setting(24, check=at_least(1), doc="shingles sampled per text to find candidates")
    overrides: str = setting("data/duplicates.yml", doc="never_merge / always_merge pairs of text ids")


@dataclass(frozen=True)
class Search:
    """The search index: Pagefind, run by the generator over one small document per release."""

    language: str = setting("", check=matches(r"(?:[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)?",
                                              "'{value}' is not a language code such as en, ko or pt-br"),
                            doc='ISO 639-1 code for word stemming; "" takes mkdocs.yml\'s theme.language')
    shard_size: int = setting(4000, check=at_least(1),
                              doc="releases per index shard at most; shards are whole years unless one year holds more")
    jobs: int = setting(0, check=at_least(0, "must be 0 (one per CPU core, two at most) or more"),
                        doc="Pagefind processes at once; 0: one per CPU core, two at most")


@dataclass(frozen=True)
class Config:
    """The generator's settings (press-archive.yml); paths are relative to the configuration file's folder."""

    inputs: tuple[str, ...] = setting(("data/releases",), doc="dump files or folders, read recursively")
    output: str = setting("site_src", doc="MkDocs' docs_dir: the generator owns only what it writes here")
    report: str = setting("build/report.json", doc="the JSON report of each run")
    mkdocs_config: str = setting("mkdocs.yml", doc="MkDocs' configuration: the site's name, language and address")
    taxonomy: str = setting("data/taxonomy.yml", doc="the topic vocabulary")
    places: str = setting("data/places.yml", doc="countries (the gazetteer) and regions")
    organizations: str = setting("data/organizations.yml", doc="the organisation vocabulary")
    permalinks: str = setting("data/permalinks.yml", doc="every URL ever published; generate updates it, commit it")
    cache: str = setting("build/cache", doc="work kept between runs (search index, per-text results, last run); safe to delete")
    categories: tuple[str, ...] = setting((), doc="the categories the dumps give, in the order the site lists them")
    default_category: str = setting("Uncategorized", doc="the category of a release whose input gives none")
    home_country: str = setting("", doc="the publisher's own country: on every page, so never a place tag")
    infer_categories: bool = setting(True, doc="a release whose input gives no category gets one from its topics")
    related_releases: int = setting(5, check=at_least(0), doc="related releases on each release page")
    slug_max_length: int = setting(80, check=at_least(8), doc="release URL slugs are cut at a word boundary")
    home_latest: int = setting(10, check=at_least(0), doc="releases listed on the home page")
    listing_page_size: int = setting(200, check=at_least(1),
                                     doc="a category, tag or year with more releases is split by year (or month)")
    feed_size: int = setting(50, check=at_least(1), doc="releases in each feed (RSS, Atom and JSON Feed)")
    messages: str = setting("", doc="a YAML file of message texts that add to or correct the language's catalog; \"\": none")
    date_format: str = setting("long", examples=("short", "medium", "long", "full"), check=Check(
                                   is_date_pattern, "'{value}' is not a date pattern Babel can use (short, medium, long, "
                                   "full or a CLDR pattern such as d MMMM y)"),
                               doc="how pages write a day: short, medium, long, full (in the site's language) or a CLDR pattern")
    timezone: str = setting("UTC",
                            check=Check(zoneinfo.ZoneInfo, "'{value}' is not an IANA time zone (such as Asia/Seoul or UTC)"),
                            doc="an IANA zone: the release dates are days in this zone (feeds say so)")
    dump: DumpFormat = setting(DumpFormat(), doc="how the input files are laid out")
    near_duplicates: NearDuplicates = setting(NearDuplicates(), doc="when two texts are one release")
    search: Search = setting(Search(), doc="the search index (Pagefind)")
    base_dir: Path = field(default=Path("."), metadata={"internal": True})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def resolve(self, relative: str) -> Path:
        """A path from the configuration, made absolute against the config's folder."""
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path


def json_schema_text() -> str:
    """press-archive.yml's JSON Schema, as ``SCHEMA_FILE`` holds it."""
    schema = json_schema(Config, "Press Archive configuration (press-archive.yml)")
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    warnings: tuple[str, ...]


def load_config(path: Path | None) -> LoadedConfig:
    """Read a configuration file; with no file, the built-in defaults."""
    if path is None:
        candidate = Path(DEFAULT_CONFIG_FILE)
        if not candidate.exists():
            return LoadedConfig(Config(base_dir=Path.cwd()), ())
        path = candidate
    values, warnings = load_schema_file(path, Config, "configuration")
    config = dataclasses.replace(values, base_dir=path.resolve().parent)
    return LoadedConfig(config, warnings)


def load_schema_file(path: Path, schema: type[T], what: str) -> tuple[T, tuple[str, ...]]:
    """Read a YAML file into the frozen dataclass ``schema``; returns it and warnings about unknown keys.

    Every problem in the file is reported at once, in one ``ConfigError``, each at its file:line.
    """
    return load(read_yaml(path, what), schema, str(path))


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for ``!ENV``, without executing or rejecting its other custom tags."""


_TolerantLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)  # MkDocs' own reading of !ENV
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_mkdocs_yml(mkdocs_config: Path):
    """mkdocs.yml's content as MkDocs reads it (``!ENV`` resolved, other custom tags as None)."""
    return python_value(_mkdocs_node(mkdocs_config), _TolerantLoader)


def _mkdocs_node(mkdocs_config: Path) -> yaml.Node | None:
    """mkdocs.yml's node tree, each ``!ENV`` node replaced by a node of its value, at its line."""
    return _with_env_values(read_yaml(mkdocs_config, "MkDocs configuration", loader=_TolerantLoader))


_HTTP = matches(r"(?:https?://\S+)?", "must be an http or https address (or empty)")


@dataclass(frozen=True)
class ArchiveExtra:
    """mkdocs.yml's ``extra.archive``: what the footer of every page says about the archive (read
    by the theme's footer, and by the generator: the feeds' author)."""

    publisher: str | None = setting(None, doc="who published the releases (the feeds' author)")
    publisher_url: str | None = setting(None, doc="the publisher's own site", check=_HTTP)
    about: str | None = setting(None, doc="what the archive is, in a sentence or two")
    licence: str | None = setting(None, doc="on what terms the texts are reproduced")
    licence_url: str | None = setting(None, doc="the licence's page", check=_HTTP)
    source_url: str | None = setting(None, doc="the archive's own source (its repository)", check=_HTTP)


@dataclass(frozen=True)
class _Extra:
    archive: ArchiveExtra | None = setting(None, doc="the archive's footer")


@dataclass(frozen=True)
class _MkDocsIdentity:
    """What the generator needs of mkdocs.yml; MkDocs checks the rest of it."""

    site_name: str = setting(doc="the site's name")
    use_directory_urls: bool = setting(True, doc="must be true", check=Check(
        lambda v: v is True,
        "must be true: release URLs are folders (/releases/YYYY/MM/<slug>/) and the listings link to them as such",
    ))
    extra: _Extra | None = setting(None, doc="MkDocs' extra settings")


def check_mkdocs_yml(mkdocs_config: Path):
    """mkdocs.yml as read (``read_mkdocs_yml``), after checking what the generator needs of it:
    every problem at once, each at its line; its other keys are MkDocs' business."""
    node = _mkdocs_node(mkdocs_config)
    checked = check(node, _MkDocsIdentity, "warn", _TolerantLoader)
    known = ", ".join(f.name for f in dataclasses.fields(ArchiveExtra))
    unknown_in_archive = [  # only the footer's keys are the archive's; the rest of the file is MkDocs'
        dataclasses.replace(w, message=f"unknown key (known: {known})", kind="invalid")
        for w in checked.warnings if w.key[:2] == ("extra", "archive")
    ]
    if checked.errors or unknown_in_archive:
        raise problems_error(str(mkdocs_config), [*checked.errors, *unknown_in_archive])
    return python_value(node, _TolerantLoader)


def _with_env_values(node: yaml.Node | None) -> yaml.Node | None:
    """The node tree with each ``!ENV`` node replaced by a node of its value (as MkDocs reads it), at its line."""
    if node is None:
        return None
    if node.tag == "!ENV":
        constructor = _TolerantLoader("")
        try:
            value = constructor.construct_object(node, deep=True)
        finally:
            constructor.dispose()
        resolved = yaml.representer.SafeRepresenter().represent_data(value)
        resolved.start_mark, resolved.end_mark = node.start_mark, node.end_mark
        return resolved
    if isinstance(node, yaml.MappingNode):
        node.value = [(key, _with_env_values(value)) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        node.value = [_with_env_values(item) for item in node.value]
    return node


@dataclass(frozen=True)
class SiteIdentity:
    """What mkdocs.yml says about the site: its name, description, language and public address."""

    name: str
    description: str
    url: str = ""  # site_url, ending in "/"; empty when not set
    language: str = "en"
    site_dir: Path = Path("site")  # where MkDocs builds the site (absolute: resolved against mkdocs.yml's folder)
    publisher: str = ""  # extra.archive.publisher: who published the releases (the feeds' author)
    publisher_url: str = ""  # extra.archive.publisher_url: the publisher's own site
    custom_dir: Path | None = None  # theme.custom_dir (absolute): the project's theme overrides and page templates

    def absolute(self, site_relative_url: str) -> str:
        """A site-relative URL made absolute against ``url`` (which must be set)."""
        return self.url + site_relative_url


def read_site_identity(mkdocs_config: Path) -> SiteIdentity:
    """The site's name, description, language and URL, as written in mkdocs.yml (``!ENV`` resolved)."""
    raw = check_mkdocs_yml(mkdocs_config)
    url = str(raw.get("site_url") or "")
    if url and not url.endswith("/"):
        url += "/"
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    site_dir = mkdocs_config.parent / str(raw.get("site_dir") or "site")
    archive = archive_extra(raw, mkdocs_config)
    return SiteIdentity(
        raw["site_name"],
        str(raw.get("site_description") or ""),
        url,
        str(theme.get("language") or "en"),
        site_dir.resolve(),
        archive.get("publisher", ""),
        archive.get("publisher_url", ""),
        (mkdocs_config.parent / str(theme["custom_dir"])).resolve() if theme.get("custom_dir") else None,
    )


def archive_extra(raw: dict, mkdocs_config: Path) -> dict[str, str]:
    """mkdocs.yml's ``extra.archive`` (checked by ``check_mkdocs_yml``), every value as text."""
    extra = raw.get("extra")
    archive = extra.get("archive") if isinstance(extra, dict) else None
    return {key: value or "" for key, value in (archive or {}).items()}
