"""NTA parsers: every real export in shared/data/nta against what the instrument printed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evkg.recordfiles import RecordFileError
from evkg.sources.nta import (
    NanoExperiment,
    NtaFormatError,
    ParticleExport,
    PositionScan,
    UnsupportedExportError,
    read_export,
    read_size_export,
)

FIXTURES = Path(__file__).parent / "fixtures" / "qc"
HUGO = "hugosalmon_nanosight-data-analysis"
EMT1 = f"{HUGO}/20210401 EMT1 d20 2021-04-01 15-28-16-ExperimentSummary.csv"
MPC = f"{HUGO}/MPC 28 No stretch d200 2021-04-01 17-23-24-ExperimentSummary.csv"
MILIEU = f"{HUGO}/Milieu diff MPC28 S+E (D6) d200 2021-05-07 10-50-13-ExperimentSummary.csv"
AD45 = "edfadeev_alteromonas-mvs/AD45_F3 2021-11-02 16-09-42-ExperimentSummary.csv"
AD12 = "edfadeev_alteromonas-mvs/AD_12h_B_LS 2020-10-27 11-33-44-ExperimentSummary.csv"
BEADS = "nguyens7_tidynano/beads.csv"
BEADS2 = "nguyens7_tidynano/beads2.csv"
ZV = "biovaram_zetaview"
PC3 = f"{ZV}/20251217_0005_PC3_100kDa_F5_size_488.txt"
IPSC = f"{ZV}/20250227_0005_EV_IP_P2_F3-1000_size_488.txt"
FAILED = f"{ZV}/20250219_0001_EV_ip_p1_F8-1000_size_488.txt"
NANOSIGHT = [EMT1, MPC, MILIEU, AD45, AD12, BEADS, BEADS2]

# README §A1-A3: concentrations per video and average ± SE, as printed in each file
CONCENTRATIONS = {
    EMT1: ([6.72e8, 8.68e8, 1.06e9, 9.29e8, 1.04e9], 9.13e8, 6.97e7),
    MPC: ([2.20e8, 2.06e8, 1.79e8, 1.96e8, 1.97e8], 2.00e8, 6.67e6),
    MILIEU: ([1.50e8, 1.83e8, 1.85e8, 2.00e8, 1.74e8], 1.78e8, 8.24e6),
    AD45: (None, 2.02e8, 5.59e6),
    AD12: ([7.77e6, 8.49e6, 9.51e6, 1.66e7], 1.06e7, 2.03e6),
    BEADS: (None, 1.47e9, 1.07e8),
    BEADS2: ([5.91e12, 6.05e12, 6.01e12, 6.25e12, 6.24e12], 6.09e12, 6.67e10),
}
D50_AVERAGE = {
    EMT1: 75.2,
    MPC: 71.6,
    MILIEU: 81.3,
    AD45: 161.6,
    AD12: 137.6,
    BEADS: 96.4,
    BEADS2: 99.8,
}


@pytest.fixture(scope="module")
def nta(data_dir: Path) -> Path:
    folder = data_dir / "nta"
    if not folder.is_dir():
        pytest.skip("shared/data/nta (real instrument exports) not found")
    return folder


def _percentile_table(path: Path) -> dict[int, list[float]]:
    """Rows 10/50/90 of the number-weighted size percentile table, read independently."""
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Percentile,Size"))
    table = {}
    for line in lines[start + 1 : start + 102]:
        cells = [c for c in next(csv.reader([line])) if c.strip()]
        table[int(float(cells[0]))] = [float(c) for c in cells[1:]]
    return table


@pytest.mark.parametrize("name", NANOSIGHT)
def test_nanosight_concentrations_match_the_instrument(nta: Path, name: str) -> None:
    export = read_size_export(nta / name)
    per_video, average, se = CONCENTRATIONS[name]
    assert export.concentration_per_ml == pytest.approx(average, rel=1e-6)
    assert export.concentration_se == pytest.approx(se, rel=1e-6)
    if per_video is not None:
        assert [v.concentration_per_ml for v in export.videos] == pytest.approx(per_video)
    # the histogram (particles/ml per 1-nm bin) sums to the printed value, to 3 figures
    assert export.histogram is not None
    assert sum(export.histogram.weights) == pytest.approx(average, rel=5e-3)
    for video in export.videos:
        assert video.concentration_per_ml is not None
        assert video.derived.d50_nm is not None


@pytest.mark.parametrize("name", NANOSIGHT)
def test_nanosight_percentiles_mean_sd_recomputed_per_video(nta: Path, name: str) -> None:
    export = read_size_export(nta / name)
    table = _percentile_table(nta / name)
    for k, video in enumerate(export.videos):
        for field, row in (("d10_nm", 10), ("d50_nm", 50), ("d90_nm", 90)):
            derived = getattr(video.derived, field)
            assert derived == pytest.approx(getattr(video.reported, field), abs=0.051)
            assert derived == pytest.approx(table[row][k], abs=0.051)
        assert video.derived.mean_nm == pytest.approx(video.reported.mean_nm, abs=0.051)
        assert video.derived.sd_nm == pytest.approx(video.reported.sd_nm, abs=0.051)
        # Mode comes from a smoothed curve: the arg-max bin is within about 1 nm... or more
        assert video.reported.mode_nm is not None
    assert not [w for w in export.warnings if w.item.startswith("evkg check")]
    assert export.reported.d50_nm == pytest.approx(D50_AVERAGE[name])
    # the Average column is the mean of the per-video values
    mean_d50 = sum(v.reported.d50_nm or 0 for v in export.videos) / len(export.videos)
    assert export.reported.d50_nm == pytest.approx(mean_d50, abs=0.051)


def test_nta_32_uses_lower_bin_edges_and_34_upper(nta: Path) -> None:
    assert read_size_export(nta / BEADS).percentile_rule == "lower_edge"
    assert read_size_export(nta / BEADS2).percentile_rule == "upper_edge"
    assert read_size_export(nta / EMT1).percentile_rule == "upper_edge"


def test_merged_statistics_match_the_pdf_report(nta: Path) -> None:
    """README §A1, PDF 'Merged Data': Mean 88.5, SD 35.8, D10 52.3, D50 80.5, D90 131.3."""
    merged = read_size_export(nta / MILIEU).derived
    assert merged.mean_nm == pytest.approx(88.5, abs=0.05)
    assert merged.sd_nm == pytest.approx(35.8, abs=0.05)
    assert merged.d10_nm == pytest.approx(52.3, abs=0.05)
    assert merged.d50_nm == pytest.approx(80.5, abs=0.05)
    assert merged.d90_nm == pytest.approx(131.3, abs=0.05)
    assert merged.mode_nm == pytest.approx(75.7, abs=1.0)  # smoothed in NTA: arg-max within 1 nm
    reported = read_size_export(nta / MILIEU).reported  # the PDF's "Mean +/- SE" column
    assert (reported.mean_nm, reported.mode_nm, reported.sd_nm) == (88.6, 71.8, 35.3)
    assert (reported.d10_nm, reported.d50_nm, reported.d90_nm) == (52.5, 81.3, 131.8)


def test_dilution_recorded_in_beads2_is_already_applied(nta: Path) -> None:
    export = read_size_export(nta / BEADS2)
    assert export.dilution_factor == 1.0e4
    assert export.concentration_per_ml == pytest.approx(6.09e12)
    assert export.measured_concentration_per_ml == pytest.approx(6.09e8)
    for name in (EMT1, MPC, MILIEU, AD45, AD12, BEADS):
        assert read_size_export(nta / name).dilution_factor is None


def test_nanosight_warnings_are_surfaced(nta: Path) -> None:
    emt1 = {w.text() for w in read_size_export(nta / EMT1).warnings}
    assert (
        "video 1: Validity of concentration measurement: Be cautious of data due to noise" in emt1
    )
    assert "video 1: Noise level: Noise detected" in emt1
    assert not any(t.startswith("video 2") for t in emt1)
    ad12 = read_size_export(nta / AD12)
    texts = {w.text() for w in ad12.warnings}
    for k in range(1, 5):
        assert f"video {k}: Validity of concentration measurement: Unreliable" in texts
        assert f"video {k}: Particles per frame: Too Low" in texts
    assert "video 1: Completed Tracks: <200" in texts
    assert [v.valid_tracks for v in ad12.videos] == [45, 46, 48, 83]
    mpc = read_size_export(nta / MPC).warnings
    assert not [w for w in mpc if w.item == "Validity of concentration measurement"]
    assert {w.severity for w in mpc if w.item == "Vibration correction applied"} == {"info"}


def test_nanosight_versions_and_layout_quirks(nta: Path) -> None:
    beads = read_size_export(nta / BEADS)
    assert len(beads.videos) == 12
    assert beads.sample is None
    assert beads.software == "NTA 3.2 Dev Build 3.2.16"
    assert len(read_size_export(nta / AD12).videos) == 4
    assert read_size_export(nta / BEADS2).sample == "100nmbeads"


def test_zetaview_size_files_match_the_instrument(nta: Path) -> None:
    pc3 = read_size_export(nta / PC3)
    assert pc3.format == "zetaview_size"
    assert pc3.reported.d50_nm == 127.338710
    assert round(pc3.derived.d50_nm or 0, 6) == 127.338710
    assert pc3.dilution_factor == 500
    assert pc3.measured_concentration_per_ml == pytest.approx(1.313e7, rel=1e-3)
    assert pc3.concentration_per_ml == pytest.approx(6.6e9, rel=1e-2)  # PDF: original 6.6E+9
    assert pc3.traces == 630
    # PDF report: X10 79.8, X50 127.3, X90 213.5, span 1.1, mean 143.8, SD 62.0 (number)
    d = pc3.derived
    assert (d.d10_nm, d.d90_nm) == (pytest.approx(79.8, abs=0.05), pytest.approx(213.5, abs=0.05))
    assert d.mean_nm == pytest.approx(143.8, abs=0.05)
    assert d.sd_nm == pytest.approx(62.0, abs=0.05)
    assert d.span == pytest.approx(1.1, abs=0.05)
    assert not [w for w in pc3.warnings if w.item.startswith("evkg check")]  # incl. volume D50
    assert {w.text() for w in pc3.warnings} == {"Particle drift check: too high"}
    ipsc = read_size_export(nta / IPSC)
    assert ipsc.reported.d50_nm == 138.75
    assert ipsc.derived.d50_nm == pytest.approx(138.75)
    assert ipsc.dilution_factor == 1000
    assert ipsc.measured_concentration_per_ml == pytest.approx(1.097e7, rel=1e-3)
    assert ipsc.concentration_per_ml == pytest.approx(1.097e10, rel=1e-3)
    assert ipsc.histogram is not None
    assert len(ipsc.histogram.centres_nm) == 1200
    assert ipsc.histogram.centres_nm[-1] == 5997.5


def test_failed_zetaview_measurement_reports_no_particles(nta: Path) -> None:
    failed = read_size_export(nta / FAILED)
    assert failed.status == "no_particles"
    assert failed.concentration_per_ml is None
    assert failed.derived.d50_nm is None
    assert failed.reported.d50_nm is None
    assert any("no particles measured" in w.text() for w in failed.warnings)
    scan = read_export(nta / f"{ZV}/20250219_0001_EV_ip_p1_F8-1000_size_488_11pos.txt")
    assert isinstance(scan, PositionScan)
    assert scan.status == "no_particles"
    assert [p.removal for p in scan.positions].count("MIN_TRACES") == 10
    assert [p.removal for p in scan.positions].count("GRUBBS_NUMBER") == 1


def test_zetaview_positions_table(nta: Path) -> None:
    scan = read_export(nta / f"{ZV}/20250227_0005_EV_IP_P2_F3-1000_size_488_11pos.txt")
    assert isinstance(scan, PositionScan)
    assert scan.status == "ok"
    assert len(scan.positions) == 11
    assert sum(p.used for p in scan.positions) == 7
    assert scan.mean_concentration_per_ml == 1.1e7
    assert scan.mean_original_concentration_per_ml == 1.1e10
    with pytest.raises(UnsupportedExportError, match="11-position"):
        read_size_export(nta / f"{ZV}/20250227_0005_EV_IP_P2_F3-1000_size_488_11pos.txt")


def test_zeta_potential_profile_is_refused_clearly(nta: Path) -> None:
    with pytest.raises(UnsupportedExportError, match="zeta-potential profile") as caught:
        read_export(nta / f"{ZV}/20250227_0007_EV_IP_P2_F3-1000R_prof_488.txt")
    assert "prof_488.txt" in str(caught.value)


def test_nano_experiment_file(nta: Path) -> None:
    nano = read_export(nta / f"{HUGO}/20210401 EMT1 d20 2021-04-01 15-28-16.nano")
    assert isinstance(nano, NanoExperiment)
    assert nano.sample == "d20"
    assert len(nano.videos) == 5
    assert nano.dilution_factors == (None,) * 5
    assert nano.temperatures_c[0] == 26.173
    with pytest.raises(UnsupportedExportError, match=r"\.nano"):
        read_size_export(nta / f"{HUGO}/20210401 EMT1 d20 2021-04-01 15-28-16.nano")


def test_pdf_report_is_an_unknown_format(nta: Path) -> None:
    with pytest.raises(NtaFormatError, match="unknown export format"):
        read_export(nta / MILIEU.replace("Summary.csv", "Report.pdf"))


# ---------------------------------------------------------------- hand-written fixtures


def test_small_fixture_dilution_and_warnings() -> None:
    export = read_size_export(FIXTURES / "nanosight_small.csv")
    assert isinstance(export, ParticleExport)
    assert export.concentration_per_ml == 1.5e10
    assert export.measured_concentration_per_ml == pytest.approx(1.5e8)
    assert export.videos[0].derived.mean_nm == pytest.approx(99.5)  # symmetric by construction
    assert [w.text() for w in export.warnings] == [
        "video 2: Validity of concentration measurement: Be cautious of data due to noise",
        "video 2: Noise level: Noise detected",
    ]
    zv = read_size_export(FIXTURES / "zetaview_small_size.txt")
    assert zv.derived.d50_nm == pytest.approx(105.0)
    assert zv.concentration_per_ml == 1.0e7
    assert not zv.warnings


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        (
            "nanosight_truncated.csv",
            NtaFormatError,
            r"line 62: file ends inside the Number histogram",
        ),
        (
            "nanosight_damaged.csv",
            NtaFormatError,
            r"line 62, field 'column 2': '2.0e9x' is not a number",
        ),
        ("nanosight_utf16.csv", NtaFormatError, r"UTF-16"),
        ("zetaview_truncated_size.txt", NtaFormatError, r"ends before the '-1' separator"),
        ("zetaview_prof_small.txt", UnsupportedExportError, r"zeta-potential profile"),
        ("unknown_export.txt", NtaFormatError, r"line 1: unknown export format"),
        ("does-not-exist.csv", NtaFormatError, r"cannot be read"),
    ],
)
def test_bad_exports_name_file_and_line(name: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        read_size_export(FIXTURES / name)
    assert isinstance(caught.value, RecordFileError)
    assert name in str(caught.value)


def test_binary_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(400))
    with pytest.raises(NtaFormatError, match="binary data"):
        read_export(path)
