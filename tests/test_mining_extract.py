"""The extraction pipeline on the compact vocabulary: sentences, abbreviations, entities,
relations with direction, negation and hedging, context, claims with evidence."""

from __future__ import annotations

import pytest

from evkg.extract.abbreviations import find_abbreviations
from evkg.extract.ner import find_mirna_mentions
from evkg.extract.pipeline import EXTRACTOR, Extractor
from evkg.extract.relations import classify_agent_disease, classify_regulation
from evkg.extract.sentences import split_sentences
from evkg.model import EvidenceLevel, EvidenceMethod, Predicate
from evkg.sources.text import document_from_text
from evkg.vocab import load_vocabulary


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _span(sentence: str, word: str) -> tuple[int, int]:
    start = sentence.index(word)
    return start, start + len(word)


def test_sentences_keep_abbreviations_and_split_before_mirna() -> None:
    text = "Levels fell (Fig. 2). miR-21 rose in vivo vs. controls. Dr. Who agreed."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Levels fell (Fig. 2).",
        "miR-21 rose in vivo vs. controls.",
        "Dr. Who agreed.",
    ]


def test_schwartz_hearst_rejects_non_matching_long_forms() -> None:
    assert find_abbreviations("acute kidney injury (AKI) was induced") == [
        ("AKI", "acute kidney injury")
    ]
    assert find_abbreviations("we measured the levels (p < 0.05) today") == []


def test_mirna_grammar_lists_and_clusters() -> None:
    text = "miR-15/107, miR-17~92, miR-26a, -34a and -145, pre-miR-630 and let-7b-5p"
    assert [m for _, _, m in find_mirna_mentions(text)] == [
        "miR-15/107",
        "miR-17~92",
        "miR-26a, -34a and -145",
        "let-7b-5p",
    ]


def test_entities_with_abbreviations(extractor: Extractor) -> None:
    sentence = "Rheumatoid arthritis (RA) improved; RA scores and TNF fell in mice."
    mentions = extractor.recognizer.mentions(sentence, abbreviations=find_abbreviations(sentence))
    found = {(m.text, m.kind, m.curie) for m in mentions}
    assert ("RA", "disease", "doid:7148") in found
    assert ("TNF", "gene", "hgnc:11892") in found
    assert ("mice", "species", "ncbitaxon:10090") in found


def test_regulation_direction_passive_and_negation() -> None:
    s = "miR-146a-5p directly targets TRAF6 and increases IL10 in macrophages."
    down = classify_regulation(s, _span(s, "miR-146a-5p"), _span(s, "TRAF6"))
    up = classify_regulation(s, _span(s, "miR-146a-5p"), _span(s, "IL10"))
    assert down is not None
    assert down.predicate == Predicate.REGULATES_DOWN
    assert up is not None
    assert up.predicate == Predicate.REGULATES_UP
    p = "TRAF6 was suppressed by miR-146a-5p."
    passive = classify_regulation(p, _span(p, "miR-146a-5p"), _span(p, "TRAF6"))
    assert passive is not None
    assert passive.predicate == Predicate.REGULATES_DOWN
    n = "miR-146a-5p did not reduce TRAF6."
    negated = classify_regulation(n, _span(n, "miR-146a-5p"), _span(n, "TRAF6"))
    assert negated is not None
    assert negated.negated
    far = (
        "miR-146a-5p was measured, and in a separate cohort we sequenced many other genes "
        "such as TRAF6."
    )
    assert classify_regulation(far, _span(far, "miR-146a-5p"), _span(far, "TRAF6")) is None


def test_disease_direction() -> None:
    s = "Exosomal miR-21 promoted tumour growth of gastric cancer."
    worse = classify_agent_disease(s, _span(s, "miR-21"), _span(s, "gastric cancer"))
    assert worse is not None
    assert worse.predicate == Predicate.WORSENS
    b = "The EVs accelerated the recovery from acute kidney injury."
    better = classify_agent_disease(b, _span(b, "EVs"), _span(b, "acute kidney injury"))
    assert better is not None
    assert better.predicate == Predicate.TREATS
    n = "The EVs did not improve osteoarthritis."
    none = classify_agent_disease(n, _span(n, "EVs"), _span(n, "osteoarthritis"))
    assert none is not None
    assert none.predicate == Predicate.NO_EFFECT_ON


def test_pipeline_claims_with_evidence_and_context(extractor: Extractor) -> None:
    document = document_from_text(
        "Bone marrow MSC-derived exosomes carrying miR-146a-5p alleviated rheumatoid "
        "arthritis in mice by targeting TRAF6. The EVs did not improve osteoarthritis. "
        "These EVs may reduce TNF.",
        name="t.txt",
        document_id="pubmed:1",
    )
    result = extractor.extract(document)
    assert result.relevant
    assert result.n_sentences == 3
    claims = {(c.subject, c.predicate.value, c.object): (c, e) for c, e in result.statements}
    treats = claims[("mirbase.mature:MIMAT0000158", "treats", "doid:7148")]
    assert treats[0].context.ev_source == "evkg.source:bm-msc"
    assert treats[0].context.species == "ncbitaxon:10090"
    assert treats[1].level == EvidenceLevel.IN_VIVO
    assert treats[1].method == EvidenceMethod.EXTRACTED
    assert treats[1].extractor == EXTRACTOR
    assert treats[1].quote.startswith("Bone marrow MSC-derived exosomes")
    assert ("mirbase.mature:MIMAT0000158", "regulates_down", "hgnc:12036") in claims
    assert ("evkg.source:bm-msc", "carries", "mirbase.mature:MIMAT0000158") in claims
    assert ("evkg.source:bm-msc", "no_effect_on", "doid:8398") in claims
    # the cargo, not the vesicles, is credited when it is named in between
    assert ("evkg.source:bm-msc", "treats", "doid:7148") not in claims
    hedged = claims[("evkg.source:bm-msc", "regulates_down", "hgnc:11892")][1]
    assert "hedged" in (hedged.curator_note or "")
    assert hedged.confidence < treats[1].confidence


