"""One router per resource; ``ALL_ROUTERS`` is what ``create_app`` mounts, in order."""

from __future__ import annotations

from fastapi import APIRouter

from evkg.web.routers import (
    analysis,
    claims,
    diseases,
    entities,
    export,
    meta,
    pages,
    pages_entities,
    qc,
    review,
    search,
)

__all__ = ["ALL_ROUTERS"]

ALL_ROUTERS: tuple[APIRouter, ...] = (
    meta.router,
    search.router,
    diseases.router,
    entities.router,
    claims.router,
    review.router,
    export.router,
    analysis.router,
    qc.router,
    pages.router,
    pages_entities.router,
)
