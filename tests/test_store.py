"""One store test suite, run against SQLite and against a real PostgreSQL server.

PostgreSQL runs when ``EVKG_TEST_POSTGRES_URL`` is set (``.ci/run`` starts a server and sets
it); with ``EVKG_REQUIRE_POSTGRES=1`` a missing server fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from evkg.api import build_curated_bundle
from evkg.store import ClaimFilter, ClaimRow, LoadBundle, SqlStore, StoreError
from evkg.store.migrate import (
    current_revision,
    head_revision,
    is_current,
    newest_script_revision,
    upgrade,
)
from evkg.store.schema import metadata

RA = "doid:7148"
MIR150 = "mirbase.mature:MIMAT0000451"
MMP14, VEGFA = "hgnc:7160", "hgnc:12680"


@pytest.fixture(scope="module")
def bundle() -> LoadBundle:
    return build_curated_bundle()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'evkg.sqlite'}"
    else:
        url = os.environ.get("EVKG_TEST_POSTGRES_URL", "")
        if not url:
            if os.environ.get("EVKG_REQUIRE_POSTGRES") == "1":
                pytest.fail("EVKG_REQUIRE_POSTGRES=1 but EVKG_TEST_POSTGRES_URL is not set")
            pytest.skip("no PostgreSQL server: set EVKG_TEST_POSTGRES_URL (CI starts one)")
        _reset_postgres(url)
    instance = SqlStore(url)
    instance.initialise()
    yield instance
    instance.dispose()


@pytest.fixture
def loaded(store: SqlStore, bundle: LoadBundle) -> SqlStore:
    store.load(bundle)
    return store


def test_schema_is_migrated_to_head_and_matches_the_tables(store: SqlStore) -> None:
    with store.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == [], "schema.py changed without a migration: add an Alembic revision"


def test_the_cheap_revision_check_agrees_with_alembic(store: SqlStore) -> None:
    assert newest_script_revision() == head_revision()
    with store.engine.connect() as connection:
        assert is_current(connection)


def test_an_older_schema_is_not_taken_for_current(tmp_path: Path) -> None:
    older = SqlStore(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with older.engine.begin() as connection:
        upgrade(connection, "0006")
        assert not is_current(connection)
    older.initialise()
    with older.engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_initialise_twice_is_harmless(store: SqlStore) -> None:
    store.initialise()
    assert store.is_initialised()


def test_load_then_reload_changes_nothing(store: SqlStore, bundle: LoadBundle) -> None:
    first = store.load(bundle)
    assert first.new_claims == len(bundle.assembly.claims)
    assert first.new_evidence == bundle.assembly.n_evidence
    counts = store.counts()
    again = store.load(bundle)
    assert again.skipped
    # a different fingerprint forces a real second write, which must still add nothing
    forced = LoadBundle(
        dataset=bundle.dataset,
        fingerprint=bundle.fingerprint + "-again",
        entities=bundle.entities,
        references=bundle.references,
        assembly=bundle.assembly,
        parents=bundle.parents,
    )
    report = store.load(forced)
    assert (report.new_claims, report.new_evidence, report.new_entities) == (0, 0, 0)
    assert store.counts() == counts


def test_failed_load_leaves_the_store_as_it_was(
    store: SqlStore, bundle: LoadBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.counts()

    def explode(*_: object, **__: object) -> None:
        raise SQLAlchemyError("simulated failure after the inserts")

    monkeypatch.setattr(SqlStore, "_refresh_support", explode)
    with pytest.raises(StoreError, match="rolled back"):
        store.load(bundle)
    assert store.counts() == before
    assert store.dataset_fingerprint(bundle.dataset) is None


def test_rheumatoid_arthritis_mechanism(loaded: SqlStore) -> None:
    claims = loaded.claims(ClaimFilter(disease=RA))
    triples = {(c.claim.subject, c.claim.predicate.value, c.claim.object) for c in claims}
    assert (MIR150, "regulates_down", MMP14) in triples
    assert (MIR150, "regulates_down", VEGFA) in triples
    assert (MIR150, "treats", RA) in triples
    mmp14 = next(c for c in claims if c.claim.object == MMP14)
    assert "evkg.ref:chen2018-jimmunol-2472" in mmp14.references


def test_chains_are_in_mechanism_order(loaded: SqlStore) -> None:
    chains = loaded.chains(ClaimFilter(disease=RA))
    chain = next(c for c in chains if any(m.claim.subject == MIR150 for m in c.claims))
    predicates = [m.claim.predicate.value for m in chain.claims]
    assert predicates[0] == "carries"
    assert predicates[-1] == "treats"
    assert predicates.index("regulates_down") < predicates.index("treats")


@pytest.mark.parametrize(
    ("where", "expected_subject_or_object"),
    [
        (ClaimFilter(cargo=[MIR150]), MIR150),
        (ClaimFilter(gene=MMP14), MMP14),
        (ClaimFilter(source="evkg.source:uc-msc"), None),
        (ClaimFilter(modification="evkg.mod:3d-culture"), None),
        (ClaimFilter(route="evkg.route:intranasal"), None),
        (ClaimFilter(outcome="detrimental"), None),
        (ClaimFilter(predicate="no_effect_on"), None),
        (ClaimFilter(level="in_vitro"), None),
        (ClaimFilter(method="curated"), None),
        (ClaimFilter(species="ncbitaxon:10116"), None),
    ],
)
def test_filters(
    loaded: SqlStore, where: ClaimFilter, expected_subject_or_object: str | None
) -> None:
    found = loaded.claims(where)
    assert found, f"no claims for {where}"
    assert loaded.count_claims(where) == len(found)
    for stored in found:
        claim = stored.claim
        if where.source:
            assert claim.context.ev_source == where.source
        if where.modification:
            assert where.modification in claim.context.modifications
        if where.route:
            assert claim.context.route == where.route
        if where.outcome:
            assert claim.outcome is not None
            assert claim.outcome.value == where.outcome
        if where.level:
            assert stored.strength == where.level or stored.evidence[0].level.value == where.level
        if expected_subject_or_object:
            assert expected_subject_or_object in (claim.subject, claim.object)


def test_pathway_and_model_filters(loaded: SqlStore) -> None:
    pathway_claim = next(c for c in loaded.claims(ClaimFilter(predicate="inhibits")))
    assert loaded.claims(ClaimFilter(pathway=pathway_claim.claim.object))
    model = next(
        c.claim.context.model for c in loaded.claims(ClaimFilter()) if c.claim.context.model
    )
    assert all(c.claim.context.model == model for c in loaded.claims(ClaimFilter(model=model)))


def test_disease_query_includes_sub_diseases(loaded: SqlStore) -> None:
    kidney_disease, aki = "doid:557", "doid:3021"
    assert aki in loaded.descendants(kidney_disease)
    diseases = {c.claim.context.disease for c in loaded.claims(ClaimFilter(disease=kidney_disease))}
    assert aki in diseases
    narrow = loaded.claims(ClaimFilter(disease=kidney_disease, include_descendants=False))
    assert len(narrow) < len(loaded.claims(ClaimFilter(disease=kidney_disease)))


def test_detrimental_and_contested_evidence_is_kept_apart(loaded: SqlStore) -> None:
    detrimental = loaded.claims(ClaimFilter(outcome="detrimental"))
    subjects = {c.claim.subject for c in detrimental}
    assert "mirbase.mature:MIMAT0000835" in subjects or any(
        c.claim.context.donor_state == "aged" for c in detrimental
    )
    contradictions = loaded.contradictions(ClaimFilter())
    assert any(c.second is None and "contested" in c.reason for c in contradictions)


def test_counts(loaded: SqlStore, bundle: LoadBundle) -> None:
    counts = loaded.counts()
    totals = counts["totals"]
    assert totals["claims"] == len(bundle.assembly.claims)
    assert totals["evidence"] == bundle.assembly.n_evidence
    assert totals["references"] == len(bundle.references)
    assert sum(counts["claims_by_predicate"].values()) == totals["claims"]
    assert counts["evidence_by_method"] == {"curated": totals["evidence"]}


def test_entities_and_references(loaded: SqlStore) -> None:
    entity = loaded.entity(MIR150)
    assert entity is not None
    assert entity.label == "hsa-miR-150-5p"
    reference = loaded.reference("evkg.ref:chen2018-jimmunol-2472")
    assert reference is not None
    assert reference.year == 2018
    assert loaded.entity("hgnc:999999999") is None


def test_queries_use_bound_parameters(loaded: SqlStore) -> None:
    hostile = "doid:7148' OR '1'='1"
    assert loaded.claims(ClaimFilter(disease=hostile)) == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nosuchdb://somewhere/x", "not a usable database URL"),
        ("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "cannot use database"),
    ],
)
def test_bad_database_urls_get_clear_errors(url: str, fragment: str) -> None:
    with pytest.raises(StoreError) as raised:
        SqlStore(url, origin="environment variable EVKG_DATABASE_URL").initialise()
    message = str(raised.value)
    assert fragment in message
    assert "EVKG_DATABASE_URL" in message
    assert "secret" not in message


def test_extracted_evidence_is_pending_and_can_be_rejected(store: SqlStore) -> None:
    from evkg.assemble import assemble
    from evkg.model import Claim, Evidence

    claim = Claim(
        subject="mirbase.mature:MIMAT0000451", predicate="regulates_down", object="hgnc:7160"
    )
    evidence = Evidence(
        claim_hash=claim.hash,
        reference="pubmed:12345",
        quote="miR-150-5p directly targets MMP14.",
        method="extracted",
        extractor="test-extractor 0",
        level="in_vitro",
        confidence=0.6,
    )
    store.load(LoadBundle("mined", "f1", assembly=assemble([(claim, evidence, None)])))
    pending = store.evidence_for_review("pending")
    assert [h for h, _, _ in pending] == [evidence.hash]
    assert store.claims(ClaimFilter(method="extracted"))
    assert store.set_review_status(evidence.hash, "rejected")
    assert store.claims(ClaimFilter(method="extracted")) == []
    assert store.evidence_for_review("rejected")[0][0] == evidence.hash
    assert store.set_review_status(evidence.hash, "accepted")
    assert store.claims(ClaimFilter(method="extracted"))
    assert not store.set_review_status("0" * 32, "accepted")
    with pytest.raises(ValueError, match="unknown review status"):
        store.set_review_status(evidence.hash, "maybe")


def test_curated_evidence_cannot_be_rejected(loaded: SqlStore) -> None:
    evidence_hash = loaded.evidence_for_review("accepted", limit=1)[0][0]
    with pytest.raises(ValueError, match="curated"):
        loaded.set_review_status(evidence_hash, "rejected")


# -- bounded reads: pages, capped counts, sketches (what keeps the explorer fast) ----------
HEART = "doid:1287"  # a disease with claims of its own in the curated knowledge


def _mined(claim_fields: dict[str, object], quote: str) -> tuple[object, object]:
    from evkg.model import Claim, Evidence

    claim = Claim.model_validate(claim_fields)
    evidence = Evidence(
        claim_hash=claim.hash,
        reference="pubmed:12345",
        quote=quote,
        method="extracted",
        extractor="test-extractor 0",
        level="in_vivo",
        confidence=0.7,
    )
    return claim, evidence


@pytest.fixture
def mixed(loaded: SqlStore) -> tuple[SqlStore, str]:
    """The curated store plus claims that meet RA only as their object (no context disease;
    another context disease), one opposing a curated claim, and one whose only evidence is
    rejected (hidden). Returns the store and the hidden claim's hash."""
    from evkg.assemble import assemble

    items = [
        _mined({"subject": MIR150, "predicate": "treats", "object": RA}, "miR-150 treats RA."),
        _mined(
            {
                "subject": "evkg.source:msc",
                "predicate": "worsens",
                "object": RA,
                "context": {"disease": HEART},
            },
            "MSC-EVs worsened arthritis in the cardiac model.",
        ),
        _mined(
            {
                "subject": MIR150,
                "predicate": "regulates_up",
                "object": MMP14,
                "context": {"disease": RA},
            },
            "miR-150 raised MMP14.",
        ),
        _mined(
            {"subject": MIR150, "predicate": "no_effect_on", "object": RA},
            "miR-150 did nothing for RA.",
        ),
    ]
    loaded.load(LoadBundle("mined", "f-mixed", assembly=assemble([(c, e, None) for c, e in items])))
    hidden_claim, hidden_evidence = items[-1]
    assert loaded.set_review_status(hidden_evidence.hash, "rejected")  # type: ignore[attr-defined]
    return loaded, hidden_claim.hash  # type: ignore[attr-defined]


