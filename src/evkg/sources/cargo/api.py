"""Reading cargo files: a plain list of names, CSV/TSV/XLSX with a name and an optional
abundance column, miRNA-seq count tables (miRDeep2, nf-core/smrnaseq, mirtop), MaxQuant
``proteinGroups.txt`` and Vesiclepedia/ExoCarta downloads (names only). Differential-expression
results (DESeq2, edgeR, limma) are refused with what to pass instead; UniProt FASTA-style ids
(``sp|P60033|CD81_HUMAN``) are read as their accessions wherever they appear.

The reader only finds names and abundances; turning names into identifiers is the job of
:func:`evkg.analysis.profile.normalise_profile`. Every row left out is listed with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evkg.sources.cargo._formats import (
    ABUNDANCE_HEADERS,
    NAME_HEADERS,
    database_download,
    differential_results,
    find_column,
    is_mirdeep2,
    is_mirtop,
    is_number,
    is_smrnaseq_wide,
    looks_like_maxquant,
    uniprot_accession,
)
from evkg.sources.cargo._layouts import (
    read_database_download,
    read_mirtop,
    refuse_results,
    with_accessions,
)
from evkg.sources.cargo._records import (
    CargoReader,
    CargoRow,
    CargoTable,
    mean_shares,
    missing_column,
    pick_name_column,
    with_abundances,
)
from evkg.sources.cargo._text import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    CargoFileError,
    CargoFileTooLargeError,
    read_grid,
)
from evkg.vocab import fold_name, parse_mirna_name

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "CargoFileError",
    "CargoFileTooLargeError",
    "CargoRow",
    "CargoTable",
    "read_cargo_file",
]

_MAXQUANT_FLAGS = ("Reverse", "Potential contaminant", "Contaminant", "Only identified by site")
_ISOFORM = re.compile(r"-\d+$")


def _is_header(first: Sequence[str], rest: Sequence[tuple[int, tuple[str, ...]]]) -> bool:
    folded = [fold_name(cell) for cell in first]
    if any(cell in NAME_HEADERS or cell in ABUNDANCE_HEADERS for cell in folded):
        return True
    if any(is_number(cell) for cell in first):
        return False
    if not rest:
        return False
    second = rest[0][1]
    return any(is_number(b) and not is_number(a) for a, b in zip(first, second, strict=False))


def _single_column(reader: CargoReader) -> CargoTable:
    rows = list(reader.grid.rows)
    column = None
    if rows and fold_name(rows[0][1][0]) in NAME_HEADERS:
        column = rows[0][1][0]
        rows = rows[1:]
    if not rows:
        raise reader.error(None, None, "no names below the header")
    table_rows = tuple(CargoRow(cells[0], None, line) for line, cells in rows)
    fmt = "xlsx" if reader.grid.source_format == "xlsx" else "list"
    return CargoTable(reader.path, fmt, column, None, table_rows, notes=tuple(reader.notes))


def _mirdeep2(reader: CargoReader, header: tuple[str, ...], sample: str | None) -> CargoTable:
    column = "read_count"
    if sample is not None:
        index = find_column(header, sample)
        if index is None or index < 4:
            samples = ", ".join(c for c in header[4:] if not c.endswith("(norm)"))
            raise reader.error(1, None, f"no sample {sample!r}; the samples are: {samples}")
        column = header[index]
    index = header.index(column)
    best: dict[str, tuple[float, int]] = {}
    repeated = 0
    for line, cells in reader.grid.rows[1:]:
        name = cells[0]
        value = reader.number(cells[index], line, column) or 0.0
        if name in best:
            repeated += 1
            if value <= best[name][0]:
                continue
        best[name] = (value, best.get(name, (0.0, line))[1])
    if repeated:
        reader.notes.append(
            f"{repeated} rows repeat a mature miRNA under another precursor; kept the highest "
            "count per miRNA (summing would count shared reads twice)"
        )
    sample_names = tuple(c for c in header[4:] if not c.endswith("(norm)"))
    return with_abundances(reader, "mirdeep2", header[0], column, best, "mirna", sample_names)


def _smrnaseq(reader: CargoReader, header: tuple[str, ...], sample: str | None) -> CargoTable:
    names = header[1:]
    samples = [(line, cells) for line, cells in reader.grid.rows[1:]]
    if sample is not None:
        chosen = [(line, cells) for line, cells in samples if cells[0] == sample]
        if not chosen:
            listed = ", ".join(cells[0] for _, cells in samples)
            raise reader.error(None, None, f"no sample {sample!r}; the samples are: {listed}")
        samples = chosen
    totals: dict[str, float] = dict.fromkeys(names, 0.0)
    for line, cells in samples:
        counts = [
            reader.number(cell, line, name) or 0.0
            for cell, name in zip(cells[1:], names, strict=False)
        ]
        library = sum(counts)
        if library <= 0:
            reader.notes.append(f"sample {cells[0]!r} (line {line}) has no reads; left out")
            continue
        for name, count in zip(names, counts, strict=True):
            totals[name] += count / library / len(samples)
    if len(samples) > 1:
        reader.notes.append(
            f"{len(samples)} samples: abundance is the mean relative abundance across them "
            "(choose one with the sample option)"
        )
    values = {name: (value, 1) for name, value in totals.items()}
    sample_names = tuple(cells[0] for _, cells in samples)
    column = sample or ("mean of samples" if len(samples) > 1 else sample_names[0])
    return with_abundances(reader, "smrnaseq", None, column, values, "mirna", sample_names)


def _maxquant(
    reader: CargoReader, header: tuple[str, ...], abundance_column: str | None
) -> CargoTable:
    gene_col = find_column(header, "Gene names")
    ids_col = find_column(header, "Majority protein IDs")
    if ids_col is None:
        ids_col = find_column(header, "Protein IDs")
    flags = [i for f in _MAXQUANT_FLAGS if (i := find_column(header, f)) is not None]
    if abundance_column is not None:
        value_col = find_column(header, abundance_column)
        if value_col is None:
            raise reader.error(1, abundance_column, missing_column(abundance_column, header))
    else:
        value_col = next(
            (i for n in ("iBAQ", "Intensity") if (i := find_column(header, n)) is not None),
            next((i for i, c in enumerate(header) if c.startswith("LFQ intensity")), None),
        )
    values: dict[str, tuple[float, int]] = {}
    alternatives: dict[str, tuple[str, ...]] = {}
    for line, cells in reader.grid.rows[1:]:
        genes = [g for g in cells[gene_col].split(";") if g] if gene_col is not None else []
        accessions = []
        if ids_col is not None:
            for accession in cells[ids_col].split(";"):
                if accession:
                    accession = accession.strip()
                    accessions.append(_ISOFORM.sub("", uniprot_accession(accession) or accession))
        label = genes[0] if genes else (accessions[0] if accessions else "")
        flagged = [header[i] for i in flags if cells[i].strip() == "+"]
        if flagged:
            reader.skipped.append((line, label, f"MaxQuant flag: {', '.join(flagged)}"))
            continue
        if not label:
            reader.skipped.append((line, "", "no gene name or protein ID"))
            continue
        value = 1.0
        if value_col is not None:
            value = reader.number(cells[value_col], line, header[value_col]) or 0.0
        if label in values:
            value += values[label][0]
        values[label] = (value, values.get(label, (0.0, line))[1])
        alternatives[label] = tuple(dict.fromkeys([*genes[1:], *accessions]))
    table = with_abundances(
        reader,
        "maxquant",
        header[gene_col] if gene_col is not None else header[ids_col or 0],
        header[value_col] if value_col is not None else None,
        values,
        "protein",
    )
    rows = tuple(
        CargoRow(row.name, row.abundance, row.line, alternatives.get(row.name, ()))
        for row in table.rows
    )
    return replace(table, rows=rows)


def _numeric_columns(body: Sequence[tuple[str, ...]], skip: int) -> list[int]:
    numeric = []
    for index in range(len(body[0]) if body else 0):
        if index == skip:
            continue
        cells = [cells[index] for cells in body if cells[index].strip()]
        if cells and sum(is_number(c) for c in cells) >= 0.9 * len(cells):
            numeric.append(index)
    return numeric


def _table(
    reader: CargoReader,
    name_column: str | None,
    abundance_column: str | None,
    sample: str | None,
) -> CargoTable:
    rows = reader.grid.rows
    first = rows[0][1]
    has_header = _is_header(first, rows[1:])
    if has_header:
        header, body_rows = first, rows[1:]
    else:
        header, body_rows = tuple(f"column {i + 1}" for i in range(len(first))), rows
    if not body_rows:
        raise reader.error(None, None, "a header but no data rows")
    body = [cells for _, cells in body_rows]
    name_index = pick_name_column(reader, header, body, name_column)
    wanted = abundance_column or sample
    value_columns: list[int]
    if wanted is not None:
        index = find_column(header, wanted)
        if index is None:
            raise reader.error(1, wanted, missing_column(wanted, header))
        value_columns = [index]
    else:
        # a column named like an abundance is taken even with bad cells (they are reported)
        folded = {fold_name(h): i for i, h in enumerate(header) if i != name_index}
        named = next((folded[h] for h in ABUNDANCE_HEADERS if h in folded), None)
        value_columns = [named] if named is not None else _numeric_columns(body, name_index)
    fmt = "xlsx" if reader.grid.source_format == "xlsx" else "table"
    name_header = header[name_index]
    if not value_columns:
        table_rows = []
        for line, cells in body_rows:
            if cells[name_index]:
                table_rows.append(CargoRow(cells[name_index], None, line))
            else:
                reader.skipped.append((line, "", f"empty {name_header!r} cell"))
        return CargoTable(
            reader.path,
            fmt,
            name_header,
            None,
            tuple(table_rows),
            notes=(*reader.notes, "no abundance column: every cargo weighs the same"),
            skipped=tuple(reader.skipped),
        )
    per_column: list[dict[str, tuple[float, int]]] = []
    for index in value_columns:
        values: dict[str, tuple[float, int]] = {}
        missing = 0
        for line, cells in body_rows:
            name = cells[name_index]
            if not name:
                if index == value_columns[0]:
                    reader.skipped.append((line, "", f"empty {name_header!r} cell"))
                continue
            value = reader.number(cells[index], line, header[index])
            if value is None:
                missing += 1
                value = 0.0
            old_value, first_line = values.get(name, (0.0, line))
            values[name] = (old_value + value, first_line)
        if missing:
            reader.notes.append(f"{missing} empty or NA values in {header[index]!r} read as 0")
        per_column.append(values)
    if len(value_columns) == 1:
        combined = per_column[0]
        column = header[value_columns[0]]
        samples: tuple[str, ...] = ()
    else:
        samples = tuple(header[i] for i in value_columns)
        reader.notes.append(
            f"{len(samples)} numeric columns taken as samples ({', '.join(samples)}): abundance "
            "is the mean relative abundance across them (choose one with the abundance column "
            "or sample option)"
        )
        combined = mean_shares(per_column)
        column = "mean of samples"
    return with_abundances(reader, fmt, name_header, column, combined, None, samples)


def read_cargo_file(
    path: Path | str,
    *,
    name_column: str | None = None,
    abundance_column: str | None = None,
    sample: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> CargoTable:
    """Read a cargo file of any supported layout (detected from its content).

    ``name_column`` and ``abundance_column`` override the guessed columns (header text or
    1-based number); ``sample`` picks one sample of a count table; ``delimiter`` overrides
    sniffing. Raises :class:`CargoFileError` naming the file, line and field.
    """
    path = Path(path)
    grid = read_grid(path, delimiter=delimiter, sheet=sheet, max_bytes=max_bytes, max_rows=max_rows)
    reader = CargoReader(path, grid)
    return with_accessions(_read_layout(reader, name_column, abundance_column, sample))


def _read_layout(
    reader: CargoReader, name_column: str | None, abundance_column: str | None, sample: str | None
) -> CargoTable:
    """The grid read by the reader its columns call for."""
    grid = reader.grid
    width = max(len(cells) for _, cells in grid.rows)
    if width == 1:
        return _single_column(reader)
    header = grid.rows[0][1]
    if is_mirdeep2(header):
        return _mirdeep2(reader, header, sample or abundance_column)
    if is_mirtop(header):
        return read_mirtop(reader, header, sample or abundance_column)
    parses = [parse_mirna_name(cell) is not None for cell in header[1:]]
    if is_smrnaseq_wide(header, parses):
        return _smrnaseq(reader, header, sample)
    layout = differential_results(header)
    if layout is not None:
        refuse_results(reader, header, layout, abundance_column or sample)
    database = database_download(header)
    if database is not None and abundance_column is None and sample is None:
        return read_database_download(reader, header, database, name_column)
    if looks_like_maxquant(header) and name_column is None:
        return _maxquant(reader, header, abundance_column)
    return _table(reader, name_column, abundance_column, sample)
