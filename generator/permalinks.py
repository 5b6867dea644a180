"""Place stage: every text gets a permanent URL, remembered in the permalink registry.

The registry (``data/permalinks.yml`` by default, committed with the project) maps every
URL the archive has ever published to the text it was made for.  Each run:

1. finds each registered URL's text again: by text id, else by the date and body (the
   title was corrected), else by the date and title (the body was corrected), the last two
   only when they point at exactly one text;
2. gives every text that has no URL yet a new one from its title — canonical texts first,
   in (date, id) order — never reusing a registered URL, so a newer release whose title
   slugs the same gets ``-2``;
3. makes each release's page the URL of its canonical text.  Every other URL becomes a
   redirect: a merged text's URL to the release it is part of, a URL whose text is gone
   (withdrawn) to the month listing it was in.

So a release keeps its URL when its title is corrected, when more dumps arrive and when a
newer release collides with its slug, and no URL ever published stops working.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import memo, urls
from .model import Release, Text
from .schema import Check, Scalar, check, matches, setting
from .yamlfile import ConfigError, Problem, line_of, parse_yaml, read_text

REGISTRY_HEADER = """\
# Permalink registry: every release URL this archive has published, and the text it was
# made for. `press-archive generate` keeps it up to date; commit it with the project, so
# that later builds keep every URL working (as the release's page, or as a redirect).
# Entries are never removed. Edit an entry's URL only to fix a mistake before publishing.
"""


@dataclass(frozen=True)
class Permalink:
    url: str  # site-relative, e.g. releases/2025/04/some-title/
    id: str  # the text last found at this URL
    title: str  # for people reading the file
    body_key: str  # see model.TextKeys
    title_key: str  # see model.TextKeys
    former_ids: tuple[str, ...] = ()
    undated_key: str = ""  # see model.TextKeys (absent from entries written before it existed)


@dataclass(frozen=True)
class Placement:
    paths: Mapping[str, str]  # release id -> Markdown path of its page
    text_urls: Mapping[str, str]  # text id -> its own URL (a page or a redirect)
    redirects: Mapping[str, str]  # URL -> Markdown path of the page it now leads to
    registry: tuple[Permalink, ...]  # in registration order
    added: int  # URLs registered by this run


# The registry grows with the archive; libyaml, where PyYAML has it, reads and writes it ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# The grammar of a release URL: what ``urls.slug`` makes, under its year and month.  The
# registry is input too (a hand edit, a merge): a URL outside it could carry markup into
# listing pages or name a file MkDocs skips.
_RELEASE_URL = re.compile(r"releases/\d{4}/(0[1-9]|1[0-2])/[a-z0-9]+(-[a-z0-9]+)*/")
_LISTING_URL = re.compile(r"([a-z0-9]+(-[a-z0-9]+)*/)+|feeds/[a-z0-9]+(-[a-z0-9]+)*(\.xml|\.atom\.xml|\.json)")


@dataclass(frozen=True)
class Registry:
    links: tuple[Permalink, ...]  # release URLs
    listings: tuple[str, ...]  # every listing page and feed ever published, as site-relative URLs


def load_registry(path: Path) -> tuple[Permalink, ...]:
    """The registry's release URLs (see ``read_registry``)."""
    return read_registry(path).links


_NEEDED = Check(bool, "needs text")
_ReleaseURL = typing.Annotated[
    str, matches(_RELEASE_URL, "{value!r} is not a release URL (releases/YYYY/MM/slug/, the slug in a-z, 0-9 and -)")
]
_ListingURL = typing.Annotated[
    Scalar, matches(_LISTING_URL, "{value!r} is not a listing URL (folders of a-z, 0-9 and -, or a feed)")
]


@dataclass(frozen=True)
class RegistryEntry:
    """One URL's entry; every field is taken as the text the file writes (the registry is written by the generator)."""

    id: Scalar = setting(check=_NEEDED, doc="the text last found at this URL")
    body_key: Scalar = setting(check=_NEEDED, doc="the text's date and body (model.TextKeys.body)")
    title_key: Scalar = setting(check=_NEEDED, doc="the text's date and title (model.TextKeys.title)")
    title: Scalar = setting("", doc="for people reading the file")
    undated_key: Scalar = setting("", doc="the text's title and body (model.TextKeys.undated; absent from entries written before it existed)")
    former_ids: tuple[Scalar, ...] | None = setting((), doc="texts found at this URL before")


@dataclass(frozen=True)
class RegistryFile:
    """The permalink registry's schema."""

    urls: dict[_ReleaseURL, RegistryEntry] = setting(doc="release URL -> its entry")
    listings: tuple[_ListingURL, ...] | None = setting((), expected="a list of listing URLs",
                                                      doc="every listing page and feed ever published")