_FILTERS = [
    ClaimFilter(disease=RA),
    ClaimFilter(disease=HEART),
    ClaimFilter(),
    ClaimFilter(outcome="beneficial"),
    ClaimFilter(disease=RA, predicate="treats"),
    ClaimFilter(cargo=[MIR150]),
]


@pytest.mark.parametrize("where", _FILTERS)
def test_pages_are_slices_of_the_ranked_match(
    mixed: tuple[SqlStore, str], where: ClaimFilter
) -> None:
    store, hidden = mixed
    full = [c.hash for c in store.claims(where)]
    assert hidden not in full
    assert len(full) == len(set(full)) == store.count_claims(where)
    for size in (1, 7):
        paged = []
        for offset in range(0, len(full) + size, size):
            paged += [c.hash for c in store.claims(where, limit=size, offset=offset)]
        assert paged == full


def test_the_disease_filter_meets_claims_by_object_or_context(mixed: tuple[SqlStore, str]) -> None:
    store, hidden = mixed
    hashes = {c.hash for c in store.claims(ClaimFilter(disease=RA))}
    below = store.descendants(RA)
    by_object = {
        c.hash
        for c in store.claims(ClaimFilter(disease=RA))
        if c.claim.context.disease not in below
    }
    assert len(by_object) == 2  # no context disease; a context disease outside RA
    assert hashes >= by_object
    assert hidden not in hashes


