"""Shared helpers of the explorer pages: rendering and links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from evkg.web.deps import WebContext
from evkg.web.network import entity_url

__all__ = ["render", "url_for_curie"]


def url_for_curie(context: WebContext) -> Callable[[str], str]:
    """A function templates call to link any identifier to its page."""

    def url(curie: str) -> str:
        if curie.startswith(("evkg.ref:", "pubmed:", "doi:")):
            return entity_url(curie, "reference")
        return entity_url(curie, context.labels.kind(curie))

    return url


def render(
    request: Request, context: WebContext, template: str, values: dict[str, Any]
) -> HTMLResponse:
    values = {
        "url": url_for_curie(context),
        "label": context.labels.label,
        "citation": context.labels.citation,
        "read_only": context.read_only,
        "has_analysis": "analysis" in context.extras,
        **values,
    }
    response: HTMLResponse = context.templates.TemplateResponse(request, template, values)
    return response
