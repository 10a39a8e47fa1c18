"""The evidence model: identifiers, claim and evidence hashes, outcome rules, JSON Schema."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from evkg.model import Claim, Context, Evidence, Outcome, StudyRecord, validate_curie
from evkg.model.schema import json_schema, render_json_schema

from .conftest import REPO


@pytest.mark.parametrize(
    "curie",
    [
        "hgnc:11998", "mirbase.mature:MIMAT0000449", "doid:7148", "go:0007249",
        "reactome:R-HSA-166016", "evkg.source:bm-msc", "doi:10.20517/evcna.2023.47",
        "ncbitaxon:10090", "mondo:0005178",
    ],
)  # fmt: skip
def test_valid_curies(curie: str) -> None:
    assert validate_curie(curie) == curie


@pytest.mark.parametrize(
    ("curie", "problem"),
    [("hgnc:TP53", "does not match"), ("HGNC:11998", "unknown CURIE prefix"),
     ("nocolon", "not a CURIE"), ("go:7249", "does not match"), ("foo:1", "unknown CURIE prefix")],
)  # fmt: skip
def test_invalid_curies_say_what_is_wrong(curie: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        validate_curie(curie)


def test_claim_hash_ignores_field_order_and_modification_order() -> None:
    a = Claim(
        subject="evkg.source:uc-msc",
        predicate="treats",
        object="doid:3021",
        context=Context(modifications=("evkg.mod:3d-culture", "evkg.mod:hydrogel-encapsulation")),
    )
    b = Claim(
        object="doid:3021",
        predicate="treats",
        subject="evkg.source:uc-msc",
        context=Context(modifications=("evkg.mod:hydrogel-encapsulation", "evkg.mod:3d-culture")),
    )
    assert a.hash == b.hash
    assert len(a.hash) == 32


def test_claim_hash_changes_with_context() -> None:
    base = Claim(subject="evkg.source:msc", predicate="treats", object="doid:3021")
    in_mouse = Claim(
        subject="evkg.source:msc",
        predicate="treats",
        object="doid:3021",
        context=Context(species="ncbitaxon:10090"),
    )
    assert base.hash != in_mouse.hash


def test_disease_predicates_imply_outcome() -> None:
    assert (
        Claim(subject="evkg.source:msc", predicate="worsens", object="doid:162").outcome
        == Outcome.DETRIMENTAL
    )
    contested = Claim(
        subject="evkg.source:msc", predicate="treats", object="doid:162", outcome="contested"
    )
    assert contested.outcome == Outcome.CONTESTED
    with pytest.raises(ValidationError, match="contradicts predicate"):
        Claim(
            subject="evkg.source:msc", predicate="treats", object="doid:162", outcome="detrimental"
        )


def test_records_are_frozen_and_strict() -> None:
    claim = Claim(subject="evkg.source:msc", predicate="treats", object="doid:162")
    with pytest.raises(ValidationError):
        claim.subject = "evkg.source:bm-msc"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs"):
        Claim(subject="evkg.source:msc", predicate="treats", object="doid:162", colour="red")  # type: ignore[call-arg]


def test_evidence_hash_depends_on_quote_and_reference() -> None:
    claim = Claim(subject="evkg.source:msc", predicate="treats", object="doid:162")
    common = {"claim_hash": claim.hash, "method": "curated", "level": "in_vivo", "confidence": 0.9}
    one = Evidence(reference="evkg.ref:a2020-j-1", quote="sentence one", **common)
    two = Evidence(reference="evkg.ref:a2020-j-1", quote="sentence two", **common)
    other_ref = Evidence(reference="evkg.ref:b2021-j-1", quote="sentence one", **common)
    assert len({one.hash, two.hash, other_ref.hash}) == 3
    # confidence is an assessment, not part of the evidence's identity
    assert (
        Evidence(
            reference="evkg.ref:a2020-j-1", quote="sentence one", **{**common, "confidence": 0.5}
        ).hash
        == one.hash
    )


def test_committed_json_schema_is_current() -> None:
    committed = (REPO / "schema" / "evkg.schema.json").read_text(encoding="utf-8")
    assert committed == render_json_schema(), (
        "schema/evkg.schema.json is stale: run `evkg schema -o schema/evkg.schema.json`"
    )


def test_json_schema_validates_a_curated_record() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    record_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/CuratedRecord"}
    good = {
        "id": "zh24.test.one",
        "subject": "evkg.source:msc",
        "predicate": "treats",
        "object": "doid:162",
        "evidence": [{"reference": "evkg.ref:a2020-j-1", "quote": "a quote of some length",
                      "section": "Intro", "level": "in_vivo"}],
    }  # fmt: skip
    jsonschema.validate(good, record_schema)
    bad = json.loads(json.dumps(good))
    bad["predicate"] = "cures"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, record_schema)


def _study(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "li2020-bm-msc-evs-rat",
        "doi": "10.1000/x.1",
        "title": "A study title",
        "authors": ["Li X"],
        "year": 2020,
        "journal": "J X",
        "summary": "A curator's own one-line summary.",
        "design": "in_vivo",
        "disease": "doid:3021",
        "outcome": "beneficial",
        "ev": {"source": "evkg.source:bm-msc", "ev_type": "exosomes"},
    }
    return record | changes


def test_a_study_whose_page_prints_no_year_is_kept_undated() -> None:
    study = StudyRecord.model_validate(_study(id="lind-bm-msc-evs-rat", year=None))
    assert study.year is None


@pytest.mark.parametrize(
    ("study_id", "year", "expected"),
    [("li2020-bm-msc-evs-rat", None, "'nd'"), ("lind-bm-msc-evs-rat", 2020, "'2020'")],
)
def test_a_study_id_carries_its_year_or_nd(study_id: str, year: int | None, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        StudyRecord.model_validate(_study(id=study_id, year=year))
