"""The reading half of :class:`~evkg.store.SqlStore` that exports use: claims streamed in
batches (one cursor over the matching rows, each batch's evidence and chains read for that
batch only), the labels and references of a batch in one query each, the entities at either
end of the matching claims and the references they cite, all without holding the store in
memory.

The TSV, KGX and GraphML exports read claims as :class:`ClaimRow` (the columns they write,
straight from the SQL rows): building claim and evidence models from a row cost about half
of an export's time and nothing those formats write needs them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, String, bindparam, select, type_coerce, union

from evkg.model import Entity, Reference
from evkg.store import _engine, _query, _rows
from evkg.store import schema as t
from evkg.store.protocol import ClaimFilter, StoredClaim

__all__ = ["ClaimEnd", "ClaimRow", "PublicationIds", "StoreStreaming"]

#: Rows hydrated together: their evidence and chains are read with one ``IN`` each.
EXPORT_BATCH = 1000
#: SQLite page cache of a streaming read (KiB): a scan reads each page once, so the large
#: cache and memory map that serve pages repeatedly would only grow the resident memory.
_STREAM_CACHE_KIB = 16 * 1024
#: Identifiers per ``IN`` list when looking up labels or references.
_LOOKUP_CHUNK = 900
#: Claim hashes per ``IN`` list when reading a batch's evidence and chains (a whole batch).
_BATCH_CHUNK = EXPORT_BATCH


@dataclass(frozen=True)
class ClaimEnd:
    """An identifier at either end of an exported claim, with its stored entity if any."""

    curie: str
    entity: Entity | None


class ClaimRow(NamedTuple):
    """A visible claim as the TSV, KGX and GraphML exports write it: the claim's columns as
    stored, the references and quotes of its visible evidence (in evidence-hash order, as
    :class:`~evkg.store.StoredClaim` holds them; each reference once), its chains (sorted)
    and whether every piece of that evidence was curated."""

    hash: str
    subject: str
    predicate: str
    object: str
    outcome: str | None
    disease: str | None
    ev_source: str | None
    modifications: tuple[str, ...]
    cargo_type: str | None
    model: str | None
    species: str | None
    route: str | None
    strength: str
    n_references: int
    confidence: float
    references: tuple[str, ...]
    chains: tuple[str, ...]
    quotes: tuple[str, ...]
    curated: bool

    @property
    def ends(self) -> tuple[str, str]:
        return self.subject, self.object

    @classmethod
    def of(cls, stored: StoredClaim) -> ClaimRow:
        """The row of a claim already read whole (the web's exports)."""
        claim, context = stored.claim, stored.claim.context
        return cls(
            stored.hash, claim.subject, claim.predicate.value, claim.object,
            claim.outcome.value if claim.outcome else None, context.disease, context.ev_source,
            tuple(context.modifications),
            context.cargo_type.value if context.cargo_type else None, context.model,
            context.species, context.route, stored.strength, stored.n_references,
            stored.confidence, stored.references, stored.chains,
            tuple(e.quote for e in stored.evidence),
            all(e.method.value == "curated" for e in stored.evidence),
        )  # fmt: skip


class PublicationIds(NamedTuple):
    """The identifiers of a stored reference that a publication CURIE is made from."""

    pmid: str | None
    doi: str | None
    pmcid: str | None


_c = t.claims.c
#: The claim columns of a :class:`ClaimRow`. The modifications are read as they are stored
#: (JSON text from SQLite, a list from PostgreSQL's driver): most claims have none, and
#: decoding every ``[]`` cost a third of the scan.
_ROW_COLUMNS = (
    _c.hash, _c.subject, _c.predicate, _c.object, _c.outcome, _c.disease, _c.ev_source,
    type_coerce(_c.modifications, String), _c.cargo_type, _c.model, _c.species, _c.route,
    _c.strength, _c.n_references, _c.confidence,
)  # fmt: skip


def _modifications(stored: Any) -> tuple[str, ...]:
    if isinstance(stored, str):
        return () if stored == "[]" else tuple(json.loads(stored))
    return tuple(stored or ())


_ev, _cc = t.evidence.c, t.chain_claims.c
#: The evidence and chains of a batch: statements built once, the hashes bound per batch
#: (an ``IN`` of literal values would build and compile a thousand parameters each time).
_BATCH_EVIDENCE = (
    select(_ev.claim_hash, _ev.reference, _ev.quote, _ev.method)
    .where(_ev.claim_hash.in_(bindparam("hashes", expanding=True)), _ev.review_status != "rejected")
    .order_by(_ev.hash)
)
_BATCH_CHAINS = (
    select(_cc.chain, _cc.claim_hash)
    .where(_cc.claim_hash.in_(bindparam("hashes", expanding=True)))
    .order_by(_cc.chain)
)


_LABELS = select(t.entities.c.curie, t.entities.c.label).where(
    t.entities.c.curie.in_(bindparam("curies", expanding=True))
)
_r = t.references.c
_PUBLICATION_IDS = select(_r.curie, _r.pmid, _r.doi, _r.pmcid).where(
    _r.curie.in_(bindparam("curies", expanding=True))
)


def _claim_rows(connection: Connection, rows: Sequence[Any]) -> list[ClaimRow]:
    """Rows of ``_ROW_COLUMNS`` with their visible evidence and chains (one query each per
    thousand claims)."""
    hashes = [row[0] for row in rows]
    # per claim: its references (once each), quotes and whether all were curated
    references: dict[str, dict[str, None]] = defaultdict(dict)
    quotes: dict[str, list[str]] = defaultdict(list)
    mined: set[str] = set()
    chains: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(hashes), _BATCH_CHUNK):
        chunk = {"hashes": hashes[start : start + _BATCH_CHUNK]}
        for claim_hash, reference, quote, method in connection.execute(
            _BATCH_EVIDENCE, chunk
        ).all():
            references[claim_hash][reference] = None
            quotes[claim_hash].append(quote)
            if method != "curated":
                mined.add(claim_hash)
        for chain, claim_hash in connection.execute(_BATCH_CHAINS, chunk).all():
            chains[claim_hash].append(chain)
    return [
        ClaimRow(
            h, subject, predicate, obj, outcome, disease, source, _modifications(mods),
            cargo_type, model, species, route, strength, n_references, confidence,
            tuple(references[h]), tuple(chains[h]), tuple(quotes[h]), h not in mined,
        )
        for (h, subject, predicate, obj, outcome, disease, source, mods, cargo_type, model,
             species, route, strength, n_references, confidence) in rows
    ]  # fmt: skip


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

    def claim_row_batches(
        self, where: ClaimFilter, *, batch_size: int = EXPORT_BATCH
    ) -> Iterator[list[ClaimRow]]:
        """:meth:`claim_batches` as :class:`ClaimRow`: the same claims in the same order,
        with the columns the TSV, KGX and GraphML exports write and no model built."""
        query = self._filtered(where).with_only_columns(*_ROW_COLUMNS).order_by(*_query.RANK_ORDER)
        with self._streaming_connection() as connection:
            result = connection.execution_options(
                stream_results=True, yield_per=batch_size
            ).execute(query)
            for rows in result.partitions(batch_size):
                yield _claim_rows(connection, rows)

    def labels_of(self, curies: Collection[str]) -> dict[str, str]:
        """Stored label of each of ``curies`` that is a stored entity (one query per 900)."""
        wanted = sorted(set(curies))
        found: dict[str, str] = {}
        with self._connect() as connection:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = {"curies": wanted[start : start + _LOOKUP_CHUNK]}
                found.update(connection.execute(_LABELS, chunk).all())
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

    def publication_ids_of(self, curies: Collection[str]) -> dict[str, PublicationIds]:
        """PubMed, DOI and PMC ids of the stored references among ``curies`` (one query per
        900), without building the references."""
        wanted = sorted(set(curies))
        found: dict[str, PublicationIds] = {}
        with self._connect() as connection:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = {"curies": wanted[start : start + _LOOKUP_CHUNK]}
                for curie, pmid, doi, pmcid in connection.execute(_PUBLICATION_IDS, chunk).all():
                    found[curie] = PublicationIds(pmid, doi, pmcid)
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
