"""Preparation QC of uploaded records: ``/api/qc`` (JSON), ``/api/qc/report`` (the
self-contained HTML report) and the explorer's ``/qc`` page.

Records, an optional release specification and the instrument exports (or cargo profiles)
the records name come in one multipart request. A record's file references are matched by
file name among the uploaded files only, never on the server's filesystem. Nothing is
stored, so no token is needed.
"""

from __future__ import annotations

import base64
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from evkg.web.deps import Context, WebContext
from evkg.web.errors import ProblemError
from evkg.web.routers._pages_common import render
from evkg.web.routers.analysis import REPORT_CSP
from evkg.web.schemas import QcOut

if TYPE_CHECKING:
    from evkg.api.qc import QcRun, Upload

__all__ = ["MAX_FILES", "MAX_RECORDS", "router"]

router = APIRouter(tags=["qc"])

MAX_RECORDS = 20
MAX_FILES = 40
RECORD_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".csv", ".tsv")
_LIMITS: dict[int | str, dict[str, object]] = {
    413: {"description": "An upload over the size or line limit, or too many files"},
    422: {
        "description": "A malformed record or specification (file, line and field named), a "
        "damaged export, or a file reference to a file that was not uploaded"
    },
}

_Records = Annotated[
    list[UploadFile],
    File(description="Preparation records (YAML or JSON), one lot each; the first is the "
         "reference for lot comparison"),
]  # fmt: skip
_Spec = Annotated[
    UploadFile | None, File(description="Release specification (YAML or JSON), optional")
]
_Files = Annotated[
    list[UploadFile] | None,
    File(description="Files the records name: NanoSight ExperimentSummary CSV, ZetaView "
         "size txt, cargo profiles; matched by file name"),
]  # fmt: skip


def _size(count: int) -> str:
    """
    >>> _size(2_000_000), _size(40)
    ('2.0 MB', '40 bytes')
    """
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count} bytes"


def _read(context: WebContext, upload: UploadFile, what: str) -> Upload:
    """The upload's name and content within the server's size and line limits."""
    limits = context.limits
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name or "the upload"
    content = upload.file.read(limits.max_upload_bytes + 1)
    if len(content) > limits.max_upload_bytes:
        raise ProblemError(
            413, f"{name} is larger than {_size(limits.max_upload_bytes)}, the limit of this server"
        )
    if not content.strip():
        raise ProblemError(422, f"{name} is empty; expected {what}")
    lines = content.count(b"\n") + 1
    if lines > limits.max_upload_rows:
        raise ProblemError(
            413, f"{name} has {lines} lines; this server reads at most {limits.max_upload_rows}"
        )
    return name, content


def _uploads(
    context: WebContext,
    records: list[UploadFile],
    spec: UploadFile | None,
    files: list[UploadFile] | None,
) -> tuple[list[Upload], Upload | None, list[Upload]]:
    records = [r for r in records if r.filename]  # an empty file input sends a nameless part
    files = [f for f in files or [] if f.filename]
    if not records:
        raise ProblemError(422, "upload at least one preparation record (YAML or JSON)")
    if len(records) > MAX_RECORDS or len(files) > MAX_FILES:
        raise ProblemError(
            413, f"at most {MAX_RECORDS} records and {MAX_FILES} other files per request"
        )
    for record in records:
        name = record.filename or ""
        if not name.lower().endswith(RECORD_SUFFIXES):
            raise ProblemError(
                422,
                f"{PurePosixPath(name).name}: a record must be a .yaml, .yml or .json file or "
                "a lot sheet (.xlsx, .csv, .tsv)",
            )
    read_records = [_read(context, r, "a preparation record") for r in records]
    read_spec = _read(context, spec, "a release specification") if spec and spec.filename else None
    read_files = [_read(context, f, "an instrument export") for f in files]
    return read_records, read_spec, read_files


def _run(
    context: WebContext,
    records: list[UploadFile],
    spec: UploadFile | None,
    files: list[UploadFile] | None,
) -> QcRun:
    """QC of the uploads; every problem becomes a 4xx naming file, line and field."""
    from evkg.api.qc import run_qc_uploaded

    read_records, read_spec, read_files = _uploads(context, records, spec, files)
    try:
        return run_qc_uploaded(read_records, read_files, spec=read_spec)
    except RecursionError as error:
        raise ProblemError(422, "a record or specification nests too deeply") from error


def _report(run: QcRun, back: str) -> HTMLResponse:
    from evkg.api.qc import report_html

    html = report_html(run).replace("<body>", "<body>\n" + back, 1)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": REPORT_CSP, "Cache-Control": "no-store"}
    )


