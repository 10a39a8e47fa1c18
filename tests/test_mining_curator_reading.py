"""Readings a curator makes of an MSC-EV abstract as a whole (found by scoring mining
against the curated studies of the same papers, `evkg eval extract --texts`): the bare
"MSCs" of a paper on one tissue's MSCs, cells made to carry more of a cargo, the outcome of
vesicles given with a cargo, and the study's own findings apart from its background and aim
(sentences reporting earlier work, or the hypothesis set out to test, yield no claims; a
review's sentences about earlier work are its content and still do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.extract._reported_elsewhere import reports_other_work
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


@pytest.mark.parametrize(
    ("text", "curie"),
    [("Sjögren's syndrome", "doid:12894"), ("Ménière disease", "doid:9849")],
)
def test_accented_letters_read_as_their_base_letter(
    extractor: Extractor, text: str, curie: str
) -> None:
    mentions = extractor.recognizer.dictionary_mentions(f"Exosomes reduced {text} in mice.")
    found = [m for m in mentions if m.curie == curie]
    assert found
    assert found[0].text == text  # offsets are those of the text


def test_a_model_is_the_disease_its_curated_name_says(extractor: Extractor) -> None:
    """ "model of pSS" is the NOD mouse of Sjögren's syndrome, whatever "pSS" may abbreviate
    elsewhere in the vocabulary."""
    text = (
        "In vivo, treatment of the spontaneous mouse model of pSS with LGMSC-Exos reduced "
        "inflammatory infiltration in salivary glands."
    )
    treated = {c.object for c in _claims(extractor, text) if c.predicate.value == "treats"}
    assert treated == {"doid:12894"}


# -- the study's own findings, not its background or aim ------------------------------
def _treated(extractor: Extractor, text: str) -> set[str]:
    return {
        extractor.vocabulary.lexicon.label(c.object).lower()
        for c in _claims(extractor, text)
        if c.predicate.value == "treats"
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "We previously reported that bone marrow MSC exosomes attenuated bladder cancer growth.",
        "In our previous study, MSC microvesicles reduced renal fibrosis in mice.",
        "We and other groups have shown that MSC exosomes protect against acute lung injury.",
        "MSC exosomes have been shown to alleviate colitis in several models.",
        "Several studies have reported that MSC-EVs improve osteoarthritis.",
        "This study aimed to investigate whether MSC exosomes alleviate pulmonary fibrosis.",
        "We hypothesized that MSC exosomes attenuate myocardial infarction.",
        "These experiments were designed to determine if MSC exosomes reduce liver fibrosis.",
    ],
)
def test_earlier_work_and_aims_yield_no_claim(extractor: Extractor, sentence: str) -> None:
    assert reports_other_work("Text", sentence)
    assert _claims(extractor, sentence) == []


def test_a_background_section_states_what_was_known(extractor: Extractor) -> None:
    text = (
        "Title of the study\n\nBackground\n\nMSC exosomes can improve wound healing; "
        "however, their effect on scar formation is not known.\n\nResults\n\n"
        "MSC exosomes attenuated colitis in mice."
    )
    assert _treated(extractor, text) == {"colitis"}


def test_the_study_speaks_in_its_own_voice_in_a_background_section() -> None:
    assert not reports_other_work("Background", "Here we show that MSC exosomes reduce colitis.")


@pytest.mark.parametrize(
    "sentence",
    [
        "MSC exosomes attenuated colitis in mice.",
        "We found that MSC exosomes reduced renal fibrosis.",
        "Our results show that BMSC-EVs alleviated acute lung injury in rats.",
    ],
)
def test_findings_are_the_study_s_own(extractor: Extractor, sentence: str) -> None:
    assert not reports_other_work("Results", sentence)
    assert _treated(extractor, sentence)


def test_a_review_keeps_its_sentences_about_earlier_work(extractor: Extractor) -> None:
    text = (
        "In this review, we summarize MSC-EV therapies. "
        "MSC exosomes have been shown to alleviate colitis in mice."
    )
    assert "colitis" in _treated(extractor, text)


_LUNG = (
    "Bone marrow MSC exosomes in lung injury\n\n"
    "Exosomes derived from bone marrow MSCs attenuated LPS-induced acute lung injury in mice. "
    "The exosomes were enriched in miR-125b-5p. {credit} "
    "Nrf2 mediated the protective effects of the exosomes in epithelial cells."
)


@pytest.mark.parametrize(
    "credit",
    [
        "Knockdown of miR-125b-5p abrogated the protective effects of the exosomes.",
        "miR-125b-5p contributes to the exosome-mediated protection of epithelial cells.",
        "Overexpression of miR-125b-5p further enhanced the protective effects of the exosomes.",
        "After shRNA interfering miR-125b-5p in the MSCs, the exosomes had no protective effect.",
    ],
)
def test_a_cargo_the_vesicles_effect_rests_on_is_credited_with_their_disease(
    extractor: Extractor, credit: str
) -> None:
    """The sentence that credits the cargo names no disease: the disease and direction are
    the vesicles' in the same paper, and the evidence says so."""
    document = document_from_text(
        _LUNG.format(credit=credit), name="t.txt", document_id="evkg.ref:t"
    )
    found = {
        (claim.subject, claim.predicate.value, claim.object): evidence
        for claim, evidence in extractor.extract(document).statements
    }
    evidence = found[("mirbase.mature:MIMAT0000136", "treats", "mondo:0015796")]  # mmu, ALI
    assert evidence.quote == credit
    assert "from the study's findings on the vesicles" in (evidence.curator_note or "")
    # the recipient cells' mediator is no cargo of theirs
    assert not any(subject == "hgnc:7782" for subject, _p, _o in found)


