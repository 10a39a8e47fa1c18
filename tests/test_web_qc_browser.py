"""Preparation QC in a real browser: upload the complete example record with its NanoSight
export and read the checklist. Uses the server, browser and page fixtures of
``test_web_browser`` (skipped without Chromium unless ``EVKG_REQUIRE_BROWSER=1``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO
from .test_web_browser import _shot, base_url, browser, page

__all__ = ["base_url", "browser", "page"]  # fixtures used here, imported from the module above

pytestmark = pytest.mark.slow

LOT7 = REPO / "examples" / "preparations" / "lot-07-complete.yaml"
EXPORT = "MPC 28 No stretch d200 2021-04-01 17-23-24-ExperimentSummary.csv"


def test_upload_a_preparation_record_and_read_the_checklist(
    page: Any, base_url: str, data_dir: Path
) -> None:
    export = data_dir / "nta" / "hugosalmon_nanosight-data-analysis" / EXPORT
    if not export.is_file():
        pytest.skip("shared/data/nta not found (the example record names its export)")
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto(base_url + "/")
    page.locator("header nav a", has_text="Check preparations").click()
    page.wait_for_url("**/qc")
    assert "No records checked yet" in page.locator("main").inner_text()
    page.set_input_files("input[name=records]", str(LOT7))
    page.set_input_files("input[name=files]", str(export))
    _shot(page, "11-qc-form")
    page.locator("form.qc button", has_text="Check").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Preparation QC"
    assert "BM-MSC-EV-lot-07" in page.locator("section.qc-lot h2").inner_text()
    items = page.locator("table.qc-checklist tbody tr")
    assert items.count() > 20
    statuses = set(page.locator("table.qc-checklist tbody tr td:nth-child(4)").all_inner_texts())
    assert statuses == {"met", "not applicable"}, statuses  # the complete record misses nothing
    scores = page.locator("table.qc-scores tbody tr td:nth-child(5)").all_inner_texts()
    assert scores
    assert all(score.startswith("100 % (") for score in scores)  # verified items, apart
    plot = page.locator("img.qc-plot").first
    assert plot.evaluate("image => image.complete && image.naturalWidth > 0")
    _shot(page, "12-qc-result")
    assert blocked == []


SERIES = REPO / "examples" / "preparations" / "series"


def test_series_report_with_control_charts_in_the_browser(page: Any, base_url: str) -> None:
    """The HTML report of the worked series, opened in Chromium: control charts drawn, the
    drifting D50 flagged, verified and unverified scores apart. Screenshotted."""
    from evkg.api.qc import report_html, run_qc

    run = run_qc(sorted(SERIES.glob("lot-0*.yaml")), spec=SERIES / "release-spec.yaml")
    page.set_content(report_html(run))  # the file as written, without a request
    charts = page.locator("div.chart svg")
    assert charts.count() == len(run.trend.attributes) if run.trend else 0
    box = charts.first.bounding_box()
    assert box is not None
    assert box["width"] > 200
    drift = page.locator("table.trend tr.drift td:first-child").all_inner_texts()
    assert "D50" in drift
    assert "unverified" in page.locator("table").first.inner_text()
    _shot(page, "13-qc-series-report")
    page.goto(base_url + "/qc")
    page.set_input_files(
        "form.qc input[name=records]", [str(p) for p in sorted(SERIES.glob("lot-0*.yaml"))]
    )
    page.set_input_files(
        "form.qc input[name=files]", [str(p) for p in sorted((SERIES / "exports").iterdir())]
    )
    page.set_input_files("form.qc input[name=spec]", str(SERIES / "release-spec.yaml"))
    page.locator("form.qc button", has_text="Check").first.click()
    page.wait_for_load_state("load")
    assert page.locator("table.qc-trend").count() == 1
    chart = page.locator("img.qc-chart").first
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    _shot(page, "14-qc-series-page")
    page.goto(base_url + "/qc")
    page.fill("form.qc-lot-form input[name=id]", "form-lot")
    page.fill("form.qc-lot-form input[name='source_cells.species']", "human")
    page.fill("form.qc-lot-form input[name=date]", "4 March 2025")
    page.fill("form.qc-lot-form input[name='marker.CD45']", "present")
    _shot(page, "15-qc-lot-form")
    page.locator("form.qc-lot-form button").click()
    page.wait_for_load_state("load")
    assert "form-lot" in page.locator("section.qc-lot h2").inner_text()
    assert "contradicted" in page.locator("main").inner_text()
