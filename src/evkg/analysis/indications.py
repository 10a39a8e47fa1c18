"""Indications: diseases ranked for a cargo profile, each score decomposed into the claims,
targets and pathways behind it.

Two kinds of support add up:

* **evidence** — stored outcome claims (``treats``/``worsens``/``no_effect_on``) whose agent is
  a cargo the profile carries (or the same miRNA in another species, discounted): weight =
  ``2 × √(abundance / top abundance) × strength × confidence × sign``, where strength is the
  claim's evidence strength on a 0–1 scale and the sign is +1 beneficial, −1 detrimental,
  −0.25 no effect, 0 contested. Detrimental evidence lowers the score and stays listed.
  Evidence counts only in the profile item's form (a gene is protein cargo: evidence about
  its mRNA does not count) and at half weight from non-MSC or engineered EVs, said in the
  explanation (:mod:`evkg.analysis.provenance`).
* **mechanism** — genes and pathways that studies of the disease worked through: a profile
  target gene regulated in a beneficial study adds ``0.5 × target weight × strength`` when the
  profile pushes it the same way (a miRNA lowers, a protein cargo raises) and subtracts half
  that when the opposite way; a pathway of such a study that the profile's targets are
  enriched in (q < ``alpha``) adds ``0.5 × min(1, −log10 q / 4) × strength``.
* **process** — when the gene members of the processes and pathways that studies of the
  disease name are given (:class:`ProcessSets`), such a claim is scored from the profile's
  own targets instead, whatever the set's size (broad processes such as apoptosis or the
  inflammatory response are far beyond the size limits of enrichment tests): with ``f`` the
  share of the profile's target weight on the set's genes and ``e`` the set's share of the
  annotated genes, a set holding at least two targets and ``f > e`` adds
  ``0.5 × min(1, log2(f / e) / 2) × strength``, once per process and disease (at its
  strongest claim, every claim cited). Scores are comparable with claims only through
  calibration (:mod:`evkg.analysis.calibration`), which scores random profiles the same way.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evkg.analysis._json import to_jsonable
from evkg.analysis.enrichment import GeneSetCollection
from evkg.analysis.profile import CargoProfile
from evkg.analysis.provenance import cargo_form_matches, provenance
from evkg.analysis.targets import TargetMap
from evkg.assemble import STRENGTH_RANK
from evkg.model import Outcome, Predicate
from evkg.store import StoredClaim

__all__ = ["Contribution", "Indication", "ProcessSets", "chain_outcomes", "rank_indications"]

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

    kind: str  # "claim" | "target" | "pathway" | "process"
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
    # calibration against random profiles (evkg.analysis.calibration); None when not run
    null_mean: float | None = None
    null_z: float | None = None
    null_p: float | None = None
    null_q: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ProcessSets:
    """Gene members (hgnc CURIEs) of the gene sets mechanism claims name, each with its share
    of the annotated genes of its collection."""

    members: Mapping[str, frozenset[str]]
    share: Mapping[str, float]

    @classmethod
    def from_collections(
        cls, collections: Iterable[GeneSetCollection], set_ids: Iterable[str]
    ) -> ProcessSets:
        """The sets named ``set_ids`` found in ``collections`` (the first holding each)."""
        wanted = set(set_ids)
        members: dict[str, frozenset[str]] = {}
        share: dict[str, float] = {}
        for collection in collections:
            rows = {set_id: row for row, set_id in enumerate(collection.ids) if set_id in wanted}
            if not rows:
                continue
            annotated = int(collection.annotated().sum()) or 1
            matrix = collection.matrix
            for set_id, row in rows.items():
                if set_id in members:
                    continue
                columns = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
                members[set_id] = frozenset(collection.universe[int(j)] for j in columns)
                share[set_id] = len(columns) / annotated
        return cls(members, share)

    def support(self, set_id: str, targets: TargetMap) -> tuple[float, int, float] | None:
        """(graded weight before strength, targets in the set, enrichment ratio) or None."""
        members = self.members.get(set_id)
        total = sum(g.weight for g in targets.genes)
        if not members or total <= 0:
            return None
        inside = [g.weight for g in targets.genes if g.gene in members]
        expected = self.share.get(set_id, 0.0)
        if len(inside) < 2 or expected <= 0:
            return None
        ratio = sum(inside) / total / expected
        if ratio <= 1:
            return None
        return 0.5 * min(1.0, math.log2(ratio) / 2), len(inside), ratio


def _strength(stored: StoredClaim) -> float:
    return STRENGTH_RANK.get(stored.strength, 1) / max(STRENGTH_RANK.values())


def chain_outcomes(claims: Iterable[StoredClaim]) -> dict[str, set[Outcome]]:
    """Outcome directions reported by each chain (study) of ``claims``."""
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
    outcomes: Mapping[str, set[Outcome]] | None = None,
    processes: ProcessSets | None = None,
) -> list[Indication]:
    """Diseases ranked by evidence and mechanism support for ``profile`` (see module doc).

    ``claims`` are the stored claims to draw on: outcome claims about the profile's cargo and
    mechanism claims (gene regulation, pathway effects) with a disease context.
    ``pathway_q`` maps gene-set identifiers (``go:``, ``reactome:``…) to the profile's
    enrichment q-value. ``outcomes`` (from :func:`chain_outcomes` over every claim) tells
    which studies were detrimental when ``claims`` is a subset.
    """
    pathway_q = pathway_q or {}
    abundance = profile.abundance()
    top = max(abundance.values(), default=1.0) or 1.0
    agents: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for curie in abundance:
        agents[curie].append((curie, False))
        for other in (orthologs or {}).get(curie, ()):
            agents[other].append((curie, True))
    if outcomes is None:
        outcomes = chain_outcomes(claims)
    kinds = {item.curie: item.kind for item in profile.items}
    contributions: dict[str, list[Contribution]] = defaultdict(list)
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def citations(stored: StoredClaim) -> tuple[str, ...]:
        return tuple(cite(reference) for reference in stored.references)

    def quote(stored: StoredClaim) -> str | None:
        return stored.evidence[0].quote if stored.evidence else None

    def mechanism_part(
        kind: str,
        weight: float,
        cargo: tuple[str, ...],
        item: str,
        item_label: str,
        direction: str,
        stored: StoredClaim,
        explanation: str,
    ) -> Contribution:
        """A target, process or pathway contribution resting on one mechanism claim."""
        return Contribution(
            kind,
            round(weight, 4),
            cargo,
            item,
            item_label,
            direction,
            stored.strength,
            (stored.hash,),
            stored.references,
            citations(stored),
            quote(stored),
            explanation,
        )

    for stored in claims:
        claim = stored.claim
        if claim.predicate not in _OUTCOME_PREDICATES or claim.subject not in agents:
            continue
        outcome = claim.outcome or Outcome.BENEFICIAL
        origin = provenance(claim.context, label)
        for cargo, via_ortholog in agents[claim.subject]:
            if not cargo_form_matches(kinds[cargo], claim.context.cargo_type):
                continue  # e.g. the protein in the profile, the evidence about its mRNA
            share = math.sqrt(abundance[cargo] / top)
            weight = 2.0 * share * _strength(stored) * max(stored.confidence, 0.3)
            weight *= _SIGN[outcome] * (_ORTHOLOG_DISCOUNT if via_ortholog else 1.0)
            weight *= origin.factor
            notes = [f"evidence for the ortholog {label(claim.subject)}"] if via_ortholog else []
            notes += [origin.note] if origin.note else []
            note = f" ({'; '.join(notes)})" if notes else ""
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
    process_support: dict[str, tuple[float, int, float] | None] = {}
    process_parts: dict[tuple[str, str], Contribution] = {}
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
                mechanism_part(
                    "target",
                    weight,
                    gene.cargo,
                    claim.object,
                    gene.symbol,
                    "supports" if good else "conflicts",
                    stored,
                    f"the profile targets {gene.symbol} ({gene.best_tier} evidence); {study} "
                    f"study of {label(disease)} reports {label(claim.subject)} "
                    f"{claim.predicate.value} {gene.symbol}",
                )
            )
        elif (
            claim.predicate in _PATHWAY_PREDICATES
            and processes is not None
            and claim.object in processes.members
        ):
            if harmful:
                continue
            graded = process_support.get(claim.object)
            if claim.object not in process_support:
                graded = process_support[claim.object] = processes.support(claim.object, targets)
            if graded is None:
                continue
            base, inside, ratio = graded
            weight = base * _strength(stored)
            key = (disease, claim.object)
            known = process_parts.get(key)
            q_text = f", ORA q={pathway_q[claim.object]:.2g}" if claim.object in pathway_q else ""
            part = mechanism_part(
                "process",
                weight,
                (),
                claim.object,
                label(claim.object),
                "supports",
                stored,
                f"{inside} of the profile's targets lie in {label(claim.object)} "
                f"({ratio:.1f}x their expected share{q_text}); a study of {label(disease)} "
                f"reports {label(claim.subject)} {claim.predicate.value} it",
            )
            if known is None:
                process_parts[key] = part
            else:
                heavier = part if part.weight > known.weight else known
                process_parts[key] = dataclasses.replace(
                    heavier,
                    claims=tuple(dict.fromkeys(known.claims + part.claims)),
                    references=tuple(dict.fromkeys(known.references + part.references)),
                    citations=tuple(dict.fromkeys(known.citations + part.citations)),
                )
        elif claim.predicate in _PATHWAY_PREDICATES and claim.object in pathway_q:
            q = pathway_q[claim.object]
            if q >= alpha or harmful:
                continue
            weight = 0.5 * min(1.0, -math.log10(max(q, 1e-300)) / 4) * _strength(stored)
            contributions[disease].append(
                mechanism_part(
                    "pathway",
                    weight,
                    (),
                    claim.object,
                    label(claim.object),
                    "supports",
                    stored,
                    f"the profile's targets are enriched in {label(claim.object)} (q={q:.2g}); "
                    f"a study of {label(disease)} reports {label(claim.subject)} "
                    f"{claim.predicate.value} it",
                )
            )
    for (disease, _), part in process_parts.items():
        contributions[disease].append(part)
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
