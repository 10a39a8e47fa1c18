"""Preparation QC for a release lab (issue 15): verified criteria scored apart, MSC identity on
the vesicles, potency/safety/contaminant release lines, trending, data entry, the README run."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evkg.analysis.qc import LotValues, evaluate_checklist
from evkg.analysis.qc.trend import control_limits, monotonic_runs, trend_lots
from evkg.analysis.qc.values import LotProcess
from evkg.api.qc import load_rules, run_qc
from evkg.cli import cli
from evkg.model.preparation import Preparation
from evkg.model.spellings import parse_lab_date, parse_lab_number
from evkg.recordfiles import RecordProblemsError
from evkg.sources.nta import SizeStats

from .conftest import REPO

SERIES = REPO / "examples" / "preparations" / "series"
LOTS = sorted(SERIES.glob("lot-0*.yaml"))
SPEC = SERIES / "release-spec.yaml"


@pytest.fixture(scope="module")
def series() -> Any:
    return run_qc(LOTS, spec=SPEC)


def _record(tmp_path: Path, text: str, name: str = "lot.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BASE = "id: lot-x\nsource_cells: {species: human, tissue: bone marrow}\n"


# ---------------------------------------------------------------- 1. criteria and scores


def test_scores_keep_verified_and_unverified_items_apart(tmp_path: Path) -> None:
    rules = load_rules()
    context = Preparation.model_validate(
        {"id": "x", "source_cells": {"species": "human", "passage": 3}}
    ).model_dump(mode="json")
    context["derived"] = {}
    result = evaluate_checklist(context, rules)
    score = result.score("misev2023")
    # every verified MISEV2023 item applies except the functional-assay one (none recorded)
    verified = [i for i in result.items if i.guideline == "misev2023" and i.verified]
    assert score.verified_applicable == len(verified) - 1
    assert [i.id for i in verified if i.status == "not_applicable"] == [
        "misev2023.function.controls"
    ]
    assert score.verified_applicable + score.unverified_applicable == (
        score.met + score.missing + score.flagged
    )
    assert score.unverified_met >= 1  # passage is met, and it is an unverified item
    assert score.verified_met == 0
    assert score.verified_score == 0.0
    assert score.unverified_score is not None
    assert score.unverified_score > 0


def test_report_never_prints_a_mixed_figure_unlabelled(series: Any, tmp_path: Path) -> None:
    from evkg.api.qc import report_html

    html = report_html(series)
    summary = html[html.index("<h2>Summary</h2>") : html.index("</table>", html.index("Summary"))]
    assert "unverified" in summary
    assert "all_items" not in summary
    for lot in series.lots:
        mixed = lot.checklist.score("misev2023").all_items_score
        assert f"{100 * mixed:.0f} % (mixed)" in html
    assert "verified against:" in html
    assert "PMID 16923606" in html  # ISCT, where it was read


def test_cli_labels_the_mixed_figure(series: Any) -> None:
    result = CliRunner().invoke(
        cli, ["--format", "tsv", "--table", "scores", "qc", *map(str, LOTS)]
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("lot\tguideline"))
    assert header.split("\t")[2:4] == ["verified items", "verified score"]
    assert "all items (mixes verified and unverified)" in header


# ---------------------------------------------------------------- 2. MSC-sEV identity


def test_msc_identity_on_the_vesicles_apart_from_the_cells(series: Any) -> None:
    ident = series.lots[0].identity
    assert ident.ev_verdict == "shown"
    assert {r.marker for r in ident.ev_rows if r.status == "ok"} >= {"CD73", "CD44", "CD45"}
    assert ident.cell_verdict == "shown"
    assert all(r.requirement.endswith("of cells") for r in ident.cell_rows)
    item = series.lots[0].checklist.item("msc_sev.origin_ev")
    assert item.status == "met"


def test_haematopoietic_antigen_on_the_vesicles_fails_identity(tmp_path: Path) -> None:
    path = _record(
        tmp_path,
        BASE + "markers:\n  - {name: CD73, result: present}\n  - {name: CD90, result: present}\n"
        "  - {name: CD45, result: present}\n",
    )
    lot = run_qc([path]).lots[0]
    assert lot.identity.ev_verdict == "contradicted"
    item = lot.checklist.item("msc_sev.origin_non_msc")
    assert (item.status, item.flag) == ("flagged", "fail")
    assert lot.identity.cell_verdict == "not_recorded"  # cells are their own section


def test_membrane_and_integrity_evidence(tmp_path: Path) -> None:
    path = _record(
        tmp_path, BASE + "integrity: {detergent_lysis_percent: 90, protease_protection: shown}\n"
    )
    lot = run_qc([path]).lots[0]
    assert lot.checklist.item("msc_sev.membrane").status == "met"
    assert lot.checklist.item("msc_sev.integrity").status == "met"
    bare = run_qc([_record(tmp_path, BASE, "bare.yaml")]).lots[0]
    assert bare.checklist.item("msc_sev.membrane").status == "missing"


# ---------------------------------------------------------------- 3. release testing


def test_albumin_is_flagged_never_met(series: Any) -> None:
    lot4 = series.lots[3]
    (finding,) = [f for f in lot4.values.contaminants if f.analyte == "albumin"]
    assert finding.status == "warn"  # 150 ng/ml: above the warning limit, below failure
    item = lot4.checklist.item("misev2018.purity.category3")
    assert (item.status, item.flag) == ("flagged", "warn")
    line = next(r for r in lot4.spec.results if r.parameter == "contaminant: albumin")
    assert line.status == "warn"
    assert lot4.spec.passed  # a warning does not fail release
    lot1 = series.lots[0]
    assert lot1.checklist.item("misev2018.purity.category3").status == "met"


def test_contaminant_severity_by_level_and_class(tmp_path: Path) -> None:
    spec = _record(
        tmp_path,
        "id: s\ncontaminant_limits:\n  albumin: {unit: ng/ml, warn_above: 100, fail_above: 500}\n",
        "spec.yaml",
    )
    text = BASE + (
        "impurities:\n  - {analyte: albumin, result: present, amount: 800, unit: ng/ml}\n"
        "markers:\n  - {name: ApoB, result: present}\n  - {name: calnexin, result: present}\n"
    )
    lot = run_qc([_record(tmp_path, text)], spec=spec).lots[0]
    status = {f.analyte: f.status for f in lot.values.contaminants}
    assert status == {"albumin": "fail", "ApoB": "warn", "calnexin": "fail"}
    assert not lot.spec.passed
    item = lot.checklist.item("misev2018.purity.category3")
    assert (item.status, item.flag) == ("flagged", "fail")


def test_potency_safety_and_procoagulant_spec_lines(series: Any, tmp_path: Path) -> None:
    lot5 = series.lots[4]
    lines = {r.parameter: r for r in lot5.spec.results}
    assert lines["potency: T-cell proliferation"].status == "fail"  # 52 < 55
    for name in ("endotoxin", "sterility", "mycoplasma", "tissue factor (CD142+ vesicles, %)"):
        assert lines[name].status == "pass", name
    assert lines["procoagulant activity"].status == "pass"
    assert not lot5.spec.passed
    wrong = (LOTS[0].read_text(encoding="utf-8")
             .replace('unit: "% inhibition"', 'unit: "% of control"')
             .replace("mycoplasma: negative", "mycoplasma: positive")
             .replace("exports/", str(SERIES / "exports") + "/"))  # fmt: skip
    lot = run_qc([_record(tmp_path, wrong)], spec=SPEC).lots[0]
    lines = {r.parameter: r for r in lot.spec.results}
    assert lines["potency: T-cell proliferation"].status == "fail"
    assert "unit % of control" in (lines["potency: T-cell proliferation"].note or "")
    assert lines["mycoplasma"].status == "fail"


# ---------------------------------------------------------------- 4. lots over time


def test_worked_series_flags_the_drifting_attributes(series: Any) -> None:
    trend = series.trend
    assert trend.ordered_by == "date"
    assert "qualified" in trend.basis_rule
    d50 = next(a for a in trend.attributes if a.key == "d50_nm")
    assert d50.drifting
    assert d50.basis == ("MSC-EV-lot-01", "MSC-EV-lot-02", "MSC-EV-lot-03")
    assert d50.mean == pytest.approx(101.0, abs=0.6)
    assert any(f.startswith("drift: 5 consecutive lots rising") for f in d50.flags)
    assert "outside control limits" in d50.points[-1].flags
    potency = next(a for a in trend.attributes if a.key.startswith("potency:"))
    assert potency.drifting
    assert "outside specification" in potency.points[-1].flags
    concentration = next(a for a in trend.attributes if a.key == "concentration_per_ml")
    assert not concentration.drifting
    assert [w.aspect for w in trend.warnings] == ["donor"]


def test_control_limits_and_runs() -> None:
    assert control_limits([1.0, 2.0]) is None
    mean, sd, lcl, ucl = control_limits([10.0, 12.0, 14.0]) or (0, 0, 0, 0)
    assert (mean, sd, lcl, ucl) == (12.0, 2.0, 6.0, 18.0)
    assert monotonic_runs([5, 4, 3, 2, 1]) == [range(5)]
    assert monotonic_runs([1, 2, 3, 4, None, 5]) == []


def test_lots_from_different_tissue_warn_and_order_by_date() -> None:
    def lot(i: str, day: int, tissue: str, d50: float) -> LotValues:
        return LotValues(
            id=i,
            date=dt.date(2025, 1, day),
            process=LotProcess(tissue=tissue, steps=("ultracentrifugation",)),
            stats=SizeStats(d50_nm=d50),
        )

    report = trend_lots(
        [lot("b", 9, "umbilical cord", 120), lot("a", 2, "bone marrow", 100),
         lot("c", 5, "bone marrow", 101), lot("d", 7, "bone marrow", 99)]
    )  # fmt: skip
    assert report.lots == ("a", "c", "d", "b")
    (warning,) = report.warnings
    assert warning.aspect == "source tissue"
    assert "umbilical cord (b)" in warning.text
    d50 = report.attributes[0]
    assert d50.basis == ("a", "c", "d", "b")  # none qualified: all lots, said so
    assert "all lots" in report.basis_rule


def test_control_charts_in_report_and_web_page(series: Any) -> None:
    from evkg.api.qc import report_html

    html = report_html(series)
    charts = re.findall(r'<div class="chart" data-attribute="([^"]+)">\s*<svg', html)
    assert set(charts) == {a.key for a in series.trend.attributes}
    assert "D50 — DRIFT" in html


# ---------------------------------------------------------------- 5. data entry


@pytest.mark.parametrize(
    ("text", "value"),
    [("2.4E+07", 2.4e7), ("2,4e7", 2.4e7), ("2.4 x 10^7", 2.4e7), ("2.4×10⁷", 2.4e7),
     ("24 000 000", 2.4e7), ("96 %", 96.0), ("0,5", 0.5)],
)  # fmt: skip
def test_numbers_in_usual_spellings(text: str, value: float) -> None:
    assert parse_lab_number(text) == pytest.approx(value)


def test_dates_in_usual_spellings_and_ambiguity_refused() -> None:
    for text in ("2025-03-04", "04.03.2025", "4 March 2025", "Mar 4, 2025", "2025/03/04"):
        assert parse_lab_date(text) == dt.date(2025, 3, 4), text
    assert parse_lab_date(dt.date(2025, 3, 4)) == dt.date(2025, 3, 4)  # unquoted YAML date
    with pytest.raises(ValueError, match="ambiguous"):
        parse_lab_date("03/04/2025")
    with pytest.raises(ValueError, match="ambiguous"):
        parse_lab_number("2,400")


def test_unquoted_date_accepted_and_every_error_reported(tmp_path: Path) -> None:
    ok = _record(tmp_path, BASE + "date: 2025-03-04\n", "ok.yaml")
    assert run_qc([ok]).lots[0].values.date == dt.date(2025, 3, 4)
    bad = _record(
        tmp_path,
        "id: lot-x\ndate: 03/04/2025\nsource_cells:\n  species: human\n  passage: -1\n"
        "colour: blue\n",
    )
    other = _record(tmp_path, "id: lot-y\n", "other.yaml")
    with pytest.raises(RecordProblemsError) as caught:
        run_qc([bad, other])
    text = str(caught.value)
    assert "lot.yaml, line 2, field 'date': '03/04/2025' is ambiguous" in text
    assert "lot.yaml, line 5, field 'source_cells.passage'" in text
    assert "lot.yaml, line 6, field 'colour'" in text
    assert "other.yaml" in text
    assert "field 'source_cells': Field required" in text
    assert len(caught.value.problems) == 4


def test_template_writes_yaml_and_sheets_that_read_back(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["qc", "template", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"lot-template.yaml", "lots-template.xlsx", "lots-template.csv"}
    yaml_text = (tmp_path / "lot-template.yaml").read_text(encoding="utf-8")
    assert "# topology:" in yaml_text
    assert "  # Lot or preparation identifier" in yaml_text
    for name in names:
        run = run_qc([tmp_path / name])
        (lot,) = run.lots
        assert lot.values.id == "MSC-EV-lot-01", name
        assert lot.identity.ev_verdict == "shown", name
        assert lot.values.safety is not None
        assert lot.values.safety.mycoplasma == "negative"
        assert lot.values.potency[0].unit == "% inhibition"


def test_spreadsheet_rows_are_lots_and_errors_name_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "date", "source_cells.species", "source_cells.passage",
                  "protein.method", "protein.concentration_ug_per_ml", "marker.CD63",
                  "separation"])  # fmt: skip
    sheet.append(["L1", dt.datetime(2025, 3, 4), "human", 4, "bca", "1,5e1", "present",
                  "ultracentrifugation g_force=100000 time_min=70"])  # fmt: skip
    sheet.append(["L2", "4 March 2025", "human", "-2", "bca", "lots", "maybe", "spin"])
    sheet.append(["L3", "03/04/2025", "human", 3, "bca", 10, "absent", ""])
    path = tmp_path / "lots.xlsx"
    book.save(path)
    with pytest.raises(RecordProblemsError) as caught:
        run_qc([path])
    places = {(line, field) for _, line, field, _ in caught.value.problems}
    assert ("D3", "source_cells.passage") in places
    assert ("F3", "protein.concentration_ug_per_ml") in places
    assert ("G3", "markers.0.result") in places
    assert ("B4", "date") in places
    good = tmp_path / "good.csv"
    good.write_text(
        "id;date;source_cells.species;protein.method;protein.concentration_ug_per_ml\n"
        "L1;04.03.2025;human;bca;1,5e1\nL2;2025-04-01;human;bca;12\n",
        encoding="utf-8",
    )
    run = run_qc([good])
    assert [lot.values.id for lot in run.lots] == ["L1", "L2"]
    assert run.lots[0].values.protein_ug_per_ml == 15.0
    assert run.trend is not None


# ---------------------------------------------------------------- 6. README on a fresh clone


def test_readme_qc_example_runs_on_a_fresh_clone(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("### Preparation QC") :]
    command = re.search(r"```bash\n(evkg qc (?:[^\n]*\\\n)*[^\n]*)\n", block)
    assert command is not None
    words = command.group(1).replace("\\\n", " ").split()
    assert "shared" not in command.group(1)
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "examples", clone / "examples")  # only what a clone ships
    import os

    cwd = os.getcwd()
    os.chdir(clone)
    try:
        args = []
        for word in words[1:]:
            args.extend(sorted(map(str, Path().glob(word))) if "*" in word else [word])
        named = [a for a in args if a.endswith(".yaml")]
        assert all("shared" not in Path(a).read_text(encoding="utf-8") for a in named)
        result = CliRunner().invoke(cli, ["--format", "json", *args])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert len(payload["lots"]) == 5
    assert (clone / "qc.html").is_file()
