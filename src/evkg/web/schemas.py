"""Request and response bodies of the REST API's preparation-QC routes (the shape of
``evkg --format json qc``); the other bodies are :mod:`evkg.api.responses`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from evkg.analysis.qc.contaminants import ContaminantFinding
from evkg.analysis.qc.identity import IdentityReport
from evkg.analysis.qc.trend import TrendReport
from evkg.analysis.qc.values import LotProcess, PotencyValue
from evkg.api.responses import _Out
from evkg.model.preparation import SafetyTests

__all__ = [
    "QcChecklistOut",
    "QcComparisonOut",
    "QcItemOut",
    "QcLotOut",
    "QcMarkerDifferenceOut",
    "QcOut",
    "QcPairOut",
    "QcPurityOut",
    "QcScoreOut",
    "QcSizeStatsOut",
    "QcSpecOut",
    "QcSpecResultOut",
    "QcValuesOut",
]


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
    date: str | None = Field(default=None, description="Date of production (ISO 8601)")
    qualified: bool | None = None
    process: LotProcess
    potency: list[PotencyValue] = Field(default_factory=list)
    safety: SafetyTests | None = None
    contaminants: list[ContaminantFinding] = Field(
        default_factory=list, description="Tested contaminants; present ones fail or warn"
    )
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
    status: Literal["met", "missing", "flagged", "not_applicable"]
    reason: str
    note: str | None = None
    verified_against: list[str] = Field(default_factory=list, description="Where it was read")
    checked: str | None = Field(default=None, description="What that text states, our words")
    level_verified: bool = False
    operationalisation: str | None = None
    flag: Literal["fail", "warn"] | None = None


class QcScoreOut(_Out):
    """Completeness of one guideline, verified and unverified items apart.

    ``all_items_score`` mixes verified and unverified items: shown only labelled as such."""

    guideline: str
    title: str
    citation: str
    met: int
    missing: int
    flagged: int
    not_applicable: int
    verified_met: int
    verified_applicable: int
    verified_score: float | None
    unverified_met: int
    unverified_applicable: int
    unverified_score: float | None
    verified_mandatory_score: float | None
    all_items_score: float | None
    verified_items: int
    unverified_items: int


class QcChecklistOut(_Out):
    version: str
    items: list[QcItemOut]
    scores: list[QcScoreOut]


class QcSpecResultOut(_Out):
    parameter: str
    value: str
    required: str
    status: Literal["pass", "fail", "warn", "not_measured"]
    note: str | None = None


class QcSpecOut(_Out):
    """The release check of one lot."""

    lot: str
    specification: str
    results: list[QcSpecResultOut]
    passed: bool
    warnings: int = 0


class QcLotOut(_Out):
    values: QcValuesOut
    identity: IdentityReport = Field(
        description="MSC identity on the vesicles and, apart, on the producing cells (ISCT)"
    )
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
    trend: TrendReport | None = Field(
        default=None, description="Each attribute over the lots: control limits, drift, warnings"
    )