def test_capped_counts(mixed: tuple[SqlStore, str]) -> None:
    store, _ = mixed
    for where in _FILTERS:
        n = store.count_claims(where)
        assert store.count_claims_upto(where, n).total == n
        assert not store.count_claims_upto(where, n).is_lower_bound
        assert store.count_claims_upto(where, n + 5).total == n
        if n > 1:
            capped = store.count_claims_upto(where, n - 1)
            assert (capped.total, capped.is_lower_bound) == (n - 1, True)


def test_sketches_follow_the_ranked_order(mixed: tuple[SqlStore, str]) -> None:
    store, _ = mixed
    where = ClaimFilter(disease=RA)
    claims = store.claims(where)
    for limit in (3, len(claims) + 10):
        sketches = store.claim_sketches(where, limit=limit)
        assert [s.hash for s in sketches] == [c.hash for c in claims[:limit]]
    by_hash = {c.hash: c for c in claims}
    for sketch in store.claim_sketches(where, limit=100):
        claim = by_hash[sketch.hash].claim
        assert (sketch.subject, sketch.predicate, sketch.object) == (
            claim.subject,
            claim.predicate.value,
            claim.object,
        )
        assert sketch.modifications == claim.context.modifications
        assert sketch.outcome == (claim.outcome.value if claim.outcome else None)
        assert sketch.strength == by_hash[sketch.hash].strength


