"""The evidence as a person reads it: each quote once with the claims it supports under it,
links to PubMed and doi.org on citations, species and evidence-tier filters, names rather
than identifiers, Swagger UI at /docs from the server's own files, and a favicon."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from evkg.api import build_curated_bundle
from evkg.model import Reference
from evkg.store import ClaimFilter, SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app
from evkg.web._paging import PAGE_SIZE

RA, AKI, RAT = "doid:7148", "doid:3021", "ncbitaxon:10116"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    instance = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('web') / 'evkg.sqlite'}")
    instance.initialise()
    instance.load(build_curated_bundle())
    yield instance
    instance.dispose()


@pytest.fixture(scope="module")
def client(store: SqlStore) -> TestClient:
    return TestClient(create_app(store=store, vocabulary=load_vocabulary()))


def _quotes(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r"<blockquote>“(.*?)”</blockquote>", page, re.S)]


def test_each_quote_is_shown_once_with_every_claim_it_supports(
    client: TestClient, store: SqlStore
) -> None:
    page = client.get(f"/disease/{RA}").text
    claims = store.claims(ClaimFilter(disease=RA), limit=PAGE_SIZE)
    expected = {(e.reference, e.quote) for c in claims for e in c.evidence}
    quotes = _quotes(page)
    assert len(quotes) == len(set(quotes)) == len({q for _, q in expected})
    assert len(quotes) < sum(len(c.evidence) for c in claims)  # quotes were shared
    anchors = re.findall(r'id="claim-([0-9a-f]{32})"', page)
    assert sorted(anchors) == sorted(c.hash for c in claims)  # each claim anchored once
    repeats = re.findall(r'data-claim="([0-9a-f]{32})"', page)
    several = {c.hash: len({e.quote for e in c.evidence}) - 1 for c in claims}
    assert sorted(repeats) == sorted(h for h, extra in several.items() for _ in range(extra))


def test_a_note_shared_by_the_claims_of_a_quote_is_printed_once(client: TestClient) -> None:
    page = client.get(f"/disease/{RA}").text
    shared = "MSC-derived miR-150-5p-expressing exosomes in RA"
    quote = "MSC-EV-derived miR-150-5p reduces joint destruction"
    start = page.index(quote)
    card = page[start : page.index("</li>", start)]
    assert card.count(shared) == 1
    assert card.count('<tr id="claim-') >= 4  # VEGFA, MMP14, angiogenesis, RA …


def test_citations_link_to_pubmed_and_doi(client: TestClient, store: SqlStore) -> None:
    references = {r.id: r for r in store.references_all()}
    checked = 0
    for path in (f"/disease/{RA}", f"/disease/{AKI}"):
        tree = lxml_html.fromstring(client.get(path).text)
        for group in tree.xpath("//span[@class='cite-links']"):
            href = group.xpath("a[@class='citation']/@href")[0]
            curie = unquote(href.removeprefix("/reference/"))
            reference: Reference | None = references.get(curie)
            assert reference is not None, curie
            links = group.xpath("a[@class='ext']/@href")
            wanted = []
            if reference.pmid:
                wanted.append(f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/")
            if reference.doi:
                wanted.append(f"https://doi.org/{reference.doi}")
            assert links == wanted, curie
            checked += bool(wanted)
    assert checked > 20


def test_a_citation_reads_as_a_citation_not_an_identifier(client: TestClient) -> None:
    for path in (f"/disease/{RA}", f"/disease/{AKI}", "/cargo/miR-146a"):
        tree = lxml_html.fromstring(client.get(path).text)
        texts = [a.text_content() for a in tree.xpath("//a[@class='citation']")]
        assert texts, path
        for text in texts:
            assert not re.match(r"(doi:|PMID |evkg\.ref:|pubmed:)", text), (path, text)


def test_an_authorless_reference_is_cited_by_its_title() -> None:
    reference = Reference(
        id="doi:10.1000/t.1",
        authors=("not reported",),
        year=2021,
        title="Small extracellular vesicles from stromal cells ease a kidney injury in rats",
        journal="Stem Cell Res Ther",
        doi="10.1000/t.1",
    )
    citation = reference.citation()
    assert citation.startswith("“Small extracellular vesicles from stromal cells ease a")
    assert citation.endswith("…” (2021) Stem Cell Res Ther")
    assert "doi" not in citation


def test_species_filter_narrows_the_evidence_by_name(client: TestClient, store: SqlStore) -> None:
    expected = store.count_claims(ClaimFilter(disease=AKI, species=RAT))
    everything = store.count_claims(ClaimFilter(disease=AKI))
    assert 0 < expected < everything
    page = client.get(f"/disease/{AKI}", params={"species": "rat"}).text
    assert f"{expected:,} claim" in page
    tree = lxml_html.fromstring(page)
    options = tree.xpath("//select[@name='species']/option")
    names = {o.get("value"): o.text_content() for o in options}
    assert names[RAT].lower() == "rat"
    assert all(not text.startswith("ncbitaxon") for text in names.values())
    shown = tree.xpath("//ol[@class='quotes']//div[starts-with(., 'species: ')]/text()")
    assert shown
    assert {s.strip() for s in shown} == {"species: rat"}
    assert client.get(f"/disease/{AKI}", params={"species": "unicorn"}).status_code == 422


def test_evidence_tier_filter_uses_the_tier_names(client: TestClient, store: SqlStore) -> None:
    page = client.get(f"/disease/{AKI}", params={"level": "in_vivo"}).text
    tree = lxml_html.fromstring(page)
    select = tree.xpath("//label[contains(., 'Evidence tier')]/select[@name='level']")[0]
    assert "in vivo" in [o.text_content() for o in select.xpath("option")]
    expected = store.count_claims(ClaimFilter(disease=AKI, level="in_vivo"))
    assert f"{expected:,} claim" in page


def test_swagger_ui_is_served_locally_at_docs(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources
    assert all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_the_endpoint_list_shows_code_not_backticks(client: TestClient) -> None:
    text = lxml_html.fromstring(client.get("/api-docs").text).text_content()
    assert "`" not in text
    assert "<code>" in client.get("/api-docs").text


def test_favicon_is_served_and_linked(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    assert client.get("/static/favicon.svg").status_code == 200
