"""The work of literature mining apart from the store: inputs, the worker tasks (one batch
of documents, or one whole file read by the worker itself) and the executors they run on.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evkg.extract.pipeline import Extractor
from evkg.model import Claim, Entity, Evidence, Reference, is_valid_curie
from evkg.recordfiles import file_sha256
from evkg.sources.text import (
    SIDECAR_SUFFIX,
    Document,
    ReadProblem,
    TextMetadata,
    UnreadRecord,
    sidecar_of,
)

__all__ = [
    "BatchOutput",
    "FileHealth",
    "FileOutput",
    "MiningError",
    "WorkerConfig",
    "default_workers",
    "extract_batch",
    "extract_file",
    "guarded",
    "input_digest",
    "iter_documents",
    "list_inputs",
]

_SUFFIXES = (".xml", ".xml.gz", ".json", ".json.gz", ".txt", ".md", ".pubtator", ".gz")


class MiningError(ValueError):
    """An input cannot be mined (missing path, unknown format); the message names it."""


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to build its vocabulary (paths must exist on the worker)."""

    data_dir: str | None = None
    cache_dir: str | None = None
    #: Parse every PubMed record, reporting broken markup even in records that cannot be
    #: about EVs or cargo; by default a byte screen counts those without parsing them.
    parse_every_record: bool = False
    #: PMID, DOI and title given for the one plain-text file mined (``evkg mine --pmid``).
    text_metadata: TextMetadata | None = None

    @property
    def reading_mode(self) -> str:
        """Names how records are read; batch numbering and the reference stored depend on
        it (part of the resume fingerprint)."""
        mode = "every record parsed" if self.parse_every_record else "screened"
        return f"{mode}; {self.text_metadata.describe()}" if self.text_metadata else mode


@dataclass
class BatchOutput:
    """What a worker returns for one batch."""

    documents: int
    sentences: int  # in the relevant documents, the only ones split into sentences
    relevant: int
    statements: list[tuple[Claim, Evidence]]
    entities: list[Entity]
    references: list[Reference]
    problems: list[str]
    unparsed: int = 0  # records counted without being parsed (they cannot yield a claim)


# -- inputs -------------------------------------------------------------------------------
def list_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files to mine: the files given, and the known file types under folders given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name.lower().endswith(_SUFFIXES)
                and not p.name.lower().endswith(SIDECAR_SUFFIX)  # read with its text file
            )
        elif path.is_file() and path.name.lower().endswith(SIDECAR_SUFFIX):
            raise MiningError(
                f"{path}: a metadata sidecar; mine its text file "
                f"({path.name[: -len(SIDECAR_SUFFIX)]}), which reads it"
            )
        elif path.is_file():
            found.append(path)
        else:
            raise MiningError(f"{path}: no such file or folder")
    return found


#: Bytes of input per document, estimated low (so that the estimate errs towards more
#: documents): a MEDLINE citation takes ~1.1 KB gzipped (the shared 605-citation sample),
#: ~5 KB as XML; PubTator and BioC records are of the same order or larger.
_BYTES_PER_DOCUMENT_GZIP = 1_000
_BYTES_PER_DOCUMENT = 4_000
_ONE_DOCUMENT_SUFFIXES = (".txt", ".md")


