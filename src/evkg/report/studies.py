"""The primary studies of a disease as one self-contained HTML report: the extraction
table, the evidence map (disease × EV source, a bubble per outcome sized by the number of
studies, inline SVG) and what no study reports.

The report layer sits beside evkg.analysis and below evkg.api: the answer arrives as the
``StudiesOut`` response model and is read by attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from evkg.report.cargo import _environment, _stamp

__all__ = ["OUTCOME_COLOURS", "evidence_map_svg", "studies_report"]

StudiesAnswer = Any  # evkg.api.responses.StudiesOut
MapCell = Any  # evkg.api.responses.EvidenceMapCell

#: Bubble colour per outcome; the legend of the map and of the web page.
OUTCOME_COLOURS = {
    "beneficial": "#2a7d4f",
    "detrimental": "#b3261e",
    "no_effect": "#7a7a7a",
    "contested": "#b26a00",
}


def evidence_map_svg(cells: Sequence[MapCell]) -> str:
    """Disease × EV source, a bubble per outcome sized by the number of studies (inline SVG,
    nothing loaded from outside); empty when there are no cells."""
    if not cells:
        return ""
    diseases = sorted({c.disease for c in cells})
    sources = sorted({c.ev_source for c in cells})
    left, top, cell = 230, 120, 46
    # room on the right for the last source label, drawn rising at 45°
    width, height = left + cell * len(sources) + top, top + cell * len(diseases) + 20
    parts = [
        f'<svg class="evidence-map" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="Evidence map: studies by disease and EV '
        f'source, coloured by outcome">'
    ]
    for i, source in enumerate(sources):
        x = left + cell * i + cell / 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" transform="rotate(-45 {x} {top - 8})" '
            f'font-size="11">{escape(source)}</text>'
        )
    for j, disease in enumerate(diseases):
        y = top + cell * j + cell / 2
        parts.append(
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" font-size="11">'
            f"{escape(disease[:34])}</text>"
        )
    outcomes = list(OUTCOME_COLOURS)
    for c in cells:
        i, j = sources.index(c.ev_source), diseases.index(c.disease)
        shift = (outcomes.index(c.outcome) - 1) * 9 if c.outcome in outcomes else 0
        x, y = left + cell * i + cell / 2 + shift, top + cell * j + cell / 2
        radius = min(4 + 3 * c.studies**0.5, cell / 2 - 2)
        colour = OUTCOME_COLOURS.get(c.outcome, "#444")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius:.1f}" fill="{colour}" fill-opacity="0.7">'
            f"<title>{escape(c.disease)} · {escape(c.ev_source)} · {escape(c.outcome)}: "
            f"{c.studies} stud{'y' if c.studies == 1 else 'ies'}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def studies_report(answer: StudiesAnswer) -> str:
    """One self-contained HTML page: the studies of a disease, their map and their gaps."""
    return str(
        _environment()
        .get_template("studies_report.html.j2")
        .render(
            s=answer,
            evidence_map=evidence_map_svg(answer.evidence_map),
            colours=OUTCOME_COLOURS,
            **_stamp(),
        )
    )
