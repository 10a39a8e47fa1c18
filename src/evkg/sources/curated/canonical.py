"""Canonical form of curated and vocabulary files: records sorted, keys in model order,
defaults left out; the leading comment block is kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from evkg.model import (
    BackgroundCitation,
    CuratedRecord,
    CuratedReference,
    Entity,
    StudyRecord,
    TableRow,
)
from evkg.recordfiles import RecordFileError, dump_records, read_records

__all__ = ["CanonicalFile", "canonical_files", "canonical_text", "lint"]


def _first_number(citation: str) -> int:
    return int(citation.replace("-", ",").split(",")[0])


@dataclass(frozen=True)
class CanonicalFile:
    """A file pattern with its record model and sort key."""

    prefix: str
    model: type[BaseModel]
    sort_key: Callable[[Any], Any]


_KINDS = (
    CanonicalFile("claims", CuratedRecord, lambda r: r.id),
    CanonicalFile("table", TableRow, lambda r: (r.table, r.row)),
    CanonicalFile(
        "background",
        BackgroundCitation,
        lambda r: (_first_number(r.printed_citation), r.reference, r.quote),
    ),
    CanonicalFile("references", CuratedReference, lambda r: (r.review_number or 0, r.id)),
    CanonicalFile("terms", Entity, lambda r: r.id),
)


_STUDIES = CanonicalFile("", StudyRecord, lambda r: r.id)


def _kind_of(path: Path) -> CanonicalFile | None:
    if path.suffix == ".yaml" and path.parent.name == "studies":
        return _STUDIES
    for kind in _KINDS:
        if path.name.startswith(kind.prefix) and path.suffix == ".yaml":
            return kind
    return None


def canonical_files(*roots: Path) -> Iterator[Path]:
    """Every file under ``roots`` that has a canonical form."""
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            if _kind_of(path):
                yield path


def canonical_text(path: Path) -> str:
    """The canonical rendering of ``path`` (raises RecordFileError on malformed records)."""
    kind = _kind_of(path)
    if kind is None:
        raise RecordFileError(
            path,
            None,
            None,
            "not an evkg curated or vocabulary file (expected claims*, table*, background*, "
            "references*, terms*.yaml, or a study file under studies/)",
        )
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line)
        else:
            break
    records = [record for _, record in read_records(path, kind.model)]
    records.sort(key=kind.sort_key)
    body = dump_records(records)
    return ("\n".join(header) + "\n" if header else "") + body


def lint(paths: list[Path], fix: bool = False) -> list[Path]:
    """Files not in canonical form (rewritten when ``fix``)."""
    changed = []
    for path in paths:
        expected = canonical_text(path)
        if path.read_text(encoding="utf-8") != expected:
            changed.append(path)
            if fix:
                path.write_text(expected, encoding="utf-8")
    return changed
