"""Scoring the direction of outcome claims (agent → disease: treats, worsens, no effect) on a
test set of sentences written for the purpose.

The shipped set (``evkg/data/evaluation/outcome_direction.tsv``) holds sentences in evkg's
own words, modelled on the wording of MSC-EV abstracts that misleads a reader of trigger
words: disease-model, injury and toxin wording (``attenuated LPS-induced lung injury``),
negation (``did not improve``, and its false friends ``not only``), comparison (``less
severe``, ``more effective than``) and loss of function (``knockdown of miR-X abolished the
protection``: the cargo is necessary, the vesicles stay beneficial), plus plain sentences.

Each row names one agent (``EV`` for the vesicles, credited to their source, or a cargo
name), one disease and the reading a curator gives; a sentence may have several rows. Every
sentence goes through the whole extractor, so the score is the one mining gets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evkg.extract._case_sets import case_rows
from evkg.extract.evaluation import Score
from evkg.extract.pipeline import Extractor
from evkg.model import Claim, Predicate
from evkg.recordfiles import RecordFileError
from evkg.vocab import Vocabulary

__all__ = [
    "DIRECTION_SET",
    "DirectionCase",
    "DirectionDocument",
    "agent_key",
    "read_direction_cases",
    "score_direction",
]

#: The test set evkg ships.
DIRECTION_SET = "outcome_direction.tsv"
_COLUMNS = ("pattern", "agent", "disease", "expected", "sentence")
_EXPECTED = {"treats", "worsens", "no_effect_on", "none"}
#: Readings of an agent → disease claim (an association is a reading too: a wrong one).
_READINGS = {
    Predicate.TREATS,
    Predicate.WORSENS,
    Predicate.NO_EFFECT_ON,
    Predicate.ASSOCIATED_WITH,
}
_SPECIES_PREFIX = re.compile(r"^[a-z]{3,4}-(?=(?:mir|let|lin)-)", re.IGNORECASE)
_ARM = re.compile(r"-[35]p$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DirectionCase:
    """One expected reading: ``agent`` → ``disease`` is ``expected`` in ``sentence``."""

    line: int
    pattern: str
    agent: str
    disease: str
    expected: str
    sentence: str


@dataclass(frozen=True, slots=True)
class _Section:
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class DirectionDocument:
    """A test sentence as a one-section document, as the extractor reads it."""

    id: str
    sections: tuple[_Section, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, line: int, sentence: str) -> DirectionDocument:
        return cls(f"evkg.ref:direction-{line}", (_Section("Abstract", sentence),))


def read_direction_cases(path: Path | None = None) -> list[DirectionCase]:
    """The cases of a direction test set (tab-separated, ``#`` comments, a header row with
    the columns pattern, agent, disease, expected, sentence); the shipped set by default.

    :raises RecordFileError: a row with a missing column or an unknown expected reading,
        naming the file, line and field.
    """
    cases: list[DirectionCase] = []
    for where, number, row in case_rows(path, DIRECTION_SET, _COLUMNS):
        if row["expected"] not in _EXPECTED:
            raise RecordFileError(
                where, number, "expected", f"{row['expected']!r} is not one of {sorted(_EXPECTED)}"
            )
        cases.append(DirectionCase(number, **row))
    return cases


def agent_key(name: str) -> str:
    """A cargo's name compared without species or arm: ``hsa-miR-146a-5p`` and ``miR-146a``
    are one agent for the direction score (names have a test set of their own).

    >>> agent_key("rno-miR-146a-5p"), agent_key("let-7c"), agent_key("TSG-6")
    ('mir-146a', 'let-7c', 'tsg-6')
    """
    return _ARM.sub("", _SPECIES_PREFIX.sub("", name.strip())).lower()


def _within(vocabulary: Vocabulary, disease: str, expected: set[str]) -> bool:
    """Is ``disease`` one of ``expected`` or up to two steps below one of them?"""
    canonical = vocabulary.canonical_disease(disease)
    return bool(({canonical} | vocabulary.diseases.near(canonical)) & expected)


def score_direction(
    extractor: Extractor, cases: Sequence[DirectionCase] | None = None
) -> list[Score]:
    """Direction scores per pattern and over all cases.

    The disease is the vocabulary's reading of its name and the recogniser's (the two can
    differ, as "glioma" does), or a narrower disease up to two steps below it (the full
    vocabularies read "metastatic prostate cancer" whole): the score is about direction, not
    disease identity.
    A case is right when the agent's claims on the disease read exactly as expected (for
    ``none``: there are none), missed when there are none, and wrong otherwise (another
    reading, or two readings at once). ``tp`` counts right cases, ``fp`` wrong ones and
    ``fn`` wrong and missed ones: recall is the direction accuracy over all cases, precision
    the accuracy over the cases the extractor read.

    :raises RecordFileError: a case whose disease the vocabulary does not know.
    """
    cases = read_direction_cases() if cases is None else cases
    vocabulary = extractor.vocabulary
    label = vocabulary.lexicon.label
    readings: dict[str, list[Claim]] = {}
    overall = Score("outcome direction, all patterns")
    by_pattern: dict[str, Score] = {}
    for case in cases:
        match = vocabulary.disease(case.disease)
        if match is None:
            raise RecordFileError(
                f"direction set: {case.pattern}", case.line, "disease", f"unknown {case.disease!r}"
            )
        diseases = {vocabulary.canonical_disease(c) for c in match.curies} | {
            vocabulary.canonical_disease(m.curie)
            for m in extractor.recognizer.mentions(case.disease)
            if m.kind == "disease" and m.curie
        }
        if case.sentence not in readings:
            document = DirectionDocument.of(case.line, case.sentence)
            readings[case.sentence] = [
                claim
                for claim, _ in extractor.extract(document).statements
                if claim.predicate in _READINGS
            ]
        found = sorted(
            {
                claim.predicate.value
                for claim in readings[case.sentence]
                if _within(vocabulary, claim.object, diseases)
                and _is_agent(case.agent, claim.subject, label)
            }
        )
        expected = [] if case.expected == "none" else [case.expected]
        score = by_pattern.setdefault(case.pattern, Score(f"outcome direction, {case.pattern}"))
        for counted in (score, overall):
            if found == expected:
                counted.tp += 1
                continue
            counted.fn += 1 if expected else 0
            if found:
                counted.fp += 1
            counted.errors.append(
                f"line {case.line} ({case.pattern}): {case.agent} → {case.disease} expected "
                f"{case.expected}, read {' and '.join(found) or 'nothing'}: {case.sentence}"
            )
    return [*(by_pattern[name] for name in sorted(by_pattern)), overall]


def _is_agent(agent: str, subject: str, label: Callable[[str], str]) -> bool:
    if agent == "EV":
        return subject.startswith("evkg.source:")
    return agent_key(label(subject)) == agent_key(agent)
