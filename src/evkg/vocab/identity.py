"""One identity per disease: DOID, MONDO, MeSH and evkg-local terms merged by
cross-reference, with one hierarchy over the merged identities.

A disease named in several vocabularies is one *identity*, represented by its canonical
identifier (Disease Ontology first, then MONDO, evkg-local, MeSH). Members are merged

1. where the lexicon says so explicitly (a ``canonical`` attribute, written by the compact
   lexicon builder from the full reference data, so that both lexicons agree);
2. by the curated ``skos:exactMatch`` rows of ``disease_mappings.sssom.tsv``;
3. by cross-references, one to one: an entry's single cross-reference into another
   vocabulary joins the two (of several, the one with the entry's own name, when only one
   has it: MONDO's dry eye syndrome cites two DOIDs, one of them "dry eye syndrome"),
   unless the identity already holds a term of that vocabulary (so a broad MeSH heading
   referenced by several DO terms never fuses them).

The hierarchy of an identity is the union of its members' ``is_a`` parents (MeSH tree
parents only for identities without a DOID or MONDO member, since MeSH files by topic),
plus the curated ``skos:broadMatch`` rows (``subject broadMatch object``: the object is
broader). So "heart disease" reaches myocardial infarction through MONDO even
where the Disease Ontology files it under artery disease, and every local term has a parent.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from evkg.model import EntityKind
from evkg.recordfiles import RecordFileError
from evkg.vocab.lexicon import Lexicon, LexiconEntry, fold_name

__all__ = [
    "DISEASE_PREFERENCE",
    "IDENTITY_FORMAT",
    "SSSOM_COLUMNS",
    "DiseaseIdentity",
    "DiseaseMapping",
    "ancestors_within",
    "curated_disease_mappings",
    "disease_rank",
]

#: Disease vocabularies in order of preference: an identity is named by the first.
DISEASE_PREFERENCE = ("doid", "mondo", "evkg.disease", "mesh")
#: Version of :meth:`DiseaseIdentity.to_payload` (a cache of another version is rebuilt).
IDENTITY_FORMAT = 1
#: Columns of the shipped SSSOM mapping table.
SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "comment",
)
_PREDICATES = ("skos:exactMatch", "skos:broadMatch", "skos:narrowMatch")


def disease_rank(curie: str) -> int:
    """Preference of a disease identifier's vocabulary (lower is preferred).

    >>> disease_rank("doid:3021") < disease_rank("mondo:0002492") < disease_rank("mesh:D058186")
    True
    """
    prefix = curie.split(":", 1)[0]
    return DISEASE_PREFERENCE.index(prefix) if prefix in DISEASE_PREFERENCE else 9


def _preference(curie: str) -> tuple[int, str]:
    return disease_rank(curie), curie


@dataclass(frozen=True)
class DiseaseMapping:
    """One row of an SSSOM mapping table between disease identifiers."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str = ""

    def row(self) -> list[str]:
        return [getattr(self, column) for column in SSSOM_COLUMNS]


