"""Paging of claim listings (pages 25 claims at a time, and the API's offsets), bounded in
depth: an offset walks the ordered index from its start, so the deepest offset is capped
(:attr:`~evkg.web.deps.Limits.max_offset`) and a deeper request gets a clear 400."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from evkg.store import ClaimCount
from evkg.web.deps import WebContext
from evkg.web.errors import ProblemError

__all__ = ["PAGE_SIZE", "check_offset", "check_page", "pager"]

#: Claims per page of every explorer page's claim table.
PAGE_SIZE = 25


def check_offset(context: WebContext, offset: int) -> None:
    """A 400 for an offset deeper than the server pages."""
    deepest = context.limits.max_offset
    if offset > deepest:
        raise ProblemError(
            400,
            f"offset {offset:,} is deeper than this server pages (at most {deepest:,}): "
            "narrow the filters (disease, cargo, level, outcome…) to reach later claims",
        )


def check_page(context: WebContext, page: int, size: int = PAGE_SIZE) -> int:
    """The offset of page ``page`` (from 1), or a 400 past the deepest page served."""
    last = context.limits.max_offset // size + 1
    if page > last:
        raise ProblemError(
            400,
            f"page {page:,} is deeper than this server pages (at most page {last:,} of "
            f"{size} claims): narrow the filters to reach later claims",
        )
    return (page - 1) * size


def pager(
    page: int, has_next: bool, count: ClaimCount, params: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Template values of a claim table's pager: the count, the page, links to the
    previous, first and next pages (``params`` kept in each link)."""
    kept = dict(params or {})

    def link(number: int) -> str:
        return "?" + urlencode({**kept, "page": number})

    pages = max(1, -(-count.total // PAGE_SIZE))
    return {
        "total": count.total,
        "total_is_lower_bound": count.is_lower_bound,
        "page": page,
        "pages": None if count.is_lower_bound else pages,
        "prev_link": link(page - 1) if page > 1 else None,
        "first_link": link(1),
        "next_link": link(page + 1) if has_next else None,
    }
