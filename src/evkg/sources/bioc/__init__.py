"""PMC BioC documents (XML and JSON)."""

from evkg.sources.bioc.api import read_bioc

__all__ = ["read_bioc"]
