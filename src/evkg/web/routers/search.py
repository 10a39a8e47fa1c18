"""``/api/search``: any entity by name, synonym or identifier, for autocomplete too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from evkg.web.deps import Context
from evkg.web.network import entity_url
from evkg.web.schemas import SearchHit, SearchOut

__all__ = ["router", "search_hits"]

router = APIRouter(prefix="/api", tags=["search"])


def search_hits(context: Context, text: str, limit: int) -> list[SearchHit]:
    """Search results with claim counts and explorer links (shared with the pages)."""
    if not text.strip():
        return []
    return [
        SearchHit(
            curies=list(match.curies),
            curie=match.curie,
            kind=match.kind.value,
            label=match.label,
            matched_text=match.matched_text,
            score=round(match.score, 3),
            how=match.how,
            flags=list(match.flags),
            n_claims=n_claims,
            url=entity_url(match.curie, match.kind.value),
        )
        for match, n_claims in context.knowledge.search(text, limit=limit)
    ]


@router.get("/search", response_model=SearchOut, summary="Find entities (autocomplete)")
def search(
    context: Context,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name or identifier")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchOut:
    """Exact matches first (identifier, label, synonym, miRNA grammar), then fuzzy ones,
    each with the number of stored claims that mention it."""
    return SearchOut(query=q, hits=search_hits(context, q, limit))
