"""The home, entity and reference pages, their API endpoints and ``/api/diseases`` stay
bounded on large stores: claims are paged (25 a page, strongest first), counts stop at a cap
shown as a lower bound, a disease's strategies come from the disease page's bounded
ranking (and the JSON says from how many), and deep offsets are refused with a 400.

Each test forbids the store calls that read every claim (an unbounded ``claims``, ``chains``
or ``contradictions``, the full ``counts``), so a page that went back to reading everything
fails here, and checks that paging on reaches exactly the claims the full read finds.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from evkg.api import Knowledge, diseases, entities
from evkg.api import filters as ws
from evkg.assemble import STRENGTH_RANK
from evkg.store import ClaimCount, ClaimFilter, SqlStore, StoredClaim
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app
from evkg.web._paging import PAGE_SIZE

#: Curated entities with more claims than a page: an EV source (subject of "carries"
#: claims and in the context of many more), the reference with most claims, a big disease.
SOURCE, UC_MSC = "evkg.source:msc", "evkg.source:uc-msc"
REFERENCE = "evkg.ref:zhang2024-extracellvesicl-64"
MIR146A = "miR-146a"  # an arm-less name: the claims of both arms
BIG = "doid:1287"
_ROW = re.compile(r'<tr id="claim-([0-9a-f]{32})"')
_NEXT = re.compile(r'rel="next" href="([^"]+)#claims"')


@pytest.fixture(scope="module")
def store(curated_store: SqlStore) -> SqlStore:
    return curated_store


@pytest.fixture(scope="module")
def knowledge(curated_knowledge: Knowledge) -> Knowledge:
    return curated_knowledge


def _forbid_unbounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, every store call that reads all matching claims (or counts every row)
    fails the test."""
    claims = SqlStore.claims

    def paged_only(
        self: SqlStore, where: ClaimFilter, *, limit: int | None = None, offset: int = 0
    ) -> Any:
        assert limit is not None, f"an unbounded read of every claim matching {where}"
        return claims(self, where, limit=limit, offset=offset)

    def forbidden(*_: Any, **__: Any) -> Any:
        raise AssertionError("a page read every claim or counted every row")

    monkeypatch.setattr(SqlStore, "claims", paged_only)
    for name in ("chains", "contradictions", "counts", "count_claims"):
        monkeypatch.setattr(SqlStore, name, forbidden)


def _client(store: SqlStore, **limits: int) -> TestClient:
    return TestClient(
        create_app(store=store, vocabulary=load_vocabulary(), limits=Limits(**limits))
    )


def _expected(store: SqlStore, knowledge: Knowledge, name: str) -> list[str]:
    """Every claim about an entity in rank order, read in full (the unbounded answer)."""
    match = knowledge.cargo_match(name) if name == MIR146A else knowledge.entity_match(name)
    merged = {c.hash: c for f in ws.entity_filters(match) for c in store.claims(f)}
    return [c.hash for c in sorted(merged.values(), key=_rank)]


def _rank(stored: StoredClaim) -> tuple[int, float, str]:
    return (-STRENGTH_RANK[stored.strength], -stored.confidence, stored.hash)


