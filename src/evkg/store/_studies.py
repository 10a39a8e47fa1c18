"""Reading and writing study records (one row per study, its record kept whole as JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from evkg.model import StudyRecord
from evkg.store import _rows, _write
from evkg.store import schema as t
from evkg.store.protocol import StudyFilter

__all__ = ["count_studies", "read_studies", "write_studies"]

#: Studies one listing returns at most (a disease group of the curated knowledge holds fewer).
MAX_STUDIES = 2_000


def write_studies(connection: Connection, studies: Sequence[StudyRecord]) -> int:
    """Store studies, replacing a stored record of the same id (a corrected curation);
    return how many ids were new. Only the batch's ids are read."""
    rows = {study.id: _rows.study_row(study) for study in studies}
    stored: set[str] = set()
    ids = sorted(rows)
    for start in range(0, len(ids), _write.KEYS):
        keys = ids[start : start + _write.KEYS]
        stored |= set(
            connection.execute(select(t.studies.c.id).where(t.studies.c.id.in_(keys))).scalars()
        )
    for key in sorted(stored):
        connection.execute(t.studies.update().where(t.studies.c.id == key).values(**rows[key]))
    return _write.insert_ignore(
        connection, t.studies, [r for k, r in rows.items() if k not in stored]
    )


def _where(where: StudyFilter) -> list[Any]:
    c = t.studies.c
    clauses: list[Any] = []
    if where.diseases:
        clauses.append(c.disease.in_(sorted(set(where.diseases))))
    for column, value in (
        (c.model_species, where.model_species),
        (c.route, where.route),
        (c.ev_source, where.ev_source),
        (c.design, where.design),
        (c.outcome, where.outcome),
    ):
        if value is not None:
            clauses.append(column == value)
    return clauses


def read_studies(
    connection: Connection, where: StudyFilter, limit: int = MAX_STUDIES
) -> list[StudyRecord]:
    """Studies matching ``where``, newest first, at most ``limit``."""
    query = (
        select(t.studies.c.record)
        .where(*_where(where))
        .order_by(t.studies.c.year.desc().nulls_last(), t.studies.c.id)
        .limit(limit)
    )
    return [_rows.study_from_row({"record": r}) for r in connection.execute(query).scalars()]


def count_studies(connection: Connection, where: StudyFilter | None = None) -> int:
    query = select(func.count()).select_from(t.studies)
    if where is not None:
        query = query.where(*_where(where))
    return int(connection.execute(query).scalar_one())
