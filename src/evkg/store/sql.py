"""The SQL implementation of :class:`~evkg.store.protocol.Store` (SQLite or PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Text,
    event,
    inspect,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)

from evkg.model import Entity, Evidence, Reference, ReviewPlacement, StudyRecord
from evkg.store import (
    _contradictions,
    _engine,
    _integrity,
    _placements,
    _query,
    _references,
    _review,
    _rows,
    _studies,
    _support_check,
    _tallies,
    _write,
)
from evkg.store import schema as t
from evkg.store._counted import StoreCounts
from evkg.store._integrity import StoreError, redact_url
from evkg.store._review import REVIEW_STATUSES
from evkg.store._streaming import StoreStreaming
from evkg.store.protocol import (
    Chain,
    ClaimCount,
    ClaimFilter,
    ClaimSketch,
    Contradiction,
    LoadBundle,
    LoadReport,
    StoredClaim,
    StudyFilter,
)

__all__ = ["REVIEW_STATUSES", "SqlStore", "StoreError", "redact_url"]

#: Attempts of a load that PostgreSQL aborts to break a deadlock with another writer.
_LOAD_ATTEMPTS = 5
#: Seconds a SQLite writer waits for another one to finish (a curated load takes seconds).
_SQLITE_BUSY_SECONDS = 120

_BATCH = 1000
#: Seconds a disease's descendants are reused: the hierarchy only changes with a load
#: (which clears it in this process), and a load by another process shows within this.
_HIERARCHY_TTL = 30.0


def _chunks(items: Sequence[Any], size: int = _BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlStore(StoreCounts, StoreStreaming):
    """Evidence graph in a SQL database, addressed by a SQLAlchemy URL.

    ``origin`` says where the URL came from (e.g. ``environment variable
    EVKG_DATABASE_URL``) so that connection errors tell the user what to fix.
    """

    def __init__(self, url: str, *, origin: str = "argument", echo: bool = False) -> None:
        self.url = url
        self.origin = origin
        self.sqlite_file = _integrity.sqlite_file(url)
        self.engine = self._create_engine(url, echo)
        self._header_checked = False
        self._hierarchy: dict[str, tuple[float, frozenset[str]]] = {}
        self._hierarchy_lock = threading.Lock()

    # -- connection -----------------------------------------------------------------------
    def _fail(self, problem: str) -> StoreError:
        if "database is locked" in problem:
            return StoreError(
                f"database {redact_url(self.url)} stayed locked by another evkg process for "
                f"{_SQLITE_BUSY_SECONDS} s (a long load or mining run); try again when it ends"
            )
        return StoreError(
            f"cannot use database {redact_url(self.url)} (from {self.origin}): {problem}. "
            "Fix the URL, e.g. sqlite:///path/evkg.sqlite or "
            "postgresql+psycopg://user:password@host/dbname, via --database-url or "
            "EVKG_DATABASE_URL."
        )

    def _create_engine(self, url: str, echo: bool) -> Engine:
        try:
            engine = _engine.create(url, echo, busy_seconds=_SQLITE_BUSY_SECONDS)
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise self._fail(f"not a usable database URL ({error})") from error
        except OSError as error:
            raise self._fail(f"cannot create its folder ({error.strerror})") from error
        if engine.dialect.name not in {"sqlite", "postgresql"}:
            raise self._fail(f"unsupported database kind {engine.dialect.name!r}")
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "handle_error")
            def _damaged(context: Any) -> None:
                if self.sqlite_file and _integrity.is_damage(context.original_exception):
                    raise self._damaged(str(context.original_exception))

        return engine

    def _damaged(self, problem: str) -> StoreError:
        assert self.sqlite_file is not None
        return _integrity.damaged_store_error(self.sqlite_file, problem)

    def _check_header(self) -> None:
        """The cheap check at first use: a foreign, overwritten or truncated file."""
        if self.sqlite_file is not None and not self._header_checked:
            problem = _integrity.header_problem(self.sqlite_file)
            if problem:
                raise self._damaged(problem)
            self._header_checked = True

    def _connect(self) -> Connection:
        self._check_header()
        try:
            return self.engine.connect()
        except DatabaseError as error:
            raise self._fail(str(error.orig).strip().splitlines()[0]) from error

    def _write_transaction(self) -> Any:
        """A writing transaction (exclusive at once on SQLite)."""
        self._check_header()
        return _integrity.write_transaction(self.engine)

    # -- schema ---------------------------------------------------------------------------
    def initialise(self, *, check: bool | None = None) -> None:
        """Migrate the schema to the current version, refusing a damaged SQLite file.
        ``check``: run ``PRAGMA quick_check`` (default: for files up to
        :data:`~evkg.store._integrity.QUICK_CHECK_AT_OPEN_BYTES`). Safe when several
        processes set up one new store at once: one migrates, the others wait and find it
        done."""
        from evkg.store.migrate import is_current, upgrade

        if check is None:
            check = _integrity.cheap_to_check(self.sqlite_file)
        if check:
            problems = self.check_integrity()
            if problems:
                raise self._damaged("; ".join(problems[:5]))
        try:
            with self._connect() as connection:
                if is_current(connection) and _tallies.is_complete(connection):
                    return
            with self._write_transaction() as connection:
                _integrity.lock(connection, "schema")
                if not is_current(connection):  # another process may have just done it
                    upgrade(connection)
                if not _tallies.is_complete(connection):  # once, after the migration
                    _tallies.rebuild(connection)
        except StoreError:
            raise
        except OperationalError as error:
            raise self._fail(str(error.orig).strip().splitlines()[0]) from error

    def check_support(self, *, repair: bool = False) -> _support_check.SupportCheck:
        """Whether every claim's derived support (evidence and study counts, strength,
        confidence, latest year) matches its evidence; ``repair`` rewrites those that
        differ (safe beside running writers)."""
        return _support_check.check_support(self._connect, self._write_transaction, repair=repair)

    def check_integrity(self) -> list[str]:
        """Damage SQLite finds in the file (``PRAGMA quick_check``); empty when whole, and
        always for PostgreSQL, which checks its own pages."""
        if self.sqlite_file is None:
            return []
        self._check_header()
        with self.engine.connect() as connection:
            return _integrity.quick_check(connection)

    def is_current(self) -> bool:
        """Whether the schema is at the newest revision."""
        from evkg.store.migrate import is_current

        with self._connect() as connection:
            return is_current(connection)

    def is_initialised(self) -> bool:
        with self._connect() as connection:
            return inspect(connection).has_table("claims")

    # -- writing --------------------------------------------------------------------------
    def _insert_ignore(
        self, connection: Connection, table: Any, rows: list[dict[str, Any]], *, count: bool = True
    ) -> int:
        """Insert rows, skipping primary-key conflicts; return how many keys were new."""
        return _write.insert_ignore(connection, table, rows, count=count)

    def load(self, bundle: LoadBundle) -> LoadReport:
        """Write ``bundle`` in one transaction; existing rows are kept, so a re-run adds nothing.

        Any failure rolls the whole load back.
        """
        skipped = LoadReport(bundle.dataset, 0, 0, 0, 0, skipped=True)
        if self.dataset_fingerprint(bundle.dataset) == bundle.fingerprint:
            return skipped
        try:
            for attempt in range(_LOAD_ATTEMPTS):
                try:
                    with self._write_transaction() as connection:
                        # a second process loading this dataset waits here, then finds it done
                        _integrity.lock(connection, f"dataset:{bundle.dataset}")
                        if _rows.fingerprint_of(connection, bundle.dataset) == bundle.fingerprint:
                            return skipped
                        # the counts kept on write follow the load in its transaction
                        with _tallies.tracking(connection, _tallies.touched_by(bundle)):
                            return self._write(connection, bundle)
                except OperationalError as error:  # a deadlock between concurrent writers
                    if not _integrity.is_transient(error) or attempt + 1 == _LOAD_ATTEMPTS:
                        raise
                    time.sleep(0.05 * 2**attempt)
            raise AssertionError("unreachable: the last attempt returns or raises")
        except SQLAlchemyError as error:
            message = f"load of {bundle.dataset!r} failed and was rolled back: {error}"
            raise StoreError(message) from error
        finally:
            with self._hierarchy_lock:  # the load may have added is_a links
                self._hierarchy.clear()

    def _write(self, connection: Connection, bundle: LoadBundle) -> LoadReport:
        new_entities = self._insert_ignore(
            connection, t.entities, [_rows.entity_row(e) for e in bundle.entities]
        )
        new_references = _write.upsert_references(
            connection, [_rows.reference_row(r) for r in bundle.references]
        )
        self._insert_ignore(
            connection,
            t.entity_parents,
            [{"child": c, "parent": p} for c, p in sorted(set(bundle.parents))],
            count=False,
        )
        claims = list(bundle.assembly.claims.values())
        placeholder = {
            "n_evidence": 0,
            "n_references": 0,
            "best_level": "review_statement",
            "strength": "review_statement",
            "strength_rank": 0,
            "confidence": 0.0,
            "latest_year": None,
        }
        new_claims = self._insert_ignore(
            connection, t.claims, [_rows.claim_row(c.claim) | placeholder for c in claims]
        )
        self._insert_ignore(
            connection,
            t.claim_modifications,
            [
                {"claim_hash": c.hash, "modification": m}
                for c in claims
                for m in c.claim.context.modifications
            ],
            count=False,
        )
        self._insert_ignore(
            connection,
            t.chain_claims,
            [{"chain": chain, "claim_hash": c.hash} for c in claims for chain in sorted(c.chains)],
            count=False,
        )
        new_evidence = self._insert_ignore(
            connection,
            t.evidence,
            [
                _rows.evidence_row(e, "accepted" if e.method.value == "curated" else "pending")
                for c in claims
                for e in c.evidence.values()
            ],
        )
        self._refresh_support(connection, [c.hash for c in claims])
        _studies.write_studies(connection, bundle.studies)
        _placements.write_placements(connection, bundle.placements)
        dataset_row = {
            "name": bundle.dataset,
            "fingerprint": bundle.fingerprint,
            "loaded_at": datetime.now(UTC),
            "n_claims": len(claims),
            "n_evidence": bundle.assembly.n_evidence,
        }
        connection.execute(t.datasets.delete().where(t.datasets.c.name == bundle.dataset))
        connection.execute(t.datasets.insert(), dataset_row)
        return LoadReport(bundle.dataset, new_claims, new_evidence, new_entities, new_references)

    def _refresh_support(self, connection: Connection, hashes: Sequence[str]) -> None:
        """Recompute the derived support columns of claims from their accepted evidence."""
        _write.refresh_support(connection, hashes)

    # -- reading --------------------------------------------------------------------------
    def dataset_fingerprint(self, dataset: str) -> str | None:
        with self._connect() as connection:
            if not inspect(connection).has_table("datasets"):
                return None
            return _rows.fingerprint_of(connection, dataset)

    def entity(self, curie: str) -> Entity | None:
        with self._connect() as connection:
            row = (
                connection.execute(select(t.entities).where(t.entities.c.curie == curie))
                .mappings()
                .first()
            )
        return _rows.entity_from_row(row) if row else None

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        query = select(t.entities).order_by(t.entities.c.curie)
        if kind is not None:
            query = query.where(t.entities.c.kind == kind)
        with self._connect() as connection:
            rows = connection.execute(query).mappings().all()
        return (_rows.entity_from_row(row) for row in rows)

    def reference(self, curie: str) -> Reference | None:
        with self._connect() as connection:
            row = (
                connection.execute(select(t.references).where(t.references.c.curie == curie))
                .mappings()
                .first()
            )
        return _rows.reference_from_row(row) if row else None

    def reference_by_identifier(self, identifier: str) -> Reference | None:
        """The reference with this PMID, DOI (any case) or PMCID, through their indexes."""
        with self._connect() as connection:
            return _references.by_identifier(connection, identifier)

    def references_named(self, text: str, limit: int = 8) -> list[Reference]:
        """At most ``limit`` references whose title or authors hold ``text`` (suggestions)."""
        with self._connect() as connection:
            return _references.named(connection, text, limit)

    def references_all(self) -> list[Reference]:
        with self._connect() as connection:
            rows = connection.execute(select(t.references).order_by(t.references.c.curie))
            return [_rows.reference_from_row(row) for row in rows.mappings()]

    def descendants(self, curie: str) -> set[str]:
        now = time.monotonic()
        cached = self._hierarchy.get(curie)
        if cached is not None and now - cached[0] < _HIERARCHY_TTL:
            return set(cached[1])
        found = self._descendants(curie)
        with self._hierarchy_lock:
            if len(self._hierarchy) > 10_000:
                self._hierarchy.clear()
            self._hierarchy[curie] = (now, frozenset(found))
        return found

    def _descendants(self, curie: str) -> set[str]:
        parents = t.entity_parents
        seed = select(parents.c.child.label("curie")).where(parents.c.parent == curie)
        tree = seed.cte("tree", recursive=True)
        tree = tree.union(select(parents.c.child).where(parents.c.parent == tree.c.curie))
        with self._connect() as connection:
            found = set(connection.execute(select(tree.c.curie)).scalars())
        return found | {curie}

    def _filtered(self, where: ClaimFilter) -> Any:
        diseases = None
        if where.disease is not None and where.include_descendants:
            diseases = sorted(self.descendants(where.disease))
        return select(t.claims).where(
            t.claims.c.n_evidence > 0, *_rows.filter_clauses(where, diseases)
        )

    def _branches(self, where: ClaimFilter) -> list[_query.Branch]:
        diseases = None
        if where.disease is not None and where.include_descendants:
            diseases = sorted(self.descendants(where.disease))
        return _query.branches(where, diseases)

    def claims(
        self, where: ClaimFilter, *, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]:
        if limit is None:
            query = self._filtered(where).order_by(*_query.RANK_ORDER).offset(offset or None)
            with self._connect() as connection:
                rows = connection.execute(query).mappings().all()
                return self._hydrate(connection, rows)
        with self._connect() as connection:
            page = _query.ranked_rows(
                connection, self._branches(where), [t.claims.c.hash], limit, offset
            )
            return self._by_hash(connection, [row[0] for row in page])

    def claim_hashes(
        self, wheres: Sequence[ClaimFilter], *, limit: int, offset: int = 0
    ) -> list[str]:
        parts = [branch for where in wheres for branch in self._branches(where)]
        with self._connect() as connection:
            return _query.union_hashes(connection, parts, limit, offset)

    def _by_hash(self, connection: Connection, hashes: Sequence[str]) -> list[StoredClaim]:
        found: dict[str, Any] = {}
        for chunk in _chunks(list(dict.fromkeys(hashes))):
            query = select(t.claims).where(t.claims.c.hash.in_(chunk), t.claims.c.n_evidence > 0)
            found.update((row["hash"], row) for row in connection.execute(query).mappings())
        return self._hydrate(connection, [found[h] for h in dict.fromkeys(hashes) if h in found])

    def claims_by_hash(
        self, hashes: Sequence[str], known: Mapping[str, StoredClaim] | None = None
    ) -> list[StoredClaim]:
        known = known or {}
        wanted = list(dict.fromkeys(hashes))
        missing = [h for h in wanted if h not in known]
        fetched: dict[str, StoredClaim] = {}
        if missing:
            with self._connect() as connection:
                fetched = {c.hash: c for c in self._by_hash(connection, missing)}
        return [known.get(h) or fetched[h] for h in wanted if h in known or h in fetched]

    def studies(self, where: StudyFilter, limit: int = _studies.MAX_STUDIES) -> list[StudyRecord]:
        """Study records matching ``where`` (newest first, at most ``limit``)."""
        with self._connect() as connection:
            return _studies.read_studies(connection, where, limit)

    def placements(self, diseases: Sequence[str]) -> list[ReviewPlacement]:
        """Claims the curated source lists under any of ``diseases`` but curates elsewhere."""
        with self._connect() as connection:
            return _placements.read_placements(connection, diseases)

    def count_studies(self, where: StudyFilter | None = None) -> int:
        with self._connect() as connection:
            return _studies.count_studies(connection, where)

    def count_claims(self, where: ClaimFilter) -> int:
        with self._connect() as connection:
            return sum(
                int(connection.execute(_query.exact_count(branch)).scalar_one())
                for branch in self._branches(where)
            )

    def count_claims_upto(self, where: ClaimFilter, cap: int) -> ClaimCount:
        total = 0
        with self._connect() as connection:
            for branch in self._branches(where):
                total += int(connection.execute(_query.capped_count(branch, cap)).scalar_one())
                if total > cap:
                    return ClaimCount(cap, is_lower_bound=True)
        return ClaimCount(total)

    def claim_sketches(self, where: ClaimFilter, *, limit: int) -> list[ClaimSketch]:
        c = t.claims.c
        # modifications as stored text: most claims have none, and decoding "[]" per row
        # would cost more than the rest of the row
        raw = type_coerce(c.modifications, Text).label("modifications")
        columns: list[Any] = [c.hash, c.subject, c.predicate, c.object, c.outcome, c.disease]
        columns += [c.ev_source, c.route, c.model, c.strength, raw, c.strength_rank, c.confidence]
        with self._connect() as connection:
            rows = _query.ranked_rows(connection, self._branches(where), columns, limit)
        return [_rows.sketch_from_row(row) for row in rows]

    def diseases_with_claims(self, curie: str) -> set[str]:
        below = sorted(self.descendants(curie))
        c = t.claims.c
        found: set[str] = set()
        with self._connect() as connection:
            for column in (c.disease, c.object):  # one index probe per disease and column
                for value in below:
                    hit = select(column).where(column == value, c.n_evidence > 0).limit(1)
                    if value not in found and connection.execute(hit).first() is not None:
                        found.add(value)
        return found

    def _hydrate(self, connection: Connection, rows: Sequence[Any]) -> list[StoredClaim]:
        return _rows.hydrate(connection, rows)

    def chains(self, where: ClaimFilter) -> list[Chain]:
        matching = self._filtered(where).with_only_columns(t.claims.c.hash).subquery()
        return self._chains(
            select(t.chain_claims.c.chain).where(
                t.chain_claims.c.claim_hash.in_(select(matching.c.hash))
            )
        )

    def chains_for(
        self, hashes: Sequence[str], known: Mapping[str, StoredClaim] | None = None
    ) -> list[Chain]:
        known = known or {}
        cc = t.chain_claims.c
        with self._connect() as connection:
            pairs: list[tuple[str, str]] = []
            for chunk in _chunks(list(dict.fromkeys(hashes))):
                mine = select(cc.chain).where(cc.claim_hash.in_(chunk))
                pairs += [
                    (row.chain, row.claim_hash)
                    for row in connection.execute(
                        select(cc.chain, cc.claim_hash).where(cc.chain.in_(mine))
                    )
                ]
            pairs = list(dict.fromkeys(pairs))
            missing = sorted({h for _, h in pairs if h not in known})
            rows: list[Any] = []
            for chunk in _chunks(missing):
                rows += connection.execute(
                    select(t.claims).where(t.claims.c.hash.in_(chunk))
                ).mappings()
            stored = {**known, **{c.hash: c for c in self._hydrate(connection, rows)}}
        members: dict[str, list[StoredClaim]] = defaultdict(list)
        for chain, claim_hash in pairs:
            if claim_hash in stored:
                members[chain].append(stored[claim_hash])
        return _rows.ordered_chains(members)

    def mechanism_chains(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._connect() as connection:
            for chunk in _chunks(list(dict.fromkeys(hashes))):
                found.update(connection.execute(_query.mechanism_chains(chunk)).scalars())
        return found

    def _chains(self, chain_ids: Any) -> list[Chain]:
        query = (
            select(t.chain_claims.c.chain, t.claims)
            .join(t.claims, t.claims.c.hash == t.chain_claims.c.claim_hash)
            .where(t.chain_claims.c.chain.in_(chain_ids))
        )
        with self._connect() as connection:
            rows = connection.execute(query).mappings().all()
            stored = {c.hash: c for c in self._hydrate(connection, rows)}
        members: dict[str, list[StoredClaim]] = defaultdict(list)
        for row in rows:
            members[row["chain"]].append(stored[row["hash"]])
        return _rows.ordered_chains(members)

    def contradictions(self, where: ClaimFilter) -> list[Contradiction]:
        return _contradictions.among(self.claims(where))

    # -- review of extracted evidence ----------------------------------------------------
    def evidence_for_review(
        self, status: str = "pending", *, limit: int = 100, offset: int = 0
    ) -> list[tuple[str, Evidence, str]]:
        """(evidence hash, evidence, review status) with ``status``, oldest claim first."""
        _review.check_status(status)
        with self._connect() as connection:
            return _review.evidence_with_status(connection, status, limit, offset)

    def set_review_status(self, evidence_hash: str, status: str) -> bool:
        """Accept or reject one piece of evidence; refreshes its claim's support.

        Returns False when no evidence has that hash. Curated evidence cannot be rejected
        here: fix the curated file instead.
        """
        _review.check_status(status)
        with self._write_transaction() as connection:
            claim = connection.execute(
                select(t.evidence.c.claim_hash).where(t.evidence.c.hash == evidence_hash)
            ).scalar()
            if claim is None:
                return False
            with _tallies.tracking(connection, _tallies.Touched(claims={claim})):
                return _review.set_status(connection, evidence_hash, status)

    def execute_sql(self, statement: str) -> list[tuple[Any, ...]]:
        """Run a read-only SQL statement (for diagnostics and tests)."""
        with self._connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement)).all()]

    def dispose(self) -> None:
        self.engine.dispose()
