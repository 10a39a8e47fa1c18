"""Recognising the layouts pipelines and databases write, by their columns: miRDeep2
``miRNAs_expressed_all_samples_*.csv``, nf-core/smrnaseq ``mature_counts.csv`` (samples as
rows), mirtop's isomiR table ``mirtop.tsv``, MaxQuant ``proteinGroups.txt``, Vesiclepedia and
ExoCarta downloads, and differential-expression results (DESeq2, edgeR, limma), which are
refused; UniProt FASTA-style ids; plus the column guessing for plain tables. Private."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evkg.vocab import fold_name

__all__ = [
    "ABUNDANCE_HEADERS",
    "MIRTOP_ANNOTATIONS",
    "NAME_HEADERS",
    "ResultsLayout",
    "database_download",
    "differential_results",
    "find_column",
    "is_mirdeep2",
    "is_mirtop",
    "is_number",
    "is_smrnaseq_wide",
    "looks_like_maxquant",
    "parse_number",
    "uniprot_accession",
]

#: Folded header names taken as the name column, best first.
NAME_HEADERS = (
    "name", "mirna", "mirnaname", "mirnaid", "mirbaseid", "mature", "maturemirna", "microrna",
    "mir", "genename", "genenames", "genesymbol", "symbol", "gene", "genes", "protein",
    "proteinname", "uniprot", "uniprotid", "uniprotaccession", "accession", "proteinids",
    "majorityproteinids", "cargo", "id", "identifier", "feature", "featureid",
)  # fmt: skip

#: Folded header names taken as the abundance column, best first.
ABUNDANCE_HEADERS = (
    "abundance", "relativeabundance", "rpm", "cpm", "tpm", "readspermillion",
    "normalizedcount", "normalisedcount", "count", "counts", "readcount", "reads",
    "ibaq", "intensity", "lfqintensity", "spectralcount", "spectralcounts", "expression",
    "level", "value", "mean", "frequency", "percent", "percentage",
)  # fmt: skip

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "#n/a"}


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip())) or cell.strip().lower() in {"nan", "inf"}


def parse_number(cell: str, decimal_comma: bool = False) -> float | None:
    """A cell as a float, ``None`` when missing; raises ``ValueError`` when not a number.

    >>> parse_number("1,5", decimal_comma=True)
    1.5
    >>> parse_number("NA") is None
    True
    """
    text = cell.strip()
    if text.lower() in _MISSING:
        return None
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".") if "," in text else text
    value = float(text)
    if value != value:  # NaN
        return None
    return value


def find_column(header: Sequence[str], wanted: str) -> int | None:
    """Index of column ``wanted`` (exact, then case/punctuation-insensitive, then a 1-based
    column number)."""
    for index, cell in enumerate(header):
        if cell == wanted:
            return index
    folded = fold_name(wanted)
    for index, cell in enumerate(header):
        if fold_name(cell) == folded:
            return index
    if wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    return None


def is_mirdeep2(header: Sequence[str]) -> bool:
    """miRDeep2 quantifier output: ``#miRNA read_count precursor total <samples…>``."""
    return len(header) >= 3 and header[0].lower() == "#mirna" and header[1] == "read_count"


