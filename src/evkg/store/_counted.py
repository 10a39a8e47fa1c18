"""The counting half of :class:`~evkg.store.SqlStore`: counts read from the table kept on
write (:mod:`evkg.store._tallies`), the same counts recomputed from the tables for checks,
and the capped totals of the home page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from evkg.store import _counts, _tallies
from evkg.store.protocol import ClaimCount

__all__ = ["StoreCounts"]


class StoreCounts:
    """Counting methods over the connections of the store they are mixed into."""

    def _connect(self) -> Connection:
        raise NotImplementedError

    def _write_transaction(self) -> Any:
        """A writing transaction, exclusive at once on SQLite: a read that turns into a write
        in a deferred transaction deadlocks against another writer."""
        raise NotImplementedError

    def totals_upto(self, cap: int) -> dict[str, ClaimCount]:
        with self._connect() as connection:
            return _counts.totals_upto(connection, cap)

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts of claims, evidence, references, entities and studies, broken down: read
        from the counts maintained on write (:mod:`evkg.store._tallies`), never counted."""
        with self._connect() as connection:
            if _tallies.is_complete(connection):
                return _tallies.read_counts(connection)
        with self._write_transaction() as connection:  # a store not initialised by this version
            if not _tallies.is_complete(connection):  # another process may have just done it
                _tallies.rebuild(connection)
            return _tallies.read_counts(connection)

    def recount(self) -> dict[str, dict[str, int]]:
        """The same counts computed from the tables (full scans): for checks against
        :meth:`counts`."""
        with self._connect() as connection:
            return _counts.store_counts(connection)

    def rebuild_counts(self) -> None:
        """Recount the maintained counts from the tables (after writes that bypassed
        :meth:`load`, such as a bulk import straight into the schema)."""
        with self._write_transaction() as connection:
            _tallies.rebuild(connection)

    def mentioned(self) -> tuple[int, list[str]]:
        """(write generation, every identifier a visible claim names): what search's index
        of names holding evidence is built from, rebuilt when the generation moves."""
        with self._connect() as connection:
            return _tallies.generation(connection), _tallies.held(connection)

    def count_generation(self) -> int:
        """How many writes have changed the maintained counts (one keyed look-up)."""
        with self._connect() as connection:
            return _tallies.generation(connection)

    def claim_mentions(self, curies: Sequence[str]) -> dict[str, int]:
        """Visible claims naming each identifier (as subject, object or in their context),
        from the maintained counts: one keyed look-up per 500 identifiers."""
        with self._connect() as connection:
            return _tallies.mentions(connection, curies)
