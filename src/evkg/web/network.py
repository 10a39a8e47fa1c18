"""The mechanism network as server-rendered SVG, laid out by Graphviz ``dot``.

Columns (Graphviz ranks, left to right): engineering → EV source → cargo → target →
pathway/process → disease. ``dot`` orders each column to keep edges from crossing and
routes every edge as a spline around the boxes, so that an edge passing a column never
runs through a box there (a false link). Labels are whole names, wrapped, at a readable
size (the SVG keeps its natural pixel size; the page scrolls sideways rather than
shrinking it); each box and edge carries a ``<title>`` shown on hover (the entity's name
and kind; the claim, its strength and citations). Needs the ``dot`` program
(``apt-get install graphviz``); without it the page says so instead of drawing.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from evkg.api.entities import entity_url
from evkg.model import EntityKind, Predicate
from evkg.store import StoredClaim

__all__ = [
    "COLUMN_TITLES",
    "Network",
    "NetworkUnavailableError",
    "build_network",
    "entity_url",
    "render_svg",
    "to_dot",
]

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
_MAX_PER_COLUMN = 30
_WRAP = 22  # characters per label line
_PX_PER_POINT = 1.25  # 11 pt labels draw at 13.75 px

#: predicate class -> (colour, line style, arrow head): the legend on the page matches
EDGE_STYLE = {
    "treats": ("#1e7b34", "solid", "normal"),
    "worsens": ("#b42318", "solid", "normal"),
    "noeffect": ("#667085", "dashed", "normal"),
    "contested": ("#a15c00", "dotted", "normal"),
    "carries": ("#9aa3b2", "solid", "normal"),
    "sponges": ("#2a6fdb", "dashed", "tee"),
    "down": ("#2a6fdb", "solid", "tee"),
    "up": ("#d9730d", "solid", "normal"),
    "modulates": ("#7a8494", "dashed", "normal"),
    "enhances": ("#8a4fd1", "solid", "normal"),
    "associated": ("#b3b9c4", "dotted", "normal"),
}
#: node kind -> (fill, border): the legend on the page matches
NODE_STYLE = {
    "disease": ("#e5f4e8", "#8cc79a"),
    "mirna": ("#fff4e0", "#e2b26a"),
    "cargo": ("#fff4e0", "#e2b26a"),
    "ev_source": ("#f2eafb", "#b99be0"),
    "modification": ("#f2eafb", "#b99be0"),
    "pathway": ("#f1f3f6", "#a8b1bf"),
    "process": ("#f1f3f6", "#a8b1bf"),
}
_DEFAULT_NODE = ("#eef4fc", "#8fb0dc")
_KIND_NAMES = {"ev_source": "EV source", "mirna": "miRNA", "cell_type": "cell type"}


class NetworkUnavailableError(RuntimeError):
    """Graphviz's ``dot`` program is not installed, so the network cannot be laid out."""


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
    css: str  # edge-<predicate class>
    title: str
    claims: int = 1  # claims drawn as this one arrow (same ends and kind, other contexts)


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
    _merge_parallel(network)
    _limit_columns(network)
    return network


def _merge_parallel(network: Network) -> None:
    """One arrow for the claims that join the same two entities the same way (they differ
    in context: source, model, species); its title lists each claim."""
    merged: dict[tuple[str, str, str], _Edge] = {}
    for edge in network.edges:
        key = (edge.source, edge.target, edge.css)
        if key in merged:
            kept = merged[key]
            kept.claims += 1
            kept.title += "\n" + edge.title
        else:
            merged[key] = edge
    network.edges = list(merged.values())


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


def _wrapped(label: str) -> str:
    return "\n".join(textwrap.wrap(label, _WRAP, break_on_hyphens=False)) or label


