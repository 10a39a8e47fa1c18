"""Curation over REST: mined evidence to review, decisions on it, and new curated claims.

Reading the review queue is open; every write needs the server's token (403 when the
server has none, 401 when it is missing or wrong).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query

from evkg.api._convert import evidence_out
from evkg.api.curation import add_curated_record
from evkg.api.responses import ReviewDecision, ReviewItem, ReviewPage, WriteOut
from evkg.model import CuratedRecord
from evkg.web.deps import Context, Writer
from evkg.web.errors import ProblemError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["curation"])

_AUTH: dict[int | str, dict[str, object]] = {
    401: {"description": "Missing or wrong bearer token"},
    403: {"description": "The server is read-only (no token configured)"},
}


class ReviewStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@router.get("/review", response_model=ReviewPage, summary="Evidence waiting for review")
def review_queue(
    context: Context,
    status: Annotated[ReviewStatus, Query()] = ReviewStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ReviewPage:
    rows = context.knowledge.store.evidence_for_review(status.value, limit=limit, offset=offset)
    return ReviewPage(
        status=status.value,
        limit=limit,
        offset=offset,
        items=[
            ReviewItem(
                hash=evidence_hash,
                status=state,
                claim_hash=item.claim_hash,
                evidence=evidence_out(item, context.labels),
            )
            for evidence_hash, item, state in rows
        ],
    )


@router.post(
    "/review/{evidence_hash}",
    response_model=WriteOut,
    summary="Accept or reject mined evidence",
    responses={**_AUTH, 404: {"description": "No such evidence"}},
)
def review(
    context: Context,
    _writer: Writer,
    evidence_hash: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    decision: ReviewDecision,
) -> WriteOut:
    """Set the review status of one piece of extracted evidence; the claim's support is
    recomputed (a claim whose evidence is all rejected disappears from queries)."""
    try:
        found = context.knowledge.store.set_review_status(evidence_hash, decision.status)
    except ValueError as error:
        raise ProblemError(409, str(error)) from error
    if not found:
        raise ProblemError(404, f"no evidence with hash {evidence_hash}")
    return WriteOut(ok=True, evidence_hash=evidence_hash, message=f"now {decision.status}")


@router.post(
    "/claims",
    response_model=WriteOut,
    status_code=201,
    summary="Add a curated claim",
    responses={**_AUTH, 422: {"description": "Invalid record, unknown identifier or reference"}},
)
def add_claim(context: Context, _writer: Writer, record: CuratedRecord) -> WriteOut:
    """Store one curated record (the format of the curated YAML files, as JSON) in one
    transaction. Identifiers must be known and references already stored. Sending the
    same record again adds nothing."""
    claim_hash, report = add_curated_record(context.knowledge, record)
    context.labels.clear()
    return WriteOut(
        ok=True,
        claim_hash=claim_hash,
        new_claims=report.new_claims,
        new_evidence=report.new_evidence,
        new_entities=report.new_entities,
        skipped=report.skipped,
        message="already stored" if report.skipped else "stored",
    )
