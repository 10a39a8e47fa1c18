"""Readings a curator makes of an MSC-EV abstract as a whole (found by scoring mining
against the curated studies of the same papers, `evkg eval extract --texts`): the bare
"MSCs" of a paper on one tissue's MSCs, cells made to carry more of a cargo, and the
outcome of vesicles given with a cargo."""

from __future__ import annotations

import pytest

from evkg.extract.pipeline import Extractor
from evkg.model import Claim
from evkg.sources.text import document_from_text
from evkg.vocab import load_vocabulary


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _claims(extractor: Extractor, text: str) -> list[Claim]:
    document = document_from_text(text, name="t.txt", document_id="evkg.ref:t")
    return [claim for claim, _ in extractor.extract(document).statements]


def test_bare_msc_is_the_one_tissue_the_paper_names(extractor: Extractor) -> None:
    text = (
        "Exosomes were isolated from bone marrow mesenchymal stem cells. "
        "MSC exosomes attenuated colitis in mice."
    )
    sources = {c.context.ev_source for c in _claims(extractor, text)}
    assert sources == {"evkg.source:bm-msc"}


def test_bare_msc_stays_msc_when_the_paper_names_two_tissues(extractor: Extractor) -> None:
    text = (
        "We compared bone marrow MSCs with umbilical cord MSCs. "
        "MSC exosomes attenuated colitis in mice."
    )
    colitis = [c for c in _claims(extractor, text) if c.predicate.value == "treats"]
    assert colitis
    assert all(c.subject == "evkg.source:msc" for c in colitis)


@pytest.mark.parametrize(
    "sentence",
    [
        "Exosomes derived from miR-26a-modified MSCs promoted recovery after spinal cord injury.",
        "Exosomes from miR-146a-5p-enriched BMSCs alleviated intracerebral hemorrhage in rats.",
        "The overexpression of miR-199a-5p in MSC exosomes further reduced CAV1.",
    ],
)
def test_cells_made_to_carry_more_cargo_are_engineered(extractor: Extractor, sentence: str) -> None:
    claims = _claims(extractor, sentence)
    assert claims
    assert all("evkg.mod:gene-overexpression" in c.context.modifications for c in claims), claims


@pytest.mark.parametrize(
    "sentence",
    [
        "MSC exosomes enriched in miR-21 reduced fibrosis in mice.",  # their natural content
        "CD146-enriched MSCs gave exosomes that reduced colitis in mice.",  # a subpopulation
    ],
)
def test_enriched_content_or_subpopulation_is_not_engineering(
    extractor: Extractor, sentence: str
) -> None:
    assert not any(
        "evkg.mod:gene-overexpression" in c.context.modifications
        for c in _claims(extractor, sentence)
    )


def test_vesicles_given_with_a_cargo_keep_their_outcome(extractor: Extractor) -> None:
    claims = _claims(
        extractor, "Exosomes from miR-146a-5p-enriched BMSCs alleviated intracerebral hemorrhage."
    )
    treats = {c.subject for c in claims if c.predicate.value == "treats"}
    assert "evkg.source:bm-msc" in treats  # the product given
    assert any(s.startswith("mirbase") for s in treats)  # and the cargo
    # a target regulation stays the cargo's alone
    claims = _claims(extractor, "Exosomal miR-21 from BMSCs suppressed PTEN in cardiomyocytes.")
    regulated = {c.subject for c in claims if c.predicate.value == "regulates_down"}
    assert regulated
    assert all(s.startswith("mirbase") for s in regulated)


def test_a_mirna_joined_to_its_vesicles_by_a_hyphen_is_a_mirna(extractor: Extractor) -> None:
    claims = _claims(extractor, "Exosome-miR-21-3p treatment relieved stroke through TLR4.")
    assert any(c.subject.startswith("mirbase") for c in claims), claims
    assert not any(c.subject.startswith("hgnc") for c in claims), claims


def test_the_drug_that_makes_the_model_is_credited_with_nothing(extractor: Extractor) -> None:
    text = "H9c2 cells treated with doxorubicin showed lower survivin, and MSC-EVs restored it."
    assert not any("doxorubicin" in c.subject for c in _claims(extractor, text))


@pytest.mark.parametrize(
    "sentence",
    [
        "MSC-derived exosomes protected against liver fibrosis via delivering miR-148a.",
        "MSC exosomes transmitted miR-182-5p into lung epithelial cells.",
        "MSC exosomes carrying miR\u2010182\u20105p reduced lung injury.",  # PMC's hyphens
    ],
)
def test_delivered_cargo_is_carried(extractor: Extractor, sentence: str) -> None:
    claims = _claims(extractor, sentence)
    assert any(c.predicate.value == "carries" for c in claims), claims


@pytest.mark.parametrize(
    "text",
    [
        "Mesenchymal stem cell MVs also contained a large quantity of angiopoietin-1 mRNA.",
        "MSC-EVs contain VEGF and attenuated lung injury.",
        "Enzymes such as SOD1 present in the MSC-EVs lowered oxidative stress.",
    ],
)
def test_proteins_and_rnas_in_the_vesicles_phrase_are_carried(
    extractor: Extractor, text: str
) -> None:
    claims = _claims(extractor, text)
    carried = [c for c in claims if c.predicate.value == "carries"]
    assert carried, claims
    assert all(c.object.startswith("hgnc:") for c in carried)


def test_a_priming_agent_is_not_carried(extractor: Extractor) -> None:
    text = "We stimulated hUC-MSCs with IL-6, and their exosomes were sequenced."
    assert not any(c.predicate.value == "carries" for c in _claims(extractor, text))