def test_a_cargo_merely_carried_is_not_credited_with_the_vesicles_disease(
    extractor: Extractor,
) -> None:
    text = _LUNG.format(credit="The exosomes also contained miR-21-5p.")
    assert not any(
        c.object == "mondo:0015796" and c.subject.startswith("mirbase")
        for c in _claims(extractor, text)
    )


def test_a_study_s_outcome_is_kept_at_the_level_it_is_stated(extractor: Extractor) -> None:
    """The same vesicles treating a disease and a broader one: the specific disease is
    what a curator records (the broader one reaches it through the hierarchy)."""
    study = (
        "MSC exosomes in breast cancer\n\nMSC exosomes inhibited tumour growth in mice. "
        "MSC exosomes inhibited breast cancer in a xenograft model."
    )
    assert _treated(extractor, study) == {"breast cancer"}
    alone = _treated(extractor, "MSC exosomes inhibited tumour growth in mice.")
    assert alone == {"disease of cellular proliferation"}  # read when it is all there is


def test_a_protein_the_source_cells_need_for_the_vesicles_effect_is_their_cargo(
    extractor: Extractor,
) -> None:
    """Silencing a protein in the source cells takes the vesicles' effect away: the paper
    shows the vesicles carry it and it treats their disease (a recipient mediator, named
    without the source cells, is not credited)."""
    text = _LUNG.format(
        credit="VEGF siRNA pretreatment of the MSCs eliminated the therapeutic effects of "
        "the exosomes."
    )
    claims = {(c.subject, c.predicate.value, c.object) for c in _claims(extractor, text)}
    assert ("hgnc:12680", "treats", "mondo:0015796") in claims  # VEGFA, acute lung injury
    assert ("evkg.source:bm-msc", "carries", "hgnc:12680") in claims
    recipient = _LUNG.format(credit="Knockdown of VEGF abolished the protective effects.")
    assert not any(c.subject == "hgnc:12680" for c in _claims(extractor, recipient))


def test_vesicles_written_with_their_cargo_at_sign_carry_it(extractor: Extractor) -> None:
    found = _claims(extractor, "IL-10@sEVs had significant therapeutic effects in EAU mice.")
    assert ("hgnc:5962", "treats", "doid:0040088") in {
        (c.subject, c.predicate.value, c.object) for c in found
    }  # IL10, autoimmune uveitis


def test_a_broad_outcome_word_is_the_study_s_disease_under_it(extractor: Extractor) -> None:
    """A paper on myocardial infarction: "decreased infarct size" treats it; "tumour
    growth" in a paper naming two cancers stays as written."""
    heart = (
        "MSC exosomes in myocardial infarction\n\nMyocardial infarction remains a major "
        "cause of death. MSC exosomes decreased infarct size in mice."
    )
    assert "myocardial infarction" in _treated(extractor, heart)
    tumour = "MSC exosomes inhibited tumour growth in mice."
    one = _treated(extractor, f"Breast cancer is common. {tumour}")
    assert one == {"breast cancer"}
    two = _treated(extractor, f"Breast cancer and lung cancer are common. {tumour}")
    assert two == {"disease of cellular proliferation"}


