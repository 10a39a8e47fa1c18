"""Comparing preparations with replicates: Welch t-test per cargo, BH q, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from evkg.analysis import compare_profiles
from evkg.analysis.profile import CargoProfile, ProfileItem


def _profile(name: str, values: dict[str, float]) -> CargoProfile:
    total = sum(values.values())
    items = tuple(ProfileItem(k, k, "mirna", v / total, k) for k, v in values.items())
    return CargoProfile(name, "hsa", items)


def _replicates(rng: np.random.Generator, shift: float, n: int) -> list[CargoProfile]:
    """``n`` replicates: miR-a steady, miR-b raised ``shift``-fold (log2), miR-c noisy."""
    profiles = []
    for i in range(n):
        noise = rng.normal(0, 0.1, 3)
        profiles.append(
            _profile(
                f"r{i}",
                {
                    "miR-a": 100 * 2 ** noise[0],
                    "miR-b": 100 * 2 ** (shift + noise[1]),
                    "miR-c": 10 * 2 ** (rng.normal(0, 1.5)),
                    **{f"miR-{n}": 1000.0 for n in range(10)},  # the bulk, steady
                },
            )
        )
    return profiles


def test_replicates_give_statistics_and_only_consistent_changes_pass() -> None:
    rng = np.random.default_rng(7)
    control = _replicates(rng, 0.0, 4)
    primed = _replicates(rng, 2.0, 4)
    result = compare_profiles([*control, *primed], groups=["naive"] * 4 + ["primed"] * 4)
    by_label = {c.label: c for c in result.cargo}
    assert by_label["miR-b"].status == "up"
    assert by_label["miR-b"].q is not None
    assert by_label["miR-b"].q < 0.05
    assert by_label["miR-b"].log2_fold[-1] == pytest.approx(2.0, abs=0.3)
    assert by_label["miR-a"].status == "not significant"
    assert by_label["miR-c"].status == "not significant"  # noisy, whatever its single folds
    assert result.cargo[0].label == "miR-b"  # significant changes first, by q
    assert result.groups == ("naive",) * 4 + ("primed",) * 4
    assert "Welch t-test" in result.notes[0]


def test_refusals() -> None:
    rng = np.random.default_rng(1)
    a, b, c = _replicates(rng, 0.0, 3)
    with pytest.raises(ValueError, match="single profile"):
        compare_profiles([a, b, c], groups=["x", "x", "y"])
    with pytest.raises(ValueError, match="two conditions"):
        compare_profiles([a, b, c], groups=["x", "y", "z"])
    with pytest.raises(ValueError, match="one group per profile"):
        compare_profiles([a, b, c], groups=["x", "y"])
    single = compare_profiles([a, b])
    assert single.cargo == ()
    assert "withheld" in single.notes[0]
