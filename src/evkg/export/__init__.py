"""Exports of the evidence graph: TSV, JSON lines, KGX (Biolink) and GraphML."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from evkg.model import Entity, Predicate
from evkg.store import StoredClaim
from evkg.store.protocol import Chain

__all__ = [
    "BIOLINK_CATEGORY",
    "BIOLINK_PREDICATE",
    "EXPORT_FORMATS",
    "chain_text",
    "claim_record",
    "claim_text",
    "write_graphml",
    "write_jsonl",
    "write_kgx",
    "write_tsv",
]

BIOLINK_CATEGORY = {
    "ev_source": "biolink:CellularComponent",
    "modification": "biolink:Activity",
    "mirna": "biolink:MicroRNA",
    "gene": "biolink:Gene",
    "cargo": "biolink:MolecularEntity",
    "pathway": "biolink:Pathway",
    "process": "biolink:BiologicalProcess",
    "disease": "biolink:Disease",
    "model": "biolink:Procedure",
    "route": "biolink:Procedure",
    "species": "biolink:OrganismTaxon",
    "cell_type": "biolink:Cell",
    "tissue": "biolink:GrossAnatomicalStructure",
    "reference": "biolink:Publication",
}

#: evkg predicate -> (Biolink predicate, object direction qualifier, negated)
BIOLINK_PREDICATE: dict[Predicate, tuple[str, str | None, bool]] = {
    Predicate.CARRIES: ("biolink:has_part", None, False),
    Predicate.SPONGES: ("biolink:regulates", "downregulated", False),
    Predicate.ENHANCES: ("biolink:affects", "increased", False),
    Predicate.REGULATES_DOWN: ("biolink:regulates", "downregulated", False),
    Predicate.REGULATES_UP: ("biolink:regulates", "upregulated", False),
    Predicate.INHIBITS: ("biolink:affects", "decreased", False),
    Predicate.ACTIVATES: ("biolink:affects", "increased", False),
    Predicate.MODULATES: ("biolink:affects", None, False),
    Predicate.TREATS: ("biolink:treats", None, False),
    Predicate.WORSENS: ("biolink:contributes_to", None, False),
    Predicate.NO_EFFECT_ON: ("biolink:treats", None, True),
    Predicate.ASSOCIATED_WITH: ("biolink:associated_with", None, False),
}

TSV_COLUMNS = (
    "claim_hash", "subject", "subject_label", "predicate", "object", "object_label", "outcome",
    "disease", "ev_source", "modifications", "cargo_type", "model", "species", "route",
    "strength", "n_references", "confidence", "references", "chains", "evidence_quotes",
)  # fmt: skip


def claim_text(stored: StoredClaim, label: Callable[[str], str]) -> str:
    """One claim on one line: ``hsa-miR-150-5p -regulates_down-> MMP14``."""
    claim = stored.claim
    return f"{label(claim.subject)} -{claim.predicate.value}-> {label(claim.object)}"


def chain_text(chain: Chain, label: Callable[[str], str]) -> str:
    """A mechanism chain on one line, its claims in mechanism order, joined by '; '."""
    return "; ".join(claim_text(stored, label) for stored in chain.claims)


def claim_record(stored: StoredClaim, label: Callable[[str], str]) -> dict[str, Any]:
    """A flat, JSON-ready view of a stored claim with labels and evidence."""
    claim, context = stored.claim, stored.claim.context
    return {
        "claim_hash": stored.hash,
        "subject": claim.subject,
        "subject_label": label(claim.subject),
        "predicate": claim.predicate.value,
        "object": claim.object,
        "object_label": label(claim.object),
        "outcome": claim.outcome.value if claim.outcome else None,
        "disease": context.disease,
        "ev_source": context.ev_source,
        "modifications": list(context.modifications),
        "cargo_type": context.cargo_type.value if context.cargo_type else None,
        "model": context.model,
        "species": context.species,
        "route": context.route,
        "strength": stored.strength,
        "n_references": stored.n_references,
        "confidence": stored.confidence,
        "references": list(stored.references),
        "chains": list(stored.chains),
        "evidence": [e.model_dump(mode="json", exclude_none=True) for e in stored.evidence],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value).replace("\t", " ").replace("\n", " ")


def write_tsv(claims: Iterable[StoredClaim], out: TextIO, label: Callable[[str], str]) -> int:
    """One row per claim; evidence quotes joined with ' || '."""
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TSV_COLUMNS)
    count = 0
    for stored in claims:
        record = claim_record(stored, label)
        record["evidence_quotes"] = " || ".join(e["quote"] for e in record.pop("evidence"))
        writer.writerow([_cell(record[column]) for column in TSV_COLUMNS])
        count += 1
    return count


def write_jsonl(claims: Iterable[StoredClaim], out: TextIO, label: Callable[[str], str]) -> int:
    count = 0
    for stored in claims:
        out.write(json.dumps(claim_record(stored, label), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def write_kgx(
    claims: Sequence[StoredClaim],
    entities: Iterable[Entity],
    directory: Path,
    publications: Mapping[str, str] | None = None,
) -> tuple[Path, Path]:
    """KGX TSV: ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and predicates;
    ``publications`` maps a reference id to its ``PMID:``/``doi:`` CURIE."""
    cite = publications or {}
    directory.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = directory / "nodes.tsv", directory / "edges.tsv"
    with nodes_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "category", "name", "synonym", "xref"])
        for entity in entities:
            writer.writerow(
                [
                    entity.id,
                    BIOLINK_CATEGORY.get(entity.kind.value, "biolink:NamedThing"),
                    entity.label,
                    "|".join(entity.synonyms),
                    "|".join(entity.xrefs),
                ]
            )
    with edges_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(
            [
                "id", "subject", "predicate", "object", "object_direction_qualifier", "negated",
                "knowledge_level", "agent_type", "primary_knowledge_source", "publications",
                "evkg_predicate", "evkg_outcome", "evkg_strength", "disease_context",
            ]
        )  # fmt: skip
        for stored in claims:
            predicate, direction, negated = BIOLINK_PREDICATE[stored.claim.predicate]
            writer.writerow(
                [
                    f"evkg:{stored.hash}",
                    stored.claim.subject,
                    predicate,
                    stored.claim.object,
                    direction or "",
                    "true" if negated else "",
                    "knowledge_assertion",
                    "manual_agent"
                    if all(e.method.value == "curated" for e in stored.evidence)
                    else "text_mining_agent",
                    "infores:evkg",
                    "|".join(cite.get(r, r) for r in stored.references),
                    stored.claim.predicate.value,
                    stored.claim.outcome.value if stored.claim.outcome else "",
                    stored.strength,
                    stored.claim.context.disease or "",
                ]
            )
    return nodes_path, edges_path


def write_graphml(
    claims: Sequence[StoredClaim], entities: Iterable[Entity], path: Path
) -> tuple[int, int]:
    """A directed multigraph: nodes are entities, one edge per claim."""
    import networkx as nx  # only the GraphML export needs it

    graph = nx.MultiDiGraph()
    for entity in entities:
        graph.add_node(entity.id, label=entity.label, kind=entity.kind.value)
    for stored in claims:
        claim = stored.claim
        for node in (claim.subject, claim.object):
            if node not in graph:
                graph.add_node(node, label=node, kind="unknown")
        graph.add_edge(
            claim.subject,
            claim.object,
            key=stored.hash,
            predicate=claim.predicate.value,
            outcome=claim.outcome.value if claim.outcome else "",
            disease=claim.context.disease or "",
            strength=stored.strength,
            references="|".join(stored.references),
        )
    nx.write_graphml(graph, path)
    return graph.number_of_nodes(), graph.number_of_edges()


EXPORT_FORMATS = ("tsv", "jsonl", "kgx", "graphml")
