"""Names as a curator reads them: the species of a miRNA from the EV's source cells, arms
never invented (flagged), let-7 spellings, clusters and families kept apart from their
members, Greek letters, and false friends blocked (ROS, assay and reagent abbreviations,
skin wound vs skin tumour)."""

from __future__ import annotations

import pytest

from evkg.extract.context import source_species
from evkg.extract.direction_evaluation import DirectionDocument
from evkg.extract.pipeline import Extractor
from evkg.model import Claim, EntityKind, Evidence
from evkg.vocab import Vocabulary, load_vocabulary
from evkg.vocab.lexicon import Lexicon, LexiconEntry


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _statements(extractor: Extractor, sentence: str) -> list[tuple[Claim, Evidence]]:
    return extractor.extract(DirectionDocument.of(1, sentence)).statements


def _mirna_labels(extractor: Extractor, sentence: str) -> set[str]:
    label = extractor.vocabulary.lexicon.label
    return {
        label(claim.subject)
        for claim, _ in _statements(extractor, sentence)
        if claim.subject.startswith("mirbase")
    }


@pytest.mark.parametrize(
    ("sentence", "prefix"),
    [
        ("Exosomal miR-146a from human umbilical cord MSCs alleviated AKI in rats.", "hsa-"),
        ("hUC-MSC-derived exosomal miR-146a alleviated AKI in rats.", "hsa-"),
        ("Exosomal miR-146a from rat bone marrow MSCs alleviated AKI in mice.", "rno-"),
        ("Exosomal miR-146a from BMSCs alleviated AKI in rats.", "rno-"),  # no source species
    ],
)
def test_mirna_species_follows_the_source_cells(
    extractor: Extractor, sentence: str, prefix: str
) -> None:
    labels = _mirna_labels(extractor, sentence)
    assert labels
    assert all(label.startswith(prefix) for label in labels), labels


def test_recipient_human_cells_are_not_the_source() -> None:
    text = "BMSC-EVs were added to human umbilical vein endothelial cells and given to rats."
    assert source_species(text) is None


def test_an_armless_name_is_flagged_and_an_armed_one_is_not(extractor: Extractor) -> None:
    def of_mirna(sentence: str) -> list[tuple[Claim, Evidence]]:
        statements = _statements(extractor, sentence)
        return [(c, e) for c, e in statements if "mirbase" in c.subject + c.object]

    armless = of_mirna("Exosomal miR-21 from MSCs alleviated AKI in mice.")
    armed = of_mirna("Exosomal miR-21-3p from MSCs alleviated AKI in mice.")
    assert armless
    assert armed
    assert all("arm not stated" in e.curator_note for _, e in armless)
    assert all("-5p or " in e.curator_note for _, e in armless)
    assert not any("arm not stated" in (e.curator_note or "") for _, e in armed)


@pytest.mark.parametrize("spelling", ["let-7b", "Let-7b", "let7b", "let-7b-5p", "hsa-let-7b-5p"])
def test_let7_spellings(extractor: Extractor, spelling: str) -> None:
    mentions = extractor.recognizer.mentions(f"EVs carried {spelling} to the heart.")
    (mirna,) = [m for m in mentions if m.kind == "mirna"]
    assert extractor.vocabulary.lexicon.label(mirna.curie or "") == "hsa-let-7b-5p"


@pytest.mark.parametrize("name", ["miR-17-92", "miR-17~92", "miR-29", "miR-200", "let-7"])
def test_clusters_and_families_are_not_credited_to_a_member(
    extractor: Extractor, name: str
) -> None:
    sentence = f"The {name} cluster carried by MSC-EVs alleviated acute kidney injury in mice."
    assert not _mirna_labels(extractor, sentence)


