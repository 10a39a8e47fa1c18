"""An in-memory lexicon: identifiers with labels and synonyms, indexed by normalised name."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from evkg.model import EntityKind

__all__ = ["GREEK_TO_LATIN", "Lexicon", "LexiconEntry", "fold_name", "fold_words"]

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


@dataclass
class Lexicon:
    """Identifiers by CURIE plus a folded-name index. Later entries never replace earlier
    ones for the same CURIE; their synonyms are merged in."""

    entries: dict[str, LexiconEntry] = field(default_factory=dict)
    _index: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def from_entries(cls, entries: Iterable[LexiconEntry]) -> Lexicon:
        lexicon = cls()
        lexicon.add_all(entries)
        return lexicon

    def add_all(self, entries: Iterable[LexiconEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def add(self, entry: LexiconEntry) -> None:
        existing = self.entries.get(entry.curie)
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
        self.entries[entry.curie] = entry
        for name, how in entry.names():
            key = fold_name(name)
            if key:
                # a label beats a synonym for the same key
                bucket = self._index[key]
                if bucket.get(entry.curie) != "label":
                    bucket[entry.curie] = how

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, curie: object) -> bool:
        return curie in self.entries

    def get(self, curie: str) -> LexiconEntry | None:
        return self.entries.get(curie)

    def label(self, curie: str) -> str:
        """Label of ``curie``, or the CURIE itself when unknown."""
        entry = self.entries.get(curie)
        return entry.label if entry else curie

    def lookup(self, name: str, kinds: Iterable[EntityKind] | None = None) -> list[tuple[str, str]]:
        """(curie, how) for every entry with a name folding to the same key as ``name``."""
        wanted = set(kinds) if kinds is not None else None
        hits = self._index.get(fold_name(name), {})
        return [
            (curie, how)
            for curie, how in sorted(hits.items(), key=lambda item: (item[1] != "label", item[0]))
            if wanted is None or self.entries[curie].kind in wanted
        ]

    def curies_for_key(self, key: str) -> list[str]:
        """The identifiers having a name that folds to ``key``, those labelled so first."""
        hits = self._index.get(key, {})
        return sorted(hits, key=lambda curie: (hits[curie] != "label", curie))

    def keys_for(self, kinds: Iterable[EntityKind] | None = None) -> dict[str, list[str]]:
        """Folded name -> CURIEs, restricted to ``kinds`` (for fuzzy search)."""
        wanted = set(kinds) if kinds is not None else None
        result: dict[str, list[str]] = {}
        for key, hits in self._index.items():
            curies = [c for c in hits if wanted is None or self.entries[c].kind in wanted]
            if curies:
                result[key] = curies
        return result

    def of_kind(self, kind: EntityKind) -> Iterator[LexiconEntry]:
        return (entry for entry in self.entries.values() if entry.kind == kind)
