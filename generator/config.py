"""Configuration: a declarative, typed schema with defaults.

Everything specific to one organisation lives in a YAML file (``press-archive.yml`` by
default) and in the taxonomy file it names; the site name and description are read from
MkDocs' own ``mkdocs.yml`` so that they are written down once.  Unknown keys are reported
as warnings (failures under ``--strict``), wrong types are errors.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
import typing
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import yaml
import yaml_env_tag

DEFAULT_CONFIG_FILE = "press-archive.yml"

T = typing.TypeVar("T")


class ConfigError(Exception):
    """A configuration file is missing, unreadable or does not fit the schema."""


def yaml_error(path: Path, error: yaml.YAMLError) -> ConfigError:
    """A YAML syntax error as one line, at the file and line where the parser gave up."""
    mark = getattr(error, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return ConfigError(f"{where}: not valid YAML: {problem}")


@dataclass(frozen=True)
class DumpFormat:
    """How the input files are laid out: plain-text dumps, JSON Lines and CSV."""

    record_separator: str = "-"
    date_marker: str = "date"
    url_marker: str = "url"  # a dump line "url <address>" gives the publisher's page of the release; "": none
    encoding: str = "auto"  # or a codec name; auto: UTF-8, else detected among fallback_encodings
    fallback_encodings: tuple[str, ...] = ("cp1252", "cp949")
    file_patterns: tuple[str, ...] = ("*.txt", "*.jsonl", "*.csv")
    max_line_length: int = 1_000_000  # characters; a longer line is rejected, never held in memory
    future_days: int = 1  # a date more than this many days after the run is warned about
    earliest_date: str = "1900-01-01"  # an earlier date is a mistake (year 1, a swapped field): rejected
    fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FIELDS))

    def __post_init__(self):
        for name in (self.encoding, *self.fallback_encodings):
            if name.lower() != "auto":
                try:
                    codecs.lookup(name)
                except LookupError:
                    raise ValueError(f"unknown encoding '{name}'") from None
        unknown = set(self.fields) - set(DEFAULT_FIELDS)
        if unknown:
            raise ValueError(f"fields: unknown record field(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(DEFAULT_FIELDS)}")
        if self.max_line_length < 1:
            raise ValueError("max_line_length must be positive")
        try:
            dt.date.fromisoformat(self.earliest_date)
        except ValueError:
            raise ValueError(f"earliest_date must be a date, YYYY-MM-DD, not '{self.earliest_date}'") from None

    def column(self, record_field: str) -> str:
        """The JSON key or CSV column that holds ``record_field``."""
        return self.fields.get(record_field, record_field)


# JSON Lines keys and CSV columns: record field -> the name the files use.
DEFAULT_FIELDS = {"title": "title", "date": "date", "category": "category", "body": "body", "url": "url"}


@dataclass(frozen=True)
class NearDuplicates:
    """When two texts are one release (a caption and its full text); see ``generator/neardup.py``."""

    enabled: bool = True
    max_days: int = 7
    same_text_containment: float = 0.8
    caption_containment: float = 0.45
    caption_length_ratio: float = 2.0
    caption_title_similarity: float = 0.5
    min_words: int = 8
    near_miss_margin: float = 0.2
    shingle_words: int = 3
    sample_size: int = 24
    overrides: str = "data/duplicates.yml"

    def __post_init__(self) -> None:
        for name in ("same_text_containment", "caption_containment", "caption_title_similarity", "near_miss_margin"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        for name in ("max_days", "min_words", "shingle_words", "sample_size"):
            if getattr(self, name) < (0 if name == "max_days" else 1):
                raise ValueError(f"{name} is too small")


@dataclass(frozen=True)
class Search:
    """The search index: Pagefind, run by the generator over one small document per release."""

    language: str = ""  # ISO 639-1 code for word stemming; "" takes mkdocs.yml's theme.language
    shard_size: int = 4000  # releases per index shard at most; shards are whole years unless one year holds more
    jobs: int = 0  # Pagefind processes at once; 0: one per CPU core, two at most (each holds its shard in memory)

    def __post_init__(self) -> None:
        if self.shard_size < 1:
            raise ValueError("shard_size must be at least 1")
        if self.jobs < 0:
            raise ValueError("jobs must be 0 (one per CPU core, two at most) or more")
        if self.language and not _LANGUAGE.fullmatch(self.language):
            raise ValueError(f"language '{self.language}' is not a language code such as en, ko or pt-br")


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class Config:
    """The generator's settings; paths are relative to the configuration file's folder."""

    inputs: tuple[str, ...] = ("data/releases",)
    output: str = "site_src"
    report: str = "build/report.json"
    mkdocs_config: str = "mkdocs.yml"
    taxonomy: str = "data/taxonomy.yml"
    places: str = "data/places.yml"
    organizations: str = "data/organizations.yml"
    permalinks: str = "data/permalinks.yml"
    cache: str = "build/cache"  # work kept between runs (search index, per-text results, last run); safe to delete
    categories: tuple[str, ...] = ()
    default_category: str = "Uncategorized"
    home_country: str = ""
    infer_categories: bool = True
    related_releases: int = 5
    slug_max_length: int = 80
    home_latest: int = 10
    listing_page_size: int = 200
    feed_size: int = 50  # releases in each feed (RSS, Atom and JSON Feed)
    messages: str = ""  # a YAML file of message texts that add to or correct the language's catalog; "": none
    date_format: str = "long"  # how pages write a day: short, medium, long, full (in the site's language) or a CLDR pattern
    timezone: str = "UTC"  # an IANA zone: the release dates are days in this zone (feeds say so)
    dump: DumpFormat = field(default_factory=DumpFormat)
    near_duplicates: NearDuplicates = field(default_factory=NearDuplicates)
    search: Search = field(default_factory=Search)
    base_dir: Path = field(default=Path("."), metadata={"internal": True})

    def __post_init__(self) -> None:
        if self.listing_page_size < 1:
            raise ValueError("listing_page_size must be at least 1")
        if self.feed_size < 1:
            raise ValueError("feed_size must be at least 1")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone '{self.timezone}' is not an IANA time zone (such as Asia/Seoul or UTC)") from None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def resolve(self, relative: str) -> Path:
        """A path from the configuration, made absolute against the config's folder."""
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path


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
    """Read a YAML file into the frozen dataclass ``schema``; returns it and warnings about unknown keys."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read {what}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise yaml_error(path, error) from error
    warnings: list[str] = []
    value = _build(schema, {} if raw is None else raw, str(path), warnings)
    return value, tuple(warnings)


def _build(schema: type, raw: object, where: str, warnings: list[str]):
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(raw).__name__}")
    hints = typing.get_type_hints(schema)
    known = {f.name: f for f in dataclasses.fields(schema) if not f.metadata.get("internal")}
    values = {}
    for key, value in raw.items():
        if key not in known:
            warnings.append(f"{where}: unknown key '{key}' is ignored")
            continue
        values[key] = _coerce(hints[key], value, f"{where}: {key}", warnings)
    try:
        return schema(**values)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from error


def _coerce(hint, value, where: str, warnings: list[str]):
    if dataclasses.is_dataclass(hint):
        return _build(hint, {} if value is None else value, where, warnings)
    origin = typing.get_origin(hint)
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
        return {
            _coerce(key_type, key, where, warnings): _coerce(value_type, item, f"{where}: {key}", warnings)
            for key, item in value.items()
        }
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(hint)
        if isinstance(value, item_type):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, item_type) for v in value):
            raise ConfigError(f"{where}: expected a list of {item_type.__name__}")
        return tuple(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if hint in (int, float) and isinstance(value, bool) or not isinstance(value, hint):
        raise ConfigError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
    return value


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for ``!ENV``, without executing or rejecting its other custom tags."""


_TolerantLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)  # MkDocs' own reading of !ENV
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


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
    try:
        raw = yaml.load(mkdocs_config.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as error:
        raise ConfigError(f"{mkdocs_config}: cannot read MkDocs configuration: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise yaml_error(mkdocs_config, error) from error
    if not isinstance(raw, dict) or not isinstance(raw.get("site_name"), str):
        raise ConfigError(f"{mkdocs_config}: no site_name")
    if raw.get("use_directory_urls", True) is not True:
        raise ConfigError(
            f"{mkdocs_config}: use_directory_urls must be true: release URLs are folders "
            "(/releases/YYYY/MM/<slug>/) and the listings link to them as such"
        )
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


# What the footer of every page says about the archive (mkdocs.yml, extra.archive), read by
# the theme's footer and by the generator (the feeds' author).
ARCHIVE_EXTRA_KEYS = ("publisher", "publisher_url", "about", "licence", "licence_url", "source_url")


def archive_extra(raw: dict, mkdocs_config: Path) -> dict[str, str]:
    """mkdocs.yml's ``extra.archive``: text settings only, and addresses that are http(s)."""
    extra = raw.get("extra")
    archive = extra.get("archive") if isinstance(extra, dict) else None
    if archive is None:
        return {}
    if not isinstance(archive, dict):
        raise ConfigError(f"{mkdocs_config}: extra.archive must be a mapping of {', '.join(ARCHIVE_EXTRA_KEYS)}")
    problems = []
    for key, value in archive.items():
        if key not in ARCHIVE_EXTRA_KEYS:
            problems.append(f"unknown key '{key}' (known: {', '.join(ARCHIVE_EXTRA_KEYS)})")
        elif value is not None and not isinstance(value, str):
            problems.append(f"'{key}' must be text")
        elif key.endswith("_url") and value and not re.fullmatch(r"https?://\S+", value):
            problems.append(f"'{key}' must be an http or https address")
    if problems:
        raise ConfigError(f"{mkdocs_config}: extra.archive: " + "; ".join(problems))
    return {key: value or "" for key, value in archive.items()}
