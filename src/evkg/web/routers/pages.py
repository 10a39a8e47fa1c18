"""Explorer pages: home, search, disease."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from evkg.web._disease_view import disease_view
from evkg.web.deps import Context
from evkg.web.routers._pages_common import render
from evkg.web.routers.search import search_hits

__all__ = ["router"]

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

_Text = Annotated[str | None, Query(max_length=200)]


@router.get("/", response_model=None, summary="Home page with search")
def home(request: Request, context: Context) -> HTMLResponse:
    """Counts stop at the server's cap ("10,000+"): an exact count of a large store reads
    every row (``/api/stats`` gives the exact counts and breakdowns)."""
    totals = context.knowledge.store.totals_upto(context.limits.count_cap)
    return render(
        request,
        context,
        "home.html",
        {"title": "evkg", "totals": totals, "cap": context.limits.count_cap},
    )


@router.get("/search", response_model=None, summary="Search results page")
def search_page(
    request: Request, context: Context, q: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    hits = search_hits(context, q, 30) if q.strip() else []
    return render(
        request, context, "search.html", {"title": f"Search: {q}" if q else "Search", "q": q,
                                          "hits": hits}
    )  # fmt: skip


@router.get("/disease/{name}", response_model=None, summary="Disease page")
def disease_page(
    request: Request,
    context: Context,
    name: Annotated[str, Path(min_length=1, max_length=200)],
    species: _Text = None,
    source: _Text = None,
    route: _Text = None,
    model: _Text = None,
    level: _Text = None,
    outcome: _Text = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Ranked strategies, the mechanism network, and the evidence table with filters."""
    view = disease_view(
        context,
        name,
        {
            "species": species,
            "source": source,
            "route": route,
            "model": model,
            "level": level,
            "outcome": outcome,
        },
        page,
    )
    return render(request, context, "disease.html", view)
