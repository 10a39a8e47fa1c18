"""The REST API and the explorer pages against a real SQLite store of the curated knowledge."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from evkg.api import build_curated_bundle
from evkg.assemble import assemble
from evkg.cli import cli
from evkg.model import Claim, Evidence, EvidenceLevel, EvidenceMethod
from evkg.store import ClaimFilter, LoadBundle, SqlStore, StoreError
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app

RA = "doid:7148"
MIR150 = "mirbase.mature:MIMAT0000451"
TOKEN = "a-test-token-of-enough-length"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    path = tmp_path_factory.mktemp("web") / "evkg.sqlite"
    instance = SqlStore(f"sqlite:///{path}")
    instance.initialise()
    instance.load(build_curated_bundle())
    yield instance
    instance.dispose()


@pytest.fixture(scope="module")
def client(store: SqlStore) -> TestClient:
    app = create_app(store=store, vocabulary=load_vocabulary())
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[TestClient, SqlStore]]:
    """A fresh store (writes must not leak into the shared one) and a server with a token."""
    instance = SqlStore(f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    instance.initialise()
    instance.load(build_curated_bundle())
    app = create_app(store=instance, vocabulary=load_vocabulary(), token=TOKEN)
    yield TestClient(app, raise_server_exceptions=False), instance
    instance.dispose()


def _all_claims(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = client.get("/api/claims", params={**params, "limit": 7, "offset": offset}).json()
        items += page["items"]
        offset += 7
        if offset >= page["total"]:
            return items


# -- search and entities --------------------------------------------------------------------
def test_search_autocomplete_finds_kidney_diseases_with_claim_counts(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "kidney", "limit": 8}).json()
    labels = [hit["label"] for hit in body["hits"]]
    assert any("kidney" in label for label in labels)
    assert len(body["hits"]) <= 8
    assert all(hit["url"].startswith("/") for hit in body["hits"])
    assert any(hit["n_claims"] > 0 for hit in body["hits"])


def test_search_armless_mirna_resolves_both_arms(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "miR-146a"}).json()["hits"][0]
    assert len(hit["curies"]) == 2
    assert "armless" in hit["flags"]
    assert hit["url"].startswith("/cargo/")


def test_search_rejects_empty_and_oversized_queries(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422


def test_disease_has_ranked_strategies_chains_and_citations(client: TestClient) -> None:
    body = client.get("/api/diseases/rheumatoid arthritis").json()
    assert body["disease"]["id"] == RA
    assert body["strategies"][0]["rank"] == 1
    first = next(s for s in body["strategies"] if s["agent"] == MIR150)
    assert first["rank"] <= 10
    assert first["agent_label"] == "hsa-miR-150-5p"
    assert first["citations"] == ["Chen Z et al. (2018) J Immunol 201:2472-82"]
    chains = {c["id"]: c for c in body["chains"]}
    assert "MMP14" in chains[first["chains"][0]]["text"]
    assert body["n_claims"] >= len(body["strategies"])


def test_disease_by_curie_and_sub_resources_agree(client: TestClient) -> None:
    full = client.get(f"/api/diseases/{RA}").json()
    strategies = client.get(f"/api/diseases/{RA}/strategies").json()["strategies"]
    chains = client.get(f"/api/diseases/{RA}/chains", params={"limit": 100}).json()
    assert [s["agent"] for s in strategies] == [s["agent"] for s in full["strategies"]]
    # the full answer carries the chains behind its strategies; /chains pages every chain
    assert {c["id"] for c in full["chains"]} <= {c["id"] for c in chains["chains"]}
    assert {c["id"] for c in full["chains"]} == {i for s in full["strategies"] for i in s["chains"]}


def test_unknown_disease_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/api/diseases/kidney failur")
    assert response.status_code == 404
    body = response.json()
    assert "kidney failur" in body["detail"]
    assert any("kidney" in s["label"] for s in body["suggestions"])


def test_cargo_gene_and_reference(client: TestClient, store: SqlStore) -> None:
    gene = client.get("/api/genes/CD73").json()
    assert gene["entity"]["label"] == "NT5E"
    rat = client.get("/api/cargo/miRNA-128-3p", params={"species": "rno"}).json()
    assert any(c["outcome"] == "detrimental" for c in rat["claims"])
    reference = client.get("/api/references/18").json()
    assert reference["reference"]["citation"].startswith("Chen Z et al. (2018)")
    assert any(c["subject"] == MIR150 or c["object"] == MIR150 for c in reference["claims"])
    with_doi = next(r for r in store.references_all() if r.doi and "/" in r.doi)
    by_doi = client.get(f"/api/references/{with_doi.doi}").json()
    assert by_doi["reference"]["id"] == with_doi.id


def test_context_entities_bring_the_claims_naming_them_in_context(client: TestClient) -> None:
    body = client.get("/api/entities/hypoxia preconditioning").json()
    assert body["n_claims"] > 0
    assert all(
        "evkg.mod:hypoxia-preconditioning" in c["modifications"]
        or "evkg.mod:hypoxia-preconditioning" in (c["subject"], c["object"])
        for c in body["claims"]
    )


# -- claims ---------------------------------------------------------------------------------
def test_claims_pages_are_disjoint_and_cover_the_filter(
    client: TestClient, store: SqlStore
) -> None:
    items = _all_claims(client, disease=RA)
    hashes = [c["hash"] for c in items]
    assert len(hashes) == len(set(hashes))
    expected = {c.hash for c in store.claims(ClaimFilter(disease=RA))}
    assert set(hashes) == expected


def test_claims_filters_hold_on_every_item(client: TestClient) -> None:
    detrimental = _all_claims(client, outcome="detrimental")
    assert detrimental
    assert all(c["outcome"] == "detrimental" for c in detrimental)
    in_vitro = _all_claims(client, level="in_vitro")
    assert in_vitro
    assert all(c["strength"] == "in_vitro" for c in in_vitro)
    routed = _all_claims(client, route="intravenous")
    assert routed
    assert {c["route"] for c in routed} == {"evkg.route:intravenous"}


def test_claims_name_filters_resolve_like_curies(client: TestClient) -> None:
    by_name = client.get("/api/claims", params={"gene": "CD73", "limit": 500}).json()
    by_curie = client.get("/api/claims", params={"gene": "hgnc:8021", "limit": 500}).json()
    assert by_name["total"] == by_curie["total"] > 0
    assert by_name["filters"]["gene"] == "hgnc:8021"


def test_claims_method_filter(client: TestClient, store: SqlStore) -> None:
    total = store.count_claims(ClaimFilter())
    assert client.get("/api/claims", params={"method": "curated"}).json()["total"] == total
    assert client.get("/api/claims", params={"method": "extracted"}).json()["total"] == 0


def test_claims_bad_parameters_are_422_saying_what_is_wrong(client: TestClient) -> None:
    response = client.get("/api/claims", params={"outcome": "great"})
    assert response.status_code == 422
    assert "outcome" in response.json()["detail"]
    assert client.get("/api/claims", params={"limit": 501}).status_code == 422
    assert client.get("/api/claims", params={"offset": -1}).status_code == 422
    unknown = client.get("/api/claims", params={"disease": "kidney failur"})
    assert unknown.status_code == 422
    assert unknown.json()["suggestions"]


def test_claims_as_tsv(client: TestClient) -> None:
    response = client.get("/api/claims", params={"disease": RA, "format": "tsv"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    rows = list(csv.reader(io.StringIO(response.text), delimiter="\t"))
    assert rows[0][:3] == ["claim_hash", "subject", "subject_label"]
    json_total = client.get("/api/claims", params={"disease": RA}).json()["total"]
    assert len(rows) - 1 == min(json_total, 50)


def test_quotes_are_never_injected_unescaped(client: TestClient) -> None:
    body = client.get("/api/claims", params={"disease": "<script>alert(1)</script>"})
    assert body.status_code == 422
    page = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_stats(client: TestClient, store: SqlStore) -> None:
    assert client.get("/api/stats").json()["totals"] == store.counts()["totals"]


# -- exports --------------------------------------------------------------------------------
def test_exports(client: TestClient, store: SqlStore) -> None:
    n_ra = store.count_claims(ClaimFilter(disease=RA))
    jsonl = client.get("/api/export/jsonl", params={"disease": RA})
    records = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(records) == n_ra
    assert "attachment" in jsonl.headers["content-disposition"]
    tsv = client.get("/api/export/tsv", params={"disease": RA}).text.splitlines()
    assert len(tsv) == n_ra + 1
    graphml = client.get("/api/export/graphml", params={"disease": RA})
    edges = ET.fromstring(graphml.content).iter("{http://graphml.graphdrawing.org/xmlns}edge")
    assert len(list(edges)) == n_ra
    kgx = zipfile.ZipFile(io.BytesIO(client.get("/api/export/kgx").content))
    assert sorted(kgx.namelist()) == ["edges.tsv", "nodes.tsv"]
    edge_lines = kgx.read("edges.tsv").decode().splitlines()
    assert len(edge_lines) - 1 == store.count_claims(ClaimFilter())
    assert client.get("/api/export/pdf").status_code == 422


# -- writes ---------------------------------------------------------------------------------
def _record(reference: str) -> dict[str, Any]:
    return {
        "id": "web.test-claim",
        "subject": MIR150,
        "predicate": "regulates_down",
        "object": "hgnc:11998",
        "context": {"disease": RA, "species": "ncbitaxon:10090"},
        "evidence": [
            {
                "reference": reference,
                "quote": "A test sentence long enough to be a quote.",
                "section": "Results",
                "level": "in_vitro",
            }
        ],
    }


def test_writes_are_forbidden_on_a_read_only_server(client: TestClient) -> None:
    assert client.get("/api/health").json()["read_only"] is True
    response = client.post("/api/claims", json=_record("evkg.ref:chen2018"))
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    decision = client.post("/api/review/" + "0" * 32, json={"status": "accepted"})
    assert decision.status_code == 403


def test_writes_need_the_token(writable: tuple[TestClient, SqlStore]) -> None:
    client, _ = writable
    reference = client.get("/api/references/18").json()["reference"]["id"]
    assert client.post("/api/claims", json=_record(reference)).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.post("/api/claims", json=_record(reference), headers=wrong).status_code == 401


def test_add_curated_claim_is_stored_once(writable: tuple[TestClient, SqlStore]) -> None:
    client, store = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    reference = client.get("/api/references/18").json()["reference"]["id"]
    before = store.count_claims(ClaimFilter())
    response = client.post("/api/claims", json=_record(reference), headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["new_claims"] == 1
    assert body["new_evidence"] == 1
    assert store.count_claims(ClaimFilter()) == before + 1
    found = client.get("/api/claims", params={"gene": "hgnc:11998", "cargo": MIR150}).json()
    assert body["claim_hash"] in {c["hash"] for c in found["items"]}
    again = client.post("/api/claims", json=_record(reference), headers=auth).json()
    assert again["skipped"] is True
    assert store.count_claims(ClaimFilter()) == before + 1


def test_add_curated_claim_rejects_unknown_identifiers_and_writes_nothing(
    writable: tuple[TestClient, SqlStore],
) -> None:
    client, store = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = store.counts()["totals"]
    unknown_gene = {**_record("evkg.ref:x"), "object": "hgnc:999999999"}
    response = client.post("/api/claims", json=unknown_gene, headers=auth)
    assert response.status_code == 422
    assert "hgnc:999999999" in response.json()["detail"]
    reference = client.get("/api/references/18").json()["reference"]["id"]
    unknown_ref = _record(reference)
    unknown_ref["evidence"][0]["reference"] = "evkg.ref:nobody1999"
    response = client.post("/api/claims", json=unknown_ref, headers=auth)
    assert response.status_code == 422
    assert "evidence[0].reference" in response.json()["detail"]
    malformed = client.post("/api/claims", json={"id": "x"}, headers=auth)
    assert malformed.status_code == 422
    not_json = client.post(
        "/api/claims",
        content=b"\xff\xfe not json",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert not_json.status_code in (400, 422)
    assert not_json.json()["detail"]
    assert store.counts()["totals"] == before


def _extracted_bundle(store: SqlStore) -> tuple[str, str]:
    claim = Claim(subject=MIR150, predicate="regulates_down", object="hgnc:6029")
    reference = store.references_all()[0].id
    evidence = Evidence(
        claim_hash=claim.hash,
        reference=reference,
        quote="miR-150 lowered the target in the mined sentence.",
        method=EvidenceMethod.EXTRACTED,
        extractor="test-0",
        level=EvidenceLevel.IN_VITRO,
        confidence=0.4,
    )
    store.load(
        LoadBundle(
            dataset="mined-test", fingerprint="1", assembly=assemble([(claim, evidence, None)])
        )
    )
    return claim.hash, evidence.hash


def test_review_mined_evidence(writable: tuple[TestClient, SqlStore]) -> None:
    client, store = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    claim_hash, evidence_hash = _extracted_bundle(store)
    queue = client.get("/api/review").json()
    assert [item["hash"] for item in queue["items"]] == [evidence_hash]
    visible = {c["hash"] for c in _all_claims(client, method="extracted")}
    assert claim_hash in visible
    rejected = client.post(
        f"/api/review/{evidence_hash}", json={"status": "rejected"}, headers=auth
    )
    assert rejected.status_code == 200
    assert claim_hash not in {c["hash"] for c in _all_claims(client, cargo=MIR150)}
    assert client.get("/api/review").json()["items"] == []
    client.post(f"/api/review/{evidence_hash}", json={"status": "accepted"}, headers=auth)
    assert claim_hash in {c["hash"] for c in _all_claims(client, cargo=MIR150)}
    missing = client.post("/api/review/" + "0" * 32, json={"status": "accepted"}, headers=auth)
    assert missing.status_code == 404
    curated = store.evidence_for_review("accepted", limit=1)
    curated_hash = next(h for h, e, _ in curated if e.method == EvidenceMethod.CURATED)
    refused = client.post(f"/api/review/{curated_hash}", json={"status": "rejected"}, headers=auth)
    assert refused.status_code == 409
    bad = client.post(f"/api/review/{evidence_hash}", json={"status": "maybe"}, headers=auth)
    assert bad.status_code == 422


def test_oversized_bodies_are_refused_before_reading(store: SqlStore) -> None:
    app = create_app(
        store=store, vocabulary=load_vocabulary(), token=TOKEN, limits=Limits(max_upload_bytes=100)
    )
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post(
        "/api/claims",
        content=b"{" + b" " * 200_000 + b"}",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


# -- robustness -----------------------------------------------------------------------------
def test_unexpected_errors_give_no_stack_trace(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = client.app.state.evkg.knowledge.store  # type: ignore[attr-defined]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(store, "claims", broken)
    monkeypatch.setattr(store, "claims_by_hash", broken)  # the disease page reads by hash
    for path in ("/api/claims", "/disease/rheumatoid arthritis"):
        response = client.get(path)
        assert response.status_code == 500
        assert "secret internal detail" not in response.text
        assert "Traceback" not in response.text
        assert response.headers["cache-control"] == "no-store"

    def unavailable(*args: object, **kwargs: object) -> None:
        raise StoreError("cannot use database sqlite:///x: locked")

    monkeypatch.setattr(store, "claims", unavailable)
    response = client.get("/api/claims")
    assert response.status_code == 503
    assert "sqlite:///x" not in response.text


def test_caching_and_security_headers(client: TestClient) -> None:
    static = client.get("/static/evkg.css")
    assert static.headers["cache-control"] == "public, max-age=86400"
    api = client.get("/api/stats")
    assert api.headers["cache-control"] == "public, max-age=60"
    assert "default-src 'self'" in api.headers["content-security-policy"]
    assert api.headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/diseases/nothing-like-it").headers["cache-control"] == "no-store"


def test_openapi_is_served_and_every_api_route_declares_its_response(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/claims" in schema["paths"]
    assert "/api/diseases/{name}" in schema["paths"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (method, path)
            if path.startswith("/api") and method == "get" and "export" not in path:
                content = operation["responses"]["200"]["content"]["application/json"]
                assert content["schema"], (method, path)
    assert client.get("/docs").status_code == 404  # Swagger UI would need a CDN
    assert "/api/claims" in client.get("/api-docs").text


# -- pages ----------------------------------------------------------------------------------
def test_home_page_shows_counts_and_search(client: TestClient, store: SqlStore) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert f"<strong>{store.counts()['totals']['claims']:,}</strong> claims" in page.text
    assert 'data-autocomplete="/api/search"' in page.text
    for asset in ("/static/evkg.css", "/static/evkg.js"):
        assert asset in page.text
        assert client.get(asset).status_code == 200
    assert "https://" not in page.text.split("<main>")[0]  # no CDN in the page head


def test_disease_page_has_strategies_network_quotes_and_filters(client: TestClient) -> None:
    page = client.get("/disease/rheumatoid arthritis").text
    assert "hsa-miR-150-5p" in page
    assert "<svg" in page
    assert page.count('class="node ') >= 5
    assert "MMP14" in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Chen Z et al. (2018) J Immunol 201:2472-82" in page
    assert 'href="/reference/evkg.ref:' in page
    assert '<select name="route">' in page


def test_disease_page_filters_narrow_the_evidence_table(client: TestClient) -> None:
    everything = client.get("/disease/acute kidney injury").text
    in_vitro = client.get("/disease/acute kidney injury", params={"level": "in_vitro"}).text
    count = lambda text: text.count('<tr id="claim-')  # noqa: E731
    assert 0 < count(in_vitro) < count(everything) or "No claim matches" in in_vitro
    bad = client.get("/disease/acute kidney injury", params={"level": "excellent"})
    assert bad.status_code == 422
    assert "level" in bad.text


def test_disease_page_shows_contradicting_evidence(client: TestClient, store: SqlStore) -> None:
    diseases = {c.claim.context.disease for c in store.claims(ClaimFilter())} - {None}
    contested = [d for d in diseases if store.contradictions(ClaimFilter(disease=d))]
    if not contested:
        pytest.skip("the curated knowledge records no contradiction")
    # the disease with the fewest claims: its page's claim table holds the contested claim
    smallest = min(contested, key=lambda d: (len(store.claims(ClaimFilter(disease=d))), d))
    page = client.get(f"/disease/{smallest}").text
    assert "Contradicting or contested evidence" in page
    assert "contradicting evidence exists" in page


def test_entity_and_reference_pages(client: TestClient) -> None:
    cargo = client.get("/cargo/miR-146a").text
    assert "armless" in cargo
    assert "<svg" in cargo
    assert "NT5E" in client.get("/gene/CD73").text
    reference = client.get("/reference/18")
    assert "Claims resting on it" in reference.text
    assert client.get("/entity/bone marrow MSC").status_code == 200
    redirect = client.get("/entity/rheumatoid arthritis", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == f"/disease/{RA}"


def test_error_pages_are_pages_with_suggestions(client: TestClient) -> None:
    missing = client.get("/disease/kidney failur")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Did you mean" in missing.text
    assert "kidney failure" in missing.text
    nowhere = client.get("/no/such/page")
    assert nowhere.status_code == 404
    assert "there is no page at /no/such/page" in nowhere.text
    empty = client.get("/search", params={"q": "zzzzqqqxxx"})
    assert empty.status_code == 200
    assert "Nothing matches" in empty.text


def test_empty_store_pages_explain_themselves(tmp_path: Path) -> None:
    empty = SqlStore(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    empty.initialise()
    client = TestClient(create_app(store=empty, vocabulary=load_vocabulary()))
    assert "holds no claims yet" in client.get("/").text
    page = client.get("/disease/rheumatoid arthritis")
    assert page.status_code == 200
    assert "No EV evidence is recorded" in page.text
    empty.dispose()


# -- evkg serve -----------------------------------------------------------------------------
def test_serve_refuses_remote_hosts_and_short_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evkg.sqlite'}"
    remote = CliRunner().invoke(cli, ["--database-url", url, "serve", "--host", "0.0.0.0"])
    assert remote.exit_code == 2
    assert "--allow-remote" in remote.output
    short = CliRunner().invoke(cli, ["--database-url", url, "serve", "--token", "abc"])
    assert short.exit_code == 2
    assert "16 characters" in short.output


# -- cargo analysis upload ------------------------------------------------------------------
CARGO_CSV = b"name,count\nhsa-miR-146a-5p,120\nmiR-150-5p,80\nhsa-miR-21-5p,300\nnot-a-mirna,5\n"


def _upload(client: TestClient, path: str, content: bytes, **data: str) -> Any:
    return client.post(path, files={"file": ("ev-cargo.csv", content, "text/csv")}, data=data)


def test_analysis_upload_returns_the_resolved_profile(client: TestClient) -> None:
    response = _upload(client, "/api/analysis", CARGO_CSV, species="hsa")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["filename"] == "ev-cargo.csv"
    assert "evkg-upload-" not in response.text  # the server's temporary path stays hidden
    labels = {item["label"] for item in body["result"]["profile"]["items"]}
    assert {"hsa-miR-146a-5p", "hsa-miR-150-5p", "hsa-miR-21-5p"} <= labels
    unmatched = body["result"]["normalisation"]["unmatched"]
    assert [u["input_name"] for u in unmatched] == ["not-a-mirna"]
    known = json.dumps(body["result"]["known_cargo"])
    assert "hsa-miR-150-5p" in known  # the RA cargo of the curated knowledge is recognised


def test_analysis_report_and_upload_page(client: TestClient) -> None:
    report = _upload(client, "/api/analysis/report", CARGO_CSV)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "hsa-miR-150-5p" in report.text
    assert "evkg-upload-" not in report.text
    assert "style-src 'unsafe-inline'" in report.headers["content-security-policy"]
    assert "script-src" not in report.headers["content-security-policy"]
    form = client.get("/upload")
    assert 'enctype="multipart/form-data"' in form.text
    page = _upload(client, "/upload", CARGO_CSV)
    assert page.status_code == 200
    assert 'href="/upload"' in page.text


def test_malformed_uploads_are_4xx_saying_what_is_wrong(client: TestClient) -> None:
    binary = _upload(client, "/api/analysis", b"\x00\x01\x02garbage\xff\xfe")
    assert binary.status_code == 422
    assert "ev-cargo.csv" in binary.json()["detail"]
    assert "/tmp" not in binary.json()["detail"]
    nothing = _upload(client, "/api/analysis", b"foo\nbar\n")
    assert nothing.status_code == 422
    assert "none of the 2 names resolved" in nothing.json()["detail"]
    empty = _upload(client, "/api/analysis", b"")
    assert empty.status_code == 422
    assert "empty" in empty.json()["detail"]
    species = _upload(client, "/api/analysis", CARGO_CSV, species="h1")
    assert species.status_code == 422
    assert "species" in species.json()["detail"]
    missing = client.post("/api/analysis", data={"species": "hsa"})
    assert missing.status_code == 422
    assert "file" in missing.json()["detail"]
    page = _upload(client, "/upload", b"foo\nbar\n")
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "none of the 2 names resolved" in page.text


def test_upload_size_and_row_limits(store: SqlStore) -> None:
    small = Limits(max_upload_bytes=40, max_upload_rows=2)
    client = TestClient(
        create_app(store=store, vocabulary=load_vocabulary(), limits=small),
        raise_server_exceptions=False,
    )
    too_many_rows = _upload(client, "/api/analysis", b"miR-150-5p\nmiR-21-5p\nlet-7c\n")
    assert too_many_rows.status_code == 413
    assert "3 rows" in too_many_rows.json()["detail"]
    assert "at most 2" in too_many_rows.json()["detail"]
    too_big = _upload(client, "/api/analysis", b"miR-150-5p\n" * 10)
    assert too_big.status_code == 413
    assert "larger than" in too_big.json()["detail"]
