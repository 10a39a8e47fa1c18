"""Plain text and Markdown (e.g. a review) as documents; the shared document record."""

from evkg.sources.text.api import document_from_text, read_text
from evkg.sources.text.document import (
    Bibliography,
    CitedReference,
    Document,
    ReadProblem,
    Section,
    Table,
    UnreadRecord,
)
from evkg.sources.text.metadata import SIDECAR_SUFFIX, TextMetadata, read_sidecar, sidecar_of

__all__ = [
    "SIDECAR_SUFFIX",
    "Bibliography",
    "CitedReference",
    "Document",
    "ReadProblem",
    "Section",
    "Table",
    "TextMetadata",
    "UnreadRecord",
    "document_from_text",
    "read_sidecar",
    "read_text",
    "sidecar_of",
]
