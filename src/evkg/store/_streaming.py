"""The reading half of :class:`~evkg.store.SqlStore` that exports use: claims streamed in
batches (one cursor over the matching rows, each batch's evidence and chains read for that
batch only), the labels and references of a batch in one query each, the entities at either
end of the matching claims and the references they cite, all without holding the store in
memory."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, union

from evkg.model import Entity, Reference
from evkg.store import _engine, _query, _rows
from evkg.store import schema as t
from evkg.store.protocol import ClaimFilter, StoredClaim

__all__ = ["ClaimEnd", "StoreStreaming"]

#: Rows hydrated together: their evidence and chains are read with one ``IN`` each.
EXPORT_BATCH = 1000
#: SQLite page cache of a streaming read (KiB): a scan reads each page once, so the large
#: cache and memory map that serve pages repeatedly would only grow the resident memory.
_STREAM_CACHE_KIB = 16 * 1024
#: Identifiers per ``IN`` list when looking up labels or references.
_LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class ClaimEnd:
    """An identifier at either end of an exported claim, with its stored entity if any."""

    curie: str
    entity: Entity | None


class StoreStreaming:
    """Streaming reads over the connections of the store they are mixed into."""

    def _connect(self) -> Connection:
        raise NotImplementedError

    def _filtered(self, where: ClaimFilter) -> Any:
        raise NotImplementedError

    @contextmanager
    def _streaming_connection(self) -> Iterator[Connection]:
        """A connection for one long scan: on SQLite without the memory map (whose pages
        count as resident memory) and with a small page cache, both restored afterwards
        for the pool's next user."""
        with self._connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                connection.exec_driver_sql("PRAGMA mmap_size=0")
                connection.exec_driver_sql(f"PRAGMA cache_size=-{_STREAM_CACHE_KIB}")
            try:
                yield connection
            finally:
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA mmap_size={_engine.SQLITE_MMAP_BYTES}")
                    connection.exec_driver_sql(f"PRAGMA cache_size=-{_engine.SQLITE_CACHE_KIB}")

    def claim_batches(
        self, where: ClaimFilter, *, batch_size: int = EXPORT_BATCH
    ) -> Iterator[list[StoredClaim]]:
        """The claims matching ``where`` in rank order, ``batch_size`` at a time, read
        through one streaming cursor: memory holds one batch, whatever the store's size."""
        query = self._filtered(where).order_by(*_query.RANK_ORDER)
        with self._streaming_connection() as connection:
            result = (
                connection.execution_options(stream_results=True, yield_per=batch_size)
                .execute(query)
                .mappings()
            )
            for rows in result.partitions(batch_size):
                yield _rows.hydrate(connection, rows)

    def labels_of(self, curies: Collection[str]) -> dict[str, str]:
        """Stored label of each of ``curies`` that is a stored entity (one query per 900)."""
        wanted = sorted(set(curies))
        found: dict[str, str] = {}
        with self._connect() as connection:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                query = select(t.entities.c.curie, t.entities.c.label).where(
                    t.entities.c.curie.in_(chunk)
                )
                found.update((curie, label) for curie, label in connection.execute(query))
        return found

    def references_of(self, curies: Collection[str]) -> dict[str, Reference]:
        """The stored references among ``curies`` (one query per 900)."""
        wanted = sorted(set(curies))
        found: dict[str, Reference] = {}
        with self._connect() as connection:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                query = select(t.references).where(t.references.c.curie.in_(chunk))
                for row in connection.execute(query).mappings():
                    reference = _rows.reference_from_row(row)
                    found[reference.id] = reference
        return found

    def claim_ends(self, where: ClaimFilter) -> Iterator[ClaimEnd]:
        """Every identifier that is the subject or object of a claim matching ``where``,
        once, sorted, with its stored entity (``None`` when it is not a stored entity)."""
        matching = self._filtered(where)
        ends = union(
            matching.with_only_columns(t.claims.c.subject.label("curie")),
            matching.with_only_columns(t.claims.c.object.label("curie")),
        ).subquery("ends")
        query = (
            select(ends.c.curie.label("end_curie"), t.entities)
            .select_from(ends.outerjoin(t.entities, t.entities.c.curie == ends.c.curie))
            .order_by(ends.c.curie)
        )
        with self._streaming_connection() as connection:
            result = connection.execution_options(stream_results=True, yield_per=2000)
            for row in result.execute(query).mappings():
                stored = _rows.entity_from_row(row) if row["curie"] is not None else None
                yield ClaimEnd(row["end_curie"], stored)

    def cited_references(self, where: ClaimFilter) -> Iterator[Reference]:
        """The references cited by the visible evidence of claims matching ``where``, once
        each, sorted by identifier, read through one streaming cursor."""
        matching = self._filtered(where).with_only_columns(t.claims.c.hash)
        cited = (
            select(t.evidence.c.reference)
            .where(
                t.evidence.c.claim_hash.in_(matching),
                t.evidence.c.review_status != "rejected",
            )
            .distinct()
        )
        query = (
            select(t.references)
            .where(t.references.c.curie.in_(cited))
            .order_by(t.references.c.curie)
        )
        with self._streaming_connection() as connection:
            result = connection.execution_options(stream_results=True, yield_per=1000)
            for row in result.execute(query).mappings():
                yield _rows.reference_from_row(row)
