"""Mining a review or full-text paper: document structure (headings, running headers, the
reference list), discourse context (a statement's disease from its section heading or the
titles it cites), protein cargo of vesicles, miRNA lists and pathway uses of gene names."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.extract._sentence_mentions import relation_mentions
from evkg.extract.context import citations
from evkg.extract.ner import _list_members
from evkg.extract.pipeline import Extractor
from evkg.extract.relations import (
    classify_agent_disease,
    classify_agent_effect,
    vesicle_binding,
)
from evkg.model import Claim, EntityKind, Evidence, EvidenceLevel, Predicate
from evkg.sources.text import document_from_text
from evkg.vocab import Vocabulary, load_vocabulary
from evkg.vocab.lexicon import Lexicon, LexiconEntry

RA = "doid:7148"
POF = "doid:5426"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _claims(extractor: Extractor, text: str) -> list[tuple[Claim, Evidence]]:
    return extractor.extract(document_from_text(text, name="t.md", year=2024)).statements


def _pairs(statements: list[tuple[Claim, Evidence]]) -> set[tuple[str, str, str]]:
    return {(c.subject, c.predicate.value, c.object) for c, _ in statements}


# -- document structure -----------------------------------------------------------------------
def test_reference_list_becomes_cited_titles_and_sections() -> None:
    text = (
        "Exosomes in disease\n\nEVs help[1].\n\nReferences\n\n"
        "1. Li J, Wu X, et al. Exosomes heal the heart. Cell 2020;1:2-3.\n"
        "2. Ding, D. C., & Shyu, W. C. (2011). Mesenchymal stem cells. Cell Transplant, 20, 5.\n\n"
        "[3] Roe R. A title that wraps\nover two lines? J Biol 2019;4:5."
    )
    document = document_from_text(text, name="r.txt")
    assert [(c.number, c.title) for c in document.cited] == [
        ("1", "Exosomes heal the heart"),
        ("2", "Mesenchymal stem cells"),
        ("3", "A title that wraps over two lines?"),
    ]
    assert [s.name for s in document.sections] == [
        "Exosomes in disease",
        "References [1]",
        "References [2]",
        "References [3]",
    ]
    assert document.sections[1].text == "Exosomes heal the heart"


def test_numbered_paragraphs_outside_a_reference_list_stay_text() -> None:
    document = document_from_text("Methods\n\n1. Cells were cultured.", name="m.txt")
    assert document.cited == ()
    assert [(s.name, s.text) for s in document.sections] == [("Methods", "1. Cells were cultured.")]


def test_a_repeated_heading_line_is_a_running_header() -> None:
    text = (
        "EVs for disease\n\nIntro text.\n\nHeart disease\n\nFirst part.\n\n"
        "EVs for disease\n\nSecond part."
    )
    sections = document_from_text(text, name="h.txt").sections
    assert [(s.name, s.text) for s in sections] == [
        ("EVs for disease", "Intro text."),
        ("Heart disease", "First part."),
        ("Heart disease", "Second part."),
    ]


def test_table_rows_are_read_one_by_one() -> None:
    text = (
        "Table 1\n\nDisease Cargo Effect\nRA miR-135b Repair[18]\nAD GDF-15 Less apoptosis[111]"
        "\n\nProse that is wrapped\nover two lines ends here."
    )
    document = document_from_text(text, name="t.txt")
    assert [s.text for s in document.sections] == [
        "Prose that is wrapped over two lines ends here."
    ]
    (table,) = document.tables  # a table, not sections: its rows are never read as one
    assert (table.label, table.header) == ("Table 1", ("Disease", "Cargo", "Effect"))
    assert table.rows == (("RA miR-135b Repair[18]",), ("AD GDF-15 Less apoptosis[111]",))


def test_a_figure_legend_glossary_is_its_own_section() -> None:
    text = (
        "Heart\n\nFigure 2. EVs carry HIF-1α to repair the heart. p53: tumor protein p53; "
        "BAK1: Bcl2 antagonist/killer 1; miR: microRNA."
    )
    sections = document_from_text(text, name="f.txt").sections
    assert [(s.name, s.text) for s in sections] == [
        ("Heart", "Figure 2. EVs carry HIF-1α to repair the heart."),
        (
            "Heart (abbreviations)",
            "p53: tumor protein p53; BAK1: Bcl2 antagonist/killer 1; miR: microRNA.",
        ),
    ]


def test_citations_expand_lists_and_short_ranges() -> None:
    assert citations("EVs heal[5,7-9] and help[12–13].") == ["5", "7", "8", "9", "12", "13"]
    assert citations("a range too wide to be citations [1-40]") == ["1", "40"]
    assert citations("no citation (Fig. 2)") == []


# -- recognition -------------------------------------------------------------------------------
def test_mirna_lists_resolve_every_member(extractor: Extractor) -> None:
    assert [n for _, _, n in _list_members("miR-26a, -34a and -145")] == [
        "miR-26a",
        "miR-34a",
        "miR-145",
    ]
    assert [n for _, _, n in _list_members("miR-200b/c")] == ["miR-200b", "miR-200c"]
    assert [n for _, _, n in _list_members("miR-17~92")] == ["miR-17~92"]  # whole, not a member
    mentions = extractor.recognizer.mentions("EVs carried miR-146a and -146b.")
    mirnas = [m for m in mentions if m.kind == "mirna"]
    assert [m.text for m in mirnas] == ["miR-146a", "-146b"]
    assert mirnas[0].curies != mirnas[1].curies
    assert all(mirnas[1].curies)


def test_mirna_joined_to_a_vesicle_word() -> None:
    from evkg.extract.ner import find_mirna_mentions

    assert [m for _, _, m in find_mirna_mentions("EV-miR-1231 and pre-miR-21")] == ["miR-1231"]


def _read(extractor: Extractor, text: str) -> list[tuple[str, str, str | None]]:
    found = relation_mentions(extractor.vocabulary, text, extractor.recognizer.mentions(text))
    return [(m.text, m.kind, m.curie) for m in found]


def test_diseases_named_through_their_qualifiers(extractor: Extractor) -> None:
    hepatic = extractor.vocabulary.disease("hepatic fibrosis")
    renal = extractor.vocabulary.disease("renal fibrosis")
    osteoporosis = extractor.vocabulary.disease("osteoporosis")
    assert hepatic
    assert renal
    assert osteoporosis
    assert ("liver fibrosis", "disease", hepatic.curies[0]) in _read(
        extractor, "EVs reversed liver fibrosis."
    )
    assert ("fibrosis", "disease", renal.curies[0]) in _read(
        extractor, "EVs attenuated renal injury/fibrosis."
    )
    assert ("osteoporotic", "disease", osteoporosis.curies[0]) in _read(
        extractor, "EVs kept bone strength in osteoporotic mice."
    )
    # an adjective that qualifies no study subject is left alone
    assert all(m[0] != "osteoporotic" for m in _read(extractor, "an osteoporotic fracture"))


def test_the_most_specific_disease_of_a_sentence_wins(extractor: Extractor) -> None:
    found = _read(extractor, "EVs slowed the cancer growth of colorectal cancer cells.")
    assert [m[2] for m in found if m[1] == "disease"] == ["doid:9256"]


def test_pathologic_processes_are_not_diseases() -> None:
    lexicon = Lexicon.from_entries(
        [
            LexiconEntry(
                "mesh:D005355", EntityKind.DISEASE, "Fibrosis", (), (), (("tree", "C23.550.355"),)
            ),
            LexiconEntry(
                "mesh:D018805",
                EntityKind.DISEASE,
                "Sepsis",
                (),
                (),
                (("tree", "C01.757"), ("tree", "C23.550.470.790.500")),
            ),
        ]
    )
    extractor = Extractor(Vocabulary(lexicon))
    kinds = {m[0]: m[1] for m in _read(extractor, "EVs reduced fibrosis in sepsis.")}
    assert (kinds["fibrosis"], kinds["sepsis"]) == ("process", "disease")


def test_a_loading_term_names_its_cargo(extractor: Extractor) -> None:
    found = _read(extractor, "OVA-loaded MSC-derived exosomes prevented allergic asthma.")
    assert ("OVA", "cargo", "evkg.cargo:ovalbumin") in found
    pairs = _pairs(
        _claims(
            extractor, "Asthma\n\n" + "OVA-loaded MSC exosomes prevented allergic asthma in mice."
        )
    )
    assert any(s == "evkg.cargo:ovalbumin" and p == "treats" for s, p, _ in pairs), pairs


def test_abbreviation_joined_to_a_vesicle_word(extractor: Extractor) -> None:
    mentions = extractor.recognizer.mentions(
        "BMSC-EVs carrying miR-21 but not IL-6", abbreviations=[("BMSC", "bone marrow MSC")]
    )
    found = {(m.text, m.kind, m.how) for m in mentions}
    assert ("BMSC", "ev_source", "abbreviation") in found
    # a short form before a hyphen and a digit is part of another name ("IL-6")
    other = extractor.recognizer.mentions("IL-6 rose", abbreviations=[("IL", "interleukin")])
    assert all(m.text != "IL" for m in other)


# -- rules -------------------------------------------------------------------------------------
def test_disease_before_its_agent_named_as_the_means() -> None:
    s = "MSC-EVs attenuate myocardial infarction through miR-182-regulated polarization."
    verdict = classify_agent_disease(s, (s.index("miR-182"), s.index("miR-182") + 7), (19, 40))
    assert verdict is not None
    assert verdict.predicate == Predicate.TREATS
    assert classify_agent_disease("Fibrosis rose; miR-9 was high.", (15, 20), (0, 8)) is None


def test_a_continued_clause_reaches_a_distant_disease() -> None:
    s = (
        "miR-150-5p reduces joint destruction by targeting two metalloproteinases and the growth "
        "factor of vessels, thus ameliorating abnormal vascular proliferation in arthritis."
    )
    agent, disease = (0, 10), (s.index("arthritis"), len(s) - 1)
    chained = classify_agent_disease(s, agent, disease, chain=True)
    assert chained is not None
    assert chained.predicate == Predicate.TREATS
    assert classify_agent_disease(s, agent, disease, chain=False) is None


def test_vesicle_binding_reads_the_noun_phrase() -> None:
    def bound(text: str, vesicle: str, cargo: str) -> bool:
        v, c = text.index(vesicle), text.index(cargo)
        return vesicle_binding(text, (v, v + len(vesicle)), (c, c + len(cargo)))

    assert bound("GDF-15-containing EVs rose", "EVs", "GDF-15")
    assert bound("EVs enriched with VEGF protein", "EVs", "VEGF")
    assert bound("the MSC-EV antigen CD73 was inactive", "EV", "CD73")
    assert bound("miR-9 carried by EVs", "EVs", "miR-9")
    assert not bound("EVs inhibit CD73 activity", "EVs", "CD73")
    assert not bound("EVs carrying miR-9 reduced TNF", "EVs", "TNF")


def test_effect_without_a_disease_needs_therapeutic_wording() -> None:
    sentence = "miR-9 attenuated apoptosis in cells."
    assert classify_agent_effect(sentence, (0, 5)) is None
    verdict = classify_agent_effect("miR-9 ameliorated joint damage.", (0, 5))
    assert verdict is not None
    assert verdict.predicate == Predicate.TREATS
    negative = classify_agent_effect("miR-9 did not improve joint damage.", (0, 5))
    assert negative is not None
    assert negative.predicate == Predicate.NO_EFFECT_ON
    means = classify_agent_effect("EVs protect the joint by delivering miR-9.", (36, 41))
    assert means is not None
    assert means.trigger == "protect"


# -- discourse context in the pipeline ---------------------------------------------------------
REVIEW = """# EVs in joint and ovarian disease

