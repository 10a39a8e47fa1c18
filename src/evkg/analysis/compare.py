"""Comparing preparations (2D vs 3D culture, lot A vs lot B, naive vs primed): how alike their
cargo is, which cargo changed, and — given their analyses — how targets, pathways and
indications moved. The first profile is the reference; changes are later minus first.

Which cargo changed needs replicates: one sample per condition gives a fold change with no
idea of its noise (EV small-RNA-seq replicates routinely differ two-fold). With ``groups``
(a condition per profile, at least two profiles each, two conditions) every cargo gets a
Welch t-test on log2 abundance, Benjamini–Hochberg q over the cargo tested, and the mean
log2 fold; a cargo is ``up``/``down`` only when q < ``alpha`` and the fold reaches the
threshold. Without replicates the fold changes are withheld (``notes`` says why) unless
``single_sample_folds`` asks for them, and then they are marked as such.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from evkg.analysis._json import to_jsonable
from evkg.analysis.profile import CargoProfile

if TYPE_CHECKING:
    from evkg.analysis.pipeline import ProfileAnalysis

__all__ = ["CargoChange", "ProfileComparison", "ScoreChange", "compare_profiles"]


@dataclass(frozen=True)
class CargoChange:
    curie: str
    label: str
    abundances: tuple[float, ...]  # relative abundance in each profile (0 when absent)
    log2_fold: tuple[float, ...]  # each profile (or group mean) against the first
    status: str  # up | down | gained | lost | unchanged | mixed | not significant
    p: float | None = None  # Welch t-test, replicate groups only
    q: float | None = None


@dataclass(frozen=True)
class ScoreChange:
    """A target gene, pathway or disease with its value in each profile."""

    id: str
    label: str
    values: tuple[float, ...]
    change: float  # last minus first


@dataclass(frozen=True)
class ProfileComparison:
    names: tuple[str, ...]
    n_items: tuple[int, ...]
    shared: int  # cargo present in every profile
    spearman: tuple[tuple[float, ...], ...]  # over the union, absent = 0
    pearson_log: tuple[tuple[float, ...], ...]  # log10 abundance with pseudocount
    cargo: tuple[CargoChange, ...]  # largest change first
    targets: tuple[ScoreChange, ...] = ()
    pathways: tuple[ScoreChange, ...] = ()  # −log10 q of ORA
    indications: tuple[ScoreChange, ...] = ()
    groups: tuple[str, ...] = ()  # condition of each profile, when replicates were given
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def _status(values: Sequence[float], folds: Sequence[float], threshold: float) -> str:
    first, rest = values[0], values[1:]
    if first == 0 and all(v > 0 for v in rest):
        return "gained"
    if first > 0 and all(v == 0 for v in rest):
        return "lost"
    ups = [f >= threshold for f in folds[1:]]
    downs = [f <= -threshold for f in folds[1:]]
    if all(ups):
        return "up"
    if all(downs):
        return "down"
    if any(ups) or any(downs):
        return "mixed"
    return "unchanged"


def _stats() -> Any:
    """``scipy.stats``, imported when a comparison runs (it costs ~1 s at start-up)."""
    from scipy import stats

    return stats


def _matrix(function: Any, columns: np.ndarray) -> tuple[tuple[float, ...], ...]:
    size = columns.shape[1]
    result = np.eye(size)
    for i in range(size):
        for j in range(i + 1, size):
            a, b = columns[:, i], columns[:, j]
            flat = np.ptp(a) == 0 or np.ptp(b) == 0
            value = math.nan if flat else float(function(a, b)[0])
            result[i, j] = result[j, i] = value
    return tuple(
        tuple(round(float(v), 4) if not math.isnan(v) else math.nan for v in row) for row in result
    )


def _changes(tables: Sequence[dict[str, tuple[str, float]]], limit: int) -> tuple[ScoreChange, ...]:
    keys = sorted({key for table in tables for key in table})
    changes = []
    for key in keys:
        values = tuple(round(table.get(key, ("", 0.0))[1], 4) for table in tables)
        label = next(table[key][0] for table in tables if key in table)
        changes.append(ScoreChange(key, label, values, round(values[-1] - values[0], 4)))
    changes.sort(key=lambda c: (-abs(c.change), c.label))
    return tuple(changes[:limit])


def compare_profiles(
    profiles: Sequence[CargoProfile],
    *,
    analyses: Sequence[ProfileAnalysis] | None = None,
    groups: Sequence[str] | None = None,
    single_sample_folds: bool = False,
    fold_threshold: float = 1.0,
    alpha: float = 0.05,
    pseudocount: float = 1e-4,
    limit: int = 50,
) -> ProfileComparison:
    """Compare two or more profiles (the first is the reference; with ``groups``, the first
    profile's group is). See the module doc for when fold changes are given.

    Raises ``ValueError`` when ``groups`` does not give one condition per profile, names
    other than two conditions, or a condition with a single profile."""
    if len(profiles) < 2:
        raise ValueError("comparing needs at least two profiles")
    if analyses is not None and len(analyses) != len(profiles):
        raise ValueError("give one analysis per profile, in the same order")
    abundance = [p.abundance() for p in profiles]
    labels = {item.curie: item.label for p in profiles for item in p.items}
    union = sorted(labels, key=lambda c: labels[c])
    matrix = np.array([[a.get(c, 0.0) for a in abundance] for c in union], dtype=np.float64)
    notes: list[str] = []
    if groups is not None:
        changes = _replicate_changes(
            union, labels, matrix, groups, fold_threshold, alpha, pseudocount
        )
        first, second = dict.fromkeys(groups)
        notes.append(
            f"{second} against {first}: Welch t-test on log2 abundance per cargo, "
            f"{sum(1 for g in groups if g == first)} vs {sum(1 for g in groups if g == second)} "
            f"replicates, Benjamini-Hochberg q; up/down when q < {alpha:g} and |log2 fold| ≥ "
            f"{fold_threshold:g}"
        )
    elif single_sample_folds:
        changes = _single_changes(union, labels, matrix, fold_threshold, pseudocount)
        notes.append(
            "fold changes from single samples, as asked: no replicate, so no estimate of noise; "
            "treat every change as unconfirmed"
        )
    else:
        changes = []
        notes.append(
            "fold changes withheld: each condition has a single sample, so no change can be told "
            "from noise; give replicates (groups) or ask for single-sample folds"
        )
    shared = int(np.sum(np.all(matrix > 0, axis=1)))
    comparison = ProfileComparison(
        names=tuple(p.name for p in profiles),
        n_items=tuple(len(p.items) for p in profiles),
        shared=shared,
        spearman=_matrix(_stats().spearmanr, matrix),
        pearson_log=_matrix(_stats().pearsonr, np.log10(matrix + pseudocount)),
        cargo=tuple(changes),
        groups=tuple(groups or ()),
        notes=tuple(notes),
    )
    if analyses is None:
        return comparison
    targets = [{g.gene: (g.symbol, g.weight) for g in a.targets.genes} for a in analyses]
    pathways = [
        {f"{r.collection}:{r.set_id}": (r.name, -math.log10(max(r.q, 1e-300))) for r in a.pathways}
        for a in analyses
    ]
    indications = [{i.disease: (i.label, i.score) for i in a.indications} for a in analyses]
    return ProfileComparison(
        **{
            **comparison.__dict__,
            "targets": _changes(targets, limit),
            "pathways": _changes(pathways, limit),
            "indications": _changes(indications, limit),
        }
    )


def _single_changes(
    union: Sequence[str],
    labels: dict[str, str],
    matrix: np.ndarray,
    fold_threshold: float,
    pseudocount: float,
) -> list[CargoChange]:
    changes = []
    for curie, row in zip(union, matrix, strict=True):
        folds = tuple(round(math.log2((v + pseudocount) / (row[0] + pseudocount)), 4) for v in row)
        values = tuple(round(float(v), 9) for v in row)
        changes.append(
            CargoChange(curie, labels[curie], values, folds, _status(values, folds, fold_threshold))
        )
    changes.sort(key=lambda c: (-max(abs(f) for f in c.log2_fold), c.label))
    return changes


def _replicate_changes(
    union: Sequence[str],
    labels: dict[str, str],
    matrix: np.ndarray,
    groups: Sequence[str],
    fold_threshold: float,
    alpha: float,
    pseudocount: float,
) -> list[CargoChange]:
    if len(groups) != matrix.shape[1]:
        raise ValueError(
            f"give one group per profile: {len(groups)} groups, {matrix.shape[1]} profiles"
        )
    conditions = list(dict.fromkeys(groups))
    if len(conditions) != 2:
        raise ValueError(
            f"replicate statistics compare two conditions; got {len(conditions)}: {conditions}"
        )
    members = [np.array([g == c for g in groups]) for c in conditions]
    single = [c for c, m in zip(conditions, members, strict=True) if m.sum() < 2]
    if single:
        raise ValueError(
            f"condition {single[0]!r} has a single profile: replicates need two or more"
        )
    from evkg.analysis.enrichment import benjamini_hochberg

    logs = np.log2(matrix + pseudocount)
    first, second = (logs[:, m] for m in members)
    test = _stats().ttest_ind(second, first, axis=1, equal_var=False)
    p_values = np.where(np.isnan(test.pvalue), 1.0, test.pvalue)
    q_values = benjamini_hochberg(p_values) if len(p_values) else p_values
    changes = []
    for i, curie in enumerate(union):
        fold = round(float(second[i].mean() - first[i].mean()), 4)
        values = tuple(round(float(v), 9) for v in matrix[i])
        q = float(q_values[i])
        if q < alpha and abs(fold) >= fold_threshold:
            status = "up" if fold > 0 else "down"
        else:
            status = "not significant"
        changes.append(
            CargoChange(
                curie, labels[curie], values, (0.0, fold), status, round(float(p_values[i]), 6),
                round(q, 6),
            )
        )  # fmt: skip
    changes.sort(
        key=lambda c: (
            c.status == "not significant",
            c.q if c.q is not None else 1.0,
            -abs(c.log2_fold[-1]),
            c.label,
        )
    )
    return changes
