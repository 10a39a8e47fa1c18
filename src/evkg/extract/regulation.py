"""A learned miRNA–gene regulation classifier: does the sentence state that the miRNA
regulates (targets, represses, induces…) the gene?

The classifier is an L2-regularised logistic regression over features of the pair
(:mod:`evkg.extract._regulation_features`: the rule verdict, trigger words between and around
the pair, token distance, the other mentions in between, order, lists, negation and
sentence-level cues). It is trained at run time on the SCAI miRNA corpus training half in
the data directory (``corpora/scai_mirna_bagewadi2014/miRNA-Train-Corpus.xml``), never
shipped: the fitted weights are cached under ``<cache dir>/regulation/`` keyed by the corpus
checksum and the feature version. Without the corpus the classifier falls back to the relation
rules (:func:`evkg.extract.relations.classify_regulation`), so mining works on a fresh machine.

The direction (up/down) always comes from the rules; the model only decides whether there is
a relation. Honest figures come from :func:`cross_validate` (folds by document, fixed seed;
the decision threshold is chosen inside each training fold).
"""

from __future__ import annotations

import logging
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evkg.extract._clause_regulation import acted_on_by_target, in_later_clause
from evkg.extract._regulation_corpus import (
    CorpusError,
    PairExample,
    read_scai,
    scai_pairs,
)
from evkg.extract._regulation_features import FEATURE_VERSION, Mention, Span, pair_features
from evkg.extract._regulation_model import LogisticModel, ModelFileError, fit_logistic
from evkg.extract.relations import PairVerdict, classify_regulation, structural_regulation
from evkg.model import Predicate
from evkg.recordfiles import file_sha256

__all__ = [
    "CV_FOLDS",
    "CV_SEED",
    "TRAINING_FILE",
    "Prediction",
    "RegulationClassifier",
    "cross_validate",
    "document_folds",
    "example_features",
    "load_regulation_classifier",
    "train_regulation",
]

_log = logging.getLogger(__name__)

#: The training half of the SCAI miRNA corpus, relative to the data directory.
TRAINING_FILE = Path("corpora") / "scai_mirna_bagewadi2014" / "miRNA-Train-Corpus.xml"
CV_FOLDS = 10
CV_SEED = 13
_L2 = 3.0
_INNER_FOLDS = 3
_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
_STRONG = 0.75
#: Bump when the training recipe changes (L2, thresholds, folds): cached models are retrained.
_MODEL_VERSION = "2"

_DOWN = re.compile(
    r"down-?regulat\w*|suppress\w*|inhibit\w*|repress\w*|silenc\w*|decreas\w*|reduc\w*|"
    r"attenuat\w*|negatively|degrad\w*|block\w*|target\w*|bind\w*|UTR",
    re.IGNORECASE,
)
_UP = re.compile(
    r"up-?regulat\w*|increas\w*|enhanc\w*|promot\w*|activat\w*|induc\w*|elevat\w*|"
    r"stimulat\w*|positively|augment\w*|restor\w*",
    re.IGNORECASE,
)


def example_features(example: PairExample) -> list[str]:
    """Features of an annotated pair, computed exactly as mining computes them."""
    return pair_features(
        example.sentence,
        example.agent,
        example.target,
        between_entities=example.between_entities,
        others=example.others,
    )


def document_folds(documents: Sequence[str], folds: int, seed: int) -> dict[str, int]:
    """Assign each document to one of ``folds`` folds (shuffled with ``seed``, round robin).

    >>> document_folds(["a", "b", "c"], 3, 0) == document_folds(["c", "b", "a"], 3, 0)
    True
    """
    unique = sorted(set(documents))
    random.Random(seed).shuffle(unique)
    return {document: index % folds for index, document in enumerate(unique)}


