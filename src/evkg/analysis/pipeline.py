"""The whole cargo analysis of one profile, as one typed result: known therapeutic cargo,
targets, pathway enrichment (ORA and the miRNA-aware null side by side) and indications.

Pure: the reference data arrive prepared (:class:`AnalysisResources`), the claims as a list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from evkg.analysis._json import to_jsonable
from evkg.analysis.calibration import (
    CalibrationInfo,
    ClaimsByAgent,
    DrawPools,
    calibrate_indications,
    random_profiles,
    score_profiles,
)
from evkg.analysis.enrichment import GeneSetCollection, collection_from_sets, ora_batch
from evkg.analysis.indications import Indication, ProcessSets, rank_indications
from evkg.analysis.null import mirna_null
from evkg.analysis.profile import CargoProfile, NormalisationReport
from evkg.analysis.targets import (
    GeneIndex,
    TargetIndex,
    TargetMap,
    map_targets,
    ortholog_names,
)
from evkg.assemble import STRENGTH_RANK
from evkg.model import EntityKind, Predicate
from evkg.model.tabular import Rows, Tabular, records
from evkg.sources.genesets import GeneSetLibrary
from evkg.store import StoredClaim

__all__ = [
    "AnalysisResources",
    "AnalysisSettings",
    "KnownCargo",
    "PathwayResult",
    "ProfileAnalysis",
    "analyse_profile",
    "prepare_collections",
]

_OUTCOMES = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}


@dataclass(frozen=True)
class AnalysisResources:
    """Reference data prepared for analysis: gene sets over one universe and targets."""

    genes: GeneIndex | None
    collections: tuple[GeneSetCollection, ...] = ()
    targets: TargetIndex | None = None
    notes: tuple[str, ...] = ()


def prepare_collections(
    libraries: Sequence[GeneSetLibrary], genes: GeneIndex, extra: Iterable[str] = ()
) -> tuple[GeneSetCollection, ...]:
    """Map each library's genes to HGNC and build collections over one shared universe
    (every mapped gene, plus ``extra`` genes such as all miRNA targets)."""
    mapped: list[list[tuple[str, str, list[str]]]] = []
    universe: dict[str, None] = {}
    for library in libraries:
        entrez = library.id_type == "entrez"
        table = genes.by_entrez if entrez else genes.by_symbol
        sets = []
        for gene_set in library.sets:
            keys = gene_set.genes if entrez else tuple(g.upper() for g in gene_set.genes)
            members = [table[key] for key in keys if key in table]
            universe.update(dict.fromkeys(members))
            sets.append((gene_set.id, gene_set.name, members))
        mapped.append(sets)
    universe.update(dict.fromkeys(extra))
    ordered = sorted(universe)
    index = {gene: i for i, gene in enumerate(ordered)}
    return tuple(
        collection_from_sets(library.name, sets, index, ordered)
        for library, sets in zip(libraries, mapped, strict=True)
    )


@dataclass(frozen=True)
class AnalysisSettings:
    tiers: tuple[str, ...] = ("curated", "self", "strong")
    min_size: int = 10
    max_size: int = 500
    draws: int = 10_000
    seed: int = 0
    bins: int = 10
    workers: int = 2
    alpha: float = 0.05
    background: str = "default"  # description of the background used
    indication_draws: int = 200  # random profiles calibrating the indications (0: none)


@dataclass(frozen=True)
class PathwayResult:
    """One gene set: ORA statistics and, for miRNA profiles, the empirical null beside them."""

    collection: str
    set_id: str
    name: str
    k: int
    set_size: int
    query_size: int
    background_size: int
    fold: float
    p: float
    q: float
    genes: tuple[str, ...]  # symbols of the overlapping targets
    null_observed: int | None = None  # miRNA→gene interactions landing in the set
    null_mean: float | None = None
    null_z: float | None = None
    null_p: float | None = None
    null_q: float | None = None


@dataclass(frozen=True)
class KnownCargo:
    """A profile cargo with stored outcome evidence: which known therapeutic cargo it is."""

    curie: str
    label: str
    abundance: float
    diseases: tuple[tuple[str, str, str], ...]  # (disease curie, outcome, strength)
    best_strength: str
    n_claims: int
    via: str | None = None  # ortholog the evidence is about, if not the cargo itself


@dataclass(frozen=True)
class ProfileAnalysis(Tabular):
    """The analysis of one cargo profile.

    ``to_frame()`` gives the ranked indications; ``to_frame(name)`` the ``known_cargo``,
    ``pathways``, ``targets`` and the ``profile`` itself (``to_dict()`` for JSON)."""

    profile: CargoProfile
    targets: TargetMap
    pathways: tuple[PathwayResult, ...]
    indications: tuple[Indication, ...]
    known_cargo: tuple[KnownCargo, ...]
    settings: AnalysisSettings
    background_sizes: tuple[tuple[str, int], ...]
    null_info: Mapping[str, Any] = field(default_factory=dict)
    normalisation: NormalisationReport | None = None
    notes: tuple[str, ...] = ()
    calibration: CalibrationInfo | None = None

    def frame_title(self) -> str:
        return f"Analysis of {self.profile.name} ({len(self.profile.items)} cargo)"

    def frame_tables(self) -> Mapping[str, Rows]:
        indication_fields = (
            "label", "null_p", "null_q", "score", "null_mean", "null_z", "evidence_score",
            "mechanism_score", "beneficial", "detrimental", "n_references", "disease",
        )  # fmt: skip
        cargo_fields = ("label", "abundance", "best_strength", "n_claims", "via", "curie")
        pathway_fields = (
            "name", "collection", "k", "set_size", "fold", "p", "q", "null_z", "null_q",
            "genes", "set_id",
        )  # fmt: skip
        gene_fields = ("symbol", "weight", "best_tier", "cargo", "gene")
        profile_fields = ("label", "kind", "abundance", "input_name", "curie")
        return {
            "indications": lambda: records(self.indications, indication_fields),
            "known_cargo": lambda: records(self.known_cargo, cargo_fields),
            "pathways": lambda: records(self.pathways, pathway_fields),
            "targets": lambda: records(self.targets.genes, gene_fields),
            "profile": lambda: records(self.profile.items, profile_fields),
        }

    def to_dict(self, limit: int | None = 200) -> dict[str, Any]:
        """Plain JSON values. ``limit`` keeps the first N pathways, target genes and
        interaction links (curated and protein links always) so a web page stays small;
        ``None`` keeps everything. Counts of the full lists are under ``totals``."""
        data: dict[str, Any] = to_jsonable(self)
        data["totals"] = {
            "pathways": len(self.pathways),
            "target_genes": len(self.targets.genes),
            "target_links": len(self.targets.links),
        }
        if limit is not None:
            data["pathways"] = data["pathways"][:limit]
            data["targets"]["genes"] = data["targets"]["genes"][:limit]
            links = data["targets"]["links"]
            kept = [link for link in links if link["tier"] in ("curated", "self")]
            rest = [link for link in links if link["tier"] not in ("curated", "self")]
            data["targets"]["links"] = kept + rest[: max(limit - len(kept), 0)]
        return data


def _known_cargo(
    profile: CargoProfile,
    claims: Sequence[StoredClaim],
    orthologs: Mapping[str, Sequence[str]],
    label: Callable[[str], str],
) -> tuple[KnownCargo, ...]:
    by_agent: dict[str, list[StoredClaim]] = defaultdict(list)
    for stored in claims:
        if stored.claim.predicate in _OUTCOMES:
            by_agent[stored.claim.subject].append(stored)
    known = []
    for item in profile.items:
        for agent in (item.curie, *orthologs.get(item.curie, ())):
            found = by_agent.get(agent)
            if not found:
                continue
            diseases = tuple(
                sorted(
                    {
                        (
                            s.claim.object,
                            (s.claim.outcome.value if s.claim.outcome else ""),
                            s.strength,
                        )
                        for s in found
                    }
                )
            )
            best = max((s.strength for s in found), key=lambda s: STRENGTH_RANK.get(s, 0))
            via = None if agent == item.curie else label(agent)
            known.append(
                KnownCargo(item.curie, item.label, item.abundance, diseases, best, len(found), via)
            )
    return tuple(known)


def analyse_profile(
    profile: CargoProfile,
    resources: AnalysisResources,
    claims: Sequence[StoredClaim],
    *,
    settings: AnalysisSettings | None = None,
    background: Iterable[str] | None = None,
    orthologs: Mapping[str, Sequence[str]] | None = None,
    label: Callable[[str], str] = lambda curie: curie,
    cite: Callable[[str], str] = lambda curie: curie,
    normalisation: NormalisationReport | None = None,
) -> ProfileAnalysis:
    """Analyse one profile. ``background`` (hgnc CURIEs) replaces the default background:
    genes with a validated interaction (miRNA profiles) or every annotated gene (protein
    profiles), in both cases intersected with each collection's annotated genes."""
    settings = settings or AnalysisSettings()
    orthologs = orthologs or {}
    genes = resources.genes
    gene_label = genes.label if genes is not None else label
    targets = map_targets(
        profile,
        claims=claims,
        index=resources.targets,
        tiers=settings.tiers,
        orthologs=orthologs,
        gene_label=gene_label,
    )
    notes: list[str] = list(resources.notes)
    pathways: list[PathwayResult] = []
    sizes: list[tuple[str, int]] = []
    null_info: dict[str, Any] = {}
    mirnas = [i.curie for i in profile.items if i.kind == EntityKind.MIRNA.value]
    base: npt.NDArray[np.bool_] | None = None
    if resources.collections:
        universe = resources.collections[0].universe
        index = {gene: i for i, gene in enumerate(universe)}
        query = np.zeros((1, len(universe)), dtype=bool)
        for gene in targets.gene_ids():
            if gene in index:
                query[0, index[gene]] = True
        base = np.zeros(len(universe), dtype=bool)
        if background is not None:
            description = "user-given genes"
            base[[index[g] for g in background if g in index]] = True
        elif mirnas and resources.targets is not None:
            description = "genes with a validated miRNA interaction (admitted tiers)"
            for links in resources.targets.by_mirna.values():
                for gene, tier, _, _ in links:
                    if tier in settings.tiers and gene in index:
                        base[index[gene]] = True
            base |= query[0]
        else:
            description = "every gene annotated in the collection"
            base[:] = True
        settings = AnalysisSettings(**{**settings.__dict__, "background": description})
        batches = []
        for collection in resources.collections:
            bg = base & collection.annotated()
            batch = ora_batch(
                collection, query, bg, min_size=settings.min_size, max_size=settings.max_size
            )
            batches.append((collection, bg, batch))
            sizes.append((collection.name, batch.background_size))
        null_rows: dict[tuple[str, str], tuple[int, float, float, float, float]] = {}
        if mirnas and resources.targets is not None and settings.draws > 0:
            null_rows, null_info = _run_null(batches, base, mirnas, resources.targets, settings)
        for collection, bg, batch in batches:
            in_query = query[0] & bg
            matrix = collection.matrix
            for row in np.nonzero(batch.tested[:, 0])[0]:
                set_row = int(batch.set_index[row])
                members = matrix.indices[matrix.indptr[set_row] : matrix.indptr[set_row + 1]]
                overlap = tuple(sorted(gene_label(universe[j]) for j in members if in_query[j]))
                expected = batch.set_size[row] * batch.query_size[0] / max(batch.background_size, 1)
                extra = null_rows.get((collection.name, collection.ids[set_row]))
                pathways.append(
                    PathwayResult(
                        collection.name,
                        collection.ids[set_row],
                        collection.names[set_row],
                        int(batch.k[row, 0]),
                        int(batch.set_size[row]),
                        int(batch.query_size[0]),
                        batch.background_size,
                        round(float(batch.k[row, 0] / expected), 4) if expected else 0.0,
                        float(batch.p[row, 0]),
                        float(batch.q[row, 0]),
                        overlap,
                        *(extra if extra else (None, None, None, None, None)),
                    )
                )
        pathways.sort(key=lambda r: (r.p, r.collection, r.set_id))
    else:
        notes.append("no gene-set files found: pathway enrichment skipped")
    pathway_q: dict[str, float] = {}
    for result in pathways:
        q = result.q if result.null_q is None else max(result.q, result.null_q)
        pathway_q[result.set_id] = min(q, pathway_q.get(result.set_id, 1.0))
    processes = _process_sets(resources, claims)
    indications = rank_indications(
        profile,
        claims,
        targets,
        processes=processes,
        pathway_q=pathway_q,
        orthologs=orthologs,
        label=label,
        cite=cite,
        alpha=settings.alpha,
    )
    calibration = None
    if settings.indication_draws > 0 and indications:
        indications, calibration = _calibrate(
            profile, resources, claims, indications, settings, base, orthologs, processes
        )
        if calibration is None:
            notes.append(
                "indications not calibrated: no miRNA with validated targets or gene universe "
                "to draw random profiles from (set the reference data directory)"
            )
    return ProfileAnalysis(
        profile=profile,
        targets=targets,
        pathways=tuple(pathways),
        indications=tuple(indications),
        known_cargo=_known_cargo(profile, claims, orthologs, label),
        settings=settings,
        background_sizes=tuple(sizes),
        null_info=null_info,
        normalisation=normalisation,
        notes=tuple(notes),
        calibration=calibration,
    )


