"""The worked five-lot series read in a 100-column terminal: drift flagged, failures and
warnings first, rows the same for every lot said once, everything with --detail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evkg.cli import cli

from .conftest import REPO

SERIES = REPO / "examples" / "preparations" / "series"
ARGS = [*map(str, sorted(SERIES.glob("lot-0*.yaml"))), "--spec", str(SERIES / "release-spec.yaml")]


def _qc(*extra: str) -> Result:
    result = CliRunner(env={"COLUMNS": "100"}).invoke(
        cli, [*extra[:2], "qc", *ARGS, *extra[2:]], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def short() -> str:
    return _qc().stdout


def test_summary_fits_the_terminal_and_names_the_drift_first(short: str) -> None:
    assert max(len(line) for line in short.splitlines()) <= 100
    lots_table = short[: short.index("Checklist completeness")]
    assert "Drifting over the series: D50, mean size, mode size, potency: T-cell" in lots_table
    assert "FAIL" in lots_table  # lot 5: potency below its limit
    assert "pass, 1 warn" in lots_table  # lot 4: albumin at a warning level
    # each drifting attribute's flags in full, not squeezed into a column
    assert "D50: outside control limits: MSC-EV-lot-05" in short
    assert "drift: 5 consecutive lots rising (MSC-EV-lot-01 → MSC-EV-lot-05)" in short
    assert "Control-limit basis: MSC-EV-lot-01, MSC-EV-lot-02, MSC-EV-lot-03" in short


def test_summary_lists_only_what_needs_attention(short: str) -> None:
    spec = short[short.index("Release specification") : short.index("Lot comparison")]
    assert "potency: T-cell" in spec
    assert "contaminant: albumin" in spec
    assert " pass " not in spec  # passed lines are counted, not listed
    assert "specification lines passed are not listed" in spec
    contaminants = short[short.index("Contaminants") : short.index("Release specification")]
    assert contaminants.count("MSC-EV-lot-") == 1  # only lot 4's albumin
    assert "Instrument warnings and notes" not in short
    assert "No instrument warnings." in short


def test_rows_the_same_for_every_lot_are_said_once(short: str) -> None:
    items = short[short.index("Checklist items not met") : short.index("MSC identity")]
    assert items.count("misev2018.topology") == 1
    assert "all 5 lots" in items
    # an every-check names the failing markers once, under one reason
    assert items.count("antibody.dilution") == 1
    assert "CD63, CD81" in items


def test_detail_lists_every_line(short: str) -> None:
    full = _qc("--detail").stdout
    assert len(full.splitlines()) > 2 * len(short.splitlines())
    assert full.count("misev2018.topology") == 5
    assert "No instrument warnings." in full


def test_machine_output_keeps_one_row_per_lot() -> None:
    tsv = _qc("--format", "tsv", "--table", "spec").stdout.splitlines()
    assert len(tsv) == 1 + sum(
        len(lot["spec"]["results"]) for lot in json.loads(_qc("--format", "json").stdout)["lots"]
    )
    warnings = _qc("--format", "tsv", "--table", "warnings").stdout.splitlines()
    assert warnings == ["lot\twarning"]  # empty, but there to be read
    points = _qc("--format", "tsv", "--table", "trend_points").stdout.splitlines()
    assert len(points) > 40  # every value of every trended attribute


def test_web_page_and_report_flag_the_drift_and_name_the_limits_rule(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from evkg.api.qc import report_html, run_qc
    from evkg.store import SqlStore
    from evkg.vocab import load_vocabulary
    from evkg.web import create_app

    lots = sorted(SERIES.glob("lot-0*.yaml"))
    html = report_html(run_qc(lots, spec=SERIES / "release-spec.yaml"))
    assert "D50 — DRIFT" in html
    assert "qualified lots identical (SD 0): specification range used as limits" in html
    store = SqlStore(f"sqlite:///{tmp_path}/qc.sqlite")
    store.initialise()
    client = TestClient(create_app(store=store, vocabulary=load_vocabulary()))
    files = [("records", (p.name, p.read_bytes(), "application/yaml")) for p in lots]
    files.append(("spec", ("release-spec.yaml", (SERIES / "release-spec.yaml").read_bytes(),
                           "application/yaml")))  # fmt: skip
    files += [("files", (p.name, p.read_bytes(), "text/csv"))
              for p in sorted((SERIES / "exports").glob("*.csv"))]  # fmt: skip
    page = client.post("/qc", files=files)
    assert page.status_code == 200, page.text[:500]
    trend = page.text[page.text.index("Lots over time") :]
    rows = dict(re.findall(r'<tr data-attribute="([^"]+)">(.*?)</tr>', trend, re.S))
    drifting = {key for key, row in rows.items() if "status-drift" in row}
    assert drifting == {"d50_nm", "mean_nm", "mode_nm", "potency:T-cell proliferation"}
    assert "specification range used as limits" in trend
    verdict = re.search(r'<p class="qc-series-verdict">(.*?)</p>', page.text, re.S)
    assert verdict is not None
    assert "D50, mean size, mode size, potency: T-cell proliferation" in verdict.group(1)
    store.dispose()


def test_report_says_what_drifts_under_the_summary() -> None:
    from evkg.api.qc import report_html, run_qc

    html = report_html(
        run_qc(sorted(SERIES.glob("lot-0*.yaml")), spec=SERIES / "release-spec.yaml")
    )
    verdict = re.search(r'<p class="series-verdict fail">(.*?)</p>', html, re.S)
    assert verdict is not None
    assert html.index("series-verdict") < html.index('id="lots-over-time"')
    text = re.sub(r"<[^>]+>", "", verdict.group(1))
    assert "drifting: D50, mean size, mode size, potency: T-cell proliferation" in text
    assert "1 series warning (donor)" in text
