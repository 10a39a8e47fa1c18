"""Cargo → target genes: curated claims first, then validated interactions (miRTarBase) by
evidence tier, with rodent → human orthology and abundance weighting.

Genes are always human HGNC identifiers. A mouse target gene is mapped through the HGNC
ortholog links; a rat or mouse miRNA without interactions of its own borrows those of the
same-named human miRNA, flagged (``via``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from evkg.analysis.profile import CargoProfile
from evkg.model import EntityKind, Predicate
from evkg.sources.mirtarbase import MtiTable
from evkg.store import StoredClaim
from evkg.vocab import Lexicon

__all__ = [
    "TIER_ORDER",
    "TIER_WEIGHT",
    "GeneIndex",
    "TargetGene",
    "TargetIndex",
    "TargetLink",
    "TargetMap",
    "build_target_index",
    "map_targets",
    "ortholog_names",
]

#: Evidence tiers, strongest first: a curated claim, a functional assay (reporter, western
#: blot, qPCR), high-throughput only; ``self`` is a protein cargo standing for its own gene.
TIER_ORDER = ("curated", "self", "strong", "weak")
TIER_WEIGHT = {"curated": 1.0, "self": 1.0, "strong": 0.8, "weak": 0.3}
_SPECIES_PREFIX = re.compile(r"^(hsa|mmu|rno)-")


@dataclass(frozen=True)
class GeneIndex:
    """Human genes by Entrez ID and symbol, and rodent symbols to their human ortholog."""

    by_entrez: Mapping[str, str]
    by_symbol: Mapping[str, str]
    by_mouse: Mapping[str, str]
    by_rat: Mapping[str, str]
    symbols: Mapping[str, str]  # hgnc curie -> approved symbol

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> GeneIndex:
        entrez: dict[str, str] = {}
        symbol: dict[str, str] = {}
        mouse: dict[str, str] = {}
        rat: dict[str, str] = {}
        symbols: dict[str, str] = {}
        for entry in lexicon.of_kind(EntityKind.GENE):
            if not entry.curie.startswith("hgnc:"):
                continue
            symbols[entry.curie] = entry.label
            symbol.setdefault(entry.label.upper(), entry.curie)
            for key, value in entry.attributes:
                if key == "entrez":
                    entrez.setdefault(value, entry.curie)
                elif key == "mouse":
                    mouse.setdefault(value.upper(), entry.curie)
                elif key == "rat":
                    rat.setdefault(value.upper(), entry.curie)
        # previous symbols help with older tables, but never displace an approved one
        for entry in lexicon.of_kind(EntityKind.GENE):
            for key, value in entry.attributes:
                if key == "previous" and entry.curie.startswith("hgnc:"):
                    symbol.setdefault(value.upper(), entry.curie)
        return cls(entrez, symbol, mouse, rat, symbols)

    def human(self, symbol: str, entrez: str, species: str) -> tuple[str | None, str | None]:
        """(hgnc curie, ortholog note) of a target given as in miRTarBase."""
        if species == "Homo sapiens":
            return self.by_entrez.get(entrez) or self.by_symbol.get(symbol.upper()), None
        table = self.by_mouse if species == "Mus musculus" else self.by_rat
        found = table.get(symbol.upper())
        if found is None and species not in ("Mus musculus", "Rattus norvegicus"):
            found = self.by_symbol.get(symbol.upper())
        return found, (f"{species} target {symbol}" if found else None)

    def label(self, curie: str) -> str:
        return self.symbols.get(curie, curie)


@dataclass(frozen=True)
class TargetLink:
    """One cargo → gene link with the evidence behind it."""

    cargo: str  # the profile's cargo CURIE
    gene: str  # hgnc CURIE
    symbol: str
    tier: str  # a key of TIER_WEIGHT
    source: str  # "curated" | "miRTarBase" | "protein cargo"
    direction: str  # "down" | "up"
    references: tuple[str, ...] = ()  # pubmed: CURIEs or evkg.ref: ids
    claims: tuple[str, ...] = ()  # claim hashes (curated links)
    via: str | None = None  # ortholog used, if any


@dataclass(frozen=True)
class TargetGene:
    """A gene with the profile's combined, abundance-weighted pressure on it."""

    gene: str
    symbol: str
    weight: float
    best_tier: str
    cargo: tuple[str, ...]


