"""Contaminant findings: albumin, lipoproteins, cell debris, ribonucleoprotein and nucleic acid
outside vesicles, each found present flagged as a failure or a warning — never "met".

The severity of a class found present comes from the release specification
(``contaminant_severity``) or else from the shipped ``contaminants.yaml``; a measured amount
is compared with the specification's ``contaminant_limits`` (same unit only), which can
lower a finding to "within limit" or raise it to a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc._rules import ContaminantTable, MarkerTable
from evkg.model.preparation import Impurity, MarkerResult
from evkg.model.release import ContaminantLimit, ReleaseSpecification

__all__ = ["ContaminantFinding", "contaminant_findings"]

FindingStatus = Literal["fail", "warn", "within_limit", "absent"]


class ContaminantFinding(BaseModel):
    """One tested contaminant and what it means for the lot."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    contaminant_class: str
    title: str
    analyte: str
    result: Literal["present", "absent"]
    amount: float | None = None
    unit: str | None = None
    status: FindingStatus
    reason: str
    recorded_as: Literal["marker", "impurity"]


def _by_limit(amount: float, limit: ContaminantLimit) -> FindingStatus:
    if limit.fail_above is not None and amount > limit.fail_above:
        return "fail"
    if limit.warn_above is not None and amount > limit.warn_above:
        return "warn"
    return "within_limit"


def _finding(
    class_id: str,
    analyte: str,
    result: str,
    amount: float | None,
    unit: str | None,
    recorded_as: Literal["marker", "impurity"],
    table: ContaminantTable,
    spec: ReleaseSpecification | None,
) -> ContaminantFinding:
    entry = table.get(class_id)
    common = {
        "contaminant_class": class_id,
        "title": entry.title,
        "analyte": analyte,
        "amount": amount,
        "unit": unit,
        "recorded_as": recorded_as,
    }
    if result == "absent":
        return ContaminantFinding(
            **common, result="absent", status="absent", reason="tested, not detected"
        )
    severity: FindingStatus = (spec.contaminant_severity.get(entry.id) if spec else None) or (
        entry.severity
    )
    origin = (
        "release specification" if spec and entry.id in spec.contaminant_severity else ("default")
    )
    reason = f"detected ({origin} severity: {severity}); {entry.why}"
    limit = spec.contaminant_limits.get(entry.id) if spec else None
    if limit is not None and amount is not None:
        if unit is not None and unit.strip().casefold() == limit.unit.strip().casefold():
            severity = _by_limit(amount, limit)
            bounds = [
                f"warn above {limit.warn_above:g}" if limit.warn_above is not None else "",
                f"fail above {limit.fail_above:g}" if limit.fail_above is not None else "",
            ]
            reason = f"{amount:g} {unit} against limits {', '.join(b for b in bounds if b)}"
            reason += f" {limit.unit}"
        else:
            reason += f"; amount in {unit or 'no unit'}, limit in {limit.unit}: not compared"
    return ContaminantFinding(**common, result="present", status=severity, reason=reason)


def contaminant_findings(
    markers: Iterable[MarkerResult],
    impurities: Iterable[Impurity],
    *,
    table: ContaminantTable,
    marker_table: MarkerTable,
    spec: ReleaseSpecification | None = None,
) -> tuple[ContaminantFinding, ...]:
    """Every tested contaminant of a lot (markers and impurities), present ones flagged."""
    findings = []
    for marker in markers:
        entry = marker_table.entry(marker.name)
        if entry is None or entry.contaminant is None or marker.result == "not_tested":
            continue
        findings.append(
            _finding(
                entry.contaminant, marker.name, marker.result, None, None, "marker", table, spec
            )
        )
    for impurity in impurities:
        class_id = table.class_of(impurity.analyte)
        if class_id is None:
            entry = marker_table.entry(impurity.analyte)
            class_id = entry.contaminant if entry else None
        if class_id is None or impurity.result == "not_tested":
            continue
        findings.append(
            _finding(
                class_id,
                impurity.analyte,
                impurity.result,
                impurity.amount,
                impurity.unit,
                "impurity",
                table,
                spec,
            )
        )
    return tuple(findings)
