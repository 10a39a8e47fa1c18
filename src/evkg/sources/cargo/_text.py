"""Turning an uploaded cargo file into a grid of text cells: size and binary checks, gzip,
XLSX, encodings and delimiter sniffing. Private: use :mod:`evkg.sources.cargo.api`."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evkg.recordfiles import RecordFileError
from evkg.sources.cargo._formats import uniprot_accession

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "MAX_COLUMNS",
    "CargoFileError",
    "CargoFileTooLargeError",
    "Grid",
    "read_grid",
]

#: Largest file (or decompressed content) read by default: 20 MB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Most rows (header included) read by default; reading stops when one more is found.
DEFAULT_MAX_ROWS = 1_000_000
#: Most columns read of a row: cells beyond are an error, not a silent cut.
MAX_COLUMNS = 2_000
#: An XLSX workbook's parts may inflate to this many times the file size limit at most
#: (their declared sizes, which the unzipping enforces, are checked before reading).
_XLSX_INFLATION = 5

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls and other OLE2 documents
_DELIMITERS = ("\t", ",", ";", "|")
_DELIMITER_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}


class CargoFileError(RecordFileError):
    """A cargo file cannot be read; the message names the file, line and field."""


class CargoFileTooLargeError(CargoFileError):
    """A cargo file has more rows, columns or content than the limits allow."""


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
    return CargoFileTooLargeError(
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


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _declared_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark declares, or UTF-16 recognised without one (ASCII text
    saved as UTF-16: every other byte NUL)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:4096]
    if len(head) >= 4 and len(head) % 2 == 0:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) == len(odd) and 0 not in even:
            return "utf-16-le"
        if even.count(0) == len(even) and 0 not in odd:
            return "utf-16-be"
    return None


def _decode(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    declared = _declared_encoding(data)
    if declared is not None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError as error:
            raise CargoFileError(
                path, None, None, f"invalid {declared.upper()} text: {error.reason}"
            ) from error
        note = () if declared in ("utf-16", "utf-32") else (f"read as {declared.upper()}",)
        return text.lstrip("\ufeff"), note
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


def _check_xlsx_parts(path: Path, data: bytes, max_bytes: int) -> None:
    """Refuse a workbook whose parts declare more content than the limit (a zip bomb): the
    declared sizes bound what unzipping yields, so this holds before anything is inflated."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise CargoFileError(
            path, None, None, f"a ZIP file but not a readable XLSX workbook ({error})"
        ) from error
    limit = _XLSX_INFLATION * max_bytes
    if declared > limit:
        raise _too_big(path, declared, limit, "the workbook's uncompressed content")


def _xlsx_grid(path: Path, data: bytes, sheet: str | None, max_bytes: int, max_rows: int) -> Grid:
    from openpyxl import load_workbook

    _check_xlsx_parts(path, data, max_bytes)
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
        rows = _sheet_rows(path, worksheet, max_rows)
    except CargoFileError:
        raise
    except Exception as error:  # damaged sheet XML inside a valid ZIP
        raise CargoFileError(
            path, None, None, f"the worksheet cannot be read ({type(error).__name__}: {error})"
        ) from error
    finally:
        workbook.close()
    notes: tuple[str, ...] = ()
    if sheet is None and len(workbook.sheetnames) > 1:
        notes = (f"read the first worksheet {workbook.sheetnames[0]!r} of {workbook.sheetnames}",)
    return Grid(tuple(rows), None, "xlsx", notes)


def _sheet_rows(path: Path, worksheet: Any, max_rows: int) -> list[tuple[int, tuple[str, ...]]]:
    """Rows of a read-only worksheet, streamed: the row and column limits apply while
    reading, so a sheet of millions of rows costs no more than ``max_rows`` of them."""
    worksheet.reset_dimensions()  # a declared dimension of A1:XFD1048576 would pad every row
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
            raise CargoFileTooLargeError(
                path, number, None, f"row has cells beyond column {MAX_COLUMNS}, the limit"
            )
        cells = tuple("" if value is None else str(value).strip() for value in values)
        while cells and not cells[-1]:
            cells = cells[:-1]
        if cells:
            if len(rows) >= max_rows:
                raise _too_many_rows(path, number, max_rows)
            rows.append((number, cells))
    return rows