def to_dot(network: Network, title: str) -> str:
    """The network as Graphviz DOT source: one rank per column, styled by kind and predicate."""
    import graphviz  # only pages that draw a network need it

    graph = graphviz.Digraph(
        "network",
        graph_attr={
            "rankdir": "LR",
            "newrank": "true",
            "splines": "spline",
            "nodesep": "0.14",
            "ranksep": "0.6",
            "bgcolor": "transparent",
            "fontname": "DejaVu Sans",
            "tooltip": title,
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": "DejaVu Sans",
            "fontsize": "11",
            "margin": "0.12,0.05",
            "height": "0.3",
        },
        edge_attr={"penwidth": "1.4", "arrowsize": "0.7"},
    )
    ids = {curie: f"n{index}" for index, curie in enumerate(network.nodes)}
    columns: dict[int, list[str]] = defaultdict(list)
    for curie, node in network.nodes.items():
        columns[node.column].append(curie)
        fill, border = NODE_STYLE.get(node.kind, _DEFAULT_NODE)
        kind = _KIND_NAMES.get(node.kind, node.kind.replace("_", " "))
        graph.node(
            ids[curie],
            label=_wrapped(node.label),
            tooltip=f"{node.label} ({kind}, {node.degree} claim{'s' if node.degree != 1 else ''})",
            URL=entity_url(curie, node.kind),
            target="_top",
            id=ids[curie],
            fillcolor=fill,
            color=border,
            **{"class": f"node-{node.kind}"},  # dot adds "node"
        )
    for column in sorted(columns):  # each column one rank, in column order
        with graph.subgraph(name=f"column{column}") as rank:
            rank.attr(rank="same")
            for curie in sorted(columns[column], key=lambda c: network.nodes[c].label.lower()):
                rank.node(ids[curie])
    used = sorted(columns)
    for left, right in itertools.pairwise(used):  # keep the columns in order
        graph.edge(ids[columns[left][0]], ids[columns[right][0]], style="invis", weight="0")
    for index, edge in enumerate(network.edges):
        css = edge.css.removeprefix("edge-")
        colour, style, head = EDGE_STYLE.get(css, EDGE_STYLE["modulates"])
        backwards = network.nodes[edge.target].column < network.nodes[edge.source].column
        graph.edge(
            ids[edge.source],
            ids[edge.target],
            id=f"e{index}",
            tooltip=edge.title,
            penwidth=f"{1.4 + 0.7 * min(edge.claims - 1, 4):.1f}",
            color=colour,
            style=style,
            arrowhead=head,
            constraint="false" if backwards else "true",
            **{"class": edge.css},  # dot adds "edge"
        )
    source: str = graph.source
    return source


_SIZE = re.compile(r'(width|height)="([\d.]+)pt"')


@lru_cache(maxsize=256)
def _layout(source: str) -> str:
    """``dot -Tsvg`` of the source (kept: a page redrawn for the same claims costs nothing)."""
    import graphviz

    try:
        svg: str = graphviz.Source(source).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as error:
        raise NetworkUnavailableError(
            "The mechanism network needs Graphviz's dot program (apt-get install graphviz)"
        ) from error
    return svg


def render_svg(network: Network, title: str) -> str:
    """The network as an SVG fragment to embed in a page: drawn at its natural size in
    pixels, every box and edge with a ``<title>`` (its tooltip) and its node ids as
    ``data-source``/``data-target`` on each edge. Raises :class:`NetworkUnavailableError`
    when ``dot`` is not installed."""
    if not network.nodes:
        return ""
    from lxml import etree

    svg = _layout(to_dot(network, title))
    root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(remove_comments=True))
    ns = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
    ids = {f"n{index}": curie for index, curie in enumerate(network.nodes)}
    for group in root.iterfind(".//svg:g", ns):
        anchor = group.find("svg:g/svg:a", ns)
        tooltip = anchor.get(f"{{{ns['xlink']}}}title") if anchor is not None else None
        heading = group.find("svg:title", ns)
        if heading is None:
            continue
        if "edge" in (group.get("class") or "").split():
            index = int((group.get("id") or "e0")[1:])
            edge = network.edges[index]
            group.set("data-source", edge.source)
            group.set("data-target", edge.target)
            heading.text = edge.title
        elif "node" in (group.get("class") or "").split():
            group.set("data-curie", ids.get(group.get("id") or "", ""))
            if tooltip:
                heading.text = tooltip
        elif group.get("class") == "graph":
            heading.text = title
    for attribute in ("width", "height"):
        points = float((root.get(attribute) or "0pt").removesuffix("pt"))
        root.set(attribute, f"{points * _PX_PER_POINT:.0f}")
    root.set("class", "network")
    root.set("role", "img")
    text: str = etree.tostring(root, encoding="unicode")
    return text