@dataclass(frozen=True)
class TargetMap:
    links: tuple[TargetLink, ...]
    genes: tuple[TargetGene, ...]  # heaviest first
    tiers: tuple[str, ...]  # tiers admitted
    untargeted: tuple[str, ...]  # profile cargo without any target

    def gene_ids(self) -> tuple[str, ...]:
        return tuple(gene.gene for gene in self.genes)

    def by_gene(self) -> dict[str, TargetGene]:
        return {gene.gene: gene for gene in self.genes}


@dataclass(frozen=True)
class TargetIndex:
    """Validated interactions keyed by mature miRNA CURIE: (gene, tier, PMIDs, note)."""

    source: str
    by_mirna: Mapping[str, tuple[tuple[str, str, tuple[str, ...], str | None], ...]]
    unmapped_mirnas: int = 0
    unmapped_targets: int = 0
    labels: Mapping[str, str] = field(default_factory=dict)  # mirna curie -> name

    def targets(self, mirna: str, tiers: Iterable[str]) -> set[str]:
        wanted = set(tiers)
        return {gene for gene, tier, _, _ in self.by_mirna.get(mirna, ()) if tier in wanted}


def build_target_index(
    tables: Sequence[MtiTable],
    genes: GeneIndex,
    mirna_curie: Callable[[str], str | None],
    source: str = "miRTarBase",
) -> TargetIndex:
    """Map every interaction of ``tables`` to (mature miRNA CURIE, hgnc CURIE)."""
    grouped: dict[str, dict[str, tuple[str, set[str], str | None]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    names: dict[str, str | None] = {}
    lost_mirnas: set[str] = set()
    lost_targets = 0
    for table in tables:
        for interaction in table.interactions:
            if interaction.mirna not in names:
                names[interaction.mirna] = mirna_curie(interaction.mirna)
            curie = names[interaction.mirna]
            if curie is None:
                lost_mirnas.add(interaction.mirna)
                continue
            labels[curie] = interaction.mirna
            gene, note = genes.human(
                interaction.target, interaction.entrez, interaction.target_species
            )
            if gene is None:
                lost_targets += 1
                continue
            previous = grouped[curie].get(gene)
            if previous is None:
                grouped[curie][gene] = (interaction.tier, set(interaction.references), note)
            else:
                tier = "strong" if "strong" in (previous[0], interaction.tier) else "weak"
                previous[1].update(interaction.references)
                grouped[curie][gene] = (tier, previous[1], previous[2])
    by_mirna = {
        mirna: tuple(
            (gene, tier, tuple(sorted(refs, key=lambda r: (len(r), r))), note)
            for gene, (tier, refs, note) in sorted(targets.items())
        )
        for mirna, targets in grouped.items()
    }
    return TargetIndex(source, by_mirna, len(lost_mirnas), lost_targets, labels)


def ortholog_names(label: str) -> tuple[str, ...]:
    """The same mature miRNA in the other species evkg knows, by name.

    >>> ortholog_names("rno-miR-128-3p")
    ('hsa-miR-128-3p', 'mmu-miR-128-3p')
    """
    match = _SPECIES_PREFIX.match(label)
    if match is None:
        return ()
    stem = label[match.end() :]
    return tuple(f"{code}-{stem}" for code in ("hsa", "mmu", "rno") if code != match.group(1))


_REGULATES = {Predicate.REGULATES_DOWN: "down", Predicate.REGULATES_UP: "up"}


def map_targets(
    profile: CargoProfile,
    *,
    claims: Iterable[StoredClaim] = (),
    index: TargetIndex | None = None,
    tiers: Sequence[str] = ("curated", "self", "strong", "weak"),
    orthologs: Mapping[str, Sequence[str]] | None = None,
    gene_label: Callable[[str], str] = lambda curie: curie,
) -> TargetMap:
    """Targets of each profile cargo, weighted by abundance × evidence tier.

    ``claims`` are stored claims about the profile's cargo (and their orthologs); only
    ``regulates_down``/``regulates_up`` claims on genes count. ``orthologs`` maps a profile
    CURIE to the CURIEs of the same miRNA in other species, used for curated claims always
    and for interactions when the miRNA has none of its own.
    """
    orthologs = orthologs or {}
    owner: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for item in profile.items:
        owner[item.curie].append((item.curie, None))
        for other in orthologs.get(item.curie, ()):
            owner[other].append((item.curie, f"ortholog {other}"))
    links: dict[tuple[str, str, str], TargetLink] = {}

    def add(link: TargetLink) -> None:
        key = (link.cargo, link.gene, link.source)
        known = links.get(key)
        if known is None or TIER_ORDER.index(link.tier) < TIER_ORDER.index(known.tier):
            links[key] = link

    if "curated" in tiers:
        for stored in claims:
            claim = stored.claim
            if claim.predicate not in _REGULATES or not claim.object.startswith("hgnc:"):
                continue
            for cargo, via in owner.get(claim.subject, ()):
                add(
                    TargetLink(
                        cargo,
                        claim.object,
                        gene_label(claim.object),
                        "curated",
                        "curated",
                        _REGULATES[claim.predicate],
                        stored.references,
                        (stored.hash,),
                        via,
                    )
                )
    for item in profile.items:
        if item.kind == EntityKind.GENE.value and "self" in tiers:
            add(
                TargetLink(
                    item.curie, item.curie, gene_label(item.curie), "self", "protein cargo", "up"
                )
            )
        if item.kind != EntityKind.MIRNA.value or index is None:
            continue
        sources: list[tuple[str, str | None]] = [(item.curie, None)]
        if not index.by_mirna.get(item.curie):
            sources = [
                (o, f"ortholog {index.labels.get(o, o)}") for o in orthologs.get(item.curie, ())
            ]
        for mirna, via in sources:
            for gene, tier, pmids, note in index.by_mirna.get(mirna, ()):
                if tier not in tiers:
                    continue
                reason = "; ".join(v for v in (via, note) if v) or None
                add(
                    TargetLink(
                        item.curie,
                        gene,
                        gene_label(gene),
                        tier,
                        index.source,
                        "down",
                        tuple(f"pubmed:{p}" for p in pmids),
                        (),
                        reason,
                    )
                )
    top = max((item.abundance for item in profile.items), default=1.0) or 1.0
    relative = {item.curie: item.abundance / top for item in profile.items}
    weights: dict[str, float] = defaultdict(float)
    best: dict[str, str] = {}
    cargo_of: dict[str, dict[str, None]] = defaultdict(dict)
    per_pair: dict[tuple[str, str], float] = {}
    for link in links.values():
        pair = (link.cargo, link.gene)
        weight = relative.get(link.cargo, 0.0) * TIER_WEIGHT[link.tier]
        per_pair[pair] = max(per_pair.get(pair, 0.0), weight)
        if link.gene not in best or TIER_ORDER.index(link.tier) < TIER_ORDER.index(best[link.gene]):
            best[link.gene] = link.tier
        cargo_of[link.gene][link.cargo] = None
    for (_, gene), weight in per_pair.items():
        weights[gene] += weight
    genes = sorted(
        (
            TargetGene(gene, gene_label(gene), round(weight, 6), best[gene], tuple(cargo_of[gene]))
            for gene, weight in weights.items()
        ),
        key=lambda g: (-g.weight, TIER_ORDER.index(g.best_tier), g.symbol),
    )
    targeted = {link.cargo for link in links.values()}
    ordered = sorted(
        links.values(), key=lambda k: (k.cargo, TIER_ORDER.index(k.tier), k.symbol, k.source)
    )
    return TargetMap(
        tuple(ordered),
        tuple(genes),
        tuple(tiers),
        tuple(item.curie for item in profile.items if item.curie not in targeted),
    )
