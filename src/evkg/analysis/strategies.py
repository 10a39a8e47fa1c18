"""Therapy strategies for a disease: EV source × modification × cargo × route, ranked.

Pure functions over claims and chains read from a store. A *strategy* groups the disease
outcome claims (treats / worsens / no_effect_on) that share an EV source, its
modifications, the credited agent (cargo or the EVs themselves) and the route. Its rank
follows, in order: outcome direction (beneficial first, detrimental last), evidence strength
(clinical > in vivo replicated > in vivo > ex vivo > in vitro > review statement), number of
independent references, consistency of direction, and recency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from evkg.assemble import STRENGTH_RANK
from evkg.model import Outcome, Predicate
from evkg.store.protocol import Chain, ClaimSketch, StoredClaim

__all__ = [
    "Strategy",
    "StrategyKey",
    "rank_strategies",
    "score_components",
    "strategy_candidates",
    "strategy_gaps",
]

_OUTCOME_PREDICATES = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}
_DIRECTION_ORDER = {
    Outcome.BENEFICIAL: 0,
    Outcome.CONTESTED: 1,
    Outcome.NO_EFFECT: 2,
    Outcome.DETRIMENTAL: 3,
}


@dataclass(frozen=True)
class StrategyKey:
    """What a user would reproduce: the EVs, how they were changed, what acts, and how given."""

    ev_source: str | None
    modifications: tuple[str, ...]
    agent: str  # the credited cargo, or the EV source when no cargo is credited
    route: str | None


@dataclass(frozen=True)
class Strategy:
    """A ranked strategy with the claims and chains behind it."""

    key: StrategyKey
    direction: Outcome
    strength: str
    n_references: int
    references: tuple[str, ...]
    consistency: float  # share of outcome claims agreeing with ``direction``
    latest_year: int | None
    score: float
    outcome_claims: tuple[StoredClaim, ...]
    chains: tuple[Chain, ...]
    models: tuple[str, ...]
    species: tuple[str, ...]
    gaps: tuple[str, ...]


def _direction(claims: Sequence[StoredClaim]) -> tuple[Outcome, float]:
    tally: dict[Outcome, int] = defaultdict(int)
    for stored in claims:
        if stored.claim.outcome is not None:
            tally[stored.claim.outcome] += 1
    if not tally:
        return Outcome.BENEFICIAL, 0.0
    beneficial, detrimental = tally[Outcome.BENEFICIAL], tally[Outcome.DETRIMENTAL]
    if beneficial and detrimental:
        return Outcome.CONTESTED, max(beneficial, detrimental) / sum(tally.values())
    direction = max(tally, key=lambda outcome: (tally[outcome], -_DIRECTION_ORDER[outcome]))
    return direction, tally[direction] / sum(tally.values())


def strategy_gaps(
    claims: Sequence[StoredClaim],
    chains: Sequence[Chain],
    mechanism_chains: Collection[str] = (),
) -> tuple[str, ...]:
    """What the evidence for a strategy lacks, stated plainly.

    ``mechanism_chains`` names chains known to hold a mechanism claim without being given in
    full (a caller that reads chains only for the strategies it draws)."""
    gaps: list[str] = []
    best = max(STRENGTH_RANK[c.strength] for c in claims)
    references = {r for c in claims for r in c.references}
    if best <= STRENGTH_RANK["review_statement"]:
        gaps.append("review statement only: no primary study quoted")
    elif best <= STRENGTH_RANK["in_vitro"]:
        gaps.append("in vitro only: no animal or patient data")
    if best < STRENGTH_RANK["clinical"]:
        gaps.append("no clinical evidence")
    if len(references) == 1:
        gaps.append("single study: not replicated")
    if all(c.claim.context.route is None for c in claims):
        gaps.append("route of administration not reported")
    if all(c.claim.context.model is None for c in claims):
        gaps.append("disease model not reported")
    mechanism = [
        m for chain in chains for m in chain.claims if m.claim.predicate not in _OUTCOME_PREDICATES
    ]
    if not mechanism and not any(chain in mechanism_chains for c in claims for chain in c.chains):
        gaps.append("no mechanism reported")
    if any(e.errata for c in claims for e in c.evidence):
        gaps.append("the source printed errors for this evidence (see curator notes)")
    return tuple(gaps)


def score_components(
    strength: str, n_references: int, consistency: float, latest: int | None
) -> dict[str, float]:
    """The parts a strategy's score adds up: evidence level (10 per strength rank),
    independent studies (2 each, up to 5), consistency of direction (up to 3), recency (up to
    1, linear from 2010 to 2025).

    >>> score_components("in_vivo", 2, 1.0, 2025)
    {'evidence level': 40.0, 'independent studies': 4.0, 'consistency': 3.0, 'recency': 1.0}
    """
    recency = 0.0 if latest is None else min(max(latest - 2010, 0), 15) / 15
    return {
        "evidence level": float(STRENGTH_RANK[strength] * 10),
        "independent studies": float(min(n_references, 5) * 2),
        "consistency": round(consistency * 3, 3),
        "recency": round(recency, 3),
    }


def _score(strength: str, n_references: int, consistency: float, latest: int | None) -> float:
    recency = 0.0 if latest is None else min(max(latest - 2010, 0), 15) / 15
    return round(
        STRENGTH_RANK[strength] * 10 + min(n_references, 5) * 2 + consistency * 3 + recency, 3
    )


def rank_strategies(
    claims: Iterable[StoredClaim],
    chains: Iterable[Chain],
    *,
    mechanism_chains: Collection[str] = (),
) -> list[Strategy]:
    """Group a disease's outcome claims into strategies and rank them.

    ``claims`` are the claims matching the disease (any predicate; only outcome claims form
    strategies); ``chains`` the mechanism chains of those claims; ``mechanism_chains``, chains
    not given in full that hold a mechanism claim (see :func:`strategy_gaps`). The ranking
    does not depend on the chains, only the gaps do.
    """
    chains_by_id = {chain.id: chain for chain in chains}
    groups: dict[StrategyKey, list[StoredClaim]] = defaultdict(list)
    for stored in claims:
        claim = stored.claim
        if claim.predicate not in _OUTCOME_PREDICATES:
            continue
        key = StrategyKey(
            ev_source=claim.context.ev_source,
            modifications=claim.context.modifications,
            agent=claim.subject,
            route=claim.context.route,
        )
        groups[key].append(stored)
    strategies = []
    for key, members in groups.items():
        direction, consistency = _direction(members)
        strength = max((m.strength for m in members), key=lambda s: STRENGTH_RANK[s])
        references = tuple(sorted({r for m in members for r in m.references}))
        latest = max((m.latest_year for m in members if m.latest_year), default=None)
        chain_ids = sorted({chain for m in members for chain in m.chains})
        member_chains = tuple(chains_by_id[c] for c in chain_ids if c in chains_by_id)
        strategies.append(
            Strategy(
                key=key,
                direction=direction,
                strength=strength,
                n_references=len(references),
                references=references,
                consistency=round(consistency, 3),
                latest_year=latest,
                score=_score(strength, len(references), consistency, latest),
                outcome_claims=tuple(members),
                chains=member_chains,
                models=tuple(sorted({m.claim.context.model or "" for m in members} - {""})),
                species=tuple(sorted({m.claim.context.species or "" for m in members} - {""})),
                gaps=strategy_gaps(members, member_chains, mechanism_chains),
            )
        )
    strategies.sort(
        key=lambda s: (
            _DIRECTION_ORDER[s.direction],
            -s.score,
            s.key.agent,
            s.key.ev_source or "",
            s.key.modifications,
            s.key.route or "",
        )
    )
    return strategies


def strategy_candidates(sketches: Sequence[ClaimSketch], limit: int) -> tuple[list[str], int, int]:
    """Which outcome claims to rank when a disease has too many to rank them all.

    ``sketches`` are a disease's claims in rank order (strongest first). Returns the hashes
    of at most ``limit`` outcome claims, beneficial first, then contested, no effect and
    detrimental (the order strategies rank in), strongest first within each; then how many
    outcome claims and how many distinct strategies the sketches hold.

    >>> from evkg.store.protocol import ClaimSketch
    >>> def sketch(h, outcome, agent):
    ...     predicate = {"beneficial": "treats", "detrimental": "worsens"}[outcome]
    ...     return ClaimSketch(h, agent, predicate, "doid:1", outcome, None, None, None,
    ...                        None, "in_vivo", ())
    >>> strategy_candidates([sketch("a", "detrimental", "x:1"), sketch("b", "beneficial", "x:2"),
    ...                      sketch("c", "beneficial", "x:2")], 2)
    (['b', 'c'], 3, 2)
    """
    outcome_claims = [s for s in sketches if Predicate(s.predicate) in _OUTCOME_PREDICATES]
    keys = {(s.ev_source, s.modifications, s.subject, s.route) for s in outcome_claims}
    ordered = sorted(
        enumerate(outcome_claims),
        key=lambda item: (
            _DIRECTION_ORDER[Outcome(item[1].outcome or Outcome.BENEFICIAL)],
            item[0],
        ),
    )
    return [s.hash for _, s in ordered[:limit]], len(outcome_claims), len(keys)