def read_sssom(text: str, source: str) -> Iterator[DiseaseMapping]:
    """Rows of an SSSOM TSV (``#`` lines are its metadata block)."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(header) != SSSOM_COLUMNS:
        raise RecordFileError(source, None, None, f"header must be: {' TAB '.join(SSSOM_COLUMNS)}")
    for number, row in enumerate(reader, start=2):
        if len(row) != len(SSSOM_COLUMNS):
            raise RecordFileError(source, number, None, f"expected 7 columns, got {len(row)}")
        mapping = DiseaseMapping(*row)
        if mapping.predicate_id not in _PREDICATES:
            raise RecordFileError(
                source, number, "predicate_id", f"use one of {', '.join(_PREDICATES)}"
            )
        yield mapping


@cache
def curated_mappings_text() -> str:
    """The text of the shipped ``evkg/data/vocab/disease_mappings.sssom.tsv`` ("" if none)."""
    item = resources.files("evkg") / "data" / "vocab" / "disease_mappings.sssom.tsv"
    return item.read_text(encoding="utf-8") if item.is_file() else ""


@cache
def curated_disease_mappings() -> tuple[DiseaseMapping, ...]:
    """The curated mappings shipped in ``evkg/data/vocab/disease_mappings.sssom.tsv``."""
    text = curated_mappings_text()
    if not text:
        return ()
    return tuple(read_sssom(text, "evkg/data/vocab/disease_mappings.sssom.tsv"))


class _Clusters:
    """Union-find that keeps at most one identifier per vocabulary in each cluster."""

    def __init__(self, curies: Iterable[str]) -> None:
        self.parent = {c: c for c in curies}
        self.prefixes = {c: {c.split(":", 1)[0]} for c in self.parent}

    def find(self, curie: str) -> str:
        root = curie
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[curie] != root:
            self.parent[curie], curie = root, self.parent[curie]
        return root

    def union(self, first: str, second: str, *, forced: bool = False) -> bool:
        a, b = self.find(first), self.find(second)
        if a == b:
            return True
        if not forced and self.prefixes[a] & self.prefixes[b]:
            return False
        if _preference(b) < _preference(a):
            a, b = b, a
        self.parent[b] = a
        self.prefixes[a] |= self.prefixes.pop(b)
        return True


def _mesh_tree_parents(entries: dict[str, LexiconEntry]) -> dict[str, set[str]]:
    by_tree = {
        value: curie
        for curie, entry in entries.items()
        if curie.startswith("mesh:")
        for key, value in entry.attributes
        if key == "tree"
    }
    parents: dict[str, set[str]] = defaultdict(set)
    for tree, curie in by_tree.items():
        if "." in tree:
            parent = by_tree.get(tree.rsplit(".", 1)[0])
            if parent and parent != curie:
                parents[curie].add(parent)
    return parents


def ancestors_within(
    parents: Callable[[str], Iterable[str]], curie: str, steps: int = 2
) -> set[str]:
    """Every identifier up to ``steps`` levels above ``curie`` by ``parents``.

    >>> tree = {"child": {"parent"}, "parent": {"top"}, "top": {"root"}}
    >>> sorted(ancestors_within(lambda c: tree.get(c, set()), "child"))
    ['parent', 'top']
    """
    found: set[str] = set()
    frontier = {curie}
    for _ in range(steps):
        frontier = {parent for node in frontier for parent in parents(node)} - found
        found |= frontier
    return found


class DiseaseIdentity:
    """Merged disease identities and their hierarchy over one lexicon."""

    def __init__(self, lexicon: Lexicon, mappings: Iterable[DiseaseMapping] = ()) -> None:
        entries = {e.curie: e for e in lexicon.of_kind(EntityKind.DISEASE)}
        mappings = [m for m in mappings if m.subject_id in entries and m.object_id in entries]
        clusters = _Clusters(entries)
        for curie, entry in entries.items():
            canonical = entry.attribute("canonical")
            if canonical and canonical in entries:
                clusters.union(curie, canonical, forced=True)
        for mapping in mappings:
            if mapping.predicate_id == "skos:exactMatch":
                clusters.union(mapping.subject_id, mapping.object_id, forced=True)
        for curie in sorted(entries, key=lambda c: (disease_rank(c) != 1, _preference(c))):
            by_prefix: dict[str, list[str]] = defaultdict(list)
            for xref in entries[curie].xrefs:
                if xref in entries and xref != curie:
                    by_prefix[xref.split(":", 1)[0]].append(xref)
            for targets in by_prefix.values():
                if len(targets) > 1:  # several: the one of the same name, if only one is
                    named = fold_name(entries[curie].label)
                    targets = [t for t in targets if fold_name(entries[t].label) == named]
                if len(targets) == 1:
                    clusters.union(curie, targets[0])
        self._canonical = {c: clusters.find(c) for c in entries}
        members: dict[str, list[str]] = defaultdict(list)
        for curie, root in self._canonical.items():
            members[root].append(curie)
        self._members = {root: tuple(sorted(m, key=_preference)) for root, m in members.items()}
        raw_parents: dict[str, set[str]] = defaultdict(set)
        for curie, entry in entries.items():
            raw_parents[curie] |= {v for k, v in entry.attributes if k == "parent" and v in entries}
        for curie, found in _mesh_tree_parents(entries).items():
            # MeSH trees file by topic (Sjogren's syndrome under rheumatoid arthritis): an
            # identity with an ontology member takes that ontology's is_a hierarchy only
            if not {"doid", "mondo"} & clusters.prefixes[clusters.find(curie)]:
                raw_parents[curie] |= found
        parents: dict[str, set[str]] = defaultdict(set)
        for curie, found in raw_parents.items():
            parents[self._canonical[curie]] |= {self._canonical[p] for p in found}
        for mapping in mappings:
            narrow, broad = mapping.subject_id, mapping.object_id
            if mapping.predicate_id == "skos:narrowMatch":
                narrow, broad = broad, narrow
            if mapping.predicate_id != "skos:exactMatch":
                parents[self._canonical[narrow]].add(self._canonical[broad])
        for root, found in parents.items():
            found.discard(root)
        self._parents = {root: frozenset(found) for root, found in parents.items() if found}
        children: dict[str, set[str]] = defaultdict(set)
        for root, above in self._parents.items():
            for parent in above:
                children[parent].add(root)
        self._children = {root: frozenset(found) for root, found in children.items()}

    def to_payload(self) -> dict[str, object]:
        """What a built identity holds, for a cache (:meth:`from_payload` reads it back)."""
        return {
            "format": IDENTITY_FORMAT,
            "canonical": self._canonical,
            "members": self._members,
            "parents": self._parents,
            "children": self._children,
        }

    @classmethod
    def from_payload(cls, payload: object) -> DiseaseIdentity | None:
        """The identity a cache holds (``None``: another format; rebuild)."""
        if not isinstance(payload, dict) or payload.get("format") != IDENTITY_FORMAT:
            return None
        names = ("canonical", "members", "parents", "children")
        parts: list[dict[str, Any]] = [payload.get(name) for name in names]  # type: ignore[misc]
        if not all(isinstance(part, dict) for part in parts):
            return None
        identity = cls.__new__(cls)
        identity._canonical, identity._members, identity._parents, identity._children = parts
        return identity

    def __contains__(self, curie: object) -> bool:
        return curie in self._canonical

    def canonical(self, curie: str) -> str:
        """The identifier that names ``curie``'s identity (``curie`` itself if unknown)."""
        return self._canonical.get(curie, curie)

    def members(self, curie: str) -> tuple[str, ...]:
        """Every identifier of ``curie``'s identity, canonical first."""
        return self._members.get(self.canonical(curie), (curie,))

    def parents(self, curie: str) -> frozenset[str]:
        """Canonical identifiers of the identities directly above ``curie``'s."""
        return self._parents.get(self.canonical(curie), frozenset())

    def ancestors(self, curie: str) -> list[str]:
        """Canonical identifiers above ``curie``'s identity, nearest first (breadth first)."""
        seen: dict[str, None] = {}
        frontier = [self.canonical(curie)]
        while frontier:
            following = []
            for node in frontier:
                for parent in sorted(self._parents.get(node, ()), key=_preference):
                    if parent not in seen and parent != self.canonical(curie):
                        seen[parent] = None
                        following.append(parent)
            frontier = following
        return list(seen)

    def near(self, curie: str, steps: int = 2) -> set[str]:
        """Canonical identifiers up to ``steps`` levels above ``curie``'s identity (what
        the evaluations accept as the same disease, read more broadly or more narrowly)."""
        return ancestors_within(self.parents, self.canonical(curie), steps)

    def descendants(self, curie: str) -> set[str]:
        """Canonical identifiers of ``curie``'s identity and of every identity below it."""
        found = {self.canonical(curie)}
        stack = list(found)
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def store_links(self, curies: Iterable[str]) -> list[tuple[str, str]]:
        """(child, parent) links a store keeps for ``curies`` so that a query for an
        identity reaches every member and every identity below it: each member under its
        canonical identifier, each canonical identifier under its parents."""
        wanted = set(curies)
        links = set()
        for curie in wanted:
            root = self.canonical(curie)
            if root != curie and root in wanted:
                links.add((curie, root))
            for parent in self._parents.get(root, ()):
                if parent in wanted:
                    links.add((root, parent))
        return sorted(links)

    def mappings(self) -> Iterator[DiseaseMapping]:
        """The merges as SSSOM rows: each member ``skos:exactMatch`` its canonical term."""
        for root, members in sorted(self._members.items()):
            for member in members:
                if member != root:
                    yield DiseaseMapping(
                        member, "", "skos:exactMatch", root, "", "semapv:DatabaseCrossReference"
                    )
