"""Normalisers over the shipped compact lexicon (offline) — the names papers really write."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from evkg.model import EntityKind
from evkg.vocab import Vocabulary, compact_lexicon, fold_name, parse_mirna_name


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(compact_lexicon())


def labels(vocabulary: Vocabulary, curies: tuple[str, ...]) -> list[str]:
    return [vocabulary.lexicon.label(c) for c in curies]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("miR-146a-5p", ["hsa-miR-146a-5p"]),
        ("miRNA-128-3p", ["hsa-miR-128-3p"]),
        ("microRNA-16-5p", ["hsa-miR-16-5p"]),
        ("MiR-24-3p", ["hsa-miR-24-3p"]),
        ("hsa-miR-21-5p", ["hsa-miR-21-5p"]),
        ("mmu-miR-146a-5p", ["mmu-miR-146a-5p"]),
        ("rno-miR-128-3p", ["rno-miR-128-3p"]),
        ("miR-146a*", ["hsa-miR-146a-3p"]),
        ("miR – 150 – 5p", ["hsa-miR-150-5p"]),
    ],
)
def test_mirna_spellings(vocabulary: Vocabulary, text: str, expected: list[str]) -> None:
    match = vocabulary.mirna(text)
    assert match is not None, text
    assert labels(vocabulary, match.curies) == expected
    assert match.kind == EntityKind.MIRNA


def test_armless_name_maps_to_both_arms_and_is_flagged(vocabulary: Vocabulary) -> None:
    match = vocabulary.mirna("miR-146a")
    assert match is not None
    assert labels(vocabulary, match.curies) == ["hsa-miR-146a-5p", "hsa-miR-146a-3p"]
    assert "armless" in match.flags
    assert match.score < 1.0


def test_let7_armless_and_species(vocabulary: Vocabulary) -> None:
    match = vocabulary.mirna("let-7c")
    assert match is not None
    assert set(labels(vocabulary, match.curies)) == {"hsa-let-7c-5p", "hsa-let-7c-3p"}
    mouse = vocabulary.mirna("let-7c-5p", species="mmu")
    assert mouse is not None
    assert labels(vocabulary, mouse.curies) == ["mmu-let-7c-5p"]


def test_species_option_accepts_taxon_curies(vocabulary: Vocabulary) -> None:
    match = vocabulary.mirna("miR-128-3p", species="ncbitaxon:10116")
    assert match is not None
    assert labels(vocabulary, match.curies) == ["rno-miR-128-3p"]


def test_precursor_name_maps_to_mature_arms(vocabulary: Vocabulary) -> None:
    match = vocabulary.mirna("hsa-mir-146a")
    assert match is not None
    assert "precursor" in match.flags
    assert "hsa-miR-146a-5p" in labels(vocabulary, match.curies)


def test_cluster_maps_to_members(vocabulary: Vocabulary) -> None:
    match = vocabulary.mirna("miR-17-92")
    assert match is not None
    assert "cluster" in match.flags
    members = labels(vocabulary, match.curies)
    for expected in (
        "hsa-miR-17-5p",
        "hsa-miR-18a-5p",
        "hsa-miR-19a-3p",
        "hsa-miR-20a-5p",
        "hsa-miR-92a-3p",
    ):
        assert expected in members


@pytest.mark.parametrize("text", ["miR-99999", "TP53", "hello", "", "mir"])
def test_non_mirnas_are_not_matched(vocabulary: Vocabulary, text: str) -> None:
    assert vocabulary.mirna(text) is None


def test_parse_mirna_name_components() -> None:
    parsed = parse_mirna_name("mmu-miR-19b-1-5p")
    assert parsed is not None
    assert (parsed.species, parsed.stem, parsed.arm) == ("mmu", "miR-19b-1", "5p")


@pytest.mark.parametrize(
    ("text", "symbol"),
    [("Smad5", "SMAD5"), ("Nfat5", "NFAT5"), ("CD73", "NT5E"), ("CD10", "MME"), ("HIF-1α", "HIF1A"),
     ("HIF-1alpha", "HIF1A"), ("VEGF", "VEGFA"), ("Survivin", "BIRC5"), ("survivin", "BIRC5"),
     ("MMP14", "MMP14"), ("integrin α2", "ITGA2"), ("p53", "TP53"), ("GDF-15", "GDF15")],
)  # fmt: skip
def test_gene_names(vocabulary: Vocabulary, text: str, symbol: str) -> None:
    match = vocabulary.gene(text)
    assert match is not None, text
    assert match.label == symbol
    assert match.curie.startswith("hgnc:")


@pytest.mark.parametrize(
    ("kind", "text", "curie"),
    [
        ("disease", "rheumatoid arthritis", "doid:7148"),
        ("disease", "Rheumatoid Arthritis", "doid:7148"),
        ("ev_source", "BMSC", "evkg.source:bm-msc"),
        ("ev_source", "hUC-MSC-EVs", "evkg.source:uc-msc"),
        ("route", "intranasally", "evkg.route:intranasal"),
        ("species", "Mus musculus", "ncbitaxon:10090"),
        ("species", "rats", "ncbitaxon:10116"),
        ("modification", "3D culture", "evkg.mod:3d-culture"),
        ("modification", "hypoxia-pretreated", "evkg.mod:hypoxia-preconditioning"),
    ],
)
def test_other_normalisers(vocabulary: Vocabulary, kind: str, text: str, curie: str) -> None:
    match = getattr(vocabulary, kind)(text)
    assert match is not None, text
    assert match.curie == curie


def test_model_normaliser_finds_uuo(vocabulary: Vocabulary) -> None:
    models = list(vocabulary.lexicon.of_kind(EntityKind.MODEL))
    assert models, "the shipped vocabulary defines disease models"
    model = models[0]
    match = vocabulary.model(model.label.upper())
    assert match is not None
    assert match.curie == model.curie


def test_unknown_names_give_none_and_fuzzy_suggestions(vocabulary: Vocabulary) -> None:
    assert vocabulary.disease("rheumatoid arthritiss") is None
    suggestions = vocabulary.search("rheumatoid arthritiss", kinds=[EntityKind.DISEASE])
    assert suggestions
    assert suggestions[0].label == "rheumatoid arthritis"
    assert "fuzzy" in suggestions[0].flags


def test_search_puts_exact_hit_first(vocabulary: Vocabulary) -> None:
    results = vocabulary.search("miR-150-5p")
    assert results[0].how == "grammar"
    assert vocabulary.lexicon.label(results[0].curie) == "hsa-miR-150-5p"


def test_fold_name_is_case_greek_and_punctuation_insensitive() -> None:
    assert fold_name("NF-κB") == fold_name("nf kappa b".replace("kappa ", "k")) == "nfkb"
    assert fold_name("TGF-β1") == fold_name("tgfb1")


@pytest.mark.reference_data
def test_full_vocabulary_prefers_disease_ontology_ids(data_dir: Path, tmp_path: Path) -> None:
    from evkg.vocab import load_vocabulary

    vocabulary = load_vocabulary(data_dir, cache_dir=tmp_path)
    aki = vocabulary.disease("acute kidney injury")
    assert aki is not None
    assert aki.curie == "doid:3021"  # MeSH's preferred name, mapped to the DO term claims use
    assert vocabulary.disease("Rheumatoid Arthritis").curie == "doid:7148"  # type: ignore[union-attr]
    # terms only the full data knows
    assert vocabulary.gene("Trp53").label == "TP53"  # type: ignore[union-attr]
    assert vocabulary.mirna("hsa-miR-4454").label == "hsa-miR-4454"  # type: ignore[union-attr]
    # evkg's own vocabulary survives the merge
    assert vocabulary.ev_source("BMSC").curie == "evkg.source:bm-msc"  # type: ignore[union-attr]


def test_a_misleading_synonym_is_withdrawn_from_one_identity_only() -> None:
    from evkg.vocab.lexicon import Lexicon, LexiconEntry

    lexicon = Lexicon.from_entries(
        [
            LexiconEntry("mondo:1", EntityKind.DISEASE, "severe reaction", ("SCAR", "scarring")),
            LexiconEntry("mesh:2", EntityKind.DISEASE, "Cicatrix", ("Scar",)),
        ]
    )
    lexicon.withdraw("mondo:1", ["Scar", "scarring"])
    assert lexicon.get("mondo:1").synonyms == ()  # type: ignore[union-attr]
    assert [c for c, _how in lexicon.lookup("scar")] == ["mesh:2"]
    assert lexicon.lookup("scarring") == []
    assert [c for c, _how in lexicon.lookup("severe reaction")] == ["mondo:1"]
    lexicon.withdraw("unknown:3", ["x"])  # nothing to take off


@pytest.mark.reference_data
def test_the_shipped_withdrawals_apply_to_the_full_vocabularies(data_dir: Path) -> None:
    from evkg.vocab import load_vocabulary

    vocabulary = load_vocabulary(data_dir)
    assert "mondo:0005594" not in [c for c, _ in vocabulary.lexicon.lookup("scarring")]
    assert "mesh:D002921" in [c for c, _ in vocabulary.lexicon.lookup("scar")]
    path = resources.files("evkg") / "data" / "vocab" / "withdrawn_names.yaml"
    for row in yaml.safe_load(path.read_text(encoding="utf-8")):
        entry = vocabulary.lexicon.get(row["id"])
        assert entry is not None, row  # a withdrawal names an identity the data holds
        left = {fold_name(n) for n in entry.synonyms}
        assert not left & {fold_name(n) for n in row["names"]}, row


@pytest.mark.reference_data
@pytest.mark.parametrize(
    ("name", "symbol"),
    [("p65", "RELA"), ("p21", "CDKN1A"), ("p27", "CDKN1B"), ("p38", "MAPK14"), ("COX2", "PTGS2")],
)
def test_a_shipped_protein_name_names_its_gene_only(data_dir: Path, name: str, symbol: str) -> None:
    """HGNC gives "p65" to SYT1, WNK1 and GORASP1 as well as RELA, "p21" to TCEAL1: in
    papers these are the shipped protein names' genes."""
    from evkg.vocab import load_vocabulary

    lexicon = load_vocabulary(data_dir).lexicon
    assert [lexicon.label(c) for c, _ in lexicon.lookup(name, [EntityKind.GENE])] == [symbol]
