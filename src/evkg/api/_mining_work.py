"""The work of literature mining apart from the store: inputs, the worker tasks (one batch
of documents, or one whole file read by the worker itself) and the executors they run on.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evkg.extract.pipeline import Extractor
from evkg.model import Claim, Entity, Evidence, Reference, is_valid_curie
from evkg.sources.text import Document, ReadProblem, UnreadRecord

__all__ = [
    "BatchOutput",
    "FileOutput",
    "MiningError",
    "WorkerConfig",
    "extract_batch",
    "extract_file",
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

    @property
    def reading_mode(self) -> str:
        """Names how records are read; batch numbering depends on it (part of the resume
        fingerprint)."""
        return "every record parsed" if self.parse_every_record else "screened"


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


Item = Document | ReadProblem | UnreadRecord


def iter_documents(path: Path, config: WorkerConfig | None = None) -> Iterator[Item]:
    """Documents of one file of any supported format (detected from its content). PubMed
    records that cannot be about EVs or cargo are counted unparsed unless ``config`` asks
    for every record to be parsed."""
    kind = _sniff(path)
    if kind == "pubmed":
        from evkg.extract.relevance import xml_record_may_be_relevant
        from evkg.sources.pubmed import read_pubmed

        every = config is not None and config.parse_every_record
        return read_pubmed(path, None if every else xml_record_may_be_relevant)
    if kind == "bioc":
        from evkg.sources.bioc import read_bioc

        return read_bioc(path)
    if kind == "pubtator":
        from evkg.sources.pubtator import read_pubtator

        return read_pubtator(path)
    from evkg.sources.text import read_text

    return read_text(path)


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
    documents = iter_documents(Path(path), config)
    for number, batch in enumerate(_batches(documents, batch_size, problems)):
        if number in finished:
            batches.append((number, len(batch)))
        else:
            batches.append((number, extract_batch(config, batch)))
    return FileOutput(batches, problems)


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
