"""Readers for the layouts recognised by their columns: mirtop isomiR tables, Vesiclepedia
and ExoCarta downloads, differential-expression results (refused), UniProt FASTA-style ids.
Private: use :mod:`evkg.sources.cargo.api`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from evkg.sources.cargo._formats import (
    MIRTOP_ANNOTATIONS,
    ResultsLayout,
    find_column,
    uniprot_accession,
)
from evkg.sources.cargo._records import (
    CargoReader,
    CargoRow,
    CargoTable,
    mean_shares,
    pick_name_column,
    with_abundances,
)
from evkg.vocab import fold_name

__all__ = ["read_database_download", "read_mirtop", "refuse_results", "with_accessions"]


def read_mirtop(reader: CargoReader, header: tuple[str, ...], sample: str | None) -> CargoTable:
    """mirtop isomiR table: reads of every isomiR summed per miRNA, per sample."""
    mirna = find_column(header, "miRNA")
    assert mirna is not None  # is_mirtop saw it
    columns = [
        i
        for i, cell in enumerate(header)
        if fold_name(cell) not in MIRTOP_ANNOTATIONS and not cell.lower().startswith("iso_")
    ]
    if sample is not None:
        index = find_column(header, sample)
        if index not in columns:
            listed = ", ".join(header[i] for i in columns)
            raise reader.error(1, sample, f"no sample {sample!r}; the samples are: {listed}")
        columns = [index] if index is not None else []
    if not columns:
        raise reader.error(1, None, "a mirtop table without sample columns after the iso_ columns")
    per_sample: list[dict[str, tuple[float, int]]] = [{} for _ in columns]
    isomirs = 0
    for line, cells in reader.grid.rows[1:]:
        name = cells[mirna]
        if not name or name.upper() == "NA":
            reader.skipped.append((line, cells[0], "isomiR without a miRNA"))
            continue
        isomirs += 1
        for values, index in zip(per_sample, columns, strict=True):
            count = reader.number(cells[index], line, header[index]) or 0.0
            old, first = values.get(name, (0.0, line))
            values[name] = (old + count, first)
    names = [header[i] for i in columns]
    kept: list[tuple[str, dict[str, tuple[float, int]]]] = []
    for values, name in zip(per_sample, names, strict=True):
        if sum(v for v, _ in values.values()) > 0:
            kept.append((name, values))
        else:
            reader.notes.append(f"sample {name!r} has no reads; left out")
    if not kept:
        raise reader.error(None, None, "every sample has zero reads")
    reader.notes.append(f"{isomirs} isomiR rows summed into {len(per_sample[0])} miRNAs")
    if len(kept) == 1:
        column, values = kept[0]
    else:
        reader.notes.append(
            f"{len(kept)} samples: abundance is the mean relative abundance across them "
            "(choose one with the sample option)"
        )
        values, column = mean_shares([v for _, v in kept]), "mean of samples"
    return with_abundances(reader, "mirtop", header[mirna], column, values, "mirna", tuple(names))


def refuse_results(
    reader: CargoReader,
    header: tuple[str, ...],
    layout: ResultsLayout,
    abundance_column: str | None,
) -> None:
    """Differential-expression results are not abundances: refused unless a column that is
    one (DESeq2's baseMean) is named; a statistic named as the abundance is refused too."""
    shown = ", ".join(c for c in header if fold_name(c) in {fold_name(e) for e in layout.evidence})
    compare = (
        "or, to find the cargo that differs between groups, give `evkg compare` one count file "
        "per sample with --groups (e.g. evkg compare a1.csv a2.csv b1.csv b2.csv --groups "
        "A,A,B,B)"
    )
    what = f"{_article(layout.tool)} {layout.tool}"
    if abundance_column is None:
        raise reader.error(
            1,
            None,
            f"{what} differential-expression results table ({shown}), not abundances: fold "
            f"changes and p-values are no amount of cargo; {layout.advice}; {compare}",
        )
    index = find_column(header, abundance_column)
    if index is not None and fold_name(header[index]) in layout.statistics:
        raise reader.error(
            1,
            header[index],
            f"{header[index]!r} of {what} results table is a statistic or a log value, not an "
            f"abundance; {layout.advice}; {compare}",
        )
    read = header[index] if index is not None else abundance_column
    mean = " (the mean normalised count over every sample of both groups)"
    reader.notes.append(
        f"{what} results table: read its {read!r} column"
        + (mean if fold_name(read) == "basemean" else "")
    )


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeio" else "a"


def read_database_download(
    reader: CargoReader, header: tuple[str, ...], database: str, name_column: str | None
) -> CargoTable:
    """A Vesiclepedia or ExoCarta download: which cargo was reported, one row per experiment;
    its numbers are identifiers (Entrez, experiment), so names only, each once."""
    body_rows = reader.grid.rows[1:]
    if not body_rows:
        raise reader.error(None, None, "a header but no data rows")
    body = [cells for _, cells in body_rows]
    name_index = pick_name_column(reader, header, body, name_column)
    kinds = _column_values(header, body, "CONTENT TYPE")
    species = _column_values(header, body, "SPECIES")
    first_line: dict[str, int] = {}
    for line, cells in body_rows:
        name = cells[name_index]
        if not name:
            reader.skipped.append((line, "", f"empty {header[name_index]!r} cell"))
        else:
            first_line.setdefault(name, line)
    if not first_line:
        raise reader.error(None, header[name_index], "no names in the name column")
    reader.notes.append(
        f"a {database} download: {len(body)} rows (one per experiment) name {len(first_line)} "
        "cargo, each counted once; its numbers are identifiers, not amounts, so every cargo "
        "weighs the same"
    )
    if len(species) > 1:
        listed = ", ".join(f"{name} ({count})" for name, count in species.items())
        reader.notes.append(
            f"several species: {listed}; names are resolved for the species analysed"
        )
    kind_hint = None
    if len(kinds) == 1:
        kind_hint = {"protein": "protein", "mirna": "mirna"}.get(fold_name(next(iter(kinds))))
    elif len(kinds) > 1:
        listed = ", ".join(f"{name} ({count})" for name, count in kinds.items())
        reader.notes.append(f"several content types: {listed}")
    rows = tuple(CargoRow(name, None, line) for name, line in first_line.items())
    return CargoTable(
        reader.path,
        database.lower(),
        header[name_index],
        None,
        rows,
        kind_hint,
        notes=tuple(reader.notes),
        skipped=tuple(reader.skipped),
    )


def _column_values(
    header: tuple[str, ...], body: Sequence[tuple[str, ...]], column: str
) -> dict[str, int]:
    """How often each value occurs in ``column`` (empty when there is no such column)."""
    index = find_column(header, column)
    counts: dict[str, int] = {}
    if index is not None:
        for cells in body:
            if cells[index]:
                counts[cells[index]] = counts.get(cells[index], 0) + 1
    return counts


def with_accessions(table: CargoTable) -> CargoTable:
    """UniProt FASTA-style ids (``sp|P60033|CD81_HUMAN``) replaced by their accessions."""
    rows = []
    changed = 0
    for row in table.rows:
        accession = uniprot_accession(row.name)
        alternatives = tuple(uniprot_accession(a) or a for a in row.alternatives)
        if accession is not None:
            changed += 1
            row = replace(row, name=accession)
        rows.append(replace(row, alternatives=alternatives))
    if not changed:
        return table
    kind_hint = table.kind_hint or ("protein" if changed == len(rows) else None)
    note = f"{changed} UniProt FASTA-style ids (sp|ACCESSION|ENTRY) read as their accessions"
    return replace(table, rows=tuple(rows), kind_hint=kind_hint, notes=(*table.notes, note))
