"""Application services shared by the CLI, the REST API and Python users."""

from evkg.api.knowledge import build_curated_bundle, curated_fingerprint, ensure_loaded
from evkg.api.service import (
    DiseaseReport,
    Knowledge,
    UnknownNameError,
    open_knowledge,
)

__all__ = [
    "DiseaseReport",
    "Knowledge",
    "UnknownNameError",
    "build_curated_bundle",
    "curated_fingerprint",
    "ensure_loaded",
    "open_knowledge",
]
