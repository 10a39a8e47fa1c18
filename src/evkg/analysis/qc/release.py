"""Release tests of a lot against its specification: potency, safety, procoagulant activity
and contaminants. Each gives one :class:`SpecResult` line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc.values import LotValues
from evkg.model.release import PotencyLimit, Range, ReleaseSpecification, UnitRange

__all__ = ["SpecResult", "release_results"]

Status = Literal["pass", "fail", "warn", "not_measured"]


class SpecResult(BaseModel):
    """One line of the release check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: str
    value: str
    required: str
    status: Status
    note: str | None = None


def _same_unit(a: str | None, b: str) -> bool:
    return a is not None and a.strip().casefold() == b.strip().casefold()


def _in(value: float, wanted: Range) -> Status:
    return "pass" if wanted.contains(value) else "fail"


def _potency(lot: LotValues, limit: PotencyLimit) -> SpecResult:
    parameter = f"potency: {limit.assay}"
    required = limit.text() + (
        f" vs {limit.reference_standard}" if limit.reference_standard else ""
    )
    result = next((p for p in lot.potency if p.assay.casefold() == limit.assay.casefold()), None)
    if result is None or result.value is None:
        return SpecResult(parameter=parameter, value="", required=required, status="not_measured")
    shown = f"{result.value:g} {result.unit or '(no unit)'}"
    if not _same_unit(result.unit, limit.unit):
        return SpecResult(
            parameter=parameter,
            value=shown,
            required=required,
            status="fail",
            note=f"unit {result.unit or 'missing'} is not the specification's {limit.unit}",
        )
    if limit.reference_standard and not _same_unit(
        result.reference_standard, limit.reference_standard
    ):
        return SpecResult(
            parameter=parameter,
            value=shown,
            required=required,
            status="fail",
            note=f"measured against {result.reference_standard or 'no reference standard'}",
        )
    return SpecResult(
        parameter=parameter, value=shown, required=required, status=_in(result.value, limit)
    )


def _number(parameter: str, value: float | None, wanted: Range, unit: str = "") -> SpecResult:
    required = wanted.text() + (f" {unit}" if unit and not isinstance(wanted, UnitRange) else "")
    if value is None:
        return SpecResult(parameter=parameter, value="", required=required, status="not_measured")
    return SpecResult(
        parameter=parameter,
        value=f"{value:g}" + (f" {unit}" if unit else ""),
        required=required,
        status=_in(value, wanted),
    )


def _result(parameter: str, value: str | None, wanted: str) -> SpecResult:
    if value is None or value == "not_tested":
        return SpecResult(
            parameter=parameter, value=value or "", required=wanted, status="not_measured"
        )
    return SpecResult(
        parameter=parameter,
        value=value.replace("_", " "),
        required=wanted.replace("_", " "),
        status="pass" if value == wanted else "fail",
    )


def _contaminants(lot: LotValues) -> list[SpecResult]:
    lines = []
    classes = dict.fromkeys(f.contaminant_class for f in lot.contaminants)
    for class_id in classes:
        mine = [f for f in lot.contaminants if f.contaminant_class == class_id]
        worst: Status = (
            "fail"
            if any(f.status == "fail" for f in mine)
            else "warn"
            if any(f.status == "warn" for f in mine)
            else "pass"
        )
        shown = "; ".join(
            f"{f.analyte} {f.result}"
            + (f" {f.amount:g} {f.unit or ''}".rstrip() if f.amount is not None else "")
            for f in mine
        )
        flagged = [f.reason for f in mine if f.status in ("fail", "warn")]
        lines.append(
            SpecResult(
                parameter=f"contaminant: {mine[0].title}",
                value=shown,
                required="absent or within limit",
                status=worst,
                note="; ".join(flagged) or None,
            )
        )
    return lines


def release_results(lot: LotValues, spec: ReleaseSpecification) -> list[SpecResult]:
    """Potency, safety, procoagulant and contaminant lines the specification asks for."""
    lines = [_potency(lot, limit) for limit in spec.potency]
    safety = lot.safety
    if spec.endotoxin_eu_per_ml is not None:
        value = safety.endotoxin_eu_per_ml if safety else None
        lines.append(_number("endotoxin", value, spec.endotoxin_eu_per_ml, "EU/ml"))
    if spec.sterility:
        lines.append(_result("sterility", safety.sterility if safety else None, "no_growth"))
    if spec.mycoplasma:
        lines.append(_result("mycoplasma", safety.mycoplasma if safety else None, "negative"))
    if spec.tissue_factor_percent is not None:
        value = safety.tissue_factor_percent if safety else None
        lines.append(
            _number("tissue factor (CD142+ vesicles, %)", value, spec.tissue_factor_percent)
        )
    if spec.procoagulant_activity is not None:
        wanted = spec.procoagulant_activity
        value = safety.procoagulant_activity if safety else None
        unit = safety.procoagulant_unit if safety else None
        if value is not None and not _same_unit(unit, wanted.unit):
            lines.append(
                SpecResult(
                    parameter="procoagulant activity",
                    value=f"{value:g} {unit or '(no unit)'}",
                    required=wanted.text(),
                    status="fail",
                    note=f"unit {unit or 'missing'} is not the specification's {wanted.unit}",
                )
            )
        else:
            lines.append(_number("procoagulant activity", value, wanted, wanted.unit))
    lines.extend(_contaminants(lot))
    return lines
