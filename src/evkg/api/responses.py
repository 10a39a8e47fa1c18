"""Response bodies of evkg's questions: what the REST API returns (and OpenAPI documents) and
what ``evkg --format json`` prints, the same models for both.

In a notebook each answer is also a table: ``answer.to_frame()`` (pandas; ``to_frame(name)``
for its other tables) and an HTML view (:class:`evkg.model.tabular.Tabular`). Those are
methods only: the JSON body is the models' fields, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evkg.model.tabular import Rows, Tabular, records

__all__ = [
    "AnalysisOut",
    "ChainOut",
    "ClaimOut",
    "ClaimPage",
    "ContradictionOut",
    "DiseaseChains",
    "DiseaseOut",
    "DiseaseStrategies",
    "EntityOut",
    "EntityReportOut",
    "ErrorOut",
    "EvidenceMapCell",
    "EvidenceOut",
    "HealthOut",
    "NearestEvidenceOut",
    "PlacementOut",
    "RankingOut",
    "ReferenceOut",
    "ReferenceReportOut",
    "ReviewDecision",
    "ReviewItem",
    "ReviewPage",
    "SearchHit",
    "SearchOut",
    "StatsOut",
    "StrategyOut",
    "StudiesOut",
    "StudyRowOut",
    "SuggestionOut",
    "WriteOut",
]


class _Out(BaseModel, Tabular):
    model_config = ConfigDict(frozen=True)

    def frame_tables(self) -> Mapping[str, Rows]:
        """One row of the model's fields (answers with lists of rows name their tables)."""
        return {"fields": lambda: [self.model_dump(mode="json")]}


def _claim_rows(claims: Iterable[ClaimOut]) -> Iterator[dict[str, Any]]:
    """Claims as rows a person reads: names first, identifiers beside them."""
    for c in claims:
        label = c.labels.get
        yield {
            "subject": label(c.subject, c.subject),
            "predicate": c.predicate,
            "object": label(c.object, c.object),
            "outcome": c.outcome,
            "disease": label(c.disease, c.disease) if c.disease else None,
            "ev_source": label(c.ev_source, c.ev_source) if c.ev_source else None,
            "species": label(c.species, c.species) if c.species else None,
            "strength": c.strength,
            "n_references": c.n_references,
            "confidence": c.confidence,
            "citations": list(dict.fromkeys(e.citation for e in c.evidence)),
            "subject_id": c.subject,
            "object_id": c.object,
            "hash": c.hash,
        }


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

    def frame_title(self) -> str:
        return f"Search: {self.query}"

    def frame_tables(self) -> Mapping[str, Rows]:
        fields = ("label", "kind", "curie", "n_claims", "how", "score", "curies")
        return {"hits": lambda: records(self.hits, fields)}


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
    total: int = Field(
        description="Claims matching the filters, counted up to a cap (10,000 unless the "
        "server sets another): when more match, total is the cap and total_is_lower_bound "
        "is true"
    )
    total_is_lower_bound: bool = Field(
        default=False,
        description="True when counting stopped at the cap: more than `total` claims match "
        "(page on with offset until a page comes back short)",
    )
    limit: int
    offset: int
    filters: dict[str, Any] = Field(description="The filters as identifiers")
    items: list[ClaimOut]

    def frame_title(self) -> str:
        return f"Claims {self.offset + 1}–{self.offset + len(self.items)} of {self.total}"

    def frame_tables(self) -> Mapping[str, Rows]:
        return {"claims": lambda: _claim_rows(self.items)}


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
    strength: str = Field(description="Evidence tier key (clinical, in_vivo_replicated, …)")
    tier: str = Field(description="The evidence tier as a person reads it")
    score: float = Field(description="Sort key: tier rank × 100 + primary studies")
    consistency: float
    n_references: int = Field(description="Primary studies (reviews never count)")
    n_studies: int = Field(description="Primary studies, the same as n_references")
    latest_year: int | None
    references: list[str] = Field(description="The primary studies")
    citations: list[str]
    reviews: list[str] = Field(
        default_factory=list, description="References that state it only as a review statement"
    )
    review_citations: list[str] = Field(default_factory=list)
    is_ev: bool = Field(
        default=True, description="False for a non-EV product such as conditioned medium"
    )
    on_disease_itself: bool = Field(
        default=True,
        description="True when shown for the disease asked about, not only a narrower one",
    )
    models: list[str]
    species: list[str]
    chains: list[str] = Field(description="Mechanism-chain identifiers")
    outcome_claims: list[str] = Field(description="Hashes of the outcome claims")
    quotes: list[str] = Field(
        default_factory=list,
        description="The sentences the outcome rests on (quotes, or curator summaries of an "
        "abstract), primary studies first, at most three",
    )
    gaps: list[str]


