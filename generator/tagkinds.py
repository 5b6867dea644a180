"""The kinds of tag a release carries: one definition each (``TagKind``), and the registry ``TAG_KINDS``.

A kind of tag is one concept, in the spirit of Pelican's ``URLWrapper`` subclasses: where
its vocabulary comes from and how it is read (``read``), where its pages live (``folder``),
what it is called in front matter and archive.json (``field``), in archive.csv (``column``)
and in the search filters (``facet``), and the message keys its pages are written with.
Every stage loops over the kinds it is given (``TAG_KINDS`` unless a caller passes others:
``pipeline.collect(..., kinds=...)``), and tags are held per kind, as a mapping from kind
key to names beside the records (``classify.Classification.tags``), as Material's tags
plugin keeps its taxonomy.

Adding a kind is one ``TagKind.of(...)`` here plus its vocabulary file; its words come from the
message catalogs when they have them, else from ``fallback_messages`` (English, from
``noun``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .taxonomy import Vocabulary, load_lexicon, load_places, load_topics

if TYPE_CHECKING:
    from .config import Config

# How a kind's vocabulary file is read: (the kind, the file, the settings) -> the vocabulary and warnings.
VocabularyReader = Callable[["TagKind", Path, "Config"], "tuple[Vocabulary, tuple[str, ...]]"]


def read_taxonomy(kind: TagKind, path: Path, config: Config) -> tuple[Vocabulary, tuple[str, ...]]:
    """A scored taxonomy (``data/taxonomy.yml``): each tag its own keywords, and the category it points to."""
    return load_topics(path)


def read_gazetteer(kind: TagKind, path: Path, config: Config) -> tuple[Vocabulary, tuple[str, ...]]:
    """Places: the ISO 3166 gazetteer plus the file's aliases and regions; the home country is never a tag."""
    return load_places(path, config.home_country)


def read_lexicon(kind: TagKind, path: Path, config: Config) -> tuple[Vocabulary, tuple[str, ...]]:
    """A plain lexicon: names under the kind's plural (``organizations:``), each with a full name, aliases, exclusions."""
    return load_lexicon(path, kind.key, kind.plural)


@dataclass(frozen=True)
class TagKind:
    """One kind of tag: its vocabulary, its pages, its names in every output.

    Made with ``TagKind.of(key, ...)``, where only ``key`` is needed and the rest follows from
    it (``plural`` = key + "s", then ``folder``, ``field`` and ``column`` = plural, ``file`` =
    ``data/<plural>.yml``).

    Message keys (``messages``' catalogs): ``kind_<key>`` (the index's title), ``<plural>``
    (a count), ``by_<key>``, ``all_<plural>``, ``kind_title_<key>`` (a tag page's title),
    ``kind_index_description_<key>``, ``tag_intro_<key>``, ``tag_description_<key>`` and
    ``facet_<facet>``.
    """

    key: str  # "topic": message keys, the templates' ``kind``
    plural: str  # "topics": the message keys of a count and of ``all_…``
    folder: str  # "topics": its pages are topics/index.md and topics/<slug>/index.md
    field: str  # "tags": its key in a release's front matter and in archive.json
    column: str  # "topics": its column in archive.csv
    facet: str  # "topic": its Pagefind filter (label: message facet_<facet>)
    read: VocabularyReader
    setting: str  # the press-archive.yml setting that names its vocabulary file; "": always ``file``
    file: str  # its vocabulary file when no setting names one, and the file a new project gets
    main: bool  # the archive's main kind (topics): it infers missing categories, the home page charts it
    noun: str  # its English name, for the messages the catalogs lack
    noun_plural: str

    @classmethod
    def of(
        cls, key: str, *, plural: str = "", folder: str = "", field: str = "", column: str = "", facet: str = "",
        read: VocabularyReader = read_lexicon, setting: str = "", file: str = "", main: bool = False, noun: str = "",
        noun_plural: str = "",
    ) -> TagKind:
        """A kind of tag named ``key``; what is not given follows from it."""
        plural = plural or f"{key}s"
        return cls(
            key=key, plural=plural, folder=folder or plural, field=field or plural, column=column or plural,
            facet=facet or key, read=read, setting=setting, file=file or f"data/{plural}.yml", main=main,
            noun=noun or key, noun_plural=noun_plural or (f"{noun}s" if noun else plural),
        )

    @property
    def index_path(self) -> str:
        """Its index page: every tag of the kind with its number of releases."""
        return urls.page(self.folder)

    def path(self, name: str) -> str:
        """The page of one tag of this kind (``topics/energy-policy/index.md``)."""
        return urls.page(f"{self.folder}/{urls.slug(name) or self.key}")

    def vocabulary_file(self, config: Config) -> Path:
        return config.resolve(getattr(config, self.setting) if self.setting else self.file)

    def load(self, config: Config) -> tuple[Vocabulary, tuple[str, ...]]:
        """Its vocabulary, read from its file, and warnings about the file."""
        return self.read(self, self.vocabulary_file(config), config)

    @property
    def identity(self) -> str:
        """The definition as text, the same in every process (for fingerprints: its reader by name, not address)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields["read"] = f"{self.read.__module__}.{self.read.__qualname__}"
        return repr(fields)

    @property
    def fingerprint_name(self) -> str:
        """What its vocabulary file is called in fingerprints (the setting's name, as before kinds were one concept)."""
        return self.setting or self.key

    def fallback_messages(self) -> dict[str, object]:
        """Its message texts in English, for a catalog that lacks them (the shipped kinds' are in ``locales/en.yml``)."""
        noun, nouns = self.noun, self.noun_plural
        return {
            self.plural: {"one": f"{{count}} {noun}", "other": f"{{count}} {nouns}"},
            f"kind_{self.key}": nouns[:1].upper() + nouns[1:],
            f"kind_title_{self.key}": f"{noun[:1].upper() + noun[1:]}: {{name}}",
            f"by_{self.key}": f"By {noun}",
            f"all_{self.plural}": f"All {nouns}",
            f"kind_index_description_{self.key}": f"The archive's releases by {noun}: {{count}}, the biggest first.",
            f"tag_intro_{self.key}": f"{{count}} with this {noun}, newest first.",
            f"tag_description_{self.key}": f"{{count}} with the {noun} {{name}}, {{span}}.",
            f"facet_{self.facet}": noun[:1].upper() + noun[1:],
        }


TAG_KINDS: tuple[TagKind, ...] = (
    TagKind.of("topic", field="tags", read=read_taxonomy, setting="taxonomy", file="data/taxonomy.yml", main=True),
    TagKind.of("place", read=read_gazetteer, setting="places"),
    TagKind.of("organization", read=read_lexicon, setting="organizations"),
)


def main_kind(kinds: Iterable[TagKind]) -> TagKind | None:
    """The kind that infers categories and that the home page charts (topics), if the kinds have one."""
    return next((kind for kind in kinds if kind.main), None)


def fallback_messages(kinds: Iterable[TagKind]) -> dict[str, object]:
    """The English texts of every kind's message keys, for the catalogs that lack them."""
    texts: dict[str, object] = {}
    for kind in kinds:
        texts |= kind.fallback_messages()
    return texts
