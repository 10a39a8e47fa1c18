"""The disease page and the claim counts stay bounded on large stores, and say so.

A disease page reads a bounded number of claims however many a disease has: strategies are
ranked from the strongest outcome claims, the evidence table is paged, and counts stop at a
cap that the page and the API show as a lower bound ("10,000+"). These tests check that the
bounds change nothing where they are not reached (the curated knowledge), and that where
they are reached the page and the API say so and still let a user reach every claim.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from evkg.api import Knowledge
from evkg.api import diseases as ws
from evkg.store import ClaimFilter, SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app
from evkg.web._disease_view import PAGE_SIZE

#: Curated diseases with the most claims (with their sub-diseases), one with contradictions.
BIG, WITH_CONTRADICTION, RA = "doid:1287", "doid:2914", "doid:7148"
_ROW = re.compile(r'<tr id="claim-([0-9a-f]{32})"')


@pytest.fixture(scope="module")
def store(curated_store: SqlStore) -> SqlStore:
    return curated_store


@pytest.fixture(scope="module")
def knowledge(curated_knowledge: Knowledge) -> Knowledge:
    return curated_knowledge


@pytest.fixture(scope="module")
def client(store: SqlStore) -> TestClient:
    return TestClient(create_app(store=store, vocabulary=load_vocabulary()))


def _capped(store: SqlStore, cap: int) -> TestClient:
    return TestClient(
        create_app(store=store, vocabulary=load_vocabulary(), limits=Limits(count_cap=cap))
    )


def _diseases(store: SqlStore) -> list[str]:
    rows = store.execute_sql("SELECT DISTINCT disease FROM claims WHERE disease IS NOT NULL")
    return sorted(str(row[0]) for row in rows)


def test_overview_ranks_like_the_full_report_when_nothing_is_bounded(
    store: SqlStore, knowledge: Knowledge
) -> None:
    """On the curated knowledge no bound is reached: the bounded overview must give the
    same strategies (order, figures, gaps), counts, sub-diseases and contradictions as the
    full report that reads every claim."""
    checked = 0
    for disease in _diseases(store):
        full = knowledge.disease_complete(disease)
        outcomes = sum(1 for c in full.claims if c.claim.outcome is not None)
        if len(full.claims) > ws.SCAN_CLAIMS or outcomes > ws.RANKED_CLAIMS:
            continue  # a broad group: bounded by design
        overview = ws.disease_overview(knowledge, disease)
        assert overview.complete
        assert overview.scanned_all
        assert overview.n_claims.total == len(full.claims)
        assert not overview.n_claims.is_lower_bound
        assert overview.included == full.included
        assert overview.n_strategies == len(full.strategies)
        shown = full.strategies[:30]
        assert [s.key for s in overview.strategies] == [s.key for s in shown]
        for mine, theirs in zip(overview.strategies, shown, strict=True):
            assert (mine.score, mine.direction, mine.references, mine.gaps) == (
                theirs.score,
                theirs.direction,
                theirs.references,
                theirs.gaps,
            )
        for mine, theirs in zip(overview.strategies[:12], shown[:12], strict=True):
            assert [c.id for c in mine.chains] == [c.id for c in theirs.chains]
        pairs = {
            (c.first.hash, c.second.hash if c.second else None, c.reason)
            for c in full.contradictions
        }
        assert {
            (c.first.hash, c.second.hash if c.second else None, c.reason)
            for c in overview.contradictions
        } == pairs
        checked += 1
    assert checked > 20


def test_strategies_are_ranked_from_a_bounded_set_and_the_page_says_so(
    store: SqlStore, knowledge: Knowledge, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = knowledge.disease_complete(BIG)
    n_outcome = sum(len(s.outcome_claims) for s in full.strategies)
    assert n_outcome > 4
    monkeypatch.setattr(ws, "RANKED_CLAIMS", 3)
    monkeypatch.setattr(ws, "SCAN_CLAIMS", 100_000)  # every claim scanned, only 3 ranked
    overview = ws.disease_overview(knowledge, BIG)
    assert not overview.complete
    assert overview.ranked_from == 3
    assert sum(len(s.outcome_claims) for s in overview.strategies) <= 3
    assert overview.n_outcome_claims == n_outcome  # totals still count every scanned claim
    assert overview.n_strategies == len(full.strategies)
    # beneficial strategies come first, as in the full ranking
    assert overview.strategies[0].direction.value == full.strategies[0].direction.value
    page = client.get(f"/disease/{BIG}").text
    assert 'id="strategies-bounded"' in page
    assert "Ranked from the 3 strongest" in page
    assert f"{len(full.strategies)}+ EV strategies" in page
    # a disease with fewer outcome claims than the bound: its page is complete, says nothing
    small = next(
        d
        for d in _diseases(store)
        if 0 < sum(len(s.outcome_claims) for s in knowledge.disease_complete(d).strategies) <= 3
    )
    assert 'id="strategies-bounded"' not in client.get(f"/disease/{small}").text
    monkeypatch.undo()
    # at the default bounds, a disease with more than 3 outcome claims that fits them
    medium = next(
        d
        for d in _diseases(store)
        if (overview := ws.disease_overview(knowledge, d)).complete
        and overview.n_outcome_claims > 3
    )
    assert 'id="strategies-bounded"' not in client.get(f"/disease/{medium}").text


def test_a_scan_smaller_than_the_disease_counts_apart(
    store: SqlStore, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = store.count_claims(ClaimFilter(disease=BIG))
    monkeypatch.setattr(ws, "SCAN_CLAIMS", 10)
    overview = ws.disease_overview(knowledge, BIG)
    assert len(overview.scanned) == 10
    assert not overview.scanned_all
    assert not overview.complete
    assert overview.n_claims.total == n  # counted by the store, not by the scan
    assert [s.hash for s in overview.scanned] == [
        c.hash for c in store.claims(ClaimFilter(disease=BIG), limit=10)
    ]


def test_the_evidence_table_pages_through_every_claim(store: SqlStore, client: TestClient) -> None:
    where = ClaimFilter(disease=BIG)
    expected = [c.hash for c in store.claims(where)]
    assert len(expected) > 2 * PAGE_SIZE
    seen: list[str] = []
    page_number, link = 1, f"/disease/{BIG}"
    while link:
        page = client.get(link).text
        rows = _ROW.findall(page)
        assert len(rows) == min(PAGE_SIZE, len(expected) - len(seen))
        seen += rows
        pages = -(-len(expected) // PAGE_SIZE)
        assert f"page {page_number} of {pages}" in page
        assert ('rel="prev"' in page) == (page_number > 1)
        found = re.search(r'rel="next" href="([^"]+)#evidence"', page)
        link = f"/disease/{BIG}" + found.group(1).replace("&amp;", "&") if found else ""
        page_number += 1
    assert seen == expected
    beyond = client.get(f"/disease/{BIG}", params={"page": 999}).text
    assert _ROW.findall(beyond) == expected[(pages - 1) * PAGE_SIZE :]  # clamped to the last


def test_filtered_pages_keep_their_filters(store: SqlStore, client: TestClient) -> None:
    where = ClaimFilter(disease=BIG, level="in_vivo")
    expected = [c.hash for c in store.claims(where)]
    first = client.get(f"/disease/{BIG}", params={"level": "in_vivo"}).text
    assert _ROW.findall(first) == expected[:PAGE_SIZE]
    if len(expected) > PAGE_SIZE:
        assert 'href="?level=in_vivo&amp;page=2#evidence"' in first
        second = client.get(f"/disease/{BIG}", params={"level": "in_vivo", "page": 2}).text
        assert _ROW.findall(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]


def test_a_capped_count_is_shown_as_a_lower_bound_and_paging_goes_on(store: SqlStore) -> None:
    n_ra = store.count_claims(ClaimFilter(disease=RA))
    cap = n_ra + 1  # RA stays below the cap, the big disease goes over it
    client = _capped(store, cap)
    expected = [c.hash for c in store.claims(ClaimFilter(disease=BIG))]
    assert len(expected) > cap + PAGE_SIZE
    page = client.get(f"/disease/{BIG}").text
    assert re.search(rf'<p class="lead">{cap}\+ claims', page)
    assert f"{cap}+ claims · page 1 (counted up to {cap})" in page
    second = client.get(f"/disease/{BIG}", params={"page": 2}).text
    assert _ROW.findall(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    assert 'rel="next"' in second  # more than the cap: the pager still goes on
    last_page = len(expected) // PAGE_SIZE + 5
    last = client.get(f"/disease/{BIG}", params={"page": last_page}).text
    assert _ROW.findall(last) == []
    assert 'rel="next"' not in last
    assert f"The list ends before page {last_page}" in last
    exact = client.get(f"/disease/{RA}").text
    assert f'<p class="lead">{n_ra} claims' in exact


def test_api_total_is_exact_below_the_cap_and_a_lower_bound_above(store: SqlStore) -> None:
    total = store.count_claims(ClaimFilter())
    body = (
        TestClient(create_app(store=store, vocabulary=load_vocabulary()))
        .get("/api/claims", params={"limit": 5})
        .json()
    )
    assert (body["total"], body["total_is_lower_bound"]) == (total, False)
    capped = _capped(store, 100)
    body = capped.get("/api/claims", params={"limit": 5}).json()
    assert (body["total"], body["total_is_lower_bound"]) == (100, True)
    assert len(body["items"]) == 5
    n_ra = store.count_claims(ClaimFilter(disease=RA))
    body = capped.get("/api/claims", params={"disease": RA}).json()
    assert (body["total"], body["total_is_lower_bound"]) == (n_ra, False)
    # past the cap, paging with offset still reaches claims the count did not
    tail = capped.get("/api/claims", params={"offset": 150, "limit": 5}).json()["items"]
    assert [c["hash"] for c in tail] == [
        c.hash for c in store.claims(ClaimFilter(), limit=5, offset=150)
    ]


def test_openapi_documents_the_lower_bound(client: TestClient) -> None:
    page = client.get("/openapi.json").json()["components"]["schemas"]["ClaimPage"]
    assert "total_is_lower_bound" in page["properties"]
    assert "cap" in page["properties"]["total"]["description"]
    assert "more than" in page["properties"]["total_is_lower_bound"]["description"]
