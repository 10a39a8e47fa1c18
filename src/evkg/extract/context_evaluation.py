"""Scoring the EV context of mined claims (the vesicles' source, their modifications and the
donor state of the source cells) on a test set of sentences written for the purpose.

The shipped set (``evkg/data/evaluation/ev_context.tsv``) holds sentences in evkg's own
words, modelled on how MSC-EV abstracts name their vesicles: short forms of the source
(``hUCMSCs``, ``BMSC-Exos``, ``hPMSCs``), spelt-out tissue forms, preconditioning
(hypoxia, LPS, cytokine priming, drug pre-treatment), engineering (overexpression,
knock-down, loading) and donor state (aged, young, diabetic donors), plus plain sentences
whose model, toxin or injury words (``hypoxia-induced``, ``aged rats``) prepare nothing.

Each row gives what the claims of its sentence should carry; every sentence goes through
the whole extractor, and the claims read are those made about the vesicles (with an EV
source in their context), so the score is the one mining gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evkg.extract._case_sets import case_rows
from evkg.extract.direction_evaluation import DirectionDocument
from evkg.extract.evaluation import Score
from evkg.extract.pipeline import Extractor
from evkg.recordfiles import RecordFileError

__all__ = ["CONTEXT_SET", "ContextCase", "read_context_cases", "score_context"]

#: The test set evkg ships.
CONTEXT_SET = "ev_context.tsv"
_COLUMNS = ("pattern", "source", "modifications", "donor", "sentence")
_NONE = "-"
_PREFIXES = {"source": "evkg.source:", "modifications": "evkg.mod:"}


@dataclass(frozen=True, slots=True)
class ContextCase:
    """What the claims of ``sentence`` should carry in their context."""

    line: int
    pattern: str
    source: str
    modifications: frozenset[str]
    donor: str | None
    sentence: str


def read_context_cases(path: Path | None = None) -> list[ContextCase]:
    """The cases of a context test set (tab-separated, ``#`` comments, a header row with the
    columns pattern, source, modifications, donor, sentence); the shipped set by default.

    :raises RecordFileError: a row with a missing column, an empty cell, or a term outside
        the evkg.source / evkg.mod vocabularies, naming the file, line and field.
    """
    cases: list[ContextCase] = []
    for where, number, row in case_rows(
        path, CONTEXT_SET, _COLUMNS, empty_hint=f" (write {_NONE!r} for none)"
    ):
        modifications = (
            frozenset()
            if row["modifications"] == _NONE
            else frozenset(part.strip() for part in row["modifications"].split(","))
        )
        for name, terms in (("source", {row["source"]}), ("modifications", modifications)):
            for term in terms:
                if not term.startswith(_PREFIXES[name]):
                    raise RecordFileError(
                        where, number, name, f"{term!r} is not an {_PREFIXES[name]} term"
                    )
        cases.append(
            ContextCase(
                number,
                row["pattern"],
                row["source"],
                modifications,
                None if row["donor"] == _NONE else row["donor"],
                row["sentence"],
            )
        )
    return cases


def score_context(extractor: Extractor, cases: Sequence[ContextCase] | None = None) -> list[Score]:
    """Precision and recall of the EV source, the modifications and the donor state that
    the claims of each sentence carry (one score per field, over all cases).

    Per sentence, the values read are those of its claims about the vesicles; each expected
    value found is a true positive, each other value read a false positive, each expected
    value not read a false negative (a sentence with no claim misses its source).

    :raises RecordFileError: a case naming a term the vocabulary does not have.
    """
    cases = read_context_cases() if cases is None else cases
    lexicon = extractor.vocabulary.lexicon
    scores = {
        "source": Score("EV source"),
        "modifications": Score("modifications"),
        "donor": Score("donor state"),
    }
    for case in cases:
        for name, terms in (("source", {case.source}), ("modifications", case.modifications)):
            for term in terms:
                if lexicon.get(term) is None:
                    raise RecordFileError(
                        f"context set: {case.pattern}", case.line, name, f"unknown term {term!r}"
                    )
        document = DirectionDocument.of(case.line, case.sentence)
        contexts = [
            claim.context
            for claim, _ in extractor.extract(document).statements
            if claim.context.ev_source
        ]
        read = {
            "source": {c.ev_source for c in contexts if c.ev_source},
            "modifications": {m for c in contexts for m in c.modifications},
            "donor": {c.donor_state for c in contexts if c.donor_state},
        }
        expected = {
            "source": {case.source},
            "modifications": set(case.modifications),
            "donor": {case.donor} if case.donor else set(),
        }
        for name, score in scores.items():
            score.add(expected[name], read[name])
            if read[name] != expected[name]:
                score.errors.append(
                    f"line {case.line} ({case.pattern}): expected "
                    f"{', '.join(sorted(expected[name])) or 'none'}, read "
                    f"{', '.join(sorted(read[name])) or 'none'}: {case.sentence}"
                )
    return list(scores.values())
