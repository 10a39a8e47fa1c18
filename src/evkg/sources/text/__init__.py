"""Plain text and Markdown (e.g. a review) as documents; the shared document record."""

from evkg.sources.text.api import document_from_text, read_text
from evkg.sources.text.document import (
    Bibliography,
    CitedReference,
    Document,
    ReadProblem,
    Section,
    UnreadRecord,
)

__all__ = [
    "Bibliography",
    "CitedReference",
    "Document",
    "ReadProblem",
    "Section",
    "UnreadRecord",
    "document_from_text",
    "read_text",
]
