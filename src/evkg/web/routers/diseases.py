"""``/api/diseases``: ranked EV strategies, mechanism chains and contradictions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.web._convert import chain_out, contradiction_out, entity_out, strategy_out
from evkg.web.deps import Context
from evkg.web.schemas import ChainOut, DiseaseOut, DiseaseStrategies

__all__ = ["router"]

router = APIRouter(prefix="/api/diseases", tags=["diseases"])

_Name = Annotated[
    str, Path(min_length=1, max_length=200, description="Disease name, synonym or CURIE")
]


@router.get("/{name}", response_model=DiseaseOut, summary="Everything known for a disease")
def disease(
    context: Context,
    name: _Name,
    limit: Annotated[int, Query(ge=1, le=500, description="Most strategies")] = 100,
) -> DiseaseOut:
    """Strategies ranked by evidence (with gaps), the mechanism chains behind them and
    contradicting evidence, for the disease and its sub-diseases."""
    report = context.knowledge.disease(name)
    labels = context.labels
    return DiseaseOut(
        disease=entity_out(report.disease),
        included=list(report.included),
        n_claims=len(report.claims),
        strategies=[
            strategy_out(rank, s, labels)
            for rank, s in enumerate(report.strategies[:limit], start=1)
        ],
        chains=[chain_out(c, labels) for c in report.chains],
        contradictions=[contradiction_out(c, labels) for c in report.contradictions],
    )


@router.get("/{name}/strategies", response_model=DiseaseStrategies, summary="Ranked EV strategies")
def strategies(
    context: Context,
    name: _Name,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DiseaseStrategies:
    report = context.knowledge.disease(name)
    return DiseaseStrategies(
        disease=entity_out(report.disease),
        strategies=[
            strategy_out(rank, s, context.labels)
            for rank, s in enumerate(report.strategies[:limit], start=1)
        ],
    )


@router.get("/{name}/chains", response_model=list[ChainOut], summary="Mechanism chains")
def chains(context: Context, name: _Name) -> list[ChainOut]:
    """The claims each study contributes, ordered source → cargo → target → pathway →
    disease."""
    report = context.knowledge.disease(name)
    return [chain_out(c, context.labels) for c in report.chains]
