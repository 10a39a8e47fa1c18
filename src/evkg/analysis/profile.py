"""A cargo profile: what one EV preparation carries, identified and weighted by abundance; and
the normalisation report saying how every input name was (or was not) resolved.

Nothing is dropped silently: each input row ends up matched, ambiguous (resolved to the first
candidate, the others listed), unmatched (with a reason and suggestions) or skipped by the
reader (with its reason).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from evkg.analysis._json import to_jsonable
from evkg.model import EntityKind
from evkg.sources.cargo import CargoTable
from evkg.vocab import Lexicon, Match, Vocabulary, parse_mirna_name
from evkg.vocab.mirna import group_members

__all__ = [
    "SPECIES",
    "AmbiguousName",
    "CargoProfile",
    "MatchedName",
    "NormalisationReport",
    "ProfileItem",
    "UnmatchedName",
    "normalise_profile",
    "species_code",
    "uniprot_index",
]

#: Accepted species spellings -> miRBase code.
SPECIES = {
    "hsa": "hsa", "human": "hsa", "homo sapiens": "hsa", "9606": "hsa", "ncbitaxon:9606": "hsa",
    "mmu": "mmu", "mouse": "mmu", "mus musculus": "mmu", "10090": "mmu",
    "ncbitaxon:10090": "mmu",
    "rno": "rno", "rat": "rno", "rattus norvegicus": "rno", "10116": "rno",
    "ncbitaxon:10116": "rno",
}  # fmt: skip
_UNIPROT = re.compile(
    r"^(?:[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2})(?:-\d+)?$"
)
_CARGO_KINDS = {EntityKind.MIRNA, EntityKind.GENE, EntityKind.CARGO}


def species_code(species: str) -> str:
    """miRBase code of a species name, code or taxon; ``ValueError`` when unknown.

    >>> species_code("Mouse")
    'mmu'
    """
    code = SPECIES.get(species.strip().lower())
    if code is None:
        raise ValueError(f"unknown species {species!r}; use hsa, mmu or rno (human, mouse, rat)")
    return code


@dataclass(frozen=True)
class ProfileItem:
    """One identified cargo with its relative abundance (share of the input's total)."""

    curie: str
    label: str
    kind: str  # EntityKind value: mirna | gene | cargo
    abundance: float
    input_name: str


@dataclass(frozen=True)
class CargoProfile:
    """What one preparation carries."""

    name: str
    species: str
    items: tuple[ProfileItem, ...]

    def curies(self) -> tuple[str, ...]:
        return tuple(item.curie for item in self.items)

    def abundance(self) -> dict[str, float]:
        return {item.curie: item.abundance for item in self.items}

    def kinds(self) -> set[str]:
        return {item.kind for item in self.items}

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class MatchedName:
    input_name: str
    line: int
    curie: str
    label: str
    kind: str
    how: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class AmbiguousName:
    """A name that denotes several entities; the first candidate was used."""

    input_name: str
    line: int
    chosen: str
    candidates: tuple[tuple[str, str], ...]  # (curie, label)
    reason: str


@dataclass(frozen=True)
class UnmatchedName:
    input_name: str
    line: int
    reason: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NormalisationReport:
    """How each input row of a cargo file became (or did not become) a profile item."""

    source: str
    format: str
    species: str
    name_column: str | None
    abundance_column: str | None
    matched: tuple[MatchedName, ...]
    ambiguous: tuple[AmbiguousName, ...]
    unmatched: tuple[UnmatchedName, ...]
    skipped: tuple[tuple[int, str, str], ...]  # rows the reader left out: (line, name, reason)
    merged: tuple[tuple[str, tuple[str, ...]], ...]  # curie and the input names summed into it
    notes: tuple[str, ...]

    @property
    def n_input(self) -> int:
        return len(self.matched) + len(self.unmatched) + len(self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def uniprot_index(lexicon: Lexicon) -> dict[str, str]:
    """UniProt accession -> hgnc CURIE from the genes' cross-references."""
    index: dict[str, str] = {}
    for entry in lexicon.of_kind(EntityKind.GENE):
        for xref in entry.xrefs:
            if xref.startswith("uniprot:"):
                index.setdefault(xref.removeprefix("uniprot:"), entry.curie)
    return index


class _Resolver:
    def __init__(self, vocabulary: Vocabulary, species: str, kind_hint: str | None) -> None:
        self.vocabulary = vocabulary
        self.species = species
        self.kind_hint = kind_hint
        self._uniprot: Mapping[str, str] | None = None

    def uniprot(self, accession: str) -> Match | None:
        if self._uniprot is None:
            self._uniprot = uniprot_index(self.vocabulary.lexicon)
        curie = self._uniprot.get(accession.split("-")[0])
        if curie is None:
            return None
        label = self.vocabulary.lexicon.label(curie)
        return Match((curie,), EntityKind.GENE, label, accession, 1.0, "uniprot")

    def one(self, name: str) -> Match | None:
        if (
            self.kind_hint == "mirna"
            or parse_mirna_name(name) is not None
            or group_members(name) is not None
        ):
            hit = self.vocabulary.mirna(name, self.species)
            if hit is not None or self.kind_hint == "mirna":
                return hit
        if _UNIPROT.match(name):
            hit = self.uniprot(name)
            if hit is not None:
                return hit
        if self.kind_hint == "protein":
            return self.vocabulary.gene(name)
        hit = self.vocabulary.cargo(name, self.species)
        if hit is not None and hit.kind in _CARGO_KINDS:
            return hit
        return None

    def resolve(self, name: str, alternatives: tuple[str, ...]) -> Match | None:
        for candidate in (name, *alternatives):
            hit = self.one(candidate)
            if hit is not None:
                return hit
        return None

    def why_not(self, name: str) -> tuple[str, tuple[str, ...]]:
        parsed = parse_mirna_name(name)
        if parsed is not None:
            species = parsed.species or self.species
            reason = f"miRBase has no {species} miRNA called {name!r}"
            if parsed.species and parsed.species != self.species:
                reason += f" (the profile species is {self.species})"
            kinds: tuple[EntityKind, ...] = (EntityKind.MIRNA,)
        elif self.kind_hint == "protein" or _UNIPROT.match(name):
            reason = "no human gene with this symbol, alias or UniProt accession"
            kinds = (EntityKind.GENE,)
        else:
            reason = "not a known miRNA, gene/protein or other cargo name"
            kinds = tuple(_CARGO_KINDS)
        suggestions = tuple(
            dict.fromkeys(
                m.label for m in self.vocabulary.search(name, kinds, limit=4) if m.how == "fuzzy"
            )
        )
        return reason, suggestions[:3]


def _in_species(hit: Match, code: str, vocabulary: Vocabulary) -> Match:
    """A miRNA named for another species (mmu-miR-21a-5p in a human list) as the same miRNA
    of the profile's species, flagged ``ortholog_of:…``; unchanged when there is none."""
    label = vocabulary.lexicon.label(hit.curie)
    prefix, _, rest = label.partition("-")
    if prefix == code or prefix not in ("hsa", "mmu", "rno") or not rest:
        return hit
    candidates = [f"{code}-{rest}"]
    stem = re.match(r"^(miR-\d+)[a-z](-[35]p)?$", rest)
    if stem:  # the mouse paralog letter may be absent in the other species (miR-21a / miR-21)
        candidates.append(f"{code}-{stem[1]}{stem[2] or ''}")
    for name in candidates:
        found = vocabulary.mirna(name, code)
        if found is not None and not found.ambiguous and found.label.lower() == name.lower():
            return dataclasses.replace(
                hit,
                curies=found.curies,
                label=found.label,
                how="ortholog",
                flags=(*hit.flags, f"ortholog_of:{label}"),
            )
    return hit


def normalise_profile(
    table: CargoTable,
    vocabulary: Vocabulary,
    *,
    species: str = "hsa",
    name: str | None = None,
    max_suggestions: int = 25,
) -> tuple[CargoProfile, NormalisationReport]:
    """Resolve every row of ``table`` to an identifier and build the profile.

    Abundances become shares of the total over all rows read (matched or not), so an
    unmatched abundant name still counts against the others; a table without abundances gives
    every row the same share. Names resolving to the same identifier are summed and listed.
    """
    code = species_code(species)
    resolver = _Resolver(vocabulary, code, table.kind_hint)
    rows = table.rows
    has_abundance = any(row.abundance is not None for row in rows)
    total = sum(row.abundance or 0.0 for row in rows) if has_abundance else float(len(rows))
    total = total or 1.0
    matched: list[MatchedName] = []
    ambiguous: list[AmbiguousName] = []
    unmatched: list[UnmatchedName] = []
    shares: dict[str, float] = {}
    first_name: dict[str, str] = {}
    labels: dict[str, tuple[str, str]] = {}
    names_of: dict[str, list[str]] = {}
    for row in rows:
        hit = resolver.resolve(row.name, row.alternatives)
        if hit is None:
            reason, suggestions = (
                resolver.why_not(row.name)
                if len(unmatched) < max_suggestions
                else ("not resolved (suggestions skipped: many unmatched names)", ())
            )
            unmatched.append(UnmatchedName(row.name, row.line, reason, suggestions))
            continue
        share = (row.abundance or 0.0) / total if has_abundance else 1.0 / total
        group = next((f for f in hit.flags if f in ("family", "cluster")), None)
        if group is not None:
            # every member, flagged, the row's share split among them
            for member in hit.curies:
                label = vocabulary.lexicon.label(member)
                flags = (*hit.flags, f"{group}_member:{row.name}")
                matched.append(
                    MatchedName(row.name, row.line, member, label, hit.kind.value, group, flags)
                )
                shares[member] = shares.get(member, 0.0) + share / len(hit.curies)
                first_name.setdefault(member, row.name)
                labels[member] = (label, hit.kind.value)
                names_of.setdefault(member, []).append(row.name)
            continue
        if hit.kind == EntityKind.MIRNA:
            hit = _in_species(hit, code, vocabulary)
        curie = hit.curie
        label = vocabulary.lexicon.label(curie)
        if hit.ambiguous:
            candidates = tuple((c, vocabulary.lexicon.label(c)) for c in hit.curies)
            reason = (
                "arm-less miRNA name: both arms exist; the arm miRBase formerly gave this name "
                "was used"
                if "armless" in hit.flags
                else f"name shared by {len(hit.curies)} entities ({', '.join(hit.flags)})"
            )
            ambiguous.append(AmbiguousName(row.name, row.line, curie, candidates, reason))
        matched.append(
            MatchedName(row.name, row.line, curie, label, hit.kind.value, hit.how, hit.flags)
        )
        shares[curie] = shares.get(curie, 0.0) + share
        first_name.setdefault(curie, row.name)
        labels[curie] = (label, hit.kind.value)
        names_of.setdefault(curie, []).append(row.name)
    items = tuple(
        ProfileItem(curie, labels[curie][0], labels[curie][1], round(share, 9), first_name[curie])
        for curie, share in sorted(shares.items(), key=lambda kv: (-kv[1], labels[kv[0]][0]))
    )
    profile = CargoProfile(name or table.path.stem, code, items)
    report = NormalisationReport(
        source=str(table.path),
        format=table.format,
        species=code,
        name_column=table.name_column,
        abundance_column=table.abundance_column,
        matched=tuple(matched),
        ambiguous=tuple(ambiguous),
        unmatched=tuple(unmatched),
        skipped=table.skipped,
        merged=tuple((curie, tuple(names)) for curie, names in names_of.items() if len(names) > 1),
        notes=table.notes,
    )
    return profile, report
