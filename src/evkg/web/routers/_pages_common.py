"""Shared helpers of the explorer pages: rendering and links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from evkg.web.deps import WebContext
from evkg.web.network import entity_url

__all__ = ["link_for_curie", "render", "url_for_curie"]


def url_for_curie(context: WebContext) -> Callable[[str], str]:
    """A function templates call to link any identifier to its page."""

    known: dict[str, str] = {}  # one page links the same identifiers many times

    def url(curie: str) -> str:
        found = known.get(curie)
        if found is None:
            if curie.startswith(("evkg.ref:", "pubmed:", "doi:")):
                found = entity_url(curie, "reference")
            else:
                found = entity_url(curie, context.labels.kind(curie))
            known[curie] = found
        return found

    return url


def link_for_curie(
    context: WebContext, url: Callable[[str], str]
) -> Callable[[str | None], Markup]:
    """A function templates call for a link to an identifier's page, labelled; each
    identifier is escaped and looked up once per page."""
    known: dict[str, Markup] = {}

    def link(curie: str | None) -> Markup:
        if not curie:
            return Markup("")
        found = known.get(curie)
        if found is None:
            found = Markup('<a href="{}" title="{}">{}</a>').format(
                url(curie), curie, context.labels.label(curie)
            )
            known[curie] = found
        return found

    return link


def render(
    request: Request, context: WebContext, template: str, values: dict[str, Any]
) -> HTMLResponse:
    url = url_for_curie(context)
    values = {
        "url": url,
        "link": link_for_curie(context, url),
        "label": context.labels.label,
        "citation": context.labels.citation,
        "reference_of": context.labels.reference,
        "read_only": context.read_only,
        "has_analysis": "analysis" in context.extras,
        **values,
    }
    response: HTMLResponse = context.templates.TemplateResponse(request, template, values)
    return response
