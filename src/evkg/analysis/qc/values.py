"""The numbers QC compares: one :class:`LotValues` per preparation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from evkg.analysis.qc.purity import PurityResult
from evkg.sources.nta import SizeHistogram, SizeStats

__all__ = ["LotValues"]


class LotValues(BaseModel):
    """A lot's particle, protein, purity and marker values, whatever file they came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str | None = None
    concentration_per_ml: float | None = Field(default=None, description="Undiluted")
    concentration_source: str | None = None
    stats: SizeStats = Field(default_factory=SizeStats)
    protein_ug_per_ml: float | None = None
    particles_per_ug: float | None = None
    purity: PurityResult | None = None
    markers: dict[str, str] = Field(default_factory=dict, description="name → result")
    freeze_thaw_cycles: int | None = None
    histogram: SizeHistogram | None = None
    warnings: tuple[str, ...] = ()

    @property
    def span(self) -> float | None:
        return self.stats.span
