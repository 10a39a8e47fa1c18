"""Exports of the evidence graph: TSV, JSON lines, KGX (Biolink) and GraphML."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from evkg.export.biolink import BIOLINK_CATEGORY, BIOLINK_PREDICATE
from evkg.export.graphml import GraphNode, write_graphml
from evkg.export.kgx import write_kgx
from evkg.export.stream import ClaimStream
from evkg.model.spreadsheet import FORMULA_STARTS, spreadsheet_text
from evkg.store import ClaimRow, StoredClaim
from evkg.store.protocol import Chain

__all__ = [
    "BIOLINK_CATEGORY",
    "BIOLINK_PREDICATE",
    "EXPORT_FORMATS",
    "ClaimStream",
    "GraphNode",
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


def claim_record(
    stored: StoredClaim, label: Callable[[str], str], *, with_evidence: bool = True
) -> dict[str, Any]:
    """A flat, JSON-ready view of a stored claim with labels and (unless ``with_evidence``
    is false) its evidence."""
    claim, context = stored.claim, stored.claim.context
    record: dict[str, Any] = {
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
    }
    if with_evidence:
        record["evidence"] = [e.model_dump(mode="json", exclude_none=True) for e in stored.evidence]
    return record


#: First characters after which :func:`spreadsheet_text` has a cell to look at.
_FORMULA_FIRST = frozenset(start[0] for start in FORMULA_STARTS)


def _text(value: str) -> str:
    """A TSV cell of text: tabs and line breaks made spaces, formula starts escaped."""
    if "\t" in value or "\n" in value:
        value = value.replace("\t", " ").replace("\n", " ")
    return spreadsheet_text(value) if value[:1] in _FORMULA_FIRST else value


def _optional(value: str | None) -> str:
    return "" if value is None else _text(value)


def _joined(values: tuple[str, ...]) -> str:
    """A list cell: the values joined with '|' (their tabs kept, as csv quotes them)."""
    value = "|".join(values)
    return spreadsheet_text(value) if value[:1] in _FORMULA_FIRST else value


def write_tsv(
    claims: Iterable[StoredClaim | ClaimRow], out: TextIO, label: Callable[[str], str]
) -> int:
    """One row per claim; evidence quotes joined with ' || '. Claims read as rows
    (:meth:`~evkg.store.SqlStore.claim_row_batches`) are written as they come; stored
    claims are first reduced to their rows."""
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TSV_COLUMNS)
    count = 0
    for item in claims:
        row = item if isinstance(item, ClaimRow) else ClaimRow.of(item)
        writer.writerow(
            (
                _text(row.hash), _text(row.subject), _text(label(row.subject)),
                _text(row.predicate), _text(row.object), _text(label(row.object)),
                _optional(row.outcome), _optional(row.disease), _optional(row.ev_source),
                _joined(row.modifications), _optional(row.cargo_type), _optional(row.model),
                _optional(row.species), _optional(row.route), _text(row.strength),
                _text(str(row.n_references)), _text(str(row.confidence)),
                _joined(row.references), _joined(row.chains), _text(" || ".join(row.quotes)),
            )
        )  # fmt: skip
        count += 1
    return count


def write_jsonl(claims: Iterable[StoredClaim], out: TextIO, label: Callable[[str], str]) -> int:
    count = 0
    for stored in claims:
        out.write(json.dumps(claim_record(stored, label), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


EXPORT_FORMATS = ("tsv", "jsonl", "kgx", "graphml")
