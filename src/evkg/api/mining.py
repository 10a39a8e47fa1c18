"""Literature mining as a service: files (or a PubMed query) in, extracted claims in the store.

Work is cut into batches of documents. Each batch is extracted in a worker (local processes,
or a Dask distributed cluster through the same ``concurrent.futures`` interface) and loaded
in its own transaction under a dataset name derived from the file's content hash, so that a
re-run skips finished batches and an interrupted run loses at most the work in flight (with
worker processes, a file is read by its worker and its batches are loaded when it is done).
The worker tasks and the inputs live in :mod:`evkg.api._mining_work`.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evkg.api._mining_work import (
    BatchOutput,
    FileHealth,
    FileOutput,
    Item,
    MiningError,
    WorkerConfig,
    _batches,
    _executor,
    _extractor,
    _Inline,
    extract_batch,
    extract_file,
    guarded,
    input_digest,
    iter_documents,
    list_inputs,
)
from evkg.assemble import assemble
from evkg.extract.pipeline import EXTRACTOR, Extractor
from evkg.model import Claim, ErratumKind, Evidence
from evkg.sources.pubmed.reader import READ_ERRORS, unreadable
from evkg.sources.text import Document, ReadProblem
from evkg.store import LoadBundle, SqlStore

__all__ = [
    "BatchOutput",
    "FileOutput",
    "MiningError",
    "MiningSummary",
    "WorkerConfig",
    "extract_batch",
    "extract_file",
    "iter_documents",
    "list_inputs",
    "mine",
    "mine_documents",
    "review_evidence",
    "set_review",
]

_log = logging.getLogger(__name__)


@dataclass
class MiningSummary:
    """Counts of one mining run.

    ``files_failed`` names each file nothing could be read from (or whose mining stopped
    with an error), with the reason; ``files_partial`` each file read only up to a damage.
    Neither gets a completion record, so a re-run reports them again (and retries them).
    """

    files: int = 0
    files_skipped: int = 0  # already mined completely with this extractor
    documents: int = 0
    documents_skipped: int = 0  # in batches finished by an earlier run
    documents_unparsed: int = 0  # counted from their bytes: they cannot be about EVs/cargo
    relevant_documents: int = 0
    sentences: int = 0  # in the relevant documents (the only ones split into sentences)
    claims_extracted: int = 0
    claims_new: int = 0
    claims_merged: int = 0  # extracted claims already in the store
    evidence_new: int = 0
    errors: list[str] = field(default_factory=list)
    files_failed: list[str] = field(default_factory=list)
    files_partial: list[str] = field(default_factory=list)

    @property
    def nothing_read(self) -> bool:
        """Every file this run had to read failed (none was already mined or readable)."""
        attempted = self.files - self.files_skipped
        return attempted > 0 and len(self.files_failed) == attempted

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for name in ("errors", "files_failed", "files_partial"):
            data[name] = list(data[name])
        return data


# -- the service --------------------------------------------------------------------------
@dataclass
class _Unit:
    name: str  # dataset name of the batch
    fingerprint: str
    file_key: str
    documents: int


def _load(store: SqlStore, unit: _Unit, output: BatchOutput, summary: MiningSummary) -> None:
    assembly = assemble((claim, evidence, None) for claim, evidence in output.statements)
    report = store.load(
        LoadBundle(
            dataset=unit.name,
            fingerprint=unit.fingerprint,
            entities=output.entities,
            references=output.references,
            assembly=assembly,
        )
    )
    summary.documents += output.documents
    summary.documents_unparsed += output.unparsed
    summary.sentences += output.sentences
    summary.relevant_documents += output.relevant
    summary.claims_extracted += len(assembly.claims)
    summary.claims_new += report.new_claims
    summary.claims_merged += len(assembly.claims) - report.new_claims
    summary.evidence_new += report.new_evidence
    summary.errors += output.problems


@dataclass
class _Source:
    """One input: documents read here, or a file that a worker process can read itself."""

    key: str  # names the datasets of its batches: mine:<key>#<n>
    content: str  # fingerprint of the content
    documents: Iterable[Item]
    path: Path | None = None

    @property
    def name(self) -> str:
        """How the summary names the source: its path, else its key."""
        return str(self.path) if self.path is not None else self.key


@dataclass
class _FileState:
    """One source on its way through the run."""

    name: str
    version: str
    outstanding: int = 0  # tasks submitted and not yet completed
    read: bool = False  # every task of the source submitted
    health: FileHealth = field(default_factory=FileHealth)
    crashed: str | None = None  # why a task of this source failed


def _finished_batches(store: SqlStore, key: str, version: str) -> frozenset[int]:
    """Numbers of the leading batches of a source that an earlier run loaded."""
    number = 0
    while store.dataset_fingerprint(f"mine:{key}#{number}") == version:
        number += 1
    return frozenset(range(number))


def mine_documents(
    sources: Iterable[tuple[str, str, Iterable[Document | ReadProblem]]],
    *,
    store: SqlStore,
    config: WorkerConfig,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int = 500,
    on_progress: Callable[[MiningSummary], None] | None = None,
    summary: MiningSummary | None = None,
) -> MiningSummary:
    """Mine documents grouped by source: (key, content fingerprint, documents) triples.

    ``key`` names the datasets of the source's batches (``mine:<key>#<n>``); a source whose
    completion record carries the same fingerprint is skipped without being read.
    """
    return _mine(
        (_Source(key, content, documents) for key, content, documents in sources),
        store=store,
        config=config,
        workers=workers,
        scheduler=scheduler,
        batch_size=batch_size,
        on_progress=on_progress,
        summary=summary or MiningSummary(),
    )


def _mine(
    sources: Iterable[_Source],
    *,
    store: SqlStore,
    config: WorkerConfig,
    workers: int | None,
    scheduler: str | None,
    batch_size: int,
    on_progress: Callable[[MiningSummary], None] | None,
    summary: MiningSummary,
) -> MiningSummary:
    """The one code path of every run. With worker processes (or a Dask cluster) a file is
    read by the worker that extracts it, so reading scales with the workers and this
    process only loads results into the store, batch by batch; in-process (one worker),
    and for documents that exist only here (a PubMed query), batches are read here.

    Each file is isolated: an error reading or extracting it (or a worker dying on it) is
    reported with the file's name and the run goes on with the other files."""
    store.initialise(check=True)  # never write into a damaged store
    wanted = workers or os.cpu_count() or 1
    executor, close, n_workers = _executor(wanted, scheduler)
    in_workers = not isinstance(executor, _Inline)
    in_flight: dict[cf.Future[Any], _Unit] = {}
    files: dict[str, _FileState] = {}
    broken = False  # the local process pool lost a worker: replaced before the next task

    def progress() -> None:
        if on_progress:
            on_progress(summary)

    def load_file(unit: _Unit, result: FileOutput) -> None:
        summary.errors += result.problems
        files[unit.file_key].health = result.health
        for number, output in result.batches:
            name = f"mine:{unit.file_key}#{number}"
            if isinstance(output, int):
                summary.documents_skipped += output
            elif store.dataset_fingerprint(name) == unit.fingerprint:
                summary.documents_skipped += output.documents
            else:
                _load(store, _Unit(name, unit.fingerprint, unit.file_key, 0), output, summary)
            progress()

    def complete(done: Iterable[cf.Future[Any]]) -> None:
        nonlocal broken
        for future in done:
            unit = in_flight.pop(future)
            state = files[unit.file_key]
            state.outstanding -= 1
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                state.crashed = state.crashed or (
                    "a worker process died (killed, or out of memory) while this file was in "
                    "flight, on this file or another one"
                )
            except Exception as error:  # this file's failure, reported; the run goes on
                _log.warning("mining %s failed", state.name, exc_info=True)
                state.crashed = state.crashed or f"{type(error).__name__}: {str(error)[:300]}"
            else:
                if isinstance(result, FileOutput):
                    load_file(unit, result)
                else:
                    _load(store, unit, result, summary)
                    progress()
            finish(unit.file_key)

    def finish(key: str) -> None:
        state = files[key]
        if state.outstanding or not state.read:
            return
        del files[key]
        if state.crashed:
            summary.files_failed.append(
                f"{state.name}: mining stopped ({state.crashed}); batches loaded before are "
                "kept and a re-run retries the rest"
            )
        elif state.health.failed:
            reason = state.health.stopped or "no document could be read (see the errors)"
            summary.files_failed.append(f"{state.name}: {reason}")
        elif state.health.stopped:
            summary.files_partial.append(state.health.stopped)
        else:  # read to the end: a re-run skips it
            store.load(LoadBundle(dataset=f"mine:{key}", fingerprint=state.version))

    def replace_pool() -> None:
        """A worker of the local pool died: every task of the pool fails (and reports so),
        then a new pool takes the next tasks."""
        nonlocal executor, close, broken
        while in_flight:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            complete(done)
        close()
        executor, close, _ = _executor(wanted, scheduler)
        broken = False

    def submit(unit: _Unit, fn: Callable[..., Any], *args: Any) -> None:
        while len(in_flight) >= 2 * n_workers:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            complete(done)
        if broken:
            replace_pool()
        try:
            future = executor.submit(fn, config, *args)
        except BrokenProcessPool:  # a worker died since the last task completed
            replace_pool()
            future = executor.submit(fn, config, *args)
        in_flight[future] = unit
        files[unit.file_key].outstanding += 1

    try:
        for source in sources:
            key = source.key
            summary.files += 1
            version = hashlib.sha256(
                f"{source.content}|{EXTRACTOR}|{batch_size}|{config.reading_mode}".encode()
            ).hexdigest()
            if store.dataset_fingerprint(f"mine:{key}") == version:
                summary.files_skipped += 1
                continue
            state = files[key] = _FileState(source.name, version)
            if in_workers and source.path is not None:
                finished = _finished_batches(store, key, version)
                unit = _Unit(f"mine:{key}", version, key, 0)
                submit(unit, extract_file, str(source.path), batch_size, finished)
            else:
                documents = guarded(source.name, source.documents, state.health)
                for number, batch in enumerate(_batches(documents, batch_size, summary.errors)):
                    unit = _Unit(f"mine:{key}#{number}", version, key, len(batch))
                    if store.dataset_fingerprint(unit.name) == version:
                        summary.documents_skipped += len(batch)
                        continue
                    submit(unit, extract_batch, batch)
            state.read = True
            finish(key)
        while in_flight:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            complete(done)
    finally:
        close()
    return summary