def test_claims_by_hash_keep_order_skip_hidden_and_reuse_known(
    mixed: tuple[SqlStore, str],
) -> None:
    store, hidden = mixed
    claims = store.claims(ClaimFilter(disease=RA))
    wanted = [claims[-1].hash, hidden, "f" * 32, claims[0].hash]
    assert [c.hash for c in store.claims_by_hash(wanted)] == [claims[-1].hash, claims[0].hash]
    known = {claims[0].hash: claims[0]}
    again = store.claims_by_hash(wanted, known)
    assert again[-1] is claims[0]
    assert again == store.claims_by_hash(wanted)


def test_chains_for_claims_equal_chains_for_the_filter(mixed: tuple[SqlStore, str]) -> None:
    store, _ = mixed
    where = ClaimFilter(disease=RA)
    claims = store.claims(where)
    expected = store.chains(where)
    found = store.chains_for([c.hash for c in claims])
    assert expected
    assert found == expected
    assert store.chains_for([c.hash for c in claims], {c.hash: c for c in claims}) == expected
    with_mechanism = {
        chain.id
        for chain in expected
        if any(
            m.claim.predicate.value not in {"treats", "worsens", "no_effect_on"}
            for m in chain.claims
        )
    }
    assert store.mechanism_chains([c.hash for c in claims]) == with_mechanism
    assert store.chains_for([]) == []