def is_smrnaseq_wide(header: Sequence[str], names_parse: Sequence[bool]) -> bool:
    """nf-core/smrnaseq ``mature_counts.csv``: R ``write.csv(t(counts))`` puts samples in rows
    and miRNAs in columns, with an empty first header cell."""
    if len(header) < 2 or header[0].strip() not in ("", '""'):
        return False
    return sum(names_parse) >= max(1, (len(header) - 1) // 2)


def looks_like_maxquant(header: Sequence[str]) -> bool:
    folded = {fold_name(cell) for cell in header}
    return "majorityproteinids" in folded or (
        "proteinids" in folded and ("genenames" in folded or "ibaq" in folded)
    )


#: Folded mirtop isomiR-table columns that annotate a sequence; every other column is a sample.
MIRTOP_ANNOTATIONS = frozenset(
    {"uid", "read", "mirna", "variant", "source", "hits", "chrom", "start", "end", "strand"}
)


def is_mirtop(header: Sequence[str]) -> bool:
    """mirtop ``export --format isomir`` (nf-core/smrnaseq ``mirtop.tsv``): one row per
    sequence with ``UID``, ``Read``, ``miRNA``, ``Variant`` and ``iso_*`` columns before the
    samples' counts."""
    folded = {fold_name(cell) for cell in header}
    return {"uid", "read", "mirna"} <= folded and (
        "variant" in folded or any(cell.lower().startswith("iso_") for cell in header)
    )


@dataclass(frozen=True)
class ResultsLayout:
    """A differential-expression results table: which tool wrote it and the columns that
    show it (as the tool spells them: fold change, p-value, then two more)."""

    tool: str
    evidence: tuple[str, ...]
    statistics: frozenset[str]  # folded columns that are statistics, never abundances
    advice: str


_RESULTS_LAYOUTS = (
    ResultsLayout(
        "DESeq2",
        ("log2FoldChange", "pvalue", "baseMean", "padj"),
        frozenset({"log2foldchange", "lfcse", "stat", "pvalue", "padj", "svalue"}),
        "pass the normalised counts (DESeq2 counts(dds, normalized=TRUE), one column per "
        "sample), or the mean normalised count with --abundance-column baseMean",
    ),
    ResultsLayout(
        "edgeR",
        ("logFC", "PValue", "logCPM", "FDR"),
        frozenset({"logfc", "logcpm", "pvalue", "fdr", "lr", "f"}),
        "pass the counts per million (edgeR cpm(y), one column per sample, not log)",
    ),
    ResultsLayout(
        "limma",
        ("logFC", "P.Value", "AveExpr", "adj.P.Val"),
        frozenset({"logfc", "aveexpr", "t", "pvalue", "adjpval", "b"}),
        "pass the normalised expression on a linear scale (one column per sample, not log)",
    ),
)


def differential_results(header: Sequence[str]) -> ResultsLayout | None:
    """The results layout whose telling columns the header has (its fold change and
    p-value columns and at least one of the other two), or ``None``."""
    folded = {fold_name(cell) for cell in header}
    for layout in _RESULTS_LAYOUTS:
        wanted = [fold_name(cell) for cell in layout.evidence]
        present = [cell for cell in wanted if cell in folded]
        if len(present) >= 3 and wanted[0] in folded and wanted[1] in folded:
            return layout
    return None


def database_download(header: Sequence[str]) -> str | None:
    """``"Vesiclepedia"`` or ``"ExoCarta"`` when the header is one of their download tables
    (``CONTENT ID``/``EXOCARTA ID``, ``CONTENT TYPE``, ``ENTREZ GENE ID``, ``GENE SYMBOL``,
    ``SPECIES``, ``EXPERIMENT ID``…), else ``None``."""
    folded = {fold_name(cell) for cell in header}
    if "exocartaid" in folded:
        return "ExoCarta"
    if "contentid" in folded or "vesiclepediaid" in folded:
        return "Vesiclepedia"
    if "contenttype" in folded and ({"entrezgeneid", "experimentid"} & folded):
        return "Vesiclepedia"
    return None


_FASTA_ID = re.compile(r"^(?:sp|tr)\|([A-Z0-9]+(?:-\d+)?)\|[A-Z0-9_]*$")


def uniprot_accession(name: str) -> str | None:
    """The accession of a UniProt FASTA-style id (``sp|ACC|ENTRY_NAME`` or ``tr|…``), or
    ``None`` for any other name.

    >>> uniprot_accession("sp|P60033|CD81_HUMAN")
    'P60033'
    >>> uniprot_accession("CD81") is None
    True
    """
    match = _FASTA_ID.match(name.strip())
    return match.group(1) if match else None