_PROCESS_PREDICATES = {Predicate.INHIBITS, Predicate.ACTIVATES, Predicate.MODULATES}


def _process_sets(
    resources: AnalysisResources, claims: Sequence[StoredClaim]
) -> ProcessSets | None:
    """Members of the gene sets that mechanism claims made in a disease context name."""
    if not resources.collections:
        return None
    named = {
        s.claim.object
        for s in claims
        if s.claim.predicate in _PROCESS_PREDICATES and s.claim.context.disease is not None
    }
    return ProcessSets.from_collections(resources.collections, named)


def _calibrate(
    profile: CargoProfile,
    resources: AnalysisResources,
    claims: Sequence[StoredClaim],
    indications: Sequence[Indication],
    settings: AnalysisSettings,
    base: npt.NDArray[np.bool_] | None,
    orthologs: Mapping[str, Sequence[str]],
    processes: ProcessSets | None,
) -> tuple[list[Indication], CalibrationInfo | None]:
    """Indications against random profiles of the same make-up (``evkg.analysis.calibration``);
    unchanged, with no information, when no cargo of the profile can be drawn at random."""
    index = resources.targets
    if resources.collections:
        gene_pool: Sequence[str] = resources.collections[0].universe
    elif resources.genes is not None:
        gene_pool = sorted(resources.genes.symbols)
    else:
        gene_pool = ()
    pools = DrawPools.build(
        index, gene_pool, species=profile.species, tiers=settings.tiers, n_bins=settings.bins
    )
    drawable = {EntityKind.MIRNA.value} if pools.mirnas else set()
    drawable |= {EntityKind.GENE.value} if pools.genes else set()
    if not any(item.kind in drawable for item in profile.items):
        return list(indications), None
    by_name = {name: curie for curie, name in (index.labels.items() if index else ())}

    def orthologs_of(curie: str) -> Sequence[str]:
        if curie in orthologs:
            return orthologs[curie]
        name = index.labels.get(curie) if index is not None else None
        return tuple(by_name[o] for o in ortholog_names(name) if o in by_name) if name else ()

    scoring = ClaimsByAgent(claims)
    drawn = random_profiles(profile, pools, settings.indication_draws, settings.seed)
    scores = score_profiles(
        [profile, *drawn],
        claims=scoring,
        index=index,
        tiers=settings.tiers,
        collections=resources.collections,
        background=base,
        orthologs_of=orthologs_of,
        processes=processes,
        min_size=settings.min_size,
        max_size=settings.max_size,
        alpha=settings.alpha,
    )
    kept = tuple(item.label for item in profile.items if item.kind not in drawable)
    info = CalibrationInfo(
        settings.indication_draws, settings.seed, len(pools.bin_members), pools.mirnas,
        len(pools.genes), kept,
    )  # fmt: skip
    return calibrate_indications(indications, scores[0], scores[1:], alpha=settings.alpha), info


