"""Public verbs of the plain-text source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.text.document import Document, ReadProblem
from evkg.sources.text.metadata import TextMetadata
from evkg.sources.text.reader import document_from_text, read_text_file

__all__ = ["document_from_text", "read_text"]


def read_text(
    path: Path, document_id: str | None = None, metadata: TextMetadata | None = None
) -> Iterator[Document | ReadProblem]:
    """The document of a ``.txt``/``.md`` file (one file is one document), with its
    sidecar's metadata (``<file>.meta.json``) and ``metadata``'s in their place."""
    yield read_text_file(path, document_id, metadata)
