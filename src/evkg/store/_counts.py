"""The counts behind ``evkg db stats``, ``/api/stats`` and the home page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, literal, select, union

from evkg.store import schema as t
from evkg.store.protocol import ClaimCount

__all__ = ["store_counts", "totals_upto"]


def _grouped(connection: Connection, column: Any) -> dict[str, int]:
    rows = connection.execute(select(column, func.count()).group_by(column)).all()
    return {str(key): int(value) for key, value in sorted(rows, key=lambda r: str(r[0]))}


def store_counts(connection: Connection) -> dict[str, dict[str, int]]:
    """Counts of claims, evidence, references and entities, broken down."""
    totals = {
        name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in [
            ("claims", t.claims),
            ("evidence", t.evidence),
            ("references", t.references),
            ("entities", t.entities),
        ]
    }
    totals["chains"] = int(
        connection.execute(
            select(func.count()).select_from(select(t.chain_claims.c.chain).distinct().subquery())
        ).scalar_one()
    )
    cited = union(select(t.evidence.c.reference), select(t.evidence.c.reference))
    totals["cited_references"] = int(
        connection.execute(select(func.count()).select_from(cited.subquery())).scalar_one()
    )
    cited_refs = t.references.c.curie.in_(select(t.evidence.c.reference).distinct())
    identified = (t.references.c.pmid.is_not(None)) | (t.references.c.doi.is_not(None))
    totals["cited_references_with_pmid_or_doi"] = int(
        connection.execute(
            select(func.count()).select_from(t.references).where(cited_refs, identified)
        ).scalar_one()
    )
    studies = t.studies.c
    totals["primary_studies"] = int(
        connection.execute(select(func.count()).select_from(t.studies)).scalar_one()
    )
    study_refs = t.references.c.curie.in_(select(studies.reference))
    totals["primary_studies_with_pmid_or_doi"] = int(
        connection.execute(
            select(func.count()).select_from(t.references).where(study_refs, identified)
        ).scalar_one()
    )
    return {
        "totals": totals,
        "studies_by_design": _grouped(connection, studies.design),
        "studies_by_outcome": _grouped(connection, studies.outcome),
        "studies_by_route": _grouped(connection, func.coalesce(studies.route, "not reported")),
        "studies_by_source": _grouped(connection, studies.ev_source),
        "claims_by_predicate": _grouped(connection, t.claims.c.predicate),
        "claims_by_outcome": _grouped(connection, t.claims.c.outcome),
        "claims_by_strength": _grouped(connection, t.claims.c.strength),
        "evidence_by_level": _grouped(connection, t.evidence.c.level),
        "evidence_by_method": _grouped(connection, t.evidence.c.method),
        "entities_by_kind": _grouped(connection, t.entities.c.kind),
    }


def totals_upto(connection: Connection, cap: int) -> dict[str, ClaimCount]:
    """Rows of each table (distinct chains for ``chains``), counting no further than
    ``cap + 1``: a bounded index walk each, however large the store."""
    found: dict[str, ClaimCount] = {}
    for name, rows in [
        ("claims", select(literal(1)).select_from(t.claims)),
        ("evidence", select(literal(1)).select_from(t.evidence)),
        ("references", select(literal(1)).select_from(t.references)),
        ("entities", select(literal(1)).select_from(t.entities)),
        ("chains", select(t.chain_claims.c.chain).distinct()),
    ]:
        inner = rows.limit(cap + 1).subquery()
        n = int(connection.execute(select(func.count()).select_from(inner)).scalar_one())
        found[name] = ClaimCount(cap, is_lower_bound=True) if n > cap else ClaimCount(n)
    return found
