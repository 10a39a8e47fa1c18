"""Mining scored against the curated studies of the same papers, and the SCAI corpus's
miRNA–disease pairs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.api._mining_work import MiningError, WorkerConfig, _extractor
from evkg.api.study_eval import (
    _match_arms,
    _match_diseases,
    _match_groups,
    _named_in,
    _Pairs,
    evaluate_study_texts,
)
from evkg.cli import cli
from evkg.extract.evaluation import read_scai, score_scai
from evkg.extract.pipeline import Extractor

_TEXTS = Path(__file__).parent / "fixtures" / "study_texts"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return _extractor(WorkerConfig(None))


def test_texts_scored_against_their_curated_study(extractor: Extractor) -> None:
    run = evaluate_study_texts(extractor, _TEXTS)
    scores = {s.name: s for s in run.scores}
    assert (run.texts, run.scored, run.without_study) == (2, 1, ["99999999.txt"])
    # PMID 30736829: hypoxic BMSC exosomes carry miR-21-5p, which lowers PTEN, RECK, PDCD4
    assert (scores["EV → cargo"].tp, scores["EV → cargo"].fp) == (1, 0)
    target = scores["cargo → target"]
    assert (target.tp, target.fn) == (1, 2)
    assert any("RECK" in e for e in target.errors)
    assert scores["EV source"].tp == 1
    assert (scores["modification"].tp, scores["modification"].fp) == (1, 0)
    assert scores["cargo → target: direction of the pairs found"].tp == 1
    # the colitis text names no curated study: none of its claims is scored
    assert not any("colitis" in e for s in run.scores for e in s.errors)
    assert scores["mined cargo named in the text (fp: invented cargo)"].fp == 0


def test_a_disease_two_steps_away_is_the_studys(extractor: Extractor) -> None:
    expected, mined = _Pairs(), _Pairs()
    expected.add("EV → disease", ("1", "doid:child"), "treats")
    mined.add("EV → disease", ("1", "doid:grandparent"), "treats")
    mined.add("EV → disease", ("1", "doid:unrelated"), "worsens")
    mined.add("EV → disease", ("1", "doid:top"), "worsens")
    parents = {
        "doid:child": frozenset({"doid:parent"}),
        "doid:parent": frozenset({"doid:grandparent"}),
        "doid:grandparent": frozenset({"doid:top"}),
    }
    _match_diseases(mined, expected, lambda c: parents.get(c, frozenset()))
    found = mined.by_type["EV → disease"]
    assert found == {("1", "doid:child"), ("1", "doid:unrelated"), ("1", "doid:top")}
    assert mined.direction[("1", "doid:child")] == {"treats"}


def test_an_armless_mirna_matches_the_study_s_mirna_of_either_arm() -> None:
    """Mined under miRBase's dominant arm because the text gives none, "miR-101a" is the
    study's miR-101a-5p; a miRNA the text gave an arm keeps it."""
    expected, mined = _Pairs(), _Pairs()
    expected.add("cargo → disease", ("1", "miR-101a-5p", "doid:5844"), "treats")
    expected.add("EV → cargo", ("1", "miR-21-5p"))
    mined.add("cargo → disease", ("1", "miR-101a-3p", "doid:5844"), "treats")
    mined.add("EV → cargo", ("1", "miR-21-3p"))
    _match_arms(mined, expected, armless={"miR-101a-3p"})
    assert mined.by_type["cargo → disease"] == {("1", "miR-101a-5p", "doid:5844")}
    assert mined.direction[("1", "miR-101a-5p", "doid:5844")] == {"treats"}
    assert mined.by_type["EV → cargo"] == {("1", "miR-21-3p")}  # its arm was written


