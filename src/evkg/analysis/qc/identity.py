"""MSC identity in two sections: on the vesicles (MSC-sEV criteria) and on the producing
cells (ISCT), never merged.

On the vesicles, MSC surface antigens (CD73, CD90, CD105, CD44) should be detected and non-MSC
haematopoietic antigens (CD45, CD34, CD14, CD11b, CD19, CD79a, HLA-DR) absent; one of the
latter present contradicts MSC origin. On the producing cells, the ISCT thresholds apply:
CD73, CD90, CD105 on ≥ 95 % of cells, the negative panel on ≤ 2 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc._rules import MarkerTable
from evkg.model.preparation import MarkerResult, MscIdentity

__all__ = [
    "CELL_NEGATIVE",
    "CELL_POSITIVE",
    "EV_NEGATIVE",
    "EV_POSITIVE",
    "IdentityReport",
    "IdentityRow",
    "identity_report",
]

EV_POSITIVE = ("CD73", "CD90", "CD105", "CD44")
EV_NEGATIVE = ("CD45", "CD34", "CD14", "CD11b", "CD19", "CD79a", "HLA-DR")
CELL_POSITIVE = (("CD73", "NT5E"), ("CD90", "THY1"), ("CD105", "ENG"))
CELL_NEGATIVE = (
    ("CD45", "PTPRC"),
    ("CD34",),
    ("CD14", "CD11b", "ITGAM"),
    ("CD19", "CD79a", "CD79A"),
    ("HLA-DR",),
)
RowStatus = Literal["ok", "flagged", "not_recorded", "not_tested"]
Verdict = Literal["shown", "incomplete", "contradicted", "not_recorded"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IdentityRow(_Frozen):
    marker: str
    expected: Literal["positive", "negative"]
    result: str
    percent_positive: float | None = None
    method: str | None = None
    status: RowStatus
    requirement: str


class IdentityReport(_Frozen):
    """The lot's MSC identity: on the vesicles and on the producing cells, apart."""

    ev_rows: tuple[IdentityRow, ...]
    ev_verdict: Verdict
    ev_summary: str
    cell_rows: tuple[IdentityRow, ...]
    cell_verdict: Verdict
    cell_summary: str
    plastic_adherence: bool | None = None
    trilineage_differentiation: str | None = None


def _ev_rows(markers: Sequence[MarkerResult], table: MarkerTable) -> list[IdentityRow]:
    found: dict[str, MarkerResult] = {}
    for marker in markers:
        entry = table.entry(marker.name)
        if entry is not None and entry.msc_identity is not None:
            found.setdefault(entry.name, marker)
    rows = []
    for expected, panel in (("positive", EV_POSITIVE), ("negative", EV_NEGATIVE)):
        for name in panel:
            entry = table.entry(name)
            hit = found.get(entry.name) if entry else None
            wanted = "present" if expected == "positive" else "absent"
            if hit is None or hit.result == "not_tested":
                status: RowStatus = "not_recorded" if hit is None else "not_tested"
            elif hit.result == wanted:
                status = "ok"
            else:
                status = "flagged"
            rows.append(
                IdentityRow(
                    marker=name,
                    expected=expected,
                    result=hit.result if hit else "not recorded",
                    percent_positive=hit.percent_positive if hit else None,
                    method=hit.method if hit else None,
                    status=status,
                    requirement=f"{wanted} on the vesicles",
                )
            )
    return rows


def _ev_verdict(rows: Sequence[IdentityRow]) -> tuple[Verdict, str]:
    positives = sum(r.expected == "positive" and r.status == "ok" for r in rows)
    negatives = sum(r.expected == "negative" and r.status == "ok" for r in rows)
    against = [r.marker for r in rows if r.expected == "negative" and r.status == "flagged"]
    summary = (
        f"{positives} of {len(EV_POSITIVE)} MSC antigens detected, {negatives} of "
        f"{len(EV_NEGATIVE)} haematopoietic antigens tested absent"
    )
    if against:
        return "contradicted", summary + f"; detected: {', '.join(against)}"
    if positives == 0 and negatives == 0:
        return "not_recorded", "no MSC or haematopoietic antigen recorded on the vesicles"
    if positives >= 2 and negatives >= 1:
        return "shown", summary
    return "incomplete", summary + " (need ≥ 2 MSC antigens and ≥ 1 haematopoietic absent)"


def _cell_rows(identity: MscIdentity | None) -> list[IdentityRow]:
    markers = identity.markers if identity else ()
    rows = []
    for expected, panel in (("positive", CELL_POSITIVE), ("negative", CELL_NEGATIVE)):
        for names in panel:
            keys = {n.casefold() for n in names}
            marker = next((m for m in markers if m.name.casefold() in keys), None)
            value = marker.percent_positive if marker else None
            if value is None:
                status: RowStatus = "not_recorded"
            elif expected == "positive":
                status = "ok" if value >= 95 else "flagged"
            else:
                status = "ok" if value <= 2 else "flagged"
            rows.append(
                IdentityRow(
                    marker=marker.name if marker else " or ".join(dict.fromkeys(names[:2])),
                    expected=expected,
                    result="not recorded" if value is None else f"{value:g} % positive",
                    percent_positive=value,
                    method=marker.method if marker else None,
                    status=status,
                    requirement="≥ 95 % of cells" if expected == "positive" else "≤ 2 % of cells",
                )
            )
    return rows


def _cell_verdict(rows: Sequence[IdentityRow], identity: MscIdentity | None) -> tuple[Verdict, str]:
    ok = sum(r.status == "ok" for r in rows)
    flagged = [r.marker for r in rows if r.status == "flagged"]
    summary = f"{ok} of {len(rows)} ISCT marker thresholds met"
    extra = []
    if identity is not None:
        if identity.plastic_adherence is not None:
            extra.append("plastic-adherent" if identity.plastic_adherence else "not adherent")
        if identity.trilineage_differentiation:
            extra.append(f"trilineage {identity.trilineage_differentiation.replace('_', ' ')}")
    summary += ("; " + ", ".join(extra)) if extra else ""
    if flagged or (identity is not None and identity.plastic_adherence is False):
        outside = f"; outside threshold: {', '.join(flagged)}" if flagged else ""
        return "contradicted", summary + outside
    if ok == 0 and not extra:
        return "not_recorded", "producing cells' identity not recorded"
    complete = (
        ok == len(rows)
        and identity is not None
        and identity.plastic_adherence is True
        and identity.trilineage_differentiation == "shown"
    )
    return ("shown" if complete else "incomplete"), summary


def identity_report(
    markers: Sequence[MarkerResult], identity: MscIdentity | None, table: MarkerTable
) -> IdentityReport:
    """MSC identity of the vesicles (MSC-sEV) and of the producing cells (ISCT), apart."""
    ev_rows = _ev_rows(markers, table)
    cell_rows = _cell_rows(identity)
    ev_verdict, ev_summary = _ev_verdict(ev_rows)
    cell_verdict, cell_summary = _cell_verdict(cell_rows, identity)
    return IdentityReport(
        ev_rows=tuple(ev_rows),
        ev_verdict=ev_verdict,
        ev_summary=ev_summary,
        cell_rows=tuple(cell_rows),
        cell_verdict=cell_verdict,
        cell_summary=cell_summary,
        plastic_adherence=identity.plastic_adherence if identity else None,
        trilineage_differentiation=identity.trilineage_differentiation if identity else None,
    )
