"""Particle Metrix ZetaView text exports: ``*_size_*.txt``, ``*_11pos.txt``, ``*_prof_*.txt``.

The size file has a ``Key:<TAB>value`` header (some lines hold several pairs, one key is
``Dilution::``), then a table of linear bins (5 nm by default), a ``-1`` separator row and
logarithmic bins. ``Concentration / cm-3`` is the *diluted* sample; multiply by the dilution
for the original. Percentiles interpolate the cumulative number distribution at the bin
centres. See ``shared/data/nta/README.md`` §B.
"""

from __future__ import annotations

from pathlib import Path

from evkg.sources.nta._records import (
    InstrumentWarning,
    ParticleExport,
    PositionScan,
    ScanPosition,
    SizeHistogram,
    SizeStats,
)
from evkg.sources.nta._stats import percentile, size_stats
from evkg.sources.nta._text import NtaFormatError, UnsupportedExportError, to_float

__all__ = [
    "is_zetaview",
    "is_zetaview_positions",
    "parse_zetaview_positions",
    "parse_zetaview_size",
]

_TABLE_HEADER = "Size / nm"
_POSITIONS_HEADER = "Use\tPosition"
_NO_TRACE_X50 = 5997.5
_TOLERANCE_NM = 0.01  # the file prints D50 to 6 decimals


def is_zetaview(text: str) -> bool:
    head = text[:4000]
    return "ZetaView S/N:" in head or "Software:\tZetaView" in head


def is_zetaview_positions(text: str) -> bool:
    return text.startswith(_POSITIONS_HEADER)


def _header(lines: list[str]) -> tuple[dict[str, list[str]], int]:
    """Key → values of the header block, and the index of the line after it."""
    fields: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        if line.startswith((_TABLE_HEADER, "ZP Profile:")):
            return fields, i
        key: str | None = None
        for token in line.split("\t"):
            token = token.strip()
            if not token:
                continue
            if key is None or token.endswith(":"):
                name, sep, rest = token.partition(": ")
                if not sep and token.endswith(":"):
                    name, rest = token, ""
                key = name.rstrip(":")
                fields.setdefault(key, [])
                if rest:
                    fields[key].append(rest)
            else:
                fields[key].append(token)
    return fields, len(lines)


def _first(fields: dict[str, list[str]], key: str) -> str | None:
    values = fields.get(key)
    return values[0] if values else None


def _table(lines: list[str], start: int, path: Path) -> tuple[list[list[float]], int]:
    """Linear-bin rows after the table header at ``start``, up to the ``-1`` separator."""
    rows: list[list[float]] = []
    i = start + 1
    while i < len(lines):
        cells = lines[i].split("\t")
        if not lines[i].strip():
            break
        values = [to_float(c) for c in cells]
        if len(values) < 3 or any(v is None for v in values[:3]):
            raise NtaFormatError(path, i + 1, None, f"size-table row is not numeric: {lines[i]!r}")
        numbers = [v if v is not None else 0.0 for v in values]
        if numbers[0] == -1.0:
            return rows, i
        rows.append(numbers)
        i += 1
    raise NtaFormatError(
        path, i, None, "size table ends before the '-1' separator row (truncated export?)"
    )


def _centres(rows: list[list[float]], path: Path, start: int) -> tuple[list[float], float]:
    """Rebuild the centres (printed with 4 significant digits) from the first two."""
    if len(rows) < 2:
        return [row[0] for row in rows], 5.0
    first, width = rows[0][0], rows[1][0] - rows[0][0]
    centres = [first + width * k for k in range(len(rows))]
    for k, (row, centre) in enumerate(zip(rows, centres, strict=True)):
        if abs(row[0] - centre) > 1e-3 * centre:
            raise NtaFormatError(
                path,
                start + 2 + k,
                "Size / nm",
                f"{row[0]:g} is not the expected bin centre {centre:g} (lines missing?)",
            )
    return centres, width


