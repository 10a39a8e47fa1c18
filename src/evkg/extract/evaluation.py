"""Scoring the extractor against annotated corpora: precision, recall and F1 per entity and
relation type.

The SCAI miRNA corpus (Bagewadi et al. 2014; DDI-style XML, training half) is scored here;
scoring on the founding review lives in :mod:`evkg.api.mining`, which can see the curated
knowledge.

miRNA–gene relations are scored twice on the gold entity pairs: by the relation rules, and by
the learned classifier (:mod:`evkg.extract.regulation`). The learned figure is never measured
on its own training data: on the training half it is a cross-validation by document (the
headline figure); on any other SCAI-format file (such as the held-back test half) the model is
trained on the training half only (:func:`score_scai_file`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from evkg.extract._regulation_corpus import (
    DISEASE,
    MIRNA_TYPES,
    CorpusError,
    PairExample,
    ScaiSentence,
    read_scai,
    scai_pairs,
)
from evkg.extract.ner import Recognizer, find_mirna_mentions
from evkg.extract.regulation import (
    CV_FOLDS,
    CV_SEED,
    RegulationClassifier,
    cross_validate,
    example_features,
    train_regulation,
)
from evkg.extract.relations import classify_agent_disease, classify_regulation

__all__ = [
    "RULES_ANY",
    "RULES_SPECIFIC",
    "CorpusError",
    "ScaiSentence",
    "Score",
    "learned_cv_name",
    "read_scai",
    "score_scai",
    "score_scai_file",
]

RULES_SPECIFIC = "relation Specific_miRNAs–Genes/Proteins (rules)"
RULES_ANY = "relation miRNAs (any)–Genes/Proteins (rules)"
_LEARNED = "relation Specific_miRNAs–Genes/Proteins (learned"


def learned_cv_name(folds: int = CV_FOLDS) -> str:
    """Name of the score row of the learned classifier's cross-validation."""
    return f"{_LEARNED}, {folds}-fold CV by document)"


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: AbstractSet[Hashable], predicted: AbstractSet[Hashable]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def row(self) -> list[object]:
        return [
            self.name,
            self.tp + self.fn,
            self.tp,
            self.fp,
            self.fn,
            round(self.precision, 3),
            round(self.recall, 3),
            round(self.f1, 3),
        ]


_SCAI_KINDS = {"Genes/Proteins": ("gene",), "Diseases": ("disease",)}


def _spans(entities: Iterable[tuple[int, int, str, str]], kind: str) -> set[tuple[int, int]]:
    return {(s, e) for s, e, t, _ in entities if t == kind}


def score_scai(
    sentences: list[ScaiSentence],
    recognizer: Recognizer | None,
    *,
    training: Sequence[ScaiSentence] | None = None,
    learned: bool = True,
    folds: int = CV_FOLDS,
    seed: int = CV_SEED,
) -> list[Score]:
    """Entity scores (exact spans) and miRNA–gene relation scores on pairs of gold entities:
    by the relation rules, and (``learned``) by the learned classifier.

    Without ``training`` the learned row is a ``folds``-fold cross-validation by document over
    ``sentences`` themselves; with ``training`` the classifier is trained on ``training`` only
    and scored on ``sentences``, which must share no sentence with it (:class:`CorpusError`).
    """
    scores = _entity_scores(sentences, recognizer)
    relation = Score(RULES_SPECIFIC)
    relation_all = Score(RULES_ANY)
    scores += [relation, relation_all]
    for example in scai_pairs(sentences, ("Specific_miRNAs", "Non-Specific_miRNAs")):
        verdict = classify_regulation(
            example.sentence,
            example.agent,
            example.target,
            between_entities=example.between_entities,
        )
        predicted = verdict is not None and not verdict.negated
        specific = example.pair_type.startswith("Specific")
        for score in (relation, relation_all) if specific else (relation_all,):
            _count(score, example, predicted, error=score is relation)
    scores += _disease_scores(sentences)
    if learned:
        scores.append(_learned_score(sentences, training, folds, seed))
    return scores


