"""The QC report: one self-contained HTML file (inline SVG plots, no network needed)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from evkg.sources.nta import SizeHistogram

__all__ = ["control_chart_svg", "render_qc_html", "size_plot_svg"]

_MAX_NM = 600.0


def _density(histogram: SizeHistogram) -> tuple[list[float], list[float]]:
    """Fraction of particles per nm, so that 1-nm and 5-nm bins share one axis."""
    total = sum(histogram.weights)
    centres = list(histogram.centres_nm)
    width = centres[1] - centres[0] if len(centres) > 1 else 1.0
    keep = [k for k, c in enumerate(centres) if c <= _MAX_NM]
    return [centres[k] for k in keep], [histogram.weights[k] / total / width for k in keep]


def size_plot_svg(series: Sequence[tuple[str, SizeHistogram]], *, title: str) -> str:
    """An inline ``<svg>`` of number-weighted size distributions (one line per lot)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evkg-qc"}):
        figure, axes = plt.subplots(figsize=(7.0, 3.2))
        try:
            for label, histogram in series:
                if sum(histogram.weights) <= 0:
                    continue
                x, y = _density(histogram)
                axes.plot(x, y, linewidth=1.4, label=label)
            axes.set_xlabel("diameter (nm)")
            axes.set_ylabel("fraction of particles per nm")
            axes.set_title(title, fontsize=10)
            axes.set_xlim(0, _MAX_NM)
            if len(series) > 1:
                axes.legend(fontsize=8, frameon=False)
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(figure)
    text = buffer.getvalue()
    return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.DOTALL)


def _svg_text(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.DOTALL)


def control_chart_svg(attribute: Mapping[str, Any]) -> str:
    """An inline ``<svg>`` control chart of one trended attribute (``AttributeTrend`` as JSON):
    the lots in order, the mean and the control limits of the qualified lots (mean ± 3 SD,
    or the fallback its ``limits_rule`` names), the specification limits, and flagged lots
    marked."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    points = attribute["points"]
    labels = [p["lot"] for p in points]
    xs = list(range(len(points)))
    unit = attribute.get("unit") or ""
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evkg-qc"}):
        figure, axes = plt.subplots(figsize=(7.0, 2.8))
        try:
            shown = [
                (x, p["value"]) for x, p in zip(xs, points, strict=True) if p["value"] is not None
            ]
            axes.plot([x for x, _ in shown], [v for _, v in shown], marker="o", color="#1f4e79",
                      linewidth=1.2, label="lot")  # fmt: skip
            flagged = [(x, p["value"]) for x, p in zip(xs, points, strict=True)
                       if p["value"] is not None and p["flags"]]  # fmt: skip
            if flagged:
                axes.scatter([x for x, _ in flagged], [v for _, v in flagged], s=90,
                             facecolors="none", edgecolors="#b42318", linewidths=1.6,
                             label="flagged", zorder=3)  # fmt: skip
            if attribute.get("mean") is not None:
                axes.axhline(attribute["mean"], color="#555", linewidth=1, label="mean")
                drawn = [k for k in ("lcl", "ucl") if attribute.get(k) is not None]
                for key in drawn:
                    axes.axhline(attribute[key], color="#9a6700", linestyle="--", linewidth=1,
                                 label="control limits" if key == drawn[-1] else None)  # fmt: skip
            for key in ("spec_min", "spec_max"):
                if attribute.get(key) is not None:
                    axes.axhline(attribute[key], color="#b42318", linestyle=":", linewidth=1.2,
                                 label="specification" if key == "spec_max" or
                                 attribute.get("spec_max") is None else None)  # fmt: skip
            axes.set_xticks(xs, labels, fontsize=7, rotation=20)
            axes.set_ylabel(unit, fontsize=8)
            title = attribute["label"] + (" — DRIFT" if attribute.get("drifting") else "")
            axes.set_title(title, fontsize=10)
            axes.legend(fontsize=7, frameon=False, loc="best")
            figure.tight_layout()
            return _svg_text(figure)
        finally:
            plt.close(figure)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evkg")
    except PackageNotFoundError:
        return "unknown"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def render_qc_html(
    payload: Mapping[str, Any],
    histograms: Sequence[tuple[str, SizeHistogram]] = (),
    *,
    generated: datetime | None = None,
) -> str:
    """The report as one HTML string from the QC payload (``evkg.api.qc.qc_payload``) and
    the lots' number-weighted histograms: lots, plots, checklist, specification, comparisons.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("evkg.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["percent"] = _percent
    environment.filters["num"] = lambda v, fmt=".3g": "–" if v is None else format(v, fmt)
    usable = [(name, h) for name, h in histograms if sum(h.weights) > 0]
    plots = {
        name: size_plot_svg([(name, h)], title=f"{name}: size distribution") for name, h in usable
    }
    overlay = (
        size_plot_svg(usable, title="Lots overlaid (number-weighted)") if len(usable) > 1 else None
    )
    trend = payload.get("trend")
    charts = (
        {a["key"]: control_chart_svg(a) for a in trend["attributes"]} if trend is not None else {}
    )
    context: dict[str, Any] = {
        "trend": trend,
        "charts": charts,
        "lots": payload["lots"],
        "pairs": payload.get("comparisons", []),
        "plots": plots,
        "overlay": overlay,
        "rules_version": payload.get("rules_version", ""),
        "specification": payload.get("specification"),
        "version": _version(),
        "generated": (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return environment.get_template("qc.html.j2").render(**context)
