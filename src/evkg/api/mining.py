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
from dataclasses import dataclass, field, replace
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
    _Inline,
    default_workers,
    extract_batch,
    extract_file,
    guarded,
    input_digest,
    iter_documents,
    list_inputs,
)
from evkg.assemble import assemble
from evkg.extract.pipeline import EXTRACTOR
from evkg.model import Claim, Evidence
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


@dataclass
class _Task:
    """A unit sent to a worker, kept so that it can be sent again."""

    unit: _Unit
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    retried: bool = False


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
    executor, close, n_workers = _executor(wanted, scheduler, config)
    in_workers = not isinstance(executor, _Inline)
    in_flight: dict[cf.Future[Any], _Task] = {}
    files: dict[str, _FileState] = {}
    broken = False  # the local process pool lost a worker: replaced before the next task
    retries: list[_Task] = []  # tasks in flight when a worker died, each sent once more

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
            task = in_flight.pop(future)
            unit = task.unit
            state = files[unit.file_key]
            state.outstanding -= 1
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                if not task.retried:  # perhaps another task's death: sent again, alone
                    retries.append(replace(task, retried=True))
                    state.outstanding += 1
                    continue
                state.crashed = state.crashed or (
                    "a worker process died (killed, or out of memory) on this file"
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

    def drain() -> None:
        while in_flight:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            complete(done)

    def replace_pool() -> None:
        """A worker of the local pool died: every task of the pool fails, then a new pool
        takes the next tasks. The tasks that failed are first sent again one at a time
        (any of them may have been the one the worker died on), so that only the task a
        worker dies on twice fails its file."""
        nonlocal executor, close, broken
        drain()
        while broken:
            close()
            executor, close, _ = _executor(wanted, scheduler, config)
            broken = False
            while retries and not broken:
                task = retries.pop(0)
                files[task.unit.file_key].outstanding -= 1
                send(task)
                drain()

    def send(task: _Task) -> None:
        try:
            future = executor.submit(task.fn, config, *task.args)
        except BrokenProcessPool:  # a worker died since the last task completed
            replace_pool()
            future = executor.submit(task.fn, config, *task.args)
        in_flight[future] = task
        files[task.unit.file_key].outstanding += 1

    def submit(unit: _Unit, fn: Callable[..., Any], *args: Any) -> None:
        while len(in_flight) >= 2 * n_workers:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            complete(done)
        if broken:
            replace_pool()
        send(_Task(unit, fn, args))

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
        drain()
        if retries:
            replace_pool()
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
    that cannot be read is named in ``files_failed`` with the reason; the others are mined.
    Without ``workers`` (and ``scheduler``), :func:`default_workers` chooses from the input:
    one process for a small input, else one per core, at most one per file."""
    files = list_inputs(paths)
    summary = MiningSummary()
    if workers is None and scheduler is None:
        workers = default_workers(files, batch_size)

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
