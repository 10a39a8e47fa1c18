"""Turning an uploaded cargo file into a grid of text cells: size and binary checks, gzip,
XLSX, encodings and delimiter sniffing. Private: use :mod:`evkg.sources.cargo.api`."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from evkg.recordfiles import RecordFileError

__all__ = ["DEFAULT_MAX_BYTES", "CargoFileError", "Grid", "read_grid"]

#: Largest file (or decompressed content) read by default: 20 MB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls and other OLE2 documents
_DELIMITERS = ("\t", ",", ";", "|")
_DELIMITER_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}


class CargoFileError(RecordFileError):
    """A cargo file cannot be read; the message names the file, line and field."""


@dataclass(frozen=True)
class Grid:
    """Rows of text cells with the 1-based line (or worksheet row) each came from."""

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str | None  # None for XLSX and one-column files
    source_format: str  # "text" | "xlsx"
    notes: tuple[str, ...] = ()


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_big(path: Path, size: int, limit: int, what: str = "file") -> CargoFileError:
    return CargoFileError(
        path,
        None,
        None,
        f"{what} is {_megabytes(size)}, over the {_megabytes(limit)} limit for cargo files; "
        "a cargo list or count table is usually far smaller (pass a larger max size if it "
        "really is this big)",
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise CargoFileError(path, None, None, f"cannot read the file: {error.strerror}") from error
    if path.is_dir():
        raise CargoFileError(path, None, None, "is a directory, not a cargo file")
    if size > max_bytes:
        raise _too_big(path, size, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CargoFileError(path, None, None, f"cannot read the file: {error.strerror}") from error
    if data.startswith(_GZIP):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = stream.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise CargoFileError(path, None, None, f"corrupt gzip data: {error}") from error
        if len(data) > max_bytes:
            raise _too_big(path, len(data), max_bytes, "decompressed content")
    return data


def _decode(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError as error:
            raise CargoFileError(
                path, None, None, f"invalid UTF-16 text: {error.reason}"
            ) from error
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise CargoFileError(
                path,
                line,
                None,
                f"byte 0x{data[error.start]:02x} is neither UTF-8 nor Windows-1252 text; save the "
                "file as UTF-8",
            ) from error
        return text, (f"not UTF-8 (first bad byte on line {line}); read as Windows-1252",)


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return control > max(8, len(head) // 100)


def _xlsx_grid(path: Path, data: bytes, sheet: str | None) -> Grid:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or non-XLSX zip
        raise CargoFileError(
            path, None, None, f"a ZIP file but not a readable XLSX workbook ({error})"
        ) from error
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise CargoFileError(
                    path,
                    None,
                    None,
                    f"no worksheet {sheet!r}; the workbook has {', '.join(workbook.sheetnames)}",
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows: list[tuple[int, tuple[str, ...]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = tuple("" if value is None else str(value).strip() for value in values)
            while cells and not cells[-1]:
                cells = cells[:-1]
            if cells:
                rows.append((number, cells))
    finally:
        workbook.close()
    notes: tuple[str, ...] = ()
    if sheet is None and len(workbook.sheetnames) > 1:
        notes = (f"read the first worksheet {workbook.sheetnames[0]!r} of {workbook.sheetnames}",)
    return Grid(tuple(rows), None, "xlsx", notes)


def _content_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        # '#' starts a comment, except the miRDeep2 header '#miRNA<TAB>read_count…'
        if stripped.startswith("#") and not stripped.lower().startswith("#mirna"):
            continue
        lines.append((number, line))
    return lines


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar='"'))


def _sniff(lines: list[tuple[int, str]]) -> str | None:
    """The delimiter that splits the header into several fields and most of the next lines
    into as many (so that a few malformed rows are reported, not mistaken for a list)."""
    sample = [line for _, line in lines[:50]]
    best: tuple[float, int, str] | None = None
    for delimiter in _DELIMITERS:
        width = len(_split(sample[0], delimiter))
        if width < 2:
            continue
        counts = [len(_split(line, delimiter)) for line in sample[1:]] or [width]
        consistency = sum(count == width for count in counts) / len(counts)
        candidate = (consistency, width, delimiter)
        if consistency >= 0.5 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    return best[2] if best else None


def read_grid(
    path: Path,
    *,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Grid:
    """Read ``path`` into rows of cells. Raises :class:`CargoFileError` on anything that is not
    a readable text table or XLSX workbook (empty, binary, too large, legacy .xls, bad rows)."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise CargoFileError(path, None, None, "file is empty")
    if data.startswith(_ZIP):
        grid = _xlsx_grid(path, data, sheet)
        if not grid.rows:
            raise CargoFileError(path, None, None, "the worksheet is empty")
        return grid
    if data.startswith(_OLE):
        raise CargoFileError(
            path, None, None, "a legacy Excel (.xls) or other OLE2 document; save it as XLSX or CSV"
        )
    if _looks_binary(data):
        raise CargoFileError(
            path,
            None,
            None,
            "binary content, not a text table or XLSX workbook (expected a name list, CSV/TSV, "
            "XLSX, a miRDeep2/nf-core count table or MaxQuant proteinGroups.txt)",
        )
    text, notes = _decode(path, data)
    lines = _content_lines(text)
    if not lines:
        raise CargoFileError(path, None, None, "file holds only blank or comment lines")
    sniffed = _sniff(lines)
    if delimiter is not None:
        header = _split(lines[0][1], delimiter)
        if len(header) == 1 and sniffed not in (None, delimiter):
            raise CargoFileError(
                path,
                lines[0][0],
                None,
                f"the {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} delimiter leaves the "
                f"header as one field, but the file looks "
                f"{_DELIMITER_NAMES[sniffed]}-separated; leave the delimiter unset or pass "
                f"{sniffed!r}",
            )
        used: str | None = delimiter
    else:
        used = sniffed
    if used is None:
        rows = tuple((number, (line.strip(),)) for number, line in lines)
        return Grid(rows, None, "text", notes)
    width = len(_split(lines[0][1], used))
    parsed: list[tuple[int, tuple[str, ...]]] = []
    for number, line in lines:
        cells = [cell.strip() for cell in _split(line, used)]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) > width:
            raise CargoFileError(
                path,
                number,
                None,
                f"{len(cells)} fields where the header has {width} "
                f"({_DELIMITER_NAMES.get(used, repr(used))}-separated); check the delimiter "
                "and quoting",
            )
        cells.extend([""] * (width - len(cells)))
        parsed.append((number, tuple(cells)))
    return Grid(tuple(parsed), used, "text", notes)
