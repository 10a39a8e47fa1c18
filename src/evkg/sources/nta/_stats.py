"""Statistics of binned size distributions, as the instruments compute them.

NanoSight NTA 3.3/3.4 takes D10/D50/D90 by linear interpolation of the cumulative histogram
at the bins' upper edges (centre + half a bin); NTA 3.2 at their lower edges; ZetaView at
the bin centres. Mean and SD are number-weighted over the bin centres (population SD).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evkg.sources.nta._records import PercentileRule, SizeStats

__all__ = ["percentile", "size_stats"]


def percentile(
    centres: Sequence[float],
    weights: Sequence[float],
    fraction: float,
    *,
    rule: PercentileRule,
    width: float,
) -> float | None:
    """Size below which ``fraction`` of the weight lies (None for an empty distribution).

    >>> percentile([2.5, 7.5, 12.5], [1, 2, 1], 0.5, rule="centre", width=5)
    5.0
    >>> percentile([0.5, 1.5], [1, 1], 0.5, rule="upper_edge", width=1)
    1.0
    """
    w = np.asarray(weights, dtype=float)
    total = float(w.sum())
    if total <= 0:
        return None
    shift = {"upper_edge": width / 2, "lower_edge": -width / 2, "centre": 0.0}[rule]
    x = np.asarray(centres, dtype=float) + shift
    cumulative = np.cumsum(w) / total
    i = int(np.searchsorted(cumulative, fraction, side="left"))
    if i == 0:
        return float(x[0])
    i = min(i, len(x) - 1)
    low, high = float(cumulative[i - 1]), float(cumulative[i])
    step = (fraction - low) / (high - low) if high > low else 0.0
    return float(x[i - 1] + step * (x[i] - x[i - 1]))


def size_stats(
    centres: Sequence[float], weights: Sequence[float], *, rule: PercentileRule, width: float
) -> SizeStats:
    """Mean, SD, arg-max mode and D10/D50/D90 of a binned distribution (all None if empty)."""
    c = np.asarray(centres, dtype=float)
    w = np.asarray(weights, dtype=float)
    total = float(w.sum())
    if total <= 0:
        return SizeStats()
    mean = float((w * c).sum() / total)
    sd = float(np.sqrt((w * (c - mean) ** 2).sum() / total))
    d10, d50, d90 = (
        percentile(c.tolist(), w.tolist(), q, rule=rule, width=width) for q in (0.1, 0.5, 0.9)
    )
    return SizeStats(
        mean_nm=mean,
        mode_nm=float(c[int(w.argmax())]),
        sd_nm=sd,
        d10_nm=d10,
        d50_nm=d50,
        d90_nm=d90,
    )
