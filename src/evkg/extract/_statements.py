"""The claim and evidence of one reading of a sentence: the claim's context (disease, EV
source and its preparation, cargo type, species, route), the evidence's confidence and the
curator note saying what the reading rests on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from evkg.extract._vesicle_context import VesiclePreparation
from evkg.extract.context import DocumentContext
from evkg.extract.ner import EV, Mention
from evkg.extract.relations import PairVerdict
from evkg.model import (
    PREDICATE_OUTCOME,
    CargoType,
    Claim,
    Context,
    EntityKind,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
)

__all__ = ["ARMLESS", "Reading", "armless_note", "cargo_type_of", "statement"]

_CARGO_TYPES = {EntityKind.MIRNA.value: CargoType.MIRNA, EntityKind.GENE.value: CargoType.PROTEIN}
_DISEASE_EDGES = frozenset({*PREDICATE_OUTCOME, Predicate.ASSOCIATED_WITH})
#: The curator-note flag of a miRNA credited under an arm the text does not give.
ARMLESS = "(armless)"
_LEVEL_BONUS = {
    EvidenceLevel.CLINICAL: 0.1,
    EvidenceLevel.IN_VIVO: 0.05,
    EvidenceLevel.EX_VIVO: 0.0,
    EvidenceLevel.IN_VITRO: 0.0,
    EvidenceLevel.REVIEW_STATEMENT: -0.1,
}


def armless_note(label: Callable[[str], str], agent: Mention, subject: str) -> str:
    """The flag of a miRNA credited under an arm the text does not give ("miR-21": the
    store keys miRNAs by mature accession, so the subject is miRBase's dominant arm, and the
    evidence says both were possible)."""
    if agent.kind != EntityKind.MIRNA.value or len(agent.curies) < 2 or subject != agent.curie:
        return ""
    arms = " or ".join(label(c) for c in agent.curies)
    return f"; arm not stated in the text: {agent.text} stands for {arms} {ARMLESS}"


def cargo_type_of(mention_kind: str) -> CargoType | None:
    """The cargo type a mention of this kind names by default (a gene: its protein)."""
    return _CARGO_TYPES.get(mention_kind)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a sentence was read to say: ``subject`` (an agent of mention kind
    ``agent_kind``) stands in the verdict's relation to ``target``."""

    agent_kind: str
    subject: str
    verdict: PairVerdict
    target: str
    level: EvidenceLevel
    hedged: bool
    #: added to the curator note after the trigger ("; …")
    notes: str = ""


def statement(
    reading: Reading,
    *,
    document_id: str,
    quote: str,
    section: str,
    context: DocumentContext,
    extractor: str,
    preparation: VesiclePreparation | None = None,
    cargo_form: CargoType | None = None,
) -> tuple[Claim, Evidence]:
    """The claim and its evidence for ``reading`` of the sentence ``quote``."""
    verdict, subject, level = reading.verdict, reading.subject, reading.level
    disease_edge = verdict.predicate in _DISEASE_EDGES
    ev_source = context.ev_source if context.is_ev else None
    if reading.agent_kind == EntityKind.EV_SOURCE.value or (
        reading.agent_kind == EV and subject.startswith("evkg.source:")
    ):
        ev_source = subject  # vesicles credited to the source their sentence names
    prepared = preparation if preparation is not None and ev_source else None
    claim = Claim(
        subject=subject,
        predicate=verdict.predicate,
        object=reading.target,
        context=Context(
            disease=reading.target if disease_edge else None,
            ev_source=ev_source,
            donor_state=prepared.donor_state if prepared else None,
            modifications=prepared.modifications if prepared else (),
            cargo_type=cargo_form or cargo_type_of(reading.agent_kind),
            species=context.species if level != EvidenceLevel.IN_VITRO else None,
            route=context.route if disease_edge else None,
        ),
    )
    confidence = 0.6 if verdict.strong else 0.45
    confidence += _LEVEL_BONUS[level] - (0.15 if reading.hedged else 0.0)
    evidence = Evidence(
        claim_hash=claim.hash,
        reference=document_id,
        quote=quote,
        section=section[:200] or None,
        method=EvidenceMethod.EXTRACTED,
        extractor=extractor,
        level=level,
        confidence=round(min(0.9, max(0.1, confidence)), 3),
        curator_note=f"trigger {verdict.trigger!r}"
        + reading.notes
        + ("; hedged" if reading.hedged else "")
        + ("; negated" if verdict.negated else ""),
    )
    return claim, evidence