def mine(
    paths: Iterable[Path],
    *,
    store: SqlStore,
    config: WorkerConfig,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int = 500,
    on_progress: Callable[[MiningSummary], None] | None = None,
) -> MiningSummary:
    """Mine files and folders (PubMed/MEDLINE XML, BioC XML/JSON, JATS, PubTator, text) into
    ``store``. Incremental and idempotent: finished files and batches are skipped. A file
    that cannot be read is named in ``files_failed`` with the reason; the others are mined."""
    files = list_inputs(paths)
    summary = MiningSummary()

    def sources() -> Iterator[_Source]:
        for path in files:
            try:
                digest = input_digest(path)
                documents = iter_documents(path, config)  # the format is checked here
            except MiningError as error:
                summary.files += 1
                summary.files_failed.append(str(error))
                continue
            except READ_ERRORS as error:
                summary.files += 1
                summary.files_failed.append(f"{path}: {unreadable(path.name, error).reason}")
                continue
            key = f"{digest[:16]}:{path.name[:120]}"
            yield _Source(key, digest, documents, path.resolve())

    return _mine(
        sources(),
        store=store,
        config=config,
        workers=workers,
        scheduler=scheduler,
        batch_size=batch_size,
        on_progress=on_progress,
        summary=summary,
    )


# -- review -------------------------------------------------------------------------------
def review_evidence(
    store: SqlStore, status: str = "pending", *, limit: int = 50, offset: int = 0
) -> list[tuple[str, Claim | None, Evidence, str]]:
    """Extracted evidence with ``status``: (evidence hash, claim, evidence, status)."""
    from evkg.store import ClaimFilter

    rows = store.evidence_for_review(status, limit=limit, offset=offset)
    claims: dict[str, Claim | None] = {}
    for _hash, evidence, _status in rows:
        if evidence.claim_hash not in claims:
            found = [
                c
                for c in store.claims(ClaimFilter(reference=evidence.reference, method="extracted"))
                if c.hash == evidence.claim_hash
            ]
            claims[evidence.claim_hash] = found[0].claim if found else None
    return [(h, claims[e.claim_hash], e, s) for h, e, s in rows]


