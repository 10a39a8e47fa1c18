"""``evkg qc`` end to end: tables, JSON, TSV, the HTML report and clear errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evkg.cli import cli

from .conftest import REPO

EXAMPLES = REPO / "examples" / "preparations"
FIXTURES = Path(__file__).parent / "fixtures" / "qc"
LOT7, LOT8 = str(EXAMPLES / "lot-07-complete.yaml"), str(EXAMPLES / "lot-08-incomplete.yaml")
SPEC = str(EXAMPLES / "release-spec.yaml")


@pytest.fixture(scope="module")
def nta(data_dir: Path) -> Path:
    if not (data_dir / "nta").is_dir():
        pytest.skip("shared/data/nta not found (the example records point at its exports)")
    return data_dir / "nta"


def qc(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def test_qc_table_output(nta: Path) -> None:
    result = qc("qc", LOT7, LOT8, "--spec", SPEC)
    assert result.exit_code == 0, result.output
    for text in (
        "BM-MSC-EV-lot-07",
        "MISEV2018",
        "EV-METRIC",
        "Lot comparison",
        "FAIL",
        "cargo comparison: not available (no profile attached)",
        "Webber",
    ):
        assert text in result.output


def test_qc_json_and_tsv(nta: Path) -> None:
    result = qc("--format", "json", "qc", LOT7, LOT8, "--spec", SPEC)
    payload = json.loads(result.stdout)
    lot7, lot8 = payload["lots"]
    assert lot7["values"]["concentration_per_ml"] == pytest.approx(4.0e10)
    assert "histogram" not in lot7["values"]
    assert lot8["spec"]["specification"] == "BM-MSC-sEV-release"
    assert lot8["spec"]["passed"] is False
    assert payload["specification"]["required_absent"] == ["calnexin"]
    scores = {s["guideline"]: s["verified_score"] for s in lot8["checklist"]["scores"]}
    assert scores["misev2018"] == pytest.approx(0.3)
    assert payload["comparisons"][0]["comparison"]["lot"] == "BM-MSC-EV-lot-08"
    tsv = qc("--format", "tsv", "--table", "items", "qc", LOT8, "--missing-only")
    lines = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert ["lot", "item", "level", "status", "why", "verified"] in lines
    items = [row for row in lines if len(row) == 6 and row[1].startswith(("misev", "ev_metric",
             "msc_sev", "isct"))]  # fmt: skip
    assert items
    assert all(row[3] == "missing" for row in items)


def test_qc_html_report_is_self_contained(nta: Path, tmp_path: Path) -> None:
    output = tmp_path / "qc.html"
    result = qc("qc", LOT7, LOT8, "--spec", SPEC, "--report", str(output))
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    charts = html.count('<div class="chart"')
    assert charts >= 5  # one control chart per trended attribute
    assert html.count("<svg") == 3 + charts  # one per lot, the overlay, the control charts
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert "<script" not in html
    assert "@import" not in html
    assert "Théry" in html
    assert "Welsh" in html
    assert "unverified" in html
    assert "BM-MSC-EV-lot-08" in html
    assert "Wasserstein" in html
    assert not list(tmp_path.glob("*.partial"))


def test_missing_export_file_is_a_clear_error(tmp_path: Path) -> None:
    record = tmp_path / "lot.yaml"
    record.write_text(
        "id: lot-x\nsource_cells: {species: human}\nparticles:\n"
        "  - method: nta\n    export: ../nowhere/missing-ExperimentSummary.csv\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["qc", str(record)])
    assert result.exit_code == 1
    assert "lot.yaml, line 5, field 'particles.0.export': export file not found" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id: lot-x\nsource_cells: {species: human, passage: -1}\n",
            "line 2, field 'source_cells.passage': Input should be greater than or equal to 0",
        ),
        (
            "id: lot-x\nsource_cells: {species: human}\ncolour: blue\n",
            "line 3, field 'colour': Extra inputs are not permitted",
        ),
        ("id: lot-x\nsource_cells: [oops\n", "not valid YAML"),
        ("- id: a\n- id: b\n", "expected one preparation record"),
        ("id: lot-x\n", "field 'source_cells': Field required"),
        (
            "id: lot-x\nsource_cells: {species: human}\nmarkers:\n"
            "  - {name: CD63, result: maybe}\n",
            "line 4, field 'markers.0.result'",
        ),
    ],
)
def test_bad_records_get_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    record = tmp_path / "lot.yaml"
    record.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["qc", str(record)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_json_record_and_damaged_export(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "nanosight_damaged.csv", tmp_path / "run-ExperimentSummary.csv")
    record = tmp_path / "lot.json"
    record.write_text(
        json.dumps(
            {
                "id": "lot-j",
                "source_cells": {"species": "human"},
                "particles": [{"method": "nta", "export": "run-ExperimentSummary.csv"}],
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["qc", str(record)])
    assert result.exit_code == 1
    assert "run-ExperimentSummary.csv, line 62, field 'column 2': '2.0e9x' is not a number" in (
        result.output
    )
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"id": "x",\n "source_cells": }', encoding="utf-8")
    result = CliRunner().invoke(cli, ["qc", str(bad_json)])
    assert result.exit_code == 1
    assert "bad.json, line 2: not valid JSON" in result.output


def test_failed_measurement_in_a_record(nta: Path, tmp_path: Path) -> None:
    failed = nta / "biovaram_zetaview" / "20250219_0001_EV_ip_p1_F8-1000_size_488.txt"
    record = tmp_path / "lot.yaml"
    record.write_text(
        f"id: lot-f\nsource_cells: {{species: human}}\nparticles:\n"
        f"  - {{method: nta, instrument: ZetaView, export: '{failed}'}}\n",
        encoding="utf-8",
    )
    result = qc("--format", "json", "qc", str(record))
    values = json.loads(result.stdout)["lots"][0]["values"]
    assert values["concentration_per_ml"] is None
    assert any("no particles measured" in w for w in values["warnings"])


def test_zeta_profile_in_a_record_is_refused(nta: Path, tmp_path: Path) -> None:
    prof = nta / "biovaram_zetaview" / "20250227_0007_EV_IP_P2_F3-1000R_prof_488.txt"
    record = tmp_path / "lot.yaml"
    record.write_text(
        f"id: z\nsource_cells: {{species: human}}\nparticles:\n"
        f"  - {{method: nta, export: '{prof}'}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["qc", str(record)])
    assert result.exit_code == 1
    assert "zeta-potential profile" in result.output
    assert "outside size QC" in result.output
