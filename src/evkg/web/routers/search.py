"""``/api/search``: any entity by name, synonym or identifier, for autocomplete too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from evkg.api.entities import search_answer
from evkg.api.responses import SearchHit, SearchOut
from evkg.web.deps import Context

__all__ = ["router", "search_hits"]

router = APIRouter(prefix="/api", tags=["search"])


def search_hits(context: Context, text: str, limit: int) -> list[SearchHit]:
    """Search results with claim counts and explorer links (shared with the pages)."""
    return list(search_answer(context.knowledge, text, limit=limit).hits)


@router.get("/search", response_model=SearchOut, summary="Find entities (autocomplete)")
def search(
    context: Context,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name or identifier")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchOut:
    """Exact matches first (identifier, label, synonym, miRNA grammar), then fuzzy ones,
    each with the number of stored claims that mention it."""
    return search_answer(context.knowledge, q, limit=limit)