def _estimated_documents(path: Path) -> int:
    name = path.name.lower()
    if name.endswith(_ONE_DOCUMENT_SUFFIXES):
        return 1
    per_document = _BYTES_PER_DOCUMENT_GZIP if name.endswith(".gz") else _BYTES_PER_DOCUMENT
    try:
        return max(1, path.stat().st_size // per_document)
    except OSError:  # reported when the file is read
        return 1


def default_workers(files: Sequence[Path], batch_size: int, cores: int | None = None) -> int:
    """Local worker processes for mining ``files`` when none are asked for: one per core,
    no more than there are files (a worker reads and extracts whole files), and one when
    the input holds fewer than about two batches of documents (estimated from the files'
    sizes), where handing work to other processes costs more than it saves."""
    cores = cores or os.cpu_count() or 1
    if len(files) <= 1 or cores <= 1:
        return 1
    if sum(_estimated_documents(path) for path in files) < 2 * batch_size:
        return 1
    return min(cores, len(files))


def input_digest(path: Path) -> str:
    """SHA-256 of a file to mine, and of its metadata sidecar when it has one (a changed
    sidecar changes the reference stored, so the file is mined again)."""
    digest = file_sha256(path)
    sidecar = sidecar_of(path)
    if sidecar.is_file():
        digest = hashlib.sha256(f"{digest}|{file_sha256(sidecar)}".encode()).hexdigest()
    return digest


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
        if "<article" in text or "<pmc-articleset" in text:
            return "jats"
        raise MiningError(f"{path}: XML but neither PubMed/MEDLINE nor BioC nor JATS")
    first = stripped.splitlines()[0] if stripped else ""
    if "|t|" in first or "|a|" in first:
        return "pubtator"
    return "text"


Item = Document | ReadProblem | UnreadRecord


def iter_documents(path: Path, config: WorkerConfig | None = None) -> Iterator[Item]:
    """Documents of one file of any supported format (detected from its content). PubMed
    records that cannot be about EVs or cargo are counted unparsed unless ``config`` asks
    for every record to be parsed."""
    kind = _sniff(path)
    metadata = config.text_metadata if config is not None else None
    if metadata is not None and kind != "text":
        raise MiningError(
            f"{path}: --pmid, --doi and --title describe a plain-text file; this is {kind}, "
            "which carries its own identifiers"
        )
    if kind == "pubmed":
        from evkg.extract.relevance import xml_record_may_be_relevant
        from evkg.sources.pubmed import read_pubmed

        every = config is not None and config.parse_every_record
        return read_pubmed(path, None if every else xml_record_may_be_relevant)
    if kind == "bioc":
        from evkg.sources.bioc import read_bioc

        return read_bioc(path)
    if kind == "jats":
        from evkg.sources.jats import read_jats

        return read_jats(path)
    if kind == "pubtator":
        from evkg.sources.pubtator import read_pubtator

        return read_pubtator(path)
    from evkg.sources.text import read_text

    return read_text(path, metadata=metadata)


@dataclass
class FileHealth:
    """How reading one file went: documents (and records counted unparsed) read, problems
    reported, and why reading stopped before the end of the file, if it did."""

    documents: int = 0
    problems: int = 0
    stopped: str | None = None

    @property
    def failed(self) -> bool:
        """Nothing could be read from the file, and something was wrong with it."""
        return self.documents == 0 and (self.stopped is not None or self.problems > 0)


def guarded(name: str, documents: Iterable[Item], health: FileHealth) -> Iterator[Item]:
    """The items of one file, with any error a reader raises turned into a problem that
    names the file and ends it: one broken file never ends a run."""
    try:
        for item in documents:
            if isinstance(item, ReadProblem):
                health.problems += 1
                if item.stops_reading and health.stopped is None:
                    health.stopped = str(item)
            else:
                health.documents += 1
            yield item
    except Exception as error:  # a reader meeting input it does not expect: this file only
        problem = ReadProblem(
            name,
            f"reading stopped ({type(error).__name__}: {str(error)[:200]}); documents read "
            "before this point are kept",
            stops_reading=True,
        )
        health.problems += 1
        health.stopped = health.stopped or str(problem)
        yield problem


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
        from evkg.extract.regulation import load_regulation_classifier

        data_dir = Path(config.data_dir) if config.data_dir else None
        cache_dir = Path(config.cache_dir) if config.cache_dir else None
        extractor = _EXTRACTORS[config] = Extractor(
            vocabulary,
            cache_dir=cache_dir,
            regulation=load_regulation_classifier(data_dir, cache_dir),
        )
        # millions of long-lived objects (lexicon, automaton payloads): kept out of the
        # cyclic collector, whose full passes over them cost ~10 % of mining's time
        gc.freeze()
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


def extract_batch(config: WorkerConfig, documents: list[Document | UnreadRecord]) -> BatchOutput:
    """Extract one batch (runs in a worker process or on a Dask worker)."""
    extractor = _extractor(config)
    output = BatchOutput(len(documents), 0, 0, [], [], [], [])
    mentioned: set[str] = set()
    for document in documents:
        if isinstance(document, UnreadRecord):
            output.unparsed += 1
            continue
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


@dataclass
class FileOutput:
    """What a worker returns for one file it read itself: per batch, its number and either
    the extraction or, for a batch an earlier run finished, the number of its documents."""

    batches: list[tuple[int, BatchOutput | int]]
    problems: list[str]  # records the reader skipped, with where and why
    health: FileHealth


def extract_file(
    config: WorkerConfig, path: str, batch_size: int, finished: frozenset[int]
) -> FileOutput:
    """Read one file and extract its batches, all in the worker (runs in a worker process
    or on a Dask worker, which must see ``path`` like it sees the data directory): the
    process that writes to the store then only loads results. Batches whose numbers are in
    ``finished`` are read (to number the rest) but not extracted."""
    if not Path(path).is_file():
        raise MiningError(
            f"{path}: not readable by the worker (input files must be at the same path on "
            "every worker, like the data directory)"
        )
    problems: list[str] = []
    batches: list[tuple[int, BatchOutput | int]] = []
    health = FileHealth()
    documents = guarded(path, iter_documents(Path(path), config), health)
    for number, batch in enumerate(_batches(documents, batch_size, problems)):
        if number in finished:
            batches.append((number, len(batch)))
        else:
            batches.append((number, extract_batch(config, batch)))
    return FileOutput(batches, problems, health)


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


def _fork_context() -> Any:
    """The 'fork' start method where the platform has it (``None``: the default one)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _executor(
    workers: int, scheduler: str | None, config: WorkerConfig
) -> tuple[cf.Executor, Callable[[], None], int]:
    """Where the tasks run: a Dask cluster, this process (one worker) or a local pool. The
    local workers are forked after this process has built the extractor (vocabulary,
    recogniser, classifier: ~1 GB with the full vocabularies), which they inherit
    copy-on-write instead of each building its own; it is frozen out of the garbage
    collector first, so that collections in the workers leave its pages shared."""
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
    context = _fork_context()
    if context is not None:
        _extractor(config)  # built here once; _EXTRACTORS is inherited by every worker
        gc.freeze()
    pool = cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    return pool, lambda: pool.shutdown(cancel_futures=True), workers


#: Seconds between a worker's checks that the process that started it is still alive.
PARENT_CHECK_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Worker initialiser: end this worker when ``parent`` (the mining process) ends, even
    by ``kill -9``, so that no worker runs on orphaned. On Linux the kernel signals the
    worker (``PR_SET_PDEATHSIG``); everywhere a watchdog thread sees the parent go."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no prctl: the watchdog below still works
            pass

    started_under = os.getppid()  # the mining process, or a forkserver it started

    def watch() -> None:
        while True:
            if os.getppid() != started_under or not _exists(parent):
                os._exit(1)
            time.sleep(PARENT_CHECK_SECONDS)

    threading.Thread(target=watch, name="evkg-parent-watchdog", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the id now belongs to another user's process
        return False
    return True


def _batches(
    documents: Iterable[Item], size: int, errors: list[str]
) -> Iterator[list[Document | UnreadRecord]]:
    """Documents (and records counted unparsed) in lists of ``size``; skipped records go to
    ``errors``."""
    batch: list[Document | UnreadRecord] = []
    for item in documents:
        if isinstance(item, ReadProblem):
            errors.append(str(item))
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
