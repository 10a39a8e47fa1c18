"""Public verbs of the PubMed/MEDLINE XML source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.pubmed.reader import RecordScreen, iter_pubmed
from evkg.sources.text.document import Document, ReadProblem, UnreadRecord

__all__ = ["read_pubmed"]


def read_pubmed(
    path: Path, screen: RecordScreen | None = None
) -> Iterator[Document | ReadProblem | UnreadRecord]:
    """Stream the records of a PubMed/MEDLINE XML file (``.xml`` or ``.xml.gz``). Records
    that ``screen`` (given the record's bytes) rejects are counted as
    :class:`~evkg.sources.text.UnreadRecord` without being parsed."""
    return iter_pubmed(path, screen)