def read_registry(path: Path, written: WrittenRegistry | None = None) -> Registry:
    """Read the registry; a missing file is an empty registry.

    Every entry is checked: its URL against the grammar of release URLs and against the
    other entries, its fields for presence and type.  All problems are reported at once,
    one line each, at the file and line of the entry.  ``written`` is the registry the
    last run wrote: when the file still holds its text, it is that registry (read and
    checked when it was made), and the file is not parsed again.
    """
    text = read_text(path, "permalink registry", missing_ok=True)
    if text is None:
        return Registry((), ())
    if written is not None and written.key == memo.text_key(text):
        return written.registry
    document = parse_yaml(text, str(path), _YAML_LOADER)
    checked = check(document, RegistryFile, unknown="error", loader=_YAML_LOADER)
    if checked.errors:
        problems = list(_registry_problems(path, document, checked.errors))
        raise ConfigError("\n".join(problems), problems)
    spec = checked.value
    links = tuple(Permalink(url, e.id, e.title, e.body_key, e.title_key, tuple(e.former_ids or ()), e.undated_key)
                  for url, e in spec.urls.items())
    return Registry(links, tuple(spec.listings or ()))


def _registry_problems(path: Path, document: yaml.Node, problems: list[Problem]) -> list[str]:
    """The schema's problems in the registry's own words: one line for each entry, at its URL."""
    url_lines: dict[str, int] = {}
    for key, entries in document.value if isinstance(document, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode) and key.value == "urls" and isinstance(entries, yaml.MappingNode):
            for url, _entry in entries.value:
                if isinstance(url, yaml.ScalarNode):
                    url_lines.setdefault(url.value, line_of(url))
    by_entry: dict[tuple, list[Problem]] = {}
    for problem in problems:
        by_entry.setdefault(problem.key[:2] if problem.key[:1] == ("urls",) else (problem,), []).append(problem)
    lines = []
    for where, found in by_entry.items():
        if len(where) == 1:  # not about an entry
            problem = found[0]
            lines.append((problem.line, problem.text(str(path)) if problem.key[:1] != ("listings",) or problem.kind == "type"
                          else f"{path}:{problem.line}: {problem.message}"))
            continue
        url, first = where[1], found[0]
        line = url_lines.get(url, first.line)
        about_url = [p for p in found if len(p.key) == 2]
        if about_url:
            problem = about_url[0]
            line = problem.line
            message = (f"{url} is listed twice (first at line {problem.first}): a URL belongs to one release"
                       if problem.kind == "twice" else problem.message)
        elif all(p.kind == "unknown" for p in found):
            message = f"the entry of {url} has unknown keys: {', '.join(sorted(str(p.key[-1]) for p in found))}"
        else:
            message = f"the entry of {url} needs id, body_key and title_key as text (and former_ids as a list)"
        lines.append((line, f"{path}:{line}: {message}"))
    return [line for _number, line in sorted(lines, key=lambda item: item[0])]


@dataclass(frozen=True)
class WrittenRegistry:
    """A registry as a run wrote it: the key of its text, and the entries' texts for the next run."""

    key: bytes
    registry: Registry
    entry_texts: Mapping[Permalink, str]


def registry_text(registry: Sequence[Permalink], listings: Sequence[str] = ()) -> str:
    return write_registry(registry, listings)[0]


def write_registry(
    registry: Sequence[Permalink], listings: Sequence[str] = (), earlier: WrittenRegistry | None = None
) -> tuple[str, WrittenRegistry]:
    """The registry's text, and what the next run needs to read it at once (``read_registry``).

    Each entry's YAML is the same whatever the others are (one block under ``urls``), so an
    entry the ``earlier`` registry wrote is not dumped again: at tens of thousands of
    entries, dumping them is seconds.
    """
    known = earlier.entry_texts if earlier is not None else {}
    entry_texts = {link: known.get(link) or _entry_text(link) for link in registry}
    body = "urls:\n" + "".join(entry_texts.values()) if registry else _dump({"urls": {}})
    if listings:
        body += _dump({"listings": sorted(listings)})
    text = REGISTRY_HEADER + body
    return text, WrittenRegistry(memo.text_key(text), Registry(tuple(registry), tuple(sorted(listings))), entry_texts)


def _entry_text(link: Permalink) -> str:
    entry = {"id": link.id, "title": link.title, "body_key": link.body_key, "title_key": link.title_key}
    if link.undated_key:
        entry["undated_key"] = link.undated_key
    if link.former_ids:
        entry["former_ids"] = list(link.former_ids)
    return _dump({"urls": {link.url: entry}}).removeprefix("urls:\n")


def _dump(document: dict) -> str:
    return yaml.dump(document, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)


def page_path(url: str) -> str:
    """The Markdown file MkDocs serves at a release URL (see ``urls``: every page is a folder's index.md)."""
    return urls.page(url.rstrip("/"))


def redirect_file(url: str) -> str:
    """The static file that answers a redirected URL."""
    return url + "index.html"