def test_a_mirna_name_only_another_species_has_is_resolved(extractor: Extractor) -> None:
    """Human has miR-101 only; "miR-101a" in a paper on human cells is the rodent name."""
    claims = _claims(extractor, "Human MSC exosomes carrying miR-101a reduced fibrosis.")
    assert any(c.predicate.value == "carries" and c.object.startswith("mirbase") for c in claims)
    loaded = _claims(extractor, "Human miR-101a-loaded MSC exosomes reduced fibrosis.")
    assert any(c.subject == "mirbase.mature:MIMAT0000133" for c in loaded)  # mmu-miR-101a-3p
    misprint = _claims(extractor, "Human MSC exosomes carrying miR-1a-65p reduced fibrosis.")
    assert not any("mirbase" in c.subject or "mirbase" in c.object for c in misprint)


@pytest.mark.parametrize(
    ("sentence", "not_target"),
    [
        # the stimulus of the model is not what the miRNAs regulate
        ("With mimics, we found that miR-21-5p and miR-125b-5p were critical for "
         "anti-myofibroblast differentiation in the TGF-β1-induced dermal fibroblasts.",
         "hgnc:11766"),
        ("In vitro, miR-340 transferred from BMSCs suppressed the raised expression of "
         "fibrotic genes in stromal cells induced by TGF-β1.", "hgnc:11766"),
        # an assay, not RIPK1
        ("Luciferase and RIP analysis indicated binding between miR-542-3p and TLR4.",
         "hgnc:10019"),
        # how the model was made is no finding either
        ("Carbon tetrachloride was used to induce liver fibrosis in mice given MSC exosomes.",
         "doid:0061215"),
        # how expression was measured is no finding
        ("RT-PCR, immunoblotting and immunofluorescence were used to evaluate the expression "
         "of IL-17RA, Col1, α-SMA, Smad2 and Smad3 after miR-192-5p treatment.", "hgnc:6768"),
    ],
)  # fmt: skip
def test_stimuli_assays_and_methods_are_no_regulation(
    full_extractor: Extractor, sentence: str, not_target: str
) -> None:
    assert not any(c.object == not_target for c in _claims(full_extractor, sentence))


def test_nrf2_is_the_oxidative_stress_regulator(full_extractor: Extractor) -> None:
    claims = _claims(full_extractor, "Exosomal miR-199a-5p activated NRF2 in lung cells.")
    assert {c.object for c in claims if c.predicate.value.startswith("regulates")} == {
        "hgnc:7782"  # NFE2L2, not GABPA (whose HGNC alias NRF2 is withdrawn)
    }


@pytest.fixture(scope="module")
def full_extractor(data_dir: Path) -> Extractor:
    from evkg.api._mining_work import WorkerConfig, _extractor

    return _extractor(WorkerConfig(str(data_dir)))


def _regulated(extractor: Extractor, text: str) -> set[tuple[str, str]]:
    label = extractor.vocabulary.lexicon.label
    return {
        (label(c.subject), label(c.object))
        for c in _claims(extractor, text)
        if c.predicate.value.startswith("regulates") and c.subject.startswith("mirbase")
    }


@pytest.mark.parametrize(
    ("sentence", "targets"),
    [
        # an axis or pathway after the miRNA: only its first gene is the miRNA's target
        ("Exosomal miR-146a-5p targeting IRAK1/TLR4 pathway protected the heart.", {"IRAK1"}),
        ("Exosomes delivered miR-21 to target PTEN/AKT signalling in the heart.", {"PTEN"}),
        ("Exosomal miR-155-5p/SOCS3/STAT3 axis aggravated colitis.", {"SOCS3"}),
        # a plain list of targets stays a list
        ("Exosomal miR-155-5p targeted SOCS3 and STAT3 in colitis.", {"SOCS3", "STAT3"}),
        # what a target does in a relative clause is the target's doing
        (
            "Exosomal miR-146a-5p decreased IRAK1, which in turn inhibited TLR4 in the heart.",
            {"IRAK1"},
        ),
        ("Exosomal miR-146a-5p, which inhibited IRAK1, protected the heart.", {"IRAK1"}),
    ],
)
def test_the_miRNA_regulates_its_direct_target_not_what_lies_downstream(
    extractor: Extractor, sentence: str, targets: set[str]
) -> None:
    assert {gene for _mirna, gene in _regulated(extractor, sentence)} == targets