def _too_many_rows(path: Path, line: int, max_rows: int) -> CargoFileTooLargeError:
    return CargoFileTooLargeError(
        path,
        line,
        None,
        f"more than {max_rows:,} rows, the limit; keep the detected cargo (e.g. counts above "
        "a threshold)",
    )


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


class _LineError(ValueError):
    """A line the csv module cannot split (a field over its 128 KiB limit)."""


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter, quotechar='"'))
    except csv.Error as error:
        raise _LineError(str(error)) from error


def _sniff(lines: list[tuple[int, str]]) -> str | None:
    """The delimiter that splits the header into several fields and most of the next lines
    into as many (so that a few malformed rows are reported, not mistaken for a list)."""
    sample = [line for _, line in lines[:50]]
    best: tuple[float, int, str] | None = None
    for delimiter in _DELIMITERS:
        if delimiter == "|" and _holds_fasta_ids(sample):
            continue  # the pipes of sp|P60033|CD81_HUMAN separate no fields
        width = len(_split(sample[0], delimiter))
        if width < 2:
            continue
        counts = [len(_split(line, delimiter)) for line in sample[1:]] or [width]
        consistency = max(
            sum(count == width for count in counts) / len(counts),
            sum(count == width + 1 for count in counts) / len(counts),  # R row names
        )
        candidate = (consistency, width, delimiter)
        if consistency >= 0.5 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    return best[2] if best else None


def _has_row_names(lines: list[tuple[int, str]], delimiter: str, width: int) -> bool:
    """Whether the rows have one field more than the header, as R's ``write.table`` writes
    a data frame with row names (edgeR ``topTags``, limma ``topTable``)."""
    counts = [len(_split(line, delimiter)) for _, line in lines[1:51]]
    return bool(counts) and sum(c == width + 1 for c in counts) >= 0.9 * len(counts)


def _holds_fasta_ids(sample: list[str]) -> bool:
    cells = [cell for line in sample for cell in re.split(r"[\t,;\s]+", line.strip()) if cell]
    return any(uniprot_accession(cell.strip('"')) is not None for cell in cells)


def read_grid(
    path: Path,
    *,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Grid:
    """Read ``path`` into rows of cells. Raises :class:`CargoFileError` on anything that is not
    a readable text table or XLSX workbook (empty, binary, legacy .xls, bad rows), and its
    subclass :class:`CargoFileTooLargeError` past ``max_bytes``, ``max_rows`` (header included)
    or :data:`MAX_COLUMNS`."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise CargoFileError(path, None, None, "file is empty")
    if data.startswith(_ZIP):
        grid = _xlsx_grid(path, data, sheet, max_bytes, max_rows)
        if not grid.rows:
            raise CargoFileError(path, None, None, "the worksheet is empty")
        return grid
    if data.startswith(_OLE):
        raise CargoFileError(
            path, None, None, "a legacy Excel (.xls) or other OLE2 document; save it as XLSX or CSV"
        )
    if _declared_encoding(data) is None and _looks_binary(data):
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
    if len(lines) > max_rows:
        raise _too_many_rows(path, lines[max_rows][0], max_rows)
    try:
        return _text_grid(path, lines, delimiter, notes)
    except _LineError as error:
        number = _first_unsplittable(lines)
        raise CargoFileError(
            path,
            number,
            None,
            f"a field is too long to be a cargo name or value ({error}); is a quote left open?",
        ) from error


def _first_unsplittable(lines: list[tuple[int, str]]) -> int | None:
    """The first line long enough to hold a field over the csv module's limit."""
    limit = csv.field_size_limit()
    return next((number for number, line in lines if len(line) > limit), None)


def _text_grid(
    path: Path, lines: list[tuple[int, str]], delimiter: str | None, notes: tuple[str, ...]
) -> Grid:
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
    header = [cell.strip() for cell in _split(lines[0][1], used)]
    if _has_row_names(lines, used, len(header)):
        header.insert(0, "")
        notes = (*notes, "the header is one field short (R's write.table row names): the first "
                 "column is taken as the row names")  # fmt: skip
    width = len(header)
    parsed: list[tuple[int, tuple[str, ...]]] = [(lines[0][0], tuple(header))]
    for number, line in lines[1:]:
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
