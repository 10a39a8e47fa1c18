"""Particle-instrument exports: NanoSight NTA 3.x ExperimentSummary CSV and ZetaView txt."""

from evkg.sources.nta._records import (
    InstrumentWarning,
    NanoExperiment,
    ParticleExport,
    PositionScan,
    ScanPosition,
    SizeHistogram,
    SizeStats,
    VideoResult,
)
from evkg.sources.nta._stats import percentile, size_stats
from evkg.sources.nta._text import NtaFormatError, UnsupportedExportError
from evkg.sources.nta.api import detect_format, read_export, read_size_export

__all__ = [
    "InstrumentWarning",
    "NanoExperiment",
    "NtaFormatError",
    "ParticleExport",
    "PositionScan",
    "ScanPosition",
    "SizeHistogram",
    "SizeStats",
    "UnsupportedExportError",
    "VideoResult",
    "detect_format",
    "percentile",
    "read_export",
    "read_size_export",
    "size_stats",
]