def _f1(labels: Sequence[bool], predicted: Sequence[bool]) -> float:
    tp = sum(1 for g, p in zip(labels, predicted, strict=True) if g and p)
    wrong = sum(1 for g, p in zip(labels, predicted, strict=True) if g != p)
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def train_regulation(
    examples: Sequence[PairExample],
    *,
    l2: float = _L2,
    inner_folds: int = _INNER_FOLDS,
    seed: int = CV_SEED,
    features: Sequence[Sequence[str]] | None = None,
) -> LogisticModel:
    """Fit the classifier on ``examples``; its threshold is the one with the best F1 in an
    inner cross-validation by document over the same examples (0.5 when there are too few
    documents)."""
    if not examples:
        raise ValueError("no training examples")
    rows = [list(f) for f in features] if features is not None else None
    rows = rows or [example_features(e) for e in examples]
    labels = [e.label for e in examples]
    threshold = 0.5
    documents = [e.document for e in examples]
    if len(set(documents)) >= 2 * inner_folds and len(set(labels)) == 2:
        fold = document_folds(documents, inner_folds, seed)
        scores: list[float] = [0.0] * len(examples)
        for k in range(inner_folds):
            train = [i for i, d in enumerate(documents) if fold[d] != k]
            model = fit_logistic([rows[i] for i in train], [labels[i] for i in train], l2=l2)
            for i, d in enumerate(documents):
                if fold[d] == k:
                    scores[i] = model.probability(rows[i])
        threshold = max(
            _THRESHOLDS, key=lambda t: (_f1(labels, [s >= t for s in scores]), -abs(t - 0.5))
        )
    return fit_logistic(rows, labels, l2=l2, threshold=threshold)


@dataclass(frozen=True)
class Prediction:
    """A held-out prediction of the cross-validation."""

    example: PairExample
    probability: float
    predicted: bool
    fold: int


def cross_validate(
    examples: Sequence[PairExample], *, folds: int = CV_FOLDS, seed: int = CV_SEED
) -> list[Prediction]:
    """Out-of-fold predictions: documents are split into ``folds`` folds; each fold is
    predicted by a model (threshold included) trained on the other folds only. The
    prediction is the verdict mining would reach with that model (:class:`RegulationClassifier`:
    the model, overruled where the sentence's structure decides), not the model alone."""
    if len({e.document for e in examples}) < folds:
        raise ValueError(f"fewer documents than the {folds} folds asked for")
    fold = document_folds([e.document for e in examples], folds, seed)
    rows = [example_features(e) for e in examples]
    predictions: list[Prediction] = []
    for k in range(folds):
        train = [i for i, e in enumerate(examples) if fold[e.document] != k]
        model = train_regulation(
            [examples[i] for i in train], features=[rows[i] for i in train], seed=seed
        )
        classifier = RegulationClassifier(model, "cross-validation")
        for i, example in enumerate(examples):
            if fold[example.document] == k:
                verdict = classifier(
                    example.sentence, example.agent, example.target, others=example.others
                )
                probability = model.probability(rows[i])
                predictions.append(Prediction(example, probability, verdict is not None, k))
    return predictions


def _direction(sentence: str, agent: Span, target: Span) -> Predicate:
    """Rules-style direction when the rules found no trigger: the direction word nearest
    the target (between the two, or just after the target) wins; repression by default."""
    low, high = min(agent[1], target[1]), max(agent[0], target[0])
    window = sentence[low:high] + " " + sentence[target[1] : target[1] + 40]
    last_down = max((m.end() for m in _DOWN.finditer(window)), default=-1)
    last_up = max((m.end() for m in _UP.finditer(window)), default=-1)
    return Predicate.REGULATES_UP if last_up > last_down else Predicate.REGULATES_DOWN


