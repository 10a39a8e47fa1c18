"""Odd inputs tried by hand on every route never give a server error: very long names, NUL
bytes, unusual Unicode, negative and huge limits and offsets, malformed CURIEs, empty
uploads, control characters in YAML and wrong content types. Also the 500 those found
(a YAML upload with a control character), and the first cargo analysis, which answers
503 with Retry-After while its reference data is prepared, with a status endpoint."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from evkg.recordfiles import RecordFileError, load_yaml
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app
from evkg.web import _upload as upload_module
from evkg.web._preparation import Preparations
from evkg.web.errors import ProblemError

TOKEN = "odd-inputs-token-of-enough-length"
NAMES = [
    "A" * 20_000,
    "abc\x00def",
    "\x00",
    "ß∂ƒ© 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\u202e\u200b",
    "🙂" * 300,
    "hgnc:",
    ":",
    "pubmed:abc",
    "mondo:" + "9" * 40,
    "pubmed:" + "1" * 30,
    "..",
    "%",
    "'\"<>&",
]
NUMBERS = ["-1", "0", "-99999999999999999999", str(10**30), "1e3", "NaN", " 5", "", "9" * 3000]
NAMED_ROUTES = [
    "/api/diseases/{}",
    "/api/diseases/{}/strategies",
    "/api/diseases/{}/studies",
    "/api/diseases/{}/chains",
    "/api/cargo/{}",
    "/api/genes/{}",
    "/api/entities/{}",
    "/api/references/{}",
    "/api/export/{}",
    "/disease/{}",
    "/cargo/{}",
    "/gene/{}",
    "/entity/{}",
    "/reference/{}",
]
PAGED = {
    "/api/search": ["q", "limit"],
    "/api/claims": ["limit", "offset", "disease", "species", "predicate", "reference"],
    "/api/review": ["status", "limit", "offset"],
    "/api/diseases/acute%20kidney%20injury/chains": ["limit", "offset"],
    "/api/cargo/hsa-miR-21-5p": ["species", "limit", "offset"],
    "/disease/acute%20kidney%20injury": ["species", "page"],
    "/gene/TNF": ["page"],
    "/search": ["q"],
}


@pytest.fixture(scope="module")
def client(curated_store: SqlStore) -> Iterator[TestClient]:
    app = create_app(store=curated_store, vocabulary=load_vocabulary(), token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as instance:
        yield instance


def _server_errors(
    client: TestClient, requests: list[tuple[str, str, dict[str, Any]]]
) -> list[tuple[Any, ...]]:
    errors: list[tuple[Any, ...]] = []
    for method, url, options in requests:
        answer = client.request(method, url, **options)
        if answer.status_code >= 500:
            errors.append((method, url[:80], options.get("params"), answer.status_code))
    return errors


def test_odd_names_and_numbers_give_no_server_error(client: TestClient) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for route in NAMED_ROUTES:
        requests += [("GET", route.format(quote(name, safe="")), {}) for name in NAMES]
    for url, keys in PAGED.items():
        for key in keys:
            requests += [("GET", url, {"params": {key: v}}) for v in NAMES[1:] + NUMBERS]
    for raw in ["/api/diseases/%ED%A0%80", "/disease/%C3", "/api/search?q=%FF", "/search?q=%00"]:
        requests.append(("GET", raw, {}))
    assert _server_errors(client, requests) == []


def test_odd_bodies_and_uploads_give_no_server_error(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bodies = [b"", b"null", b"[]", b"{" * 50_000, b"[" * 50_000, b"\x00", b"\xff\xfe", b"1e999999"]
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for url in ["/api/claims", "/api/review/" + "0" * 64]:
        for body in bodies:
            for kind in ["application/json", "text/plain", "multipart/form-data", ""]:
                headers = {**auth, "Content-Type": kind}
                requests.append(("POST", url, {"content": body, "headers": headers}))
    uploads = [
        ("empty.txt", b""),
        ("nul.txt", b"\x00" * 100),
        ("x.xlsx", b"PK\x03\x04junk"),
        ("../../etc/passwd", b"hsa-miR-21-5p\n"),
        ("r.json", b"{" * 10_000),
        ("control.yaml", b"lot: \x00\x01"),
    ]
    for url in ["/api/qc", "/api/qc/report", "/qc", "/qc/report", "/api/analysis", "/upload"]:
        field = "records" if "qc" in url else "file"
        for name, data in uploads:
            requests.append(("POST", url, {"files": {field: (name, data, "text/plain")}}))
        for kind in ["multipart/form-data", "multipart/form-data; boundary=x", "application/json"]:
            requests.append(
                ("POST", url, {"content": b"--x\r\n", "headers": {"Content-Type": kind}})
            )
    requests.append(("POST", "/qc/lot", {"data": {"lot_id": "A" * 50_000, "x" * 500: "\x00"}}))
    assert _server_errors(client, requests) == []


@pytest.mark.parametrize("url", ["/api/qc", "/qc"])
def test_a_yaml_upload_with_a_control_character_names_file_and_line(
    client: TestClient, url: str
) -> None:
    """This answered 500: PyYAML refuses the character before parsing starts."""
    answer = client.post(url, files={"records": ("lot.yaml", b"lot_id: L1\nnote: a\x07b\n")})
    assert answer.status_code == 422
    assert "lot.yaml, line 2" in answer.text
    assert "control character U+0007" in answer.text


def test_load_yaml_refuses_control_characters_with_their_line() -> None:
    with pytest.raises(RecordFileError, match=r"x.yaml, line 3: .*U\+0000"):
        load_yaml("a: 1\nb: 2\nc: \x00\n", "x.yaml")


def test_preparation_answers_503_then_ready_and_retries_a_failure() -> None:
    release = threading.Event()
    calls: list[str] = []

    def load(species: str) -> str:
        calls.append(species)
        if len(calls) == 1:
            raise OSError("reference file missing")
        release.wait(10)
        return f"resources of {species}"

    preparations = Preparations(load, wait_seconds=0.05)
    with pytest.raises(OSError, match="missing"):
        preparations.resources("hsa")  # fails fast: the error reaches the request
    assert [s.state for s in preparations.status()] == ["failed"]
    with pytest.raises(ProblemError) as waiting:
        preparations.resources("hsa")  # retried after the failure, now slow
    assert waiting.value.status == 503
    assert waiting.value.headers == {"Retry-After": "15"}
    assert "GET /api/analysis/status" in waiting.value.detail
    assert [s.state for s in preparations.status()] == ["preparing"]
    release.set()
    deadline = time.monotonic() + 10
    while preparations.status()[0].state == "preparing" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert preparations.resources("hsa") == "resources of hsa"
    assert calls == ["hsa", "hsa"]  # loaded once after the failure, not per request


def test_first_web_analysis_answers_within_the_wait_and_reports_status(
    curated_store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_load = upload_module._load_resources

    def slow_load(context: Any, species: str) -> Any:
        release.wait(30)  # a cold cache: the reference indexes take a while to build
        return real_load(context, species)

    monkeypatch.setattr(upload_module, "_load_resources", slow_load)
    app = create_app(
        store=curated_store,
        vocabulary=load_vocabulary(),
        limits=Limits(analysis_wait_seconds=0.2),
    )
    names = ("cargo.txt", b"hsa-miR-21-5p\nhsa-miR-146a-5p\nhsa-let-7a-5p\n", "text/plain")
    with TestClient(app) as client:
        started = time.monotonic()
        first = client.post("/api/analysis", files={"file": names})
        assert time.monotonic() - started < 5
        assert first.status_code == 503
        assert first.headers["Retry-After"] == "15"
        assert "being prepared" in first.json()["detail"]
        page = client.post("/upload", files={"file": names})
        assert page.status_code == 503
        assert "being prepared" in page.text
        status = client.get("/api/analysis/status").json()
        assert [(s["species"], s["state"]) for s in status["species"]] == [("hsa", "preparing")]
        release.set()
        deadline = time.monotonic() + 60
        while client.get("/api/analysis/status").json()["species"][0]["state"] == "preparing":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert client.get("/api/analysis/status").json()["species"][0]["state"] == "ready"
        again = client.post("/api/analysis", files={"file": names})
        assert again.status_code == 200
        assert again.json()["result"]["profile"]["species"] == "hsa"
