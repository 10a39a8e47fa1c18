"""``/api/diseases``: ranked EV strategies, mechanism chains and contradictions, with
bounded work however many claims a disease has (the disease page's ranking)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.api._convert import chain_out, entity_out, strategy_out
from evkg.api.diseases import (
    DiseaseOverview,
    disease_answer,
    disease_overview,
    page_chains,
    ranking_out,
)
from evkg.api.responses import DiseaseChains, DiseaseOut, DiseaseStrategies, StudiesOut
from evkg.api.studies import StudyQuery, studies_answer
from evkg.web._paging import check_offset
from evkg.web.deps import Context, WebContext

__all__ = ["router"]

router = APIRouter(prefix="/api/diseases", tags=["diseases"])

_Name = Annotated[
    str, Path(min_length=1, max_length=200, description="Disease name, synonym or CURIE")
]
_Limit = Annotated[int, Query(ge=1, le=500, description="Most strategies")]
_BOUNDED = (
    " On a large disease the strategies are ranked from its strongest claims only: `ranking` "
    "says from how many, and `ranking.complete` is false."
)


def _overview(context: WebContext, name: str, limit: int, drawn: int) -> DiseaseOverview:
    return disease_overview(
        context.knowledge,
        name,
        shown=limit,
        drawn_strategies=drawn,
        count_cap=context.limits.count_cap,
    )


@router.get(
    "/{name}",
    response_model=DiseaseOut,
    summary="Everything known for a disease",
    description="Strategies ranked by evidence (with gaps), the mechanism chains behind them "
    "and contradicting evidence, for the disease and its sub-diseases." + _BOUNDED,
)
def disease(context: Context, name: _Name, limit: _Limit = 100) -> DiseaseOut:
    return disease_answer(
        context.knowledge,
        context.labels,
        name,
        limit=limit,
        count_cap=context.limits.count_cap,
    )


@router.get(
    "/{name}/strategies",
    response_model=DiseaseStrategies,
    summary="Ranked EV strategies",
    description="The strategies of `/api/diseases/{name}`, ranked the same way." + _BOUNDED,
)
def strategies(context: Context, name: _Name, limit: _Limit = 100) -> DiseaseStrategies:
    report = _overview(context, name, limit, limit)
    return DiseaseStrategies(
        disease=entity_out(report.disease),
        strategies=[
            strategy_out(rank, s, context.labels)
            for rank, s in enumerate(report.strategies, start=1)
        ],
        ranking=ranking_out(report),
    )


@router.get(
    "/{name}/studies",
    response_model=StudiesOut,
    summary="The primary studies of a disease, with filters",
)
def studies(
    context: Context,
    name: _Name,
    species: Annotated[str | None, Query(max_length=100, description="Model species")] = None,
    route: Annotated[str | None, Query(max_length=100)] = None,
    source: Annotated[str | None, Query(max_length=100, description="EV source")] = None,
    design: Annotated[str | None, Query(pattern="^(clinical|in_vivo|ex_vivo|in_vitro)$")] = None,
    outcome: Annotated[
        str | None, Query(pattern="^(beneficial|detrimental|no_effect|contested)$")
    ] = None,
) -> StudiesOut:
    """One row per primary study of the disease and its narrower diseases (source,
    isolation, dose, route, model, species, n, outcome, design), the evidence map and what
    no study reports."""
    query = StudyQuery(species, route, source, design, outcome)
    return studies_answer(context.knowledge, context.labels, name, query)


@router.get("/{name}/chains", response_model=DiseaseChains, summary="Mechanism chains, paged")
def chains(
    context: Context,
    name: _Name,
    limit: Annotated[int, Query(ge=1, le=100, description="Claims of the disease per page")] = 25,
    offset: Annotated[int, Query(ge=0, description="Claims of the disease to skip")] = 0,
) -> DiseaseChains:
    """The claims each study contributes, ordered source → cargo → target → pathway →
    disease: the chains of ``limit`` claims of the disease from ``offset`` (strongest
    first). Page on with ``offset`` while ``has_more``: every chain of the disease is on
    some page. Offsets past the server's deepest page (10,000 unless set) are refused (400)."""
    check_offset(context, offset)
    entity, found, more = page_chains(context.knowledge, name, offset=offset, size=limit)
    return DiseaseChains(
        disease=entity_out(entity),
        limit=limit,
        offset=offset,
        has_more=more,
        chains=[chain_out(c, context.labels) for c in found],
    )