class ContradictionOut(_Out):
    claim: str
    claim_text: str
    against: str | None
    against_text: str | None
    reason: str


_N_CLAIMS = (
    "Claims counted up to a cap (10,000 unless the server sets another): when more match, "
    "this is the cap and n_claims_is_lower_bound is true"
)
_LOWER_BOUND = "True when counting stopped at the cap: there are more than n_claims claims"


class RankingOut(_Out):
    """What a disease's strategies were ranked from. On a large disease the ranking reads a
    bounded number of claims: the strongest claims of the disease, and among them the
    strongest outcome claims (beneficial first)."""

    complete: bool = Field(
        description="True when the ranking covered every claim of the disease; when false, "
        "strategies come from the strongest claims only (see note)"
    )
    ranked_from: int = Field(description="Outcome claims read in full and ranked")
    n_outcome_claims: int = Field(description="Outcome claims among the scanned claims")
    n_scanned: int = Field(description="The disease's strongest claims scanned")
    n_strategies: int = Field(description="Distinct strategies among the scanned outcome claims")
    n_claims: int = Field(description=_N_CLAIMS)
    n_claims_is_lower_bound: bool = Field(description=_LOWER_BOUND)
    note: str = Field(description="The same in words, as the disease page says it")


class DiseaseStrategies(_Out):
    disease: EntityOut
    strategies: list[StrategyOut]
    ranking: RankingOut


class NearestEvidenceOut(_Out):
    disease: str
    label: str
    note: str = Field(description="How it relates to the disease asked about")


class PlacementOut(_Out):
    listed_as: str = Field(description="The disease as the review printed it")
    location: str = Field(description="Where the review lists the claims, e.g. 'Table 1, row 1'")
    curated_as: list[str] = Field(description="The diseases the claims are curated under")
    reason: str = Field(description="Why the claims are curated under another disease")
    label: str = Field(description="The placement as one sentence, for display")
    claims: list[ClaimOut]


class DiseaseOut(_Out):
    disease: EntityOut
    query: str = Field(default="", description="The name asked for")
    identifiers: list[str] = Field(
        default_factory=list, description="Every identifier of the disease's identity"
    )
    nearest_evidence: list[NearestEvidenceOut] = Field(
        default_factory=list,
        description="When the disease holds no claims: the nearest broader diseases that do",
    )
    included: list[str] = Field(description="The disease and descendants that have claims")
    n_claims: int = Field(description=_N_CLAIMS)
    n_claims_is_lower_bound: bool = Field(default=False, description=_LOWER_BOUND)
    strategies: list[StrategyOut]
    chains: list[ChainOut] = Field(
        description="The mechanism chains behind the listed strategies; every chain of the "
        "disease is paged by /api/diseases/{name}/chains"
    )
    contradictions: list[ContradictionOut] = Field(
        description="Contradicting or contested claims among the scanned claims"
    )
    ranking: RankingOut
    review_placements: list[PlacementOut] = Field(
        default_factory=list,
        description="Claims the review lists under this disease (or a narrower one) but that "
        "are curated under another disease, with the reason; never ranked as its strategies",
    )

    def frame_title(self) -> str:
        return f"EV strategies for {self.disease.label} ({self.disease.id})"

    def frame_tables(self) -> Mapping[str, Rows]:
        strategy_fields = (
            "rank", "agent_label", "ev_source_label", "modification_labels", "route_label",
            "direction", "tier", "n_studies", "citations", "gaps", "agent", "score",
        )  # fmt: skip
        return {
            "strategies": lambda: records(self.strategies, strategy_fields),
            "chains": lambda: records(self.chains, ("id", "text")),
            "contradictions": lambda: records(
                self.contradictions, ("claim_text", "against_text", "reason")
            ),
        }


