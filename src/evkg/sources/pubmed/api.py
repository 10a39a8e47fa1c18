"""Public verbs of the PubMed/MEDLINE XML source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.pubmed.reader import iter_pubmed
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["read_pubmed"]


def read_pubmed(path: Path) -> Iterator[Document | ReadProblem]:
    """Stream the records of a PubMed/MEDLINE XML file (``.xml`` or ``.xml.gz``)."""
    return iter_pubmed(path)
