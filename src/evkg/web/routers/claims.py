"""``/api/claims`` (filtered, paginated, JSON or TSV) and ``/api/stats``."""

from __future__ import annotations

import io
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from evkg.api._convert import claim_out
from evkg.api.responses import ClaimPage, StatsOut
from evkg.export import write_tsv
from evkg.web._filters import Filters
from evkg.web._paging import check_offset
from evkg.web.deps import Context

__all__ = ["ClaimFormat", "router"]

router = APIRouter(prefix="/api", tags=["claims"])

TSV_MEDIA = "text/tab-separated-values; charset=utf-8"


class ClaimFormat(StrEnum):
    JSON = "json"
    TSV = "tsv"


@router.get(
    "/claims",
    response_model=ClaimPage,
    summary="Claims with filters and pagination",
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
def claims(
    context: Context,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[
        int,
        Query(
            ge=0,
            description="Claims to skip; past the server's deepest page (10,000 unless set) "
            "the answer is 400: narrow the filters instead",
        ),
    ] = 0,
    format: Annotated[ClaimFormat, Query(description="json (default) or tsv")] = ClaimFormat.JSON,
) -> ClaimPage | Response:
    """Claims matching every given filter, strongest first. Name filters (disease, cargo,
    gene, pathway, source, modification, route, model, species) take a name or a CURIE;
    a disease includes its sub-diseases. ``total`` is counted up to a cap (10,000 unless the
    server sets another); past it, ``total`` is the cap and ``total_is_lower_bound`` is
    true."""
    check_offset(context, offset)  # a deep offset walks the ordered index from its start
    limit = min(limit, context.limits.max_page)
    store, labels = context.knowledge.store, context.labels
    page = store.claims(filters.where, limit=limit, offset=offset)
    if format == ClaimFormat.TSV:
        out = io.StringIO()
        write_tsv(page, out, labels.label)
        return Response(out.getvalue(), media_type=TSV_MEDIA)
    count = store.count_claims_upto(filters.where, context.limits.count_cap)
    return ClaimPage(
        total=count.total,
        total_is_lower_bound=count.is_lower_bound,
        limit=limit,
        offset=offset,
        filters=filters.given,
        items=[claim_out(c, labels) for c in page],
    )


@router.get("/stats", response_model=StatsOut, summary="Counts of the store")
def stats(context: Context) -> StatsOut:
    return StatsOut(**context.knowledge.store.counts())
