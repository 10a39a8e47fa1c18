"""``/api/health``, the API reference (Swagger UI at ``/docs``, a plain endpoint list at
``/api-docs``) and the favicon. Nothing is loaded from outside the server: Swagger UI's
files come from the ``fastapi-offline`` package, mounted at ``/docs/assets``."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from markupsafe import Markup, escape

from evkg import __version__
from evkg.api.responses import HealthOut
from evkg.web.deps import Context

__all__ = ["router"]

router = APIRouter(tags=["meta"])

_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def inline_code(text: str) -> Markup:
    """Escaped text with ```code``` and ``code`` spans as ``<code>``.

    >>> str(inline_code("pass ``limit`` or `<n>`"))
    'pass <code>limit</code> or <code>&lt;n&gt;</code>'
    """
    out, last = [], 0
    for match in _CODE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<code>{}</code>").format(match.group(1) or match.group(2)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@router.get("/docs", response_class=HTMLResponse, response_model=None, include_in_schema=False)
def swagger_ui(request: Request, context: Context) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, from files this server holds."""
    response: HTMLResponse = context.templates.TemplateResponse(request, "swagger.html", {})
    return response


@router.get("/favicon.ico", response_class=FileResponse, include_in_schema=False)
def favicon() -> FileResponse:
    path = resources.files("evkg.web") / "static" / "favicon.svg"
    return FileResponse(str(path), media_type="image/svg+xml")


@router.get("/api/health", response_model=HealthOut, summary="Liveness and mode")
def health(context: Context) -> HealthOut:
    return HealthOut(status="ok", version=__version__, read_only=context.read_only)


@router.get("/api-docs", response_class=HTMLResponse, response_model=None, include_in_schema=False)
def api_docs(request: Request, context: Context) -> HTMLResponse:
    """Every endpoint of the OpenAPI schema, with its parameters, as a plain page."""
    schema: dict[str, Any] = request.app.openapi()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": inline_code(operation.get("summary", "")),
                    "description": inline_code(operation.get("description", "")),
                    "tags": operation.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": inline_code(p.get("description", "")),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    response: HTMLResponse = context.templates.TemplateResponse(
        request,
        "api_docs.html",
        {"endpoints": endpoints, "read_only": context.read_only, "title": "REST API"},
    )
    return response
