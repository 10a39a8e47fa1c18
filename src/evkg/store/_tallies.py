"""Counts maintained on write: what ``evkg db stats``, ``/api/stats`` and search's claim counts
read, kept in the ``tallies`` table (family, key, n) in the same transaction as the writes.

A write names the rows it touches (:class:`Touched`: claims, evidence, entities, references,
chains, studies by key). Their contribution to every count is read before the write and
again after it, and the difference is added to the table: a write costs keyed look-ups in
proportion to its batch, never a scan. :func:`recount` computes every count from scratch
(full scans, for a check or a rebuild) so that the two can be compared; :func:`rebuild`
replaces the table with it (a store migrated from before the table existed gets it once,
on :meth:`~evkg.store.SqlStore.initialise`).

Families (each a dict of key → count in :func:`read_counts`): ``totals`` (``claims``,
``evidence``, ``references``, ``entities``, ``chains``, ``cited_references``,
``cited_references_with_pmid_or_doi``, ``primary_studies``,
``primary_studies_with_pmid_or_doi``), ``claims_by_predicate``, ``claims_by_outcome``,
``claims_by_strength``, ``evidence_by_level``, ``evidence_by_method``, ``entities_by_kind``,
``studies_by_design``, ``studies_by_outcome``, ``studies_by_route``, ``studies_by_source``,
and ``mentions``: per identifier, the visible claims (with unrejected evidence) naming it as
subject, object, context disease, EV source, route, model or species.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from evkg.store import schema as t
from evkg.store._write import dialect_insert
from evkg.store.protocol import LoadBundle

__all__ = [
    "COMPLETE",
    "MENTIONS",
    "Touched",
    "apply",
    "contribution",
    "generation",
    "held",
    "is_complete",
    "mentions",
    "read_counts",
    "rebuild",
    "recount",
    "stored",
    "touched_by",
    "tracking",
]

#: The family of per-identifier claim counts.
MENTIONS = "mentions"
#: (family, key) of the row saying the table holds every count.
COMPLETE = ("meta", "complete")
#: (family, key) of the number of writes that changed a count: caches of anything derived
#: from the counts (search's index of names holding evidence) compare it.
WRITES = ("meta", "writes")
_KEYS = 500
#: Families in the order ``db stats`` prints them (``mentions`` is read by key only).
STATS_FAMILIES = (
    "totals", "studies_by_design", "studies_by_outcome", "studies_by_route", "studies_by_source",
    "claims_by_predicate", "claims_by_outcome", "claims_by_strength", "evidence_by_level",
    "evidence_by_method", "entities_by_kind",
)  # fmt: skip
_TOTALS = (
    "claims", "evidence", "references", "entities", "chains", "cited_references",
    "cited_references_with_pmid_or_doi", "primary_studies", "primary_studies_with_pmid_or_doi",
)  # fmt: skip
#: Claim columns whose identifiers a claim mentions.
_MENTIONED = ("subject", "object", "disease", "ev_source", "route", "model", "species")

Tally = Counter[tuple[str, str]]


@dataclass
class Touched:
    """Keys of the rows a write may add or change."""

    claims: set[str] = field(default_factory=set)
    evidence: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    chains: set[str] = field(default_factory=set)
    studies: set[str] = field(default_factory=set)


def touched_by(bundle: LoadBundle) -> Touched:
    """The rows a load may add or change, by key (for the counts maintained on write)."""
    claims = bundle.assembly.claims.values()
    evidence = [e for c in claims for e in c.evidence.values()]
    return Touched(
        claims={c.hash for c in claims},
        evidence={e.hash for e in evidence},
        entities={e.id for e in bundle.entities},
        references={r.id for r in bundle.references}
        | {e.reference for e in evidence}
        | {s.reference_id for s in bundle.studies},
        chains={chain for c in claims for chain in c.chains},
        studies={s.id for s in bundle.studies},
    )


def _chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), _KEYS):
        yield ordered[start : start + _KEYS]


def _key(value: Any) -> str:
    return str(value)


# -- contributions of rows ----------------------------------------------------------------
def _claim_rows(tally: Tally, rows: Iterable[Any]) -> None:
    for row in rows:
        tally[("totals", "claims")] += 1
        tally[("claims_by_predicate", _key(row.predicate))] += 1
        tally[("claims_by_outcome", _key(row.outcome))] += 1
        tally[("claims_by_strength", _key(row.strength))] += 1
        if row.n_evidence > 0:
            for curie in {getattr(row, column) for column in _MENTIONED} - {None}:
                tally[(MENTIONS, curie)] += 1


def _evidence_rows(tally: Tally, rows: Iterable[Any]) -> None:
    for row in rows:
        tally[("totals", "evidence")] += 1
        tally[("evidence_by_level", _key(row.level))] += 1
        tally[("evidence_by_method", _key(row.method))] += 1


def _entity_rows(tally: Tally, rows: Iterable[Any]) -> None:
    for row in rows:
        tally[("totals", "entities")] += 1
        tally[("entities_by_kind", _key(row.kind))] += 1


def _study_rows(tally: Tally, rows: Iterable[Any]) -> None:
    for row in rows:
        tally[("totals", "primary_studies")] += 1
        tally[("studies_by_design", _key(row.design))] += 1
        tally[("studies_by_outcome", _key(row.outcome))] += 1
        tally[("studies_by_route", _key(row.route or "not reported"))] += 1
        tally[("studies_by_source", _key(row.ev_source))] += 1


def _reference_state(
    tally: Tally, stored: dict[str, bool], cited: set[str], of_studies: set[str]
) -> None:
    """``stored``: reference → has a PMID or DOI, for the stored ones among the touched."""
    for curie, identified in stored.items():
        tally[("totals", "references")] += 1
        if identified and curie in cited:
            tally[("totals", "cited_references_with_pmid_or_doi")] += 1
        if identified and curie in of_studies:
            tally[("totals", "primary_studies_with_pmid_or_doi")] += 1
    tally[("totals", "cited_references")] += len(cited)


# -- reading the touched rows -------------------------------------------------------------
def _claim_columns() -> list[Any]:
    c = t.claims.c
    return [c.predicate, c.outcome, c.strength, c.n_evidence] + [c[m] for m in _MENTIONED]


def contribution(connection: Connection, touched: Touched) -> Tally:
    """What the touched rows, as stored now, add to every count."""
    tally: Tally = Counter()
    claims, evidence, entities = t.claims.c, t.evidence.c, t.entities.c
    studies, refs, chains = t.studies.c, t.references.c, t.chain_claims.c
    for keys in _chunks(touched.claims):
        _claim_rows(
            tally, connection.execute(select(*_claim_columns()).where(claims.hash.in_(keys)))
        )
    for keys in _chunks(touched.evidence):
        found = select(evidence.level, evidence.method).where(evidence.hash.in_(keys))
        _evidence_rows(tally, connection.execute(found))
    for keys in _chunks(touched.entities):
        _entity_rows(
            tally, connection.execute(select(entities.kind).where(entities.curie.in_(keys)))
        )
    study_refs: set[str] = set()
    for keys in _chunks(touched.studies):
        rows = connection.execute(
            select(studies.design, studies.outcome, studies.route, studies.ev_source,
                   studies.reference).where(studies.id.in_(keys))
        ).all()  # fmt: skip
        _study_rows(tally, rows)
        study_refs.update(row.reference for row in rows)
    for keys in _chunks(touched.chains):
        found_chains = select(chains.chain).distinct().where(chains.chain.in_(keys))
        tally[("totals", "chains")] += len(connection.execute(found_chains).all())
    references = touched.references | study_refs
    stored: dict[str, bool] = {}
    cited: set[str] = set()
    of_studies: set[str] = set()
    for keys in _chunks(references):
        identified = (refs.pmid.is_not(None)) | (refs.doi.is_not(None))
        for curie, has_id in connection.execute(
            select(refs.curie, identified).where(refs.curie.in_(keys))
        ):
            stored[curie] = bool(has_id)
        cited.update(
            connection.execute(
                select(evidence.reference).distinct().where(evidence.reference.in_(keys))
            ).scalars()
        )
        of_studies.update(
            connection.execute(
                select(studies.reference).distinct().where(studies.reference.in_(keys))
            ).scalars()
        )
    _reference_state(tally, stored, cited, of_studies)
    return tally


@contextmanager
def tracking(connection: Connection, touched: Touched) -> Iterator[Touched]:
    """Around a write in ``connection``'s transaction: the counts follow what the write did
    to the touched rows (which the body may still add to, e.g. the old references of
    replaced studies are read here first). Nothing is tracked while the table is not
    complete (a rebuild will count everything)."""
    if not is_complete(connection):
        yield touched
        return
    before = contribution(connection, touched)
    yield touched
    after = contribution(connection, touched)
    delta: Tally = Counter(after)
    delta.subtract(before)
    apply(connection, delta)


def apply(connection: Connection, delta: Tally) -> None:
    """Add ``delta`` to the stored counts (one upsert per changed count, sent together)."""
    rows = [{"family": f, "key": k, "n": n} for (f, k), n in sorted(delta.items()) if n]
    if not rows:
        return
    rows.append({"family": WRITES[0], "key": WRITES[1], "n": 1})
    upsert = dialect_insert(connection)(t.tallies)
    upsert = upsert.on_conflict_do_update(
        index_elements=["family", "key"], set_={"n": t.tallies.c.n + upsert.excluded.n}
    )
    for start in range(0, len(rows), 1000):
        connection.execute(upsert, rows[start : start + 1000])


# -- from scratch ---------------------------------------------------------------------------
def recount(connection: Connection) -> Tally:
    """Every count computed from the tables themselves (full scans): what the maintained
    table should hold, for a check to compare with :func:`stored` or for :func:`rebuild`."""
    tally: Tally = Counter()
    _claim_rows(tally, connection.execute(select(*_claim_columns())))
    _evidence_rows(tally, connection.execute(select(t.evidence.c.level, t.evidence.c.method)))
    _entity_rows(tally, connection.execute(select(t.entities.c.kind)))
    studies = t.studies.c
    _study_rows(
        tally, connection.execute(select(studies.design, studies.outcome, studies.route,
                                         studies.ev_source))
    )  # fmt: skip
    tally[("totals", "chains")] += int(
        connection.execute(
            select(func.count()).select_from(select(t.chain_claims.c.chain).distinct().subquery())
        ).scalar_one()
    )
    refs = t.references.c
    identified = (refs.pmid.is_not(None)) | (refs.doi.is_not(None))
    stored = {
        curie: bool(has_id) for curie, has_id in connection.execute(select(refs.curie, identified))
    }
    cited = set(connection.execute(select(t.evidence.c.reference).distinct()).scalars())
    of_studies = set(connection.execute(select(studies.reference).distinct()).scalars())
    _reference_state(tally, stored, cited, of_studies)
    return Counter({key: n for key, n in tally.items() if n})


def stored(connection: Connection) -> Tally:
    """The counts the table holds (without its completeness marker)."""
    rows = connection.execute(select(t.tallies.c.family, t.tallies.c.key, t.tallies.c.n))
    return Counter({(f, k): int(n) for f, k, n in rows if n and f != COMPLETE[0]})


def rebuild(connection: Connection) -> None:
    """Replace the table's contents with :func:`recount` and mark it complete."""
    writes = generation(connection)
    connection.execute(t.tallies.delete())
    rows = [{"family": f, "key": k, "n": n} for (f, k), n in sorted(recount(connection).items())]
    rows.append({"family": COMPLETE[0], "key": COMPLETE[1], "n": 1})
    rows.append({"family": WRITES[0], "key": WRITES[1], "n": writes + 1})
    for start in range(0, len(rows), 1000):
        connection.execute(t.tallies.insert(), rows[start : start + 1000])


