"""Assembly: dedupe claims by content hash, accumulate evidence, derive claim-level support.

Pipeline steps are plain functions over lists, in the manner of INDRA's assemblers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from evkg.model import LEVEL_RANK, Claim, Evidence, EvidenceLevel, Outcome, Predicate

__all__ = [
    "STRENGTH_RANK",
    "AssembledClaim",
    "Assembly",
    "ClaimSupport",
    "SupportItem",
    "assemble",
    "claim_support",
    "opposing",
]

#: Rank of a claim's overall support; ``in_vivo_replicated`` = in vivo in ≥2 references.
STRENGTH_RANK = {
    "clinical": 6,
    "in_vivo_replicated": 5,
    "in_vivo": 4,
    "ex_vivo": 3,
    "in_vitro": 2,
    "review_statement": 1,
}


@dataclass(frozen=True)
class ClaimSupport:
    """What a claim's evidence adds up to."""

    n_evidence: int
    n_references: int  # primary studies: references quoted at a primary level
    best_level: EvidenceLevel
    strength: str  # a key of STRENGTH_RANK
    confidence: float


class SupportItem(NamedTuple):
    """What :func:`claim_support` reads of a piece of evidence (a store refreshing a claim's
    support reads these three columns, not whole evidence records)."""

    reference: str
    level: EvidenceLevel
    confidence: float


def claim_support(evidence: Iterable[Evidence | SupportItem]) -> ClaimSupport:
    """Aggregate evidence: best level, primary studies, noisy-OR confidence.

    Evidence quoting the same reference counts once per reference for replication, and
    only evidence at a primary level counts as a study: a review statement never does.
    """
    items = list(evidence)
    if not items:
        raise ValueError("a claim needs at least one piece of evidence")
    best = max((e.level for e in items), key=lambda level: LEVEL_RANK[level])
    references = {e.reference for e in items if e.level != EvidenceLevel.REVIEW_STATEMENT}
    in_vivo_refs = {e.reference for e in items if e.level == EvidenceLevel.IN_VIVO}
    strength = best.value
    if best == EvidenceLevel.IN_VIVO and len(in_vivo_refs) >= 2:
        strength = "in_vivo_replicated"
    # noisy-OR over the best evidence per reference, so repeated quotes of one paper
    # do not inflate confidence
    per_reference: dict[str, float] = {}
    for item in items:
        per_reference[item.reference] = max(per_reference.get(item.reference, 0.0), item.confidence)
    disbelief = 1.0
    for value in per_reference.values():
        disbelief *= 1.0 - value
    return ClaimSupport(
        n_evidence=len(items),
        n_references=len(references),
        best_level=best,
        strength=strength,
        confidence=round(1.0 - disbelief, 4),
    )


@dataclass
class AssembledClaim:
    """One distinct claim with all its evidence and the chains it belongs to."""

    claim: Claim
    evidence: dict[str, Evidence] = field(default_factory=dict)  # by evidence hash
    chains: set[str] = field(default_factory=set)

    @property
    def hash(self) -> str:
        return self.claim.hash

    def support(self) -> ClaimSupport:
        return claim_support(self.evidence.values())


@dataclass
class Assembly:
    """Claims by hash."""

    claims: dict[str, AssembledClaim] = field(default_factory=dict)

    @property
    def n_evidence(self) -> int:
        return sum(len(c.evidence) for c in self.claims.values())


def assemble(items: Iterable[tuple[Claim, Evidence, str | None]]) -> Assembly:
    """Merge (claim, evidence, chain) triples: one entry per claim hash, evidence deduped."""
    assembly = Assembly()
    for claim, evidence, chain in items:
        if evidence.claim_hash != claim.hash:
            raise ValueError(f"evidence {evidence.hash} belongs to claim {evidence.claim_hash}")
        entry = assembly.claims.setdefault(claim.hash, AssembledClaim(claim))
        entry.evidence.setdefault(evidence.hash, evidence)
        if chain:
            entry.chains.add(chain)
    return assembly


_DISEASE_PREDICATES = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}


def opposing(first: Claim, second: Claim) -> bool:
    """Whether two claims about the same agent and object point in different directions.

    >>> from evkg.model import Claim
    >>> a = Claim(subject="evkg.source:msc", predicate="treats", object="doid:784")
    >>> b = Claim(subject="evkg.source:msc", predicate="no_effect_on", object="doid:784")
    >>> opposing(a, b)
    True
    """
    if (first.subject, first.object) != (second.subject, second.object):
        return False
    if first.predicate in _DISEASE_PREDICATES and second.predicate in _DISEASE_PREDICATES:
        return first.outcome != second.outcome or Outcome.CONTESTED in (
            first.outcome,
            second.outcome,
        )
    pairs = {
        frozenset({Predicate.REGULATES_UP, Predicate.REGULATES_DOWN}),
        frozenset({Predicate.ACTIVATES, Predicate.INHIBITS}),
    }
    return frozenset({first.predicate, second.predicate}) in pairs
