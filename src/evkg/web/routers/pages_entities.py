"""Explorer pages of a cargo, a gene, any other entity, and a reference."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evkg.api import EntityReport
from evkg.api.web_support import CONTEXT_FILTER, entity_report
from evkg.web._convert import claim_out, entity_out, reference_out
from evkg.web._disease_view import network_svg
from evkg.web.deps import Context, WebContext
from evkg.web.network import entity_url
from evkg.web.routers._pages_common import render

__all__ = ["router"]

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

_Name = Annotated[str, Path(min_length=1, max_length=200)]
_SHOWN = 200
_DRAWN = 80


def _entity_page(
    request: Request, context: WebContext, report: EntityReport, what: str
) -> HTMLResponse:
    labels = context.labels
    claims = list(report.claims)
    svg, hidden = network_svg(context, claims[:_DRAWN], f"Claims about {report.entity.label}")
    return render(
        request,
        context,
        "entity.html",
        {
            "title": report.entity.label,
            "what": what,
            "entity": entity_out(report.entity),
            "identifiers": report.curies,
            "flags": report.match.flags,
            "n_claims": len(claims),
            "rows": [claim_out(c, labels) for c in claims[:_SHOWN]],
            "shown": min(len(claims), _SHOWN),
            "diseases": [(d, labels.label(d), o, n) for d, o, n in report.diseases],
            "network": svg,
            "network_hidden": hidden,
            "drawn": min(len(claims), _DRAWN),
            "api_filter": f"{CONTEXT_FILTER.get(report.entity.kind, 'cargo')}="
            + quote(report.curies[0], safe=":"),
        },
    )


@router.get("/cargo/{name}", response_model=None, summary="Cargo page")
def cargo_page(
    request: Request,
    context: Context,
    name: _Name,
    species: Annotated[str, Query(pattern=r"^[a-z]{3}$")] = "hsa",
) -> HTMLResponse:
    return _entity_page(request, context, context.knowledge.cargo(name, species), "Cargo")


@router.get("/gene/{name}", response_model=None, summary="Gene page")
def gene_page(request: Request, context: Context, name: _Name) -> HTMLResponse:
    return _entity_page(request, context, context.knowledge.gene(name), "Gene")


@router.get("/entity/{name}", response_model=None, summary="Any entity's page")
def entity_page(request: Request, context: Context, name: _Name) -> Response:
    """EV sources, modifications, pathways, models, routes…; diseases redirect to their
    disease page."""
    report = entity_report(context.knowledge, name)
    if report.entity.kind.value == "disease":
        return RedirectResponse(entity_url(report.entity.id, "disease"), status_code=307)
    what = report.entity.kind.value.replace("_", " ").capitalize()
    return _entity_page(request, context, report, what)


@router.get("/reference/{identifier:path}", response_model=None, summary="Reference page")
def reference_page(
    request: Request,
    context: Context,
    identifier: Annotated[str, Path(min_length=1, max_length=300)],
) -> HTMLResponse:
    found, claims = context.knowledge.reference(identifier)
    return render(
        request,
        context,
        "reference.html",
        {
            "title": found.citation(),
            "reference": reference_out(found),
            "rows": [claim_out(c, context.labels) for c in claims],
        },
    )
