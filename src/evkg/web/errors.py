"""Errors as answers: JSON for ``/api``, an HTML page elsewhere; never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from evkg.api import UnknownNameError
from evkg.api.curation import InvalidRecordError
from evkg.recordfiles import RecordFileError
from evkg.store import StoreError
from evkg.vocab import Match

__all__ = ["ProblemError", "install_error_handlers", "wants_html"]

_log = logging.getLogger(__name__)


class ProblemError(Exception):
    """An answer other than 200 with a message (and suggestions) for the user."""

    def __init__(
        self,
        status: int,
        detail: str,
        suggestions: Sequence[Match] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.suggestions = status, detail, list(suggestions)
        self.headers = headers


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api") or path == "/openapi.json")


def _suggestions(matches: Sequence[Match]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for match in matches:
        seen.setdefault(
            match.curie, {"curie": match.curie, "label": match.label, "kind": match.kind.value}
        )
    return list(seen.values())[:8]


_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    415: "Unsupported file type",
    422: "Cannot use this input",
    500: "Something went wrong",
    503: "The store is unavailable",
}


def _answer(
    request: Request,
    status: int,
    detail: str,
    suggestions: Sequence[Match] = (),
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    items = _suggestions(suggestions)
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    if wants_html(request) and request.method in {"GET", "HEAD", "POST"}:
        context = request.app.state.evkg
        page: Response = context.templates.TemplateResponse(
            request,
            "error.html",
            {
                "read_only": context.read_only,
                "has_analysis": "analysis" in context.extras,
                "status": status,
                "title": _TITLES.get(status, "Error"),
                "detail": detail,
                "suggestions": items,
            },
            status_code=status,
            headers=all_headers,
        )
        return page
    body: dict[str, Any] = {"detail": detail, "suggestions": items}
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=all_headers)


def _validation_text(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a clear 4xx/5xx answer."""

    @app.exception_handler(ProblemError)
    def _problem(request: Request, error: ProblemError) -> Response:
        return _answer(request, error.status, error.detail, error.suggestions, error.headers)

    @app.exception_handler(UnknownNameError)
    def _unknown(request: Request, error: UnknownNameError) -> Response:
        return _answer(request, 404, str(error), error.suggestions)

    @app.exception_handler(InvalidRecordError)
    def _invalid_record(request: Request, error: InvalidRecordError) -> Response:
        return _answer(request, 422, str(error))

    @app.exception_handler(RecordFileError)
    def _record_file(request: Request, error: RecordFileError) -> Response:
        return _answer(request, 422, str(error))

    @app.exception_handler(StoreError)
    def _store(request: Request, error: StoreError) -> Response:
        _log.error("store error: %s", error)
        return _answer(request, 503, "the evidence store cannot be used right now")

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, error: RequestValidationError) -> Response:
        return _answer(request, 422, _validation_text(error))

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, error: StarletteHTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) else _TITLES.get(error.status_code)
        if error.status_code == 404 and detail == "Not Found":
            detail = f"there is no page at {request.url.path}"
        return _answer(
            request, error.status_code, detail or "error", headers=dict(error.headers or {})
        )

    @app.exception_handler(Exception)
    def _unexpected(request: Request, error: Exception) -> Response:
        _log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return _answer(request, 500, "an unexpected error occurred; it has been logged")
