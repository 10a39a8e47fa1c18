"""Checking a lot against a user's release specification."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from evkg.analysis.qc.release import SpecResult, release_results
from evkg.analysis.qc.values import LotValues
from evkg.model.preparation import Range, ReleaseSpecification

__all__ = ["SpecReport", "SpecResult", "check_specification"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpecReport(_Frozen):
    lot: str
    specification: str
    results: tuple[SpecResult, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """True when no parameter fails (not measured counts as failed; warnings pass)."""
        return all(r.status in ("pass", "warn") for r in self.results)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> int:
        """Parameters passed with a warning (e.g. a contaminant at warning level)."""
        return sum(r.status == "warn" for r in self.results)


def _range(parameter: str, value: float | None, wanted: Range) -> SpecResult:
    if value is None:
        return SpecResult(
            parameter=parameter, value="", required=wanted.text(), status="not_measured"
        )
    status: Literal["pass", "fail"] = "pass" if wanted.contains(value) else "fail"
    return SpecResult(
        parameter=parameter, value=f"{value:.4g}", required=wanted.text(), status=status
    )


def check_specification(lot: LotValues, spec: ReleaseSpecification) -> SpecReport:
    """Each parameter the specification sets, with the lot's value and pass/fail."""
    stats = lot.stats
    numeric = [
        ("concentration (particles/ml)", lot.concentration_per_ml, spec.concentration_per_ml),
        ("mean (nm)", stats.mean_nm, spec.mean_nm),
        ("mode (nm)", stats.mode_nm, spec.mode_nm),
        ("D10 (nm)", stats.d10_nm, spec.d10_nm),
        ("D50 (nm)", stats.d50_nm, spec.d50_nm),
        ("D90 (nm)", stats.d90_nm, spec.d90_nm),
        ("span", stats.span, spec.span),
        ("protein (µg/ml)", lot.protein_ug_per_ml, spec.protein_ug_per_ml),
        ("particles per µg protein", lot.particles_per_ug, spec.particles_per_ug),
    ]
    results = [_range(name, value, wanted) for name, value, wanted in numeric if wanted]
    found = {name.casefold(): result for name, result in lot.markers.items()}
    for marker in spec.required_present:
        result = found.get(marker.casefold(), "not recorded")
        results.append(
            SpecResult(
                parameter=f"marker {marker}",
                value=result,
                required="present",
                status="pass" if result == "present" else "fail",
            )
        )
    for marker in spec.required_absent:
        result = found.get(marker.casefold(), "not recorded")
        results.append(
            SpecResult(
                parameter=f"marker {marker}",
                value=result,
                required="absent",
                status="pass" if result == "absent" else "fail",
            )
        )
    if spec.max_freeze_thaw_cycles is not None:
        cycles = lot.freeze_thaw_cycles
        results.append(
            SpecResult(
                parameter="freeze-thaw cycles",
                value="" if cycles is None else str(cycles),
                required=f"≤ {spec.max_freeze_thaw_cycles}",
                status="not_measured"
                if cycles is None
                else "pass"
                if cycles <= spec.max_freeze_thaw_cycles
                else "fail",
            )
        )
    if spec.no_instrument_warnings:
        results.append(
            SpecResult(
                parameter="instrument warnings",
                value=str(len(lot.warnings)),
                required="none",
                status="pass" if not lot.warnings else "fail",
            )
        )
    results.extend(release_results(lot, spec))
    return SpecReport(lot=lot.id, specification=spec.id, results=tuple(results))