class DiseaseChains(_Out):
    disease: EntityOut
    limit: int = Field(description="Claims of the disease this page covers at most")
    offset: int = Field(description="Rank of the first covered claim (0 is the strongest)")
    has_more: bool = Field(description="More claims follow: ask again with offset + limit")
    chains: list[ChainOut] = Field(
        description="Chains having at least one of the covered claims, in the order of their "
        "first such claim; a chain whose claims fall on several pages is on each"
    )


class EntityReportOut(_Out):
    entity: EntityOut
    identifiers: list[str]
    flags: list[str]
    n_claims: int = Field(description=_N_CLAIMS)
    n_claims_is_lower_bound: bool = Field(default=False, description=_LOWER_BOUND)
    limit: int
    offset: int
    has_more: bool = Field(description="More claims follow: ask again with offset + limit")
    claims: list[ClaimOut] = Field(description="Claims about the entity, strongest first")
    diseases: list[dict[str, Any]] = Field(
        description="Diseases of the entity's strongest claims (all of them when "
        "diseases_complete), with the direction and number of claims"
    )
    diseases_complete: bool = Field(
        default=True, description="False when the diseases come from the strongest claims only"
    )

    def frame_title(self) -> str:
        more = "+" if self.n_claims_is_lower_bound else ""
        return f"{self.entity.label} ({' | '.join(self.identifiers)}): {self.n_claims}{more} claims"

    def frame_tables(self) -> Mapping[str, Rows]:
        return {"claims": lambda: _claim_rows(self.claims), "diseases": lambda: self.diseases}


class ReferenceOut(_Out):
    id: str
    citation: str
    authors: list[str]
    et_al: bool
    year: int | None = Field(description="Publication year; null when the page read prints none")
    title: str
    journal: str
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    note: str | None = None


class ReferenceReportOut(_Out):
    reference: ReferenceOut
    n_claims: int = Field(description=_N_CLAIMS)
    n_claims_is_lower_bound: bool = Field(default=False, description=_LOWER_BOUND)
    limit: int
    offset: int
    has_more: bool = Field(description="More claims follow: ask again with offset + limit")
    claims: list[ClaimOut] = Field(description="Claims citing the reference, strongest first")

    def frame_title(self) -> str:
        return self.reference.citation

    def frame_tables(self) -> Mapping[str, Rows]:
        return {
            "claims": lambda: _claim_rows(self.claims),
            "reference": lambda: [self.reference.model_dump(mode="json")],
        }


class StatsOut(_Out):
    totals: dict[str, int]
    studies_by_design: dict[str, int] = Field(default_factory=dict)
    studies_by_outcome: dict[str, int] = Field(default_factory=dict)
    studies_by_route: dict[str, int] = Field(default_factory=dict)
    studies_by_source: dict[str, int] = Field(default_factory=dict)
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


class StudyRowOut(_Out):
    """One primary study, as a row of a systematic review's extraction table."""

    id: str
    reference: str
    citation: str
    pmid: str | None = None
    doi: str | None = None
    year: int | None = Field(description="Publication year; null when the page read prints none")
    disease: str
    disease_label: str
    summary: str = Field(description="The curator's own one-line summary of the abstract")
    design: str = Field(description="clinical, in_vivo, ex_vivo or in_vitro")
    product: str = Field(description="ev, conditioned_medium or ev_in_biomaterial")
    outcome: str
    ev_source: str
    ev_source_label: str
    source_species: str
    isolation: list[str]
    dose: str = Field(description="Normalised where the unit allows, else as reported")
    route: str
    model: str
    model_species: str
    n_per_group: int | None = None
    modifications: list[str]
    cargo: list[str]


class EvidenceMapCell(_Out):
    disease: str
    ev_source: str
    outcome: str
    studies: int


class StudiesOut(_Out):
    disease: str
    disease_label: str
    filters: dict[str, str] = Field(description="The filters applied, as given")
    n_studies: int
    studies: list[StudyRowOut] = Field(description="Newest first")
    evidence_map: list[EvidenceMapCell] = Field(
        description="Studies by disease × EV source × outcome (the bubbles of the map)"
    )
    missing: list[str] = Field(description="What no study of the disease reports")

    def frame_title(self) -> str:
        return f"Primary studies of {self.disease_label}: {self.n_studies}"

    def frame_tables(self) -> Mapping[str, Rows]:
        return {
            "studies": lambda: (row.model_dump(mode="json") for row in self.studies),
            "evidence_map": lambda: (cell.model_dump(mode="json") for cell in self.evidence_map),
        }
