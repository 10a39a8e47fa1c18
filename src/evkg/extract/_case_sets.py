"""Reading the tab-separated test sets evkg ships for its extraction scores (direction,
EV context): ``#`` comments, one header row naming the columns, one case per row."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from evkg.recordfiles import RecordFileError

__all__ = ["case_rows"]


def case_rows(
    path: Path | None, shipped: str, columns: tuple[str, ...], *, empty_hint: str = ""
) -> Iterator[tuple[Path | str, int, dict[str, str]]]:
    """(file, line, row by column) for every case of ``path``, or of the shipped set named
    ``shipped`` under evkg/data/evaluation/.

    :raises RecordFileError: a wrong header, a row with too few or many columns or an empty
        cell, or no header at all, naming the file, line and field.
    """
    where: Path | str
    if path is None:
        resource = files("evkg").joinpath("data", "evaluation", shipped)
        text, where = resource.read_text(encoding="utf-8"), f"evkg/data/evaluation/{shipped}"
    else:
        text, where = path.read_text(encoding="utf-8"), path
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if not header_seen:
            if tuple(cells) != columns:
                raise RecordFileError(
                    where, number, None, f"expected the header {' '.join(columns)}"
                )
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise RecordFileError(
                where, number, None, f"{len(cells)} columns, expected {len(columns)}"
            )
        row = dict(zip(columns, cells, strict=True))
        for name, value in row.items():
            if not value:
                raise RecordFileError(where, number, name, f"empty{empty_hint}")
        yield where, number, row
    if not header_seen:
        raise RecordFileError(where, None, None, "no header row")
