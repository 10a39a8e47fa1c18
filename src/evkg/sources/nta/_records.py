"""Typed results of reading particle-instrument exports (NanoSight NTA, ZetaView)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

__all__ = [
    "ExportFormat",
    "InstrumentWarning",
    "NanoExperiment",
    "ParticleExport",
    "PercentileRule",
    "PositionScan",
    "ScanPosition",
    "SizeHistogram",
    "SizeStats",
    "VideoResult",
]

ExportFormat = Literal["nanosight_summary", "zetaview_size"]
PercentileRule = Literal["upper_edge", "lower_edge", "centre"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SizeStats(_Frozen):
    """Summary statistics of a number-weighted size distribution (nm)."""

    mean_nm: float | None = None
    mode_nm: float | None = None
    sd_nm: float | None = None
    d10_nm: float | None = None
    d50_nm: float | None = None
    d90_nm: float | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def span(self) -> float | None:
        """``(D90 - D10) / D50``, or None when a percentile is missing."""
        if self.d10_nm is None or self.d50_nm is None or self.d90_nm is None or not self.d50_nm:
            return None
        return (self.d90_nm - self.d10_nm) / self.d50_nm


class SizeHistogram(_Frozen):
    """Bin centres (nm) and weights (particles/ml per bin, or counts) of a distribution."""

    centres_nm: tuple[float, ...]
    weights: tuple[float, ...]
    unit: str = Field(description="What a weight is, e.g. 'particles/ml per 1-nm bin'")


class InstrumentWarning(_Frozen):
    """A warning or note the instrument software wrote into the export."""

    item: str = Field(description="What the instrument checked, e.g. 'Noise level'")
    value: str = Field(description="What it reported, e.g. 'Noise detected'")
    video: str | None = Field(default=None, description="Video or position; None = whole run")
    severity: Literal["warning", "info"] = "warning"

    def text(self) -> str:
        where = f"{self.video}: " if self.video else ""
        return f"{where}{self.item}: {self.value}"


class VideoResult(_Frozen):
    """One NanoSight video (capture) of an experiment."""

    name: str
    concentration_per_ml: float | None
    reported: SizeStats
    derived: SizeStats
    valid_tracks: float | None = None


class ParticleExport(_Frozen):
    """A size-distribution export: what the instrument reported and what the bins give."""

    path: str
    format: ExportFormat
    instrument: str
    software: str | None = None
    sample: str | None = None
    captured: str | None = None
    status: Literal["ok", "no_particles"] = "ok"
    dilution_factor: float | None = Field(
        default=None, description="Dilution recorded in the export; None = not recorded"
    )
    measured_concentration_per_ml: float | None = Field(
        default=None, description="Particles/ml of the sample as loaded (diluted)"
    )
    concentration_per_ml: float | None = Field(
        default=None,
        description="Particles/ml corrected for the recorded dilution (= measured if none)",
    )
    concentration_se: float | None = None
    reported: SizeStats = Field(description="Sample statistics as printed by the instrument")
    derived: SizeStats = Field(description="Statistics recomputed from the histogram")
    percentile_rule: PercentileRule
    histogram: SizeHistogram | None = Field(default=None, description="Number-weighted")
    videos: tuple[VideoResult, ...] = ()
    traces: float | None = Field(default=None, description="Valid tracks / traces in all")
    warnings: tuple[InstrumentWarning, ...] = ()
    settings: dict[str, str] = Field(default_factory=dict)

    @property
    def stats(self) -> SizeStats:
        """The sample statistics to use: reported values, filled in from derived ones."""
        merged = {
            name: getattr(self.reported, name)
            if getattr(self.reported, name) is not None
            else getattr(self.derived, name)
            for name in SizeStats.model_fields
        }
        return SizeStats(**merged)


class ScanPosition(_Frozen):
    """One position of a ZetaView 11-position scan."""

    position: float
    used: bool
    concentration_per_ml: float | None
    original_concentration_per_ml: float | None
    traces: float | None
    x50_nm: float | None = Field(description="None when no trace (the file prints 5997.5)")
    removal: str | None


class PositionScan(_Frozen):
    """A ZetaView ``*_11pos.txt`` per-position table with its summary rows."""

    path: str
    status: Literal["ok", "no_particles"]
    positions: tuple[ScanPosition, ...]
    mean_concentration_per_ml: float | None
    mean_original_concentration_per_ml: float | None
    mean_x50_nm: float | None
    warnings: tuple[InstrumentWarning, ...] = ()


class NanoExperiment(_Frozen):
    """The settings of a NanoSight ``.nano`` experiment file."""

    path: str
    software: str | None
    sample: str | None
    operator: str | None
    captured: str | None
    videos: tuple[str, ...]
    dilution_factors: tuple[float | None, ...] = Field(description="None where 0 = not recorded")
    temperatures_c: tuple[float, ...]
    camera_levels: tuple[int, ...]
