"""miRTarBase validated miRNA–target interactions (CSV export with a UTF-8 BOM, one row per
interaction × paper), aggregated to one record per miRNA–target pair with an evidence tier.

Tiers follow miRTarBase's own definition: ``strong`` when a paper supports the pair with a
functional assay (reporter assay, western blot, qPCR; Support Type ``Functional MTI``),
``weak`` when only high-throughput methods do (CLIP, microarray, sequencing, proteomics).
``Non-Functional MTI`` rows are counted and left out.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evkg.sources.fetch import load_cached
from evkg.vocab.reference_files import ReferenceDataError, iter_lines

__all__ = ["MTI_COLUMNS", "Interaction", "MtiTable", "load_mirtarbase", "read_mirtarbase"]

_log = logging.getLogger(__name__)

MTI_COLUMNS = (
    "miRTarBase ID",
    "miRNA",
    "Species (miRNA)",
    "Target Gene",
    "Target Gene (Entrez Gene ID)",
    "Species (Target Gene)",
    "Experiments",
    "Support Type",
    "References (PMID)",
)
_STRONG_METHODS = ("reporter", "western", "qrt-pcr", "qpcr", "rt-pcr")
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Interaction:
    """One miRNA–target pair, all its papers merged."""

    mirna: str  # miRBase mature name as miRTarBase prints it, e.g. hsa-miR-20a-5p
    target: str  # gene symbol of the target species
    entrez: str
    target_species: str
    tier: str  # "strong" | "weak"
    references: tuple[str, ...]  # PMIDs
    methods: tuple[str, ...]


@dataclass(frozen=True)
class MtiTable:
    """All interactions of one miRTarBase file."""

    path: str
    interactions: tuple[Interaction, ...]
    rows: int
    non_functional: int

    def by_mirna(self) -> dict[str, list[Interaction]]:
        grouped: dict[str, list[Interaction]] = {}
        for interaction in self.interactions:
            grouped.setdefault(interaction.mirna, []).append(interaction)
        return grouped


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    lines = iter_lines(path)
    first = next(lines, None)
    if first is None:
        raise ReferenceDataError(path, 1, "file is empty; expected the miRTarBase header")
    header = next(csv.reader([first[1]]))
    # the mouse file names the Entrez column "Target Gene (Entrez ID)"
    normalised = [h.replace("(Entrez ID)", "(Entrez Gene ID)") for h in header]
    if normalised != list(MTI_COLUMNS):
        raise ReferenceDataError(
            path, 1, f"unexpected header: expected {list(MTI_COLUMNS)!r}, found {header!r}"
        )
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line]))
        except csv.Error as error:
            raise ReferenceDataError(path, lineno, f"malformed CSV: {error}") from error
        if len(cells) != len(MTI_COLUMNS):
            raise ReferenceDataError(
                path, lineno, f"expected {len(MTI_COLUMNS)} fields, found {len(cells)}"
            )
        yield lineno, cells


@dataclass
class _Pair:
    species: str
    strong: bool = False
    references: dict[str, None] = field(default_factory=dict)
    methods: dict[str, None] = field(default_factory=dict)


def read_mirtarbase(path: Path) -> MtiTable:
    """Parse a miRTarBase CSV (plain or gzip) into one :class:`Interaction` per pair."""
    merged: dict[tuple[str, str, str], _Pair] = {}
    rows = non_functional = 0
    for _lineno, cells in _rows(path):
        rows += 1
        _id, mirna, _species, target, entrez, target_species, experiments, support, pmid = cells
        if support.startswith("Non-Functional"):
            non_functional += 1
            continue
        methods = [m.strip() for m in experiments.replace(";", "//").split("//") if m.strip()]
        strong = support == "Functional MTI" or any(
            key in method.lower() for method in methods for key in _STRONG_METHODS
        )
        key = (mirna.strip(), target.strip(), entrez.strip())
        pair = merged.get(key)
        if pair is None:
            pair = merged[key] = _Pair(target_species.strip())
        pair.strong = pair.strong or strong
        if pmid.strip():
            pair.references[pmid.strip()] = None
        pair.methods.update(dict.fromkeys(methods))
    interactions = tuple(
        Interaction(
            mirna=mirna,
            target=target,
            entrez=entrez,
            target_species=pair.species,
            tier="strong" if pair.strong else "weak",
            references=tuple(pair.references),
            methods=tuple(pair.methods),
        )
        for (mirna, target, entrez), pair in merged.items()
    )
    _log.info(
        "%s: %d rows, %d interactions, %d non-functional rows left out",
        path.name,
        rows,
        len(interactions),
        non_functional,
    )
    return MtiTable(str(path), interactions, rows, non_functional)


def load_mirtarbase(path: Path, cache_dir: Path | None = None) -> MtiTable:
    """:func:`read_mirtarbase`, cached under ``cache_dir`` while the file is unchanged."""
    return load_cached(
        f"mirtarbase-v{_FORMAT}", [path], lambda: read_mirtarbase(path), cache_dir, MtiTable
    )
