"""Scores of the extractor: outcome direction and EV context on shipped sentence sets, the
SCAI miRNA corpus, the founding review against its curated knowledge, and MSC-EV texts a
user supplies against the curated studies of the same papers (:mod:`evkg.api.study_eval`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from evkg.api._mining_work import MiningError, WorkerConfig, _extractor
from evkg.extract.pipeline import Extractor
from evkg.model import Claim, ErratumKind
from evkg.sources.text import ReadProblem

__all__ = ["evaluate_extractor", "pair_key", "pair_type", "score_review"]

#: Identifiers of what can be cargo: miRNAs (and their families and clusters), genes and
#: their products, evkg's cargo terms and drugs.
CARGO_PREFIXES = (
    "mirbase.mature:",
    "mirbase:",
    "evkg.mirna_family:",
    "evkg.mirna_cluster:",
    "hgnc:",
    "evkg.cargo:",
    "chebi:",
    "ncbigene:",
)
_DISEASE_PREDICATES = {"treats", "worsens", "no_effect_on"}
_TARGET_PREDICATES = {"regulates_down", "regulates_up"}


def pair_type(claim: Claim) -> str | None:
    predicate = claim.predicate.value
    if claim.subject.startswith(CARGO_PREFIXES):
        if predicate in _DISEASE_PREDICATES:
            return "cargo–disease"
        if predicate in _TARGET_PREDICATES and claim.object.startswith("hgnc:"):
            return "cargo–target"
    if claim.subject.startswith("evkg.source:") and predicate in _DISEASE_PREDICATES:
        return "EV source–disease"
    return None


def evaluate_extractor(
    *,
    data_dir: Path | None,
    cache_dir: Path | None,
    corpus_dir: Path | None = None,
    review_text: Path | None = None,
    scai_test: Path | None = None,
    direction_set: Path | None = None,
    direction_only: bool = False,
    context_set: Path | None = None,
    texts: Path | None = None,
) -> dict[str, list[Any]]:
    """Scores of the extractor: outcome direction on a test set of sentences (the shipped
    one, or ``direction_set``), SCAI miRNA corpus (training half, with the learned relation
    classifier cross-validated by document), the founding review, and optionally a held-out
    SCAI-format file (``scai_test``) scored by a model trained on the training half only.
    The EV context set (``context_set``, else the shipped one) scores the source,
    modifications and donor state the claims carry. ``direction_only`` scores the two sets
    of sentences alone (they need no corpus or review). ``texts`` scores only a folder of
    MSC-EV texts named by PMID against the curated studies of the same papers
    (:mod:`evkg.api.study_eval`)."""
    from evkg.extract.context_evaluation import read_context_cases, score_context
    from evkg.extract.direction_evaluation import read_direction_cases, score_direction
    from evkg.extract.evaluation import CorpusError, read_scai, score_scai, score_scai_file
    from evkg.recordfiles import RecordFileError

    config = WorkerConfig(
        str(data_dir) if data_dir else None, str(cache_dir) if cache_dir else None
    )
    extractor = _extractor(config)
    report: dict[str, list[Any]] = {}
    if texts is not None:
        from evkg.api.study_eval import evaluate_study_texts

        run = evaluate_study_texts(extractor, texts)
        title = (
            f"MSC-EV texts vs the curated studies of the same papers: {run.scored} of "
            f"{run.texts} texts scored ({len(run.without_study)} name no curated study)"
        )
        report[title] = run.scores
        return report
    if direction_set is not None and not direction_set.is_file():
        raise MiningError(f"{direction_set}: direction test set not found (--direction-set)")
    if context_set is not None and not context_set.is_file():
        raise MiningError(f"{context_set}: EV context test set not found (--context-set)")
    try:
        cases = read_direction_cases(direction_set)
        title = f"Outcome direction, {len(cases)} test sentences (recall = direction accuracy)"
        report[title] = score_direction(extractor, cases)
        contexts = read_context_cases(context_set)
        title = f"EV source, modifications and donor state, {len(contexts)} test sentences"
        report[title] = score_context(extractor, contexts)
    except RecordFileError as error:
        raise MiningError(str(error)) from error
    if direction_only:
        return report
    corpora = corpus_dir or (data_dir / "corpora" if data_dir else None)
    if corpora is None:
        raise MiningError("no corpus folder: give --corpus-dir or configure a data directory")
    for name in ("miRNA-Train-Corpus.xml", "miRNA-Train-Corpus.miRExplore_fixed.xml"):
        path = corpora / "scai_mirna_bagewadi2014" / name
        if not path.is_file():
            raise MiningError(f"{path}: SCAI corpus file not found")
        try:
            sentences = read_scai(path)
        except CorpusError as error:
            raise MiningError(str(error)) from error
        report[f"SCAI miRNA corpus, training half ({name})"] = score_scai(
            sentences, extractor.recognizer
        )
    if scai_test is not None:
        if not scai_test.is_file():
            raise MiningError(
                f"{scai_test}: SCAI test file not found (--scai-test takes the path of a "
                "SCAI-format XML file, e.g. the corpus's test half)"
            )
        training = corpora / "scai_mirna_bagewadi2014" / "miRNA-Train-Corpus.xml"
        try:
            report[f"SCAI-format held-out file ({scai_test.name})"] = score_scai_file(
                scai_test, training, extractor.recognizer
            )
        except CorpusError as error:
            raise MiningError(str(error)) from error
    text_path = review_text or (
        data_dir.parent / "seed" / "000_b03c4da1d36fef63.txt" if data_dir else None
    )
    if text_path is None or not text_path.is_file():
        raise MiningError(f"{text_path}: the founding review text was not found (--review-text)")
    report["Founding review text vs curated knowledge (pairs)"] = score_review(extractor, text_path)
    return report


def pair_key(extractor: Extractor, curie: str) -> str:
    """miRNAs compare by name without species (the review mixes species); diseases by
    identity (a MONDO and a DO term for one disease are one); others by CURIE."""
    if curie.startswith("mirbase.mature:"):
        label = extractor.vocabulary.lexicon.label(curie)
        return label.split("-", 1)[1] if label.count("-") >= 1 else label
    return extractor.vocabulary.canonical_disease(curie)


def score_review(extractor: Extractor, text_path: Path) -> list[Any]:
    """Pairs from the review text against the curated pairs, per pair type."""
    from evkg.extract.evaluation import Score
    from evkg.sources.curated import read_source
    from evkg.sources.text import read_text

    gold: dict[str, set[tuple[str, str]]] = {}
    readable: set[tuple[str, str]] = set()  # gold pairs with a quote that reads as printed
    for located in read_source().records:
        claim = located.record.claim()
        kind = pair_type(claim)
        if kind:
            pair = (pair_key(extractor, claim.subject), pair_key(extractor, claim.object))
            gold.setdefault(kind, set()).add(pair)
            if not any(
                e.kind in _MISREAD and e.field in ("subject", "object")
                for e in located.record.errata
            ):
                readable.add(pair)
    predicted: dict[str, set[tuple[str, str]]] = {}
    quotes: dict[tuple[str, str], str] = {}
    for document in read_text(text_path):
        if isinstance(document, ReadProblem):
            raise MiningError(str(document))
        for claim, evidence in extractor.extract(document).statements:
            kind = pair_type(claim)
            if kind:
                pair = (pair_key(extractor, claim.subject), pair_key(extractor, claim.object))
                predicted.setdefault(kind, set()).add(pair)
                quotes.setdefault(pair, evidence.quote[:140])
    scores = []
    for kind in ("cargo–disease", "cargo–target", "EV source–disease"):
        score = Score(f"{kind} pairs")
        expected: set[tuple[str, str]] = gold.get(kind, set())
        found: set[tuple[str, str]] = predicted.get(kind, set())
        score.add(expected, found)
        label = extractor.vocabulary.lexicon.label
        for pair in sorted(expected - found, key=str):
            score.errors.append(f"missed {_show(label, pair)}")
        for pair in sorted(found - expected, key=str):
            score.errors.append(f"spurious {_show(label, pair)}: {quotes.get(pair, '')}")
        scores.append(score)
    for kind in ("cargo–disease", "cargo–target"):
        # the pairs the text states as printed; finding a pair that rests on an erratum is
        # neither credited nor counted against
        expected = gold.get(kind, set())
        printed = Score(f"{kind} pairs, as printed (gold resting on a misprint left out)")
        printed.add(expected & readable, predicted.get(kind, set()) - (expected - readable))
        scores.append(printed)
    return scores


#: Errata of a claim's subject or object after which the review's text no longer states the
#: curated pair: a garbled name, a term mangled in translation, a name put in the wrong
#: study's place, a factual slip.
_MISREAD = frozenset(
    {
        ErratumKind.GARBLED_NAME,
        ErratumKind.TRANSLATION,
        ErratumKind.MISATTRIBUTED_CONTEXT,
        ErratumKind.FACTUAL,
    }
)


def _show(label: Callable[[str], str], pair: tuple[str, str]) -> str:
    return " – ".join(label(p) if ":" in p else p for p in pair)