def _disease_scores(sentences: list[ScaiSentence]) -> list[Score]:
    """miRNA–disease relations by the outcome rules mining applies to cargo and diseases
    (a verdict of any direction, or an association, counts as a relation)."""
    specific = Score("relation Specific_miRNAs–Diseases (rules)")
    any_mirna = Score("relation miRNAs (any)–Diseases (rules)")
    for example in scai_pairs(sentences, MIRNA_TYPES, partner=DISEASE):
        verdict = classify_agent_disease(
            example.sentence, example.agent, example.target, mirna=True, chain=True
        )
        predicted = verdict is not None
        is_specific = example.pair_type.startswith("Specific")
        for score in (specific, any_mirna) if is_specific else (any_mirna,):
            _count(score, example, predicted, error=score is specific)
    return [specific, any_mirna]


def _entity_scores(sentences: list[ScaiSentence], recognizer: Recognizer | None) -> list[Score]:
    mirna = Score("entity Specific_miRNAs (exact span)")
    mirna_overlap = Score("entity Specific_miRNAs (overlap)")
    scores = [mirna, mirna_overlap]
    dictionary = {name: Score(f"entity {name} (exact span)") for name in _SCAI_KINDS}
    if recognizer is not None:
        scores += dictionary.values()
    for sentence in sentences:
        gold = _spans(sentence.entities.values(), "Specific_miRNAs")
        found = {(s, e) for s, e, _ in find_mirna_mentions(sentence.text)}
        mirna.add(gold, found)
        for start, end in sorted(gold - found):
            mirna.errors.append(f"missed {sentence.text[start:end]!r} in {sentence.id}")
        for start, end in sorted(found - gold):
            mirna.errors.append(f"spurious {sentence.text[start:end]!r} in {sentence.id}")
        overlap_tp = {g for g in gold if any(_overlaps(g, f) for f in found)}
        mirna_overlap.tp += len(overlap_tp)
        mirna_overlap.fn += len(gold) - len(overlap_tp)
        mirna_overlap.fp += sum(1 for f in found if not any(_overlaps(g, f) for g in gold))
        if recognizer is not None:
            mentions = recognizer.mentions(sentence.text)
            for name, kinds in _SCAI_KINDS.items():
                predicted = {(m.start, m.end) for m in mentions if m.kind in kinds}
                dictionary[name].add(_spans(sentence.entities.values(), name), predicted)
    return scores


def _count(
    score: Score,
    example: PairExample,
    predicted: bool,
    *,
    error: bool = True,
    probability: float | None = None,
) -> None:
    key: set[str] = {example.pair_id}
    nothing: set[str] = set()
    score.add(key if example.label else nothing, key if predicted else nothing)
    if error and predicted != example.label:
        what = "missed" if example.label else "spurious"
        p = f" (p={probability:.2f})" if probability is not None else ""
        sentence_id = example.pair_id.split(":", 1)[0]
        score.errors.append(
            f"{what} {example.agent_text!r}–{example.target_text!r}{p} in {sentence_id}: "
            f"{example.sentence[:160]}"
        )


def _learned_score(
    sentences: list[ScaiSentence],
    training: Sequence[ScaiSentence] | None,
    folds: int,
    seed: int,
) -> Score:
    examples = scai_pairs(sentences)
    if training is None:
        score = Score(learned_cv_name(folds))
        if len({e.document for e in examples}) < folds:
            score.errors.append(f"too few documents for a {folds}-fold cross-validation")
            return score
        for prediction in cross_validate(examples, folds=folds, seed=seed):
            _count(
                score, prediction.example, prediction.predicted, probability=prediction.probability
            )
        return score
    shared = {s.text.strip() for s in training} & {s.text.strip() for s in sentences}
    if shared:
        raise CorpusError(
            f"the scored file shares {len(shared)} sentences with the training file; a model "
            "is never scored on its own training data (use the cross-validation instead)"
        )
    model = train_regulation(scai_pairs(list(training)), seed=seed)
    classifier = RegulationClassifier(model, "training file")
    score = Score(f"{_LEARNED}, trained on the training file only)")
    for example in examples:
        verdict = classifier(example.sentence, example.agent, example.target, others=example.others)
        probability = model.probability(example_features(example))
        _count(score, example, verdict is not None, probability=probability)
    return score


def score_scai_file(
    path: Path, training_path: Path, recognizer: Recognizer | None = None
) -> list[Score]:
    """Scores on any SCAI-format file (e.g. the held-back test half), the learned classifier
    trained on ``training_path`` only."""
    return score_scai(read_scai(path), recognizer, training=read_scai(training_path))


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]
