"""The record of one line of ``evkg export --format jsonl`` (and ``GET /api/export/jsonl``).

Its JSON Schema, with this record as the root, is ``schema/claim-line.schema.json``
(``evkg schema --of jsonl``); the export tests validate real export lines against it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evkg.model.curie import Curie
from evkg.model.records import Evidence
from evkg.model.vocabularies import CargoType, Outcome, Predicate

__all__ = ["ClaimLine"]

Strength = Literal[
    "clinical", "in_vivo_replicated", "in_vivo", "ex_vivo", "in_vitro", "review_statement"
]


class ClaimLine(BaseModel):
    """One claim with its labels, context, derived support and every piece of evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_hash: str = Field(pattern=r"^[0-9a-f]{32}$", description="Content hash of the claim")
    subject: Curie
    subject_label: str = Field(description="Name of the subject, as a person reads it")
    predicate: Predicate
    object: Curie
    object_label: str = Field(description="Name of the object, as a person reads it")
    outcome: Outcome | None = Field(description="Direction for the disease, when one applies")
    disease: Curie | None = Field(description="Disease the claim's study addresses")
    ev_source: Curie | None = Field(description="evkg.source term of the EVs")
    modifications: list[Curie] = Field(description="Preconditioning and engineering terms")
    cargo_type: CargoType | None
    model: Curie | None = Field(description="evkg.model term of the disease model")
    species: Curie | None = Field(description="ncbitaxon: term of the model organism")
    route: Curie | None = Field(description="evkg.route term of administration")
    strength: Strength = Field(description="Strongest evidence tier behind the claim")
    n_references: int = Field(ge=0, description="Distinct references among the evidence")
    confidence: float = Field(ge=0.0, le=1.0)
    references: list[Curie] = Field(description="Reference ids, in evidence order")
    chains: list[str] = Field(description="Mechanism chains the claim belongs to")
    evidence: list[Evidence] = Field(min_length=1, description="Quoted support")
