"""Exports of the evidence graph: TSV, JSON lines, KGX (Biolink) and GraphML."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from evkg.export.biolink import BIOLINK_CATEGORY, BIOLINK_PREDICATE
from evkg.export.kgx import write_kgx
from evkg.model import Entity
from evkg.model.spreadsheet import spreadsheet_text
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
        return spreadsheet_text("|".join(str(v) for v in value))
    return spreadsheet_text(str(value).replace("\t", " ").replace("\n", " "))


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
