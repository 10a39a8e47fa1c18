"""Self-contained HTML reports of cargo analyses and comparisons: one file, inline CSS and
inline SVG plots (matplotlib, Agg), no network access needed to open it.

Plots: an enrichment dot plot (ORA q beside the miRNA-aware null), an indication chart with
each score split into evidence for and against and mechanism, and a cargo → target → pathway
network.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The report layer sits beside evkg.analysis and may not import it: results arrive as the
# objects evkg.analysis returns (ProfileAnalysis, ProfileComparison) and are read by attribute.
ProfileAnalysis = Any
ProfileComparison = Any
PathwayResult = Any

__all__ = ["analysis_report", "comparison_report", "write_report"]

_COLLECTION_COLOURS = {"Reactome": "#1f77b4", "GO BP": "#2ca02c", "WikiPathways": "#9467bd"}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    # drop the XML prolog and DOCTYPE: the SVG goes inline into HTML
    return re.sub(r"^.*?(<svg)", r"\1", buffer.getvalue(), flags=re.S)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "svg.fonttype": "none"})
    return plt


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def enrichment_plot(pathways: Sequence[PathwayResult], top: int = 20) -> str | None:
    """Dot plot of the top gene sets: x = −log10 ORA q, size = overlap, colour = collection;
    a hollow ring at the null's −log10 q when the miRNA-aware null was run."""
    if not pathways:
        return None
    plt = _pyplot()
    chosen = list(pathways[:top])[::-1]
    figure, axis = plt.subplots(figsize=(7.5, 0.28 * len(chosen) + 1.2))
    ys = range(len(chosen))
    xs = [-math.log10(max(p.q, 1e-300)) for p in chosen]
    sizes = [20 + 4 * math.sqrt(p.k) * 6 for p in chosen]
    colours = [_COLLECTION_COLOURS.get(p.collection, "#7f7f7f") for p in chosen]
    axis.scatter(xs, ys, s=sizes, c=colours, alpha=0.8, label="ORA")
    nulls = [(i, -math.log10(max(p.null_q, 1e-300))) for i, p in enumerate(chosen) if p.null_q]
    if nulls:
        axis.scatter(
            [x for _, x in nulls],
            [i for i, _ in nulls],
            s=40,
            facecolors="none",
            edgecolors="#d62728",
            label="miRNA-aware null",
        )
        axis.legend(loc="lower right", frameon=False)
    axis.axvline(-math.log10(0.05), color="#999", linestyle=":", linewidth=1)
    axis.set_yticks(list(ys))
    axis.set_yticklabels([f"{_short(p.name)} ({p.collection})" for p in chosen])
    axis.set_xlabel("−log10 q (dotted: q = 0.05)")
    axis.set_title("Pathway enrichment of the targets")
    return _svg(figure)


def indication_plot(analysis: ProfileAnalysis, top: int = 15) -> str | None:
    """Horizontal bars per disease: evidence for, evidence against, mechanism."""
    if not analysis.indications:
        return None
    plt = _pyplot()
    chosen = list(analysis.indications[:top])
    detrimental = [i for i in analysis.indications[top:] if i.score < 0]
    chosen = (chosen + detrimental[:3])[::-1]
    figure, axis = plt.subplots(figsize=(7.5, 0.32 * len(chosen) + 1.2))
    ys = list(range(len(chosen)))
    positive = [
        sum(c.weight for c in i.contributions if c.kind == "claim" and c.weight > 0) for i in chosen
    ]
    negative = [
        sum(c.weight for c in i.contributions if c.kind == "claim" and c.weight < 0) for i in chosen
    ]
    mechanism = [i.mechanism_score for i in chosen]
    axis.barh(ys, positive, color="#2ca02c", label="evidence for")
    axis.barh(ys, negative, color="#d62728", label="evidence against")
    axis.barh(ys, mechanism, left=positive, color="#1f77b4", label="mechanism overlap")
    means = [(y, i.null_mean) for y, i in zip(ys, chosen, strict=True) if i.null_mean is not None]
    if means:
        axis.scatter(
            [m for _, m in means], [y for y, _ in means], marker="|", s=180, color="#111",
            label="random profiles' mean", zorder=3,
        )  # fmt: skip
    axis.axvline(0, color="#333", linewidth=0.8)
    axis.set_yticks(ys)
    above = analysis.settings.alpha
    axis.set_yticklabels(
        [
            _short(i.label, 40) + (" *" if i.null_p is not None and i.null_p < above else "")
            for i in chosen
        ]
    )
    axis.set_xlabel("score (decomposed)")
    axis.legend(loc="lower right", frameon=False)
    axis.set_title(
        "Indications (* above random)" if analysis.calibration is not None else "Indications"
    )
    return _svg(figure)


