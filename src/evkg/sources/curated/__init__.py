"""The curated knowledge shipped with evkg (YAML records under ``evkg/data/curated``)."""

from evkg.sources.curated.api import (
    CuratedSource,
    Statement,
    curated_root,
    list_sources,
    read_source,
    to_statements,
)

__all__ = [
    "CuratedSource",
    "Statement",
    "curated_root",
    "list_sources",
    "read_source",
    "to_statements",
]
