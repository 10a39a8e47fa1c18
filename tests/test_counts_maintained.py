"""Counts maintained on write (``evkg.store._tallies``): equal to a recount from the tables
after loads, re-loads and review changes; read without counting rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from evkg.api import build_curated_bundle
from evkg.assemble import assemble
from evkg.model import Claim, Evidence, EvidenceLevel, EvidenceMethod
from evkg.store import LoadBundle, SqlStore, _tallies

MIR150 = "mirbase.mature:MIMAT0000451"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    instance = SqlStore(f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    instance.initialise()
    instance.load(build_curated_bundle())
    yield instance
    instance.dispose()


def _mined(store: SqlStore) -> tuple[str, str]:
    claim = Claim(subject=MIR150, predicate="regulates_down", object="hgnc:6029")
    evidence = Evidence(
        claim_hash=claim.hash, reference=store.references_all()[0].id,
        quote="miR-150 lowered the target.", method=EvidenceMethod.EXTRACTED,
        extractor="test-0", level=EvidenceLevel.IN_VITRO, confidence=0.4,
    )  # fmt: skip
    bundle = LoadBundle("mined", "1", assembly=assemble([(claim, evidence, "chain-x")]))
    store.load(bundle)
    return claim.hash, evidence.hash


def _maintained_equals_recount(store: SqlStore) -> None:
    assert store.counts() == store.recount()
    with store.engine.connect() as connection:
        assert _tallies.stored(connection) == _tallies.recount(connection)


def test_counts_follow_loads_and_reviews(store: SqlStore) -> None:
    _maintained_equals_recount(store)
    before = store.counts()["totals"]
    _claim_hash, evidence_hash = _mined(store)
    _maintained_equals_recount(store)
    after = store.counts()["totals"]
    assert after["claims"] == before["claims"] + 1
    assert after["chains"] == before["chains"] + 1
    mentioned = store.claim_mentions([MIR150])[MIR150]
    assert store.set_review_status(evidence_hash, "rejected")
    _maintained_equals_recount(store)
    assert store.claim_mentions([MIR150])[MIR150] == mentioned - 1  # the claim is hidden
    assert store.set_review_status(evidence_hash, "accepted")
    _maintained_equals_recount(store)
    assert store.claim_mentions([MIR150])[MIR150] == mentioned


def test_a_repeated_load_changes_nothing(store: SqlStore) -> None:
    _mined(store)
    counts = store.counts()
    generation = store.count_generation()
    bundle = build_curated_bundle()
    bundle.dataset = "curated-again"
    store.load(bundle)
    assert store.counts() == counts
    assert store.count_generation() == generation
    _maintained_equals_recount(store)


def test_stats_count_no_rows(store: SqlStore) -> None:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.lower())

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        store.counts()
        store.claim_mentions([MIR150, "doid:7148"])
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert statements
    assert all("count(" not in s and "tallies" in s for s in statements), statements


def test_a_store_without_counts_gets_them_once(store: SqlStore) -> None:
    expected = store.counts()
    with store.engine.begin() as connection:
        connection.execute(_tallies.t.tallies.delete())
    assert store.counts() == expected  # rebuilt on first read
    with store.engine.begin() as connection:
        connection.execute(_tallies.t.tallies.delete())
    store.initialise()
    with store.engine.connect() as connection:
        assert _tallies.is_complete(connection)
    assert store.counts() == expected
