"""What is known for a disease, with bounded work however many claims it has: the ranked
strategies (from its strongest claims), the chains of the strategies shown, contradicting
evidence, and the chains page by page (see :class:`DiseaseOverview`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from evkg.analysis.strategies import Strategy, rank_strategies, strategy_candidates
from evkg.api._convert import (
    chain_out,
    claim_out,
    contradiction_out,
    entity_out,
    strategy_out,
)
from evkg.api.labels import Labels
from evkg.api.responses import DiseaseOut, NearestEvidenceOut, PlacementOut, RankingOut
from evkg.api.service import Knowledge
from evkg.assemble import opposing
from evkg.model import Claim, Entity, EntityKind
from evkg.sources.curated.placements import claim_diseases
from evkg.store import Chain, ClaimCount, ClaimFilter, ClaimSketch, Contradiction, StoredClaim

__all__ = [
    "COUNT_CAP",
    "MAX_CONTRADICTIONS",
    "RANKED_CLAIMS",
    "SCAN_CLAIMS",
    "DiseaseOverview",
    "disease_answer",
    "disease_overview",
    "page_chains",
    "placements_out",
    "ranking_out",
]

#: Claim counts shown to users stop here ("10,000+"): counting further costs a full scan.
COUNT_CAP = 10_000
#: Claims of a disease read (without evidence) for strategies, contradictions and choices.
SCAN_CLAIMS = 300
#: Outcome claims of a disease read in full and grouped into ranked strategies.
RANKED_CLAIMS = 100
#: Contradictions listed at most.
MAX_CONTRADICTIONS = 50


@dataclass(frozen=True)
class DiseaseOverview:
    """A disease page's content, with bounded work however many claims the disease has.

    Strategies are ranked from at most :data:`RANKED_CLAIMS` outcome claims, chosen from
    the disease's :data:`SCAN_CLAIMS` strongest claims (beneficial first, as strategies
    rank); contradictions come from those scanned claims. ``complete`` says whether that
    covered every claim of the disease (it does for every disease of the curated
    knowledge); when it is false the page says what the ranking was computed from. Only
    the strategies the network draws carry their chains.
    """

    disease: Entity
    included: tuple[str, ...]  # the disease and its descendants that have claims
    n_claims: ClaimCount
    strategies: tuple[Strategy, ...]  # the best ``shown``, ranked
    n_strategies: int  # distinct strategies among the scanned outcome claims
    n_outcome_claims: int  # outcome claims among the scanned claims
    ranked_from: int  # outcome claims read in full and ranked
    scanned: tuple[ClaimSketch, ...]
    scanned_all: bool  # ``scanned`` holds every claim of the disease
    complete: bool
    contradictions: tuple[Contradiction, ...]
    read: dict[str, StoredClaim] = field(default_factory=dict)  # claims read, by hash

    def first_page(self, size: int) -> list[str] | None:
        """Hashes of the first ``size`` claims in rank order, when the scan holds them."""
        if len(self.scanned) >= size or self.scanned_all:
            return [s.hash for s in self.scanned[:size]]
        return None


def _sketch_claim(sketch: ClaimSketch) -> Claim:
    return Claim(
        subject=sketch.subject,
        predicate=sketch.predicate,
        object=sketch.object,
        outcome=sketch.outcome,
    )


def _contradictions(
    knowledge: Knowledge, sketches: list[ClaimSketch], read: dict[str, StoredClaim]
) -> list[Contradiction]:
    """Contested claims and opposing pairs among ``sketches`` (rank order), as
    :meth:`~evkg.store.SqlStore.contradictions` finds them, reading only the claims
    involved."""
    found: list[tuple[str, str | None, str]] = []
    by_pair: dict[tuple[str, str], list[ClaimSketch]] = defaultdict(list)
    for sketch in sketches:
        by_pair[(sketch.subject, sketch.object)].append(sketch)
        if sketch.outcome == "contested":
            found.append((sketch.hash, None, "marked contested by its evidence"))
    for group in by_pair.values():
        if len(group) < 2:
            continue
        claims = [_sketch_claim(s) for s in group]
        for index, first in enumerate(group):
            for offset, second in enumerate(group[index + 1 :], start=index + 1):
                if opposing(claims[index], claims[offset]):
                    found.append(
                        (first.hash, second.hash, f"{first.predicate} vs {second.predicate}")
                    )
    found = found[:MAX_CONTRADICTIONS]
    wanted = [h for first, second, _ in found for h in (first, second) if h]
    stored = {c.hash: c for c in knowledge.store.claims_by_hash(wanted, read)}
    read.update(stored)
    return [
        Contradiction(stored[first], stored[second] if second else None, reason)
        for first, second, reason in found
        if first in stored and (second is None or second in stored)
    ]


def disease_overview(
    knowledge: Knowledge,
    name: str,
    *,
    shown: int = 30,
    drawn_strategies: int = 12,
    count_cap: int = COUNT_CAP,
    page_size: int = 0,
) -> DiseaseOverview:
    """The disease named ``name`` (and its sub-diseases): claim count (capped at
    ``count_cap``), the ``shown`` best strategies, the first ``drawn_strategies`` of
    them with their mechanism chains (the others name none, but their gaps know whether
    a mechanism was reported), and contradicting evidence; see :class:`DiseaseOverview`
    for the bounds. The first ``page_size`` claims (an evidence table's first page) are
    read along, into :attr:`DiseaseOverview.read`."""
    match = knowledge.disease_match(name)
    curie = match.curie
    store = knowledge.store
    where = ClaimFilter(disease=curie)
    entity = store.entity(curie) or Entity(id=curie, kind=EntityKind.DISEASE, label=match.label)
    sketches = store.claim_sketches(where, limit=SCAN_CLAIMS + 1)
    scanned_all = len(sketches) <= SCAN_CLAIMS
    sketches = sketches[:SCAN_CLAIMS]
    n_claims = (
        store.count_claims_upto(where, count_cap)
        if not scanned_all
        else ClaimCount(len(sketches))
        if len(sketches) <= count_cap
        else ClaimCount(count_cap, is_lower_bound=True)
    )
    chosen, n_outcome, n_strategies = strategy_candidates(sketches, RANKED_CLAIMS)
    # rank the candidates; then read the chains of the shown strategies only and rank those
    # again (a strategy's place depends on its own claims, so the order is the same)
    page = [sketch.hash for sketch in sketches[:page_size]]
    read: dict[str, StoredClaim] = {c.hash: c for c in store.claims_by_hash([*chosen, *page])}
    candidates = [read[h] for h in chosen if h in read]
    focus = knowledge.vocabulary.diseases.members(curie)
    first = rank_strategies(candidates, [], focus=focus)[:shown]
    members = [claim for strategy in first for claim in strategy.outcome_claims]
    # chains in full for the strategies the network draws; for the others, only whether
    # their chains hold a mechanism (all their gaps need)
    drawn = [
        claim.hash for strategy in first[:drawn_strategies] for claim in strategy.outcome_claims
    ]
    chains = store.chains_for(drawn, read)
    read.update((c.hash, c) for chain in chains for c in chain.claims)
    rest = [
        claim.hash for strategy in first[drawn_strategies:] for claim in strategy.outcome_claims
    ]
    mechanism = store.mechanism_chains(rest) if rest else set()
    if scanned_all:  # the scan names every disease the claims meet
        below = store.descendants(curie)
        named = {s.disease for s in sketches} | {s.object for s in sketches}
        included = sorted(below & {d for d in named if d})
    else:
        included = sorted(store.diseases_with_claims(curie))
    return DiseaseOverview(
        disease=entity,
        included=tuple(included),
        n_claims=n_claims,
        strategies=tuple(rank_strategies(members, chains, mechanism_chains=mechanism, focus=focus)),
        n_strategies=n_strategies,
        n_outcome_claims=n_outcome,
        ranked_from=len(chosen),
        scanned=tuple(sketches),
        scanned_all=scanned_all,
        complete=scanned_all and n_outcome <= RANKED_CLAIMS,
        contradictions=tuple(_contradictions(knowledge, sketches, read)),
        read=read,
    )


def page_chains(
    knowledge: Knowledge, name: str, *, offset: int, size: int
) -> tuple[Entity, list[Chain], bool]:
    """The disease named ``name``; the mechanism chains having at least one of its claims
    ranked ``offset`` to ``offset + size`` (strongest first), in the order of their first
    such claim; and whether more claims follow. Paging on to the end reaches every chain of
    the disease (a chain whose claims fall on several pages is listed on each)."""
    match = knowledge.disease_match(name)
    store = knowledge.store
    entity = store.entity(match.curie) or Entity(
        id=match.curie, kind=EntityKind.DISEASE, label=match.label
    )
    rows = store.claims(ClaimFilter(disease=match.curie), limit=size + 1, offset=offset)
    hashes = [c.hash for c in rows[:size]]
    order = {h: i for i, h in enumerate(hashes)}
    chains = knowledge.store.chains_for(hashes, {c.hash: c for c in rows})
    chains.sort(key=lambda c: min(order.get(m.hash, len(order)) for m in c.claims))
    return entity, chains, len(rows) > size


def ranking_out(report: DiseaseOverview) -> RankingOut:
    """What a disease's strategies were ranked from, in figures and in words."""
    n = report.n_claims
    of = f"{n.total:,}{'+' if n.is_lower_bound else ''}"
    if report.complete:
        note = f"Ranked from every claim of the disease ({of})."
    else:
        note = (
            f"Ranked from the {report.ranked_from:,} strongest of the "
            f"{report.n_outcome_claims:,} outcome claims among this disease's "
            f"{len(report.scanned):,} strongest claims (of {of}), beneficial first; "
            f"{report.n_strategies:,} strategies among those."
        )
    return RankingOut(
        complete=report.complete,
        ranked_from=report.ranked_from,
        n_outcome_claims=report.n_outcome_claims,
        n_scanned=len(report.scanned),
        n_strategies=report.n_strategies,
        n_claims=n.total,
        n_claims_is_lower_bound=n.is_lower_bound,
        note=note,
    )


def _natural(text: str) -> list[Any]:
    """Sort key putting 'row 2' before 'row 10'."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text)]


def placements_out(knowledge: Knowledge, labels: Labels, curie: str) -> list[PlacementOut]:
    """Claims the review lists under ``curie`` or a narrower disease but curates under
    another, one entry per place the review lists them (a table row), labelled with where
    they are listed and why they are curated elsewhere."""
    store = knowledge.store
    placements = store.placements(sorted(store.descendants(curie)))
    claims = {c.hash: c for c in store.claims_by_hash(sorted({p.claim_hash for p in placements}))}
    grouped: dict[tuple[str, str, str], list[StoredClaim]] = defaultdict(list)
    for placement in placements:
        stored = claims.get(placement.claim_hash)
        if stored is not None:  # None: a claim removed since the placement was loaded
            key = (placement.location, placement.listed_as, placement.reason)
            grouped[key].append(stored)

    def is_disease(curie: str) -> bool:
        return labels.kind(curie) == EntityKind.DISEASE.value

    found = []
    for (location, listed_as, reason), members in sorted(
        grouped.items(), key=lambda item: _natural(item[0][0])
    ):
        curated = sorted({d for c in members for d in claim_diseases(c.claim, is_disease)})
        names = ", ".join(labels.label(d) for d in curated) or "another disease"
        found.append(
            PlacementOut(
                listed_as=listed_as,
                location=location,
                curated_as=curated,
                reason=reason,
                label=f"Listed by the review under {listed_as} ({location}); curated as "
                f"{names} because: {reason}",
                claims=[claim_out(c, labels) for c in members],
            )
        )
    return found


def disease_answer(
    knowledge: Knowledge,
    labels: Labels,
    name: str,
    *,
    limit: int = 100,
    count_cap: int = COUNT_CAP,
) -> DiseaseOut:
    """Everything known for the disease named ``name`` and its narrower diseases, as the
    REST API returns it and ``evkg --format json disease`` prints it: the ``limit`` best
    strategies with their chains, contradictions, how the ranking was bounded, and, for a
    disease without claims, where the nearest evidence is."""
    report = disease_overview(
        knowledge, name, shown=limit, drawn_strategies=limit, count_cap=count_cap
    )
    chains = {c.id: c for s in report.strategies for c in s.chains}
    curie = report.disease.id
    nearest = (
        [
            NearestEvidenceOut(disease=d, label=labels.label(d), note=note)
            for d, note in knowledge.nearest_evidence(curie)
        ]
        if not report.included
        else []
    )
    return DiseaseOut(
        disease=entity_out(report.disease),
        query=name,
        identifiers=list(knowledge.vocabulary.diseases.members(curie)),
        nearest_evidence=nearest,
        included=list(report.included),
        n_claims=report.n_claims.total,
        n_claims_is_lower_bound=report.n_claims.is_lower_bound,
        strategies=[
            strategy_out(rank, s, labels) for rank, s in enumerate(report.strategies, start=1)
        ],
        chains=[chain_out(c, labels) for c in chains.values()],
        contradictions=[contradiction_out(c, labels) for c in report.contradictions],
        ranking=ranking_out(report),
        review_placements=placements_out(knowledge, labels, curie),
    )