@pytest.mark.parametrize(
    ("sentence", "group"),
    [
        (
            "MSC exosomes carrying the miR-200 family suppressed TLR4 in liver fibrosis.",
            "miR-200 family",
        ),
        ("Exosomal miR-17-92 cluster from MSCs targeted PTEN after stroke.", "miR-17-92 cluster"),
        ("MSC exosomes enriched in miR-17~92 targeted PTEN after stroke.", "miR-17-92 cluster"),
        # a stem without the letter all its members have: the family, not miR-181a
        ("Exosomal miR-181 from MSCs targeted Bcl-2 in liver fibrosis.", "miR-181 family"),
        (
            "BMSC exosomes carrying miR-133 suppressed RhoA after spinal cord injury.",
            "miR-133 family",
        ),
        ("Exosomal let-7 from MSCs targeted HMGA2 in osteoporosis.", "let-7 family"),
    ],
)
def test_what_is_said_of_a_family_or_cluster_is_claimed_of_the_group(
    extractor: Extractor, sentence: str, group: str
) -> None:
    label = extractor.vocabulary.lexicon.label
    statements = _statements(extractor, sentence)
    subjects = {
        label(c.subject)
        for c, _ in statements
        if c.predicate.value.startswith("regulates") and not c.subject.startswith("evkg.source")
    }
    assert subjects == {group}
    carried = {label(c.object) for c, _ in statements if c.predicate.value == "carries"}
    assert group in carried
    assert not _mirna_labels(extractor, sentence)  # no member is credited


def test_a_lettered_member_stays_the_member(extractor: Extractor) -> None:
    label = extractor.vocabulary.lexicon.label
    sentence = "Exosomal miR-181a from MSCs targeted Bcl-2 in liver fibrosis."
    subjects = {label(c.subject) for c, _ in _statements(extractor, sentence)}
    assert "hsa-miR-181a-5p" in subjects
    assert "miR-181 family" not in subjects


def test_mir_let7_spelling(extractor: Extractor) -> None:
    mentions = extractor.recognizer.mentions("MSC exosomes transferred miR-let7c to the kidney.")
    (mirna,) = [m for m in mentions if m.kind == "mirna"]
    assert extractor.vocabulary.lexicon.label(mirna.curie or "") == "hsa-let-7c-5p"


@pytest.mark.parametrize(
    ("name", "symbol"),
    [("COX2", "PTGS2"), ("COX-2", "PTGS2"), ("RORγt", "RORC"), ("TGFβR1", "TGFBR1"),
     ("TGF-βRII", "TGFBR2")],
)  # fmt: skip
def test_protein_names_of_review_tables(extractor: Extractor, name: str, symbol: str) -> None:
    mentions = extractor.recognizer.mentions(f"Exosomal miR-21 targeted {name} in chondrocytes.")
    (gene,) = [m for m in mentions if m.kind == "gene"]
    assert [extractor.vocabulary.lexicon.label(c) for c in gene.curies] == [symbol]


def _vocabulary(*entries: LexiconEntry) -> Vocabulary:
    return Vocabulary(Lexicon.from_entries(entries))


def test_false_friends_are_not_genes_or_diseases() -> None:
    vocabulary = _vocabulary(
        LexiconEntry("hgnc:10261", EntityKind.GENE, "ROS1", ("ROS",)),
        LexiconEntry("hgnc:1569", EntityKind.GENE, "CCK", ()),
        LexiconEntry("hgnc:9999", EntityKind.GENE, "LDH", ()),
        LexiconEntry("doid:3017", EntityKind.DISEASE, "breast sarcoma", ("PBS",)),
        LexiconEntry("doid:3165", EntityKind.DISEASE, "skin benign neoplasm", ("skin",)),
        LexiconEntry("doid:1", EntityKind.DISEASE, "malignant triton tumor", ("MTT",)),
    )
    extractor = Extractor(vocabulary)
    text = "ROS fell; CCK-8 and MTT assays, an LDH assay kit and PBS controls; skin repaired."
    assert extractor.recognizer.mentions(text) == []
    kept = extractor.recognizer.mentions("CCK rose and ROS1 fell.")
    assert [m.text for m in kept] == ["CCK", "ROS1"]


