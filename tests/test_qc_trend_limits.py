"""Control limits when the qualified lots are all equal (SD 0): the fallback rules."""

from __future__ import annotations

import datetime as dt

import pytest

from evkg.analysis.qc.trend import RELATIVE_SD_FLOOR, attribute_limits, trend_lots
from evkg.analysis.qc.values import LotValues
from evkg.model.release import Range, ReleaseSpecification


def _lots(proteins: list[float], qualified: int = 3) -> list[LotValues]:
    return [
        LotValues(
            id=f"lot-{k + 1}",
            date=dt.date(2025, 1, k + 1),
            qualified=k < qualified,
            protein_ug_per_ml=value,
        )
        for k, value in enumerate(proteins)
    ]


def _protein(report: object) -> object:
    return next(a for a in report.attributes if a.key == "protein_ug_per_ml")  # type: ignore[attr-defined]


def test_varying_qualified_lots_keep_mean_plus_minus_three_sd() -> None:
    limits = attribute_limits([10.0, 12.0, 14.0])
    assert limits is not None
    assert (limits.lcl, limits.ucl) == (6.0, 18.0)
    assert limits.rule == "mean ± 3 SD of 3 qualified lots"


def test_identical_lots_without_spec_use_the_relative_sd_floor() -> None:
    report = trend_lots(_lots([12.0, 12.0, 12.0, 12.1, 13.0]))
    protein = _protein(report)
    floor = RELATIVE_SD_FLOOR * 12.0
    assert protein.sd == 0.0
    assert protein.lcl == pytest.approx(12.0 - 3 * floor)
    assert protein.ucl == pytest.approx(12.0 + 3 * floor)
    assert "SD floor of 1 % of the mean" in protein.limits_rule
    # 12.1 is within ± 3 % of 12; 13.0 is not: only the real excursion is flagged
    assert protein.points[3].flags == ()
    assert "outside control limits" in protein.points[4].flags
    assert protein.flags == ("outside control limits: lot-5",)


def test_identical_lots_with_a_spec_use_the_specification_range() -> None:
    spec = ReleaseSpecification(id="spec", protein_ug_per_ml=Range(min=5, max=20))
    report = trend_lots(_lots([12.0, 12.0, 12.0, 12.4, 21.0]), spec=spec)
    protein = _protein(report)
    assert (protein.lcl, protein.ucl) == (5.0, 20.0)
    assert "specification range" in protein.limits_rule
    assert protein.points[3].flags == ()
    assert "outside control limits" in protein.points[4].flags
    assert "outside specification" in protein.points[4].flags


def test_one_sided_spec_leaves_the_other_side_open() -> None:
    limits = attribute_limits([0.08, 0.08, 0.08], Range(max=0.5))
    assert limits is not None
    assert (limits.lcl, limits.ucl, limits.sigma) == (None, 0.5, None)


def test_identical_zero_values_get_no_limits() -> None:
    limits = attribute_limits([0.0, 0.0, 0.0])
    assert limits is not None
    assert (limits.lcl, limits.ucl) == (None, None)
    assert limits.rule.endswith("no limits")


def test_worked_series_endotoxin_at_its_quantitation_limit_is_not_flagged() -> None:
    from evkg.api.qc import run_qc

    from .conftest import REPO

    series = REPO / "examples" / "preparations" / "series"
    run = run_qc(sorted(series.glob("lot-0*.yaml")), spec=series / "release-spec.yaml")
    assert run.trend is not None
    endotoxin = next(a for a in run.trend.attributes if a.key == "endotoxin_eu_per_ml")
    assert endotoxin.sd == 0
    assert (endotoxin.lcl, endotoxin.ucl) == (None, 0.5)  # the one-sided specification
    assert "specification range" in endotoxin.limits_rule
    assert not endotoxin.drifting
    protein = next(a for a in run.trend.attributes if a.key == "protein_ug_per_ml")
    assert protein.sd is not None
    assert protein.sd > 0  # lot-to-lot noise: ordinary mean ± 3 SD
    assert protein.limits_rule.startswith("mean ± 3 SD")
    assert not protein.drifting
