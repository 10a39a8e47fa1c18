"""Readers for pathway gene-set files (GMT): Reactome and WikiPathways."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from evkg.model import EntityKind
from evkg.vocab._readers_common import ReadStats, ReferenceDataError, iter_tsv
from evkg.vocab.lexicon import LexiconEntry

__all__ = ["read_reactome_gmt", "read_wikipathways_gmt"]

_log = logging.getLogger(__name__)

_REACTOME_ID = re.compile(r"R-([A-Z]{3})-\d+")
_WP_ID = re.compile(r"WP\d+")


def read_reactome_gmt(path: Path, species: str = "HSA") -> Iterator[LexiconEntry]:
    """Reactome ``ReactomePathways.gmt`` (``name<TAB>R-HSA-n<TAB>genes…``) as ``PATHWAY``
    entries ``reactome:R-HSA-n`` labelled with the pathway name; attribute ``gene_count``.
    Pathways of other species than ``species`` are counted as skipped."""
    stats = ReadStats(path, _log)
    for lineno, cells in iter_tsv(path, header=None, stats=stats):
        if len(cells) < 2:
            raise ReferenceDataError(
                path, lineno, f"expected name, stable ID and genes, found {len(cells)} column(s)"
            )
        name, stable_id = cells[0].strip(), cells[1].strip()
        match = _REACTOME_ID.fullmatch(stable_id)
        if match is None:
            raise ReferenceDataError(path, lineno, f"malformed Reactome stable ID {stable_id!r}")
        if not name:
            raise ReferenceDataError(path, lineno, f"pathway {stable_id} has no name")
        if match.group(1) != species:
            stats.skip(lineno, "other species", stable_id)
            continue
        genes = [gene for gene in cells[2:] if gene.strip()]
        stats.entries += 1
        yield LexiconEntry(
            curie=f"reactome:{stable_id}",
            kind=EntityKind.PATHWAY,
            label=name,
            attributes=(("gene_count", str(len(genes))),),
        )
    stats.finish()


def read_wikipathways_gmt(path: Path) -> Iterator[LexiconEntry]:
    """WikiPathways GMT (``Name%WikiPathways_<date>%WPn%Species<TAB>URL<TAB>Entrez…``) as
    ``PATHWAY`` entries ``wikipathways:WPn``; attributes ``species`` and ``gene_count``."""
    stats = ReadStats(path, _log)
    for lineno, cells in iter_tsv(path, header=None, stats=stats):
        if len(cells) < 2:
            raise ReferenceDataError(
                path, lineno, f"expected descriptor, URL and genes, found {len(cells)} column(s)"
            )
        parts = cells[0].split("%")
        if len(parts) != 4 or not _WP_ID.fullmatch(parts[2]):
            raise ReferenceDataError(
                path,
                lineno,
                f"malformed descriptor {cells[0]!r} (expected Name%Release%WPn%Species)",
            )
        name, _release, wp_id, organism = (part.strip() for part in parts)
        if not name:
            raise ReferenceDataError(path, lineno, f"pathway {wp_id} has no name")
        genes = [gene for gene in cells[2:] if gene.strip()]
        stats.entries += 1
        yield LexiconEntry(
            curie=f"wikipathways:{wp_id}",
            kind=EntityKind.PATHWAY,
            label=name,
            attributes=(("species", organism), ("gene_count", str(len(genes)))),
        )
    stats.finish()
