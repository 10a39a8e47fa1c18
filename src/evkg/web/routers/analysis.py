"""Cargo analysis of an uploaded file: ``/api/analysis`` (JSON), ``/api/analysis/report``
(the self-contained HTML report) and the explorer's ``/upload`` page."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from evkg.api.responses import AnalysisOut
from evkg.web._upload import ALLOWED_SUFFIXES, UploadOptions, preparations, run_upload
from evkg.web.deps import Context, WebContext
from evkg.web.routers._pages_common import render

__all__ = ["router"]

router = APIRouter(tags=["analysis"])

#: The report embeds its own styles and SVG plots; nothing else is allowed in.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
_LIMITS: dict[int | str, dict[str, object]] = {
    413: {"description": "Upload over the size or row limit"},
    422: {"description": "Unreadable file, unknown species or no name resolved"},
}

_File = Annotated[UploadFile, File(description="miRNA/protein list, counts table or XLSX")]
_Species = Annotated[
    str, Form(pattern=r"^[a-z]{3}$", description="miRBase species code (hsa, mmu, rno…)")
]
_Column = Annotated[str | None, Form(max_length=200, description="Override the guessed column")]


def _options(species: str, name_column: str | None, abundance_column: str | None) -> UploadOptions:
    return UploadOptions(species, name_column or None, abundance_column or None)


def _report(context: WebContext, request: Request, file: UploadFile, options: UploadOptions
            ) -> HTMLResponse:  # fmt: skip
    from evkg.report.cargo import analysis_report

    uploaded = run_upload(context, file, options)
    html = uploaded.hide_path(analysis_report(uploaded.analysis))
    back = '<p><a href="/upload">← analyse another file</a> · <a href="/">evkg explorer</a></p>'
    html = html.replace("<body>", "<body>\n" + back, 1)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": REPORT_CSP, "Cache-Control": "no-store"}
    )


@router.post("/api/analysis", response_model=AnalysisOut, responses=_LIMITS,
             summary="Analyse a cargo file")  # fmt: skip
def analyse(
    context: Context,
    file: _File,
    species: _Species = "hsa",
    name_column: _Column = None,
    abundance_column: _Column = None,
) -> AnalysisOut:
    """Targets, pathway enrichment, ranked indications and known therapeutic cargo of an
    EV cargo profile, each result with the evidence behind it."""
    uploaded = run_upload(context, file, _options(species, name_column, abundance_column))
    result = json.loads(uploaded.hide_path(json.dumps(uploaded.analysis.to_dict())))
    return AnalysisOut(filename=uploaded.filename, species=species, result=result)


@router.post(
    "/api/analysis/report",
    response_class=HTMLResponse,
    response_model=None,
    responses=_LIMITS,
    summary="Analyse a cargo file: HTML report",
)
def analyse_report(
    context: Context,
    request: Request,
    file: _File,
    species: _Species = "hsa",
    name_column: _Column = None,
    abundance_column: _Column = None,
) -> HTMLResponse:
    """The same analysis as a self-contained HTML report (plots inline, no network)."""
    return _report(context, request, file, _options(species, name_column, abundance_column))


@router.get("/upload", response_class=HTMLResponse, response_model=None, tags=["pages"],
            summary="Upload page")  # fmt: skip
def upload_page(request: Request, context: Context) -> HTMLResponse:
    return render(
        request,
        context,
        "upload.html",
        {"title": "Analyse a cargo profile", "limits": context.limits,
         "suffixes": ", ".join(ALLOWED_SUFFIXES)},
    )  # fmt: skip


@router.post("/upload", response_class=HTMLResponse, response_model=None, tags=["pages"],
             responses=_LIMITS, summary="Upload form target: the report")  # fmt: skip
def upload_submit(
    request: Request,
    context: Context,
    file: _File,
    species: _Species = "hsa",
    name_column: _Column = None,
    abundance_column: _Column = None,
) -> HTMLResponse:
    return _report(context, request, file, _options(species, name_column, abundance_column))


class PreparationOut(BaseModel):
    """Where the reference data of one species stands."""

    species: str = Field(description="miRBase species code")
    state: Literal["preparing", "ready", "failed"]
    seconds: float = Field(description="Since preparation started, or how long it took")
    message: str | None = Field(default=None, description="Why it failed")


class AnalysisStatusOut(BaseModel):
    """Reference data prepared (or being prepared) for cargo analysis, per species."""

    species: list[PreparationOut]


@router.get("/api/analysis/status", response_model=AnalysisStatusOut,
            summary="Whether cargo analysis is ready")  # fmt: skip
def analysis_status(context: Context) -> AnalysisStatusOut:
    """The first analysis of a species on a new server prepares its reference data in the
    background (about a minute); until it is ready an analysis answers 503 with
    Retry-After. This lists each species asked for so far: preparing, ready or failed."""
    return AnalysisStatusOut(
        species=[
            PreparationOut(species=s.species, state=s.state, seconds=s.seconds, message=s.message)
            for s in preparations(context).status()
        ]
    )
