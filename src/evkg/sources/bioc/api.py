"""Public verbs of the BioC source (PMC BioC XML and JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.bioc.reader import iter_bioc_json, iter_bioc_xml
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["read_bioc"]


def read_bioc(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents of a BioC file; JSON when its first non-blank byte opens an object or list."""
    with path.open("rb") as handle:
        head = handle.read(2)
        if head == b"\x1f\x8b":
            import gzip

            with gzip.open(path, "rb") as unzipped:
                head = unzipped.read(64)
        else:
            head += handle.read(62)
    if head.lstrip()[:1] in (b"{", b"["):
        return iter_bioc_json(path)
    return iter_bioc_xml(path)
