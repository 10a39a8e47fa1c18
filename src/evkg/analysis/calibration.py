"""Calibrated indications: each disease's score set against random cargo profiles.

A raw indication score grows with how much the knowledge says about a disease: a disease
with many curated studies collects claim and mechanism weight from almost any cargo list,
and one whose studies worked through a broad process collects little from any. The score
alone therefore says more about the literature than about the preparation. Here the same
scoring is repeated on random profiles of the same make-up:

* each miRNA is replaced by a random miRNA of the same species from its own target-burden
  bin (quantiles of validated target count, as in :mod:`evkg.analysis.null`), so random
  profiles hit as many genes;
* each protein (gene) cargo by a random gene of the gene-set universe;
* other cargo (drugs, engineered constructs) is kept, so it contributes equally to the
  observed and the random scores;
* abundances are kept item for item.

For each disease the observed score is compared with its scores under the draws (a disease
a random profile does not reach scores 0 there): ``null_p = (1 + #draws ≥ observed) /
(1 + draws)``, ``null_z`` and the Benjamini–Hochberg ``null_q`` over the indications. Both
observed and random profiles are scored with ORA q-values for pathway support (the null of
pathway enrichment is too costly to repeat per draw), so the comparison is like for like.
Indications are then ordered in two groups, those above random (``null_p < alpha``) first,
each group by raw score. The p-value puts claim-based and mechanism-based diseases on one
scale (a disease reached only through processes is above random when random cargo seldom
reaches it that strongly), and within a group the raw score keeps what the literature
weighs: sorting by p alone, or by the score's excess over the random mean, ranked the
disease of held-out studies lower (``evkg eval analysis``; docs/analysis.md has the
figures). Draws are seeded.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evkg.analysis.enrichment import GeneSetCollection, benjamini_hochberg, ora_batch
from evkg.analysis.indications import (
    Indication,
    ProcessSets,
    chain_outcomes,
    rank_indications,
)
from evkg.analysis.null import burden_bins
from evkg.analysis.profile import CargoProfile, ProfileItem
from evkg.analysis.targets import TargetIndex, map_targets
from evkg.model import EntityKind, Predicate
from evkg.store import StoredClaim

__all__ = [
    "CalibrationInfo",
    "ClaimsByAgent",
    "DrawPools",
    "calibrate_indications",
    "random_profiles",
    "score_profiles",
]

_OUTCOME = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}
_REGULATION = {Predicate.REGULATES_DOWN, Predicate.REGULATES_UP}
_MECHANISM = _REGULATION | {Predicate.INHIBITS, Predicate.ACTIVATES, Predicate.MODULATES}
_MIN_POOL = 50  # fewer same-species miRNAs than this: draw from every species


@dataclass(frozen=True)
class DrawPools:
    """What random profiles are drawn from: miRNAs by target-burden bin, and genes."""

    mirna_bin: Mapping[str, int]  # miRNA CURIE -> its bin
    bin_members: tuple[tuple[str, ...], ...]
    genes: tuple[str, ...]

    @classmethod
    def build(
        cls,
        index: TargetIndex | None,
        genes: Sequence[str],
        *,
        species: str,
        tiers: Iterable[str],
        n_bins: int = 10,
    ) -> DrawPools:
        """Pools from the validated interactions (miRNAs of ``species`` when there are
        enough of them, else all) and the gene universe."""
        wanted = set(tiers)
        burden: dict[str, int] = {}
        for mirna, links in index.by_mirna.items() if index is not None else ():
            count = sum(1 for _, tier, _, _ in links if tier in wanted)
            if count:
                burden[mirna] = count
        if index is not None:
            own = [m for m in burden if index.labels.get(m, "").startswith(f"{species}-")]
            if len(own) >= _MIN_POOL:
                burden = {m: burden[m] for m in own}
        ordered = sorted(burden)
        bins = min(n_bins, max(len(ordered), 1))
        assigned = burden_bins(np.asarray([burden[m] for m in ordered], dtype=np.int64), bins)
        members: list[list[str]] = [[] for _ in range(bins)]
        for mirna, b in zip(ordered, assigned, strict=True):
            members[int(b)].append(mirna)
        return cls(
            {m: int(b) for m, b in zip(ordered, assigned, strict=True)},
            tuple(tuple(group) for group in members),
            tuple(sorted(set(genes))),
        )

    @property
    def mirnas(self) -> int:
        return len(self.mirna_bin)


@dataclass(frozen=True)
class CalibrationInfo:
    """How the indications were calibrated (shown beside them)."""

    draws: int
    seed: int
    bins: int
    mirna_pool: int  # miRNAs random profiles draw from
    gene_pool: int  # genes protein cargo is drawn from
    kept: tuple[str, ...]  # cargo kept as is in every draw (neither miRNA nor gene)
    statistic: str = (
        "each disease's score for the profile against its scores for random profiles of the "
        "same size, target burden and abundances (null_p, null_q); pathway support from ORA q"
    )


def random_profiles(
    profile: CargoProfile, pools: DrawPools, draws: int, seed: int = 0
) -> list[CargoProfile]:
    """``draws`` profiles shaped like ``profile`` (see module doc), reproducible by seed.

    A miRNA outside the pools (no validated target) is drawn from the lowest-burden bin.
    Within one draw no random member is used twice."""
    rng = np.random.default_rng(seed)
    mirna_slots: dict[int, list[int]] = defaultdict(list)
    gene_slots: list[int] = []
    for position, item in enumerate(profile.items):
        if item.kind == EntityKind.MIRNA.value and pools.bin_members:
            mirna_slots[pools.mirna_bin.get(item.curie, 0)].append(position)
        elif item.kind == EntityKind.GENE.value and pools.genes:
            gene_slots.append(position)
    drawn: list[CargoProfile] = []
    for draw in range(draws):
        items = list(profile.items)
        for b, positions in mirna_slots.items():
            members = pools.bin_members[b] or next(g for g in pools.bin_members if g)
            picks = rng.choice(len(members), size=min(len(positions), len(members)), replace=False)
            for position, pick in zip(positions, picks, strict=False):
                items[position] = _replaced(items[position], members[int(pick)])
        if gene_slots:
            size = min(len(gene_slots), len(pools.genes))
            picks = rng.choice(len(pools.genes), size=size, replace=False)
            for position, pick in zip(gene_slots, picks, strict=False):
                items[position] = _replaced(items[position], pools.genes[int(pick)])
        drawn.append(
            CargoProfile(f"{profile.name} (random {draw + 1})", profile.species, tuple(items))
        )
    return drawn


def _replaced(item: ProfileItem, curie: str) -> ProfileItem:
    return dataclasses.replace(item, curie=curie, label=curie, input_name=curie)


class ClaimsByAgent:
    """The claims a profile's scoring needs, looked up per agent instead of scanned."""

    def __init__(self, claims: Sequence[StoredClaim]) -> None:
        self.by_subject: dict[str, list[StoredClaim]] = defaultdict(list)
        self.mechanism: list[StoredClaim] = []
        self.outcomes = chain_outcomes(claims)  # of every claim: subsets keep the directions
        for stored in claims:
            predicate = stored.claim.predicate
            if predicate in _OUTCOME or predicate in _REGULATION:
                self.by_subject[stored.claim.subject].append(stored)
            if predicate in _MECHANISM and stored.claim.context.disease is not None:
                self.mechanism.append(stored)

    def for_agents(self, agents: Iterable[str]) -> list[StoredClaim]:
        seen: dict[str, StoredClaim] = {s.hash: s for s in self.mechanism}
        for agent in agents:
            for stored in self.by_subject.get(agent, ()):
                seen.setdefault(stored.hash, stored)
        return list(seen.values())


