"""Review of extracted evidence: listing it by status, accepting or rejecting it."""

from __future__ import annotations

from sqlalchemy import Connection, select

from evkg.model import Evidence
from evkg.store import _rows, _write
from evkg.store import schema as t

__all__ = ["REVIEW_STATUSES", "check_status", "evidence_with_status", "set_status"]

#: Review states of evidence: curated evidence is accepted on load, extracted is pending.
REVIEW_STATUSES = ("pending", "accepted", "rejected")


def check_status(status: str) -> None:
    if status not in REVIEW_STATUSES:
        raise ValueError(f"unknown review status {status!r}; use one of {REVIEW_STATUSES}")


def evidence_with_status(
    connection: Connection, status: str, limit: int, offset: int
) -> list[tuple[str, Evidence, str]]:
    """(evidence hash, evidence, review status) with ``status``, oldest claim first."""
    query = (
        select(t.evidence)
        .where(t.evidence.c.review_status == status)
        .order_by(t.evidence.c.claim_hash, t.evidence.c.hash)
        .limit(limit)
        .offset(offset)
    )
    rows = connection.execute(query).mappings().all()
    return [(row["hash"], _rows.evidence_from_row(row), row["review_status"]) for row in rows]


def set_status(connection: Connection, evidence_hash: str, status: str) -> bool:
    """Set the review status of one piece of extracted evidence and refresh its claim's
    support in the same transaction; False when no evidence has that hash."""
    row = connection.execute(
        select(t.evidence.c.claim_hash, t.evidence.c.method).where(
            t.evidence.c.hash == evidence_hash
        )
    ).first()
    if row is None:
        return False
    if row.method == "curated":
        raise ValueError("curated evidence is changed in its curated file, not reviewed")
    connection.execute(
        t.evidence.update().where(t.evidence.c.hash == evidence_hash).values(review_status=status)
    )
    _write.refresh_support(connection, [row.claim_hash])
    return True