def _plot(series: list[tuple[str, Any]], title: str) -> str:
    """A size-distribution plot as a ``data:`` URI (an image, so the site's CSP holds)."""
    from evkg.report.qc import size_plot_svg

    svg = size_plot_svg(series, title=title)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _view(run: QcRun) -> dict[str, Any]:
    from evkg.api.qc import qc_payload

    payload = qc_payload(run)
    usable = [
        (lot.values.id, lot.values.histogram)
        for lot in run.lots
        if lot.values.histogram is not None and sum(lot.values.histogram.weights) > 0
    ]
    plots = {name: _plot([(name, h)], f"{name}: size distribution") for name, h in usable}
    overlay = _plot(usable, "Lots overlaid (number-weighted)") if len(usable) > 1 else None
    from evkg.report.qc import control_chart_svg

    trend = payload.get("trend")
    charts = {
        a["key"]: "data:image/svg+xml;base64,"
        + base64.b64encode(control_chart_svg(a).encode()).decode()
        for a in (trend["attributes"] if trend else [])
    }
    ids = ", ".join(lot["values"]["id"] for lot in payload["lots"])
    return {
        "title": f"QC: {ids}",
        "lots": payload["lots"],
        "pairs": payload["comparisons"],
        "specification": payload["specification"],
        "rules_version": payload["rules_version"],
        "plots": plots,
        "overlay": overlay,
        "trend": trend,
        "charts": charts,
    }


@router.post("/api/qc", response_model=QcOut, responses=_LIMITS,
             summary="Check preparation records")  # fmt: skip
def qc_api(
    context: Context, records: _Records, spec: _Spec = None, files: _Files = None
) -> dict[str, Any]:
    """MISEV-style checklist findings, purity, the release check and the comparison of every
    lot with the first, for uploaded preparation records and the exports they name."""
    from evkg.api.qc import qc_payload

    return qc_payload(_run(context, records, spec, files))


@router.post(
    "/api/qc/report",
    response_class=HTMLResponse,
    response_model=None,
    responses=_LIMITS,
    summary="Check preparation records: HTML report",
)
def qc_api_report(
    context: Context, records: _Records, spec: _Spec = None, files: _Files = None
) -> HTMLResponse:
    """The same QC as a self-contained HTML report (plots inline, no network)."""
    return _report(_run(context, records, spec, files), "")


@router.get("/qc", response_class=HTMLResponse, response_model=None, tags=["pages"],
            summary="Preparation QC page")  # fmt: skip
def qc_page(request: Request, context: Context) -> HTMLResponse:
    return render(
        request,
        context,
        "qc.html",
        {"title": "Check EV preparations", "limits": context.limits,
         "max_records": MAX_RECORDS, "max_files": MAX_FILES, "columns": _form_columns()},
    )  # fmt: skip


def _form_columns() -> list[tuple[str, str, str]]:
    from evkg.api.qc_entry import TEMPLATE_COLUMNS

    return [c for c in TEMPLATE_COLUMNS if not c[0].endswith(".export")]


@router.post("/qc/lot", response_class=HTMLResponse, response_model=None, tags=["pages"],
             responses=_LIMITS, summary="QC of one lot entered in the form")  # fmt: skip
async def qc_submit_lot(request: Request, context: Context) -> HTMLResponse:
    """The form's fields are the lot sheet's columns; every problem names its field.

    Async only to read the form; the QC itself runs in the thread pool."""
    from starlette.concurrency import run_in_threadpool

    from evkg.api.qc_entry import run_qc_form

    form = await request.form(max_files=1, max_fields=500)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("spec")
    spec = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        content = await upload.read(context.limits.max_upload_bytes + 1)
        if len(content) > context.limits.max_upload_bytes:
            raise ProblemError(413, "the specification is larger than this server reads")
        spec = (upload.filename, content)
    run = await run_in_threadpool(run_qc_form, fields, spec)
    return render(request, context, "qc_result.html", _view(run))


@router.post("/qc", response_class=HTMLResponse, response_model=None, tags=["pages"],
             responses=_LIMITS, summary="QC form target: the result page")  # fmt: skip
def qc_submit(
    request: Request, context: Context, records: _Records, spec: _Spec = None,
    files: _Files = None,
) -> HTMLResponse:  # fmt: skip
    return render(request, context, "qc_result.html", _view(_run(context, records, spec, files)))


@router.post("/qc/report", response_class=HTMLResponse, response_model=None, tags=["pages"],
             responses=_LIMITS, summary="QC form target: the HTML report")  # fmt: skip
def qc_submit_report(
    context: Context, records: _Records, spec: _Spec = None, files: _Files = None
) -> HTMLResponse:
    back = '<p><a href="/qc">← check other records</a> · <a href="/">evkg explorer</a></p>'
    return _report(_run(context, records, spec, files), back)
