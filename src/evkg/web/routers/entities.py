"""``/api/cargo``, ``/api/genes``, ``/api/entities``, ``/api/references``: an entity with
the claims that mention it, paged (``limit`` from ``offset``) with a capped count."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.api.web_support import EntityClaims, entity_claims, entity_filters
from evkg.model import Entity
from evkg.store import ClaimFilter
from evkg.vocab import Match
from evkg.web._convert import claim_out, entity_out, reference_out
from evkg.web._paging import check_offset
from evkg.web.deps import Context, WebContext
from evkg.web.schemas import EntityReportOut, ReferenceReportOut

__all__ = ["entity_of", "router"]

router = APIRouter(prefix="/api", tags=["entities"])

_Name = Annotated[str, Path(min_length=1, max_length=200, description="Name, synonym or CURIE")]
_Limit = Annotated[int, Query(ge=1, le=500, description="Most claims to return")]
_Offset = Annotated[
    int,
    Query(
        ge=0,
        description="Claims to skip (strongest first); past the server's deepest page "
        "(10,000 unless set) the answer is 400",
    ),
]


def entity_of(context: WebContext, match: Match) -> Entity:
    """The stored entity a name resolved to (or one made from the vocabulary's entry)."""
    return context.knowledge.store.entity(match.curie) or Entity(
        id=match.curie, kind=match.kind, label=match.label
    )


def _paged(
    context: WebContext, filters: list[ClaimFilter], limit: int, offset: int
) -> EntityClaims:
    check_offset(context, offset)
    return entity_claims(
        context.knowledge,
        filters,
        offset=offset,
        size=min(limit, context.limits.max_page),
        count_cap=context.limits.count_cap,
    )


def _report(context: WebContext, match: Match, limit: int, offset: int) -> EntityReportOut:
    labels = context.labels
    found = _paged(context, entity_filters(match), limit, offset)
    return EntityReportOut(
        entity=entity_out(entity_of(context, match)),
        identifiers=list(match.curies),
        flags=list(match.flags),
        n_claims=found.count.total,
        n_claims_is_lower_bound=found.count.is_lower_bound,
        limit=found.size,
        offset=offset,
        has_more=found.has_next,
        claims=[claim_out(c, labels) for c in found.rows],
        diseases=[
            {"disease": d, "label": labels.label(d), "direction": o, "claims": n}
            for d, o, n in found.diseases
        ],
        diseases_complete=found.diseases_complete,
    )


@router.get("/cargo/{name}", response_model=EntityReportOut, summary="A cargo and its claims")
def cargo(
    context: Context,
    name: _Name,
    species: Annotated[
        str, Query(pattern=r"^[a-z]{3}$", description="miRBase species code for bare names")
    ] = "hsa",
    limit: _Limit = 100,
    offset: _Offset = 0,
) -> EntityReportOut:
    """A miRNA (an arm-less name gives both arms, flagged), protein, drug, siRNA…"""
    return _report(context, context.knowledge.cargo_match(name, species), limit, offset)


@router.get("/genes/{name}", response_model=EntityReportOut, summary="A gene and its claims")
def gene(
    context: Context, name: _Name, limit: _Limit = 100, offset: _Offset = 0
) -> EntityReportOut:
    """By symbol, alias, rodent symbol or protein name (CD73 → NT5E)."""
    return _report(context, context.knowledge.gene_match(name), limit, offset)


@router.get("/entities/{name}", response_model=EntityReportOut, summary="Any entity and its claims")
def entity(
    context: Context, name: _Name, limit: _Limit = 100, offset: _Offset = 0
) -> EntityReportOut:
    """EV sources, modifications, pathways, processes, models, routes… by name or CURIE; an
    EV source, modification, route, model or species also brings the claims that have it in
    their context."""
    return _report(context, context.knowledge.entity_match(name), limit, offset)


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
    offset: _Offset = 0,
) -> ReferenceReportOut:
    found = context.knowledge.find_reference(identifier)
    page = _paged(context, [ClaimFilter(reference=found.id)], limit, offset)
    return ReferenceReportOut(
        reference=reference_out(found),
        n_claims=page.count.total,
        n_claims_is_lower_bound=page.count.is_lower_bound,
        limit=page.size,
        offset=offset,
        has_more=page.has_next,
        claims=[claim_out(c, context.labels) for c in page.rows],
    )
