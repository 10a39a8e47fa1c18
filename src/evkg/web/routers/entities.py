"""``/api/cargo``, ``/api/genes``, ``/api/entities``, ``/api/references``: an entity with
the claims that mention it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.api import EntityReport
from evkg.api.web_support import entity_report
from evkg.web._convert import claim_out, entity_out, reference_out
from evkg.web.deps import Context, WebContext
from evkg.web.schemas import EntityReportOut, ReferenceReportOut

__all__ = ["entity_report_out", "router"]

router = APIRouter(prefix="/api", tags=["entities"])

_Name = Annotated[str, Path(min_length=1, max_length=200, description="Name, synonym or CURIE")]
_Limit = Annotated[int, Query(ge=1, le=500, description="Most claims to return")]


def entity_report_out(context: WebContext, report: EntityReport, limit: int) -> EntityReportOut:
    labels = context.labels
    return EntityReportOut(
        entity=entity_out(report.entity),
        identifiers=list(report.curies),
        flags=list(report.match.flags),
        n_claims=len(report.claims),
        claims=[claim_out(c, labels) for c in report.claims[:limit]],
        diseases=[
            {"disease": d, "label": labels.label(d), "direction": o, "claims": n}
            for d, o, n in report.diseases
        ],
    )


@router.get("/cargo/{name}", response_model=EntityReportOut, summary="A cargo and its claims")
def cargo(
    context: Context,
    name: _Name,
    species: Annotated[
        str, Query(pattern=r"^[a-z]{3}$", description="miRBase species code for bare names")
    ] = "hsa",
    limit: _Limit = 100,
) -> EntityReportOut:
    """A miRNA (an arm-less name gives both arms, flagged), protein, drug, siRNA…"""
    return entity_report_out(context, context.knowledge.cargo(name, species), limit)


@router.get("/genes/{name}", response_model=EntityReportOut, summary="A gene and its claims")
def gene(context: Context, name: _Name, limit: _Limit = 100) -> EntityReportOut:
    """By symbol, alias, rodent symbol or protein name (CD73 → NT5E)."""
    return entity_report_out(context, context.knowledge.gene(name), limit)


@router.get("/entities/{name}", response_model=EntityReportOut, summary="Any entity and its claims")
def entity(context: Context, name: _Name, limit: _Limit = 100) -> EntityReportOut:
    """EV sources, modifications, pathways, processes, models, routes… by name or CURIE."""
    return entity_report_out(context, entity_report(context.knowledge, name), limit)


@router.get(
    "/references/{identifier:path}",
    response_model=ReferenceReportOut,
    summary="A reference and the claims citing it",
)
def reference(
    context: Context,
    identifier: Annotated[
        str,
        Path(
            min_length=1,
            max_length=300,
            description="evkg.ref: CURIE, number in the founding review, PMID or DOI",
        ),
    ],
    limit: _Limit = 500,
) -> ReferenceReportOut:
    found, claims = context.knowledge.reference(identifier)
    return ReferenceReportOut(
        reference=reference_out(found),
        claims=[claim_out(c, context.labels) for c in claims[:limit]],
    )
