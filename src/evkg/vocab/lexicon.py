"""An in-memory lexicon: identifiers with labels and synonyms, indexed by normalised name."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from evkg.model import EntityKind

__all__ = [
    "GREEK_TO_LATIN",
    "Lexicon",
    "LexiconEntry",
    "LexiconSource",
    "fold_name",
    "fold_words",
]

GREEK_TO_LATIN = {
    "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l", "μ": "m",
    "τ": "t", "ω": "w", "ζ": "z", "Α": "a", "Β": "b", "Γ": "g", "Δ": "d", "Κ": "k",
}  # fmt: skip

_GREEK_TABLE = str.maketrans(GREEK_TO_LATIN)
_PUNCT = re.compile(r"[\s\-_/.,;:()'\[\]’‘\"]+")


def fold_name(name: str) -> str:
    """Case-, space-, punctuation- and Greek-insensitive key for a name.

    >>> fold_name("HIF-1α") == fold_name("hif1a")
    True
    >>> fold_name("NF-κB")
    'nfkb'
    """
    return _PUNCT.sub("", _folded_text(name))


def fold_words(name: str) -> list[str]:
    """The words of a name, folded as :func:`fold_name` folds it (joined, they are its
    folded form).

    >>> fold_words("NF-κB signalling")
    ['nf', 'kb', 'signalling']
    >>> "".join(fold_words("HIF-1α")) == fold_name("HIF-1α")
    True
    """
    return [word for word in _PUNCT.split(_folded_text(name)) if word]


def _folded_text(name: str) -> str:
    if name.isascii():  # most names: nothing to transliterate or decompose
        return name.lower()
    text = name.translate(_GREEK_TABLE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One identifier with its names.

    ``attributes`` holds kind-specific facts as plain strings, e.g. ``species`` for miRNAs,
    ``mouse``/``rat`` ortholog symbols for genes, ``previous`` names.
    """

    curie: str
    kind: EntityKind
    label: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, key: str) -> str | None:
        """First value of attribute ``key``, if any."""
        for name, value in self.attributes:
            if name == key:
                return value
        return None

    def names(self) -> Iterator[tuple[str, str]]:
        """(name, how) pairs: the label, then synonyms."""
        yield self.label, "label"
        for synonym in self.synonyms:
            yield synonym, "synonym"


class LexiconSource(Protocol):
    """Entries and names served one at a time, without reading them all (a table on disk:
    :mod:`evkg.vocab.lexicon_store`), for a :class:`Lexicon` opened lazily."""

    def __len__(self) -> int: ...

    def entry(self, curie: str) -> LexiconEntry | None:
        """The entry of ``curie``, if any."""
        ...

    def hits(self, key: str) -> list[tuple[str, str, EntityKind]]:
        """(curie, how, kind) of every entry with a name folding to ``key``."""
        ...

    def of_kind(self, kind: EntityKind) -> list[LexiconEntry]:
        """The entries of ``kind``, in the lexicon's order."""
        ...

    def load(self) -> Lexicon:
        """The same lexicon with every entry in memory."""
        ...


