"""The review's placement kept as a secondary, queryable link: a finding the review lists
under one disease but that is curated under another appears in the listed disease's answer,
labelled with where it is listed and why it is curated elsewhere, and is never ranked there."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from evkg.api import Knowledge, build_curated_bundle
from evkg.api.diseases import disease_answer
from evkg.api.labels import Labels
from evkg.model import EntityKind
from evkg.recordfiles import RecordFileError
from evkg.sources.curated import read_source, to_statements
from evkg.sources.curated.placements import review_placements
from evkg.store import SqlStore
from evkg.store import schema as t
from evkg.vocab import compact_lexicon, load_vocabulary
from evkg.vocab.identity import DiseaseIdentity, curated_disease_mappings
from evkg.web import create_app

MIR135B = "mirbase.mature:MIMAT0000758"
CARTILAGE = "doid:1222"


@pytest.fixture(scope="module")
def identity() -> DiseaseIdentity:
    return DiseaseIdentity(compact_lexicon(), curated_disease_mappings())


def _is_disease(curie: str) -> bool:
    entry = compact_lexicon().get(curie)
    return entry is not None and entry.kind is EntityKind.DISEASE


def test_ra_answer_shows_the_cartilage_finding_the_review_lists_under_ra(
    curated_knowledge: Knowledge,
) -> None:
    answer = disease_answer(curated_knowledge, Labels(curated_knowledge), "RA")
    (placement,) = [p for p in answer.review_placements if p.location == "Table 1, row 1"]
    assert placement.listed_as == "RA"
    assert placement.curated_as == [CARTILAGE]
    assert placement.label.startswith(
        "Listed by the review under RA (Table 1, row 1); curated as cartilage disease because:"
    )
    assert "no RA model" in placement.reason
    treats = [c for c in placement.claims if c.predicate == "treats"]
    assert [(c.subject, c.object) for c in treats] == [(MIR135B, CARTILAGE)]
    # listed, never ranked: the strategies of RA stay RA's own
    assert all(s.agent != MIR135B for s in answer.strategies)


def test_a_parent_disease_holds_the_placements_of_its_children(
    curated_knowledge: Knowledge,
) -> None:
    # osteoarthritis is an arthritis: the arthritis answer shows what the review lists under OA
    labels = Labels(curated_knowledge)
    oa = disease_answer(curated_knowledge, labels, "osteoarthritis").review_placements
    arthritis = disease_answer(curated_knowledge, labels, "arthritis").review_placements
    assert {p.location for p in oa} == {f"Table 1, row {n}" for n in (13, 14, 15, 16)}
    assert {p.location for p in oa} <= {p.location for p in arthritis}
    # rows sort by number, not as text
    assert [p.location for p in oa] == sorted((p.location for p in oa), key=lambda x: int(x[13:]))


def test_rows_curated_under_their_own_disease_make_no_placement(
    curated_knowledge: Knowledge,
) -> None:
    # Table 1 lists the miR-150-5p study under RA and it is curated under RA
    answer = disease_answer(curated_knowledge, Labels(curated_knowledge), "rheumatoid arthritis")
    assert "Table 1, row 2" not in {p.location for p in answer.review_placements}
    covid = disease_answer(curated_knowledge, Labels(curated_knowledge), "COVID-19")
    assert covid.review_placements == []


def test_a_row_curated_elsewhere_without_a_reason_is_an_error(identity: DiseaseIdentity) -> None:
    source = read_source()
    statements = to_statements(source)
    row_one = next(r for r in source.table_rows if r.record.row == 1)
    stripped = row_one.record.model_copy(update={"placement_reason": None})
    source.table_rows[source.table_rows.index(row_one)] = type(row_one)(
        row_one.path, row_one.line, stripped
    )
    with pytest.raises(RecordFileError) as raised:
        review_placements(source, statements, identity, _is_disease)
    message = str(raised.value)
    assert "placement_reason" in message
    assert str(row_one.path.name) in message
    assert CARTILAGE in message
    assert "doid:7148" in message


def test_a_row_naming_an_unknown_record_is_an_error(identity: DiseaseIdentity) -> None:
    source = read_source()
    statements = to_statements(source)
    row = source.table_rows[0]
    broken = row.record.model_copy(update={"records": ("zh24.infl.no-such-record",)})
    source.table_rows[0] = type(row)(row.path, row.line, broken)
    with pytest.raises(RecordFileError, match=r"no curated record 'zh24\.infl\.no-such-record'"):
        review_placements(source, statements, identity, _is_disease)


def test_a_reload_replaces_placements_and_keeps_one_row_each(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    store.initialise()
    bundle = build_curated_bundle()
    store.load(bundle)
    first = store.placements(["doid:7148"])
    assert first
    assert all(p.disease == "doid:7148" for p in first)
    # a new curated version with a corrected reason: the stored reason follows it
    corrected = [p.model_copy(update={"reason": "A corrected reason."}) for p in bundle.placements]
    bundle.placements[:] = corrected
    bundle.fingerprint = "a-new-version"
    store.load(bundle)
    again = store.placements(["doid:7148"])
    assert len(again) == len(first)
    assert {p.reason for p in again} == {"A corrected reason."}
    with store.engine.connect() as connection:
        stored = connection.execute(t.review_placements.select()).all()
    assert len(stored) == len(bundle.placements)
    store.dispose()


@pytest.fixture(scope="module")
def client(curated_store: SqlStore) -> TestClient:
    return TestClient(create_app(store=curated_store, vocabulary=load_vocabulary()))


def test_rest_and_page_show_the_placement(client: TestClient) -> None:
    body = client.get("/api/diseases/RA").json()
    assert [p["location"] for p in body["review_placements"]] == ["Table 1, row 1"]
    page = client.get("/disease/doid:7148").text
    assert 'id="placements"' in page
    assert "curated under another disease" in page
    assert "Table 1, row 1" in page
