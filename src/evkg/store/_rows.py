"""Conversions between domain records and SQL rows, and the claim-filter translation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select

from evkg.model import Claim, Context, Entity, Erratum, Evidence, Reference
from evkg.store import schema as t
from evkg.store.protocol import ClaimFilter

__all__ = [
    "claim_from_row",
    "claim_row",
    "entity_from_row",
    "entity_row",
    "evidence_from_row",
    "evidence_row",
    "filter_clauses",
    "reference_from_row",
    "reference_row",
]


def entity_row(entity: Entity) -> dict[str, Any]:
    return {
        "curie": entity.id,
        "kind": entity.kind.value,
        "label": entity.label,
        "synonyms": list(entity.synonyms),
        "xrefs": list(entity.xrefs),
        "description": entity.description,
    }


def entity_from_row(row: Mapping[Any, Any]) -> Entity:
    return Entity(
        id=row["curie"],
        kind=row["kind"],
        label=row["label"],
        synonyms=tuple(row["synonyms"]),
        xrefs=tuple(row["xrefs"]),
        description=row["description"],
    )


def reference_row(reference: Reference) -> dict[str, Any]:
    return {
        "curie": reference.id,
        "authors": list(reference.authors),
        "et_al": reference.et_al,
        "year": reference.year,
        "title": reference.title,
        "journal": reference.journal,
        "volume": reference.volume,
        "pages": reference.pages,
        "pmid": reference.pmid,
        "doi": reference.doi,
        "note": reference.note,
    }


def reference_from_row(row: Mapping[Any, Any]) -> Reference:
    fields = dict(row)
    fields["id"] = fields.pop("curie")
    fields["authors"] = tuple(fields["authors"])
    return Reference(**fields)


def claim_row(claim: Claim) -> dict[str, Any]:
    context = claim.context
    return {
        "hash": claim.hash,
        "subject": claim.subject,
        "predicate": claim.predicate.value,
        "object": claim.object,
        "outcome": claim.outcome.value if claim.outcome else None,
        "disease": context.disease,
        "ev_source": context.ev_source,
        "donor_state": context.donor_state,
        "modifications": list(context.modifications),
        "cargo_type": context.cargo_type.value if context.cargo_type else None,
        "model": context.model,
        "species": context.species,
        "route": context.route,
        "dose": context.dose,
    }


def claim_from_row(row: Mapping[Any, Any]) -> Claim:
    context = Context(
        disease=row["disease"],
        ev_source=row["ev_source"],
        donor_state=row["donor_state"],
        modifications=tuple(row["modifications"]),
        cargo_type=row["cargo_type"],
        model=row["model"],
        species=row["species"],
        route=row["route"],
        dose=row["dose"],
    )
    return Claim(
        subject=row["subject"],
        predicate=row["predicate"],
        object=row["object"],
        context=context,
        outcome=row["outcome"],
    )


def evidence_row(item: Evidence, review_status: str) -> dict[str, Any]:
    return {
        "hash": item.hash,
        "claim_hash": item.claim_hash,
        "reference": item.reference,
        "quote": item.quote,
        "quoted_from": item.quoted_from,
        "section": item.section,
        "printed_citation": item.printed_citation,
        "method": item.method.value,
        "extractor": item.extractor,
        "level": item.level.value,
        "confidence": item.confidence,
        "curator_note": item.curator_note,
        "errata": [erratum.model_dump(mode="json") for erratum in item.errata],
        "review_status": review_status,
    }


def evidence_from_row(row: Mapping[Any, Any]) -> Evidence:
    return Evidence(
        claim_hash=row["claim_hash"],
        reference=row["reference"],
        quote=row["quote"],
        quoted_from=row["quoted_from"],
        section=row["section"],
        printed_citation=row["printed_citation"],
        method=row["method"],
        extractor=row["extractor"],
        level=row["level"],
        confidence=row["confidence"],
        curator_note=row["curator_note"],
        errata=tuple(Erratum(**e) for e in row["errata"]),
    )


def _either_end(values: Sequence[str]) -> ColumnElement[bool]:
    return or_(t.claims.c.subject.in_(values), t.claims.c.object.in_(values))


def filter_clauses(where: ClaimFilter, diseases: Sequence[str] | None) -> list[ColumnElement[bool]]:
    """WHERE clauses for ``where``; ``diseases`` is the disease and its descendants."""
    c = t.claims.c
    clauses: list[ColumnElement[bool]] = []
    if where.disease is not None:
        wanted = list(diseases or [where.disease])
        clauses.append(or_(c.disease.in_(wanted), c.object.in_(wanted)))
    if where.cargo:
        clauses.append(_either_end(list(where.cargo)))
    if where.gene is not None:
        clauses.append(_either_end([where.gene]))
    if where.pathway is not None:
        clauses.append(c.object == where.pathway)
    simple = {
        "ev_source": where.source,
        "route": where.route,
        "model": where.model,
        "species": where.species,
        "outcome": where.outcome,
        "predicate": where.predicate,
        "best_level": where.level,
    }
    for column, value in simple.items():
        if value is not None:
            clauses.append(c[column] == value)
    if where.modification is not None:
        clauses.append(
            exists(
                select(t.claim_modifications.c.claim_hash).where(
                    and_(
                        t.claim_modifications.c.claim_hash == c.hash,
                        t.claim_modifications.c.modification == where.modification,
                    )
                )
            )
        )
    evidence_conditions = []
    if where.method is not None:
        evidence_conditions.append(t.evidence.c.method == where.method)
    if where.reference is not None:
        evidence_conditions.append(t.evidence.c.reference == where.reference)
    if evidence_conditions:
        clauses.append(
            exists(
                select(t.evidence.c.hash).where(
                    and_(t.evidence.c.claim_hash == c.hash, *evidence_conditions)
                )
            )
        )
    return clauses
