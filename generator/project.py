"""A new archive project, made from the skeleton the package ships (``press-archive new``).

The project holds everything one archive needs and nothing of any other's: its settings
(``press-archive.yml``, ``mkdocs.yml``), empty vocabularies, an empty permalink registry,
the theme's templates and stylesheet to restyle (``overrides/``), the Pages workflow, a
``.gitignore``, a README for the site's owner and a sample input in the site's language.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
import string
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from . import __version__, permalinks
from .config import SCHEMA_FILE, ConfigError
from .dates import DateFormatError, babel_locale
from .messages import load_messages
from .tagkinds import TAG_KINDS, TagKind

SKELETON = "skeleton"
THEME = "theme"
SAMPLE_LANGUAGES = ("en", "ko")  # sample inputs shipped; other languages get the English one


@dataclass(frozen=True)
class NewProject:
    """What ``press-archive new`` asks for; every value has a default but the folder."""

    folder: Path
    name: str = ""  # "": the language's word for a press release archive
    language: str = "en"
    timezone: str = "UTC"
    description: str = ""

    def check(self) -> None:
        try:
            babel_locale(self.language)
        except DateFormatError as error:
            raise ConfigError(f"--language: {error}") from None
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"--timezone: '{self.timezone}' is not an IANA time zone (such as Asia/Seoul or UTC)") from None
        if self.folder.exists() and any(self.folder.iterdir()):
            raise ConfigError(f"{self.folder}: not empty; a new archive needs an empty or new folder")


def create_project(request: NewProject) -> list[Path]:
    """Write a complete, buildable archive project into ``request.folder``; returns the files written."""
    request.check()
    skeleton = importlib.resources.files("generator") / SKELETON
    language = request.language
    words = load_messages(language)
    name = request.name or words("new_project_name")
    primary = language.replace("_", "-").split("-")[0].lower()
    values = {
        # JSON strings are YAML strings: names with colons or quotes stay text
        "name": json.dumps(name, ensure_ascii=False),
        "description": json.dumps(request.description or words("new_project_description", name=name), ensure_ascii=False),
        "about": json.dumps(words("new_project_about", name=name), ensure_ascii=False),
        "language": json.dumps(language),
        "timezone": json.dumps(request.timezone),
        "default_category": json.dumps(words("new_project_default_category"), ensure_ascii=False),
        "nav_home": json.dumps(words("home"), ensure_ascii=False),
        "nav_archive": json.dumps(words("archive"), ensure_ascii=False),
        "nav_categories": json.dumps(words("categories"), ensure_ascii=False),
        "version": __version__,
    }
    plain = {**values, "name": name}  # the README is Markdown, not YAML
    target = request.folder
    files = {
        "mkdocs.yml": _filled(skeleton / "mkdocs.yml", values),
        "press-archive.yml": _filled(skeleton / "press-archive.yml", values),
        "README.md": _filled(skeleton / "README.md", plain),
        ".gitignore": (skeleton / "gitignore").read_text(encoding="utf-8"),
        ".github/workflows/pages.yml": _filled(skeleton / "github" / "pages.yml", values),
        **{kind.file: vocabulary for kind in TAG_KINDS if (vocabulary := skeleton_vocabulary(skeleton, kind, primary))},
        "data/permalinks.yml": permalinks.registry_text((), ()),
        # press-archive.yml's first line names it, for editors' completion (press-archive schema writes it again)
        SCHEMA_FILE.name: (importlib.resources.files("generator") / SCHEMA_FILE.name).read_text(encoding="utf-8"),
        "data/releases/sample.txt": (
            skeleton / "data" / "releases" / f"sample.{primary if primary in SAMPLE_LANGUAGES else 'en'}.txt"
        ).read_text(encoding="utf-8"),
    }
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (target / "site_src").mkdir(exist_ok=True)
    with importlib.resources.as_file(importlib.resources.files("generator") / THEME) as theme:
        shutil.copytree(theme, target / "overrides", ignore=shutil.ignore_patterns("__pycache__"))
    written += sorted(p for p in (target / "overrides").rglob("*") if p.is_file())
    return written


def skeleton_vocabulary(skeleton, kind: TagKind, language: str) -> str:
    """The vocabulary file a new project gets for a kind of tag: the skeleton's file of the
    same name (``data/places.yml``), in the site's language (``places.en.yml``) or for any
    other (``places.other.yml``) where the skeleton has those; "" if it has none."""
    folder = skeleton / "data"
    stem = kind.file.rsplit("/", 1)[-1].removesuffix(".yml")
    for name in (f"{stem}.{language}.yml", f"{stem}.other.yml", f"{stem}.yml"):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    return ""


def _filled(template, values: dict[str, str]) -> str:
    """A skeleton file with its ``$name`` placeholders filled; ``${{ … }}`` (GitHub Actions) is left as it is."""
    return string.Template(template.read_text(encoding="utf-8")).safe_substitute(values)