def generation(connection: Connection) -> int:
    """How many writes have changed the counts (one keyed look-up)."""
    tallies = t.tallies.c
    found = select(tallies.n).where(tallies.family == WRITES[0], tallies.key == WRITES[1])
    return int(connection.execute(found).scalar_one_or_none() or 0)


def held(connection: Connection) -> list[str]:
    """Every identifier some visible claim names (the keys of ``mentions``)."""
    tallies = t.tallies.c
    found = select(tallies.key).where(tallies.family == MENTIONS, tallies.n > 0)
    return list(connection.execute(found).scalars())


def is_complete(connection: Connection) -> bool:
    tallies = t.tallies.c
    marker = select(tallies.n).where(tallies.family == COMPLETE[0], tallies.key == COMPLETE[1])
    return connection.execute(marker).first() is not None


def read_counts(connection: Connection) -> dict[str, dict[str, int]]:
    """The stats families (``totals`` with every total, zero included), keys sorted."""
    tallies = t.tallies.c
    rows = connection.execute(
        select(tallies.family, tallies.key, tallies.n).where(
            tallies.family.in_(STATS_FAMILIES), tallies.n != 0
        )
    ).all()
    found: dict[str, dict[str, int]] = {family: {} for family in STATS_FAMILIES}
    for family, key, n in rows:
        found[family][key] = int(n)
    found["totals"] = {name: found["totals"].get(name, 0) for name in _TOTALS}
    return {family: dict(sorted(values.items())) if family != "totals" else values
            for family, values in found.items()}  # fmt: skip


def mentions(connection: Connection, curies: Sequence[str]) -> dict[str, int]:
    """Visible claims naming each identifier (0 for none), one keyed look-up per 500."""
    tallies = t.tallies.c
    found = dict.fromkeys(curies, 0)
    for keys in _chunks(set(curies)):
        rows = connection.execute(
            select(tallies.key, tallies.n).where(tallies.family == MENTIONS, tallies.key.in_(keys))
        )
        found.update((key, int(n)) for key, n in rows)
    return found
