"""Recall mechanisms of the relation stage, each on a small sentence: regulation stated by
sentence structure (means, chains, coordinated clauses), direction of agency, pathway
cascades, disease models, gene products, siRNAs named by their target and disease
adjectives."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from evkg.extract._modelled_diseases import modelled_diseases
from evkg.extract._regulation_model import LogisticModel
from evkg.extract._sentence_mentions import disease_modifiers, relation_mentions
from evkg.extract._stopwords import STOPWORDS
from evkg.extract.ner import Mention
from evkg.extract.pipeline import Extractor
from evkg.extract.regulation import RegulationClassifier
from evkg.extract.relations import classify_regulation
from evkg.model import EntityKind, Predicate
from evkg.sources.text import document_from_text
from evkg.vocab import Vocabulary, load_vocabulary
from evkg.vocab.lexicon import LexiconEntry


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _span(sentence: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(word, start + 1)
    return start, start + len(word)


def _regulation(sentence: str, agent: str, target: str) -> Predicate | None:
    verdict = classify_regulation(sentence, _span(sentence, agent), _span(sentence, target))
    return None if verdict is None or verdict.negated else verdict.predicate


def _mentions(extractor: Extractor, text: str) -> list[tuple[str, str, str | None]]:
    found = relation_mentions(extractor.vocabulary, text, extractor.recognizer.mentions(text))
    return [(m.text, m.kind, m.curie) for m in found]


def _claims(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    result = extractor.extract(document_from_text(text, name="t.txt", document_id="pubmed:9"))
    return {(c.subject, c.predicate.value, c.object) for c, _ in result.statements}


# -- regulation read from sentence structure ------------------------------------------------
def test_agent_named_as_the_means_after_the_target() -> None:
    s = "Vesicles lowered SOCS1 expression by upregulating miR-155 levels in macrophages."
    assert _regulation(s, "miR-155", "SOCS1") == Predicate.REGULATES_DOWN
    up = "The vesicles raised BDNF expression via the miR-132 pathway."
    assert _regulation(up, "miR-132", "BDNF") == Predicate.REGULATES_UP
    other = "Binding of PTEN was measured by miR-21 arrays."  # another predicate's "by"
    assert _regulation(other, "miR-21", "PTEN") is None
    # the trigger-word reading (kept for the learned classifier's features) read the
    # verb on the miRNA as the verb on the target
    verdict = classify_regulation(s, _span(s, "miR-155"), _span(s, "SOCS1"), structural=False)
    assert verdict is not None
    assert verdict.predicate == Predicate.REGULATES_UP


def test_later_members_of_a_mirna_headed_slash_chain_are_its_targets() -> None:
    s = "EVs protect neurons via the miR-124/STAT3/BCL2 pathway."
    assert _regulation(s, "miR-124", "BCL2") == Predicate.REGULATES_DOWN


def test_coordinated_verb_phrases_share_the_subject() -> None:
    s = (
        "Exosomal circFOXO3 interacted with miR-21 to raise PDCD4 in hepatocytes, "
        "markedly reduced elevated IL-1β, IL-18, and CCL2 levels, and improved survival."
    )
    for target in ("IL-1β", "IL-18", "CCL2"):
        assert _regulation(s, "circFOXO3", target) == Predicate.REGULATES_DOWN
    # the object of the first phrase is not the subject of the later ones
    assert _regulation(s, "miR-21", "CCL2") is None
    apposition = "Exosomal miR-122, a liver-enriched miRNA, reduced CCNG1 in hepatoma cells."
    assert _regulation(apposition, "miR-122", "CCNG1") == Predicate.REGULATES_DOWN


def test_a_target_acting_on_the_agent_is_no_regulation_by_the_agent() -> None:
    s = "EV-derived miR-21, stimulated by TNF, inhibits PDCD4 in tumours."
    assert _regulation(s, "miR-21", "TNF") is None
    assert _regulation(s, "miR-21", "PDCD4") == Predicate.REGULATES_DOWN
    r = "Cells were primed with IFN-γ, which upregulated the expression of protective miR-155."
    assert _regulation(r, "miR-155", "IFN-γ") is None


def test_raising_the_breakdown_of_a_target_lowers_it() -> None:
    s = "Delivered FBXW7 promotes MYC ubiquitination and degradation in tumour cells."
    assert _regulation(s, "FBXW7", "MYC") == Predicate.REGULATES_DOWN


def test_a_protein_binding_its_receptor_regulates_neither() -> None:
    s = "EVs displaying CD47 specifically bind to SIRPA on macrophages."
    assert _regulation(s, "CD47", "SIRPA") is None
    m = "miR-34a binds to the 3'-UTR of SIRT1."
    assert _regulation(m, "miR-34a", "SIRT1") == Predicate.REGULATES_DOWN


def test_learned_classifier_keeps_structural_readings_and_agency() -> None:
    rejecting = RegulationClassifier(LogisticModel({}, bias=-10.0), "test")
    accepting = RegulationClassifier(LogisticModel({}, bias=10.0), "test")
    s = "Vesicles lowered SOCS1 expression by upregulating miR-155 levels in macrophages."
    verdict = rejecting(s, _span(s, "miR-155"), _span(s, "SOCS1"))
    assert verdict is not None
    assert verdict.predicate == Predicate.REGULATES_DOWN
    p = "EV-derived miR-21, stimulated by TNF, inhibits PDCD4 in tumours."
    assert accepting(p, _span(p, "miR-21"), _span(p, "TNF")) is None


# -- mentions as the relation stage reads them ----------------------------------------------
def test_slash_cascades_and_chains_to_a_pathway_are_pathway_uses(extractor: Extractor) -> None:
    cascade = _mentions(extractor, "GDF-15 raised IDE expression through AKT/GSK-3β/β-catenin.")
    assert not [m for m in cascade if m[0] in ("AKT", "GSK-3β", "β-catenin") and m[1] == "gene"]
    chained = _mentions(extractor, "EVs modulated the HMGB1/mitogen kinase pathway.")
    assert not [m for m in chained if m[0] == "HMGB1" and m[1] == "gene"]
    targets = _mentions(extractor, "EVs deliver miR-146a targeting IRAK1/NF-κB p65 pathway.")
    assert ("IRAK1", "gene", "hgnc:6112") in targets
    # the miRNA's target is the chain's first gene; p65 lies downstream of IRAK1
    assert ("NF-κB p65", "pathway", None) in targets


@pytest.mark.reference_data
def test_a_chain_into_a_named_pathway_keeps_its_head_gene(data_dir: Path) -> None:
    """What acts through "PTEN/AKT/mTOR signalling" (a pathway the full vocabularies name)
    acts on PTEN; AKT is the pathway's."""
    from evkg.api._mining_work import WorkerConfig, _extractor

    full = _extractor(WorkerConfig(str(data_dir)))
    found = _mentions(full, "miR-26a-rich EVs acted through PTEN/AKT/mTOR signalling.")
    assert ("PTEN", "gene", "hgnc:9588") in found
    assert not [m for m in found if m[0] == "AKT" and m[1] == "gene"]