## Rheumatoid arthritis

MSC-EVs carrying miR-150-5p ameliorated joint damage in mice[2].

MSC-EVs ameliorated joint damage in rats.

## Mechanisms

EVs delivering miR-146a protected the ovary in a rat model[3].

Exosomal miR-21 levels were measured in serum[2].

## References

1. Doe J. Vesicles in general. J Ves 2020;1:1-2.
2. Roe R, et al. Exosomal miR-150-5p relieves rheumatoid arthritis in mice. J Arthr 2019;2:3.
3. Poe P. Exosomes protect against premature ovarian failure. J Ovary 2021;3:4.
"""


def test_disease_from_the_section_heading(extractor: Extractor) -> None:
    statements = _claims(extractor, REVIEW)
    found = [
        (claim, evidence)
        for claim, evidence in statements
        if claim.object == RA and evidence.quote.startswith("MSC-EVs carrying")
    ]
    assert found, _pairs(statements)
    claim, evidence = found[0]
    assert claim.predicate == Predicate.TREATS
    assert claim.context.disease == RA
    assert evidence.level == EvidenceLevel.REVIEW_STATEMENT
    assert "section heading 'Rheumatoid arthritis'" in (evidence.curator_note or "")
    # the vesicles carry a named cargo: the cargo is credited, not the EV source
    subjects = {c.subject for c, e in statements if c.object == RA and e.quote == evidence.quote}
    assert subjects == {claim.subject}
    assert claim.subject.startswith("mirbase.mature:")


def test_disease_from_the_cited_title(extractor: Extractor) -> None:
    statements = _claims(extractor, REVIEW)
    ovary = [(c, e) for c, e in statements if c.object == POF and "delivering" in e.quote]
    assert ovary, _pairs(statements)
    claim, evidence = ovary[0]
    assert claim.subject.startswith("mirbase.mature:")
    assert "title of cited reference [3]" in (evidence.curator_note or "")
    assert evidence.level == EvidenceLevel.REVIEW_STATEMENT


def test_no_discourse_disease_without_therapeutic_wording(extractor: Extractor) -> None:
    statements = _claims(extractor, REVIEW)
    assert not [c for c, e in statements if "measured in serum" in e.quote and c.object == RA]


def test_vesicles_alone_get_no_disease_from_the_heading(extractor: Extractor) -> None:
    statements = _claims(extractor, REVIEW)
    assert not [c for c, e in statements if e.quote == "MSC-EVs ameliorated joint damage in rats."]


def test_cited_titles_are_mined_as_statements(extractor: Extractor) -> None:
    statements = _claims(extractor, REVIEW)
    titled = [(c, e) for c, e in statements if e.section == "References [2]"]
    assert any(c.object == RA and c.predicate == Predicate.TREATS for c, _ in titled)
    assert all("section heading" not in (e.curator_note or "") for _, e in titled)


def test_protein_cargo_of_vesicles_is_an_agent(extractor: Extractor) -> None:
    text = (
        "Vesicles\n\nGDF-15-containing BMSC-EVs upregulated insulin-degrading enzyme "
        "expression in neurons."
    )
    pairs = _pairs(_claims(extractor, text))
    assert ("hgnc:30142", "regulates_up", "hgnc:5381") in pairs  # GDF15 -> IDE
    # without a vesicle, a protein name is not an agent
    assert not _pairs(_claims(extractor, "Genes\n\nGDF-15 upregulated insulin-degrading enzyme."))


def test_bound_cargo_not_the_vesicles_gets_the_disease(extractor: Extractor) -> None:
    text = (
        "Ovary\n\nMSC-EVs enriched with miR-369-3p ameliorated premature ovarian failure in mice."
    )
    statements = _claims(extractor, text)
    treated = {c.subject for c, _ in statements if c.object == POF}
    assert treated
    assert all(s.startswith("mirbase.mature:") for s in treated)


def test_gene_named_for_its_pathway_is_not_a_target(extractor: Extractor) -> None:
    text = "Colitis\n\nExosomal miR-146a suppressed the NF-κB signaling pathway in colitis mice."
    objects = {c.object for c, _ in _claims(extractor, text)}
    assert not any(o.startswith("hgnc:") for o in objects)


def test_a_disease_qualifying_another_is_not_the_outcome(extractor: Extractor) -> None:
    text = "Kidney\n\nExosomal miR-146b alleviated sepsis-associated acute kidney injury in mice."
    statements = _claims(extractor, text)
    treated = {c.object for c, _ in statements if c.predicate == Predicate.TREATS}
    assert treated, _pairs(statements)
    labels = {extractor.vocabulary.lexicon.label(c) for c in treated}
    assert not any("sepsis" in label.lower() for label in labels), labels


# -- the founding review -----------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.reference_data
def test_review_pairs_do_not_regress(data_dir: Path, review_text: str) -> None:
    """Floors at the measured figures (see the closing note of issue 4); raise them as the
    extractor improves, never lower them."""
    from evkg.api._mining_work import WorkerConfig, _extractor
    from evkg.api.extraction_eval import score_review
    from tests.conftest import seed_review

    path = seed_review()
    assert path is not None
    assert review_text
    scores = {s.name: s for s in score_review(_extractor(WorkerConfig(str(data_dir))), path)}
    target = scores["cargo–target pairs"]
    disease = scores["cargo–disease pairs"]
    source = scores["EV source–disease pairs"]
    assert target.precision >= 0.95
    # of a target chain named as an axis or pathway only the first gene is the miRNA's
    # target (issue 13: "miR-146a-5p targeting IRAK1/NF-κB p65 pathway" is IRAK1, as the
    # curated study of that paper records it); the review's curation also lists the
    # downstream members (RELA; PDCD5 and TP53 of miR-369-3p/YAF2/PDCD5/p53): 32 -> 29 tp
    assert target.recall >= 0.72
    # Table 1 read as a table (issue 13): its rows now give the pairs they print, one more
    # found (HGF – liver injury) and four that the curation credits to the cited study's
    # own disease instead (miR-135b – RA, miR-101-3p – HNSCC, miR-186-5p – kidney damage,
    # VEGF – osteoarthritis): precision 0.62 where the rows were unread, recall up
    assert disease.precision >= 0.61
    assert disease.recall >= 0.67
    # vesicles given with their cargo ("miR-101-3p-enriched BMSC-EVs inhibit oral cancer")
    # are credited with the outcome as well as the cargo, as the curated studies record
    # them; the review's curation credits the cargo alone, so these count as fp
    assert source.precision >= 0.47
    assert source.recall >= 0.59  # 37/62: a chronic-GvHD reading is now more specific than gold
