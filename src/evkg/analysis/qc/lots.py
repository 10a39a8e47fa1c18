"""Lot-to-lot comparison: size-distribution distances, purity and marker differences.

Distances use the number-weighted distributions (weights = particles/ml per bin), so
histograms of different bin widths (NanoSight 1 nm, ZetaView 5 nm) compare directly.
The KS value is the statistic only (max |F1 - F2|): the weights are concentrations, not
independent counts, so no p-value is given.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc.values import LotValues
from evkg.sources.nta import SizeHistogram

__all__ = ["LotComparison", "MarkerDifference", "compare_lots", "ks_statistic", "wasserstein_nm"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MarkerDifference(_Frozen):
    marker: str
    reference: str
    lot: str


class LotComparison(_Frozen):
    """How ``lot`` differs from ``reference``."""

    reference: str
    lot: str
    wasserstein_nm: float | None
    ks_statistic: float | None
    d50_difference_nm: float | None
    mean_difference_nm: float | None
    concentration_ratio: float | None
    purity_ratio: float | None
    marker_differences: tuple[MarkerDifference, ...]


def _usable(h: SizeHistogram | None) -> bool:
    return h is not None and sum(h.weights) > 0


def wasserstein_nm(a: SizeHistogram, b: SizeHistogram) -> float:
    """Earth mover's distance (nm) between two binned number distributions.

    >>> h = SizeHistogram(centres_nm=(100.0, 110.0), weights=(1.0, 0.0), unit="")
    >>> wasserstein_nm(h, SizeHistogram(centres_nm=(100.0, 110.0), weights=(0.0, 1.0), unit=""))
    10.0
    """
    from scipy.stats import wasserstein_distance  # ~1 s to import: only when lots compare

    return float(wasserstein_distance(a.centres_nm, b.centres_nm, a.weights, b.weights))


def _cdf(h: SizeHistogram, at: np.ndarray) -> np.ndarray:
    centres = np.asarray(h.centres_nm, dtype=float)
    weights = np.asarray(h.weights, dtype=float)
    order = np.argsort(centres)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    index = np.searchsorted(centres[order], at, side="right")
    return np.where(index > 0, cumulative[np.maximum(index - 1, 0)], 0.0)


def ks_statistic(a: SizeHistogram, b: SizeHistogram) -> float:
    """Largest gap between the two cumulative distributions (0 = same, 1 = disjoint).

    >>> h = SizeHistogram(centres_nm=(100.0, 110.0), weights=(1.0, 1.0), unit="")
    >>> ks_statistic(h, h)
    0.0
    """
    at = np.union1d(np.asarray(a.centres_nm), np.asarray(b.centres_nm))
    return float(np.max(np.abs(_cdf(a, at) - _cdf(b, at))))


def _difference(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else y - x


def _ratio(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None or x == 0 else y / x


def compare_lots(reference: LotValues, lot: LotValues) -> LotComparison:
    """Distances and differences of ``lot`` from ``reference`` (None where not measured)."""
    both = _usable(reference.histogram) and _usable(lot.histogram)
    a, b = reference.histogram, lot.histogram
    names = {name.casefold(): name for name in (*reference.markers, *lot.markers)}
    ref_markers = {k.casefold(): v for k, v in reference.markers.items()}
    lot_markers = {k.casefold(): v for k, v in lot.markers.items()}
    differences = tuple(
        MarkerDifference(
            marker=names[key],
            reference=ref_markers.get(key, "not recorded"),
            lot=lot_markers.get(key, "not recorded"),
        )
        for key in sorted(names)
        if ref_markers.get(key, "not recorded") != lot_markers.get(key, "not recorded")
    )
    return LotComparison(
        reference=reference.id,
        lot=lot.id,
        wasserstein_nm=wasserstein_nm(a, b) if both and a and b else None,
        ks_statistic=ks_statistic(a, b) if both and a and b else None,
        d50_difference_nm=_difference(reference.stats.d50_nm, lot.stats.d50_nm),
        mean_difference_nm=_difference(reference.stats.mean_nm, lot.stats.mean_nm),
        concentration_ratio=_ratio(reference.concentration_per_ml, lot.concentration_per_ml),
        purity_ratio=_ratio(reference.particles_per_ug, lot.particles_per_ug),
        marker_differences=differences,
    )