def test_respectively_pairs_each_mirna_with_its_own_target(extractor: Extractor) -> None:
    text = (
        "The exosomes delivered miR-182-5p and miR-23a-3p into epithelial cells to, "
        "respectively, target IKBKB and USP5."
    )
    regulated = {(s, o) for s, p, o in _claims(extractor, text) if p.startswith("regulates")}
    assert regulated == {
        ("mirbase.mature:MIMAT0000259", "hgnc:5960"),  # miR-182-5p, IKBKB
        ("mirbase.mature:MIMAT0000078", "hgnc:12628"),  # miR-23a-3p, USP5
    }


def test_disease_models_name_their_disease(extractor: Extractor) -> None:
    vocabulary = extractor.vocabulary
    colitis = vocabulary.disease("colitis")
    assert colitis is not None
    text = "EVs helped mice with experimental colitis."
    start = text.index("experimental colitis")
    model = Mention(start, start + 20, "experimental colitis", "model", ("evkg.model:x",))
    read = relation_mentions(vocabulary, text, [model])
    assert [(m.kind, m.curie) for m in read] == [("disease", colitis.curies[0])]
    plug = Mention(0, 13, "Matrigel plug", "model", ("evkg.model:matrigel-plug-angiogenesis",))
    assert relation_mentions(vocabulary, "Matrigel plug", [plug])[0].kind == "model"


def test_shipped_models_stand_for_their_disease(extractor: Extractor) -> None:
    """model_diseases.yaml links a model to its disease where the words alone do not say
    it; a model used for several diseases keeps reading its disease from the words."""
    assert _claims(extractor, "BTBR mice treated with MSC exosomes showed better behaviour.") == {
        ("evkg.source:msc", "treats", "doid:0060041")  # the autism model
    }
    cases = {
        "MSC-derived exosomes attenuated neonatal hyperoxic lung injury in rats.": "doid:11650",
        "Exosomes from MSCs alleviated renal ischemia/reperfusion injury.": "doid:3021",
        "MSC exosomes attenuated radiation-induced lung injury in mice.": "mondo:0043919",
        "Exosomal miR-99a attenuated silica-induced lung fibrosis in mice.": "doid:10325",
    }
    for text, disease in cases.items():
        assert any(o == disease for _s, p, o in _claims(extractor, text) if p == "treats"), text
    # in adults the same exposure is an acute lung injury, not the neonatal disease
    adult = _claims(extractor, "MSC exosomes alleviated hyperoxia-induced lung injury in mice.")
    assert ("evkg.source:msc", "treats", "doid:11650") not in adult
    assert ("evkg.source:msc", "treats", "mondo:0015796") in adult  # acute lung injury


