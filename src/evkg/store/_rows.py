"""Conversions between domain records and SQL rows, and the claim-filter translation."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, or_, select

from evkg.model import (
    CargoType,
    Claim,
    Context,
    Entity,
    Erratum,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Outcome,
    Predicate,
    Reference,
    StudyRecord,
)
from evkg.store import schema as t
from evkg.store.protocol import PREDICATE_STEP, Chain, ClaimFilter, ClaimSketch, StoredClaim

__all__ = [
    "claim_from_row",
    "claim_row",
    "entity_from_row",
    "entity_row",
    "evidence_from_row",
    "evidence_row",
    "filter_clauses",
    "fingerprint_of",
    "hydrate",
    "ordered_chains",
    "reference_from_row",
    "reference_row",
    "sketch_from_row",
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
        "pmcid": reference.pmcid,
        "publication_type": reference.publication_type.value
        if reference.publication_type
        else None,
        "note": reference.note,
    }


def study_row(study: StudyRecord) -> dict[str, Any]:
    return {
        "id": study.id,
        "reference": study.reference_id,
        "disease": study.disease,
        "ev_source": study.ev.source,
        "source_species": study.ev.species,
        "model_species": study.model.species,
        "route": study.route,
        "design": study.design.value,
        "outcome": study.outcome.value,
        "product": study.product.value,
        "year": study.year,
        "record": study.model_dump(mode="json", exclude_none=True),
    }


def study_from_row(row: Mapping[Any, Any]) -> StudyRecord:
    return StudyRecord.model_validate(row["record"])


def reference_from_row(row: Mapping[Any, Any]) -> Reference:
    fields = dict(row)
    fields["id"] = fields.pop("curie")
    fields["authors"] = tuple(fields["authors"])
    return Reference(**{k: v for k, v in fields.items() if v is not None or k == "id"})


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
    """The claim of a stored row, built without re-validation: rows were validated when
    they were written, and a page of claims must not cost a validation per identifier."""
    cargo_type = row["cargo_type"]
    outcome = row["outcome"]
    context = Context.model_construct(
        disease=row["disease"],
        ev_source=row["ev_source"],
        donor_state=row["donor_state"],
        modifications=tuple(row["modifications"]),
        cargo_type=CargoType(cargo_type) if cargo_type else None,
        model=row["model"],
        species=row["species"],
        route=row["route"],
        dose=row["dose"],
    )
    return Claim.model_construct(
        subject=row["subject"],
        predicate=Predicate(row["predicate"]),
        object=row["object"],
        context=context,
        outcome=Outcome(outcome) if outcome else None,
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
    """Stored evidence, built without re-validation (see :func:`claim_from_row`)."""
    return Evidence.model_construct(
        claim_hash=row["claim_hash"],
        reference=row["reference"],
        quote=row["quote"],
        quoted_from=row["quoted_from"],
        section=row["section"],
        printed_citation=row["printed_citation"],
        method=EvidenceMethod(row["method"]),
        extractor=row["extractor"],
        level=EvidenceLevel(row["level"]),
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
    # a modification or a reference picks few claims: the engine lists them from its index
    # (IN) rather than probing every claim in rank order (EXISTS would)
    if where.modification is not None:
        mods = t.claim_modifications.c
        clauses.append(
            c.hash.in_(select(mods.claim_hash).where(mods.modification == where.modification))
        )
    evidence_conditions = []
    if where.method is not None:
        evidence_conditions.append(t.evidence.c.method == where.method)
    if where.reference is not None:
        cited = select(t.evidence.c.claim_hash).where(
            t.evidence.c.reference == where.reference, *evidence_conditions
        )
        clauses.append(c.hash.in_(cited))
    elif evidence_conditions:
        clauses.append(
            exists(
                select(t.evidence.c.hash).where(
                    and_(t.evidence.c.claim_hash == c.hash, *evidence_conditions)
                )
            )
        )
    return clauses


def sketch_from_row(row: Sequence[Any]) -> ClaimSketch:
    """A claim sketch from (hash, subject, predicate, object, outcome, disease, ev_source,
    route, model, strength, modifications as stored: JSON text from SQLite, a list from
    PostgreSQL's driver, then optionally strength_rank and confidence)."""
    mods = row[10]
    if isinstance(mods, str):
        mods = [] if mods == "[]" else json.loads(mods)
    return ClaimSketch(
        hash=row[0],
        subject=row[1],
        predicate=row[2],
        object=row[3],
        outcome=row[4],
        disease=row[5],
        ev_source=row[6],
        route=row[7],
        model=row[8],
        strength=row[9],
        modifications=tuple(mods or ()),
        strength_rank=int(row[11]) if len(row) > 11 else 0,
        confidence=float(row[12]) if len(row) > 12 else 0.0,
    )


def ordered_chains(members: Mapping[str, list[StoredClaim]]) -> list[Chain]:
    """Chains by id, each in mechanism order (source -> cargo -> target -> pathway ->
    disease)."""
    return [
        Chain(
            chain_id,
            tuple(
                sorted(
                    members[chain_id],
                    key=lambda c: (PREDICATE_STEP[c.claim.predicate], c.claim.subject, c.hash),
                )
            ),
        )
        for chain_id in sorted(members)
    ]


def fingerprint_of(connection: Connection, dataset: str) -> str | None:
    """The fingerprint recorded for a loaded dataset (``None``: not loaded)."""
    found = connection.execute(
        select(t.datasets.c.fingerprint).where(t.datasets.c.name == dataset)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def hydrate(connection: Connection, rows: Sequence[Any]) -> list[StoredClaim]:
    """Stored claims from claim rows, with their evidence (rejected left out) and chains,
    read for the rows' hashes only."""
    hashes = [row["hash"] for row in rows]
    evidence: dict[str, list[Any]] = defaultdict(list)
    chains: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(hashes), 1000):
        chunk = hashes[start : start + 1000]
        for row in connection.execute(
            select(t.evidence)
            .where(t.evidence.c.claim_hash.in_(chunk), t.evidence.c.review_status != "rejected")
            .order_by(t.evidence.c.hash)
        ).mappings():
            evidence[row["claim_hash"]].append(evidence_from_row(row))
        for chain, claim_hash in connection.execute(
            select(t.chain_claims.c.chain, t.chain_claims.c.claim_hash)
            .where(t.chain_claims.c.claim_hash.in_(chunk))
            .order_by(t.chain_claims.c.chain)
        ):
            chains[claim_hash].append(chain)
    return [
        StoredClaim(
            hash=row["hash"],
            claim=claim_from_row(row),
            evidence=tuple(evidence[row["hash"]]),
            chains=tuple(chains[row["hash"]]),
            n_references=row["n_references"],
            strength=row["strength"],
            confidence=row["confidence"],
            latest_year=row["latest_year"],
        )
        for row in rows
    ]