def _walk(client: TestClient, path: str, n_expected: int) -> list[str]:
    """Row hashes of every page of a claim table, following the next links."""
    seen: list[str] = []
    link, number = path, 1
    pages = -(-n_expected // PAGE_SIZE)
    while link:
        page = client.get(link).text
        rows = _ROW.findall(page)
        assert len(rows) == min(PAGE_SIZE, n_expected - len(seen)), (path, number)
        seen += rows
        assert (f"page {number} of {pages}" in page) == (pages > 1)
        assert ('rel="prev"' in page) == (number > 1)
        found = _NEXT.search(page)
        link = path.split("?")[0] + found.group(1).replace("&amp;", "&") if found else ""
        number += 1
    return seen


# -- home -----------------------------------------------------------------------------------
def test_totals_upto_are_exact_below_the_cap_and_a_lower_bound_above(store: SqlStore) -> None:
    exact = store.counts()["totals"]
    below = store.totals_upto(100_000)
    for name in ("claims", "evidence", "references", "entities", "chains"):
        assert below[name] == ClaimCount(exact[name]), name
    capped = store.totals_upto(100)
    assert capped["claims"] == ClaimCount(100, is_lower_bound=True)
    assert capped["evidence"] == ClaimCount(100, is_lower_bound=True)


def test_home_page_counts_up_to_the_cap(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    n_references = store.counts()["totals"]["references"]
    _forbid_unbounded(monkeypatch)
    page = _client(store, count_cap=100).get("/")
    assert page.status_code == 200
    assert "<strong>100+</strong> claims" in page.text
    assert 'href="/api/stats"' in page.text  # where the exact counts are
    assert f"<strong>{n_references:,}</strong> references" in _client(store).get("/").text


# -- /api/diseases ----------------------------------------------------------------------------
def test_api_disease_uses_the_bounded_ranking_and_says_so(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_unbounded(monkeypatch)
    # bounds above the disease's size (it grows with the curated studies): a complete ranking
    monkeypatch.setattr(diseases, "SCAN_CLAIMS", 100_000)
    monkeypatch.setattr(diseases, "RANKED_CLAIMS", 100_000)
    client = _client(store)
    body = client.get(f"/api/diseases/{BIG}").json()
    assert body["ranking"]["complete"] is True
    assert body["ranking"]["note"].startswith("Ranked from every claim")
    strategies = client.get(f"/api/diseases/{BIG}/strategies").json()
    assert strategies["strategies"] == body["strategies"]  # ranked the same, same chains
    chains = {i for s in body["strategies"] for i in s["chains"]}
    assert {c["id"] for c in body["chains"]} == chains
    monkeypatch.setattr(diseases, "RANKED_CLAIMS", 3)
    for path in (f"/api/diseases/{BIG}", f"/api/diseases/{BIG}/strategies"):
        ranking = client.get(path).json()["ranking"]
        assert ranking["complete"] is False
        assert ranking["ranked_from"] == 3
        assert ranking["note"].startswith("Ranked from the 3 strongest of the ")
        assert ranking["n_outcome_claims"] > 3
    capped = _client(store, count_cap=5).get(f"/api/diseases/{BIG}").json()
    assert (capped["n_claims"], capped["n_claims_is_lower_bound"]) == (5, True)
    assert "(of 5+)" in capped["ranking"]["note"]


def test_disease_chains_are_paged_and_reach_every_chain(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = {c.id for c in store.chains(ClaimFilter(disease=BIG))}
    _forbid_unbounded(monkeypatch)
    client = _client(store)
    seen: set[str] = set()
    offset = pages = 0
    while True:
        body = client.get(
            f"/api/diseases/{BIG}/chains", params={"limit": 7, "offset": offset}
        ).json()
        assert (body["limit"], body["offset"]) == (7, offset)
        seen |= {c["id"] for c in body["chains"]}
        pages += 1
        if not body["has_more"]:
            break
        offset += 7
    assert pages > 2
    assert seen == full


def test_openapi_documents_the_bounded_ranking(store: SqlStore) -> None:
    schema = _client(store).get("/openapi.json").json()
    components = schema["components"]["schemas"]
    ranking = components["RankingOut"]["properties"]
    assert {"complete", "ranked_from", "n_outcome_claims", "n_scanned", "note"} <= set(ranking)
    for name in ("DiseaseOut", "DiseaseStrategies"):
        assert "ranking" in components[name]["properties"]
    assert "cap" in components["EntityReportOut"]["properties"]["n_claims"]["description"]
    strategies = schema["paths"]["/api/diseases/{name}/strategies"]["get"]
    assert "strongest claims only" in strategies["description"]
    chains = schema["paths"]["/api/diseases/{name}/chains"]["get"]
    assert {p["name"] for p in chains["parameters"]} >= {"limit", "offset"}


# -- entity and reference pages -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/entity/{SOURCE}", SOURCE),  # more claims than the scan: paged by the store
        (f"/entity/{UC_MSC}", UC_MSC),  # subject and context claims, merged
        (f"/cargo/{MIR146A}", MIR146A),
    ],
)
def test_entity_pages_page_through_every_claim(
    store: SqlStore,
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    name: str,
) -> None:
    expected = _expected(store, knowledge, name)
    assert len(expected) > (PAGE_SIZE if name != MIR146A else 0)
    _forbid_unbounded(monkeypatch)
    assert _walk(_client(store), path, len(expected)) == expected


def test_a_scan_smaller_than_the_entity_pages_by_the_store(
    store: SqlStore, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _expected(store, knowledge, UC_MSC)
    monkeypatch.setattr(entities, "SCAN_CLAIMS", 10)
    _forbid_unbounded(monkeypatch)
    client = _client(store)
    assert _walk(client, f"/entity/{UC_MSC}", len(expected)) == expected
    page = client.get(f"/entity/{UC_MSC}").text
    assert "Among the 10 strongest claims" in page  # the disease tally says what it read
    body = client.get(f"/api/entities/{UC_MSC}", params={"limit": 5}).json()
    assert body["diseases_complete"] is False
    assert body["n_claims"] == len(expected)


def test_capped_entity_count_is_a_lower_bound_and_paging_goes_on(
    store: SqlStore, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _expected(store, knowledge, SOURCE)
    _forbid_unbounded(monkeypatch)
    client = _client(store, count_cap=30)
    first = client.get(f"/entity/{SOURCE}").text
    assert "30+ claims" in first
    assert "page 1 (counted up to 30)" in first
    second = client.get(f"/entity/{SOURCE}", params={"page": 2}).text
    assert _ROW.findall(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    assert 'rel="next"' in second


def test_entity_api_pages_with_offset(
    store: SqlStore, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _expected(store, knowledge, SOURCE)
    _forbid_unbounded(monkeypatch)
    client = _client(store)
    seen: list[str] = []
    offset = 0
    while True:
        body = client.get(f"/api/entities/{SOURCE}", params={"limit": 40, "offset": offset}).json()
        assert (body["n_claims"], body["n_claims_is_lower_bound"]) == (len(expected), False)
        seen += [c["hash"] for c in body["claims"]]
        if not body["has_more"]:
            break
        offset += 40
    assert seen == expected


def test_reference_page_and_api_are_paged(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [c.hash for c in sorted(store.claims(ClaimFilter(reference=REFERENCE)), key=_rank)]
    assert len(expected) > PAGE_SIZE
    _forbid_unbounded(monkeypatch)
    client = _client(store)
    assert _walk(client, f"/reference/{REFERENCE}", len(expected)) == expected
    body = client.get(f"/api/references/{REFERENCE}", params={"limit": 10, "offset": 20}).json()
    assert [c["hash"] for c in body["claims"]] == expected[20:30]
    assert (body["n_claims"], body["has_more"]) == (len(expected), True)


# -- deep pages --------------------------------------------------------------------------------
def test_pages_deeper_than_the_server_pages_are_a_clear_400(store: SqlStore) -> None:
    client = _client(store, max_offset=50)
    assert client.get("/api/claims", params={"offset": 50}).status_code == 200
    deep = client.get("/api/claims", params={"offset": 51})
    assert deep.status_code == 400
    assert "deeper than this server pages (at most 50)" in deep.json()["detail"]
    assert client.get(f"/entity/{SOURCE}", params={"page": 3}).status_code == 200
    page = client.get(f"/entity/{SOURCE}", params={"page": 4})
    assert page.status_code == 400
    assert "page 4 is deeper than this server pages (at most page 3" in page.text
    assert page.headers["content-type"].startswith("text/html")
    for path, params in [
        (f"/api/entities/{SOURCE}", {"offset": 51}),
        (f"/api/references/{REFERENCE}", {"offset": 51}),
        (f"/api/diseases/{BIG}/chains", {"offset": 51}),
        (f"/reference/{REFERENCE}", {"page": 4}),
        (f"/disease/{BIG}", {"page": 4}),
    ]:
        assert client.get(path, params=params).status_code == 400, path
    # the default: 10,000 claims deep, as far as counts go
    default = _client(store)
    assert default.get("/api/claims", params={"offset": 10_001}).status_code == 400
    assert default.get("/api/claims", params={"offset": 10_000}).status_code == 200
