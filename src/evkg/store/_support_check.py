"""Do the derived support columns of claims match their evidence? The check behind
``evkg db check``, and its repair.

Claims are walked in hash order, a page at a time, so the check costs one pass over the
claims and their evidence and never holds the whole store in memory. A repair rewrites a
page's mismatched claims in one writing transaction, with the claims locked before their
evidence is read (as every load does), so it is safe beside running writers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from evkg.store import _write
from evkg.store import schema as t

__all__ = ["SUPPORT_COLUMNS", "SupportCheck", "check_support"]

#: The claim columns derived from evidence.
SUPPORT_COLUMNS = (
    "n_evidence",
    "n_references",
    "best_level",
    "strength",
    "strength_rank",
    "confidence",
    "latest_year",
)
_PAGE = _write.KEYS
_EXAMPLES = 50


@dataclass
class SupportCheck:
    """What the check found: claims checked, claims whose stored support differs from their
    evidence (the first few as (claim hash, column, stored, from the evidence)), repaired."""

    claims: int = 0
    mismatched: int = 0
    repaired: int = 0
    examples: list[tuple[str, str, Any, Any]] = field(default_factory=list)


def _differs(stored: Any, computed: Any) -> bool:
    if isinstance(stored, float) or isinstance(computed, float):
        return stored is None or computed is None or not math.isclose(stored, computed)
    return bool(stored != computed)


def _page(connection: Connection, after: str) -> list[Any]:
    claims = t.claims.c
    query = (
        select(claims.hash, *(getattr(claims, c) for c in SUPPORT_COLUMNS))
        .where(claims.hash > after)
        .order_by(claims.hash)
        .limit(_PAGE)
    )
    return list(connection.execute(query).mappings())


def _mismatches(connection: Connection, rows: list[Any]) -> dict[str, dict[str, Any]]:
    computed = _write.computed_support(connection, [row["hash"] for row in rows])
    wrong: dict[str, dict[str, Any]] = {}
    for row in rows:
        expected = computed[row["hash"]]
        if any(_differs(row[c], v) for c, v in expected.items()):
            wrong[row["hash"]] = {"stored": dict(row), "computed": expected}
    return wrong


def check_support(
    read: Callable[[], AbstractContextManager[Connection]],
    write: Callable[[], AbstractContextManager[Connection]],
    *,
    repair: bool = False,
) -> SupportCheck:
    """Compare every claim's support columns with its evidence; with ``repair``, rewrite
    those that differ. ``read``/``write`` open a reading or a writing transaction."""
    found = SupportCheck()
    after = ""
    while True:
        with read() as connection:
            rows = _page(connection, after)
            wrong = _mismatches(connection, rows)
        if not rows:
            return found
        after = rows[-1]["hash"]
        found.claims += len(rows)
        found.mismatched += len(wrong)
        for claim_hash, both in wrong.items():
            for column, value in both["computed"].items():
                if len(found.examples) < _EXAMPLES and _differs(both["stored"][column], value):
                    found.examples.append((claim_hash, column, both["stored"][column], value))
        if repair and wrong:
            with write() as connection:
                _write.lock_claims(connection, sorted(wrong))
                hashes = [row["hash"] for row in rows if row["hash"] in wrong]
                fresh = _page_of(connection, hashes)
                still = _mismatches(connection, fresh)  # as they stand now, locked
                _write.write_support(connection, {h: still[h]["computed"] for h in still})
                found.repaired += len(still)


def _page_of(connection: Connection, hashes: list[str]) -> list[Any]:
    claims = t.claims.c
    query = select(claims.hash, *(getattr(claims, c) for c in SUPPORT_COLUMNS)).where(
        claims.hash.in_(hashes)
    )
    return list(connection.execute(query.order_by(claims.hash)).mappings())
