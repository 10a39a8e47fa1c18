"""Typed records of the evidence model. This layer imports nothing else from evkg."""

from evkg.model.curated import (
    BackgroundCitation,
    CuratedEvidence,
    CuratedRecord,
    CuratedReference,
    TableRow,
)
from evkg.model.curie import Curie, is_valid_curie, parse_curie, validate_curie
from evkg.model.records import Claim, Context, Entity, Erratum, Evidence, Reference, content_hash
from evkg.model.vocabularies import (
    LEVEL_RANK,
    PREDICATE_OUTCOME,
    CargoType,
    EntityKind,
    ErratumKind,
    EvidenceLevel,
    EvidenceMethod,
    ModelKind,
    Outcome,
    Predicate,
)

__all__ = [
    "LEVEL_RANK",
    "PREDICATE_OUTCOME",
    "BackgroundCitation",
    "CargoType",
    "Claim",
    "Context",
    "CuratedEvidence",
    "CuratedRecord",
    "CuratedReference",
    "Curie",
    "Entity",
    "EntityKind",
    "Erratum",
    "ErratumKind",
    "Evidence",
    "EvidenceLevel",
    "EvidenceMethod",
    "ModelKind",
    "Outcome",
    "Predicate",
    "Reference",
    "TableRow",
    "content_hash",
    "is_valid_curie",
    "parse_curie",
    "validate_curie",
]
