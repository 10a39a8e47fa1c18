"""The evaluation harness: scoring arithmetic, the SCAI reader, and the real figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli
from evkg.extract.evaluation import (
    RULES_SPECIFIC,
    CorpusError,
    Score,
    learned_cv_name,
    read_scai,
    score_scai,
    score_scai_file,
)

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
    relation = scores[RULES_SPECIFIC]
    assert (relation.tp, relation.fp, relation.fn) == (1, 0, 0)
    learned = scores[learned_cv_name()]  # one document cannot be cross-validated
    assert (learned.tp, learned.fp, learned.fn) == (0, 0, 0)
    assert learned.errors == ["too few documents for a 10-fold cross-validation"]
    bad = tmp_path / "bad.xml"
    bad.write_text("<corpus><sentence", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.xml"):
        read_scai(bad)


def _corpus(path: Path, documents: range) -> Path:
    """SCAI-format documents, each with one targeting (true) and one unrelated (false) pair."""
    parts = ['<?xml version="1.0"?>', '<corpus source="test">']
    for doc in documents:
        mirna, gene = f"miR-{100 + doc}", f"GENE{doc}"
        parts.append(f'<document id="t.d{doc}">')
        for index, (text, label) in enumerate(
            [
                (f"{mirna} directly targets {gene} in cells of study {doc}.", True),
                (f"{mirna} was measured; in other patients {gene} was sequenced ({doc}).", False),
            ]
        ):
            m, g = text.index(mirna), text.index(gene)
            sid = f"t.d{doc}.s{index}"
            parts.append(
                f'<sentence id="{sid}" text="{text}">'
                f'<entity charOffset="{m}-{m + len(mirna) - 1}" id="{sid}.e0" text="{mirna}"'
                ' type="Specific_miRNAs"/>'
                f'<entity charOffset="{g}-{g + len(gene) - 1}" id="{sid}.e1" text="{gene}"'
                ' type="Genes/Proteins"/>'
                f'<pair e1="{sid}.e0" e2="{sid}.e1" id="{sid}.p0" interaction="{label}"'
                ' type="Specific_miRNAs-Genes/Proteins"/></sentence>'
            )
        parts.append("</document>")
    path.write_text("\n".join([*parts, "</corpus>"]), encoding="utf-8")
    return path


def test_learned_relation_scores_by_cv_and_on_a_held_out_file(tmp_path: Path) -> None:
    train = _corpus(tmp_path / "train.xml", range(12))
    test = _corpus(tmp_path / "test.xml", range(50, 56))
    scores = {s.name: s for s in score_scai(read_scai(train), None, folds=4)}
    cv = scores[learned_cv_name(4)]
    assert cv.tp + cv.fn == 12
    assert cv.f1 >= 0.9
    held_out = {s.name: s for s in score_scai_file(test, train)}
    learned = held_out[
        "relation Specific_miRNAs–Genes/Proteins (learned, trained on the training file only)"
    ]
    assert (learned.tp, learned.fp, learned.fn) == (6, 0, 0)
    assert RULES_SPECIFIC in held_out
    with pytest.raises(CorpusError, match="never scored on its own training data"):
        score_scai_file(train, train)


@pytest.mark.reference_data
def test_scai_mirna_mentions_meet_the_target(data_dir: Path) -> None:
    path = data_dir / "corpora" / "scai_mirna_bagewadi2014" / "miRNA-Train-Corpus.xml"
    scores = {s.name: s for s in score_scai(read_scai(path), None, learned=False)}
    assert scores["entity Specific_miRNAs (exact span)"].f1 >= 0.95
    assert learned_cv_name() not in scores


@pytest.mark.slow
@pytest.mark.reference_data
def test_eval_extract_command(data_dir: Path, review_text: str) -> None:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data_dir), "--format", "json", "eval", "extract"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report) == 5  # direction and EV context sets, two SCAI files, the review
    for title, rows in report.items():
        if title.startswith("SCAI"):
            names = {row["score"]: row for row in rows}
            assert names[learned_cv_name()]["f1"] > names[RULES_SPECIFIC]["f1"]
    review = next(v for k, v in report.items() if k.startswith("Founding review"))
    rows = {row["score"]: row for row in review}
    printed = "{} pairs, as printed (gold resting on a misprint left out)"
    assert set(rows) == {
        "cargo–disease pairs",
        "cargo–target pairs",
        "EV source–disease pairs",
        printed.format("cargo–disease"),
        printed.format("cargo–target"),
    }
    assert all(row["gold"] > 0 for row in review)
    for kind in ("cargo–disease", "cargo–target"):  # fewer gold pairs, the same extraction
        assert 0 < rows[printed.format(kind)]["gold"] < rows[f"{kind} pairs"]["gold"]
        assert rows[printed.format(kind)]["fp"] == rows[f"{kind} pairs"]["fp"]
    assert review_text  # the fixture guarantees the review is there