def place(releases: Sequence[Release], registry: Sequence[Permalink], max_length: int) -> Placement:
    """URLs for every text, pages for every release, redirects for every other registered URL."""
    texts: list[Text] = [t for r in releases for t in r.texts]
    release_of = {t.id: r.id for r in releases for t in r.texts}
    found = _find_registered(texts, registry)
    text_urls: dict[str, str] = {}
    for link, text in found.items():
        if text is not None:
            text_urls.setdefault(text.id, link.url)
    taken = {link.url for link in registry}
    canonical_ids = {r.id for r in releases}
    new_texts = sorted((t for t in texts if t.id not in text_urls), key=lambda t: (t.id not in canonical_ids, t.date, t.id))
    added = []
    for text in new_texts:
        url = _new_url(text, taken, max_length)
        taken.add(url)
        text_urls[text.id] = url
        added.append(Permalink(url, text.id, text.title, text.keys.body, text.keys.title, (), text.keys.undated))

    paths = {r.id: page_path(text_urls[r.id]) for r in releases}
    page_urls = {text_urls[r.id] for r in releases}
    months = {r.month for r in releases}
    redirects: dict[str, str] = {}
    updated = []
    for link, text in found.items():
        updated.append(link if text is None else _follow(link, text))
        if link.url not in page_urls:
            redirects[link.url] = _listing_for(link.url, months) if text is None else paths[release_of[text.id]]
    for link in added:
        if link.url not in page_urls:
            redirects[link.url] = paths[release_of[link.id]]
    return Placement(paths, text_urls, dict(sorted(redirects.items())), (*updated, *added), len(added))


def _find_registered(texts: Sequence[Text], registry: Sequence[Permalink]) -> dict[Permalink, Text | None]:
    """Registered URL -> the text now found for it (None when its text is gone)."""
    by_id = {t.id: t for t in texts}
    by_body: dict[str, list[Text]] = {}
    by_title: dict[str, list[Text]] = {}
    by_undated: dict[str, list[Text]] = {}
    for text in texts:
        by_body.setdefault(text.keys.body, []).append(text)
        by_title.setdefault(text.keys.title, []).append(text)
        by_undated.setdefault(text.keys.undated, []).append(text)
    body_claims = Counter(link.body_key for link in registry)
    title_claims = Counter(link.title_key for link in registry)
    undated_claims = Counter(link.undated_key for link in registry if link.undated_key)
    found: dict[Permalink, Text | None] = {}
    for link in registry:
        text = next((by_id[i] for i in (link.id, *link.former_ids) if i in by_id), None)
        if text is None and body_claims[link.body_key] == 1 and len(by_body.get(link.body_key, ())) == 1:
            text = by_body[link.body_key][0]
        if text is None and title_claims[link.title_key] == 1 and len(by_title.get(link.title_key, ())) == 1:
            text = by_title[link.title_key][0]
        if text is None and undated_claims[link.undated_key] == 1 and len(by_undated.get(link.undated_key, ())) == 1:
            text = by_undated[link.undated_key][0]  # the same title and text, the date corrected
        found[link] = text
    return found


def _follow(link: Permalink, text: Text) -> Permalink:
    """The entry updated to the text now at its URL, remembering the ids it had."""
    if link.id == text.id:
        return dataclasses.replace(
            link, title=text.title, body_key=text.keys.body, title_key=text.keys.title, undated_key=text.keys.undated
        )
    former = tuple(dict.fromkeys((*link.former_ids, link.id)))
    return Permalink(link.url, text.id, text.title, text.keys.body, text.keys.title, former, text.keys.undated)


def _new_url(text: Text, taken: set[str], max_length: int) -> str:
    base = urls.slug(text.title, max_length) or f"release-{text.id}"
    prefix = f"releases/{text.date.year:04d}/{text.date.month:02d}/"
    candidate, counter = base, 1
    while f"{prefix}{candidate}/" in taken:
        counter += 1
        candidate = f"{base}-{counter}"
    return f"{prefix}{candidate}/"


def _listing_for(url: str, months: set[tuple[int, int]]) -> str:
    """Where a withdrawn release's URL leads: its month's listing, else the archive index."""
    _releases, year, month, _slug, _empty = url.split("/")
    if year.isdigit() and month.isdigit() and (int(year), int(month)) in months:
        return urls.month_path(int(year), int(month))
    return urls.ARCHIVE_INDEX


def listing_urls(files: Mapping[str, object], release_paths: set[str]) -> set[str]:
    """The listing pages and feeds among a run's files, as site-relative URLs."""
    found = set()
    for path in files:
        if path.endswith(".md") and path not in release_paths and not urls.is_search_file(path) and path != urls.HOME:
            found.add(urls.url_of(path))
        elif urls.is_feed(path):
            found.add(path)
    return found


def nearest_listing(url: str, current: set[str]) -> str:
    """The Markdown path of the closest listing that still exists above a retired one (at worst, the home page)."""
    parts = url.rstrip("/").split("/")
    for length in range(len(parts) - 1, 0, -1):
        candidate = "/".join(parts[:length]) + "/"
        if candidate in current:
            return urls.page(candidate.rstrip("/"))
    return urls.HOME