def test_diseases_with_claims_are_those_the_claims_name(loaded: SqlStore) -> None:
    for disease in ("doid:863", "doid:162", RA):
        claims = loaded.claims(ClaimFilter(disease=disease))
        below = loaded.descendants(disease)
        named = {c.claim.context.disease for c in claims} | {c.claim.object for c in claims}
        assert loaded.diseases_with_claims(disease) == named & below
        assert len(loaded.diseases_with_claims(disease)) >= 1


def test_a_load_refreshes_the_remembered_hierarchy(loaded: SqlStore) -> None:
    before = loaded.descendants(RA)
    assert "doid:999999" not in before
    loaded.load(LoadBundle("hierarchy", "f-h", parents=[("doid:999999", RA)]))
    assert loaded.descendants(RA) == before | {"doid:999999"}


def test_counts_and_pages_of_a_disease_read_indexes_only(loaded: SqlStore) -> None:
    """The cause of slow pages on a large store: without covering indexes, counting or
    paging a disease's claims reads every matching row. SQLite must answer from indexes."""
    if loaded.engine.dialect.name != "sqlite":
        pytest.skip("query plans are SQLite's")
    from evkg.store import _query

    parts = loaded._branches(ClaimFilter(disease=RA))
    outcome = loaded._branches(ClaimFilter(outcome="detrimental"))
    queries = [_query.capped_count(branch, 10) for branch in [*parts, *outcome]]
    from evkg.store import schema as t

    queries += [
        _query.arm(branch, [t.claims.c.hash, t.claims.c.confidence], 50) for branch in parts
    ]
    for query in queries:
        sql = str(query.compile(loaded.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in loaded.execute_sql("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN claims" not in plan, plan
        assert "COVERING INDEX" in plan, plan


def test_entity_pages_walk_rank_ordered_indexes(loaded: SqlStore) -> None:
    """An entity page lists the claims of an EV source, route, model or species (in context)
    or of a cargo (subject or object), strongest first: each branch must walk an index in
    rank order (no sort of every matching claim) and count from an index."""
    if loaded.engine.dialect.name != "sqlite":
        pytest.skip("query plans are SQLite's")
    from evkg.store import _query
    from evkg.store import schema as t

    sample = loaded.claims(ClaimFilter(), limit=1)[0].claim
    filters = [
        ClaimFilter(source=sample.context.ev_source or "evkg.source:msc"),
        ClaimFilter(route="evkg.route:intravenous"),
        ClaimFilter(species="ncbitaxon:10090"),
        ClaimFilter(model="evkg.model:x"),
        ClaimFilter(cargo=(sample.subject,)),
    ]
    for where in filters:
        for branch in loaded._branches(where):
            for query in (
                _query.arm(branch, [t.claims.c.hash, t.claims.c.confidence], 50, 100),
                _query.capped_count(branch, 10),
            ):
                sql = str(query.compile(loaded.engine, compile_kwargs={"literal_binds": True}))
                rows = loaded.execute_sql("EXPLAIN QUERY PLAN " + sql)
                plan = " ".join(str(row[-1]) for row in rows)
                assert "TEMP B-TREE" not in plan, (where, plan)
                assert "SCAN claims" not in plan, (where, plan)


def test_claim_hashes_pages_the_union_of_filters(loaded: SqlStore) -> None:
    """Claims matching any of several (overlapping) filters, in rank order, paged: each
    claim once, the same order as one listing of the union."""
    rows = loaded.execute_sql(
        "SELECT ev_source FROM claims WHERE ev_source IS NOT NULL "
        "GROUP BY ev_source ORDER BY count(*) DESC LIMIT 1"
    )
    source = str(rows[0][0])
    filters = [ClaimFilter(source=source), ClaimFilter(outcome="beneficial")]
    union = {c.hash: c for f in filters for c in loaded.claims(f)}
    everything = [c.hash for c in loaded.claims(ClaimFilter())]
    expected = [h for h in everything if h in union]
    assert len(expected) > 2
    pages = [loaded.claim_hashes(filters, limit=2, offset=o) for o in range(0, len(expected), 2)]
    assert [h for page in pages for h in page] == expected
    assert loaded.claim_hashes(filters, limit=2, offset=len(expected)) == []
    # both filters match some claims and neither matches all of them: a real union
    assert all(0 < loaded.count_claims(f) < len(expected) for f in filters)


# -- loads cost what their batch costs, not what the store holds ---------------------------
_STORE_TABLES = (
    "claims",
    "evidence",
    "entities",
    "references",
    "entity_parents",
    "claim_modifications",
    "chain_claims",
)


def _overlapping_bundle(bundle: LoadBundle) -> LoadBundle:
    """A mined batch meeting ``bundle``: a stored claim with new evidence citing a stored
    reference, a new claim (twice, as repeated extractions give) citing a new reference."""
    from evkg.assemble import assemble
    from evkg.model import Claim, Evidence, Reference

    stored_claim = next(iter(bundle.assembly.claims.values())).claim
    stored_reference = bundle.references[0].id
    new_claim = Claim(subject=MIR150, predicate="regulates_down", object="hgnc:999001")
    new_reference = Reference(
        id="pubmed:99999901", authors=("Bench A",), year=2031, title="New", journal="J New"
    )

    def extracted(claim: Claim, reference: str, quote: str) -> Evidence:
        return Evidence(
            claim_hash=claim.hash,
            reference=reference,
            quote=quote,
            method="extracted",
            extractor="test-extractor 0",
            level="in_vitro",
            confidence=0.6,
        )

    items = [
        (stored_claim, extracted(stored_claim, stored_reference, "Seen again."), None),
        (new_claim, extracted(new_claim, new_reference.id, "miR-150 lowers it."), None),
        (new_claim, extracted(new_claim, new_reference.id, "miR-150 lowers it."), None),
    ]
    return LoadBundle(
        "mined-overlap",
        "f-overlap",
        references=[bundle.references[0], new_reference, new_reference],
        assembly=assemble(items),
    )


def test_load_reports_count_the_new_keys_of_an_overlapping_batch(
    loaded: SqlStore, bundle: LoadBundle
) -> None:
    before = loaded.counts()["totals"]
    report = loaded.load(_overlapping_bundle(bundle))
    after = loaded.counts()["totals"]
    assert (report.new_claims, report.new_evidence, report.new_references) == (1, 2, 1)
    assert report.new_claims == after["claims"] - before["claims"]
    assert report.new_evidence == after["evidence"] - before["evidence"]
    assert report.new_references == after["references"] - before["references"]
    assert report.new_entities == after["entities"] - before["entities"] == 0
    new = loaded.claims(ClaimFilter(gene="hgnc:999001"))
    assert [c.latest_year for c in new] == [2031]


def test_a_load_reads_only_the_rows_of_its_batch(store: SqlStore, bundle: LoadBundle) -> None:
    """No whole-table COUNT and no unfiltered read of a store table: a load's cost follows
    its batch, so mining millions of citations in batches does not slow down as it goes."""
    from sqlalchemy import event

    statements: list[str] = []

    def capture(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.lower().replace('"', "").split()))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        store.load(bundle)
        store.load(_overlapping_bundle(bundle))
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    reads = [s for s in statements if s.startswith("select")]
    assert any(s.startswith("insert into claims") for s in statements)  # capture works
    assert not [s for s in statements if "count(" in s]
    for table in _STORE_TABLES:
        unfiltered = [
            s
            for s in reads
            if f" from {table}" in s and not s.split(f" from {table}")[1].startswith(" where ")
        ]
        assert not unfiltered, unfiltered


def test_export_rows_equal_the_stored_claims(loaded: SqlStore) -> None:
    """The rows exports write straight from SQL are the stored claims, on either database
    (PostgreSQL's driver returns the modifications as a list, SQLite as JSON text)."""
    where = ClaimFilter()
    rows = [row for batch in loaded.claim_row_batches(where, batch_size=7) for row in batch]
    stored = [claim for batch in loaded.claim_batches(where, batch_size=7) for claim in batch]
    assert rows
    assert any(row.modifications for row in rows)
    assert rows == [ClaimRow.of(claim) for claim in stored]