def parse_zetaview_size(text: str, path: Path) -> ParticleExport:
    """Parse a ZetaView size-distribution export; a profile (zeta potential) is refused."""
    lines = text.lstrip("\ufeff").splitlines()
    fields, table_at = _header(lines)
    kind = _first(fields, "Type of Measurement")
    if kind == "Profile" or "ZP Profile" in fields or "Zeta Potential / mV" in text:
        raise UnsupportedExportError(
            path,
            None,
            "Type of Measurement",
            "is a ZetaView zeta-potential profile; zeta potential is outside size QC — "
            "attach the *_size_*.txt export of the same sample instead",
        )
    if kind != "Size Distribution":
        raise NtaFormatError(path, None, "Type of Measurement", f"unknown ZetaView type {kind!r}")
    if table_at >= len(lines):
        raise NtaFormatError(path, len(lines), None, "no 'Size / nm' table (truncated export?)")
    rows, _ = _table(lines, table_at, path)
    dilution = to_float(_first(fields, "Dilution") or "")
    traces = to_float(_first(fields, "Number of Traces") or "")
    reported = SizeStats(d50_nm=to_float(_first(fields, "Median Number (D50)") or ""))
    warnings: list[InstrumentWarning] = []
    drift = _first(fields, "Particle Drift Check Result")
    if drift and drift.lower() not in ("ok", "good", "very good"):
        warnings.append(InstrumentWarning(item="Particle drift check", value=drift))
    cell = _first(fields, "Cell Check Result")
    if cell and cell.lower() not in ("good", "very good"):
        warnings.append(InstrumentWarning(item="Cell check", value=cell))
    settings = {
        key.lower(): " ".join(fields[key])
        for key in (
            "SOP",
            "Sensitivity",
            "Shutter",
            "Minimum Tracelength",
            "Temperature",
            "Positions",
            "Laser Wavelength nm",
            "Camera",
        )
        if key in fields
    }
    base = {
        "path": str(path),
        "format": "zetaview_size",
        "instrument": "Particle Metrix ZetaView " + (_first(fields, "ZetaView S/N") or ""),
        "software": _first(fields, "Software"),
        "sample": _first(fields, "Sample"),
        "captured": " ".join(filter(None, (_first(fields, "Date"), _first(fields, "Time")))),
        "dilution_factor": dilution,
        "percentile_rule": "centre",
        "traces": traces,
        "reported": reported,
        "settings": settings,
    }
    if not rows or sum(row[1] for row in rows) == 0:
        warnings.append(
            InstrumentWarning(item="Number of Traces", value="0: no particles measured")
        )
        base["reported"] = SizeStats()  # the file prints D50 0 for an empty run
        return ParticleExport(
            **base, status="no_particles", derived=SizeStats(), warnings=tuple(warnings)
        )
    centres, width = _centres(rows, path, table_at)
    numbers = [row[1] for row in rows]
    measured = sum(row[2] for row in rows)
    derived = size_stats(centres, numbers, rule="centre", width=width)
    if traces is not None and abs(sum(numbers) - traces) > 0.5:
        warnings.append(
            InstrumentWarning(
                item="evkg check of traces",
                value=f"bins hold {sum(numbers):g}, header says {traces:g}",
            )
        )
    got, printed = derived.d50_nm, reported.d50_nm
    if got is not None and printed is not None and abs(printed - got) > _TOLERANCE_NM:
        warnings.append(
            InstrumentWarning(
                item="evkg check of D50",
                value=f"histogram gives {got:.2f} nm, export prints {printed:.2f}",
            )
        )
    volume = [n * c**3 for n, c in zip(numbers, centres, strict=True)]
    volume_d50 = percentile(centres, volume, 0.5, rule="centre", width=width)
    printed_volume = to_float(_first(fields, "Median Volume (D50)") or "")
    if volume_d50 is not None and printed_volume and abs(volume_d50 - printed_volume) > 0.01:
        warnings.append(
            InstrumentWarning(
                item="evkg check of volume D50",
                value=f"histogram gives {volume_d50:.2f} nm, export prints {printed_volume:.2f}",
            )
        )
    return ParticleExport(
        **base,
        status="ok",
        measured_concentration_per_ml=measured,
        concentration_per_ml=measured * dilution if dilution else measured,
        derived=derived,
        histogram=SizeHistogram(
            centres_nm=tuple(centres),
            weights=tuple(row[2] * (dilution or 1.0) for row in rows),
            unit=f"particles/ml per {width:g}-nm bin (dilution-corrected)",
        ),
        warnings=tuple(warnings),
    )


def parse_zetaview_positions(text: str, path: Path) -> PositionScan:
    """Parse the per-position table of an 11-position scan, with its Mean row."""
    lines = text.lstrip("\ufeff").splitlines()
    header = lines[0].split("\t")
    if len(header) < 12 or header[0] != "Use":
        raise NtaFormatError(path, 1, None, "not a ZetaView 11-position table header")
    positions: list[ScanPosition] = []
    mean: list[float | None] = []
    for i, line in enumerate(lines[1:], start=2):
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells):
            continue
        if len(cells) < 11:
            raise NtaFormatError(path, i, None, f"has {len(cells)} columns, expected 12")
        if cells[1] == "Mean":
            mean = [to_float(c) for c in cells[2:11]]
            continue
        if cells[1] in ("St.Dev.", "Rel.St.Dev."):
            continue
        position = to_float(cells[1])
        if position is None:
            raise NtaFormatError(path, i, "Position", f"{cells[1]!r} is not a number")
        traces = to_float(cells[6])
        x50 = to_float(cells[7])
        positions.append(
            ScanPosition(
                position=position,
                used=cells[0] == "X",
                concentration_per_ml=to_float(cells[4]),
                original_concentration_per_ml=to_float(cells[5]),
                traces=traces,
                x50_nm=None if not traces or x50 == _NO_TRACE_X50 else x50,
                removal=(cells[11] or None) if len(cells) > 11 else None,
            )
        )
    if not positions:
        raise NtaFormatError(path, len(lines), None, "no position rows (truncated export?)")
    used = [p for p in positions if p.used]
    warnings = tuple(
        InstrumentWarning(
            item="position removed", value=p.removal, video=f"position {p.position:g}"
        )
        for p in positions
        if p.removal
    )
    if not used:
        warnings += (InstrumentWarning(item="positions", value="none used: no particles measured"),)
    return PositionScan(
        path=str(path),
        status="ok" if used else "no_particles",
        positions=tuple(positions),
        mean_concentration_per_ml=(mean[2] or None) if len(mean) > 2 else None,
        mean_original_concentration_per_ml=(mean[3] or None) if len(mean) > 3 else None,
        mean_x50_nm=(mean[5] or None) if len(mean) > 5 else None,
        warnings=warnings,
    )