def score_profiles(
    profiles: Sequence[CargoProfile],
    *,
    claims: ClaimsByAgent,
    index: TargetIndex | None,
    tiers: Sequence[str],
    collections: Sequence[GeneSetCollection],
    background: npt.NDArray[np.bool_] | None,
    orthologs_of: Callable[[str], Sequence[str]],
    processes: ProcessSets | None = None,
    min_size: int,
    max_size: int,
    alpha: float,
) -> list[dict[str, float]]:
    """Raw indication scores (disease -> score) of each profile, pathway support from ORA q
    over ``collections`` (one batched ORA per collection for all profiles)."""
    mapped = []
    for profile in profiles:
        orthologs = {
            item.curie: tuple(orthologs_of(item.curie))
            for item in profile.items
            if item.kind == EntityKind.MIRNA.value
        }
        agents = {c for item in profile.items for c in (item.curie, *orthologs.get(item.curie, ()))}
        relevant = claims.for_agents(agents)
        targets = map_targets(
            profile, claims=relevant, index=index, tiers=tiers, orthologs=orthologs
        )
        mapped.append((profile, orthologs, relevant, targets))
    pathway_q: list[dict[str, float]] = [{} for _ in profiles]
    for collection in collections:
        position = {gene: i for i, gene in enumerate(collection.universe)}
        queries = np.zeros((len(profiles), len(collection.universe)), dtype=bool)
        for row, (_, _, _, targets) in enumerate(mapped):
            columns = [position[g] for g in targets.gene_ids() if g in position]
            queries[row, columns] = True
        annotated = collection.annotated()
        bg = annotated if background is None else (background & annotated)
        batch = ora_batch(collection, queries, bg, min_size=min_size, max_size=max_size)
        rows, lists = np.nonzero(batch.tested & (batch.q < alpha))
        for row, column in zip(rows.tolist(), lists.tolist(), strict=True):
            set_id = collection.ids[int(batch.set_index[row])]
            known = pathway_q[column].get(set_id, 1.0)
            pathway_q[column][set_id] = min(known, float(batch.q[row, column]))
    scores = []
    for (profile, orthologs, relevant, targets), q in zip(mapped, pathway_q, strict=True):
        ranked = rank_indications(
            profile,
            relevant,
            targets,
            pathway_q=q,
            orthologs=orthologs,
            alpha=alpha,
            outcomes=claims.outcomes,
            processes=processes,
        )
        scores.append({i.disease: i.score for i in ranked})
    return scores


