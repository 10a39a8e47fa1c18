"""``/api/cargo``, ``/api/genes``, ``/api/entities``, ``/api/references``: an entity with
the claims that mention it, paged (``limit`` from ``offset``) with a capped count."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.api.entities import entity_answer, reference_answer
from evkg.api.responses import EntityReportOut, ReferenceReportOut
from evkg.model import Entity
from evkg.vocab import Match
from evkg.web._paging import check_offset
from evkg.web.deps import Context, WebContext

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


def _report(context: WebContext, match: Match, limit: int, offset: int) -> EntityReportOut:
    check_offset(context, offset)
    return entity_answer(
        context.knowledge,
        context.labels,
        match,
        limit=min(limit, context.limits.max_page),
        offset=offset,
        count_cap=context.limits.count_cap,
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
    check_offset(context, offset)
    return reference_answer(
        context.knowledge,
        context.labels,
        identifier,
        limit=min(limit, context.limits.max_page),
        offset=offset,
        count_cap=context.limits.count_cap,
    )
