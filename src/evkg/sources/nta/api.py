"""Reading particle-instrument exports: NanoSight NTA 3.x and Particle Metrix ZetaView.

Example::

    from evkg.sources.nta import read_size_export
    export = read_size_export("AD45_F3 2021-11-02 16-09-42-ExperimentSummary.csv")
    export.concentration_per_ml, export.stats.d50_nm, [w.text() for w in export.warnings]

Formats are recognised by content, not by name. Unknown, damaged or truncated files raise
:class:`NtaFormatError` naming the file and line; recognised files outside size QC (a
ZetaView zeta-potential profile) raise :class:`UnsupportedExportError`.
"""

from __future__ import annotations

from pathlib import Path

from evkg.sources.nta._nano import is_nano_experiment, parse_nano_experiment
from evkg.sources.nta._nanosight import is_nanosight_summary, parse_nanosight_summary
from evkg.sources.nta._records import NanoExperiment, ParticleExport, PositionScan
from evkg.sources.nta._text import NtaFormatError, UnsupportedExportError, read_text
from evkg.sources.nta._zetaview import (
    is_zetaview,
    is_zetaview_positions,
    parse_zetaview_positions,
    parse_zetaview_size,
)

__all__ = ["detect_format", "read_export", "read_size_export"]

Export = ParticleExport | PositionScan | NanoExperiment


def detect_format(text: str) -> str | None:
    """``nanosight_summary``, ``nanosight_nano``, ``zetaview_positions``, ``zetaview`` or None."""
    if is_nanosight_summary(text):
        return "nanosight_summary"
    if is_nano_experiment(text):
        return "nanosight_nano"
    if is_zetaview_positions(text):
        return "zetaview_positions"
    if is_zetaview(text):
        return "zetaview"
    return None


def read_export(path: str | Path) -> Export:
    """Read any supported export: size distributions, ZetaView position tables, .nano files."""
    path = Path(path)
    text = read_text(path)
    kind = detect_format(text)
    if kind == "nanosight_summary":
        return parse_nanosight_summary(text, path)
    if kind == "nanosight_nano":
        return parse_nano_experiment(text, path)
    if kind == "zetaview_positions":
        return parse_zetaview_positions(text, path)
    if kind == "zetaview":
        return parse_zetaview_size(text, path)
    first = text.splitlines()[0][:60] if text.strip() else "(empty file)"
    raise NtaFormatError(
        path,
        1,
        None,
        f"unknown export format (starts with {first!r}); expected a NanoSight "
        "ExperimentSummary CSV or a ZetaView size/11pos txt",
    )


def read_size_export(path: str | Path) -> ParticleExport:
    """Read an export that carries a size distribution (what QC needs), or fail clearly."""
    export = read_export(path)
    if isinstance(export, ParticleExport):
        return export
    what = {
        PositionScan: "a ZetaView 11-position table (no size distribution); attach the "
        "matching *_size_*.txt file",
        NanoExperiment: "a NanoSight .nano capture-settings file (no results); attach the "
        "ExperimentSummary CSV",
    }[type(export)]
    raise UnsupportedExportError(path, None, None, f"is {what}")


__all__ += ["NtaFormatError", "UnsupportedExportError"]
