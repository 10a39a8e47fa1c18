"""Public verbs of the curated-knowledge source: find, read and convert curated files."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from evkg.model import (
    BackgroundCitation,
    Claim,
    CuratedRecord,
    CuratedReference,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
    TableRow,
)
from evkg.recordfiles import RecordFileError, read_records

__all__ = [
    "CuratedSource",
    "Statement",
    "curated_root",
    "list_sources",
    "read_source",
    "to_statements",
]

#: Confidence of curated evidence by level before errata penalties.
_BASE_CONFIDENCE = {
    EvidenceLevel.CLINICAL: 0.95,
    EvidenceLevel.IN_VIVO: 0.9,
    EvidenceLevel.EX_VIVO: 0.8,
    EvidenceLevel.IN_VITRO: 0.75,
    EvidenceLevel.REVIEW_STATEMENT: 0.5,
}
#: Errata that weaken confidence in the attribution of a claim.
_PENALISED = {"citation_mismatch", "unsupported", "misattributed_context", "missing_citation"}


T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A record with the file and line it was read from."""

    path: Path
    line: int
    record: T


@dataclass
class CuratedSource:
    """All files of one curated source (a folder under ``evkg/data/curated``)."""

    name: str
    directory: Path
    references: list[Located[CuratedReference]] = field(default_factory=list)
    records: list[Located[CuratedRecord]] = field(default_factory=list)
    table_rows: list[Located[TableRow]] = field(default_factory=list)
    background: list[Located[BackgroundCitation]] = field(default_factory=list)

    @property
    def document(self) -> CuratedReference:
        """The source document itself: the reference without a printed number."""
        for located in self.references:
            if located.record.review_number is None:
                return located.record
        raise RecordFileError(
            self.directory / "references.yaml",
            None,
            "review_number",
            "no entry for the source itself (review_number: null)",
        )


@dataclass(frozen=True)
class Statement:
    """One claim with one piece of evidence and the curated record it came from."""

    claim: Claim
    evidence: Evidence
    chain: str | None
    record_id: str


def curated_root() -> Path:
    """Directory of the curated sources shipped with the package."""
    root = resources.files("evkg") / "data" / "curated"
    return Path(str(root))


def list_sources(root: Path | None = None) -> list[str]:
    """Names of the curated sources (sub-folders holding a references.yaml)."""
    base = root or curated_root()
    return sorted(p.name for p in base.iterdir() if (p / "references.yaml").is_file())


def _files(directory: Path, prefix: str) -> Iterator[Path]:
    yield from sorted(directory.glob(f"{prefix}*.yaml"))


def read_source(name: str = "zhang2024", root: Path | None = None) -> CuratedSource:
    """Read and validate every file of curated source ``name``.

    Raises :class:`~evkg.recordfiles.RecordFileError` naming file, line and field on the
    first malformed record.
    """
    directory = (root or curated_root()) / name
    if not (directory / "references.yaml").is_file():
        raise RecordFileError(directory, None, None, "not a curated source (no references.yaml)")
    source = CuratedSource(name=name, directory=directory)
    for path in _files(directory, "references"):
        source.references += [Located(path, n, r) for n, r in read_records(path, CuratedReference)]
    for path in _files(directory, "claims"):
        source.records += [Located(path, n, r) for n, r in read_records(path, CuratedRecord)]
    for path in _files(directory, "table"):
        source.table_rows += [Located(path, n, r) for n, r in read_records(path, TableRow)]
    for path in _files(directory, "background"):
        source.background += [
            Located(path, n, r) for n, r in read_records(path, BackgroundCitation)
        ]
    return source


def _confidence(level: EvidenceLevel, record: CuratedRecord) -> float:
    penalties = sum(1 for erratum in record.errata if erratum.kind.value in _PENALISED)
    return round(max(0.1, _BASE_CONFIDENCE[level] - 0.15 * penalties), 3)


@functools.cache
def process_genes() -> dict[str, str]:
    """The gene each listed pathway or process is named after (``process_genes.yaml``)."""
    item = resources.files("evkg") / "data" / "vocab" / "process_genes.yaml"
    if not item.is_file():
        return {}
    rows = yaml.safe_load(item.read_text(encoding="utf-8")) or []
    return {row["process"]: row["gene"] for row in rows}


_GENE_LEVEL = {
    Predicate.INHIBITS: Predicate.REGULATES_DOWN,
    Predicate.ACTIVATES: Predicate.REGULATES_UP,
}


def gene_level(claim: Claim) -> Claim | None:
    """The gene-level edge beside a claim on a pathway named after a gene, if any."""
    gene = process_genes().get(claim.object)
    predicate = _GENE_LEVEL.get(claim.predicate)
    if gene is None or predicate is None:
        return None
    return claim.model_copy(update={"predicate": predicate, "object": gene})


def to_statements(source: CuratedSource) -> list[Statement]:
    """One :class:`Statement` per evidence entry of every curated record (and of its
    gene-level edge, for a claim on a pathway named after a gene)."""
    document = source.document.id
    statements: list[Statement] = []
    for located in source.records:
        record = located.record
        claim = record.claim()
        companion = gene_level(claim)
        for item in record.evidence:
            evidence = Evidence(
                claim_hash=claim.hash,
                reference=item.reference,
                quote=item.quote,
                quoted_from=None if item.reference == document else document,
                section=item.section,
                printed_citation=item.printed_citation,
                method=EvidenceMethod.CURATED,
                extractor=None,
                level=item.level,
                confidence=_confidence(item.level, record),
                curator_note=record.note,
                errata=record.errata,
            )
            statements.append(Statement(claim, evidence, record.chain, record.id))
            if companion is not None:
                extra = evidence.model_copy(update={"claim_hash": companion.hash})
                statements.append(Statement(companion, extra, record.chain, record.id))
    return statements
