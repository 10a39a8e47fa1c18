"""``/api/export``: the (filtered) evidence graph as TSV, JSON lines, GraphML or KGX."""

from __future__ import annotations

import io
import tempfile
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import Response

from evkg.export import write_graphml, write_jsonl, write_kgx, write_tsv
from evkg.web._filters import Filters
from evkg.web.deps import Context
from evkg.web.errors import ProblemError

__all__ = ["MAX_EXPORT_CLAIMS", "ExportFormat", "router"]

router = APIRouter(prefix="/api/export", tags=["export"])

#: Larger exports are for ``evkg export`` on the command line, not one HTTP request.
MAX_EXPORT_CLAIMS = 50_000


class ExportFormat(StrEnum):
    TSV = "tsv"
    JSONL = "jsonl"
    GRAPHML = "graphml"
    KGX = "kgx"


_MEDIA = {
    ExportFormat.TSV: ("text/tab-separated-values; charset=utf-8", "evkg-claims.tsv"),
    ExportFormat.JSONL: ("application/x-ndjson", "evkg-claims.jsonl"),
    ExportFormat.GRAPHML: ("application/graphml+xml", "evkg.graphml"),
    ExportFormat.KGX: ("application/zip", "evkg-kgx.zip"),
}


@router.get(
    "/{format}",
    response_model=None,
    summary="Export claims",
    responses={
        200: {
            "content": {
                "text/tab-separated-values": {},
                "application/x-ndjson": {},
                "application/graphml+xml": {},
                "application/zip": {},
            },
            "description": "The export file",
        }
    },
)
def export(
    context: Context,
    format: Annotated[ExportFormat, PathParam(description="tsv, jsonl, graphml or kgx")],
    filters: Filters,
) -> Response:
    """The claims matching the filters (all claims without filters), as a download.
    KGX comes as a zip of ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and
    prefixes, and ``prefixes.json`` (the URI prefix of every prefix used). A JSON line
    validates against ``schema/claim-line.schema.json``."""
    store, labels = context.knowledge.store, context.labels
    total = store.count_claims(filters.where)
    if total > MAX_EXPORT_CLAIMS:
        raise ProblemError(
            413,
            f"{total} claims match; exports over HTTP stop at {MAX_EXPORT_CLAIMS}. Narrow the "
            "filters or run `evkg export` on the server.",
        )
    claims = store.claims(filters.where)
    media, filename = _MEDIA[format]
    if format in (ExportFormat.TSV, ExportFormat.JSONL):
        out = io.StringIO()
        (write_tsv if format == ExportFormat.TSV else write_jsonl)(claims, out, labels.label)
        body = out.getvalue().encode("utf-8")
    else:
        curies = sorted({c for s in claims for c in (s.claim.subject, s.claim.object)})
        entities = [e for e in (store.entity(c) for c in curies) if e is not None]
        with tempfile.TemporaryDirectory(prefix="evkg-export-") as folder:
            if format == ExportFormat.GRAPHML:
                path = Path(folder) / filename
                write_graphml(claims, entities, path)
                body = path.read_bytes()
            else:
                references = {r.id: r for r in store.references_all()}
                files = write_kgx(claims, entities, Path(folder), references)
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in (files.nodes, files.edges, files.prefixes):
                        archive.write(path, path.name)
                body = buffer.getvalue()
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
