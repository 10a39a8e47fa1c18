"""Indications: diseases ranked for a cargo profile, each score decomposed into the claims,
targets and pathways behind it.

Two kinds of support add up:

* **evidence** — stored outcome claims (``treats``/``worsens``/``no_effect_on``) whose agent is
  a cargo the profile carries (or the same miRNA in another species, discounted): weight =
  ``2 × √(abundance / top abundance) × strength × confidence × sign``, where strength is the
  claim's evidence strength on a 0–1 scale and the sign is +1 beneficial, −1 detrimental,
  −0.25 no effect, 0 contested. Detrimental evidence lowers the score and stays listed.
* **mechanism** — genes and pathways that studies of the disease worked through: a profile
  target gene regulated in a beneficial study adds ``0.5 × target weight × strength`` when the
  profile pushes it the same way (a miRNA lowers, a protein cargo raises) and subtracts half
  that when the opposite way; a pathway of such a study that the profile's targets are
  enriched in (q < ``alpha``) adds ``0.5 × min(1, −log10 q / 4) × strength``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evkg.analysis._json import to_jsonable
from evkg.analysis.profile import CargoProfile
from evkg.analysis.targets import TargetMap
from evkg.assemble import STRENGTH_RANK
from evkg.model import Outcome, Predicate
from evkg.store import StoredClaim

__all__ = ["Contribution", "Indication", "rank_indications"]

_OUTCOME_PREDICATES = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}
_SIGN = {
    Outcome.BENEFICIAL: 1.0,
    Outcome.DETRIMENTAL: -1.0,
    Outcome.NO_EFFECT: -0.25,
    Outcome.CONTESTED: 0.0,
}
_GENE_DIRECTION = {Predicate.REGULATES_DOWN: "down", Predicate.REGULATES_UP: "up"}
_PATHWAY_PREDICATES = {Predicate.INHIBITS, Predicate.ACTIVATES, Predicate.MODULATES}
_ORTHOLOG_DISCOUNT = 0.8


@dataclass(frozen=True)
class Contribution:
    """One reason a disease scores for the profile."""

    kind: str  # "claim" | "target" | "pathway"
    weight: float
    cargo: tuple[str, ...]  # profile cargo responsible
    item: str  # the claim's agent, the gene, or the pathway
    item_label: str
    direction: str  # beneficial | detrimental | no_effect | contested | supports | conflicts
    strength: str
    claims: tuple[str, ...]  # claim hashes
    references: tuple[str, ...]
    citations: tuple[str, ...]
    quote: str | None
    explanation: str


@dataclass(frozen=True)
class Indication:
    disease: str
    label: str
    score: float
    evidence_score: float
    mechanism_score: float
    beneficial: int  # outcome claims pointing each way
    detrimental: int
    n_references: int
    contributions: tuple[Contribution, ...]

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def _strength(stored: StoredClaim) -> float:
    return STRENGTH_RANK.get(stored.strength, 1) / max(STRENGTH_RANK.values())


def _chain_outcomes(claims: Iterable[StoredClaim]) -> dict[str, set[Outcome]]:
    outcomes: dict[str, set[Outcome]] = defaultdict(set)
    for stored in claims:
        if stored.claim.predicate in _OUTCOME_PREDICATES and stored.claim.outcome is not None:
            for chain in stored.chains:
                outcomes[chain].add(stored.claim.outcome)
    return outcomes


def _harmful(stored: StoredClaim, outcomes: Mapping[str, set[Outcome]]) -> bool:
    seen = set().union(*(outcomes.get(chain, set()) for chain in stored.chains))
    return bool(seen) and seen <= {Outcome.DETRIMENTAL}


def rank_indications(
    profile: CargoProfile,
    claims: Sequence[StoredClaim],
    targets: TargetMap,
    *,
    pathway_q: Mapping[str, float] | None = None,
    orthologs: Mapping[str, Sequence[str]] | None = None,
    label: Callable[[str], str] = lambda curie: curie,
    cite: Callable[[str], str] = lambda curie: curie,
    alpha: float = 0.05,
) -> list[Indication]:
    """Diseases ranked by evidence and mechanism support for ``profile`` (see module doc).

    ``claims`` are the stored claims to draw on: outcome claims about the profile's cargo and
    mechanism claims (gene regulation, pathway effects) with a disease context.
    ``pathway_q`` maps gene-set identifiers (``go:``, ``reactome:``…) to the profile's
    enrichment q-value.
    """
    pathway_q = pathway_q or {}
    abundance = profile.abundance()
    top = max(abundance.values(), default=1.0) or 1.0
    agents: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for curie in abundance:
        agents[curie].append((curie, False))
        for other in (orthologs or {}).get(curie, ()):
            agents[other].append((curie, True))
    outcomes = _chain_outcomes(claims)
    contributions: dict[str, list[Contribution]] = defaultdict(list)
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def citations(stored: StoredClaim) -> tuple[str, ...]:
        return tuple(cite(reference) for reference in stored.references)

    def quote(stored: StoredClaim) -> str | None:
        return stored.evidence[0].quote if stored.evidence else None

    for stored in claims:
        claim = stored.claim
        if claim.predicate not in _OUTCOME_PREDICATES or claim.subject not in agents:
            continue
        outcome = claim.outcome or Outcome.BENEFICIAL
        for cargo, via_ortholog in agents[claim.subject]:
            share = math.sqrt(abundance[cargo] / top)
            weight = 2.0 * share * _strength(stored) * max(stored.confidence, 0.3)
            weight *= _SIGN[outcome] * (_ORTHOLOG_DISCOUNT if via_ortholog else 1.0)
            note = f" (evidence for the ortholog {label(claim.subject)})" if via_ortholog else ""
            contributions[claim.object].append(
                Contribution(
                    "claim",
                    round(weight, 4),
                    (cargo,),
                    claim.subject,
                    label(claim.subject),
                    outcome.value,
                    stored.strength,
                    (stored.hash,),
                    stored.references,
                    citations(stored),
                    quote(stored),
                    f"{label(claim.subject)} {claim.predicate.value} {label(claim.object)}"
                    f", {stored.strength.replace('_', ' ')}{note}",
                )
            )
            tally = tallies[claim.object]
            if outcome == Outcome.BENEFICIAL:
                tally[0] += 1
            elif outcome == Outcome.DETRIMENTAL:
                tally[1] += 1
    genes = targets.by_gene()
    heaviest = max((g.weight for g in targets.genes), default=1.0) or 1.0
    pushes = {(link.gene, link.direction) for link in targets.links}
    for stored in claims:
        claim = stored.claim
        disease = claim.context.disease
        if disease is None:
            continue
        harmful = _harmful(stored, outcomes)
        if claim.predicate in _GENE_DIRECTION and claim.object in genes:
            gene = genes[claim.object]
            wanted = _GENE_DIRECTION[claim.predicate]
            agrees = (claim.object, wanted) in pushes
            opposes = (claim.object, "up" if wanted == "down" else "down") in pushes
            if not (agrees or opposes):
                continue
            good = agrees != harmful
            weight = 0.5 * gene.weight / heaviest * _strength(stored) * (1.0 if good else -0.5)
            study = "a detrimental" if harmful else "a beneficial"
            contributions[disease].append(
                Contribution(
                    "target",
                    round(weight, 4),
                    gene.cargo,
                    claim.object,
                    gene.symbol,
                    "supports" if good else "conflicts",
                    stored.strength,
                    (stored.hash,),
                    stored.references,
                    citations(stored),
                    quote(stored),
                    f"the profile targets {gene.symbol} ({gene.best_tier} evidence); {study} "
                    f"study of {label(disease)} reports {label(claim.subject)} "
                    f"{claim.predicate.value} {gene.symbol}",
                )
            )
        elif claim.predicate in _PATHWAY_PREDICATES and claim.object in pathway_q:
            q = pathway_q[claim.object]
            if q >= alpha or harmful:
                continue
            weight = 0.5 * min(1.0, -math.log10(max(q, 1e-300)) / 4) * _strength(stored)
            contributions[disease].append(
                Contribution(
                    "pathway",
                    round(weight, 4),
                    (),
                    claim.object,
                    label(claim.object),
                    "supports",
                    stored.strength,
                    (stored.hash,),
                    stored.references,
                    citations(stored),
                    quote(stored),
                    f"the profile's targets are enriched in {label(claim.object)} (q={q:.2g}); "
                    f"a study of {label(disease)} reports {label(claim.subject)} "
                    f"{claim.predicate.value} it",
                )
            )
    indications = []
    for disease, parts in contributions.items():
        parts = _dedupe(parts)
        evidence = sum(c.weight for c in parts if c.kind == "claim")
        mechanism = sum(c.weight for c in parts if c.kind != "claim")
        references = {r for c in parts for r in c.references}
        beneficial, detrimental = tallies.get(disease, [0, 0])
        indications.append(
            Indication(
                disease,
                label(disease),
                round(evidence + mechanism, 4),
                round(evidence, 4),
                round(mechanism, 4),
                beneficial,
                detrimental,
                len(references),
                tuple(sorted(parts, key=lambda c: (-abs(c.weight), c.kind, c.item_label))),
            )
        )
    indications.sort(key=lambda i: (-i.score, i.label))
    return indications


def _dedupe(parts: list[Contribution]) -> list[Contribution]:
    """One contribution per (kind, item, claim): a gene hit by two claims counts twice, the same
    claim reached twice (e.g. from both arms of a miRNA) once, at its heaviest."""
    best: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Contribution] = {}
    for part in parts:
        key = (part.kind, part.item, part.claims, part.cargo)
        known = best.get(key)
        if known is None or abs(part.weight) > abs(known.weight):
            best[key] = part
    return list(best.values())