def test_every_model_link_names_a_model_and_a_disease() -> None:
    from importlib import resources

    import yaml

    from evkg.vocab import compact_lexicon

    lexicon = compact_lexicon()
    path = resources.files("evkg") / "data" / "vocab" / "model_diseases.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(rows) > 80
    for row in rows:
        model, disease = lexicon.get(row["model"]), lexicon.get(row["disease"])
        assert model is not None, row
        assert disease is not None, row
        assert (model.kind, disease.kind) == (EntityKind.MODEL, EntityKind.DISEASE), row
        assert ("disease", row["disease"]) in model.attributes, row


class _Lexicon:
    def __init__(self, entry: LexiconEntry) -> None:
        self.entry = entry

    def get(self, curie: str) -> LexiconEntry | None:
        return self.entry if curie == self.entry.curie else None

    def label(self, curie: str) -> str:
        return self.entry.label if curie == self.entry.curie else curie


class _ModelVocabulary:
    """Just what the model reading asks of a vocabulary: one model entry, no disease names."""

    def __init__(self, entry: LexiconEntry) -> None:
        self.lexicon = _Lexicon(entry)

    def disease(self, text: str) -> None:
        return None

    def canonical_disease(self, curie: str) -> str:
        return curie


def test_a_model_entry_can_name_its_disease() -> None:
    entry = LexiconEntry(
        "evkg.model:m1", EntityKind.MODEL, "tail-vein melanoma model", (),
        attributes=(("disease", "doid:1909"),),
    )  # fmt: skip
    vocabulary = cast("Vocabulary", _ModelVocabulary(entry))
    model = Mention(0, 24, "tail-vein melanoma model", "model", ("evkg.model:m1",))
    assert [(m.kind, m.curie) for m in modelled_diseases(vocabulary, [model])] == [
        ("disease", "doid:1909")
    ]


def test_a_disease_induced_by_another_is_not_its_qualifier() -> None:
    text = "asthma induced by sepsis; sepsis-associated AKI"
    diseases = [
        Mention(0, 6, "asthma", "disease", ("doid:2841",)),
        Mention(18, 24, "sepsis", "disease", ("mesh:D018805",)),
        Mention(26, 32, "sepsis", "disease", ("mesh:D018805",)),
        Mention(44, 47, "AKI", "disease", ("doid:3021",)),
    ]
    assert disease_modifiers(text, diseases) == {id(diseases[2])}


def test_gene_products_and_silencing_rnas(extractor: Extractor) -> None:
    products = _mentions(extractor, "OVA-loaded EVs decreased IL-4 production in mice.")
    assert ("IL-4", "gene", "hgnc:6014") in products
    sirna = _mentions(
        extractor, "The EVs released small interfering RNA (siRNA), knocking down survivin."
    )
    assert ("small interfering RNA (siRNA)", "cargo", "evkg.cargo:survivin-sirna") in sirna


def test_inflamed_organs_and_bare_adjectives(extractor: Extractor) -> None:
    periodontitis = extractor.vocabulary.disease("periodontitis")
    assert periodontitis is not None
    inflamed = _mentions(extractor, "EVs restored homeostasis in inflamed periodontal tissue.")
    assert ("inflamed periodontal tissue", "disease", periodontitis.curies[0]) in inflamed
    text = "The allergic sensitization faded."
    allergic = Mention(4, 12, "allergic", "disease", ("mondo:0004980",))
    assert relation_mentions(extractor.vocabulary, text, [allergic]) == []
    subjects = "The allergic mice recovered."
    kept = relation_mentions(
        extractor.vocabulary, subjects, [Mention(4, 12, "allergic", "disease", ("x:1",))]
    )
    assert [m.kind for m in kept] == [EntityKind.DISEASE.value]


def test_damaged_organs_name_the_organs_disease(extractor: Extractor) -> None:
    cartilage = extractor.vocabulary.disease("cartilage disease")
    assert cartilage is not None
    found = _mentions(extractor, "miR-146a facilitated the repair of damaged cartilage tissue.")
    assert ("damaged cartilage tissue", "disease", cartilage.curies[0]) in found
    assert ("mirbase.mature:MIMAT0000449", "treats", cartilage.curies[0]) in _claims(
        extractor, "Exosomal miR-146a facilitated the repair of damaged cartilage tissue."
    )


def test_untranslated_region_is_not_a_gene(extractor: Extractor) -> None:
    assert "utr" in STOPWORDS  # UTR is a synonym of SLC14A2 and UTS2R in HGNC
    mentions = extractor.recognizer.mentions("miR-146a binds the 3'-UTR of TRAF6.")
    assert [m.text for m in mentions if m.kind == "gene"] == ["TRAF6"]


def test_pipeline_credits_structural_regulation(extractor: Extractor) -> None:
    claims = _claims(
        extractor,
        "Bone marrow MSC-derived exosomes lowered TRAF6 expression by upregulating miR-146a "
        "levels in mice.",
    )
    # mouse miR-146a-5p (the text is about mice)
    assert ("mirbase.mature:MIMAT0000158", "regulates_down", "hgnc:12036") in claims
    assert ("mirbase.mature:MIMAT0000158", "regulates_up", "hgnc:12036") not in claims