def set_review(store: SqlStore, evidence_hashes: Iterable[str], status: str) -> list[str]:
    """Accept or reject evidence by hash (a unique prefix of at least 8 characters is
    enough); returns the hashes not found."""
    missing = []
    for prefix in evidence_hashes:
        full = _expand_hash(store, prefix)
        if full is None or not store.set_review_status(full, status):
            missing.append(prefix)
    return missing


def _expand_hash(store: SqlStore, prefix: str) -> str | None:
    if len(prefix) == 32:
        return prefix
    if len(prefix) < 8:
        return None
    matches = {
        evidence_hash
        for status in ("pending", "accepted", "rejected")
        for evidence_hash, _evidence, _status in store.evidence_for_review(status, limit=10**7)
        if evidence_hash.startswith(prefix)
    }
    return matches.pop() if len(matches) == 1 else None


# -- evaluation ---------------------------------------------------------------------------
_CARGO_PREFIXES = ("mirbase.mature:", "mirbase:", "hgnc:", "evkg.cargo:", "chebi:", "ncbigene:")
_DISEASE_PREDICATES = {"treats", "worsens", "no_effect_on"}
_TARGET_PREDICATES = {"regulates_down", "regulates_up"}


def _pair_type(claim: Claim) -> str | None:
    predicate = claim.predicate.value
    if claim.subject.startswith(_CARGO_PREFIXES):
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
) -> dict[str, list[Any]]:
    """Scores of the extractor: outcome direction on a test set of sentences (the shipped
    one, or ``direction_set``), SCAI miRNA corpus (training half, with the learned relation
    classifier cross-validated by document), the founding review, and optionally a held-out
    SCAI-format file (``scai_test``) scored by a model trained on the training half only.
    The EV context set (``context_set``, else the shipped one) scores the source,
    modifications and donor state the claims carry. ``direction_only`` scores the two sets
    of sentences alone (they need no corpus or review)."""
    from evkg.extract.context_evaluation import read_context_cases, score_context
    from evkg.extract.direction_evaluation import read_direction_cases, score_direction
    from evkg.extract.evaluation import CorpusError, read_scai, score_scai, score_scai_file
    from evkg.recordfiles import RecordFileError

    config = WorkerConfig(
        str(data_dir) if data_dir else None, str(cache_dir) if cache_dir else None
    )
    extractor = _extractor(config)
    report: dict[str, list[Any]] = {}
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


def _pair_key(extractor: Extractor, curie: str) -> str:
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
        kind = _pair_type(claim)
        if kind:
            pair = (_pair_key(extractor, claim.subject), _pair_key(extractor, claim.object))
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
            kind = _pair_type(claim)
            if kind:
                pair = (_pair_key(extractor, claim.subject), _pair_key(extractor, claim.object))
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