def test_irrelevant_documents_are_not_split_or_analysed(extractor: Extractor) -> None:
    result = extractor.extract(
        document_from_text("Walking speed declines with age. Falls rise.", name="gait.txt")
    )
    assert (result.relevant, result.n_sentences, result.statements) == (False, 0, [])


def test_relevance_is_decided_per_section(extractor: Extractor) -> None:
    """A phrase split across sections is no mention (and the XML screen sees it that way)."""
    from evkg.sources.text import Document, Section

    split = Document("x", (Section("Title", "Roots of the stem"), Section("Abstract", "cell")))
    joined = Document("y", (Section("Title", "Roots"), Section("Abstract", "stem cell walls")))
    assert not extractor.extract(split).relevant
    assert extractor.extract(joined).relevant


def test_coordinated_predicate_and_comparison_keep_the_agent(extractor: Extractor) -> None:
    """ ", and were superior to naive MSC-EVs for the treatment of MI": the clause continues the
    first vesicles' own, and vesicles named only as the comparison are not its subject."""
    from evkg.extract.relations import classify_agent_disease

    text = (
        "Hypoxia-primed MSC-EVs carrying miR-21 reduced apoptosis of cultured rat "
        "cardiomyocytes through the PTEN and AKT signalling of the damaged heart muscle, and "
        "were superior to naive MSC-EVs for the treatment of myocardial infarction."
    )
    agent = (text.index("Hypoxia"), text.index(" carrying"))
    disease = (text.index("myocardial infarction"), len(text) - 1)
    verdict = classify_agent_disease(text, agent, disease, chain=True)
    assert verdict is not None
    assert verdict.predicate.value == "treats"
    assert classify_agent_disease(text, agent, disease, chain=False) is None
    result = extractor.extract(document_from_text(text, name="mi.txt"))
    treated = {(c.subject, c.object) for c, _ in result.statements if c.predicate.value == "treats"}
    # the miRNA the first vesicles carry, not only the vesicles, treats the infarction
    assert any(s.startswith("mirbase.") and o == "doid:5844" for s, o in treated), treated


def test_capitalised_vesicles_plural_sources_and_the_sentence_s_own_source(
    extractor: Extractor,
) -> None:
    """ "Exosomes derived from human umbilical cord mesenchymal stem cells …" opens many
    titles: the capitalised vesicle word and the plural source name are both recognised, and
    the vesicles are credited to the source their own sentence names, not the document's."""
    title = (
        "Exosomes derived from human umbilical cord mesenchymal stem cells alleviate "
        "rheumatoid arthritis in mice."
    )
    kinds = {(m.text, m.kind) for m in extractor.recognizer.mentions(title)}
    assert ("Exosomes", "ev") in kinds
    assert ("human umbilical cord mesenchymal stem cells", "ev_source") in kinds
    text = (
        f"{title} Bone marrow MSCs were cultured as well. Bone marrow MSCs were also grown. "
        "Extracellular vesicles from adipose-derived MSCs relieved osteoarthritis in rats."
    )
    result = extractor.extract(document_from_text(text, name="sources.txt"))
    treats = {(c.subject, c.object) for c, _ in result.statements if c.predicate.value == "treats"}
    assert ("evkg.source:uc-msc", "doid:7148") in treats
    osteoarthritis = {s for s, o in treats if o == "doid:8398"}
    assert osteoarthritis, treats
    # the document names bone marrow MSCs most often; this sentence names adipose MSCs
    assert "evkg.source:bm-msc" not in osteoarthritis, osteoarthritis


def test_a_mirna_named_through_its_inhibition_does_the_opposite(extractor: Extractor) -> None:
    """ "miR-146a inhibitor increased TRAF6" states that miR-146a lowers TRAF6; a rescue
    experiment ("knockdown of miR-21 in the EVs abolished their protection") states that
    miR-21 protects; inhibitors of a list of miRNAs inhibit for each of them."""
    from evkg.extract._loss_of_function import inhibited_span

    def claims(text: str) -> set[tuple[str, str, str]]:
        result = extractor.extract(document_from_text(text, name="lof.txt"))
        return {(c.subject, c.predicate.value, c.object) for c, _ in result.statements}

    mir146a, mir21, traf6 = (
        "mirbase.mature:MIMAT0000449",
        "mirbase.mature:MIMAT0000076",
        "hgnc:12036",
    )
    assert claims("The miR-146a inhibitor increased TRAF6 expression.") == {
        (mir146a, "regulates_down", traf6)
    }
    rescue = claims(
        "Knockdown of miR-21 in MSC-EVs increased PTEN expression and abolished their "
        "protection against myocardial infarction."
    )
    assert (mir21, "treats", "doid:5844") in rescue
    knockdown = claims("Knockdown of miR-146a increased TRAF6 levels.")
    assert knockdown == {(mir146a, "regulates_down", traf6)}
    assert not {c for c in rescue if c[0] == mir21 and c[1] in ("regulates_up", "worsens")}
    listed = "Transfection of miR-200b and miR-429 inhibitors into cells promoted EMT."
    assert inhibited_span(listed, listed.index("miR-200b"), listed.index(" and"))
    assert inhibited_span("miR-21 rose.", 0, 6) is None
