"""Cargo form and source respected; families, clusters and other species' names in a profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.analysis import AnalysisResources, analyse_profile
from evkg.analysis.indications import rank_indications
from evkg.analysis.profile import CargoProfile, ProfileItem, normalise_profile
from evkg.analysis.provenance import (
    cargo_form_matches,
    is_engineering,
    is_msc_source,
    provenance,
)
from evkg.analysis.targets import map_targets
from evkg.api import Knowledge, open_knowledge
from evkg.api.analysis import analyze, copy_number_caveats
from evkg.model import (
    CargoType,
    Claim,
    Context,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
)
from evkg.sources.cargo import read_cargo_file
from evkg.store import StoredClaim

CAT = "hgnc:1516"
PARKINSON = "doid:14330"
LABELS = {
    "evkg.source:hek293": "HEK293 cells (engineered)",
    "evkg.source:cardiac-progenitor": "cardiac mesenchymal progenitor cell",
    "evkg.mod:mrna-loading": "mRNA loading",
}


def _label(curie: str) -> str:
    return LABELS.get(curie, curie)


def test_forms_sources_and_engineering() -> None:
    assert cargo_form_matches("gene", CargoType.PROTEIN)
    assert cargo_form_matches("gene", None)  # form not recorded: counts
    assert not cargo_form_matches("gene", CargoType.MRNA)
    assert not cargo_form_matches("mirna", CargoType.SIRNA)
    assert cargo_form_matches("cargo", CargoType.DRUG)
    assert is_msc_source("evkg.source:bm-msc")
    assert is_msc_source("evkg.source:menstrual-blood-stromal")
    assert is_msc_source("evkg.source:cardiac-progenitor", _label)  # mesenchymal, by label
    assert not is_msc_source("evkg.source:hek293", _label)
    assert is_engineering("evkg.mod:gene-overexpression")
    assert is_engineering("evkg.mod:mrna-loading")
    assert not is_engineering("evkg.mod:hypoxia-preconditioning")
    origin = provenance(
        Context(ev_source="evkg.source:hek293", modifications=("evkg.mod:mrna-loading",)), _label
    )
    assert origin.factor == pytest.approx(0.25)
    assert origin.note == "EVs of HEK293 cells (engineered), not MSCs; engineered EVs: mRNA loading"
    assert provenance(Context(ev_source="evkg.source:uc-msc"), _label).note == ""


def _treats(cargo_type: CargoType, source: str, *mods: str) -> StoredClaim:
    claim = Claim(
        subject=CAT,
        predicate=Predicate.TREATS,
        object=PARKINSON,
        context=Context(
            disease=PARKINSON, ev_source=source, cargo_type=cargo_type, modifications=mods
        ),
    )
    evidence = Evidence(
        claim_hash=claim.hash,
        reference="pubmed:1",
        quote="test",
        method=EvidenceMethod.CURATED,
        level=EvidenceLevel.IN_VIVO,
        confidence=0.9,
    )
    return StoredClaim(claim.hash, claim, (evidence,), (), 1, "in_vivo", 0.9, 2020)


def _catalase() -> CargoProfile:
    return CargoProfile("p", "hsa", (ProfileItem(CAT, "CAT", "gene", 1.0, "CAT"),))


def test_protein_in_a_profile_does_not_match_mrna_evidence() -> None:
    profile = _catalase()
    mrna = _treats(CargoType.MRNA, "evkg.source:hek293", "evkg.mod:mrna-loading")
    targets = map_targets(profile, tiers=("self",))
    assert rank_indications(profile, [mrna], targets, label=_label) == []
    result = analyse_profile(profile, AnalysisResources(genes=None), [mrna], label=_label)
    (known,) = result.known_cargo
    assert known.n_claims == 0
    assert known.other_forms == (f"mRNA: {PARKINSON}",)


def test_non_msc_and_engineered_evidence_weighs_less_and_says_so() -> None:
    profile = _catalase()
    targets = map_targets(profile, tiers=("self",))
    plain = rank_indications(
        profile, [_treats(CargoType.PROTEIN, "evkg.source:bm-msc")], targets, label=_label
    )
    other = rank_indications(
        profile, [_treats(CargoType.PROTEIN, "evkg.source:hek293")], targets, label=_label
    )
    assert other[0].score == pytest.approx(plain[0].score / 2, abs=1e-3)
    assert "not MSCs" in other[0].contributions[0].explanation
    assert "not MSCs" not in plain[0].contributions[0].explanation
    result = analyse_profile(
        profile,
        AnalysisResources(genes=None),
        [_treats(CargoType.PROTEIN, "evkg.source:hek293")],
        label=_label,
    )
    assert result.known_cargo[0].caveats == ("EVs of HEK293 cells (engineered), not MSCs",)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'evkg.sqlite'}"
    return open_knowledge(database_url=url)


def test_the_copy_number_caveat_comes_with_every_mirna_analysis(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    (caveat,) = copy_number_caveats(knowledge)
    assert "Albanese M et al. (2021) PLoS Genet" in caveat
    assert "minor constituents" in caveat
    mirnas = tmp_path / "mirnas.txt"
    mirnas.write_text("hsa-miR-146a-5p\nhsa-miR-21-5p\n")
    proteins = tmp_path / "proteins.txt"
    proteins.write_text("CAT\nVEGFA\n")
    resources = AnalysisResources(genes=None)
    assert caveat in analyze(mirnas, knowledge=knowledge, resources=resources).notes
    assert caveat not in analyze(proteins, knowledge=knowledge, resources=resources).notes


@pytest.mark.reference_data
def test_families_clusters_and_rodent_names_in_a_human_list(data_dir: Path, tmp_path: Path) -> None:
    from evkg.vocab import load_vocabulary

    vocabulary = load_vocabulary(data_dir)
    names = tmp_path / "names.csv"
    names.write_text("name,count\nmiR-200 family,50\nmiR-17-92 cluster,20\nmmu-miR-21a-5p,30\n")
    profile, report = normalise_profile(read_cargo_file(names), vocabulary, species="hsa")
    shares = {item.label: item.abundance for item in profile.items}
    family = [m for m in report.matched if m.input_name == "miR-200 family"]
    assert {m.label for m in family} >= {"hsa-miR-200a-3p", "hsa-miR-141-3p", "hsa-miR-429"}
    assert all("family_member:miR-200 family" in m.flags for m in family)
    assert sum(shares[m.label] for m in family) == pytest.approx(0.5)  # the row's share, split
    cluster = [m for m in report.matched if m.input_name == "miR-17-92 cluster"]
    assert {m.label for m in cluster} >= {"hsa-miR-17-5p", "hsa-miR-92a-3p"}
    (mouse,) = [m for m in report.matched if m.input_name == "mmu-miR-21a-5p"]
    assert mouse.label == "hsa-miR-21-5p"
    assert "ortholog_of:mmu-miR-21a-5p" in mouse.flags
    assert not report.unmatched
    assert not report.ambiguous  # expansions are flagged matches, not guesses
