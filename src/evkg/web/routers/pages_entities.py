"""Explorer pages of a cargo, a gene, any other entity, and a reference: the claims paged
25 at a time, strongest first, with a capped count (bounded work on any store)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evkg.api._convert import claim_out, entity_out, reference_out
from evkg.api.entities import entity_claims
from evkg.api.filters import CONTEXT_FILTER, entity_filters
from evkg.store import ClaimFilter
from evkg.vocab import Match
from evkg.web._disease_view import network_svg
from evkg.web._paging import PAGE_SIZE, check_page, pager
from evkg.web.deps import Context, WebContext
from evkg.web.network import entity_url
from evkg.web.routers._pages_common import render
from evkg.web.routers.entities import entity_of

__all__ = ["router"]

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

_Name = Annotated[str, Path(min_length=1, max_length=200)]
_Page = Annotated[int, Query(ge=1, description="Page of the claim table (25 claims a page)")]
_DRAWN = 80


def _claims_page(
    context: WebContext, filters: list[ClaimFilter], page: int, params: dict[str, str]
) -> tuple[Any, dict[str, Any]]:
    """One page of the claims matching any of ``filters``, and the pager's values."""
    found = entity_claims(
        context.knowledge,
        filters,
        offset=check_page(context, page),
        size=PAGE_SIZE,
        count_cap=context.limits.count_cap,
    )
    values = {
        "rows": [claim_out(c, context.labels) for c in found.rows],
        **pager(page, found.has_next, found.count, params),
    }
    return found, values


def _entity_page(
    request: Request,
    context: WebContext,
    match: Match,
    what: str,
    page: int,
    params: dict[str, str] | None = None,
) -> HTMLResponse:
    labels = context.labels
    entity = entity_of(context, match)
    found, values = _claims_page(context, entity_filters(match), page, params or {})
    # the network draws the strongest claims, whichever page of the table is shown
    drawn = context.knowledge.store.claims_by_hash(
        found.strongest[:_DRAWN], {c.hash: c for c in found.rows}
    )
    drawing = network_svg(context, drawn, f"Claims about {entity.label}")
    return render(
        request,
        context,
        "entity.html",
        {
            "title": entity.label,
            "what": what,
            "entity": entity_out(entity),
            "identifiers": match.curies,
            "flags": match.flags,
            "n_claims": found.count.total,
            "n_claims_is_lower_bound": found.count.is_lower_bound,
            "diseases": [(d, labels.label(d), o, n) for d, o, n in found.diseases],
            "diseases_complete": found.diseases_complete,
            "n_scanned": len(found.strongest),
            "network": drawing.svg,
            "network_hidden": drawing.hidden,
            "network_error": drawing.error,
            "drawn": len(drawn),
            "api_filter": f"{CONTEXT_FILTER.get(match.kind, 'cargo')}="
            + quote(match.curies[0], safe=":"),
            **values,
        },
    )


@router.get("/cargo/{name}", response_model=None, summary="Cargo page")
def cargo_page(
    request: Request,
    context: Context,
    name: _Name,
    species: Annotated[str, Query(pattern=r"^[a-z]{3}$")] = "hsa",
    page: _Page = 1,
) -> HTMLResponse:
    match = context.knowledge.cargo_match(name, species)
    params = {"species": species} if species != "hsa" else {}
    return _entity_page(request, context, match, "Cargo", page, params)


@router.get("/gene/{name}", response_model=None, summary="Gene page")
def gene_page(request: Request, context: Context, name: _Name, page: _Page = 1) -> HTMLResponse:
    return _entity_page(request, context, context.knowledge.gene_match(name), "Gene", page)


@router.get("/entity/{name}", response_model=None, summary="Any entity's page")
def entity_page(request: Request, context: Context, name: _Name, page: _Page = 1) -> Response:
    """EV sources, modifications, pathways, models, routes…; diseases redirect to their
    disease page."""
    match = context.knowledge.entity_match(name)
    if match.kind.value == "disease":
        return RedirectResponse(entity_url(match.curie, "disease"), status_code=307)
    what = match.kind.value.replace("_", " ").capitalize()
    return _entity_page(request, context, match, what, page)


@router.get("/reference/{identifier:path}", response_model=None, summary="Reference page")
def reference_page(
    request: Request,
    context: Context,
    identifier: Annotated[str, Path(min_length=1, max_length=300)],
    page: _Page = 1,
) -> HTMLResponse:
    found = context.knowledge.find_reference(identifier)
    _, values = _claims_page(context, [ClaimFilter(reference=found.id)], page, {})
    return render(
        request,
        context,
        "reference.html",
        {"title": found.citation(), "reference": reference_out(found), **values},
    )
