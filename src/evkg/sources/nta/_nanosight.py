"""Malvern NanoSight NTA 3.x "Experiment Summary" CSV (3.2, 3.3, 3.4, spreadsheet-resaved).

Layout: INI-like ``[Section]`` lines, ``key,value_video1,...`` rows (ragged, trailing commas),
repeated keys in different sections, and per-weighting blocks in ``[Size Data]``: statistics,
``Graph Data`` with 1-nm bins (particles/ml per bin, one column per video, then the average
and its standard error) and a percentile table. See ``shared/data/nta/README.md`` §A.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from evkg.sources.nta._records import (
    InstrumentWarning,
    ParticleExport,
    PercentileRule,
    SizeHistogram,
    SizeStats,
    VideoResult,
)
from evkg.sources.nta._stats import size_stats
from evkg.sources.nta._text import NtaFormatError, to_float

__all__ = ["is_nanosight_summary", "parse_nanosight_summary"]

MAGIC = "NTA Experiment Summary File"
_STAT_KEYS = {
    "Mean": "mean_nm",
    "Mode": "mode_nm",
    "SD": "sd_nm",
    "D10": "d10_nm",
    "D50": "d50_nm",
    "D90": "d90_nm",
}
_QUIET_VALUES = {"", "OK", "No"}
_INFO_ITEMS = {"Vibration correction applied"}
_TOLERANCE_NM = 0.15  # statistics are printed to 0.1 nm
_SETTINGS = {
    ("Conditions", "Temperature/C"): "temperature (°C)",
    ("Conditions", "Laser Type"): "laser",
    ("Conditions", "Camera Level"): "camera level",
    ("Conditions", "Syringe Pump Speed/AU"): "syringe pump",
    ("Settings", "Detection Threshold"): "detection threshold",
    ("Settings", "Total frames analysed"): "frames analysed",
}


def is_nanosight_summary(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(MAGIC)


@dataclass
class _Block:
    section: str
    weighting: str
    line: int
    stats: dict[str, list[str]] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    bins: list[list[float]] = field(default_factory=list)


def _cells(line: str, path: Path, number: int) -> list[str]:
    try:
        row = [cell.strip() for cell in next(csv.reader([line]), [])]
    except csv.Error as error:  # a field over the csv module's limit (128 KiB)
        raise NtaFormatError(path, number, None, f"not a readable CSV line ({error})") from error
    while row and not row[-1]:
        row.pop()
    return row


def _numbers(row: list[str], path: Path, line: int, width: int) -> list[float]:
    if len(row) < width:
        raise NtaFormatError(path, line, None, f"has {len(row)} values, expected {width}")
    values: list[float] = []
    for column, cell in enumerate(row[:width], start=1):
        value = to_float(cell)
        if value is None:
            raise NtaFormatError(path, line, f"column {column}", f"{cell!r} is not a number")
        values.append(value)
    return values


def _read_block(rows: list[list[str]], start: int, block: _Block, path: Path) -> int:
    """Read 'Graph Data' bins starting at the header row ``start``; return the next index."""
    block.header = rows[start]
    width = len(block.header)
    i = start + 1
    while i < len(rows) and rows[i]:
        block.bins.append(_numbers(rows[i], path, i + 1, width))
        i += 1
    if i >= len(rows):
        raise NtaFormatError(
            path,
            len(rows),
            None,
            f"file ends inside the {block.weighting} histogram of [{block.section}] "
            "(truncated export?)",
        )
    if len(block.bins) < 2:
        raise NtaFormatError(path, start + 1, None, "histogram has fewer than 2 bins")
    step = block.bins[1][0] - block.bins[0][0]
    for k in range(1, len(block.bins)):
        if abs(block.bins[k][0] - block.bins[k - 1][0] - step) > 1e-6 * max(1.0, abs(step)):
            raise NtaFormatError(
                path,
                start + 1 + k + 1,
                "column 1",
                f"bin centre {block.bins[k][0]:g} breaks the {step:g}-wide bins (lines missing?)",
            )
    return i


_Table = dict[tuple[str, str], list[str]]


def _walk(lines: list[str], path: Path) -> tuple[_Table, list[str], int, list[_Block]]:
    rows = [_cells(line, path, k) for k, line in enumerate(lines, start=1)]
    table: dict[tuple[str, str], list[str]] = {}
    videos: list[str] = []
    average_column = -1
    blocks: list[_Block] = []
    section = ""
    i = 2
    while i < len(rows):
        row = rows[i]
        if not row:
            i += 1
            continue
        first = row[0]
        if first.startswith("[") and first.endswith("]"):
            section = first[1:-1]
            if section == "Results" and "Average" in row:
                average_column = row.index("Average") - 1
            i += 1
            continue
        if section in ("Size Data", "Diffusion Coefficient Data"):
            if first == "Weighting":
                blocks.append(_Block(section, row[1] if len(row) > 1 else "?", i + 1))
            elif blocks and first in (*_STAT_KEYS, "Valid Tracks", "Filename"):
                blocks[-1].stats[first] = row[1:]
            elif blocks and first == "Graph Data":
                if i + 1 >= len(rows) or not rows[i + 1]:
                    raise NtaFormatError(path, i + 2, None, "'Graph Data' without a bin header")
                i = _read_block(rows, i + 1, blocks[-1], path)
                continue
            i += 1
            continue
        if first == "Filename:":
            videos = row[1:]
        else:
            table.setdefault((section, first), row[1:])
        i += 1
    return table, videos, average_column, blocks


def _percentile_rule(version: tuple[int, int]) -> PercentileRule:
    # NTA 3.2 reports percentiles at the bins' lower edges, 3.3 and 3.4 at the upper edges
    # (checked against the percentile tables of the files in shared/data/nta).
    return "lower_edge" if version < (3, 3) else "upper_edge"


def _reported(block: _Block, column: int) -> SizeStats:
    values = {
        name: to_float(block.stats[key][column])
        for key, name in _STAT_KEYS.items()
        if key in block.stats and column < len(block.stats[key])
    }
    return SizeStats(**values)


def _check(
    label: str, reported: SizeStats, derived: SizeStats, warnings: list[InstrumentWarning]
) -> None:
    for name in ("mean_nm", "sd_nm", "d10_nm", "d50_nm", "d90_nm"):
        got, printed = getattr(derived, name), getattr(reported, name)
        if got is not None and printed is not None and abs(got - printed) > _TOLERANCE_NM:
            warnings.append(
                InstrumentWarning(
                    item=f"evkg check of {name.removesuffix('_nm').upper()}",
                    value=f"histogram gives {got:.1f} nm, export prints {printed:.1f} nm",
                    video=label,
                )
            )


def _instrument_warnings(
    table: dict[tuple[str, str], list[str]], n_videos: int
) -> list[InstrumentWarning]:
    found: dict[tuple[str, str, str], InstrumentWarning] = {}
    for (section, item), values in table.items():
        if section not in ("Concentration Warnings", "Information"):
            continue
        for k, value in enumerate(values[:n_videos], start=1):
            if value in _QUIET_VALUES:
                continue
            severity = "info" if item in _INFO_ITEMS else "warning"
            warning = InstrumentWarning(
                item=item, value=value, video=f"video {k}", severity=severity
            )
            found.setdefault((item, value, f"video {k}"), warning)  # same item in two sections
    return list(found.values())


def _dilution(table: dict[tuple[str, str], list[str]], n_videos: int, path: Path) -> float | None:
    row = next(
        (v for (s, k), v in table.items() if s == "Results" and k.startswith("Dilution")), []
    )
    factors = {f for f in (to_float(v) for v in row[:n_videos]) if f is not None}
    if len(factors) > 1:
        raise NtaFormatError(path, None, "Dilution factor", f"videos differ: {sorted(factors)}")
    return factors.pop() if factors else None


def parse_nanosight_summary(text: str, path: Path) -> ParticleExport:
    """Parse an Experiment Summary CSV into reported and recomputed size statistics."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith(MAGIC):
        raise NtaFormatError(path, 1, None, f"does not start with '{MAGIC}'")
    second = _cells(lines[1], path, 2) if len(lines) > 1 else []
    created = second[0] if second else ""
    match = re.search(r"NTA (\d+)\.(\d+)", created)
    if match is None:
        raise NtaFormatError(path, 2, None, f"expected 'Created with NTA 3.x', found {created!r}")
    table, videos, average_column, blocks = _walk(lines, path)
    n = len(videos)
    if n == 0:
        raise NtaFormatError(path, None, "Filename:", "no video names: not a complete export")
    block = next((b for b in blocks if b.section == "Size Data" and b.weighting == "Number"), None)
    if block is None:
        raise NtaFormatError(
            path,
            len(lines),
            "[Size Data]",
            "no number-weighted size distribution (truncated export?)",
        )
    if len(block.header) < n + 2 or "average" not in block.header[n + 1].lower():
        raise NtaFormatError(
            path,
            block.line,
            None,
            f"histogram header has no 'average' column after {n} video columns",
        )
    rule = _percentile_rule((int(match.group(1)), int(match.group(2))))
    centres = [row[0] for row in block.bins]
    width = centres[1] - centres[0]
    concentration = table.get(("Results", "Concentration (Particles / ml)"))
    if concentration is None:
        raise NtaFormatError(path, None, "[Results]", "no 'Concentration (Particles / ml)' row")
    average_at = average_column if average_column >= 0 else n
    warnings = _instrument_warnings(table, n)
    video_results: list[VideoResult] = []
    for k in range(n):
        weights = [row[k + 1] for row in block.bins]
        reported = _reported(block, k)
        derived = size_stats(centres, weights, rule=rule, width=width)
        _check(f"video {k + 1}", reported, derived, warnings)
        tracks = block.stats.get("Valid Tracks", [])
        video_results.append(
            VideoResult(
                name=videos[k],
                concentration_per_ml=to_float(concentration[k]) if k < len(concentration) else None,
                reported=reported,
                derived=derived,
                valid_tracks=to_float(tracks[k]) if k < len(tracks) else None,
            )
        )
    average = [row[n + 1] for row in block.bins]
    reported_conc = to_float(concentration[average_at]) if average_at < len(concentration) else None
    se = to_float(concentration[average_at + 1]) if average_at + 1 < len(concentration) else None
    if reported_conc is not None and sum(average) > 0:
        ratio = sum(average) / reported_conc
        if abs(ratio - 1) > 0.01:
            warnings.append(
                InstrumentWarning(
                    item="evkg check of concentration",
                    value=f"histogram sums to {sum(average):.3g}/ml, export: {reported_conc:.3g}",
                )
            )
    dilution = _dilution(table, n, path)
    status = "ok" if sum(average) > 0 else "no_particles"
    if status == "no_particles":
        warnings.append(InstrumentWarning(item="size distribution", value="no particles measured"))
    track_counts = [v.valid_tracks for v in video_results if v.valid_tracks is not None]
    sample = table.get(("Experiment Details", "Sample Description")) or table.get(
        ("Experiment Details", "Sample Name"), []
    )
    settings = {
        label: ", ".join(dict.fromkeys(table[key][:n]))
        for key, label in _SETTINGS.items()
        if key in table
    }
    software = (table.get(("Experiment Details", "Software Version")) or [""])[0]
    return ParticleExport(
        path=str(path),
        format="nanosight_summary",
        instrument="Malvern NanoSight",
        software=software
        if software and software != "Unknown"
        else created.removeprefix("Created with "),
        sample=sample[0] if sample else None,
        captured=(table.get(("Experiment Details", "Time Captured")) or [""])[0] or None,
        status=status,
        dilution_factor=dilution,
        measured_concentration_per_ml=(
            reported_conc / dilution if reported_conc is not None and dilution else reported_conc
        ),
        concentration_per_ml=reported_conc,
        concentration_se=se,
        reported=_reported(block, n),
        derived=size_stats(centres, average, rule=rule, width=width),
        percentile_rule=rule,
        histogram=SizeHistogram(
            centres_nm=tuple(centres),
            weights=tuple(average),
            unit=f"particles/ml per {width:g}-nm bin (average of videos)",
        ),
        videos=tuple(video_results),
        traces=sum(track_counts) if track_counts else None,
        warnings=tuple(warnings),
        settings=settings,
    )
