"""Frozen typed records: entities, references, claims with context, and their evidence.

A :class:`Claim` is *what* is asserted (subject, predicate, object, context, outcome) and is
identified by a content hash; :class:`Evidence` is *why we believe it* (a quoted sentence
from a reference, method, level, confidence) with a hash of its own. The store keeps one
row per claim hash and accumulates evidence rows under it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evkg.model.curie import Curie
from evkg.model.vocabularies import (
    PREDICATE_OUTCOME,
    CargoType,
    EntityKind,
    ErratumKind,
    EvidenceLevel,
    EvidenceMethod,
    Outcome,
    Predicate,
    PublicationType,
)

__all__ = [
    "Claim",
    "Context",
    "Entity",
    "Erratum",
    "Evidence",
    "Reference",
    "content_hash",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def content_hash(payload: dict[str, Any]) -> str:
    """SHA-256 (hex, first 32 chars) of a canonical JSON rendering of ``payload``.

    >>> content_hash({"b": 1, "a": [2]}) == content_hash({"a": [2], "b": 1})
    True
    """
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Entity(_Frozen):
    """A node of the evidence graph, identified by a CURIE."""

    id: Curie
    kind: EntityKind = Field(description="What the node is")
    label: str = Field(min_length=1, description="Preferred display name")
    synonyms: tuple[str, ...] = Field(default=(), description="Other names users may type")
    xrefs: tuple[Curie, ...] = Field(default=(), description="Same entity in other vocabularies")
    description: str | None = Field(default=None, description="One-line definition")


class Reference(_Frozen):
    """A bibliographic reference: the primary paper a claim rests on, or a review."""

    id: Curie = Field(description="evkg.ref:, pubmed: or doi: identifier")
    authors: tuple[str, ...] = Field(min_length=1, description="Author names as printed")
    et_al: bool = Field(default=False, description="The printed author list ends in 'et al.'")
    year: int | None = Field(
        default=None, ge=1900, le=2100, description="Publication year; null when not known"
    )
    title: str = Field(min_length=1)
    journal: str = Field(min_length=1, description="Journal or book, abbreviated as printed")
    volume: str | None = None
    pages: str | None = Field(default=None, description="Pages or article number as printed")
    pmid: str | None = Field(default=None, pattern=r"^\d+$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    publication_type: PublicationType | None = Field(
        default=None, description="primary study, review or other (book, guideline, methods)"
    )
    note: str | None = Field(default=None, description="Curator remark on this reference")

    def citation(self) -> str:
        """A one-line citation: ``Chen Z et al. (2018) J Immunol 201:2472-82``; a record
        whose authors the curator did not see is named by the start of its title instead.

        >>> Reference(id="doi:10.1000/x", authors=("not reported",), title="Exosomes from "
        ...     "hypoxia-primed stromal cells protect the kidney in rats", journal="FEBS Lett",
        ...     doi="10.1000/x").citation()
        '“Exosomes from hypoxia-primed stromal cells protect the…” (n.d.) FEBS Lett'
        """
        if self.authors[0] == "not reported":
            return f"“{_shortened(self.title)}” ({self.printed_year}) {self.journal}"
        who = self.authors[0] + (" et al." if self.et_al or len(self.authors) > 1 else "")
        where = self.journal
        if self.volume:
            where += f" {self.volume}"
        if self.pages:
            where += f":{self.pages}"
        return f"{who} ({self.printed_year}) {where}"

    @property
    def printed_year(self) -> str:
        """The year as a citation prints it: ``n.d.`` (no date) when it is not known."""
        return str(self.year) if self.year is not None else "n.d."


def _shortened(text: str, limit: int = 56) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class Context(_Frozen):
    """The experimental circumstances a claim holds in. All fields are part of the claim hash."""

    disease: Curie | None = Field(default=None, description="Disease the study addresses")
    ev_source: Curie | None = Field(default=None, description="evkg.source term of the EVs")
    donor_state: str | None = Field(
        default=None, description="Donor condition of the source cells (e.g. 'aged', 'T1D')"
    )
    modifications: tuple[Curie, ...] = Field(
        default=(), description="Preconditioning, engineering, loading, formulation, culture mode"
    )
    cargo_type: CargoType | None = Field(default=None, description="Form of the cargo involved")
    model: Curie | None = Field(default=None, description="evkg.model term of the disease model")
    species: Curie | None = Field(default=None, description="ncbitaxon: of the model organism")
    route: Curie | None = Field(default=None, description="evkg.route term of administration")
    dose: str | None = Field(default=None, description="Dose as reported")

    @model_validator(mode="after")
    def _sorted_modifications(self) -> Context:
        if list(self.modifications) != sorted(set(self.modifications)):
            object.__setattr__(self, "modifications", tuple(sorted(set(self.modifications))))
        return self


class Claim(_Frozen):
    """An assertion ``subject -predicate-> object`` in a context, with an outcome direction."""

    subject: Curie
    predicate: Predicate
    object: Curie
    context: Context = Field(default_factory=Context)
    outcome: Outcome | None = Field(
        default=None, description="Direction for the patient/model; required on disease edges"
    )

    @model_validator(mode="after")
    def _outcome_matches_predicate(self) -> Claim:
        implied = PREDICATE_OUTCOME.get(self.predicate)
        if implied is None:
            return self
        if self.outcome is None:
            object.__setattr__(self, "outcome", implied)
        elif self.outcome not in (implied, Outcome.CONTESTED):
            raise ValueError(
                f"outcome {self.outcome.value!r} contradicts predicate "
                f"{self.predicate.value!r} (expected {implied.value!r} or 'contested')"
            )
        return self

    @property
    def hash(self) -> str:
        """Content hash: equal for equal assertions, whatever the evidence."""
        return content_hash(self.model_dump(mode="json"))


class Erratum(_Frozen):
    """A problem in what a source printed, with what the curator read instead."""

    kind: ErratumKind
    field: str = Field(description="Which part of the record is affected (subject, reference…)")
    printed: str = Field(min_length=1, description="What the source printed, verbatim")
    reading: str = Field(min_length=1, description="What the curator takes it to mean")
    note: str = Field(min_length=1, description="Why")


class Evidence(_Frozen):
    """One quoted piece of support for a claim."""

    claim_hash: str = Field(pattern=r"^[0-9a-f]{32}$")
    reference: Curie = Field(description="Primary reference the claim rests on")
    quote: str = Field(min_length=1, description="Verbatim sentence or table row")
    quoted_from: Curie | None = Field(
        default=None, description="Document the quote comes from, when not the reference itself"
    )
    section: str | None = Field(default=None, description="Section heading of the quote")
    printed_citation: str | None = Field(
        default=None, description="Citation as printed next to the quote, e.g. '83' or '26-28'"
    )
    method: EvidenceMethod
    extractor: str | None = Field(default=None, description="Extractor name and version")
    level: EvidenceLevel
    confidence: float = Field(ge=0.0, le=1.0)
    curator_note: str | None = None
    errata: tuple[Erratum, ...] = ()

    @property
    def hash(self) -> str:
        """Hash of the evidence itself (claim, reference, quote, method, extractor)."""
        return content_hash(
            {
                "claim": self.claim_hash,
                "reference": self.reference,
                "quote": self.quote,
                "quoted_from": self.quoted_from,
                "method": self.method.value,
                "extractor": self.extractor,
            }
        )
