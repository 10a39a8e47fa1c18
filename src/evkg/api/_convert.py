"""Domain records (from the services) to response bodies, with labels and citations."""

from __future__ import annotations

from collections.abc import Sequence

from evkg import export
from evkg.analysis import Strategy
from evkg.api.knowledge import claim_curies
from evkg.api.labels import Labels
from evkg.api.responses import (
    ChainOut,
    ClaimOut,
    ContradictionOut,
    EntityOut,
    EvidenceOut,
    ReferenceOut,
    StrategyOut,
    SuggestionOut,
)
from evkg.model import Entity, Evidence, Reference
from evkg.store import Contradiction, StoredClaim
from evkg.store.protocol import Chain
from evkg.vocab import Match

__all__ = [
    "chain_out",
    "chain_text",
    "claim_out",
    "claim_text",
    "contradiction_out",
    "entity_out",
    "evidence_out",
    "reference_out",
    "strategy_out",
    "suggestions_out",
]


def entity_out(entity: Entity) -> EntityOut:
    return EntityOut(
        id=entity.id,
        kind=entity.kind.value,
        label=entity.label,
        synonyms=list(entity.synonyms),
        xrefs=list(entity.xrefs),
        description=entity.description,
    )


def reference_out(reference: Reference) -> ReferenceOut:
    return ReferenceOut(
        citation=reference.citation(),
        **reference.model_dump(mode="json"),
    )


def evidence_out(item: Evidence, labels: Labels) -> EvidenceOut:
    return EvidenceOut(
        hash=item.hash,
        reference=item.reference,
        citation=labels.citation(item.reference),
        quote=item.quote,
        quoted_from=item.quoted_from,
        section=item.section,
        printed_citation=item.printed_citation,
        method=item.method.value,
        extractor=item.extractor,
        level=item.level.value,
        confidence=item.confidence,
        curator_note=item.curator_note,
        errata=[e.model_dump(mode="json") for e in item.errata],
    )


def claim_out(stored: StoredClaim, labels: Labels) -> ClaimOut:
    claim, context = stored.claim, stored.claim.context
    return ClaimOut(
        hash=stored.hash,
        subject=claim.subject,
        predicate=claim.predicate.value,
        object=claim.object,
        outcome=claim.outcome.value if claim.outcome else None,
        disease=context.disease,
        ev_source=context.ev_source,
        donor_state=context.donor_state,
        modifications=list(context.modifications),
        cargo_type=context.cargo_type.value if context.cargo_type else None,
        model=context.model,
        species=context.species,
        route=context.route,
        dose=context.dose,
        strength=stored.strength,
        n_references=stored.n_references,
        confidence=stored.confidence,
        latest_year=stored.latest_year,
        references=list(stored.references),
        chains=list(stored.chains),
        labels={curie: labels.label(curie) for curie in dict.fromkeys(claim_curies(claim))},
        evidence=[evidence_out(e, labels) for e in stored.evidence],
    )


def claim_text(stored: StoredClaim, labels: Labels) -> str:
    return export.claim_text(stored, labels.label)


def chain_text(chain: Chain, labels: Labels) -> str:
    return export.chain_text(chain, labels.label)


def chain_out(chain: Chain, labels: Labels) -> ChainOut:
    return ChainOut(
        id=chain.id,
        text=chain_text(chain, labels),
        claims=[claim_out(c, labels) for c in chain.claims],
    )


def strategy_out(rank: int, strategy: Strategy, labels: Labels) -> StrategyOut:
    key = strategy.key
    return StrategyOut(
        rank=rank,
        agent=key.agent,
        agent_label=labels.label(key.agent),
        ev_source=key.ev_source,
        ev_source_label=labels.label(key.ev_source),
        modifications=list(key.modifications),
        modification_labels=[labels.label(m) for m in key.modifications],
        route=key.route,
        route_label=labels.label(key.route),
        direction=strategy.direction.value,
        strength=strategy.strength,
        tier=strategy.tier,
        score=strategy.score,
        consistency=strategy.consistency,
        n_references=strategy.n_references,
        n_studies=strategy.n_studies,
        latest_year=strategy.latest_year,
        references=list(strategy.references),
        citations=[labels.citation(r) for r in strategy.references],
        reviews=list(strategy.reviews),
        review_citations=[labels.citation(r) for r in strategy.reviews],
        is_ev=strategy.is_ev,
        on_disease_itself=strategy.on_disease_itself,
        models=list(strategy.models),
        species=list(strategy.species),
        chains=[chain.id for chain in strategy.chains],
        outcome_claims=[c.hash for c in strategy.outcome_claims],
        quotes=_quotes(strategy),
        gaps=list(strategy.gaps),
    )


def _quotes(strategy: Strategy, most: int = 3) -> list[str]:
    items = [e for c in strategy.outcome_claims for e in c.evidence]
    items.sort(key=lambda e: e.level.value == "review_statement")  # primary studies first
    return list(dict.fromkeys(e.quote for e in items))[:most]


def contradiction_out(item: Contradiction, labels: Labels) -> ContradictionOut:
    return ContradictionOut(
        claim=item.first.hash,
        claim_text=claim_text(item.first, labels),
        against=item.second.hash if item.second else None,
        against_text=claim_text(item.second, labels) if item.second else None,
        reason=item.reason,
    )


def suggestions_out(matches: Sequence[Match]) -> list[SuggestionOut]:
    seen: dict[str, SuggestionOut] = {}
    for match in matches:
        if match.curie not in seen:
            seen[match.curie] = SuggestionOut(
                curie=match.curie, label=match.label, kind=match.kind.value
            )
    return list(seen.values())[:8]