@pytest.mark.parametrize(
    ("sentence", "disease"),
    [
        # the subjects' disease only sets the scene for the one treated
        ("MSC exosomes promoted wound healing in diabetic mice.", "skin wound (scarring)"),
        ("MSC exosomes lowered blood glucose in diabetic mice.", "diabetes mellitus"),
        # a pain behaviour of a nerve-injury model is no allergy
        (
            "MSC sEVs reversed mechanical hypersensitivity in mice after nerve ligation.",
            "neuralgia",
        ),
    ],
)
def test_the_disease_treated_not_its_setting(
    extractor: Extractor, sentence: str, disease: str
) -> None:
    label = extractor.vocabulary.lexicon.label
    treated = {
        label(c.object) for c in _claims(extractor, sentence) if c.predicate.value == "treats"
    }
    assert treated == {disease}


def test_a_protein_spelt_out_is_no_disease(extractor: Extractor) -> None:
    claims = _claims(extractor, "MSC-sEVs increased B-cell lymphoma 2 expression in the heart.")
    label = extractor.vocabulary.lexicon.label
    assert {(c.predicate.value, label(c.object)) for c in claims} == {("regulates_up", "BCL2")}


def _carried(extractor: Extractor, text: str) -> set[str]:
    label = extractor.vocabulary.lexicon.label
    return {label(c.object) for c in _claims(extractor, text) if c.predicate.value == "carries"}


@pytest.mark.parametrize(
    "text",
    [
        "Human cord MSC-Exos were enriched in miR-21, -23a, -125b, and -146a.",
        "Human cord MSC-Exos enriched in specific microRNAs (miR-21, -23a, -125b, and -146a) "
        "suppressed scarring.",
    ],
)
def test_every_member_of_a_listed_cargo_is_carried(extractor: Extractor, text: str) -> None:
    assert _carried(extractor, text) == {
        "hsa-miR-21-5p", "hsa-miR-23a-3p", "hsa-miR-125b-5p", "hsa-miR-146a-5p",
    }  # fmt: skip


def test_these_mirnas_are_the_ones_listed_before(extractor: Extractor) -> None:
    text = (
        "Human cord MSC exosomes were enriched in miR-21 and miR-146a. "
        "Blocking these specific exosomal miRNAs abolished the exosomes' protection against "
        "acute kidney injury in mice."
    )
    label = extractor.vocabulary.lexicon.label
    credited = {
        label(c.subject)
        for c in _claims(extractor, text)
        if c.predicate.value == "treats" and c.subject.startswith("mirbase")
    }
    assert credited == {"hsa-miR-21-5p", "hsa-miR-146a-5p"}
    generic = [c for c in _claims(extractor, text) if c.subject == "evkg.cargo:ev-mirna"]
    assert not generic


@pytest.mark.parametrize(
    ("text", "modification"),
    [
        (
            "This study investigated EXO derived from hemin-pretreated mesenchymal stem cells "
            "(Hemin-MSC-EXO). "
            "Hemin-MSC-EXO improved cardiac function in rats with myocardial infarction.",
            "evkg.mod:hemin-pretreatment",
        ),
        (
            "We compared MSC exosomes without priming (MSC-Exo) or with IL-1β priming "
            "(MSC-IL-Exo). MSC-IL-Exo alleviated osteoarthritis in rats.",
            "evkg.mod:il1b-priming",
        ),
    ],
)
def test_the_name_a_paper_gives_its_modified_vesicles_keeps_the_modification(
    extractor: Extractor, text: str, modification: str
) -> None:
    treated = [c for c in _claims(extractor, text) if c.predicate.value == "treats"]
    assert treated
    assert all(modification in c.context.modifications for c in treated)


def test_a_knockdown_that_takes_away_an_attenuation_shows_the_cargo_attenuates(
    extractor: Extractor,
) -> None:
    text = (
        "Human MSC exosomes were used. MiR-183-5p knockdown abrogated the protective effects "
        "of the exosomes in attenuating mitochondrial fission of cardiomyocytes."
    )
    label = extractor.vocabulary.lexicon.label
    said = {
        (c.predicate.value, label(c.object))
        for c in _claims(extractor, text)
        if c.subject.startswith("mirbase")
    }
    assert said == {("inhibits", "mitochondrial fission")}
