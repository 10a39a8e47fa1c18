"""KGX TSV export: ``nodes.tsv``, ``edges.tsv`` and the ``prefixes.json`` they use."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from evkg.export.biolink import (
    BIOLINK_CATEGORY,
    BIOLINK_PREDICATE,
    BiolinkCuries,
    HasPublicationIds,
    publication_curies,
)
from evkg.model import Entity, Predicate
from evkg.store import ClaimRow, StoredClaim

__all__ = ["KGX_EDGE_COLUMNS", "KGX_NODE_COLUMNS", "KgxFiles", "write_kgx"]

KGX_NODE_COLUMNS = ("id", "category", "name", "synonym", "xref")
KGX_EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "object_direction_qualifier", "negated",
    "knowledge_level", "agent_type", "primary_knowledge_source", "publications",
    "evkg_predicate", "evkg_outcome", "evkg_strength", "disease_context",
)  # fmt: skip


#: BIOLINK_PREDICATE by the predicate's stored value (a row holds the text, not the enum)
_BIOLINK_PREDICATE = {Predicate(p).value: v for p, v in BIOLINK_PREDICATE.items()}


@dataclass(frozen=True)
class KgxFiles:
    """The three files one KGX export writes."""

    nodes: Path
    edges: Path
    prefixes: Path


def write_kgx(
    claims: Iterable[StoredClaim | ClaimRow],
    entities: Iterable[Entity],
    directory: Path,
    references: Mapping[str, HasPublicationIds] | Callable[[str], HasPublicationIds | None],
    names: BiolinkCuries | None = None,
) -> KgxFiles:
    """Write ``nodes.tsv`` and ``edges.tsv`` with Biolink categories, predicates and prefixes,
    and ``prefixes.json`` (prefix -> URI prefix for every prefix written; those not in the
    Biolink prefix map are listed under ``not_in_biolink``). ``references`` maps a
    reference id to its record or its publication ids (or looks them up), so that
    publications are written as ``PMID:``/``doi:``. Both files are written row by row as
    ``entities`` and ``claims`` are read, so iterators keep memory flat."""
    names = names or BiolinkCuries.load()
    directory.mkdir(parents=True, exist_ok=True)
    files = KgxFiles(directory / "nodes.tsv", directory / "edges.tsv", directory / "prefixes.json")
    with files.nodes.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(KGX_NODE_COLUMNS)
        for entity in entities:
            writer.writerow(
                [
                    names.curie(entity.id),
                    BIOLINK_CATEGORY.get(entity.kind.value, "biolink:NamedThing"),
                    entity.label,
                    "|".join(entity.synonyms),
                    "|".join(names.curie(x, strict=False) for x in entity.xrefs),
                ]
            )
    with files.edges.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(KGX_EDGE_COLUMNS)
        for item in claims:
            row = item if isinstance(item, ClaimRow) else ClaimRow.of(item)
            predicate, direction, negated = _BIOLINK_PREDICATE[row.predicate]
            writer.writerow(
                [
                    names.curie(f"evkg:{row.hash}"),
                    names.curie(row.subject),
                    predicate,
                    names.curie(row.object),
                    direction or "",
                    "true" if negated else "",
                    "knowledge_assertion",
                    "manual_agent" if row.curated else "text_mining_agent",
                    "infores:evkg",
                    "|".join(publication_curies(row.references, references, names)),
                    row.predicate,
                    row.outcome or "",
                    row.strength,
                    names.curie(row.disease) if row.disease else "",
                ]
            )
    declared = {"prefixes": names.prefixes(), "not_in_biolink": names.non_biolink_prefixes()}
    files.prefixes.write_text(json.dumps(declared, indent=2) + "\n", encoding="utf-8")
    return files
