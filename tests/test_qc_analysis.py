"""QC findings on the example records: checklist, purity, specification, lot comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.analysis.qc import LotValues, compare_lots, ks_statistic, wasserstein_nm
from evkg.api.qc import NO_CARGO, QcRun, run_qc
from evkg.sources.nta import SizeHistogram, SizeStats

from .conftest import REPO

EXAMPLES = REPO / "examples" / "preparations"
LOT7, LOT8 = EXAMPLES / "lot-07-complete.yaml", EXAMPLES / "lot-08-incomplete.yaml"
SPEC = EXAMPLES / "release-spec.yaml"


@pytest.fixture(scope="module")
def run(data_dir: Path) -> QcRun:
    if not (data_dir / "nta").is_dir():
        pytest.skip("shared/data/nta not found (the example records point at its exports)")
    return run_qc([LOT7, LOT8], spec=SPEC)


def test_complete_record_meets_every_applicable_item(run: QcRun) -> None:
    lot7 = run.lots[0]
    for score in lot7.checklist.scores:
        assert score.all_items_score == 1.0, (
            score.guideline,
            [
                (i.id, i.reason)
                for i in lot7.checklist.items
                if i.guideline == score.guideline and i.status == "missing"
            ],
        )
    not_applicable = {i.id for i in lot7.checklist.items if i.status == "not_applicable"}
    assert not_applicable == {
        "misev2018.markers.category4",
        "misev2018.markers.category5",
        "misev2023.function.in_vivo",
    }


def test_complete_record_values_come_from_the_export_and_dilution(run: QcRun) -> None:
    values = run.lots[0].values
    assert values.concentration_per_ml == pytest.approx(2.00e8 * 200)  # d200, record dilution
    assert values.stats.d50_nm == 71.6  # as the instrument printed
    assert values.protein_ug_per_ml == 10
    assert values.particles_per_ug == pytest.approx(4.0e9)
    assert values.purity is not None
    assert values.purity.label == "low purity"
    assert "Webber" in values.purity.citation
    assert values.purity.verified is False
    assert any("dilution 1:200 from the record applied" in w for w in values.warnings)
    assert run.lots[0].spec is not None
    assert run.lots[0].spec.passed


def test_incomplete_record_gives_the_expected_findings(run: QcRun) -> None:
    lot8 = run.lots[1]
    missing = {i.id for i in lot8.checklist.items if i.status == "missing"}
    expected = {
        "misev2018.quantification.source_amount",
        "misev2018.quantification.two_methods",
        "misev2018.characterisation.ratio",
        "misev2018.purity.category3",
        "misev2018.single_ev.images",
        "misev2018.markers.summary",
        "misev2018.topology",
        "ev_metric.density_gradient",
        "ev_metric.ultracentrifugation",
        "ev_metric.antibodies",
        "ev_metric.lysate",
        "msc_sev.origin_ev",
        "msc_sev.integrity",
        "isct_msc.positive_markers",
        "misev2023.source.passage",
    }
    assert expected <= missing
    met = {i.id for i in lot8.checklist.items if i.status == "met"}
    assert {
        "misev2018.markers.category1",
        "misev2018.markers.category2",
        "misev2018.single_ev.non_image",
        "msc_sev.membrane",
    } <= met
    assert lot8.checklist.score("misev2018").verified_score == pytest.approx(3 / 10)
    assert lot8.checklist.score("ev_metric").all_items_score == pytest.approx(2 / 9)
    item = lot8.checklist.item("ev_metric.ultracentrifugation")
    assert "no rotor" in item.reason
    assert "no k_factor" in item.reason
    assert lot8.values.particles_per_ug is None
    assert lot8.values.purity is None
    assert lot8.spec is not None
    assert not lot8.spec.passed
    failed = {r.parameter for r in lot8.spec.results if r.status == "fail"}
    assert failed == {"marker CD81", "marker calnexin", "freeze-thaw cycles"}
    assert {r.parameter for r in lot8.spec.results if r.status == "not_measured"} == {
        "particles per µg protein"
    }


def test_lot_comparison(run: QcRun) -> None:
    (pair,) = run.pairs
    c = pair.comparison
    assert (c.reference, c.lot) == ("BM-MSC-EV-lot-07", "BM-MSC-EV-lot-08")
    assert c.d50_difference_nm == pytest.approx(81.3 - 71.6)
    assert c.concentration_ratio == pytest.approx(1.78 / 2.00)
    assert c.wasserstein_nm is not None
    assert 0 < c.wasserstein_nm < 30
    assert c.ks_statistic is not None
    assert 0 < c.ks_statistic < 1
    assert {d.marker for d in c.marker_differences} == {
        "CD81",
        "CD9",
        "syntenin",
        "calnexin",
        "ApoA1",
        "CD73",
        "CD90",
        "CD105",
        "CD44",
        "CD45",
    }
    assert pair.cargo_summary == NO_CARGO


def test_distances_on_constructed_histograms() -> None:
    a = SizeHistogram(
        centres_nm=tuple(float(c) for c in range(50, 150)),
        weights=tuple(1.0 for _ in range(100)),
        unit="",
    )
    shifted = SizeHistogram(
        centres_nm=tuple(c + 20 for c in a.centres_nm), weights=a.weights, unit=""
    )
    assert wasserstein_nm(a, a) == 0
    assert ks_statistic(a, a) == 0
    assert wasserstein_nm(a, shifted) == pytest.approx(20.0)
    assert ks_statistic(a, shifted) == pytest.approx(0.2)
    coarse = SizeHistogram(centres_nm=(52.5, 57.5), weights=(1.0, 1.0), unit="")  # 5-nm bins
    assert wasserstein_nm(coarse, coarse) == 0
    same = compare_lots(
        LotValues(id="a", histogram=a, stats=SizeStats(d50_nm=100)),
        LotValues(id="b", histogram=a, stats=SizeStats(d50_nm=100)),
    )
    assert same.wasserstein_nm == 0
    assert same.d50_difference_nm == 0
    assert not same.marker_differences
    assert compare_lots(LotValues(id="a"), LotValues(id="b")).wasserstein_nm is None


def _record(path: Path, lot: str, cargo: str | None, d50: float) -> Path:
    lines = [
        f"id: {lot}",
        "source_cells: {species: human, tissue: umbilical cord}",
        "particles:",
        f"  - {{method: nta, values: {{concentration_per_ml: 1.0e+10, d50_nm: {d50}}}}}",
        "protein: {method: bca, total_ug: 50}",
        "final_volume_ml: 0.5",
    ]
    if cargo:
        lines.append(f"cargo_profile: {cargo}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_record_values_without_export_and_protein_from_total(tmp_path: Path) -> None:
    run = run_qc([_record(tmp_path / "a.yaml", "lot-a", None, 110.0)])
    values = run.lots[0].values
    assert values.protein_ug_per_ml == 100.0  # 50 µg in 0.5 ml
    assert values.particles_per_ug == pytest.approx(1.0e8)
    assert values.purity is not None
    assert values.purity.label == "impure"
    assert values.concentration_source == "values in the record"
    assert run.pairs == ()


def test_cargo_comparison_uses_the_cargo_analysis(tmp_path: Path) -> None:
    pytest.importorskip("evkg.analysis.compare")
    fixtures = Path(__file__).parent / "fixtures" / "qc"
    a = _record(tmp_path / "a.yaml", "lot-a", str(fixtures / "cargo_lot_a.tsv"), 110.0)
    b = _record(tmp_path / "b.yaml", "lot-b", str(fixtures / "cargo_lot_b.tsv"), 120.0)
    (pair,) = run_qc([a, b]).pairs
    assert pair.cargo_summary.startswith("cargo comparison: 2 shared of 3 / 3 items")
    assert "hsa-miR-150-5p gained" in pair.cargo_summary
    assert "hsa-let-7c-5p lost" in pair.cargo_summary
    assert pair.cargo["shared"] == 2
    assert pair.comparison.d50_difference_nm == pytest.approx(10.0)
    assert pair.comparison.wasserstein_nm is None  # no histograms: values typed in
    (no_cargo,) = run_qc([a, _record(tmp_path / "c.yaml", "lot-c", None, 100.0)]).pairs
    assert no_cargo.cargo_summary == NO_CARGO


def test_missing_cargo_profile_is_a_clear_error(tmp_path: Path) -> None:
    from evkg.recordfiles import RecordFileError

    record = _record(tmp_path / "a.yaml", "lot-a", "profiles/missing.tsv", 110.0)
    with pytest.raises(RecordFileError, match=r"line 7, field 'cargo_profile': cargo profile not"):
        run_qc([record])
