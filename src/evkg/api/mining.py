"""Literature mining as a service: files (or a PubMed query) in, extracted claims in the store.

Work is cut into batches of documents. Each batch is extracted in a worker (local processes,
or a Dask distributed cluster through the same ``concurrent.futures`` interface) and loaded
in its own transaction under a dataset name derived from the file's content hash, so that a
re-run skips finished batches and an interrupted run loses at most the batches in flight.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evkg.assemble import assemble
from evkg.extract.pipeline import EXTRACTOR, Extractor
from evkg.model import Claim, Entity, Evidence, Reference, is_valid_curie
from evkg.sources.text import Document, ReadProblem
from evkg.store import LoadBundle, SqlStore

__all__ = [
    "BatchOutput",
    "MiningError",
    "MiningSummary",
    "WorkerConfig",
    "extract_batch",
    "iter_documents",
    "list_inputs",
    "mine",
    "mine_documents",
    "review_evidence",
    "set_review",
]

_log = logging.getLogger(__name__)
_SUFFIXES = (".xml", ".xml.gz", ".json", ".json.gz", ".txt", ".md", ".pubtator", ".gz")


class MiningError(ValueError):
    """An input cannot be mined (missing path, unknown format); the message names it."""


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to build its vocabulary (paths must exist on the worker)."""

    data_dir: str | None = None
    cache_dir: str | None = None


@dataclass
class BatchOutput:
    """What a worker returns for one batch."""

    documents: int
    sentences: int
    relevant: int
    statements: list[tuple[Claim, Evidence]]
    entities: list[Entity]
    references: list[Reference]
    problems: list[str]


@dataclass
class MiningSummary:
    """Counts of one mining run."""

    files: int = 0
    files_skipped: int = 0  # already mined completely with this extractor
    documents: int = 0
    documents_skipped: int = 0  # in batches finished by an earlier run
    relevant_documents: int = 0
    sentences: int = 0
    claims_extracted: int = 0
    claims_new: int = 0
    claims_merged: int = 0  # extracted claims already in the store
    evidence_new: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["errors"] = list(self.errors)
        return data


