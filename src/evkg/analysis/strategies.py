"""Therapy strategies for a disease: EV source × modification × cargo × route, ranked.

Pure functions over claims and chains read from a store. A *strategy* groups the disease
outcome claims (treats / worsens / no_effect_on) that share an EV source, its
modifications, the credited agent (cargo or the EVs themselves) and the route.

Studies are counted as studies: a *primary study* is a reference quoted at a primary level
(clinical, in vivo, ex vivo, in vitro). Review statements are shown as such and never add a
study, raise a tier or change the direction that primary evidence gives. Its rank follows,
in order: EV products before non-EV ones (conditioned medium), outcome direction
(beneficial first, detrimental last), evidence tier (clinical > in vivo in several studies >
in vivo > ex vivo > in vitro > review statement only), number of primary studies, whether it
was shown for the disease asked about itself (not only a narrower one), consistency of
direction, and recency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from evkg.assemble import STRENGTH_RANK
from evkg.model import EvidenceLevel, Outcome, Predicate
from evkg.store.protocol import Chain, ClaimSketch, StoredClaim

__all__ = [
    "NON_EV_MODIFICATIONS",
    "TIER_LABELS",
    "Strategy",
    "StrategyKey",
    "primary_references",
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


#: Modifications that make a product something other than isolated EVs.
NON_EV_MODIFICATIONS = frozenset({"evkg.mod:conditioned-medium"})
#: Evidence tiers as a person reads them, strongest first.
TIER_LABELS = {
    "clinical": "clinical",
    "in_vivo_replicated": "in vivo, several studies",
    "in_vivo": "in vivo",
    "ex_vivo": "ex vivo",
    "in_vitro": "in vitro",
    "review_statement": "review statement only",
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
    strength: str  # evidence tier, a key of TIER_LABELS
    n_references: int  # primary studies (reviews are never counted)
    references: tuple[str, ...]  # the primary studies
    consistency: float  # share of primary outcome claims agreeing with ``direction``
    latest_year: int | None
    score: float  # sort key only: tier, then studies (see :func:`score_components`)
    outcome_claims: tuple[StoredClaim, ...]
    chains: tuple[Chain, ...]
    models: tuple[str, ...]
    species: tuple[str, ...]
    gaps: tuple[str, ...]
    reviews: tuple[str, ...] = ()  # references that only state it as a review statement
    is_ev: bool = True  # False for non-EV products such as conditioned medium
    on_disease_itself: bool = True  # shown for the disease asked about, not only a narrower one

    @property
    def tier(self) -> str:
        """The evidence tier as a person reads it ("in vivo, several studies")."""
        return TIER_LABELS[self.strength]

    @property
    def n_studies(self) -> int:
        return self.n_references


def primary_references(stored: StoredClaim) -> set[str]:
    """References quoted for a claim at a primary level (not as a review statement)."""
    return {e.reference for e in stored.evidence if e.level != EvidenceLevel.REVIEW_STATEMENT}


def _tier(claims: Sequence[StoredClaim]) -> str:
    levels: dict[str, set[str]] = defaultdict(set)
    for stored in claims:
        for item in stored.evidence:
            levels[item.level.value].add(item.reference)
    if levels.get("clinical"):
        return "clinical"
    if len(levels.get("in_vivo", ())) >= 2:
        return "in_vivo_replicated"
    for level in ("in_vivo", "ex_vivo", "in_vitro"):
        if levels.get(level):
            return level
    return "review_statement"


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
    best = STRENGTH_RANK[_tier(claims)]
    references = {r for c in claims for r in primary_references(c)}
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
    """What a strategy's rank rests on, in the order it is sorted by: evidence tier (rank
    of 6), primary studies, consistency of direction (share), latest year.

    >>> score_components("in_vivo", 2, 1.0, 2025)
    {'evidence tier': 4.0, 'primary studies': 2.0, 'consistency': 1.0, 'latest year': 2025.0}
    """
    return {
        "evidence tier": float(STRENGTH_RANK[strength]),
        "primary studies": float(n_references),
        "consistency": round(consistency, 2),
        "latest year": float(latest or 0),
    }


def _score(strength: str, n_studies: int) -> float:
    """A sort key a person can read back: the tier's rank times 100 plus the studies."""
    return float(STRENGTH_RANK[strength] * 100 + min(n_studies, 99))


def rank_strategies(
    claims: Iterable[StoredClaim],
    chains: Iterable[Chain],
    *,
    mechanism_chains: Collection[str] = (),
    focus: Collection[str] = (),
) -> list[Strategy]:
    """Group a disease's outcome claims into strategies and rank them (module docstring).

    ``claims`` are the claims matching the disease (any predicate; only outcome claims form
    strategies); ``chains`` the mechanism chains of those claims; ``mechanism_chains``, chains
    not given in full that hold a mechanism claim (see :func:`strategy_gaps`); ``focus``, the
    identifiers of the disease asked about (without its narrower diseases), whose own
    strategies rank first among equals. The ranking does not depend on the chains.
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
    wanted = set(focus)
    strategies = []
    for key, members in groups.items():
        primary = [m for m in members if primary_references(m)]
        direction, consistency = _direction(primary or members)
        strength = _tier(members)
        references = tuple(sorted({r for m in members for r in primary_references(m)}))
        reviews = tuple(sorted({r for m in members for r in m.references} - set(references)))
        latest = max((m.latest_year for m in members if m.latest_year), default=None)
        chain_ids = sorted({chain for m in members for chain in m.chains})
        member_chains = tuple(chains_by_id[c] for c in chain_ids if c in chains_by_id)
        own = not wanted or any(
            m.claim.object in wanted or m.claim.context.disease in wanted for m in members
        )
        strategies.append(
            Strategy(
                key=key,
                direction=direction,
                strength=strength,
                n_references=len(references),
                references=references,
                consistency=round(consistency, 3),
                latest_year=latest,
                score=_score(strength, len(references)),
                outcome_claims=tuple(members),
                chains=member_chains,
                models=tuple(sorted({m.claim.context.model or "" for m in members} - {""})),
                species=tuple(sorted({m.claim.context.species or "" for m in members} - {""})),
                gaps=strategy_gaps(members, member_chains, mechanism_chains),
                reviews=reviews,
                is_ev=not NON_EV_MODIFICATIONS & set(key.modifications),
                on_disease_itself=own,
            )
        )
    strategies.sort(
        key=lambda s: (
            not s.is_ev,
            _DIRECTION_ORDER[s.direction],
            -STRENGTH_RANK[s.strength],
            -s.n_references,
            not s.on_disease_itself,
            -s.consistency,
            -(s.latest_year or 0),
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