def calibrate_indications(
    indications: Sequence[Indication],
    observed: Mapping[str, float],
    null_scores: Sequence[Mapping[str, float]],
    *,
    alpha: float = 0.05,
) -> list[Indication]:
    """``indications`` with their null figures, those above random (``null_p < alpha``)
    first, each group by raw score.

    ``observed`` is the profile's own score per disease computed exactly as the
    ``null_scores`` were (one mapping per random profile)."""
    draws = len(null_scores)
    if draws == 0:
        return list(indications)
    measured = []
    for indication in indications:
        own = observed.get(indication.disease, indication.score)
        values = np.asarray([s.get(indication.disease, 0.0) for s in null_scores])
        mean = float(values.mean())
        sd = float(values.std())
        exceed = int(np.count_nonzero(values >= own - 1e-12))
        p = (1 + exceed) / (1 + draws)
        z = (own - mean) / sd if sd > 0 else (math.inf if own > mean else 0.0)
        measured.append((indication, mean, z, p))
    q_values = benjamini_hochberg([p for _, _, _, p in measured]).tolist()
    calibrated = [
        dataclasses.replace(
            indication,
            null_mean=round(mean, 4),
            null_z=round(z, 3) if math.isfinite(z) else None,
            null_p=round(p, 5),
            null_q=round(float(q), 5),
        )
        for (indication, mean, z, p), q in zip(measured, q_values, strict=True)
    ]
    calibrated.sort(key=lambda i: (not _above_random(i, alpha), -i.score, i.label))
    return calibrated


def _above_random(indication: Indication, alpha: float) -> bool:
    return indication.null_p is not None and indication.null_p < alpha and indication.score > 0
