"""The evaluation harness: scoring arithmetic, the SCAI reader, and the real figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli
from evkg.extract.evaluation import CorpusError, Score, read_scai, score_scai

_SCAI = """<?xml version="1.0"?>
<corpus source="test">
 <document id="d0" origId="1">
  <sentence id="d0.s0" text="miR-21 directly targets PTEN in glioma cells.">
   <entity charOffset="0-5" id="d0.s0.e0" text="miR-21" type="Specific_miRNAs"/>
   <entity charOffset="24-27" id="d0.s0.e1" text="PTEN" type="Genes/Proteins"/>
   <pair e1="d0.s0.e0" e2="d0.s0.e1" id="d0.s0.p0" interaction="True"
         type="Specific_miRNAs-Genes/Proteins"/>
  </sentence>
  <sentence id="d0.s1" text="We measured miR-155 and, in other patients, TP53 mutations.">
   <entity charOffset="12-18" id="d0.s1.e0" text="miR-155" type="Specific_miRNAs"/>
   <entity charOffset="44-47" id="d0.s1.e1" text="TP53" type="Genes/Proteins"/>
   <pair e1="d0.s1.e0" e2="d0.s1.e1" id="d0.s1.p0" interaction="False"
         type="Specific_miRNAs-Genes/Proteins"/>
  </sentence>
 </document>
</corpus>
"""


def test_score_arithmetic() -> None:
    score = Score("x")
    score.add({1, 2, 3}, {2, 3, 4, 5})
    assert (score.tp, score.fp, score.fn) == (2, 2, 1)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(4 / 7)
    assert Score("empty").f1 == 0.0


def test_scai_reader_and_scoring(tmp_path: Path) -> None:
    path = tmp_path / "scai.xml"
    path.write_text(_SCAI, encoding="utf-8")
    sentences = read_scai(path)
    assert sentences[0].entities["d0.s0.e0"][:2] == (0, 6)  # inclusive end made exclusive
    scores = {s.name: s for s in score_scai(sentences, None)}
    mirna = scores["entity Specific_miRNAs (exact span)"]
    assert (mirna.tp, mirna.fp, mirna.fn) == (2, 0, 0)
    relation = scores["relation Specific_miRNAs–Genes/Proteins"]
    assert (relation.tp, relation.fp, relation.fn) == (1, 0, 0)
    bad = tmp_path / "bad.xml"
    bad.write_text("<corpus><sentence", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.xml"):
        read_scai(bad)


@pytest.mark.reference_data
def test_scai_mirna_mentions_meet_the_target(data_dir: Path) -> None:
    path = data_dir / "corpora" / "scai_mirna_bagewadi2014" / "miRNA-Train-Corpus.xml"
    scores = {s.name: s for s in score_scai(read_scai(path), None)}
    assert scores["entity Specific_miRNAs (exact span)"].f1 >= 0.95


@pytest.mark.slow
@pytest.mark.reference_data
def test_eval_extract_command(data_dir: Path, review_text: str) -> None:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data_dir), "--format", "json", "eval", "extract"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report) == 3
    review = next(v for k, v in report.items() if k.startswith("Founding review"))
    assert {row["score"] for row in review} == {
        "cargo–disease pairs",
        "cargo–target pairs",
        "EV source–disease pairs",
    }
    assert all(row["gold"] > 0 for row in review)
    assert review_text  # the fixture guarantees the review is there