def network_plot(analysis: ProfileAnalysis, cargo: int = 8, pathways: int = 6) -> str | None:
    """Cargo → target → pathway network: the most abundant cargo with curated or functional
    targets, and the most enriched pathways those targets fall in."""
    import networkx as nx

    top_pathways = [p for p in analysis.pathways if p.q < 0.05][:pathways]
    abundant = list(analysis.profile.items[:cargo])
    wanted = {item.curie for item in abundant}
    in_pathway = {
        gene: [p for p in top_pathways if gene in p.genes] for p in top_pathways for gene in p.genes
    }
    graph = nx.DiGraph()
    for link in analysis.targets.links:
        if link.cargo not in wanted or link.tier not in ("curated", "self", "strong"):
            continue
        hits = in_pathway.get(link.symbol, [])
        if link.tier != "curated" and not hits:
            continue
        cargo_label = next(i.label for i in abundant if i.curie == link.cargo)
        graph.add_node(cargo_label, layer=0)
        graph.add_node(link.symbol, layer=1)
        graph.add_edge(cargo_label, link.symbol, curated=link.tier == "curated")
        for pathway in hits:
            graph.add_node(_short(pathway.name, 30), layer=2)
            graph.add_edge(link.symbol, _short(pathway.name, 30), curated=False)
    if graph.number_of_nodes() == 0:
        return None
    genes = [n for n, d in graph.nodes(data=True) if d["layer"] == 1]
    if len(genes) > 40:  # keep the genes linked to most pathways or with curated evidence
        keep = sorted(genes, key=lambda g: (-graph.out_degree(g), g))[:40]
        graph.remove_nodes_from([g for g in genes if g not in keep])
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    plt = _pyplot()
    layers: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for node, data in graph.nodes(data=True):
        layers[data["layer"]].append(node)
    positions = {}
    for layer, nodes in layers.items():
        for rank, node in enumerate(sorted(nodes)):
            positions[node] = (layer, -rank / max(len(nodes) - 1, 1))
    height = max(len(v) for v in layers.values()) * 0.22 + 1.5
    figure, axis = plt.subplots(figsize=(9, height))
    curated = [(a, b) for a, b, d in graph.edges(data=True) if d["curated"]]
    others = [(a, b) for a, b, d in graph.edges(data=True) if not d["curated"]]
    nx.draw_networkx_edges(
        graph, positions, edgelist=others, ax=axis, edge_color="#bbb", arrows=False, width=0.6
    )
    nx.draw_networkx_edges(
        graph, positions, edgelist=curated, ax=axis, edge_color="#d62728", arrows=False, width=1.4
    )
    colours = {0: "#ff7f0e", 1: "#1f77b4", 2: "#2ca02c"}
    for layer, nodes in layers.items():
        nx.draw_networkx_nodes(
            graph, positions, nodelist=nodes, node_size=60, node_color=colours[layer], ax=axis
        )
    for node, (x, y) in positions.items():
        align = "right" if x == 0 else "left"
        axis.text(x + (-0.03 if x == 0 else 0.03), y, node, fontsize=7, ha=align, va="center")
    axis.set_xlim(-0.8, 2.9)
    axis.axis("off")
    axis.set_title("cargo → target → pathway (red: curated claim; grey: functional assay)")
    return _svg(figure)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("evkg.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["sci"] = lambda v: "" if v is None else f"{v:.2g}"
    environment.filters["pct"] = lambda v: f"{100 * v:.2f}%"
    return environment


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("evkg")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "source tree"


def _stamp() -> dict[str, str]:
    return {"version": _version(), "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def analysis_report(analysis: ProfileAnalysis, *, top: int = 25) -> str:
    """One self-contained HTML page for one profile analysis."""
    label = {item.curie: item.label for item in analysis.profile.items}
    return str(
        _environment()
        .get_template("cargo_report.html.j2")
        .render(
            a=analysis,
            top=top,
            label=label,
            plots={
                "enrichment": enrichment_plot(analysis.pathways),
                "indications": indication_plot(analysis),
                "network": network_plot(analysis),
            },
            **_stamp(),
        )
    )


def comparison_report(
    comparison: ProfileComparison, analyses: Sequence[ProfileAnalysis] = (), *, top: int = 25
) -> str:
    """One self-contained HTML page comparing profiles."""
    return str(
        _environment()
        .get_template("cargo_compare.html.j2")
        .render(c=comparison, analyses=analyses, top=top, **_stamp())
    )


def write_report(html: str, path: Path) -> Path:
    """Write ``html`` to ``path`` (atomically: a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(path)
    return path
