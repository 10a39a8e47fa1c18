"""What the OpenAPI description says about error answers: the ones the error handlers of
:mod:`evkg.web.errors` actually give, in the shape they give them.

FastAPI documents a 422 of its own shape (``detail`` as a list) and nothing else; evkg answers
every error on ``/api`` with ``{"detail": "...", "suggestions": [...]}`` and elsewhere with
an HTML page. This rewrites each operation's error responses to match: 422 (invalid input)
and 500/503 everywhere, 404 where a path names something, 400 where paging can go too deep
or a body is malformed, 401/403 where a token is needed, 413/415 where a body is read (the
upload cap, file types), 307 where a page redirects. schemathesis checks the server
against this (``tests/test_web_fuzz.py``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["describe_errors"]

_PROBLEM = {
    "title": "Problem",
    "type": "object",
    "description": "An error answer: what is wrong, and names the server suggests instead.",
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "suggestions": {
            "type": "array",
            "title": "Suggestions",
            "items": {
                "type": "object",
                "properties": {
                    "curie": {"type": "string"},
                    "label": {"type": "string"},
                    "kind": {"type": "string"},
                },
                "required": ["curie", "label", "kind"],
            },
        },
    },
    "required": ["detail", "suggestions"],
}
_DESCRIPTIONS = {
    "307": "Redirect to the page of the thing named",
    "400": "A body the server cannot parse, or a page deeper than it serves (narrow the filters)",
    "401": "A valid bearer token is needed",
    "403": "The server is read-only (started without a token)",
    "404": "Nothing of that name or identifier",
    "409": "The request conflicts with what is stored",
    "413": "The request body is larger than the server reads",
    "415": "The uploaded file's type is not one the server reads",
    "422": "The input cannot be used (the message names the field)",
    "500": "An unexpected error (logged on the server)",
    "503": "The evidence store cannot be used right now, or reference data an analysis "
    "needs is still being prepared (see Retry-After)",
}
#: Codes an operation answers beyond those every operation can give, by what it takes.
_PAGING_PARAMETERS = {"offset", "page"}
_REDIRECTING = {"/entity/{name}"}


def _codes(path: str, operation: dict[str, Any]) -> set[str]:
    codes = {"422", "500", "503"}
    names = {p.get("name") for p in operation.get("parameters", [])}
    if "{" in path:
        codes.add("404")
    if names & _PAGING_PARAMETERS:
        codes.add("400")
    if operation.get("security"):
        codes |= {"401", "403", "404", "409"}
    if "requestBody" in operation:
        codes |= {"400", "413", "415"}
    if path in _REDIRECTING:
        codes.add("307")
    return codes


def _error_response(path: str, code: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _DESCRIPTIONS[code]}
    if code == "307":
        return response
    if path.startswith("/api") or path == "/openapi.json":
        response["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    else:
        response["content"] = {"text/html": {"schema": {"type": "string"}}}
    return response


def _rewrite(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = _PROBLEM
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in _codes(path, operation):
                responses[code] = _error_response(path, code)
    return schema


def describe_errors(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI description give the error answers its handlers give."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _rewrite(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
