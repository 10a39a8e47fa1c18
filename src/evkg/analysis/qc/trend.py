"""Lots over time: each attribute across a series of lots, with control limits and drift flags.

Lots are ordered by production date (record order when a date is missing). Control limits
are mean ± 3 SD (sample SD) of the *qualified* lots: those whose record says
``qualified: true``, or, when no record says so, the lots that passed the release
specification, or else every lot. Limits need at least three such lots with a value.

When the qualified lots all give the same value (SD 0, common for attributes reported at a
coarse resolution, such as protein or endotoxin), mean ± 3 SD collapses onto the mean and any
later variation would be flagged. The limits then fall back, and each attribute says which
rule made its limits (``limits_rule``):

* to the release specification range of the attribute, when the specification sets one (a
  one-sided specification leaves the other side without a control limit);
* otherwise to a relative floor: SD taken as 1 % of the mean (``RELATIVE_SD_FLOOR``), so the
  limits are mean ± 3 % of the mean; an attribute whose identical values are all 0 gets no
  limits.

An attribute is flagged as drifting when a lot lies outside the control limits, when two of
three consecutive lots lie beyond 2 SD on the same side (Western Electric rule 2), or when
five consecutive lots rise or fall (a shortened Nelson rule 3, which uses six: release
series are short). Lots outside the specification are marked too. Series warnings say when
lots differ in source tissue, donor, cell type, culture, supplement, process version or
separation steps, because then a trend may be a process change rather than drift.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc.values import LotValues
from evkg.model.release import Range, ReleaseSpecification

__all__ = [
    "RELATIVE_SD_FLOOR",
    "RUN_LENGTH",
    "AttributeTrend",
    "Limits",
    "SeriesWarning",
    "TrendPoint",
    "TrendReport",
    "attribute_limits",
    "control_limits",
    "monotonic_runs",
    "trend_lots",
]

RUN_LENGTH = 5
MIN_BASIS = 3
RELATIVE_SD_FLOOR = 0.01


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrendPoint(_Frozen):
    lot: str
    date: str | None = None
    value: float | None = None
    in_basis: bool = False
    flags: tuple[str, ...] = ()


class AttributeTrend(_Frozen):
    """One attribute over the series of lots."""

    key: str
    label: str
    unit: str
    points: tuple[TrendPoint, ...]
    basis: tuple[str, ...]
    mean: float | None = None
    sd: float | None = None
    lcl: float | None = None
    ucl: float | None = None
    spec_min: float | None = None
    spec_max: float | None = None
    limits_rule: str = ""
    flags: tuple[str, ...] = ()
    drifting: bool = False


class SeriesWarning(_Frozen):
    aspect: str
    text: str


class TrendReport(_Frozen):
    """Every trended attribute of a series of lots, and what differs between the lots."""

    lots: tuple[str, ...]
    ordered_by: Literal["date", "record order"]
    basis_rule: str
    attributes: tuple[AttributeTrend, ...]
    warnings: tuple[SeriesWarning, ...]

    @property
    def drifting(self) -> tuple[AttributeTrend, ...]:
        return tuple(a for a in self.attributes if a.drifting)


def control_limits(values: Sequence[float]) -> tuple[float, float, float, float] | None:
    """``(mean, sd, lcl, ucl)`` with limits at mean ± 3 SD, or None for under 3 values.

    >>> control_limits([98.0, 100.0, 102.0])
    (100.0, 2.0, 94.0, 106.0)
    """
    if len(values) < MIN_BASIS:
        return None
    mean = statistics.fmean(values)
    sd = statistics.stdev(values)
    return mean, sd, mean - 3 * sd, mean + 3 * sd


class Limits(_Frozen):
    """Control limits of one attribute and the rule that made them."""

    mean: float
    sd: float
    sigma: float | None
    lcl: float | None
    ucl: float | None
    rule: str


def attribute_limits(values: Sequence[float], spec: Range | None = None) -> Limits | None:
    """Control limits for the qualified ``values``, falling back when their SD is 0.

    Mean ± 3 SD normally; identical values fall back to the specification range, or else to
    an SD floor of 1 % of the mean. ``sigma`` is the SD the 2-of-3 rule uses (None: no
    such rule when the limits are the specification).

    >>> attribute_limits([98.0, 100.0, 102.0]).rule
    'mean ± 3 SD of 3 qualified lots'
    >>> limits = attribute_limits([12.0, 12.0, 12.0])
    >>> round(limits.lcl, 2), round(limits.ucl, 2), limits.rule
    (11.64, 12.36, 'qualified lots identical (SD 0): SD floor of 1 % of the mean')
    >>> limits = attribute_limits([0.08, 0.08, 0.08], Range(max=0.5))
    >>> limits.lcl, limits.ucl, limits.rule
    (None, 0.5, 'qualified lots identical (SD 0): specification range used as limits')
    """
    basic = control_limits(values)
    if basic is None:
        return None
    mean, sd, lcl, ucl = basic
    n = len(values)
    if sd > 0:
        return Limits(
            mean=mean, sd=sd, sigma=sd, lcl=lcl, ucl=ucl, rule=f"mean ± 3 SD of {n} qualified lots"
        )
    identical = "qualified lots identical (SD 0)"
    if spec is not None:
        return Limits(
            mean=mean,
            sd=0.0,
            sigma=None,
            lcl=spec.min,
            ucl=spec.max,
            rule=f"{identical}: specification range used as limits",
        )
    if mean == 0:
        return Limits(
            mean=mean, sd=0.0, sigma=None, lcl=None, ucl=None, rule=f"{identical}: no limits"
        )
    floor = RELATIVE_SD_FLOOR * abs(mean)
    return Limits(
        mean=mean,
        sd=0.0,
        sigma=floor,
        lcl=mean - 3 * floor,
        ucl=mean + 3 * floor,
        rule=f"{identical}: SD floor of {100 * RELATIVE_SD_FLOOR:g} % of the mean",
    )


def monotonic_runs(values: Sequence[float | None], length: int = RUN_LENGTH) -> list[range]:
    """Index ranges of ≥ ``length`` consecutive strictly rising or falling values.

    >>> monotonic_runs([1, 2, 3, 4, 5, 4]), monotonic_runs([1, 2, 1, 2, 1])
    ([range(0, 5)], [])
    """
    runs: list[range] = []
    for sign in (1, -1):
        start = 0
        for k in range(1, len(values) + 1):
            a, b = (values[k - 1], values[k]) if k < len(values) else (None, None)
            rising = a is not None and b is not None and sign * (b - a) > 0
            if not rising:
                if k - start >= length:
                    runs.append(range(start, k))
                start = k
    return sorted(runs, key=lambda r: r.start)


OUTSIDE = "outside control limits"

_Getter = Callable[[LotValues], float | None]


def _attributes(lots: Sequence[LotValues]) -> list[tuple[str, str, str, _Getter, Range | None]]:
    def safety(name: str) -> _Getter:
        return lambda lot: getattr(lot.safety, name) if lot.safety else None

    procoagulant_unit = next(
        (
            lot.safety.procoagulant_unit
            for lot in lots
            if lot.safety and lot.safety.procoagulant_unit
        ),
        "",
    )
    fixed: list[tuple[str, str, str, _Getter]] = [
        ("concentration_per_ml", "particle concentration", "particles/ml",
         lambda lot: lot.concentration_per_ml),
        ("d50_nm", "D50", "nm", lambda lot: lot.stats.d50_nm),
        ("mean_nm", "mean size", "nm", lambda lot: lot.stats.mean_nm),
        ("mode_nm", "mode size", "nm", lambda lot: lot.stats.mode_nm),
        ("span", "span (D90-D10)/D50", "", lambda lot: lot.stats.span),
        ("protein_ug_per_ml", "protein", "µg/ml", lambda lot: lot.protein_ug_per_ml),
        ("particles_per_ug", "particles per µg protein", "particles/µg",
         lambda lot: lot.particles_per_ug),
        ("endotoxin_eu_per_ml", "endotoxin", "EU/ml", safety("endotoxin_eu_per_ml")),
        ("tissue_factor_percent", "tissue factor (CD142+)", "% of vesicles",
         safety("tissue_factor_percent")),
        ("procoagulant_activity", "procoagulant activity", procoagulant_unit,
         safety("procoagulant_activity")),
    ]  # fmt: skip
    out: list[tuple[str, str, str, _Getter, Range | None]] = [
        (key, label, unit, get, None) for key, label, unit, get in fixed
    ]
    assays: dict[str, str] = {}
    for lot in lots:
        for result in lot.potency:
            assays.setdefault(result.assay.casefold(), result.assay)
    for folded, name in assays.items():
        unit = next(
            (
                p.unit
                for lot in lots
                for p in lot.potency
                if p.assay.casefold() == folded and p.unit
            ),
            "",
        )

        def potency(lot: LotValues, folded: str = folded) -> float | None:
            hit = next((p for p in lot.potency if p.assay.casefold() == folded), None)
            return hit.value if hit else None

        out.append((f"potency:{name}", f"potency: {name}", unit or "", potency, None))
    return out


def _spec_range(key: str, spec: ReleaseSpecification | None) -> Range | None:
    if spec is None:
        return None
    if key.startswith("potency:"):
        name = key.removeprefix("potency:").casefold()
        return next((p for p in spec.potency if p.assay.casefold() == name), None)
    value = getattr(spec, key, None)
    return value if isinstance(value, Range) else None


def _basis(lots: Sequence[LotValues], passed: Mapping[str, bool]) -> tuple[list[str], str]:
    qualified = [lot.id for lot in lots if lot.qualified]
    if qualified:
        return qualified, "lots marked qualified in their records"
    if passed:
        released = [lot.id for lot in lots if passed.get(lot.id)]
        if len(released) >= MIN_BASIS:
            return released, "lots that passed the release specification"
    return [lot.id for lot in lots], "all lots (none marked qualified)"


def _trend(
    key: str,
    label: str,
    unit: str,
    get: _Getter,
    lots: Sequence[LotValues],
    basis: Sequence[str],
    spec: Range | None,
) -> AttributeTrend | None:
    values = [get(lot) for lot in lots]
    values = [None if v is None or not math.isfinite(v) else float(v) for v in values]
    if sum(v is not None for v in values) < 2:
        return None
    base = [v for lot, v in zip(lots, values, strict=True) if lot.id in basis and v is not None]
    limits = attribute_limits(base, spec)
    point_flags: list[list[str]] = [[] for _ in lots]
    flags: list[str] = []
    if limits is not None:
        mean, sigma, lcl, ucl = limits.mean, limits.sigma, limits.lcl, limits.ucl
        for k, v in enumerate(values):
            if v is not None and ((lcl is not None and v < lcl) or (ucl is not None and v > ucl)):
                point_flags[k].append(OUTSIDE)
        if sigma:
            for k in range(2, len(values)):
                window = [v for v in values[k - 2 : k + 1] if v is not None]
                for side in (1, -1):
                    beyond = [v for v in window if side * (v - mean) > 2 * sigma]
                    if len(beyond) >= 2:
                        point_flags[k].append("2 of 3 beyond 2 SD")
        outside = [lots[k].id for k, f in enumerate(point_flags) if OUTSIDE in f]
        if outside:
            flags.append(f"outside control limits: {', '.join(outside)}")
        if any("2 of 3 beyond 2 SD" in f for f in point_flags):
            flags.append("shift: 2 of 3 consecutive lots beyond 2 SD on one side")
    for run in monotonic_runs(values):
        direction = "rising" if (values[run[-1]] or 0) > (values[run[0]] or 0) else "falling"
        flags.append(
            f"drift: {len(run)} consecutive lots {direction} ({lots[run[0]].id} → "
            f"{lots[run[-1]].id})"
        )
        for k in run:
            point_flags[k].append(f"{direction} run")
    drifting = bool(flags)
    if spec is not None:
        for k, v in enumerate(values):
            if v is not None and not spec.contains(v):
                point_flags[k].append("outside specification")
        out_of_spec = [
            lots[k].id for k, f in enumerate(point_flags) if "outside specification" in f
        ]
        if out_of_spec:
            flags.append(f"outside specification: {', '.join(out_of_spec)}")
    return AttributeTrend(
        key=key,
        label=label,
        unit=unit,
        points=tuple(
            TrendPoint(
                lot=lot.id,
                date=lot.date.isoformat() if lot.date else None,
                value=v,
                in_basis=lot.id in basis and v is not None,
                flags=tuple(dict.fromkeys(f)),
            )
            for lot, v, f in zip(lots, values, point_flags, strict=True)
        ),
        basis=tuple(
            lot.id for lot, v in zip(lots, values, strict=True) if lot.id in basis and v is not None
        ),
        mean=limits.mean if limits else None,
        sd=limits.sd if limits else None,
        lcl=limits.lcl if limits else None,
        ucl=limits.ucl if limits else None,
        spec_min=spec.min if spec else None,
        spec_max=spec.max if spec else None,
        limits_rule=limits.rule if limits else f"fewer than {MIN_BASIS} qualified lots: no limits",
        flags=tuple(flags),
        drifting=drifting,
    )


_ASPECTS = (
    ("source tissue", lambda lot: lot.process.tissue),
    ("donor", lambda lot: lot.process.donor),
    ("cell type", lambda lot: lot.process.cell_type),
    ("culture mode", lambda lot: lot.process.culture_mode),
    ("serum or supplement", lambda lot: lot.process.serum),
    ("process version", lambda lot: lot.process.process_version),
    ("separation steps", lambda lot: " → ".join(lot.process.steps) or None),
)


def series_warnings(lots: Sequence[LotValues]) -> tuple[SeriesWarning, ...]:
    """One warning per aspect in which the lots differ (unrecorded values left out)."""
    warnings = []
    for aspect, get in _ASPECTS:
        groups: dict[str, list[str]] = {}
        for lot in lots:
            value = get(lot)
            if value:
                groups.setdefault(str(value).strip().casefold(), []).append(lot.id)
        if len(groups) > 1:
            shown = {
                key: next(str(get(lot)) for lot in lots if lot.id == ids[0])
                for key, ids in groups.items()
            }
            parts = [f"{shown[key]} ({', '.join(ids)})" for key, ids in groups.items()]
            warnings.append(
                SeriesWarning(
                    aspect=aspect,
                    text=f"lots differ in {aspect}: {'; '.join(parts)} — differences between "
                    "them may reflect the change, not lot-to-lot variation",
                )
            )
    return tuple(warnings)


def trend_lots(
    lots: Sequence[LotValues],
    spec: ReleaseSpecification | None = None,
    passed: Mapping[str, bool] | None = None,
) -> TrendReport:
    """Each attribute over the lots (by date), with control limits, drift and spec flags."""
    dated = all(lot.date is not None for lot in lots)
    ordered = sorted(lots, key=lambda lot: lot.date) if dated else list(lots)  # type: ignore[arg-type, return-value]
    basis, rule = _basis(ordered, passed or {})
    trends = []
    for key, label, unit, get, _ in _attributes(ordered):
        trend = _trend(key, label, unit, get, ordered, basis, _spec_range(key, spec))
        if trend is not None:
            trends.append(trend)
    return TrendReport(
        lots=tuple(lot.id for lot in ordered),
        ordered_by="date" if dated else "record order",
        basis_rule=f"control limits: mean ± 3 SD of {rule}",
        attributes=tuple(trends),
        warnings=series_warnings(ordered),
    )
