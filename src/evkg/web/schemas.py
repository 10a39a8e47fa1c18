"""Response and request bodies of the REST API (what OpenAPI documents)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AnalysisOut",
    "ChainOut",
    "ClaimOut",
    "ClaimPage",
    "ContradictionOut",
    "DiseaseOut",
    "DiseaseStrategies",
    "EntityOut",
    "EntityReportOut",
    "ErrorOut",
    "EvidenceOut",
    "HealthOut",
    "QcChecklistOut",
    "QcComparisonOut",
    "QcItemOut",
    "QcLotOut",
    "QcOut",
    "QcPairOut",
    "QcScoreOut",
    "QcSpecOut",
    "QcValuesOut",
    "ReferenceOut",
    "ReferenceReportOut",
    "ReviewDecision",
    "ReviewItem",
    "ReviewPage",
    "SearchHit",
    "SearchOut",
    "StatsOut",
    "StrategyOut",
    "SuggestionOut",
    "WriteOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class SuggestionOut(_Out):
    curie: str
    label: str
    kind: str


class ErrorOut(_Out):
    """Every error answer: what is wrong, and for unknown names what was meant."""

    detail: str
    suggestions: list[SuggestionOut] = Field(default_factory=list)


class HealthOut(_Out):
    status: Literal["ok"]
    version: str
    read_only: bool


class SearchHit(_Out):
    curies: list[str]
    curie: str
    kind: str
    label: str
    matched_text: str
    score: float
    how: str = Field(description="identifier, label, synonym, grammar or fuzzy")
    flags: list[str]
    n_claims: int = Field(description="Stored claims mentioning the entity as subject or object")
    url: str = Field(description="Web explorer page of the entity")


class SearchOut(_Out):
    query: str
    hits: list[SearchHit]


class EntityOut(_Out):
    id: str
    kind: str
    label: str
    synonyms: list[str] = Field(default_factory=list)
    xrefs: list[str] = Field(default_factory=list)
    description: str | None = None


class EvidenceOut(_Out):
    hash: str
    reference: str
    citation: str = Field(description="One-line citation of the reference")
    quote: str
    quoted_from: str | None = None
    section: str | None = None
    printed_citation: str | None = None
    method: str
    extractor: str | None = None
    level: str
    confidence: float
    curator_note: str | None = None
    errata: list[dict[str, str]] = Field(default_factory=list)


class ClaimOut(_Out):
    hash: str
    subject: str
    predicate: str
    object: str
    outcome: str | None
    disease: str | None
    ev_source: str | None
    donor_state: str | None
    modifications: list[str]
    cargo_type: str | None
    model: str | None
    species: str | None
    route: str | None
    dose: str | None
    strength: str
    n_references: int
    confidence: float
    latest_year: int | None
    references: list[str]
    chains: list[str]
    labels: dict[str, str] = Field(description="Label of every identifier in the claim")
    evidence: list[EvidenceOut]


class ClaimPage(_Out):
    total: int
    limit: int
    offset: int
    filters: dict[str, Any] = Field(description="The filters as identifiers")
    items: list[ClaimOut]


class ChainOut(_Out):
    id: str
    text: str = Field(description="The chain as one line: 'A -carries-> B; B -…-> C'")
    claims: list[ClaimOut]


class StrategyOut(_Out):
    rank: int
    agent: str
    agent_label: str
    ev_source: str | None
    ev_source_label: str
    modifications: list[str]
    modification_labels: list[str]
    route: str | None
    route_label: str
    direction: str
    strength: str
    score: float
    consistency: float
    n_references: int
    latest_year: int | None
    references: list[str]
    citations: list[str]
    models: list[str]
    species: list[str]
    chains: list[str] = Field(description="Mechanism-chain identifiers")
    outcome_claims: list[str] = Field(description="Hashes of the outcome claims")
    gaps: list[str]


class ContradictionOut(_Out):
    claim: str
    claim_text: str
    against: str | None
    against_text: str | None
    reason: str


class DiseaseStrategies(_Out):
    disease: EntityOut
    strategies: list[StrategyOut]


class DiseaseOut(_Out):
    disease: EntityOut
    included: list[str] = Field(description="The disease and descendants that have claims")
    n_claims: int
    strategies: list[StrategyOut]
    chains: list[ChainOut]
    contradictions: list[ContradictionOut]


class EntityReportOut(_Out):
    entity: EntityOut
    identifiers: list[str]
    flags: list[str]
    n_claims: int
    claims: list[ClaimOut]
    diseases: list[dict[str, Any]]


class ReferenceOut(_Out):
    id: str
    citation: str
    authors: list[str]
    et_al: bool
    year: int
    title: str
    journal: str
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    note: str | None = None


class ReferenceReportOut(_Out):
    reference: ReferenceOut
    claims: list[ClaimOut]


class StatsOut(_Out):
    totals: dict[str, int]
    claims_by_predicate: dict[str, int]
    claims_by_outcome: dict[str, int]
    claims_by_strength: dict[str, int]
    evidence_by_level: dict[str, int]
    evidence_by_method: dict[str, int]
    entities_by_kind: dict[str, int]


class ReviewItem(_Out):
    hash: str
    status: str
    evidence: EvidenceOut
    claim_hash: str


class ReviewPage(_Out):
    status: str
    limit: int
    offset: int
    items: list[ReviewItem]


class ReviewDecision(BaseModel):
    """A curator's decision on one piece of mined evidence."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["accepted", "rejected", "pending"]


