"""The mechanism network as server-rendered SVG, layered left to right.

Columns: engineering → EV source → cargo → target → pathway/process → disease. Nodes are
boxes with labels at a readable size (the SVG is drawn at its natural pixel size and the
page scrolls sideways rather than shrinking it); edges are curves styled by predicate, with
a tooltip naming the claim and its citations. No JavaScript and no graph library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape

from evkg.api.entities import entity_url
from evkg.model import EntityKind, Predicate
from evkg.store import StoredClaim

__all__ = ["COLUMN_TITLES", "Network", "build_network", "entity_url", "render_svg"]

COLUMN_TITLES = ("Engineering", "EV source", "Cargo", "Target", "Pathway / process", "Disease")

_KIND_COLUMN = {
    EntityKind.MODIFICATION: 0,
    EntityKind.EV_SOURCE: 1,
    EntityKind.CELL_TYPE: 1,
    EntityKind.TISSUE: 1,
    EntityKind.MIRNA: 2,
    EntityKind.CARGO: 2,
    EntityKind.GENE: 3,
    EntityKind.PATHWAY: 4,
    EntityKind.PROCESS: 4,
    EntityKind.DISEASE: 5,
}
_PREDICATE_CLASS = {
    Predicate.CARRIES: "carries",
    Predicate.SPONGES: "sponges",
    Predicate.ENHANCES: "enhances",
    Predicate.REGULATES_DOWN: "down",
    Predicate.INHIBITS: "down",
    Predicate.REGULATES_UP: "up",
    Predicate.ACTIVATES: "up",
    Predicate.MODULATES: "modulates",
    Predicate.TREATS: "treats",
    Predicate.WORSENS: "worsens",
    Predicate.NO_EFFECT_ON: "noeffect",
    Predicate.ASSOCIATED_WITH: "associated",
}
_KINDS = {kind.value for kind in EntityKind}
_NODE_W, _NODE_H, _GAP_X, _ROW_H, _TOP, _PAD = 168, 28, 52, 38, 34, 12
_MAX_LABEL = 22
_MAX_PER_COLUMN = 30


@dataclass
class _Node:
    curie: str
    kind: str
    label: str
    column: int
    y: float = 0.0
    degree: int = 0


@dataclass
class _Edge:
    source: str
    target: str
    css: str
    title: str


@dataclass
class Network:
    """Nodes by column and edges, ready to draw."""

    nodes: dict[str, _Node] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)
    hidden: int = 0  # nodes left out because a column was full


def build_network(
    claims: Iterable[StoredClaim],
    kind_of: Callable[[str], str],
    label: Callable[[str | None], str],
    citation: Callable[[str], str],
) -> Network:
    """Nodes and edges of the claims (each drawn once), placed in their columns."""
    network = Network()
    seen: set[str] = set()
    carried: set[str] = set()
    unique = []
    for stored in claims:
        if stored.hash in seen:
            continue
        seen.add(stored.hash)
        unique.append(stored)
        if stored.claim.predicate == Predicate.CARRIES:
            carried.add(stored.claim.object)
    for stored in unique:
        claim = stored.claim
        for curie in (claim.subject, claim.object):
            if curie in network.nodes:
                continue
            kind = kind_of(curie)
            column = _KIND_COLUMN.get(EntityKind(kind), 4) if kind in _KINDS else 4
            if kind == EntityKind.GENE and curie in carried:
                column = 2  # a protein the EVs carry is cargo, not a target
            network.nodes[curie] = _Node(curie, kind, label(curie), column)
        cited = "; ".join(citation(r) for r in stored.references[:3])
        outcome = f" [{claim.outcome.value}]" if claim.outcome else ""
        network.edges.append(
            _Edge(
                claim.subject,
                claim.object,
                "edge-contested"
                if claim.outcome is not None and claim.outcome.value == "contested"
                else f"edge-{_PREDICATE_CLASS[claim.predicate]}",
                f"{label(claim.subject)} {claim.predicate.value} {label(claim.object)}"
                f"{outcome} ({stored.strength}) — {cited}",
            )
        )
    for edge in network.edges:
        network.nodes[edge.source].degree += 1
        network.nodes[edge.target].degree += 1
    _limit_columns(network)
    _place(network)
    return network


def _limit_columns(network: Network) -> None:
    by_column: dict[int, list[_Node]] = defaultdict(list)
    for node in network.nodes.values():
        by_column[node.column].append(node)
    dropped: set[str] = set()
    for members in by_column.values():
        if len(members) > _MAX_PER_COLUMN:
            members.sort(key=lambda n: (-n.degree, n.label))
            dropped |= {n.curie for n in members[_MAX_PER_COLUMN:]}
    if dropped:
        network.hidden = len(dropped)
        network.nodes = {k: v for k, v in network.nodes.items() if k not in dropped}
        network.edges = [
            e for e in network.edges if e.source not in dropped and e.target not in dropped
        ]


def _place(network: Network) -> None:
    """Order nodes in each column by the mean position of their neighbours (barycentre),
    sweeping left to right then right to left, to keep edges from crossing."""
    columns: dict[int, list[_Node]] = defaultdict(list)
    for node in network.nodes.values():
        columns[node.column].append(node)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in network.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    order = sorted(columns)
    for index in order:
        columns[index].sort(key=lambda n: n.label.lower())
        for row, node in enumerate(columns[index]):
            node.y = row
    for sweep in (order, list(reversed(order))):
        for index in sweep:
            members = columns[index]

            def centre(node: _Node) -> tuple[float, str]:
                ys = [network.nodes[n].y for n in neighbours[node.curie] if n in network.nodes]
                return (sum(ys) / len(ys) if ys else node.y, node.label.lower())

            members.sort(key=centre)
            for row, node in enumerate(members):
                node.y = row


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def render_svg(network: Network, title: str) -> str:
    """The network as an SVG document fragment (escaped; safe to embed in a page)."""
    if not network.nodes:
        return ""
    used = sorted({n.column for n in network.nodes.values()})
    x_of = {column: _PAD + i * (_NODE_W + _GAP_X) for i, column in enumerate(used)}
    rows = max(sum(1 for n in network.nodes.values() if n.column == column) for column in used)
    width = _PAD * 2 + len(used) * _NODE_W + (len(used) - 1) * _GAP_X
    height = _TOP + rows * _ROW_H + _PAD
    # centre short columns vertically
    offset: dict[int, float] = {}
    for column in used:
        count = sum(1 for n in network.nodes.values() if n.column == column)
        offset[column] = (rows - count) * _ROW_H / 2

    def y_of(node: _Node) -> float:
        return _TOP + offset[node.column] + node.y * _ROW_H

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="network-title">',
        f'<title id="network-title">{escape(title)}</title>',
        "<defs>",
    ]
    for css in ("carries", "enhances", "down", "up", "modulates", "treats", "worsens",
                "noeffect", "associated", "contested"):  # fmt: skip
        shape = "M0,0 L0,10 L3,10 L3,0 z" if css == "down" else "M0,0 L10,5 L0,10 z"
        parts.append(
            f'<marker id="m-{css}" class="marker-{css}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="{shape}"/></marker>'
        )
    parts.append("</defs>")
    for column in used:
        parts.append(
            f'<text class="column-title" x="{x_of[column] + _NODE_W / 2}" y="18" '
            f'text-anchor="middle">{escape(COLUMN_TITLES[column])}</text>'
        )
    for edge in network.edges:
        a, b = network.nodes[edge.source], network.nodes[edge.target]
        ya, yb = y_of(a) + _NODE_H / 2, y_of(b) + _NODE_H / 2
        if b.column > a.column:
            x1, x2 = x_of[a.column] + _NODE_W, x_of[b.column] - 2
            bend = (x2 - x1) / 2
            path = f"M{x1},{ya} C{x1 + bend},{ya} {x2 - bend},{yb} {x2},{yb}"
        else:  # same column or backwards: loop out to the right
            x1, x2 = x_of[a.column] + _NODE_W, x_of[b.column] + _NODE_W + 2
            reach = max(x1, x2) + 40
            path = f"M{x1},{ya} C{reach},{ya} {reach},{yb} {x2},{yb}"
        css = edge.css
        parts.append(
            f'<path class="edge {css}" d="{path}" marker-end="url(#m-{css.removeprefix("edge-")})">'
            f"<title>{escape(edge.title)}</title></path>"
        )
    for node in network.nodes.values():
        x, y = x_of[node.column], y_of(node)
        parts.append(
            f'<a href="{escape(entity_url(node.curie, node.kind))}" class="node node-{node.kind}">'
            f"<title>{escape(node.label)} ({escape(node.curie)})</title>"
            f'<rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" rx="5"/>'
            f'<text x="{x + 8}" y="{y + _NODE_H / 2 + 4.5}">{escape(_short(node.label))}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return "".join(parts)
