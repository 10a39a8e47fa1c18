"""GraphML written element by element: nodes (entities) then one edge per claim, so the
export never holds the graph in memory. The file is what networkx and Gephi read: a
directed multigraph whose edges carry the claim's hash as id."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, TextIO
from xml.sax.saxutils import quoteattr

from evkg.model import Entity
from evkg.store import ClaimRow, StoredClaim

__all__ = ["GraphNode", "write_graphml"]

_NODE_KEYS = (("label", "string"), ("kind", "string"))
_EDGE_KEYS = (
    ("predicate", "string"), ("outcome", "string"), ("disease", "string"),
    ("strength", "string"), ("references", "string"),
)  # fmt: skip


class GraphNode(NamedTuple):
    """A node that is no stored entity (an identifier a claim names)."""

    id: str
    label: str
    kind: str


#: What quoteattr rewrites; a value without any of these is written as it is.
_ESCAPED = re.compile('[&<>"\n\r\t]')


def _attr(value: str) -> str:
    """``value`` as a quoted XML attribute (what quoteattr writes)."""
    return quoteattr(value) if _ESCAPED.search(value) else f'"{value}"'


def _text(value: str) -> str:
    # quoteattr escapes &, <, > and quotes; element text is written through it minus quotes
    return quoteattr(value)[1:-1] if _ESCAPED.search(value) else value


def _data(out: TextIO, key: str, value: str) -> None:
    out.write(f'      <data key="{key}">{_text(value)}</data>\n')


def _header(out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for scope, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for name, kind in keys:
            out.write(
                f'  <key id="{scope}_{name}" for="{scope}" attr.name="{name}" '
                f'attr.type="{kind}" />\n'
            )
    out.write('  <graph edgedefault="directed">\n')


def _node(out: TextIO, curie: str, label: str, kind: str) -> None:
    out.write(f"    <node id={_attr(curie)}>\n")
    _data(out, "node_label", label)
    _data(out, "node_kind", kind)
    out.write("    </node>\n")


def write_graphml(
    claims: Iterable[StoredClaim | ClaimRow], nodes: Iterable[Entity | GraphNode], path: Path
) -> tuple[int, int]:
    """Write the nodes, then one edge per claim; an end of a claim missing from ``nodes``
    is written after the edges as a node of kind ``unknown`` labelled with its id.
    Returns (nodes, edges) written."""
    written: set[str] = set()
    n_edges = 0
    with path.open("w", encoding="utf-8") as out:
        _header(out)
        for node in nodes:
            kind = node.kind.value if isinstance(node, Entity) else node.kind
            _node(out, node.id, node.label, kind)
            written.add(node.id)
        missing: dict[str, None] = {}
        for item in claims:
            row = item if isinstance(item, ClaimRow) else ClaimRow.of(item)
            if row.subject not in written:
                missing[row.subject] = None
            if row.object not in written:
                missing[row.object] = None
            out.write(
                f"    <edge id={_attr(row.hash)} source={_attr(row.subject)} "
                f"target={_attr(row.object)}>\n"
                f'      <data key="edge_predicate">{_text(row.predicate)}</data>\n'
                f'      <data key="edge_outcome">{_text(row.outcome or "")}</data>\n'
                f'      <data key="edge_disease">{_text(row.disease or "")}</data>\n'
                f'      <data key="edge_strength">{_text(row.strength)}</data>\n'
                f'      <data key="edge_references">{_text("|".join(row.references))}</data>\n'
                "    </edge>\n"
            )
            n_edges += 1
        for curie in missing:
            _node(out, curie, curie, "unknown")
        out.write("  </graph>\n</graphml>\n")
    return len(written) + len(missing), n_edges
