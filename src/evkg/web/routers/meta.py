"""``/api/health`` and the human-readable API reference at ``/api-docs`` (no CDN)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from evkg import __version__
from evkg.api.responses import HealthOut
from evkg.web.deps import Context

__all__ = ["router"]

router = APIRouter(tags=["meta"])


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
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tags": operation.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
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
