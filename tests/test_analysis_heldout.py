"""Leave-one-study-out cases: the profile a study gives, the knowledge without it, ranks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evkg.analysis.heldout import (
    HeldOutCase,
    case_profile,
    rank_of,
    raw_order,
    summarise,
    without_reference,
)
from evkg.analysis.indications import Indication
from evkg.api import Knowledge, open_knowledge
from evkg.api.analysis_eval import evaluate_indications
from evkg.cli import cli
from evkg.model import (
    Claim,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
    StudyRecord,
)
from evkg.store import StoredClaim


def _study(cargo: list[dict[str, Any]], species: str = "ncbitaxon:10090") -> StudyRecord:
    return StudyRecord.model_validate(
        {
            "id": "smith2020-test-study",
            "pmid": "12345678",
            "title": "A test study of EVs",
            "authors": ["Smith J"],
            "year": 2020,
            "journal": "Test J",
            "summary": "Mouse MSC EVs carrying a miRNA eased a test injury in mice.",
            "design": "in_vivo",
            "disease": "doid:3021",
            "outcome": "beneficial",
            "ev": {"source": "evkg.source:bm-msc", "species": species, "ev_type": "exosomes"},
            "cargo": cargo,
        }
    )


def test_case_profile_keeps_mirna_and_protein_cargo_only() -> None:
    study = _study(
        [
            {"id": "mirbase.mature:MIMAT0000651", "type": "miRNA", "necessity": "shown"},
            {"id": "hgnc:8015", "type": "protein"},
            {"id": "hgnc:6018", "type": "mRNA"},  # an mRNA is not protein cargo
            {"id": "chebi:28748", "type": "drug"},
        ]
    )
    profile = case_profile(study, label=lambda curie: curie.upper())
    assert profile is not None
    assert [(i.curie, i.kind) for i in profile.items] == [
        ("mirbase.mature:MIMAT0000651", "mirna"),
        ("hgnc:8015", "gene"),
    ]
    assert [i.abundance for i in profile.items] == [0.5, 0.5]
    assert profile.items[0].label == "MIRBASE.MATURE:MIMAT0000651"
    assert profile.species == "mmu"  # the EVs' producing cells, not the model
    assert case_profile(_study([{"id": "chebi:28748", "type": "drug"}])) is None


def _claim(reference: str, *others: str) -> StoredClaim:
    claim = Claim(subject="evkg.source:bm-msc", predicate=Predicate.TREATS, object="doid:3021")
    evidence = tuple(
        Evidence(
            claim_hash=claim.hash,
            reference=r,
            quote=f"from {r}",
            method=EvidenceMethod.CURATED,
            level=EvidenceLevel.IN_VIVO,
            confidence=0.9,
        )
        for r in (reference, *others)
    )
    return StoredClaim(claim.hash, claim, evidence, (), len(evidence), "in_vivo", 0.9, 2020)


def test_without_reference_removes_the_study_and_only_it() -> None:
    only = _claim("pubmed:1")
    shared = _claim("pubmed:1", "pubmed:2")
    other = _claim("pubmed:3")
    kept = without_reference([only, shared, other], "pubmed:1")
    assert [c.references for c in kept] == [("pubmed:2",), ("pubmed:3",)]
    assert kept[0].n_references == 1
    assert kept[1] is other


def _indication(disease: str, score: float) -> Indication:
    return Indication(disease, disease, score, score, 0.0, 0, 0, 0, ())


def test_rank_of_counts_predictions_by_identity() -> None:
    ranked = [_indication("a", 3.0), _indication("b", -1.0), _indication("mondo:x", 1.0)]
    canonical = {"doid:x": "doid:x", "mondo:x": "doid:x"}.get
    same = lambda curie: canonical(curie) or curie  # noqa: E731
    assert rank_of(ranked, "doid:x", same) == 2  # the harmful "b" is no prediction
    assert rank_of(ranked, "a", same) == 1
    assert rank_of(ranked, "b", same) is None
    assert [i.disease for i in raw_order(ranked[::-1])] == ["a", "mondo:x", "b"]


def test_summary_figures() -> None:
    cases = [
        HeldOutCase("s1", "d", "d", (), 1, 4, 10),
        HeldOutCase("s2", "d", "d", (), 3, 1, 10),
        HeldOutCase("s3", "d", "d", (), 12, None, 10),
        HeldOutCase("s4", "d", "d", (), None, None, 0),
    ]
    summary = summarise(cases, skipped=7, draws=50)
    raw, calibrated = summary.figures["raw"], summary.figures["calibrated"]
    assert raw == {
        "cases": 4,
        "returned": 3,
        "median_rank_returned": 3,
        "top1": 0.25,
        "top3": 0.5,
        "top10": 0.5,
    }
    assert calibrated["returned"] == 2
    assert calibrated["median_rank_returned"] == 2.5
    assert calibrated["top3"] == 0.25
    assert list(summary.to_frame("cases")["study"]) == ["s1", "s2", "s3", "s4"]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'evkg.sqlite'}"
    return open_knowledge(database_url=url)


def test_evaluation_on_the_curated_studies(knowledge: Knowledge, tmp_path: Path) -> None:
    # no reference data: curated targets only, nothing to draw random profiles from
    summary = evaluate_indications(knowledge, data_dir=tmp_path, draws=0, limit=6)
    assert len(summary.cases) == 6
    assert summary.skipped > 0
    studies = {s.id: s for s in knowledge.store.studies(knowledge_filter())}
    for case in summary.cases:
        study = studies[case.study]
        assert case.disease == study.disease
        assert case.cargo
        assert case.calibrated_rank is None  # draws=0
        assert case.raw_rank is None or 1 <= case.raw_rank <= case.returned
    assert summary.figures["raw"]["cases"] == 6


def knowledge_filter() -> Any:
    from evkg.store import StudyFilter

    return StudyFilter()


def test_cli_eval_analysis(knowledge: Knowledge, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("EVKG_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))  # no reference data
    url = str(knowledge.store.url)
    result = CliRunner().invoke(
        cli,
        ["--database-url", url, "--format", "json", "eval", "analysis", "--limit", "3",
         "--draws", "0", "--cases"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["figures"]["raw"]["cases"] == 3
    assert len(data["cases"]) == 3


def test_controls_need_the_interaction_table(knowledge: Knowledge, tmp_path: Path) -> None:
    from evkg.api.analysis_eval import evaluate_controls

    assert evaluate_controls(knowledge, data_dir=tmp_path, profiles=2) is None


@pytest.mark.reference_data
@pytest.mark.slow
def test_random_mirna_sets_get_indications_raw_but_none_calibrated(
    knowledge: Knowledge, data_dir: Path
) -> None:
    from evkg.api.analysis_eval import evaluate_controls
    from evkg.vocab import load_vocabulary

    full = Knowledge(knowledge.store, load_vocabulary(data_dir))
    run = evaluate_controls(full, data_dir=data_dir, profiles=3, draws=40)
    assert run is not None
    assert run.mean_returned > 10  # the raw list always has something to say
    assert run.mean_above_random < run.mean_returned / 4  # about 5 % by chance
    assert run.with_any_significant == 0
