"""A release specification: acceptance ranges, potency limits, safety tests, contaminant limits.

A :class:`ReleaseSpecification` holds a lab's acceptance criteria for a lot: particle size
and concentration, purity, protein, required markers, potency assays (each with its unit
and the reference standard it is measured against), safety tests (endotoxin, sterility,
mycoplasma), procoagulant activity and tissue factor (CD142), and limits for contaminants
(albumin, lipoproteins, cell debris, nucleic acid outside vesicles) at which a finding
becomes a warning or a failure. It is checked lot by lot (``evkg.analysis.qc.spec``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evkg.model.spellings import LabFloat, LabInt

__all__ = [
    "CONTAMINANT_CLASSES",
    "ContaminantClass",
    "ContaminantLimit",
    "PotencyLimit",
    "Range",
    "ReleaseSpecification",
    "Severity",
    "UnitRange",
]

Severity = Literal["fail", "warn"]
ContaminantClass = Literal[
    "albumin",
    "lipoprotein",
    "cell_debris",
    "ribonucleoprotein",
    "extravesicular_nucleic_acid",
]
CONTAMINANT_CLASSES: tuple[str, ...] = (
    "albumin",
    "lipoprotein",
    "cell_debris",
    "ribonucleoprotein",
    "extravesicular_nucleic_acid",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Range(_Frozen):
    """An acceptance range; either bound may be open."""

    min: LabFloat | None = None
    max: LabFloat | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the range (bounds included).

        >>> Range(min=50, max=150).contains(150), Range(max=2).contains(3)
        (True, False)
        """
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def text(self) -> str:
        """``50–150``, ``≥ 50`` or ``≤ 150``."""
        if self.min is not None and self.max is not None:
            return f"{self.min:g}–{self.max:g}"
        return f"≥ {self.min:g}" if self.min is not None else f"≤ {self.max:g}"


class UnitRange(Range):
    """A range with the unit its bounds are in; a value in another unit is not compared."""

    unit: str = Field(min_length=1, description="e.g. 'EU/ml', '% of control', 'mU/ml'")

    def text(self) -> str:
        return f"{super().text()} {self.unit}"


class PotencyLimit(UnitRange):
    """Acceptance limits of one potency assay, measured against a reference standard."""

    assay: str = Field(min_length=1, description="Assay name as the records give it")
    reference_standard: str | None = Field(
        default=None,
        description="Reference standard the lot must be measured against (e.g. 'MSC-sEV "
        "reference lot RS-01'); a result without it fails",
    )


class ContaminantLimit(_Frozen):
    """Where a measured amount of a contaminant becomes a warning or a failure."""

    unit: str = Field(min_length=1, description="e.g. 'ng/ml', 'ng per 1e9 particles'")
    warn_above: LabFloat | None = Field(default=None, ge=0)
    fail_above: LabFloat | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_limit(self) -> ContaminantLimit:
        if self.warn_above is None and self.fail_above is None:
            raise ValueError("give warn_above, fail_above or both")
        if (
            self.warn_above is not None
            and self.fail_above is not None
            and self.warn_above > self.fail_above
        ):
            raise ValueError("warn_above is above fail_above")
        return self


class ReleaseSpecification(_Frozen):
    """A user's release specification, checked per lot."""

    id: str = Field(min_length=1)
    version: str | None = None
    description: str | None = None
    concentration_per_ml: Range | None = Field(default=None, description="Undiluted particles")
    mean_nm: Range | None = None
    mode_nm: Range | None = None
    d10_nm: Range | None = None
    d50_nm: Range | None = None
    d90_nm: Range | None = None
    span: Range | None = Field(default=None, description="(D90 - D10) / D50")
    protein_ug_per_ml: Range | None = None
    particles_per_ug: Range | None = Field(default=None, description="Purity ratio")
    required_present: tuple[str, ...] = Field(default=(), description="Markers that must be seen")
    required_absent: tuple[str, ...] = Field(
        default=(), description="Contaminant markers that must be tested and absent"
    )
    max_freeze_thaw_cycles: LabInt | None = Field(default=None, ge=0)
    no_instrument_warnings: bool = Field(
        default=False, description="Fail a lot whose instrument export carries warnings"
    )
    potency: tuple[PotencyLimit, ...] = Field(
        default=(), description="Potency assays with acceptance limits, units and reference"
    )
    endotoxin_eu_per_ml: Range | None = Field(default=None, description="e.g. {max: 0.5}")
    sterility: bool = Field(default=False, description="Require a sterility test with no growth")
    mycoplasma: bool = Field(default=False, description="Require a negative mycoplasma test")
    tissue_factor_percent: Range | None = Field(
        default=None, description="CD142-positive vesicles, % of vesicles (e.g. {max: 10})"
    )
    procoagulant_activity: UnitRange | None = Field(
        default=None, description="Tissue-factor/procoagulant activity with its unit"
    )
    contaminant_severity: dict[ContaminantClass, Severity] = Field(
        default_factory=dict,
        description="Severity of a contaminant class found present (overrides the shipped "
        "defaults in data/qc/contaminants.yaml)",
    )
    contaminant_limits: dict[ContaminantClass, ContaminantLimit] = Field(
        default_factory=dict, description="Measured amounts at which a class warns or fails"
    )
