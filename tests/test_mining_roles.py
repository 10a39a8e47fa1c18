"""Roles: inhibitors, knock-downs and antagomirs of a cargo, and recipient-cell mediators,
are never credited as the vesicles' therapeutic cargo, and modified vesicles' results are
not said of the plain ones."""

from __future__ import annotations

import pytest

from evkg.extract.direction_evaluation import DirectionDocument
from evkg.extract.pipeline import Extractor
from evkg.vocab import load_vocabulary


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _claims(extractor: Extractor, sentence: str) -> set[tuple[str, str, str]]:
    label = extractor.vocabulary.lexicon.label
    return {
        (label(c.subject), c.predicate.value, label(c.object))
        for c, _ in extractor.extract(DirectionDocument.of(1, sentence)).statements
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "MSC-EVs loaded with a miR-155 inhibitor alleviated colitis in mice.",
        "Anti-miR-155-loaded MSC exosomes alleviated colitis in mice.",
        "MSC exosomes carrying a miR-155 antagomir alleviated colitis in mice.",
    ],
)
def test_vesicles_carrying_an_inhibitor_do_not_carry_the_mirna(
    extractor: Extractor, sentence: str
) -> None:
    claims = _claims(extractor, sentence)
    assert not any(p == "carries" for _, p, _ in claims), claims
    assert ("mmu-miR-155-5p", "worsens", "colitis") in claims  # what the inhibition shows
    assert not any(s == "MSC" for s, _, _ in claims)  # the plain vesicles are not credited


@pytest.mark.parametrize(
    "sentence",
    [
        "Exosomes from miR-146a-knockdown MSCs did not alleviate sepsis in mice.",
        "MSC-EVs lacking miR-146a failed to protect mice against sepsis.",
    ],
)
def test_knocked_down_vesicles_say_nothing_of_the_plain_ones(
    extractor: Extractor, sentence: str
) -> None:
    claims = _claims(extractor, sentence)
    assert ("mmu-miR-146a-5p", "treats", "Sepsis") in claims
    assert not any(s == "MSC" for s, _, _ in claims), claims


def test_the_plain_vesicles_keep_the_benefit_a_knockdown_takes(extractor: Extractor) -> None:
    claims = _claims(
        extractor, "miR-125b knockdown in MSC-EVs abolished their protection against sepsis."
    )
    assert ("MSC", "treats", "Sepsis") in claims


def test_a_recipient_mediator_is_not_cargo(extractor: Extractor) -> None:
    mediator = _claims(extractor, "MSC-EVs containing macrophage TSG-6 alleviated colitis.")
    cargo = _claims(extractor, "MSC-EVs containing TSG-6 alleviated colitis.")
    assert mediator == {("MSC", "treats", "colitis")}
    assert ("TNFAIP6", "treats", "colitis") in cargo


def test_what_mediates_the_effect_is_not_regulated_by_the_vesicles(
    extractor: Extractor,
) -> None:
    claims = _claims(extractor, "SIRT1 mediates the protective effect of MSC-EVs in sepsis.")
    assert claims == {("MSC", "treats", "Sepsis")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Tumour-derived EVs, unlike MSC-EVs, promoted breast cancer in mice.",
        "Human MSCs were cultured; fibroblast-derived EVs alleviated colitis in mice.",
    ],
)
def test_vesicles_of_another_source_are_not_msc_evs(extractor: Extractor, sentence: str) -> None:
    assert not any(s == "MSC" for s, _, _ in _claims(extractor, sentence))


def test_an_unknown_msc_abbreviation_is_still_an_msc_source(extractor: Extractor) -> None:
    claims = _claims(extractor, "Human MSCs were used; hWJSC-derived EVs alleviated colitis.")
    assert ("MSC", "treats", "colitis") in claims
