"""What a cargo file is read into, and the pieces every layout's reader shares: numbers
checked as abundances, zero rows listed, shares averaged over samples, the name column
found. Private: use :mod:`evkg.sources.cargo.api`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evkg.sources.cargo._formats import NAME_HEADERS, find_column, is_number, parse_number
from evkg.sources.cargo._text import CargoFileError, Grid
from evkg.vocab import fold_name

__all__ = [
    "CargoReader",
    "CargoRow",
    "CargoTable",
    "mean_shares",
    "missing_column",
    "pick_name_column",
    "with_abundances",
]

_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class CargoRow:
    """One named cargo as read: ``abundance`` is ``None`` when the file gives none."""

    name: str
    abundance: float | None
    line: int
    alternatives: tuple[str, ...] = ()  # other names for the same row (MaxQuant IDs)


@dataclass(frozen=True)
class CargoTable:
    """What a cargo file holds, how it was read, and what was left out and why."""

    path: Path
    #: list | table | xlsx | mirdeep2 | smrnaseq | mirtop | maxquant | vesiclepedia | exocarta
    format: str
    name_column: str | None
    abundance_column: str | None
    rows: tuple[CargoRow, ...]
    kind_hint: str | None = None  # "mirna" | "protein" when the format says so
    samples: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    skipped: tuple[tuple[int, str, str], ...] = field(default=())  # (line, name, reason)


class CargoReader:
    def __init__(self, path: Path, grid: Grid) -> None:
        self.path = path
        self.grid = grid
        self.decimal_comma = grid.delimiter == ";"
        self.skipped: list[tuple[int, str, str]] = []
        self.notes: list[str] = list(grid.notes)

    def error(self, line: int | None, column: str | None, message: str) -> CargoFileError:
        return CargoFileError(self.path, line, column, message)

    def number(self, cell: str, line: int, column: str) -> float | None:
        text = cell.strip()
        if not self.decimal_comma and _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            value = parse_number(text, self.decimal_comma)
        except ValueError:
            raise self.error(line, column, f"{cell!r} is not a number") from None
        if value is not None and value < 0:
            raise self.error(
                line,
                column,
                f"negative abundance {cell}: give counts, intensities or relative abundances, "
                "not log values",
            )
        return value


def with_abundances(
    reader: CargoReader,
    fmt: str,
    name_column: str | None,
    abundance_column: str | None,
    values: dict[str, tuple[float, int]],
    kind_hint: str | None,
    samples: tuple[str, ...] = (),
) -> CargoTable:
    rows = []
    for name, (value, line) in values.items():
        if value <= 0:
            reader.skipped.append((line, name, "zero abundance (not detected)"))
            continue
        rows.append(CargoRow(name, value, line))
    if not rows:
        raise reader.error(None, abundance_column, "every row has zero abundance")
    return CargoTable(
        reader.path,
        fmt,
        name_column,
        abundance_column,
        tuple(rows),
        kind_hint,
        samples,
        tuple(reader.notes),
        tuple(reader.skipped),
    )


def mean_shares(
    per_sample: Sequence[dict[str, tuple[float, int]]],
) -> dict[str, tuple[float, int]]:
    """Each name's share of its sample's total, averaged over the samples (first line kept)."""
    combined: dict[str, tuple[float, int]] = {}
    for values in per_sample:
        library = sum(v for v, _ in values.values()) or 1.0
        for name, (value, line) in values.items():
            old = combined.get(name, (0.0, line))
            combined[name] = (old[0] + value / library / len(per_sample), old[1])
    return combined


def missing_column(wanted: str, header: Sequence[str]) -> str:
    return f"no column {wanted!r}; the columns are: {', '.join(repr(c) for c in header)}"


def pick_name_column(
    reader: CargoReader,
    header: tuple[str, ...],
    body: Sequence[tuple[str, ...]],
    wanted: str | None,
) -> int:
    if wanted is not None:
        index = find_column(header, wanted)
        if index is None:
            raise reader.error(1, wanted, missing_column(wanted, header))
        return index
    folded = [fold_name(cell) for cell in header]
    for candidate in NAME_HEADERS:
        if candidate in folded:
            return folded.index(candidate)
    for index in range(len(header)):
        texts = [cells[index] for cells in body if cells[index]]
        if texts and sum(not is_number(t) for t in texts) >= 0.8 * len(texts):
            shown = repr(header[index]) if header[index] else "the unnamed first column"
            reader.notes.append(f"name column guessed: {shown}")
            return index
    raise reader.error(
        1,
        None,
        "no name column: none of the columns "
        f"({', '.join(repr(c) for c in header)}) holds names; pass the name column",
    )