class WriteOut(_Out):
    ok: bool
    claim_hash: str | None = None
    evidence_hash: str | None = None
    new_claims: int = 0
    new_evidence: int = 0
    new_entities: int = 0
    skipped: bool = False
    message: str = ""


class AnalysisOut(_Out):
    """The analysis of one uploaded cargo file (``ProfileAnalysis.to_dict()``)."""

    filename: str
    species: str
    result: dict[str, Any] = Field(
        description="profile, targets, pathways, indications, known_cargo, settings, "
        "background_sizes, null_info, normalisation, notes, totals"
    )


# -- preparation QC (the shape of ``evkg --format json qc``) -------------------------------------
class QcSizeStatsOut(_Out):
    """Number-weighted size statistics (nm) and span = (D90 - D10) / D50."""

    mean_nm: float | None = None
    mode_nm: float | None = None
    sd_nm: float | None = None
    d10_nm: float | None = None
    d50_nm: float | None = None
    d90_nm: float | None = None
    span: float | None = None


class QcPurityOut(_Out):
    particles_per_ug: float
    label: str
    citation: str
    verified: bool
    note: str | None = None


class QcValuesOut(_Out):
    """A lot's particle, protein, purity and marker values (histogram left out)."""

    id: str
    label: str | None = None
    concentration_per_ml: float | None = Field(default=None, description="Undiluted")
    concentration_source: str | None = None
    stats: QcSizeStatsOut
    protein_ug_per_ml: float | None = None
    particles_per_ug: float | None = None
    purity: QcPurityOut | None = None
    markers: dict[str, str] = Field(default_factory=dict, description="name → result")
    freeze_thaw_cycles: int | None = None
    warnings: list[str] = Field(default_factory=list, description="Instrument warnings, notes")


class QcItemOut(_Out):
    """The finding for one checklist item."""

    id: str
    guideline: str
    area: str
    text: str
    level: str
    verified: bool
    source: str
    status: Literal["met", "missing", "not_applicable"]
    reason: str
    note: str | None = None


class QcScoreOut(_Out):
    """Completeness of one guideline: met / applicable items."""

    guideline: str
    title: str
    citation: str
    met: int
    missing: int
    not_applicable: int
    score: float | None
    mandatory_score: float | None
    verified_score: float | None
    unverified_items: int


class QcChecklistOut(_Out):
    version: str
    items: list[QcItemOut]
    scores: list[QcScoreOut]


class QcSpecResultOut(_Out):
    parameter: str
    value: str
    required: str
    status: Literal["pass", "fail", "not_measured"]


class QcSpecOut(_Out):
    """The release check of one lot."""

    lot: str
    specification: str
    results: list[QcSpecResultOut]
    passed: bool


class QcLotOut(_Out):
    values: QcValuesOut
    checklist: QcChecklistOut
    spec: QcSpecOut | None = None
    record_path: str | None = Field(default=None, description="The uploaded record's file name")
    exports: list[str] = Field(default_factory=list, description="Instrument exports used")


class QcMarkerDifferenceOut(_Out):
    marker: str
    reference: str
    lot: str


class QcComparisonOut(_Out):
    """How ``lot`` differs from the reference (first) lot."""

    reference: str
    lot: str
    wasserstein_nm: float | None
    ks_statistic: float | None
    d50_difference_nm: float | None
    mean_difference_nm: float | None
    concentration_ratio: float | None
    purity_ratio: float | None
    marker_differences: list[QcMarkerDifferenceOut]


class QcPairOut(_Out):
    comparison: QcComparisonOut
    cargo_summary: str
    cargo: dict[str, Any] | None = Field(
        default=None, description="Cargo comparison when both lots attach a cargo profile"
    )


class QcOut(_Out):
    """Preparation QC of the uploaded records: checklist, purity, release, lot comparison."""

    rules_version: str
    specification: dict[str, Any] | None = Field(
        default=None, description="The release specification, as uploaded"
    )
    lots: list[QcLotOut]
    comparisons: list[QcPairOut] = Field(description="Each lot against the first one")