def _run_null(
    batches: Sequence[tuple[GeneSetCollection, Any, Any]],
    base: Any,
    mirnas: Sequence[str],
    index: TargetIndex,
    settings: AnalysisSettings,
) -> tuple[dict[tuple[str, str], tuple[int, float, float, float, float]], dict[str, Any]]:
    """One null over the kept sets of every collection at once (shared draws)."""
    from scipy import sparse

    columns = np.nonzero(base)[0]
    position = {int(c): i for i, c in enumerate(columns)}
    universe = batches[0][0].universe
    gene_index = {gene: i for i, gene in enumerate(universe)}
    stacked = sparse.vstack(
        [collection.matrix[batch.set_index][:, columns] for collection, _, batch in batches]
    ).tocsr()
    keys = [
        (collection.name, collection.ids[int(row)])
        for collection, _, batch in batches
        for row in batch.set_index
    ]
    mirna_targets: dict[str, list[int]] = {}
    for mirna, links in index.by_mirna.items():
        found = [
            position[gene_index[gene]]
            for gene, tier, _, _ in links
            if tier in settings.tiers and gene in gene_index and gene_index[gene] in position
        ]
        if found:
            mirna_targets[mirna] = found
    result = mirna_null(
        mirna_targets,
        mirnas,
        stacked,
        draws=settings.draws,
        n_bins=settings.bins,
        seed=settings.seed,
        workers=settings.workers,
    )
    rows = {
        key: (
            int(result.observed[i]),
            round(float(result.null_mean[i]), 4),
            round(float(result.z[i]), 4),
            float(result.p[i]),
            float(result.q[i]),
        )
        for i, key in enumerate(keys)
        if result.tested[i]
    }
    info = {
        "draws": result.draws,
        "seed": result.seed,
        "bins": result.bins,
        "universe_mirnas": result.universe,
        "profile_mirnas": list(result.profile_mirnas),
        "excluded_mirnas": list(result.excluded),
        "statistic": "miRNA→gene interactions of the profile landing in the set",
    }
    return rows, info