# -- inputs -------------------------------------------------------------------------------
def list_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files to mine: the files given, and the known file types under folders given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(_SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise MiningError(f"{path}: no such file or folder")
    return found


def _sniff(path: Path) -> str:
    from evkg.sources.pubmed.reader import open_maybe_gzip

    with open_maybe_gzip(path) as handle:
        head = handle.read(4096)
    text = head.decode("utf-8", errors="replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return "bioc"
    if stripped.startswith("<"):
        if "<collection" in text or "<bioc" in text.lower():
            return "bioc"
        if "PubmedArticle" in text or "MedlineCitation" in text:
            return "pubmed"
        raise MiningError(f"{path}: XML but neither PubMed/MEDLINE nor BioC")
    first = stripped.splitlines()[0] if stripped else ""
    if "|t|" in first or "|a|" in first:
        return "pubtator"
    return "text"


def iter_documents(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents of one file of any supported format (detected from its content)."""
    kind = _sniff(path)
    if kind == "pubmed":
        from evkg.sources.pubmed import read_pubmed

        return read_pubmed(path)
    if kind == "bioc":
        from evkg.sources.bioc import read_bioc

        return read_bioc(path)
    if kind == "pubtator":
        from evkg.sources.pubtator import read_pubtator

        return read_pubtator(path)
    from evkg.sources.text import read_text

    return read_text(path)


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- workers ------------------------------------------------------------------------------
_EXTRACTORS: dict[WorkerConfig, Extractor] = {}


def _extractor(config: WorkerConfig) -> Extractor:
    extractor = _EXTRACTORS.get(config)
    if extractor is None:
        from evkg.vocab import load_vocabulary

        vocabulary = load_vocabulary(
            Path(config.data_dir) if config.data_dir else None,
            Path(config.cache_dir) if config.cache_dir else None,
        )
        extractor = _EXTRACTORS[config] = Extractor(vocabulary)
    return extractor


def _entity(extractor: Extractor, curie: str) -> Entity | None:
    entry = extractor.vocabulary.lexicon.get(curie)
    if entry is None:
        return None
    return Entity(
        id=curie,
        kind=entry.kind,
        label=entry.label,
        synonyms=tuple(s for s in entry.synonyms[:10] if s.strip()),
        xrefs=tuple(x for x in entry.xrefs if is_valid_curie(x))[:10],
    )


def extract_batch(config: WorkerConfig, documents: list[Document]) -> BatchOutput:
    """Extract one batch (runs in a worker process or on a Dask worker)."""
    extractor = _extractor(config)
    output = BatchOutput(len(documents), 0, 0, [], [], [], [])
    mentioned: set[str] = set()
    for document in documents:
        result = extractor.extract(document)
        output.sentences += result.n_sentences
        output.relevant += result.relevant
        if not result.statements:
            continue
        output.statements += result.statements
        mentioned |= result.mentioned
        if document.bibliography is not None:
            reference = document.bibliography.reference(document.id)
            if isinstance(reference, Reference):
                output.references.append(reference)
            else:
                output.problems.append(f"{document.origin}: reference not stored ({reference})")
    output.entities = [e for e in (_entity(extractor, c) for c in sorted(mentioned)) if e]
    return output


# -- executors ----------------------------------------------------------------------------
class _Inline(cf.Executor):
    """Runs each task at once in this process (one worker, no pickling)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _executor(workers: int, scheduler: str | None) -> tuple[cf.Executor, Callable[[], None], int]:
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as error:
            raise MiningError(f"cannot reach the Dask scheduler {scheduler}: {error}") from error
        n_workers = max(
            1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        )
        executor = client.get_executor(pure=False)  # type: ignore[no-untyped-call]
        return executor, client.close, n_workers
    if workers <= 1:
        return _Inline(), lambda: None, 1
    pool = cf.ProcessPoolExecutor(max_workers=workers)
    return pool, lambda: pool.shutdown(cancel_futures=True), workers


# -- the service --------------------------------------------------------------------------
def _batches(
    documents: Iterable[Document | ReadProblem], size: int, summary: MiningSummary
) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in documents:
        if isinstance(item, ReadProblem):
            summary.errors.append(str(item))
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    summary.sentences += output.sentences
    summary.relevant_documents += output.relevant
    summary.claims_extracted += len(assembly.claims)
    summary.claims_new += report.new_claims
    summary.claims_merged += len(assembly.claims) - report.new_claims
    summary.evidence_new += report.new_evidence
    summary.errors += output.problems


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
    summary = summary or MiningSummary()
    store.initialise()
    executor, close, n_workers = _executor(workers or os.cpu_count() or 1, scheduler)
    in_flight: dict[cf.Future[BatchOutput], _Unit] = {}
    outstanding: dict[str, int] = {}
    finished_reading: dict[str, str] = {}

    def complete(done: Iterable[cf.Future[BatchOutput]]) -> None:
        for future in done:
            unit = in_flight.pop(future)
            _load(store, unit, future.result(), summary)
            outstanding[unit.file_key] -= 1
            _finish_file(unit.file_key)
            if on_progress:
                on_progress(summary)

    def _finish_file(key: str) -> None:
        if outstanding.get(key) == 0 and key in finished_reading:
            store.load(LoadBundle(dataset=f"mine:{key}", fingerprint=finished_reading.pop(key)))

    try:
        for key, content, documents in sources:
            summary.files += 1
            version = hashlib.sha256(f"{content}|{EXTRACTOR}|{batch_size}".encode()).hexdigest()
            if store.dataset_fingerprint(f"mine:{key}") == version:
                summary.files_skipped += 1
                continue
            outstanding[key] = 0
            for number, batch in enumerate(_batches(documents, batch_size, summary)):
                unit = _Unit(f"mine:{key}#{number}", version, key, len(batch))
                if store.dataset_fingerprint(unit.name) == version:
                    summary.documents_skipped += len(batch)
                    continue
                while len(in_flight) >= 2 * n_workers:
                    done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                    complete(done)
                in_flight[executor.submit(extract_batch, config, batch)] = unit
                outstanding[key] += 1
            finished_reading[key] = version
            _finish_file(key)
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
    """Mine files and folders (PubMed/MEDLINE XML, BioC XML/JSON, PubTator, text) into
    ``store``. Incremental and idempotent: finished files and batches are skipped."""
    files = list_inputs(paths)
    summary = MiningSummary()

    def sources() -> Iterator[tuple[str, str, Iterable[Document | ReadProblem]]]:
        for path in files:
            try:
                digest = file_fingerprint(path)
                documents = iter_documents(path)
            except (MiningError, OSError) as error:
                summary.errors.append(f"{path}: {error}")
                continue
            key = f"{digest[:16]}:{path.name[:120]}"
            yield key, digest, documents

    return mine_documents(
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
) -> dict[str, list[Any]]:
    """Scores of the extractor: SCAI miRNA corpus (training half) and the founding review."""
    from evkg.extract.evaluation import CorpusError, read_scai, score_scai

    config = WorkerConfig(
        str(data_dir) if data_dir else None, str(cache_dir) if cache_dir else None
    )
    extractor = _extractor(config)
    report: dict[str, list[Any]] = {}
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
    text_path = review_text or (
        data_dir.parent / "seed" / "000_b03c4da1d36fef63.txt" if data_dir else None
    )
    if text_path is None or not text_path.is_file():
        raise MiningError(f"{text_path}: the founding review text was not found (--review-text)")
    report["Founding review text vs curated knowledge (pairs)"] = score_review(extractor, text_path)
    return report


def _pair_key(extractor: Extractor, curie: str) -> str:
    """miRNAs compare by name without species (the review mixes species); others by CURIE."""
    if curie.startswith("mirbase.mature:"):
        label = extractor.vocabulary.lexicon.label(curie)
        return label.split("-", 1)[1] if label.count("-") >= 1 else label
    return curie


def score_review(extractor: Extractor, text_path: Path) -> list[Any]:
    """Pairs from the review text against the curated pairs, per pair type."""
    from evkg.extract.evaluation import Score
    from evkg.sources.curated import read_source
    from evkg.sources.text import read_text

    gold: dict[str, set[tuple[str, str]]] = {}
    for located in read_source().records:
        claim = located.record.claim()
        kind = _pair_type(claim)
        if kind:
            pair = (_pair_key(extractor, claim.subject), _pair_key(extractor, claim.object))
            gold.setdefault(kind, set()).add(pair)
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
    return scores


def _show(label: Callable[[str], str], pair: tuple[str, str]) -> str:
    return " – ".join(label(p) if ":" in p else p for p in pair)
