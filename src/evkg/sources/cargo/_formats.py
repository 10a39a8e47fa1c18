"""Recognising the layouts pipelines write: miRDeep2 ``miRNAs_expressed_all_samples_*.csv``,
nf-core/smrnaseq ``mature_counts.csv`` (samples as rows) and mirtop ``mirna.tsv``, MaxQuant
``proteinGroups.txt``; plus the column guessing for plain tables. Private."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evkg.vocab import fold_name

__all__ = [
    "ABUNDANCE_HEADERS",
    "NAME_HEADERS",
    "find_column",
    "is_mirdeep2",
    "is_number",
    "is_smrnaseq_wide",
    "looks_like_maxquant",
    "parse_number",
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
