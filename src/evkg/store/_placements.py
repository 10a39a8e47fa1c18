"""Reading and writing review placements: a claim the curated source lists under one
disease and that is curated under another (:class:`~evkg.model.ReviewPlacement`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from evkg.model import ReviewPlacement
from evkg.store import _write
from evkg.store import schema as t

__all__ = ["read_placements", "write_placements"]

#: Placements one listing returns at most (the curated review holds a few dozen).
MAX_PLACEMENTS = 500


def write_placements(connection: Connection, placements: Sequence[ReviewPlacement]) -> None:
    """Store placements; a re-load replaces the stored placements of the same claims (a
    corrected listing or reason), so nothing stale survives. Only the batch's keys are read."""
    table = t.review_placements
    hashes = sorted({p.claim_hash for p in placements})
    for start in range(0, len(hashes), _write.KEYS):
        keys = hashes[start : start + _write.KEYS]
        connection.execute(table.delete().where(table.c.claim_hash.in_(keys)))
    rows = [p.model_dump() for p in placements]
    _write.insert_ignore(connection, table, rows, count=False)


def read_placements(
    connection: Connection, diseases: Sequence[str], limit: int = MAX_PLACEMENTS
) -> list[ReviewPlacement]:
    """Placements under any of ``diseases``, in a stable order, at most ``limit``."""
    if not diseases:
        return []
    table = t.review_placements
    query = (
        select(table)
        .where(table.c.disease.in_(sorted(set(diseases))))
        .order_by(table.c.location, table.c.claim_hash, table.c.disease)
        .limit(limit)
    )
    return [ReviewPlacement(**row) for row in connection.execute(query).mappings()]
