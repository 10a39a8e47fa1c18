"""The numbers QC compares: one :class:`LotValues` per preparation."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from evkg.analysis.qc.contaminants import ContaminantFinding
from evkg.analysis.qc.purity import PurityResult
from evkg.model.preparation import SafetyTests
from evkg.sources.nta import SizeHistogram, SizeStats

__all__ = ["LotProcess", "LotValues", "PotencyValue"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PotencyValue(_Frozen):
    """One potency assay result as recorded."""

    assay: str
    value: float | None = None
    unit: str | None = None
    reference_standard: str | None = None


class LotProcess(_Frozen):
    """What a lot was made from and how: compared across a series of lots."""

    tissue: str | None = None
    donor: str | None = None
    cell_type: str | None = None
    culture_mode: str | None = None
    serum: str | None = None
    process_version: str | None = None
    steps: tuple[str, ...] = Field(default=(), description="Separation methods, in order")


class LotValues(_Frozen):
    """A lot's particle, protein, purity, marker, potency and safety values."""

    id: str
    label: str | None = None
    date: dt.date | None = None
    qualified: bool | None = None
    process: LotProcess = Field(default_factory=LotProcess)
    concentration_per_ml: float | None = Field(default=None, description="Undiluted")
    concentration_source: str | None = None
    stats: SizeStats = Field(default_factory=SizeStats)
    protein_ug_per_ml: float | None = None
    particles_per_ug: float | None = None
    purity: PurityResult | None = None
    markers: dict[str, str] = Field(default_factory=dict, description="name → result")
    freeze_thaw_cycles: int | None = None
    potency: tuple[PotencyValue, ...] = ()
    safety: SafetyTests | None = None
    contaminants: tuple[ContaminantFinding, ...] = ()
    histogram: SizeHistogram | None = None
    warnings: tuple[str, ...] = ()

    @property
    def span(self) -> float | None:
        return self.stats.span