def test_invented_cargo_is_a_name_the_text_never_wrote(extractor: Extractor) -> None:
    lexicon = extractor.vocabulary.lexicon
    mir21 = next(c for c, e in lexicon.entries.items() if e.label == "hsa-miR-21-5p")
    assert _named_in(mir21, "Exosomal microRNA-21 lowered PTEN.", extractor)
    assert _named_in(mir21, "EVs rich in miR-21 were given.", extractor)
    assert not _named_in(mir21, "EVs rich in miR-210 were given.", extractor)
    assert not _named_in(mir21, "EVs rich in miR-214 and miR-2 were given.", extractor)
    pten = next(c for c, e in lexicon.entries.items() if e.label == "PTEN")
    assert _named_in(pten, "PTEN fell.", extractor)
    assert not _named_in(pten, "PTENP1 fell.", extractor)
    # a later member of a list that writes the stem once
    assert _named_in(mir21, "EVs rich in miR-146a, -23a, and -21 were given.", extractor)
    assert not _named_in(mir21, "EVs rich in miR-146a, -23a, and -210 were given.", extractor)
    assert not _named_in(mir21, "EVs rich in miR-146a were given to 21 mice.", extractor)
    family = "evkg.mirna_family:mir-181"
    assert _named_in(family, "Exosomal miR-181 lowered Bcl-2.", extractor)


def test_a_family_mined_as_such_matches_the_study_s_member() -> None:
    expected, mined = _Pairs(), _Pairs()
    expected.add("cargo → disease", ("1", "miR-181a-5p", "doid:x"), "treats")
    mined.add("cargo → disease", ("1", "evkg.mirna_family:mir-181", "doid:x"), "treats")
    members = {"evkg.mirna_family:mir-181": ("miR-181a", "miR-181b")}
    _match_groups(mined, expected, lambda c: members.get(c, ()))
    assert mined.by_type["cargo → disease"] == {("1", "miR-181a-5p", "doid:x")}


def test_eval_extract_texts_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "extract", "--texts", str(_TEXTS), "--errors", "3"])
    assert result.exit_code == 0, result.output
    assert "1 of 2 texts scored" in result.output
    assert "missed PMID 30736829" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli, ["eval", "extract", "--texts", str(empty)])
    assert result.exit_code != 0
    assert "no .txt or .md files" in result.output
    assert "Traceback" not in result.output


def test_a_text_that_cannot_be_read_is_named(extractor: Extractor, tmp_path: Path) -> None:
    shutil.copy(_TEXTS / "30736829.txt", tmp_path / "30736829.txt")
    (tmp_path / "30736829.txt.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(MiningError, match="30736829"):
        evaluate_study_texts(extractor, tmp_path)


_SCAI_DISEASE = """<?xml version="1.0"?>
<corpus source="test">
 <document id="d0" origId="1">
  <sentence id="d0.s0" text="miR-34a suppressed tumour growth in glioma.">
   <entity charOffset="0-6" id="d0.s0.e0" text="miR-34a" type="Specific_miRNAs"/>
   <entity charOffset="36-41" id="d0.s0.e1" text="glioma" type="Diseases"/>
   <pair e1="d0.s0.e0" e2="d0.s0.e1" id="d0.s0.p0" interaction="True"
         type="Specific_miRNAs-Diseases"/>
  </sentence>
  <sentence id="d0.s1" text="We measured miR-155 in blood; separately, asthma was common.">
   <entity charOffset="12-18" id="d0.s1.e0" text="miR-155" type="Specific_miRNAs"/>
   <entity charOffset="42-47" id="d0.s1.e1" text="asthma" type="Diseases"/>
   <pair e1="d0.s1.e0" e2="d0.s1.e1" id="d0.s1.p0" interaction="False"
         type="Specific_miRNAs-Diseases"/>
  </sentence>
 </document>
</corpus>
"""


def test_scai_mirna_disease_pairs_are_scored(tmp_path: Path) -> None:
    path = tmp_path / "scai.xml"
    path.write_text(_SCAI_DISEASE, encoding="utf-8")
    scores = {s.name: s for s in score_scai(read_scai(path), None, learned=False)}
    disease = scores["relation Specific_miRNAs–Diseases (rules)"]
    assert (disease.tp, disease.fp, disease.fn) == (1, 0, 0)
    assert scores["relation miRNAs (any)–Diseases (rules)"].tp == 1