class Lexicon:
    """Identifiers by CURIE plus a folded-name index. Later entries never replace earlier
    ones for the same CURIE; their synonyms are merged in.

    A lexicon opened from a :class:`LexiconSource` (:meth:`lazy`) answers :meth:`get`,
    :meth:`label`, :meth:`lookup`, :meth:`curies_for_key`, :meth:`of_kind`, ``len`` and
    ``in`` from the source, one name or identifier at a time; :attr:`entries`, the index,
    :meth:`keys_for` and :meth:`add` first load every entry (what a warm query never
    needs: reading the full vocabularies took most of its start). The answers are the
    same either way."""

    def __init__(
        self,
        entries: dict[str, LexiconEntry] | None = None,
        _index: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._entries: dict[str, LexiconEntry] = entries if entries is not None else {}
        self._names: dict[str, dict[str, str]] = _index if _index is not None else defaultdict(dict)
        self._source: LexiconSource | None = None
        self._decoded: dict[str, LexiconEntry | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def lazy(cls, source: LexiconSource) -> Lexicon:
        """A lexicon answering from ``source`` until something needs every entry."""
        lexicon = cls()
        lexicon._source = source
        return lexicon

    @classmethod
    def from_entries(cls, entries: Iterable[LexiconEntry]) -> Lexicon:
        lexicon = cls()
        lexicon.add_all(entries)
        return lexicon

    @property
    def entries(self) -> dict[str, LexiconEntry]:
        """Every entry by CURIE (a lazily opened lexicon reads them all first)."""
        self._load()
        return self._entries

    @property
    def _index(self) -> dict[str, dict[str, str]]:
        """Folded name -> {CURIE: how} (a lazily opened lexicon reads it all first)."""
        self._load()
        return self._names

    @property
    def is_loaded(self) -> bool:
        """Whether every entry is in memory (False while a lazy lexicon answers from its
        source)."""
        return self._source is None

    def _load(self) -> None:
        if self._source is None:
            return
        with self._lock:
            source = self._source
            if source is None:  # another thread loaded it meanwhile
                return
            loaded = source.load()
            loaded._load()
            self._entries, self._names = loaded._entries, loaded._names
            self._source = None
            self._decoded = {}

    def add_all(self, entries: Iterable[LexiconEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def add(self, entry: LexiconEntry) -> None:
        self._load()
        existing = self._entries.get(entry.curie)
        if existing is not None:
            merged_synonyms = tuple(
                dict.fromkeys((*existing.synonyms, entry.label, *entry.synonyms))
            )
            merged_synonyms = tuple(s for s in merged_synonyms if s != existing.label)
            entry = LexiconEntry(
                curie=existing.curie,
                kind=existing.kind,
                label=existing.label,
                synonyms=merged_synonyms,
                xrefs=tuple(dict.fromkeys(existing.xrefs + entry.xrefs)),
                attributes=tuple(dict.fromkeys(existing.attributes + entry.attributes)),
            )
        self._entries[entry.curie] = entry
        for name, how in entry.names():
            key = fold_name(name)
            if key:
                # a label beats a synonym for the same key
                bucket = self._names[key]
                if bucket.get(entry.curie) != "label":
                    bucket[entry.curie] = how

    def withdraw(self, curie: str, names: Iterable[str]) -> None:
        """Take synonyms that mislead off ``curie`` (MONDO gives severe cutaneous adverse
        reaction the synonym "scarring"); its label stays, other entries keep the names."""
        self._load()
        entry = self._entries.get(curie)
        if entry is None:
            return
        folded = {fold_name(name) for name in names}
        kept = tuple(s for s in entry.synonyms if fold_name(s) not in folded)
        self._entries[curie] = LexiconEntry(
            entry.curie, entry.kind, entry.label, kept, entry.xrefs, entry.attributes
        )
        remaining = {fold_name(name) for name, _how in self._entries[curie].names()}
        for key in folded - remaining:
            bucket = self._names.get(key)
            if bucket is not None:
                bucket.pop(curie, None)
                if not bucket:
                    del self._names[key]

    def __len__(self) -> int:
        source = self._source
        return len(source) if source is not None else len(self._entries)

    def __contains__(self, curie: object) -> bool:
        if self._source is not None:
            return isinstance(curie, str) and self.get(curie) is not None
        return curie in self._entries

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lexicon):
            return NotImplemented
        return (self.entries, self._index) == (other.entries, other._index)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        state = "loaded" if self.is_loaded else "lazy"
        return f"<Lexicon of {len(self)} entries, {state}>"

    def __getstate__(self) -> dict[str, object]:
        return {"entries": self.entries, "index": self._index}  # a lazy one loads first

    def __setstate__(self, state: dict[str, Any]) -> None:
        loaded = Lexicon(state["entries"], state["index"])
        self.__dict__.update(loaded.__dict__)

    def get(self, curie: str) -> LexiconEntry | None:
        source = self._source
        if source is None:
            return self._entries.get(curie)
        if curie not in self._decoded:
            self._decoded[curie] = source.entry(curie)
        return self._decoded[curie]

    def entry(self, curie: str) -> LexiconEntry:
        """The entry of ``curie``; KeyError when unknown (like ``entries[curie]``, without
        loading a lazy lexicon)."""
        found = self.get(curie)
        if found is None:
            raise KeyError(curie)
        return found

    def label(self, curie: str) -> str:
        """Label of ``curie``, or the CURIE itself when unknown."""
        entry = self.get(curie)
        return entry.label if entry else curie

    def _source_hits(self, source: LexiconSource, key: str) -> list[tuple[str, str, EntityKind]]:
        return sorted(source.hits(key), key=lambda hit: (hit[1] != "label", hit[0]))

    def lookup(self, name: str, kinds: Iterable[EntityKind] | None = None) -> list[tuple[str, str]]:
        """(curie, how) for every entry with a name folding to the same key as ``name``."""
        wanted = set(kinds) if kinds is not None else None
        source = self._source
        if source is not None:
            return [
                (curie, how)
                for curie, how, kind in self._source_hits(source, fold_name(name))
                if wanted is None or kind in wanted
            ]
        hits = self._names.get(fold_name(name), {})
        return [
            (curie, how)
            for curie, how in sorted(hits.items(), key=lambda item: (item[1] != "label", item[0]))
            if wanted is None or self._entries[curie].kind in wanted
        ]

    def curies_for_key(self, key: str) -> list[str]:
        """The identifiers having a name that folds to ``key``, those labelled so first."""
        source = self._source
        if source is not None:
            return [curie for curie, _how, _kind in self._source_hits(source, key)]
        hits = self._names.get(key, {})
        return sorted(hits, key=lambda curie: (hits[curie] != "label", curie))

    def keys_for(self, kinds: Iterable[EntityKind] | None = None) -> dict[str, list[str]]:
        """Folded name -> CURIEs, restricted to ``kinds`` (for fuzzy search)."""
        wanted = set(kinds) if kinds is not None else None
        result: dict[str, list[str]] = {}
        entries = self.entries
        for key, hits in self._index.items():
            curies = [c for c in hits if wanted is None or entries[c].kind in wanted]
            if curies:
                result[key] = curies
        return result

    def of_kind(self, kind: EntityKind) -> Iterator[LexiconEntry]:
        source = self._source
        if source is not None:
            return iter(source.of_kind(kind))
        return (entry for entry in self._entries.values() if entry.kind == kind)
