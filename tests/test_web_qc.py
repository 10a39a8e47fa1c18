"""Preparation QC in the web app: ``POST /api/qc``, ``/api/qc/report`` and the ``/qc`` page.

Uploads are the real example records with the real NanoSight exports they name
(``../shared/data/nta``; skipped when absent) and small fixtures from ``fixtures/qc``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from evkg.api.qc import qc_payload, run_qc
from evkg.sources.nta import read_size_export
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app
from evkg.web.routers.analysis import REPORT_CSP

from .conftest import REPO

EXAMPLES = REPO / "examples" / "preparations"
FIXTURES = Path(__file__).parent / "fixtures" / "qc"
LOT7, LOT8, SPEC = "lot-07-complete.yaml", "lot-08-incomplete.yaml", "release-spec.yaml"
SALMON = "hugosalmon_nanosight-data-analysis"
LOT7_EXPORT = "MPC 28 No stretch d200 2021-04-01 17-23-24-ExperimentSummary.csv"
LOT8_EXPORT = "Milieu diff MPC28 S+E (D6) d200 2021-05-07 10-50-13-ExperimentSummary.csv"

Part = tuple[str, tuple[str, bytes, str]]


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    """QC needs no knowledge: an empty store."""
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('web-qc') / 'evkg.sqlite'}")
    store.initialise()
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def client(empty_store: SqlStore) -> TestClient:
    app = create_app(store=empty_store, vocabulary=load_vocabulary())
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def nta(data_dir: Path) -> Path:
    if not (data_dir / "nta").is_dir():
        pytest.skip("shared/data/nta not found (the example records name its exports)")
    return data_dir / "nta"


def record(name: str, content: bytes | str) -> Part:
    data = content.encode() if isinstance(content, str) else content
    return ("records", (name, data, "application/yaml"))


def upload(field: str, path: Path, name: str | None = None) -> Part:
    return (field, (name or path.name, path.read_bytes(), "application/octet-stream"))


def example_parts(nta: Path, *, with_lot8: bool = True, with_spec: bool = True) -> list[Part]:
    parts = [upload("records", EXAMPLES / LOT7)]
    parts.append(upload("files", nta / SALMON / LOT7_EXPORT))
    if with_lot8:
        parts += [upload("records", EXAMPLES / LOT8), upload("files", nta / SALMON / LOT8_EXPORT)]
    if with_spec:
        parts.append(upload("spec", EXAMPLES / SPEC))
    return parts


def no_server_paths(text: str) -> None:
    """Answers name uploaded files, never where the server kept them."""
    assert "evkg-qc-" not in text
    assert str(REPO) not in text
    assert "/tmp/" not in text


def small_record(lot: str, export: str | None, **extra: Any) -> str:
    lines = [f"id: {lot}", "source_cells: {species: human}"]
    if export:
        lines += ["particles:", f"  - {{method: nta, export: '{export}'}}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


# -- findings --------------------------------------------------------------------------------
def test_complete_and_incomplete_records_give_their_findings(client: TestClient, nta: Path) -> None:
    response = client.post("/api/qc", files=example_parts(nta))
    assert response.status_code == 200, response.text
    body = response.json()
    lot7, lot8 = body["lots"]
    assert lot7["record_path"] == LOT7
    assert lot7["exports"] == [LOT7_EXPORT]
    assert all(score["all_items_score"] == 1.0 for score in lot7["checklist"]["scores"])
    assert lot7["spec"]["passed"] is True
    assert lot7["values"]["concentration_per_ml"] == pytest.approx(2.00e8 * 200)
    missing = {i["id"] for i in lot8["checklist"]["items"] if i["status"] == "missing"}
    assert {
        "misev2018.purity.category3",
        "misev2018.single_ev.images",
        "ev_metric.ultracentrifugation",
        "isct_msc.positive_markers",
    } <= missing
    scores = {s["guideline"]: s["verified_score"] for s in lot8["checklist"]["scores"]}
    assert scores["misev2018"] == pytest.approx(3 / 10)
    assert lot8["spec"]["passed"] is False
    failed = {r["parameter"] for r in lot8["spec"]["results"] if r["status"] == "fail"}
    assert failed == {"marker CD81", "marker calnexin", "freeze-thaw cycles"}
    (pair,) = body["comparisons"]
    assert (pair["comparison"]["reference"], pair["comparison"]["lot"]) == (
        "BM-MSC-EV-lot-07",
        "BM-MSC-EV-lot-08",
    )
    assert body["specification"]["id"] == "BM-MSC-sEV-release"
    no_server_paths(response.text)


def test_upload_answers_like_the_command_line(client: TestClient, nta: Path) -> None:
    """Records read from disk (``evkg qc``) and uploaded records give the same QC."""
    uploaded = client.post("/api/qc", files=example_parts(nta)).json()
    local = json.loads(
        json.dumps(qc_payload(run_qc([EXAMPLES / LOT7, EXAMPLES / LOT8], spec=EXAMPLES / SPEC)))
    )
    for lot in local["lots"]:
        lot["record_path"] = Path(lot["record_path"]).name
    assert uploaded == local


def test_report_is_self_contained_html(client: TestClient, nta: Path) -> None:
    response = client.post("/api/qc/report", files=example_parts(nta))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == REPORT_CSP
    html = response.text
    charts = html.count('<div class="chart"')
    assert charts >= 5  # one control chart per attribute trended over the two lots
    assert html.count("<svg") == 3 + charts  # one plot per lot, the overlay, the charts
    assert "Lot comparison (against BM-MSC-EV-lot-07)" in html
    assert "MISEV2018" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)
    assert "<script" not in html
    no_server_paths(html)


def test_small_fixture_exports_by_file_name(client: TestClient) -> None:
    """The folder part of a reference is ignored: the upload of that name is used."""
    nanosight = read_size_export(FIXTURES / "nanosight_small.csv")
    zetaview = read_size_export(FIXTURES / "zetaview_small_size.txt")
    parts = [
        record("a.yaml", small_record("lot-a", "C:\\runs\\day 1\\nanosight_small.csv")),
        record("b.json", json.dumps({"id": "lot-b", "source_cells": {"species": "human"},
                                     "particles": [{"method": "nta",
                                                    "export": "zetaview_small_size.txt"}]})),
        upload("files", FIXTURES / "nanosight_small.csv"),
        upload("files", FIXTURES / "zetaview_small_size.txt"),
    ]  # fmt: skip
    response = client.post("/api/qc", files=parts)
    assert response.status_code == 200, response.text
    a, b = (lot["values"] for lot in response.json()["lots"])
    assert a["concentration_source"] == "export nanosight_small.csv"
    assert a["stats"]["d50_nm"] == nanosight.stats.d50_nm
    assert a["concentration_per_ml"] == pytest.approx(nanosight.concentration_per_ml)
    assert b["stats"]["d50_nm"] == zetaview.stats.d50_nm
    comparison = response.json()["comparisons"][0]["comparison"]
    assert comparison["d50_difference_nm"] == pytest.approx(
        zetaview.stats.d50_nm - nanosight.stats.d50_nm  # type: ignore[operator]
    )


def test_cargo_profiles_are_uploads_too(client: TestClient) -> None:
    pytest.importorskip("evkg.analysis.compare")
    parts = [
        record("a.yaml", small_record("lot-a", None, cargo_profile="profiles/cargo_lot_a.tsv")),
        record("b.yaml", small_record("lot-b", None, cargo_profile="cargo_lot_b.tsv")),
        upload("files", FIXTURES / "cargo_lot_a.tsv"),
        upload("files", FIXTURES / "cargo_lot_b.tsv"),
    ]
    response = client.post("/api/qc", files=parts)
    assert response.status_code == 200, response.text
    (pair,) = response.json()["comparisons"]
    assert pair["cargo_summary"].startswith("cargo comparison: 2 shared of 3 / 3 items")
    assert pair["cargo"]["shared"] == 2


# -- refusals --------------------------------------------------------------------------------
def test_missing_referenced_export_is_422_naming_record_field_and_file(
    client: TestClient, nta: Path
) -> None:
    parts = [upload("records", EXAMPLES / LOT7), upload("files", FIXTURES / "nanosight_small.csv")]
    response = client.post("/api/qc", files=parts)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith(f"{LOT7}, line 50, field 'particles.0.export': export file ")
    assert f"'{LOT7_EXPORT}' was not uploaded" in detail
    assert "nanosight_small.csv" in detail  # what was uploaded instead
    no_server_paths(detail)


def test_files_on_the_server_are_never_read(client: TestClient) -> None:
    """A reference to a file that exists on the server (absolute or relative) is not used."""
    for reference in (str(FIXTURES / "nanosight_small.csv"), "../fixtures/qc/unknown_export.txt"):
        response = client.post("/api/qc", files=[record("x.yaml", small_record("x", reference))])
        assert response.status_code == 422
        assert "field 'particles.0.export'" in response.json()["detail"]
        assert "was not uploaded" in response.json()["detail"]
    response = client.post(
        "/api/qc", files=[record("x.yaml", small_record("x", None, cargo_profile="/etc/hostname"))]
    )
    assert response.status_code == 422
    assert (
        "x.yaml, line 3, field 'cargo_profile': cargo profile 'hostname' was not uploaded"
        in (response.json()["detail"])
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("lot.yaml", "id: x\nsource_cells: {species: human}\ncolour: blue\n",
         "lot.yaml, line 3, field 'colour': Extra inputs are not permitted"),
        ("lot.yaml", "id: x\nsource_cells: {species: human, passage: -1}\n",
         "lot.yaml, line 2, field 'source_cells.passage': Input should be greater than"),
        ("lot.yaml", "id: x\nsource_cells: [oops\n", "lot.yaml, line 3: not valid YAML"),
        ("lot.json", '{"id": "x",\n "source_cells": }', "lot.json, line 2: not valid JSON"),
        ("lot.yaml", "- id: a\n- id: b\n", "lot.yaml, line 1: expected one preparation record"),
        ("lot.yaml", "id: x\n".encode("utf-16"), "lot.yaml: not UTF-8 text"),
    ],
)  # fmt: skip
def test_malformed_record_is_422_naming_file_line_and_field(
    client: TestClient, name: str, text: str | bytes, message: str
) -> None:
    response = client.post("/api/qc", files=[record(name, text)])
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message), response.json()["detail"]
    assert "Traceback" not in response.text
    no_server_paths(response.text)


def test_malformed_specification_and_damaged_export(client: TestClient) -> None:
    parts = [
        record("a.yaml", small_record("a", "run-ExperimentSummary.csv")),
        upload("files", FIXTURES / "nanosight_damaged.csv", "run-ExperimentSummary.csv"),
    ]
    response = client.post("/api/qc", files=parts)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == (
        "run-ExperimentSummary.csv, line 62, field 'column 2': '2.0e9x' is not a number"
    )
    spec = ("spec", ("spec.yaml", b"id: s\nd50_nm: {min: 150, max: 50}\n", "application/yaml"))
    response = client.post("/api/qc", files=[record("a.yaml", small_record("a", None)), spec])
    assert response.status_code == 422
    assert response.json()["detail"].startswith("spec.yaml, line 2, field 'd50_nm': ")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([record("a.yaml", "  \n")], "a.yaml is empty"),
        ([record("a.txt", "id: x\n")], "a.txt: a record must be a .yaml, .yml or .json file"),
        ([upload("files", FIXTURES / "cargo_lot_a.tsv")], "records: Field required"),
        (
            [record("a.yaml", small_record("lot", None)),
             record("b.yaml", small_record("lot", None))],
            "b.yaml, field 'id': lot id 'lot' given twice",
        ),
        (
            [record("a.yaml", small_record("lot", None)),
             upload("files", FIXTURES / "cargo_lot_a.tsv"),
             upload("files", FIXTURES / "cargo_lot_b.tsv", "cargo_lot_a.tsv")],
            "cargo_lot_a.tsv: uploaded twice",
        ),
    ],
)  # fmt: skip
def test_unusable_uploads_are_422(client: TestClient, parts: list[Part], message: str) -> None:
    response = client.post("/api/qc", files=parts)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message), response.json()["detail"]


def test_oversized_uploads_are_413(empty_store: SqlStore) -> None:
    export = FIXTURES / "nanosight_small.csv"
    size, lines = len(export.read_bytes()), export.read_text(encoding="latin-1").count("\n")
    parts = [record("a.yaml", small_record("a", export.name)), upload("files", export)]
    small = create_app(
        store=empty_store, vocabulary=load_vocabulary(), limits=Limits(max_upload_bytes=size - 1)
    )
    response = TestClient(small, raise_server_exceptions=False).post("/api/qc", files=parts)
    assert response.status_code == 413
    assert response.json()["detail"].startswith(f"{export.name} is larger than {size - 1} bytes")
    few_lines = create_app(
        store=empty_store, vocabulary=load_vocabulary(), limits=Limits(max_upload_rows=lines - 5)
    )
    response = TestClient(few_lines, raise_server_exceptions=False).post("/api/qc", files=parts)
    assert response.status_code == 413
    assert "this server reads at most" in response.json()["detail"]
    with TestClient(small, raise_server_exceptions=False) as client:  # over the whole-body cap
        huge = [record("a.yaml", "notes: " + "x" * (size + 70_000))]
        response = client.post("/api/qc", files=huge)
    assert response.status_code == 413
    assert "request body is larger" in response.json()["detail"]
    many = [record(f"r{k}.yaml", small_record(f"r{k}", None)) for k in range(21)]
    response = TestClient(small, raise_server_exceptions=False).post("/api/qc", files=many)
    assert response.status_code == 413
    assert "at most 20 records" in response.json()["detail"]


# -- pages and OpenAPI -----------------------------------------------------------------------
def test_qc_page_has_the_form_empty_state_and_navigation(client: TestClient) -> None:
    home = client.get("/")
    assert '<a href="/qc">Check preparations</a>' in home.text
    page = client.get("/qc")
    assert page.status_code == 200
    for field in ('name="records" multiple required', 'name="spec"', 'name="files" multiple'):
        assert field in page.text
    assert 'formaction="/qc/report"' in page.text
    assert "No records checked yet" in page.text


def test_qc_result_page_renders_the_checklist_within_the_site_csp(
    client: TestClient, nta: Path
) -> None:
    response = client.post("/qc", files=example_parts(nta))
    assert response.status_code == 200, response.text
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    html = response.text
    assert "<style" not in html
    assert " style=" not in html  # the site's CSP would drop inline styles
    assert html.count('<img class="qc-plot" src="data:image/svg+xml;base64,') == 3
    assert html.count('<table class="qc-checklist">') == 2
    assert 'data-item="misev2018.single_ev.images"' in html
    assert re.search(r'class="item-missing" data-item="misev2018.purity.category3"', html)
    assert "Lot comparison (against BM-MSC-EV-lot-07)" in html
    no_server_paths(html)
    report = client.post("/qc/report", files=example_parts(nta, with_lot8=False))
    assert report.headers["content-security-policy"] == REPORT_CSP
    assert '<a href="/qc">← check other records</a>' in report.text


def test_page_errors_are_pages(client: TestClient) -> None:
    response = client.post("/qc", files=[record("lot.yaml", "id: x\nsource_cells: [oops\n")])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "lot.yaml, line 3: not valid YAML" in response.text


def test_openapi_documents_the_qc_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/qc"]["post"]
    schema = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/QcOut")
    assert {"413", "422"} <= set(post["responses"])
    assert "text/html" in spec["paths"]["/api/qc/report"]["post"]["responses"]["200"]["content"]