def test_skin_wounds_are_wounds_not_tumours(extractor: Extractor) -> None:
    label = extractor.vocabulary.lexicon.label
    for sentence in (
        "MSC-EVs promoted the healing of full-thickness skin wounds in mice.",
        "MSC-EVs promoted skin wound healing in mice.",
    ):
        outcomes = {
            (claim.predicate.value, label(claim.object))
            for claim, _ in _statements(extractor, sentence)
            if claim.context.disease
        }
        assert outcomes == {("treats", "skin wound (scarring)")}, sentence


def test_greek_letters_and_spelt_names_resolve_alike() -> None:
    vocabulary = _vocabulary(
        LexiconEntry("hgnc:12855", EntityKind.GENE, "YWHAZ", ("14-3-3-zeta",)),
        LexiconEntry("hgnc:5992", EntityKind.GENE, "IL1B", ("interleukin 1 beta",)),
    )
    extractor = Extractor(vocabulary)
    text = "EV 14-3-3ζ and 14-3-3 zeta rose; interleukin 1β and interleukin 1 beta fell."
    curies = [m.curie for m in extractor.recognizer.mentions(text) if m.kind == "gene"]
    assert curies == ["hgnc:12855", "hgnc:12855", "hgnc:5992", "hgnc:5992"]
    assert [m.kind for m in extractor.recognizer.mentions("14-3-3ζ")] == ["gene"]


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("tumour necrosis factor-α", "TNF"),
        ("TNF-α-stimulated gene 6", "TNFAIP6"),  # not TNF
        ("nuclear factor erythroid 2-related factor 2", "NFE2L2"),  # not NFE2
        ("programmed death-ligand 1", "CD274"),
        ("matrix metalloproteinase-13", "MMP13"),
    ],
)
def test_full_protein_names_resolve(extractor: Extractor, name: str, symbol: str) -> None:
    mentions = extractor.recognizer.mentions(f"EVs carried {name} to cells.")
    genes = [m for m in mentions if m.kind == "gene"]
    assert [m.text for m in genes] == [name]
    assert extractor.vocabulary.lexicon.label(genes[0].curie or "") == symbol


@pytest.mark.parametrize(
    ("text", "curie"),
    [
        ("RhoA", "hgnc:667"),
        ("Sema3A", "hgnc:10723"),
        ("MyD88", "hgnc:7562"),
        ("Drp1", "hgnc:2973"),
        ("connective tissue growth factor", "hgnc:2500"),
        ("TGF-β receptor type I", "hgnc:11772"),
        ("keratinocyte growth factor", "hgnc:3685"),
        ("adipose tissue-derived MSCs", "evkg.source:adipose-msc"),
        ("human umbilical cord blood mesenchymal stem cells", "evkg.source:uc-msc"),
        ("UCB-MSCs", "evkg.source:uc-msc"),
        ("amniotic fluid stem cells", "evkg.source:amniotic-fluid-msc"),
    ],
)
def test_names_papers_write_for_proteins_and_sources(
    extractor: Extractor, text: str, curie: str
) -> None:
    assert [m.curie for m in extractor.recognizer.mentions(text)] == [curie]


def test_a_cell_line_code_is_no_gene() -> None:
    """HST is an alias of SULT2A1; "HST-T6 cells" are hepatic stellate cells."""
    extractor = Extractor(
        _vocabulary(
            LexiconEntry("hgnc:11458", EntityKind.GENE, "SULT2A1", ("HST",)),
            LexiconEntry("hgnc:9588", EntityKind.GENE, "PTEN", ()),
        )
    )
    mentions = extractor.recognizer.mentions("Autophagy rose in HST-T6 cells as HST and PTEN fell.")
    assert [m.text for m in mentions if m.kind == "gene"] == ["HST", "PTEN"]
