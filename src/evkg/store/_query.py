"""Claim queries shaped for the indexes: a filter split into disjoint branches, each of
which one ordered (and, for counts, covering) index answers.

A disease filter matches a claim by its context disease *or* as the object of a disease
edge. SQL engines answer such an ``OR`` by collecting row ids from two indexes and reading
every matching row, which for a disease with ten thousand claims costs more than a page
should. Split into two disjoint branches (context disease in the set; object in the set and
context disease not), each branch walks its own rank-ordered index and stops at the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, literal, or_, select

from evkg.model import Predicate
from evkg.store import _rows
from evkg.store import schema as t
from evkg.store.protocol import ClaimFilter, rank_key

__all__ = [
    "RANK_ORDER",
    "Branch",
    "arm",
    "branches",
    "capped_count",
    "exact_count",
    "mechanism_chains",
    "ranked_rows",
    "union_hashes",
]

_c = t.claims.c
#: The order of every claim listing: strongest support first, then confidence, then hash.
RANK_ORDER = (_c.strength_rank.desc(), _c.confidence.desc(), _c.hash)

Branch = list[ColumnElement[bool]]


def _either(
    first: ColumnElement[Any], second: ColumnElement[Any], wanted: list[str]
) -> list[Branch]:
    """``first`` or ``second`` in ``wanted``, as two disjoint branches."""
    return [
        [first.in_(wanted)],
        [second.in_(wanted), or_(first.is_(None), first.not_in(wanted))],
    ]


def branches(where: ClaimFilter, diseases: Sequence[str] | None) -> list[Branch]:
    """WHERE clauses of the visible claims matching ``where``, as disjoint branches whose
    union is the match; ``diseases`` is the disease and its descendants.

    A cargo (subject or object) is split the same way as a disease (context disease or
    object), so that each branch walks one rank-ordered index."""
    rest = replace(where, disease=None, cargo=())
    found: list[Branch] = [[_c.n_evidence > 0, *_rows.filter_clauses(rest, None)]]
    if where.disease is not None:
        wanted = list(diseases or [where.disease])
        split = _either(_c.disease, _c.object, wanted)
        found = [[*base, *part] for base in found for part in split]
    if where.cargo:
        split = _either(_c.subject, _c.object, list(where.cargo))
        found = [[*base, *part] for base in found for part in split]
    return found


def arm(branch: Branch, columns: Sequence[Any], limit: int, offset: int = 0) -> Select[Any]:
    """``columns`` of the claims matching one branch, in rank order (one ordered index)."""
    return select(*columns).where(*branch).order_by(*RANK_ORDER).limit(limit).offset(offset)


def ranked_rows(
    connection: Connection, parts: list[Branch], columns: Sequence[Any], limit: int, offset: int = 0
) -> list[tuple[Any, ...]]:
    """``columns`` of the matching claims in rank order, ``limit`` rows from ``offset``.

    Each branch stops after ``offset + limit`` rows of its index and the rows are merged
    here, so the result equals the ordered page of the whole match (the branches are
    disjoint). Merging in Python keeps each statement simple, which the SQL engine answers
    from one index and SQLAlchemy compiles once."""
    if len(parts) == 1:
        return [tuple(row) for row in connection.execute(arm(parts[0], columns, limit, offset))]
    n = len(columns)
    keyed = [*columns, _c.strength_rank, _c.confidence, _c.hash]
    merged: list[Any] = []
    for branch in parts:
        merged += connection.execute(arm(branch, keyed, offset + limit)).all()
    merged.sort(key=lambda row: rank_key(row[n], row[n + 1], row[n + 2]))
    return [tuple(row[:n]) for row in merged[offset : offset + limit]]


def union_hashes(
    connection: Connection, parts: list[Branch], limit: int, offset: int = 0
) -> list[str]:
    """Hashes of the claims matching any of ``parts`` (which may overlap), in rank order,
    ``limit`` from ``offset``: each part stops after ``offset + limit`` rows of its index."""
    keyed = [_c.hash, _c.strength_rank, _c.confidence]
    merged: dict[str, tuple[Any, ...]] = {}
    for branch in parts:
        merged.update(
            (row[0], tuple(row)) for row in connection.execute(arm(branch, keyed, offset + limit))
        )
    ranked = sorted(merged.values(), key=lambda row: rank_key(row[1], row[2], row[0]))
    return [row[0] for row in ranked[offset : offset + limit]]


def capped_count(branch: Branch, cap: int) -> Select[Any]:
    """How many claims match ``branch``, counting no further than ``cap + 1``."""
    inner = select(literal(1).label("one")).select_from(t.claims).where(*branch).limit(cap + 1)
    return select(func.count()).select_from(inner.subquery())


def exact_count(branch: Branch) -> Select[Any]:
    return select(func.count()).select_from(t.claims).where(*branch)


_OUTCOME_PREDICATES = [
    p.value for p in (Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON)
]


def mechanism_chains(hashes: Sequence[str]) -> Select[Any]:
    """Ids of the chains of these claims that hold a mechanism (non-outcome) claim."""
    mine = t.chain_claims.alias("mine")
    other = t.chain_claims.alias("other")
    return (
        select(other.c.chain)
        .distinct()
        .join(mine, mine.c.chain == other.c.chain)
        .join(t.claims, t.claims.c.hash == other.c.claim_hash)
        .where(mine.c.claim_hash.in_(hashes), t.claims.c.predicate.not_in(_OUTCOME_PREDICATES))
    )
