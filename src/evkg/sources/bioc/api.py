"""Public verbs of the BioC source (PMC BioC XML and JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.bioc.json_stream import iter_bioc_json
from evkg.sources.bioc.reader import iter_bioc_xml
from evkg.sources.pubmed.reader import READ_ERRORS, open_maybe_gzip, unreadable
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["read_bioc"]


def read_bioc(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents of a BioC file; JSON when its first non-blank byte opens an object or list."""
    try:
        with open_maybe_gzip(path) as handle:
            head = handle.read(64)
    except READ_ERRORS as error:
        return iter([unreadable(path.name, error)])
    if head.lstrip()[:1] in (b"{", b"["):
        return iter_bioc_json(path)
    return iter_bioc_xml(path)