class RegulationClassifier:
    """Decides miRNA → gene regulation; call it like
    :func:`~evkg.extract.relations.classify_regulation`.

    With ``model=None`` it is the rules; with a model the model decides whether there is a
    relation and the rules give the direction and trigger.
    """

    def __init__(self, model: LogisticModel | None, source: str = "rules") -> None:
        self.model = model
        self.source = source

    @property
    def learned(self) -> bool:
        return self.model is not None

    def probability(
        self,
        sentence: str,
        agent: Span,
        target: Span,
        *,
        between_entities: int = 0,
        others: Sequence[Mention] = (),
    ) -> float | None:
        """The model's probability of a relation (None without a model)."""
        if self.model is None:
            return None
        features = pair_features(
            sentence, agent, target, between_entities=between_entities, others=others
        )
        return self.model.probability(features)

    def __call__(
        self,
        sentence: str,
        agent: Span,
        target: Span,
        *,
        between_entities: int = 0,
        others: Sequence[Mention] = (),
    ) -> PairVerdict | None:
        """The verdict for the (miRNA ``agent``, gene ``target``) pair, or None.

        ``others`` (optional) are the sentence's other miRNA and gene mentions as
        ``(start, end, "mirna" | "gene")``; they sharpen the features.
        """
        rules = classify_regulation(sentence, agent, target, between_entities=between_entities)
        if (
            self.model is None
            or acted_on_by_target(sentence, agent, target)
            or in_later_clause(sentence, agent, target)
        ):
            return rules
        probability = self.probability(
            sentence, agent, target, between_entities=between_entities, others=others
        )
        if probability is None or probability < self.model.threshold:
            # what the sentence's structure states, the model (trained on trigger-word
            # features) cannot see: a chained target, the miRNA named as the means
            return structural_regulation(sentence, agent, target)
        if rules is not None:
            predicate, trigger = rules.predicate, rules.trigger
        else:
            predicate, trigger = _direction(sentence, agent, target), "learned"
        return PairVerdict(predicate, trigger, False, probability >= _STRONG)

    classify = __call__

    def __repr__(self) -> str:
        return f"RegulationClassifier(source={self.source!r})"


def _model_path(cache_dir: Path, checksum: str) -> Path:
    name = f"scai-{checksum[:20]}-f{FEATURE_VERSION}-m{_MODEL_VERSION}.json"
    return cache_dir / "regulation" / name


def load_regulation_classifier(
    data_dir: Path | None,
    cache_dir: Path | None,
    *,
    training_file: Path | None = None,
) -> RegulationClassifier:
    """The learned classifier, trained on the SCAI training half (``training_file``, else
    ``<data_dir>/corpora/scai_mirna_bagewadi2014/miRNA-Train-Corpus.xml``) or read from the
    cache; the rules when the corpus is absent or unreadable (logged)."""
    path = training_file or (data_dir / TRAINING_FILE if data_dir else None)
    if path is None or not path.is_file():
        _log.info("regulation: %s not found; using the relation rules", path)
        return RegulationClassifier(None, "rules (no training corpus)")
    try:
        checksum = file_sha256(path)
    except OSError as error:
        _log.warning("regulation: cannot read %s (%s); using the relation rules", path, error)
        return RegulationClassifier(None, "rules (training corpus unreadable)")
    cached = _model_path(cache_dir, checksum) if cache_dir else None
    if cached is not None and cached.is_file():
        try:
            return RegulationClassifier(LogisticModel.read(cached), f"learned ({path.name})")
        except ModelFileError as error:
            _log.warning("regulation: %s; retraining", error)
    try:
        examples = scai_pairs(read_scai(path))
        model = train_regulation(examples)
    except (CorpusError, ValueError) as error:
        _log.warning("regulation: cannot train on %s (%s); using the relation rules", path, error)
        return RegulationClassifier(None, "rules (training corpus unusable)")
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(model.to_json(), encoding="utf-8")
            partial.replace(cached)
        except OSError as error:
            _log.warning("regulation: cannot cache the model at %s (%s)", cached, error)
    return RegulationClassifier(model, f"learned ({path.name})")
