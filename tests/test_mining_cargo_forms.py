"""Cargo extracted with its form: protein, mRNA, lncRNA, circRNA, siRNA and drug cargo in
the claim context, and circRNAs or lncRNAs that sponge a miRNA."""

from __future__ import annotations

import pytest

from evkg.extract._cargo_forms import classify_sponge
from evkg.extract.direction_evaluation import DirectionDocument
from evkg.extract.pipeline import Extractor
from evkg.model import Claim, Predicate
from evkg.vocab import load_vocabulary


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _claims(extractor: Extractor, sentence: str) -> list[tuple[str, str, str, str | None]]:
    label = extractor.vocabulary.lexicon.label
    result = extractor.extract(DirectionDocument.of(1, sentence))

    def row(claim: Claim) -> tuple[str, str, str, str | None]:
        form = claim.context.cargo_type
        return label(claim.subject), claim.predicate.value, label(claim.object), form and form.value

    return [row(claim) for claim, _ in result.statements]


@pytest.mark.parametrize(
    ("sentence", "cargo", "form"),
    [
        ("MSC-derived EVs carrying TSG-6 protein reduced colitis in mice.", "TNFAIP6", "protein"),
        ("Exosomal lncRNA H19 from BMSCs promoted fracture healing in rats.", "H19", "lncRNA"),
        (
            "MSC exosomes carrying circRNA_0001236 attenuated osteoarthritis.",
            "circRNA_0001236",
            "circRNA",
        ),
        (
            "Exosomes from MSCs loaded with paclitaxel inhibited breast cancer growth in mice.",
            "paclitaxel",
            "drug",
        ),
    ],
)
def test_cargo_claims_carry_the_cargo_form(
    extractor: Extractor, sentence: str, cargo: str, form: str
) -> None:
    claims = _claims(extractor, sentence)
    treats = [c for c in claims if c[0] == cargo and c[1] == "treats"]
    assert treats, claims
    assert {c[3] for c in treats} == {form}


def test_an_mrna_the_vesicles_carry_is_cargo_not_a_regulated_target(
    extractor: Extractor,
) -> None:
    claims = _claims(extractor, "MSC exosomes carrying VEGF mRNA promoted angiogenesis.")
    assert ("MSC", "carries", "VEGFA", "mRNA") in claims
    assert not any(c[1].startswith("regulates") for c in claims)
    plain = _claims(extractor, "MSC exosomes reduced VEGF expression in the retina.")
    assert ("MSC", "regulates_down", "VEGFA", None) in plain


def test_lncrna_sponges_a_mirna_and_the_sponged_mirna_is_not_credited(
    extractor: Extractor,
) -> None:
    claims = _claims(
        extractor,
        "lncRNA MALAT1 in hUCMSC exosomes acts as a sponge for miR-22 to attenuate sepsis.",
    )
    assert ("MALAT1", "sponges", "hsa-miR-22-3p", "lncRNA") in claims
    assert ("MALAT1", "treats", "Sepsis", "lncRNA") in claims
    assert not any(c[0] == "hsa-miR-22-3p" and c[1] == "treats" for c in claims)


def test_a_mirna_carried_without_a_sponge_keeps_its_effect(extractor: Extractor) -> None:
    claims = _claims(extractor, "MSC exosomes carrying miR-22 alleviated sepsis.")
    assert ("hsa-miR-22-3p", "treats", "Sepsis", "miRNA") in claims


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("circHIPK3 sponges miR-421.", Predicate.SPONGES),
        ("circHIPK3 acted as a ceRNA of miR-421.", Predicate.SPONGES),
        ("circHIPK3 did not sponge miR-421.", None),
        ("circHIPK3 rose; miR-421 fell sharply after the sponge was added.", None),
        ("circHIPK3 and miR-421 rose.", None),
    ],
)
def test_sponge_wording(sentence: str, expected: Predicate | None) -> None:
    mirna = sentence.index("miR-421")
    verdict = classify_sponge(sentence, (0, 9), (mirna, mirna + 7))
    if expected is None:
        assert verdict is None or verdict.negated
    else:
        assert verdict is not None
        assert (verdict.predicate, verdict.negated) == (expected, False)


def test_a_circrna_named_by_its_host_gene_is_that_gene_as_circrna(extractor: Extractor) -> None:
    claims = _claims(
        extractor, "MSC exosomes carrying circSIRT1 alleviated myocardial infarction in mice."
    )
    assert ("MSC", "carries", "SIRT1", "circRNA") in claims
    assert ("SIRT1", "treats", "myocardial infarction", "circRNA") in claims
    protein = _claims(
        extractor, "MSC exosomes carrying SIRT1 alleviated myocardial infarction in mice."
    )
    assert all(c[3] != "circRNA" for c in protein)


def test_a_drug_is_drug_cargo_only_where_the_vesicles_are_loaded_with_it(
    extractor: Extractor,
) -> None:
    loaded = _claims(extractor, "Doxorubicin-loaded MSC exosomes suppressed osteosarcoma in mice.")
    assert ("doxorubicin", "treats", "osteosarcoma", "drug") in loaded
    alongside = _claims(
        extractor, "MSC exosomes given with paclitaxel reduced breast cancer growth in mice."
    )
    assert ("paclitaxel", "treats", "breast cancer", None) in alongside
