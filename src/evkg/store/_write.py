"""The writing half of a load: inserts that report their new keys, and the refresh of the
derived support columns of claims.

Each costs in proportion to the batch, never to the store: keys are looked up by index
(``IN`` lists of at most :data:`KEYS` keys), and nothing counts or reads a whole table, so a
1,000-claim batch loads as fast into a million-claim store as into an empty one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select

from evkg.assemble import STRENGTH_RANK, SupportItem, claim_support
from evkg.model import EvidenceLevel
from evkg.store import schema as t

__all__ = [
    "KEYS",
    "UNSUPPORTED",
    "computed_support",
    "dialect_insert",
    "insert_ignore",
    "lock_claims",
    "refresh_support",
    "upsert_references",
    "write_support",
    "years_of",
]

#: Keys per ``IN (...)`` lookup: well inside every engine's limit on bound parameters.
KEYS = 500
#: Rows per INSERT (one bound-parameter set per row).
_ROWS = 1000


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dialect_insert(connection: Connection) -> Any:
    """The dialect's ``insert`` (with ``on_conflict_do_nothing``/``_do_update``), imported
    when first written with: a read never loads the PostgreSQL dialect."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_ignore(
    connection: Connection, table: Any, rows: list[dict[str, Any]], *, count: bool = True
) -> int:
    """Insert rows, skipping primary-key conflicts; return how many keys were new.

    The batch's keys are looked up before inserting (an index probe each); rows whose key is
    stored are not sent again. ``count=False`` (tables keyed by several columns, whose new
    rows nobody reports) inserts every row and returns 0. The conflict clause stays, for
    repeated keys within the batch."""
    if not rows:
        return 0
    insert = dialect_insert(connection)
    new = 0
    if count:
        (key,) = table.primary_key.columns
        wanted = list(dict.fromkeys(row[key.name] for row in rows))
        stored: set[Any] = set()
        for keys in _chunks(wanted, KEYS):
            stored.update(connection.execute(select(key).where(key.in_(keys))).scalars())
        new = len(wanted) - len(stored)
        rows = [row for row in rows if row[key.name] not in stored]
    # in key order, so that two writers inserting the same keys wait on each other in the
    # same order and never deadlock
    names = [column.name for column in table.primary_key.columns]
    rows = sorted(rows, key=lambda row: tuple(str(row[name]) for name in names))
    for chunk in _chunks(rows, _ROWS):
        connection.execute(insert(table).on_conflict_do_nothing(), list(chunk))
    return new


def upsert_references(connection: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert new references and bring stored ones up to date (a curated reference gains
    its PMID, DOI or PMCID in a later version); return how many were new. Only the batch's
    keys are read."""
    if not rows:
        return 0
    refs = t.references
    by_key = {row["curie"]: row for row in rows}
    stored: dict[str, dict[str, Any]] = {}
    for keys in _chunks(sorted(by_key), KEYS):
        found = connection.execute(select(refs).where(refs.c.curie.in_(keys))).mappings()
        stored.update((row["curie"], dict(row)) for row in found)
    new = insert_ignore(connection, refs, [r for k, r in by_key.items() if k not in stored])
    for key, row in sorted(by_key.items()):  # in key order: concurrent writers never deadlock
        old = stored.get(key)
        if old is None:
            continue
        changed = {c: v for c, v in row.items() if v is not None and old.get(c) != v}
        if changed:
            connection.execute(refs.update().where(refs.c.curie == key).values(**changed))
    return new


def years_of(connection: Connection, curies: set[str]) -> dict[str, int | None]:
    """Publication years of these references (those stored), looked up by key."""
    years: dict[str, int | None] = {}
    refs = t.references.c
    for keys in _chunks(sorted(curies), KEYS):
        found = connection.execute(select(refs.curie, refs.year).where(refs.curie.in_(keys)))
        years.update((curie, year) for curie, year in found)
    return years


def lock_claims(connection: Connection, hashes: Sequence[str]) -> None:
    """Lock these claim rows until the transaction ends, in hash order (PostgreSQL; a SQLite
    write transaction is exclusive already). A writer that then reads the claims' evidence
    sees every piece committed by writers before it, so derived counts never lose one."""
    if connection.dialect.name != "postgresql":
        return
    claims = t.claims.c
    for chunk in _chunks(sorted(set(hashes)), KEYS):
        rows = select(claims.hash).where(claims.hash.in_(chunk)).order_by(claims.hash)
        connection.execute(rows.with_for_update()).all()


def computed_support(connection: Connection, hashes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The derived support columns of these claims as their evidence gives them now (claims
    whose every piece of evidence was rejected: no evidence, no references, no confidence)."""
    evidence = t.evidence.c
    levels = {level.value: level for level in EvidenceLevel}
    computed: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(dict.fromkeys(hashes)), KEYS):
        by_claim: dict[str, list[SupportItem]] = defaultdict(list)
        rows = connection.execute(
            select(
                evidence.claim_hash, evidence.reference, evidence.level, evidence.confidence
            ).where(evidence.claim_hash.in_(chunk), evidence.review_status != "rejected")
        )
        for claim_hash, reference, level, confidence in rows:
            by_claim[claim_hash].append(SupportItem(reference, levels[level], confidence))
        for claim_hash in chunk:
            if claim_hash not in by_claim:  # every piece of evidence rejected: hidden
                computed[claim_hash] = dict(UNSUPPORTED)
        if not by_claim:
            continue
        years = years_of(connection, {e.reference for items in by_claim.values() for e in items})
        for claim_hash, items in by_claim.items():
            support = claim_support(items)
            latest = max((years.get(e.reference) or 0 for e in items), default=0) or None
            computed[claim_hash] = {
                "n_evidence": support.n_evidence,
                "n_references": support.n_references,
                "best_level": support.best_level.value,
                "strength": support.strength,
                "strength_rank": STRENGTH_RANK[support.strength],
                "confidence": support.confidence,
                "latest_year": latest,
            }
    return computed


#: The support columns of a claim left without accepted or pending evidence.
UNSUPPORTED: dict[str, Any] = {"n_evidence": 0, "n_references": 0, "confidence": 0.0}


def write_support(connection: Connection, support: dict[str, dict[str, Any]]) -> None:
    """Store derived support columns, by claim hash."""
    claims = t.claims
    for columns in {tuple(sorted(values)) for values in support.values()}:
        rows = [
            {"b_hash": claim_hash, **values}
            for claim_hash, values in sorted(support.items())
            if tuple(sorted(values)) == columns
        ]
        statement = claims.update().where(claims.c.hash == bindparam("b_hash"))
        connection.execute(statement.values({c: bindparam(c) for c in columns}), rows)


def refresh_support(connection: Connection, hashes: Sequence[str]) -> None:
    """Recompute the derived support columns of these claims from their accepted evidence,
    reading the reference, level and confidence of that evidence and the years of the
    references it cites, and nothing else. The claims are locked first, so concurrent
    writers count each other's evidence (no lost update)."""
    lock_claims(connection, hashes)
    write_support(connection, computed_support(connection, hashes))
