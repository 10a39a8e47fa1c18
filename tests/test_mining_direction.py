"""Outcome direction: the shipped test set of sentences, its scoring, and the readings of
disease-model, injury and toxin wording, negation, comparison and loss of function."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli
from evkg.extract.direction_evaluation import (
    DirectionCase,
    DirectionDocument,
    read_direction_cases,
    score_direction,
)
from evkg.extract.pipeline import Extractor
from evkg.recordfiles import RecordFileError
from evkg.vocab import load_vocabulary

_HEADER = "pattern\tagent\tdisease\texpected\tsentence\n"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def test_shipped_set_covers_every_pattern() -> None:
    cases = read_direction_cases()
    patterns = Counter(case.pattern for case in cases)
    assert len(cases) >= 60
    assert {"model", "negation", "comparison", "loss_of_function"} <= set(patterns)
    assert min(patterns[p] for p in ("model", "negation", "comparison", "loss_of_function")) >= 15


def test_shipped_set_expects_every_reading() -> None:
    expected = Counter(case.expected for case in read_direction_cases())
    assert {"treats", "worsens", "no_effect_on"} <= set(expected)


@pytest.mark.parametrize(
    ("content", "line", "field"),
    [
        ("pattern\tagent\n", 1, None),
        (_HEADER + "model\tEV\tcolitis\tcures\tEVs cured colitis.\n", 2, "expected"),
        (_HEADER + "# comment\nmodel\tEV\tcolitis\ttreats\n", 3, None),
        (_HEADER + "model\t\tcolitis\ttreats\tEVs cured colitis.\n", 2, "agent"),
    ],
)
def test_bad_rows_name_line_and_field(
    tmp_path: Path, content: str, line: int, field: str | None
) -> None:
    path = tmp_path / "set.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecordFileError) as raised:
        read_direction_cases(path)
    assert (raised.value.line, raised.value.field) == (line, field)


def test_unknown_disease_is_an_error(extractor: Extractor) -> None:
    case = DirectionCase(7, "model", "EV", "no such illness", "treats", "EVs helped.")
    with pytest.raises(RecordFileError, match="no such illness"):
        score_direction(extractor, [case])


def test_scoring_counts_right_wrong_missed_and_none(extractor: Extractor) -> None:
    sentence = "MSC exosomes attenuated acute liver failure in mice."
    cases = [
        DirectionCase(1, "p", "EV", "acute liver failure", "treats", sentence),  # right
        DirectionCase(2, "p", "EV", "acute liver failure", "worsens", sentence),  # wrong
        DirectionCase(3, "p", "EV", "colitis", "treats", sentence),  # missed
        DirectionCase(4, "p", "EV", "colitis", "none", sentence),  # right: nothing read
        DirectionCase(5, "p", "EV", "acute liver failure", "none", sentence),  # wrong
    ]
    overall = score_direction(extractor, cases)[-1]
    assert (overall.tp, overall.fp, overall.fn) == (2, 2, 2)
    assert [e.split(" ", 2)[1] for e in overall.errors] == ["2", "3", "5"]


def test_direction_accuracy_on_the_shipped_set(extractor: Extractor) -> None:
    scores = {s.name.rsplit(", ", 1)[1]: s for s in score_direction(extractor)}
    assert scores["all patterns"].recall >= 0.85, scores["all patterns"].errors
    assert scores["all patterns"].precision >= 0.9
    for pattern in ("model", "negation", "comparison", "loss_of_function"):
        assert scores[pattern].recall >= 0.75, scores[pattern].errors


def test_eval_extract_direction_only_runs_without_data() -> None:
    result = CliRunner().invoke(
        cli, ["--format", "json", "eval", "extract", "--direction-only", "--errors", "3"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    (title,) = [t for t in report if t.startswith("Outcome direction")]
    assert len(report) == 2  # and the EV context set (tests/test_mining_sources.py)
    rows = {row["score"]: row for row in report[title]}
    assert rows["outcome direction, all patterns"]["gold"] == len(read_direction_cases())


def test_eval_extract_names_a_missing_direction_set(tmp_path: Path) -> None:
    missing = tmp_path / "absent.tsv"
    result = CliRunner().invoke(
        cli, ["eval", "extract", "--direction-only", "--direction-set", str(missing)]
    )
    assert result.exit_code != 0
    assert "absent.tsv" in result.output


_HELD_OUT = Path(__file__).parent / "fixtures" / "mining" / "outcome_direction_heldout.tsv"


def test_direction_accuracy_on_sentences_not_tuned_on(extractor: Extractor) -> None:
    overall = score_direction(extractor, read_direction_cases(_HELD_OUT))[-1]
    assert overall.recall >= 0.9, overall.errors


def _claims(extractor: Extractor, sentence: str) -> set[tuple[str, str, str]]:
    label = extractor.vocabulary.lexicon.label
    document = DirectionDocument.of(1, sentence)
    return {
        (label(c.subject), c.predicate.value, label(c.object))
        for c, _ in extractor.extract(document).statements
    }


def test_the_inducer_of_a_model_is_not_credited(extractor: Extractor) -> None:
    claims = _claims(extractor, "MSC-EVs markedly reduced doxorubicin-induced cardiotoxicity.")
    assert ("MSC", "treats", "Cardiotoxicity") in claims
    assert not any(subject == "doxorubicin" for subject, _, _ in claims)


def test_the_comparator_is_not_credited(extractor: Extractor) -> None:
    claims = _claims(extractor, "MSC exosomes outperformed dexamethasone in alleviating asthma.")
    assert claims == {("MSC", "treats", "asthma")}


def test_anti_mirna_is_a_loss_of_function_of_the_mirna(extractor: Extractor) -> None:
    sentence = (
        "Anti-miR-21 blocked the cardioprotection conferred by MSC-EVs in myocardial infarction."
    )
    outcomes = {(s, p) for s, p, o in _claims(extractor, sentence) if o == "myocardial infarction"}
    assert outcomes == {("hsa-miR-21-5p", "treats"), ("MSC", "treats")}
